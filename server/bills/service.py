"""Bills as a payer sees them: only the family's, outstanding ones grouped by person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from domain.bills import OUTSTANDING, BillStatus, amount_due, bill_status
from server.bills.models import Bill
from server.bills.schemas import BillDetail, BillItemOut, BillSummary, OutstandingBills, PersonBills, PersonRef
from server.errors import ApiError
from server.institutions.models import Institution
from server.institutions.service import institution_out
from server.people.models import FamilyMember
from server.people.service import family_of


def _status(bill: Bill, today: dt.date) -> BillStatus:
    return bill_status(bill.total, bill.amount_paid, bill.due_date, today, bill.cancelled)


def _summary(bill: Bill, today: dt.date) -> dict:
    status = _status(bill, today)
    return dict(
        id=bill.id, invoice_code=bill.invoice_code, kind=bill.kind, title=bill.title, period=bill.period,
        institution_id=bill.institution_id, institution_name=bill.institution.name, due_date=bill.due_date,
        total=bill.total, amount_paid=bill.amount_paid, amount_due=amount_due(bill.total, bill.amount_paid),
        status=status.value, overdue=status is BillStatus.OVERDUE,
    )


def _person_ref(person) -> PersonRef:
    return PersonRef(id=person.id, full_name=person.full_name, kind=person.kind, group_label=person.group_label)


def outstanding_for(db: Session, user_id: str, today: dt.date) -> OutstandingBills:
    members = family_of(db, user_id)
    person_ids = [m.person_id for m in members]
    bills = list(db.scalars(
        select(Bill).where(Bill.person_id.in_(person_ids), Bill.cancelled.is_(False),
                           Bill.amount_paid < Bill.total)
        .options(joinedload(Bill.institution)).order_by(Bill.due_date, Bill.invoice_code)
    )) if person_ids else []
    groups: list[PersonBills] = []
    for member in members:
        mine = [_summary(b, today) for b in bills if b.person_id == member.person_id]
        mine = [s for s in mine if BillStatus(s["status"]) in OUTSTANDING]
        groups.append(PersonBills(
            person=_person_ref(member.person), institution_name=member.person.institution.name,
            bills=[BillSummary(**s) for s in mine], total_due=sum(s["amount_due"] for s in mine),
        ))
    return OutstandingBills(
        as_of=today, groups=groups, total_due=sum(g.total_due for g in groups),
        overdue_count=sum(1 for g in groups for b in g.bills if b.overdue),
    )


def bill_for(db: Session, user_id: str, bill_id: str, today: dt.date) -> BillDetail:
    bill = db.scalars(
        select(Bill)
        .join(FamilyMember, (FamilyMember.person_id == Bill.person_id) & (FamilyMember.user_id == user_id))
        .where(Bill.id == bill_id)
        .options(joinedload(Bill.person), selectinload(Bill.items),
                 joinedload(Bill.institution).selectinload(Institution.accounts))
    ).first()
    # Someone else's bill and a bill that does not exist look the same from outside.
    if bill is None:
        raise ApiError(404, "bill_not_found", "no such bill in your family")
    return BillDetail(
        **_summary(bill, today), person=_person_ref(bill.person), institution=institution_out(bill.institution),
        items=[BillItemOut(label=i.label, amount=i.amount) for i in bill.items],
    )
