"""The reminder job: due in 7, 3 and 1 days, overdue, and bills new since a family member joined.

Safe to run as often as wanted, from as many processes as wanted: every reminder is committed on its
own with its deliveries, and the (user, dedupe_key) unique key turns a second run — concurrent, or
after a crash halfway — into nothing. On PostgreSQL a concurrent twin waits on that key, then skips.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, sessionmaker

from domain.notifications import reminder_stage
from server.bills.models import Bill
from server.clock import as_utc, local_today
from server.notifications import triggers
from server.people.models import FamilyMember

log = logging.getLogger("dongphi.reminders")
LOOKAHEAD_DAYS = 7
NEW_BILL_WINDOW = dt.timedelta(days=30)


def _open_bills(db: Session, where) -> list[Bill]:
    return list(db.scalars(select(Bill).where(Bill.cancelled.is_(False), Bill.amount_paid < Bill.total, where)
                           .options(joinedload(Bill.person), joinedload(Bill.institution))
                           .order_by(Bill.due_date, Bill.id)))


def run_reminders(factory: sessionmaker[Session], now: dt.datetime,
                  clock: Callable[[], dt.datetime] | None = None) -> int:
    """Returns how many notifications this run created. `now` decides the stages; `clock` (the jobs
    pass theirs) stamps each notification when it is committed, so the live stream sees them in order."""
    today = local_today(now)
    with factory() as db:
        due_ids = [b.id for b in _open_bills(db, Bill.due_date <= today + dt.timedelta(days=LOOKAHEAD_DAYS))]
        new_ids = [b.id for b in _open_bills(db, Bill.issued_at >= now - NEW_BILL_WINDOW)]
    created = 0
    for bill_id in due_ids:
        created += _one(factory, bill_id, clock() if clock else now, today, reminder=True)
    for bill_id in new_ids:
        created += _one(factory, bill_id, clock() if clock else now, today, reminder=False)
    if created:
        log.info("reminders: %d notifications", created)
    return created


def _one(factory: sessionmaker[Session], bill_id: str, now: dt.datetime, today: dt.date, *, reminder: bool) -> int:
    with factory() as db:
        bill = db.scalars(select(Bill).where(Bill.id == bill_id)
                          .options(joinedload(Bill.person), joinedload(Bill.institution))).one()
        if bill.cancelled or bill.amount_paid >= bill.total:
            return 0  # paid or cleared since the list was read
        members = list(db.scalars(select(FamilyMember).where(FamilyMember.person_id == bill.person_id)
                                  .order_by(FamilyMember.added_at, FamilyMember.id)))
        if reminder:
            stage = reminder_stage(bill.due_date, today)
            if stage is None:
                return 0
            notes = triggers.reminder(db, bill, stage, today, [m.user_id for m in members], now)
        else:
            # New for those who were already in the family when it was issued (not a backlog on joining).
            users = [m.user_id for m in members if as_utc(m.added_at) < as_utc(bill.issued_at)]
            notes = triggers.new_bill(db, bill, users, now)
        db.commit()
        return len(notes)
