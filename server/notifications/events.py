"""Creating notifications: each event reaches each user once, with its push/SMS deliveries planned.

Called inside the transaction of the change that caused it (a payment settling, a reminder run), so a
notification exists exactly when its cause was committed. The (user, dedupe_key) unique key makes a
repeat — a second callback, a second scheduler process, a rerun after a crash — a no-op.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.notifications import DEFAULT_QUIET, SMS_KINDS, bypasses_quiet_hours, default_channels, quiet_hours_end
from server.auth.models import User
from server.clock import VIETNAM
from server.notifications.models import (Delivery, DeviceToken, Notification, NotificationPreference,
                                         NotificationSettings, PersonMute)

log = logging.getLogger("dongphi.notifications")

Render = Callable[[str], tuple[str, str]]  # language -> (title, body)


@dataclass(frozen=True)
class Event:
    kind: str
    dedupe_key: str
    render: Render
    sms: Callable[[str], str] | None = None  # language -> SMS text (reminders only)
    bill_id: str | None = None
    payment_id: str | None = None
    person_id: str | None = None
    institution_id: str | None = None
    verified: bool = False
    payer_id: str | None = None  # a payment's own result reaches its payer even about a muted person


def notify(db: Session, user_ids: Iterable[str], event: Event, now: dt.datetime) -> list[Notification]:
    """The notifications created now; users who already had this event get nothing new."""
    created = []
    for user_id in dict.fromkeys(u for u in user_ids if u):
        user = db.get(User, user_id)
        if user is None:
            continue
        title, body = event.render(user.locale)
        note = Notification(user_id=user_id, kind=event.kind, dedupe_key=event.dedupe_key, title=title[:200],
                            body=body, bill_id=event.bill_id, payment_id=event.payment_id,
                            person_id=event.person_id, institution_id=event.institution_id,
                            verified=event.verified, created_at=now)
        try:
            with db.begin_nested():
                db.add(note)
                db.flush()
        except IntegrityError:
            continue  # this user already has it: exactly once
        _plan_deliveries(db, user, note, event, now)
        created.append(note)
    return created


def _plan_deliveries(db: Session, user: User, note: Notification, event: Event, now: dt.datetime) -> None:
    pref = db.scalars(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == note.kind)).first()
    channels = default_channels(note.kind)
    push, sms = (pref.push, pref.sms) if pref else (channels.push, channels.sms)
    sms = sms and note.kind in SMS_KINDS and event.sms is not None
    if note.person_id and (push or sms) and user.id != event.payer_id and _muted(db, user.id, note.person_id):
        return  # muted family member: inbox only (a payment's own result still reaches its payer)
    at = send_at(db, user.id, note.kind, now)
    if push:
        for device in db.scalars(select(DeviceToken).where(DeviceToken.user_id == user.id)):
            db.add(Delivery(notification_id=note.id, channel="push", target=device.token, status="pending",
                            attempts=0, next_attempt_at=at, created_at=now))
    if sms:
        try:
            text = event.sms(user.locale)
        except ValueError as exc:  # a link crept in through some data: never send it
            log.error("SMS for %s not sent: %s", note.id, exc)
            return
        # The SMS text is fixed when planned: the worker sends exactly what was checked for links.
        db.add(Delivery(notification_id=note.id, channel="sms", target=user.phone, status="pending", attempts=0,
                        next_attempt_at=at, created_at=now, text=text))


def _muted(db: Session, user_id: str, person_id: str) -> bool:
    return db.scalars(select(PersonMute.id).where(PersonMute.user_id == user_id,
                                                  PersonMute.person_id == person_id)).first() is not None


def quiet_hours_of(db: Session, user_id: str) -> tuple[int, int]:
    row = db.get(NotificationSettings, user_id)
    return (row.quiet_start, row.quiet_end) if row else DEFAULT_QUIET


def send_at(db: Session, user_id: str, kind: str, now: dt.datetime) -> dt.datetime:
    """Now, or the end of the user's quiet hours (held back, never dropped)."""
    if bypasses_quiet_hours(kind):
        return now
    start, end = quiet_hours_of(db, user_id)
    local = now.astimezone(VIETNAM)
    return quiet_hours_end(local, start, end).astimezone(dt.timezone.utc)
