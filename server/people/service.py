"""A payer's family: links to people on institution registers, proven by code and birth date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from server.auth.models import User
from server.config import Settings
from server.errors import ApiError
from server.institutions.models import Institution
from server.people import attempts
from server.people.models import FamilyMember, Person
from server.people.schemas import AddPerson, PersonOut
from server.students.access import refuse_student


def given_name(full_name: str) -> str:
    """Vietnamese names run family – middle – given: "Trần Minh An" is called An."""
    words = full_name.split()
    return words[-1] if words else ""


def person_out(member: FamilyMember) -> PersonOut:
    p = member.person
    return PersonOut(id=p.id, kind=p.kind, full_name=p.full_name, code=p.code, group_label=p.group_label,
                     institution_id=p.institution_id, institution_name=p.institution.name,
                     role=member.role, relation=member.relation)


def family_of(db: Session, user_id: str) -> list[FamilyMember]:
    return list(db.scalars(
        select(FamilyMember).where(FamilyMember.user_id == user_id)
        .options(joinedload(FamilyMember.person).joinedload(Person.institution))
        .order_by(FamilyMember.added_at, FamilyMember.id)
    ))


def add_person(db: Session, settings: Settings, user_id: str, body: AddPerson, kind: str,
               now: dt.datetime) -> PersonOut:
    refuse_student(db, db.get(User, user_id))  # a student's login links nobody
    attempts.ensure_allowed(db, settings, user_id, now)  # before the register is even looked at
    inst = db.get(Institution, body.institution_id)
    expected_inst_kind = "school" if kind == "student" else "hospital"
    if inst is None or inst.kind != expected_inst_kind:
        raise ApiError(404, "institution_not_found", f"no {expected_inst_kind} with this id")
    person = db.scalars(select(Person).where(
        Person.institution_id == inst.id, func.upper(Person.code) == body.code.upper(),  # as typed: any case
        Person.kind == kind)).first()
    # One answer for a wrong code and a wrong date, so the form cannot be used to probe either.
    if person is None or person.date_of_birth != body.date_of_birth:
        attempts.record_failure(db, settings, user_id, now)
        raise ApiError(404, "person_not_matched",
                       "the code and date of birth do not match a record at this institution")
    existing = db.scalars(select(FamilyMember).where(
        FamilyMember.user_id == user_id, FamilyMember.person_id == person.id)).first()
    if existing is not None:
        raise ApiError(409, "person_already_added", "this person is already in your family")
    member = FamilyMember(user_id=user_id, person_id=person.id, role="payer", relation=body.relation, added_at=now)
    db.add(member)
    db.flush()
    db.refresh(member)
    return person_out(member)
