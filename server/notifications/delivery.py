"""The delivery worker: push and SMS leave from the queue, are retried with back-off, and every outcome
is recorded. A channel that is down loses nothing: its deliveries wait (up to `delivery_give_up_hours`,
after which a reminder is stale) and go out when it is back.

Each row is claimed just before it is sent, by a compare-and-set UPDATE that writes a claim token and a
lease: two workers (threads, processes, SQLite or PostgreSQL) never both win one row, and a worker
records its outcome only while it still holds the claim. A worker that dies mid-send leaves a lease
that expires, and the row is sent again: at least once (FCM and SMS gateways cannot be asked "did you
get it?"). Before sending, the row is checked again: a push goes only to a phone still registered to
the notification's user (signed out, or handed to someone else: dropped), and a reminder only for a
bill that is still open (paid overnight: dropped).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from server.auth.sms import SmsSender
from server.bills.models import Bill
from server.clock import as_utc
from server.notifications.events import send_at
from server.notifications.models import Delivery, DeviceToken, Notification

log = logging.getLogger("dongphi.delivery")
LEASE = dt.timedelta(minutes=5)  # longer than one FCM send with its own retries
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=6)
ABOUT_A_BILL = ("due_soon", "overdue", "new_bill")  # pointless once the bill is paid or closed


class PushChannel(Protocol):
    """server.notifications.fcm.FcmPush is the real one; result.status is sent | unregistered |
    retry_later | failed, with an optional retry_after in seconds."""

    def send(self, token: str, title: str, body: str, data: dict[str, str]): ...


def run_deliveries(factory: sessionmaker[Session], now: dt.datetime, *, push: PushChannel | None,
                   sms: SmsSender | None, give_up_after: dt.timedelta = dt.timedelta(hours=72),
                   batch: int = 100, clock: Callable[[], dt.datetime] | None = None) -> dict[str, int]:
    """One pass over what is due at `now`; `clock` (the jobs pass theirs) stamps each send as it happens."""
    counts: dict[str, int] = {}
    for delivery_id in _due(factory, now, batch):
        at = clock() if clock else now
        claim = _claim(factory, delivery_id, at)
        if claim is None:
            continue  # another worker has it
        outcome = _deliver(factory, delivery_id, claim, at, push, sms, give_up_after)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _due(factory: sessionmaker[Session], now: dt.datetime, batch: int) -> list[str]:
    with factory() as db:
        return list(db.scalars(select(Delivery.id).where(
            or_(Delivery.status == "pending", Delivery.status == "sending"), Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at).limit(batch)))


def _claim(factory: sessionmaker[Session], delivery_id: str, now: dt.datetime) -> str | None:
    claim = str(uuid.uuid4())
    with factory() as db:
        won = db.execute(update(Delivery).where(
            Delivery.id == delivery_id, or_(Delivery.status == "pending", Delivery.status == "sending"),
            Delivery.next_attempt_at <= now).values(status="sending", claim=claim, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)).rowcount == 1
        db.commit()
    return claim if won else None


def _deliver(factory, delivery_id: str, claim: str, now: dt.datetime, push, sms, give_up_after: dt.timedelta) -> str:
    with factory() as db:
        row = db.get(Delivery, delivery_id)
        note = db.get(Notification, row.notification_id)
        outcome, error, wait = _check(db, row, note) or _send(row, note, push, sms)
    attempts = row.attempts + 1
    values: dict = dict(attempts=attempts, claim=None, last_error=error[:300])
    if outcome == "sent":
        values.update(status="sent", sent_at=now, last_error="")
    elif outcome in ("unregistered", "dropped"):
        values.update(status="dropped")
    elif outcome == "failed" or now - as_utc(row.created_at) >= give_up_after:
        outcome = "failed"
        values.update(status="failed", last_error=(error or "gave up")[:300])
        log.error("delivery %s (%s) failed for good: %s", row.id, row.channel, error)
    else:
        backoff = max(min(FIRST_RETRY * (2 ** (attempts - 1)), LONGEST_WAIT), dt.timedelta(seconds=wait or 0))
        outcome = "retry"
        with factory() as db:
            values.update(status="pending", next_attempt_at=send_at(db, note.user_id, note.kind, now + backoff))
    with factory() as db:
        mine = db.execute(update(Delivery).where(Delivery.id == row.id, Delivery.claim == claim).values(**values)
                          .execution_options(synchronize_session=False)).rowcount == 1
        if mine and outcome == "unregistered":
            db.execute(delete(DeviceToken).where(DeviceToken.token == row.target))
        db.commit()
    if not mine:
        log.warning("delivery %s: lease lost while sending (sent again by another worker)", row.id)
    return outcome


def _check(db: Session, row: Delivery, note: Notification) -> tuple[str, str, float] | None:
    """Why this row must not go out any more, or None."""
    if row.channel == "push" and db.scalars(select(DeviceToken.id).where(
            DeviceToken.token == row.target, DeviceToken.user_id == note.user_id)).first() is None:
        return "dropped", "the phone is no longer registered to this user", 0
    if note.kind in ABOUT_A_BILL and note.bill_id:
        bill = db.get(Bill, note.bill_id)
        if bill is None or bill.cancelled or bill.amount_paid >= bill.total:
            return "dropped", "the bill was paid or closed before this went out", 0
    return None


def _send(row: Delivery, note: Notification, push, sms) -> tuple[str, str, float]:
    try:
        if row.channel == "push":
            if push is None:
                return "retry", "push is not configured", 0
            data = {"notification_id": note.id, "kind": note.kind, "bill_id": note.bill_id or "",
                    "payment_id": note.payment_id or ""}
            result = push.send(row.target, note.title, note.body, data)
            status = getattr(result, "status", "failed")
            return (("retry" if status == "retry_later" else status), getattr(result, "error", "") or "",
                    getattr(result, "retry_after", None) or 0)
        if row.channel == "sms":
            if sms is None:
                return "retry", "SMS is not configured", 0
            sms.send(row.target, row.text)
            return "sent", "", 0
        return "failed", f"unknown channel {row.channel}", 0
    except Exception as exc:  # a channel's own failure: try again later, record why
        log.warning("delivery %s (%s) not sent: %r", row.id, row.channel, exc)
        return "retry", repr(exc), 0
