from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from server.deps import DB, Principal, current_principal, get_now
from server.people import service
from server.people.schemas import AddPerson, PersonOut

router = APIRouter(prefix="/family", tags=["people"])


@router.get("", response_model=list[PersonOut])
def list_family(db: Session = DB, principal: Principal = Depends(current_principal)):
    return [service.person_out(m) for m in service.family_of(db, principal.user.id)]


@router.post("/students", response_model=PersonOut, status_code=201)
def add_student(body: AddPerson, db: Session = DB, now: dt.datetime = Depends(get_now),
                principal: Principal = Depends(current_principal)):
    return service.add_person(db, principal.user.id, body, "student", now)


@router.post("/patients", response_model=PersonOut, status_code=201)
def add_patient(body: AddPerson, db: Session = DB, now: dt.datetime = Depends(get_now),
                principal: Principal = Depends(current_principal)):
    return service.add_person(db, principal.user.id, body, "patient", now)
