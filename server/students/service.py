"""Student accounts (issue 8): a parent gives a student their own login that sees their own fees only.

The login is an ordinary user signed in by SMS code; what makes it a student is its phone number in
student_accounts. Such a user is in nobody's family, so the family's routes show it nothing, and the
areas that act (payments, joining families) refuse it by name (students.access).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from domain.bills import BillStatus, amount_due, bill_status
from domain.phone import mask_phone
from server.auth.models import User
from server.auth.service import parse_phone
from server.bills.models import Bill
from server.clock import as_utc, local_today
from server.errors import ApiError
from server.family.models import FamilyInvitation
from server.family.service import require_member, require_payer
from server.people.models import FamilyMember, Person
from server.people.service import given_name
from server.students.access import refuse_student, student_account
from server.students.models import StudentAccount
from server.students.schemas import (FeeOut, StudentAccountOut, StudentFees, StudentMe, StudentPerson, TermOut)


def _account_out(acc: StudentAccount) -> StudentAccountOut:
    return StudentAccountOut(person_id=acc.person_id, phone_masked=mask_phone(acc.phone),
                             created_at=as_utc(acc.created_at))


def _payer_of_student(db: Session, user: User, person_id: str) -> Person:
    refuse_student(db, user)
    require_payer(require_member(db, user.id, person_id), "manage a student's own login")
    person = db.get(Person, person_id)
    if person.kind != "student":
        raise ApiError(422, "person_not_a_student", "only a student can have a student login")
    return person


def create(db: Session, user: User, person_id: str, raw_phone: str, now: dt.datetime) -> StudentAccountOut:
    phone = parse_phone(raw_phone)
    person = _payer_of_student(db, user, person_id)
    if db.scalars(select(StudentAccount).where(StudentAccount.person_id == person.id)).first() is not None:
        raise ApiError(409, "student_account_exists", "this student already has a login: remove it first")
    # A number that pays for someone, or is asked to, is a parent's; a student login would lock it out.
    owner = db.scalars(select(User).where(User.phone == phone)).first()
    in_family = owner is not None and db.scalars(
        select(FamilyMember.id).where(FamilyMember.user_id == owner.id)).first() is not None
    invited = db.scalars(select(FamilyInvitation.id).where(FamilyInvitation.phone == phone,
                                                          FamilyInvitation.state == "pending")).first()
    if in_family or invited is not None or student_account(db, phone) is not None:
        raise ApiError(409, "phone_in_use", "this number already belongs to a family member or another student")
    acc = StudentAccount(person_id=person.id, phone=phone, created_by_user_id=user.id, created_at=now)
    try:
        with db.begin_nested():
            db.add(acc)
            db.flush()
    except IntegrityError:  # the other parent did the same at this moment
        raise ApiError(409, "student_account_exists", "this student already has a login") from None
    return _account_out(acc)


def get(db: Session, user: User, person_id: str) -> StudentAccountOut:
    require_member(db, user.id, person_id)
    acc = db.scalars(select(StudentAccount).where(StudentAccount.person_id == person_id)).first()
    if acc is None:
        raise ApiError(404, "student_account_not_found", "this student has no login")
    return _account_out(acc)


def remove(db: Session, user: User, person_id: str) -> None:
    """The login stops being a student's at once; its next request sees nothing of the student."""
    _payer_of_student(db, user, person_id)
    acc = db.scalars(select(StudentAccount).where(StudentAccount.person_id == person_id)).first()
    if acc is None:
        raise ApiError(404, "student_account_not_found", "this student has no login")
    db.delete(acc)
    db.flush()


def _student(db: Session, user: User) -> StudentAccount:
    acc = db.scalars(select(StudentAccount).where(StudentAccount.phone == user.phone)
                     .options(joinedload(StudentAccount.person).joinedload(Person.institution))).first()
    if acc is None:
        raise ApiError(403, "not_a_student", "this is not a student account")
    return acc


def _person(p: Person) -> StudentPerson:
    return StudentPerson(full_name=p.full_name, first_name=given_name(p.full_name),
                         institution_name=p.institution.name, group_label=p.group_label)


def me(db: Session, user: User) -> StudentMe:
    return StudentMe(role="student", person=_person(_student(db, user).person))


def fees(db: Session, user: User, now: dt.datetime) -> StudentFees:
    """The student's own bills by term (the bill's period), in due-date order; cancelled ones left out."""
    acc = _student(db, user)
    today = local_today(now)
    bills = db.scalars(select(Bill).where(Bill.person_id == acc.person_id, Bill.cancelled.is_(False))
                       .order_by(Bill.due_date, Bill.invoice_code))
    terms: OrderedDict[str, list[FeeOut]] = OrderedDict()
    for b in bills:
        terms.setdefault(b.period, []).append(FeeOut(
            id=b.id, title=b.title, invoice_code=b.invoice_code, due_date=b.due_date, total=b.total,
            amount_paid=b.amount_paid, amount_due=amount_due(b.total, b.amount_paid),
            status=bill_status(b.total, b.amount_paid, b.due_date, today).value))
    out = [TermOut(period=period, fees=items, total=sum(f.total for f in items),
                   paid=sum(min(f.amount_paid, f.total) for f in items), due=sum(f.amount_due for f in items),
                   overdue=sum(f.amount_due for f in items if f.status == BillStatus.OVERDUE.value))
           for period, items in terms.items()]
    return StudentFees(as_of=today, person=_person(acc.person), terms=out, total_due=sum(t.due for t in out))


def please_pay(db: Session, user: User, bill_id: str, now: dt.datetime) -> int:
    """Asks the student's payers to pay one of the student's own open bills; returns how many were told."""
    acc = _student(db, user)
    bill = db.scalars(select(Bill).where(Bill.id == bill_id, Bill.person_id == acc.person_id)
                      .options(joinedload(Bill.person), joinedload(Bill.institution))).first()
    if bill is None:
        raise ApiError(404, "bill_not_found", "no such bill of yours")
    if bill.cancelled:
        raise ApiError(409, "bill_cancelled", "this bill was cancelled by the institution")
    if amount_due(bill.total, bill.amount_paid) <= 0:
        raise ApiError(409, "bill_already_paid", "this bill is already paid")
    payers = list(db.scalars(select(FamilyMember.user_id).where(
        FamilyMember.person_id == acc.person_id, FamilyMember.role == "payer")
        .order_by(FamilyMember.added_at, FamilyMember.id)))
    from server.notifications.triggers import please_pay as notify_payers
    return len(notify_payers(db, bill, given_name(acc.person.full_name), payers, now))
