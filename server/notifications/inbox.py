"""A user's inbox, preferences and devices: reads and small writes, each limited to the user's own rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from domain.notifications import KINDS, SMS_KINDS, default_channels, format_hhmm, parse_hhmm
from server.errors import ApiError
from server.institutions.models import Institution
from server.notifications.events import quiet_hours_of
from server.notifications.models import (DeviceToken, Notification, NotificationPreference, NotificationSettings,
                                         PersonMute)
from server.notifications.schemas import (InboxOut, KindChoice, NotificationOut, PersonMuteOut, PreferencesIn,
                                          PreferencesOut)
from server.people.service import family_of

MAX_PAGE = 50


def _out(db: Session, notes: list[Notification]) -> list[NotificationOut]:
    ids = {n.institution_id for n in notes if n.institution_id}
    names = dict(db.execute(select(Institution.id, Institution.name).where(Institution.id.in_(ids))).all()) \
        if ids else {}
    return [NotificationOut.of(n, names.get(n.institution_id)) for n in notes]


def unread_count(db: Session, user_id: str) -> int:
    return db.scalar(select(func.count()).select_from(Notification)
                     .where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def page(db: Session, user_id: str, limit: int, before: str | None) -> InboxOut:
    """Newest first; `before` is the id of the last one seen (keyset paging: stable while new ones arrive)."""
    query = select(Notification).where(Notification.user_id == user_id)
    if before:
        anchor = db.scalars(select(Notification).where(Notification.id == before,
                                                       Notification.user_id == user_id)).first()
        if anchor is None:
            raise ApiError(404, "notification_not_found", "no such notification")
        query = query.where(or_(Notification.created_at < anchor.created_at,
                                and_(Notification.created_at == anchor.created_at, Notification.id < anchor.id)))
    notes = list(db.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc())
                            .limit(min(limit, MAX_PAGE) + 1)))
    more = len(notes) > limit
    notes = notes[:limit]
    return InboxOut(items=_out(db, notes), next_before=notes[-1].id if more and notes else None,
                    unread=unread_count(db, user_id))


def anchor_time(db: Session, user_id: str, notification_id: str | None) -> dt.datetime | None:
    """When the notification the app saw last was created (None if it is not the user's)."""
    if not notification_id:
        return None
    return db.scalar(select(Notification.created_at).where(Notification.id == notification_id,
                                                           Notification.user_id == user_id))


def created_since(db: Session, user_id: str, since: dt.datetime, sent: set[str],
                  limit: int = 200) -> list[NotificationOut]:
    """Oldest first, leaving out those already sent. The stream asks with a look-back: a row committed
    late (its transaction began earlier) or with the same timestamp as the last one is never missed."""
    query = select(Notification).where(Notification.user_id == user_id, Notification.created_at >= since)
    if sent:
        query = query.where(Notification.id.not_in(sent))
    notes = list(db.scalars(query.order_by(Notification.created_at, Notification.id).limit(limit)))
    return _out(db, notes)


def mark_read(db: Session, user_id: str, notification_id: str, now: dt.datetime) -> NotificationOut:
    note = db.scalars(select(Notification).where(Notification.id == notification_id,
                                                 Notification.user_id == user_id)).first()
    if note is None:
        raise ApiError(404, "notification_not_found", "no such notification")
    if note.read_at is None:
        note.read_at = now
        db.flush()
    return _out(db, [note])[0]


def mark_all_read(db: Session, user_id: str, now: dt.datetime) -> int:
    result = db.execute(update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
                        .values(read_at=now).execution_options(synchronize_session=False))
    return result.rowcount or 0


def preferences(db: Session, user_id: str) -> PreferencesOut:
    chosen = {p.kind: p for p in db.scalars(select(NotificationPreference)
                                            .where(NotificationPreference.user_id == user_id))}
    kinds = []
    for kind in KINDS:
        default = default_channels(kind)
        p = chosen.get(kind)
        kinds.append(KindChoice(kind=kind, push=p.push if p else default.push,
                                sms=(p.sms if p else default.sms) and kind in SMS_KINDS))
    start, end = quiet_hours_of(db, user_id)
    muted = set(db.scalars(select(PersonMute.person_id).where(PersonMute.user_id == user_id)))
    people = [PersonMuteOut(id=m.person_id, full_name=m.person.full_name, muted=m.person_id in muted)
              for m in family_of(db, user_id)]
    return PreferencesOut(kinds=kinds, quiet_start=format_hhmm(start), quiet_end=format_hhmm(end), people=people)


def set_preferences(db: Session, user_id: str, body: PreferencesIn) -> PreferencesOut:
    """Checked whole before anything is written: a bad field changes nothing."""
    for choice in body.kinds or []:
        if choice.kind not in KINDS:
            raise ApiError(422, "unknown_kind", f"unknown notification kind {choice.kind!r}", fields=["kinds"])
        if choice.sms and choice.kind not in SMS_KINDS:
            raise ApiError(422, "sms_not_offered", "SMS is only sent for reminders", fields=["kinds"])
    start, end = quiet_hours_of(db, user_id)
    try:
        start = parse_hhmm(body.quiet_start) if body.quiet_start is not None else start
        end = parse_hhmm(body.quiet_end) if body.quiet_end is not None else end
    except ValueError as exc:
        raise ApiError(422, "quiet_hours_invalid", str(exc), fields=["quiet_start", "quiet_end"]) from None
    family = {m.person_id for m in family_of(db, user_id)}
    if body.muted_people is not None and not set(body.muted_people) <= family:
        raise ApiError(422, "person_not_in_family", "you can only mute people in your family", fields=["muted_people"])

    for choice in body.kinds or []:
        row = db.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user_id,
                                                              NotificationPreference.kind == choice.kind)).first()
        if row is None:
            db.add(NotificationPreference(user_id=user_id, kind=choice.kind, push=choice.push, sms=choice.sms))
        else:
            row.push, row.sms = choice.push, choice.sms
    settings = db.get(NotificationSettings, user_id)
    if settings is None:
        db.add(NotificationSettings(user_id=user_id, quiet_start=start, quiet_end=end))
    else:
        settings.quiet_start, settings.quiet_end = start, end
    if body.muted_people is not None:
        db.execute(delete(PersonMute).where(PersonMute.user_id == user_id))
        for person_id in dict.fromkeys(body.muted_people):
            db.add(PersonMute(user_id=user_id, person_id=person_id))
    db.flush()
    return preferences(db, user_id)


def register_device(db: Session, user_id: str, session_id: str, token: str, platform: str,
                    now: dt.datetime) -> None:
    """A token moves with its phone: registered again by another user (or session), it is theirs now."""
    row = db.scalars(select(DeviceToken).where(DeviceToken.token == token)).first()
    if row is None:
        db.add(DeviceToken(user_id=user_id, session_id=session_id, token=token, platform=platform, created_at=now))
    else:
        row.user_id, row.session_id, row.platform = user_id, session_id, platform
    db.flush()


def forget_session_devices(db: Session, session_id: str) -> None:
    """Called when a session is signed out: its phone stops receiving this user's pushes."""
    db.execute(delete(DeviceToken).where(DeviceToken.session_id == session_id))


def forget_device(db: Session, user_id: str, token: str) -> None:
    db.execute(delete(DeviceToken).where(DeviceToken.user_id == user_id, DeviceToken.token == token))
