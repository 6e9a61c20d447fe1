"""Compare-and-set state changes with an audit entry: the one way a payment's state moves.

A conditional UPDATE (… WHERE state IN allowed) makes concurrent callbacks race safely on both
SQLite and PostgreSQL: exactly one of them sees rowcount 1, records the change and notifies.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from server.payments.models import LIVE_STATES, Payment, PaymentEvent


def record(db: Session, payment: Payment, to_state: str, source: str, cause: str, now: dt.datetime,
           from_state: str | None = None) -> None:
    db.add(PaymentEvent(payment_id=payment.id, at=now, from_state=from_state, to_state=to_state,
                        source=source, cause=cause[:300]))


def move(db: Session, payment: Payment, to_state: str, *, allowed: tuple[str, ...], source: str, cause: str,
         now: dt.datetime, **fields) -> bool:
    """Move to `to_state` if the payment is still in one of `allowed`; False if someone else moved it."""
    before = payment.state
    values = dict(state=to_state, updated_at=now, **fields)
    if to_state not in LIVE_STATES:
        values["live_bill_id"] = None
    result = db.execute(
        update(Payment).where(Payment.id == payment.id, Payment.state.in_(allowed)).values(**values)
        .execution_options(synchronize_session=False)
    )
    db.expire(payment)
    if result.rowcount != 1:
        return False
    from_state = before if before in allowed else None
    record(db, payment, to_state, source, cause, now, from_state=from_state)
    # In the same transaction: the payer hears of the change exactly when it is committed, and once.
    from server.notifications.triggers import payment_moved
    payment_moved(db, payment, from_state, to_state, now)
    return True
