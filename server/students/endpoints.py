"""students area: a parent manages the student login; the student sees their own fees. Mounted by
server/people/endpoints.py."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy.orm import Session

from server.deps import DB, Principal, current_principal, get_now
from server.students import service
from server.students.schemas import (CreateStudentAccount, PleasePay, PleasePaySent, StudentAccountOut, StudentFees,
                                     StudentMe)

router = APIRouter(tags=["students"])
Id = Annotated[str, Path(min_length=1, max_length=36)]


@router.post("/family/people/{person_id}/student-account", response_model=StudentAccountOut, status_code=201)
def create(body: CreateStudentAccount, person_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
           principal: Principal = Depends(current_principal)):
    return service.create(db, principal.user, person_id, body.phone, now)


@router.get("/family/people/{person_id}/student-account", response_model=StudentAccountOut)
def get(person_id: Id, db: Session = DB, principal: Principal = Depends(current_principal)):
    return service.get(db, principal.user, person_id)


@router.delete("/family/people/{person_id}/student-account", status_code=204)
def remove(person_id: Id, db: Session = DB, principal: Principal = Depends(current_principal)):
    service.remove(db, principal.user, person_id)
    return Response(status_code=204)


@router.get("/students/me", response_model=StudentMe)
def me(db: Session = DB, principal: Principal = Depends(current_principal)):
    return service.me(db, principal.user)


@router.get("/students/me/fees", response_model=StudentFees)
def fees(db: Session = DB, now: dt.datetime = Depends(get_now), principal: Principal = Depends(current_principal)):
    return service.fees(db, principal.user, now)


@router.post("/students/me/please-pay", response_model=PleasePaySent, status_code=202)
def please_pay(body: PleasePay, db: Session = DB, now: dt.datetime = Depends(get_now),
               principal: Principal = Depends(current_principal)):
    return PleasePaySent(sent_to=service.please_pay(db, principal.user, body.bill_id, now))
