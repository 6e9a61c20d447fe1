"""Brake outcomes (validated against the shared names in domain.brakes, then stored), and the facts
the app needs to decide the brakes: has this user paid this account before, what does the family pay."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from domain.brakes import BRAKES, CONTEXTS, OUTCOMES
from server.bills.models import Bill
from server.brakes.models import BrakeEvent
from server.brakes.schemas import BrakeContextOut
from server.errors import ApiError
from server.fraud.service import clean_account
from server.institutions.models import CollectionAccount
from server.payments.models import Payment
from server.people.models import FamilyMember

PAID_STATES = ("succeeded", "refund_pending", "refunded")  # the money reached the payee
USUAL_WINDOW = dt.timedelta(days=365)
USUAL_MAX = 50


def record(db: Session, user_id: str, brake: str, outcome: str, context: str, now: dt.datetime) -> BrakeEvent:
    if brake not in BRAKES:
        raise ApiError(422, "unknown_brake", f"brake must be one of {', '.join(BRAKES)}")
    if outcome not in OUTCOMES:
        raise ApiError(422, "unknown_brake_outcome", f"outcome must be one of {', '.join(OUTCOMES)}")
    if context not in CONTEXTS:
        raise ApiError(422, "unknown_brake_context", f"context must be one of {', '.join(CONTEXTS)}")
    event = BrakeEvent(user_id=user_id, brake=brake, outcome=outcome, context=context, created_at=now)
    db.add(event)
    db.flush()
    return event


def context(db: Session, user_id: str, bank_bin: str, account_number: str, now: dt.datetime) -> BrakeContextOut:
    """`paid_before`: a payment of this user reached that account — a VietQR transfer records it; a card or
    wallet payment went to the bill's institution, so an account registered to it counts too.
    `usual_amounts`: the family's bills of the last 12 months (cancelled ones aside), at most 50."""
    bank_bin, account = clean_account(bank_bin, account_number, prefix="")
    owners = select(CollectionAccount.institution_id).where(CollectionAccount.bank_bin == bank_bin,
                                                            CollectionAccount.account_number == account)
    paid_before = db.scalar(select(exists().where(
        Payment.user_id == user_id, Payment.state.in_(PAID_STATES),
        or_((Payment.account_bin == bank_bin) & (Payment.account_number == account),
            Payment.bill_id.in_(select(Bill.id).where(Bill.institution_id.in_(owners)))))))
    family = select(FamilyMember.person_id).where(FamilyMember.user_id == user_id)
    amounts = db.scalars(select(Bill.total).where(Bill.person_id.in_(family), Bill.cancelled.is_(False),
                                                  Bill.issued_at >= now - USUAL_WINDOW)
                         .order_by(Bill.issued_at.desc(), Bill.id).limit(USUAL_MAX))
    return BrakeContextOut(paid_before=bool(paid_before), usual_amounts=[int(a) for a in amounts])
