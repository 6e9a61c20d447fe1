"""people area: a payer's family (/family), and the family's sub-areas mounted with it.

Invitations and members (server/family), pay requests (server/shares) and student accounts
(server/students) are included in this router, so server/main.py mounts them all with `people_router`.
"""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from server.config import Settings
from server.deps import DB, Principal, current_principal, get_now, get_settings
from server.family.endpoints import router as family_router
from server.people import service
from server.people.schemas import AddPerson, PersonOut
from server.shares.endpoints import router as shares_router
from server.students.endpoints import router as students_router

router = APIRouter(tags=["people"])


@router.get("/family", response_model=list[PersonOut])
def list_family(db: Session = DB, principal: Principal = Depends(current_principal)):
    return [service.person_out(m) for m in service.family_of(db, principal.user.id)]


@router.post("/family/students", response_model=PersonOut, status_code=201)
def add_student(body: AddPerson, db: Session = DB, now: dt.datetime = Depends(get_now),
                settings: Settings = Depends(get_settings), principal: Principal = Depends(current_principal)):
    return service.add_person(db, settings, principal.user.id, body, "student", now)


@router.post("/family/patients", response_model=PersonOut, status_code=201)
def add_patient(body: AddPerson, db: Session = DB, now: dt.datetime = Depends(get_now),
                settings: Settings = Depends(get_settings), principal: Principal = Depends(current_principal)):
    return service.add_person(db, settings, principal.user.id, body, "patient", now)


for _sub in (family_router, shares_router, students_router):
    router.include_router(_sub)
