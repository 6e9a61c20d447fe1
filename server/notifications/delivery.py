"""The delivery worker: push and SMS leave from the queue, are retried with back-off, and every outcome
is recorded. A channel that is down loses nothing: its deliveries wait and go out when it is back.

Rows are claimed with a lease (status `sending` until `next_attempt_at`) so that several workers never
send one delivery at the same time; a worker that dies mid-send leaves a lease that expires and the
row is sent again (at least once: FCM and SMS gateways cannot be asked "did you get it?").
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from server.auth.sms import SmsSender
from server.notifications.events import send_at
from server.notifications.models import Delivery, DeviceToken, Notification

log = logging.getLogger("dongphi.delivery")
LEASE = dt.timedelta(seconds=60)
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=6)


class PushChannel(Protocol):
    """server.notifications.fcm.FcmPush is the real one; result.status is sent | unregistered |
    retry_later | failed."""

    def send(self, token: str, title: str, body: str, data: dict[str, str]): ...


def _claim(factory: sessionmaker[Session], now: dt.datetime, batch: int) -> list[str]:
    with factory() as db:
        query = (select(Delivery).where(or_(Delivery.status == "pending", Delivery.status == "sending"),
                                        Delivery.next_attempt_at <= now)
                 .order_by(Delivery.next_attempt_at).limit(batch))
        if db.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(db.scalars(query))
        for row in rows:
            row.status, row.next_attempt_at = "sending", now + LEASE
        db.commit()
        return [r.id for r in rows]


def run_deliveries(factory: sessionmaker[Session], now: dt.datetime, *, push: PushChannel | None,
                   sms: SmsSender | None, max_attempts: int = 8, batch: int = 100) -> dict[str, int]:
    counts: dict[str, int] = {}
    for delivery_id in _claim(factory, now, batch):
        outcome = _deliver(factory, delivery_id, now, push, sms, max_attempts)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _deliver(factory, delivery_id: str, now: dt.datetime, push, sms, max_attempts: int) -> str:
    with factory() as db:
        row = db.get(Delivery, delivery_id)
        note = db.get(Notification, row.notification_id)
        outcome, error = _send(db, row, note, push, sms)
        row.attempts += 1
        if outcome == "sent":
            row.status, row.sent_at, row.last_error = "sent", now, ""
        elif outcome == "unregistered":
            row.status, row.last_error = "dropped", "device token unregistered"
            db.execute(delete(DeviceToken).where(DeviceToken.token == row.target))
        elif outcome == "failed" or row.attempts >= max_attempts:
            outcome = "failed"
            row.status, row.last_error = "failed", error[:300]
            log.error("delivery %s (%s) failed for good: %s", row.id, row.channel, error)
        else:
            wait = min(FIRST_RETRY * (2 ** (row.attempts - 1)), LONGEST_WAIT)
            row.status, row.last_error = "pending", error[:300]
            row.next_attempt_at = send_at(db, note.user_id, note.kind, now + wait)
            outcome = "retry"
        db.commit()
        return outcome


def _send(db: Session, row: Delivery, note: Notification, push, sms) -> tuple[str, str]:
    try:
        if row.channel == "push":
            if push is None:
                return "retry", "push is not configured"
            data = {"notification_id": note.id, "kind": note.kind, "bill_id": note.bill_id or "",
                    "payment_id": note.payment_id or ""}
            result = push.send(row.target, note.title, note.body, data)
            status = getattr(result, "status", "failed")
            return ("retry" if status == "retry_later" else status), getattr(result, "error", "") or ""
        if row.channel == "sms":
            if sms is None:
                return "retry", "SMS is not configured"
            sms.send(row.target, row.text)
            return "sent", ""
        return "failed", f"unknown channel {row.channel}"
    except Exception as exc:  # a channel's own failure: try again later, record why
        log.warning("delivery %s (%s) not sent: %r", row.id, row.channel, exc)
        return "retry", repr(exc)
