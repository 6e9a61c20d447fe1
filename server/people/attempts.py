"""Failed tries at linking a person (wrong code or birth date), counted per user to stop guessing.

A printed student code leaves only the birth date to guess (a class label gives the year: ~365 dates), so
after `person_match_max_failures` failures within `person_match_window_seconds` a user must wait, and
after `person_match_daily_max_failures` within a day, wait a day: a few dozen guesses a day at most, not
a hundred. Only failures are stored; a success does not erase them.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import DateTime, ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from server.auth.models import User
from server.clock import as_utc
from server.config import Settings
from server.db import Base, new_id
from server.errors import ApiError


class PersonMatchFailure(Base):
    __tablename__ = "person_match_failures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


DAY = dt.timedelta(days=1)


def _window(settings: Settings) -> dt.timedelta:
    return dt.timedelta(seconds=settings.person_match_window_seconds)


def ensure_allowed(db: Session, settings: Settings, user_id: str, now: dt.datetime) -> None:
    """Lock the user's row, then refuse with 429 while too many recent failures stand.

    The no-op UPDATE is a row lock on PostgreSQL and the write lock on SQLite, held until the request's
    transaction ends: two tries at once are counted one after the other, never both against a count of 4.
    """
    db.execute(update(User).where(User.id == user_id).values(id=User.id))
    times = sorted(as_utc(t) for t in db.scalars(select(PersonMatchFailure.failed_at).where(
        PersonMatchFailure.user_id == user_id, PersonMatchFailure.failed_at > now - DAY)))
    waits = [_wait(times, settings.person_match_max_failures, _window(settings), now),
             _wait(times, settings.person_match_daily_max_failures, DAY, now)]
    wait = max(w for w in waits)
    if wait > 0:
        raise ApiError(429, "too_many_attempts", f"too many failed tries: try again in {wait} s",
                       headers={"Retry-After": str(wait)}, retry_after_seconds=wait)


def _wait(times: list[dt.datetime], limit: int, window: dt.timedelta, now: dt.datetime) -> int:
    """Seconds until fewer than `limit` of the sorted failure `times` lie within `window`; 0 when already."""
    recent = [t for t in times if t > now - window]
    if len(recent) < limit:
        return 0
    free_at = recent[len(recent) - limit] + window  # when enough of them have left the window
    return max(1, math.ceil((free_at - now).total_seconds()))


def record_failure(db: Session, settings: Settings, user_id: str, now: dt.datetime) -> None:
    """Count this failure and commit it: the request fails, but the counted try must stay counted."""
    db.execute(delete(PersonMatchFailure).where(
        PersonMatchFailure.user_id == user_id, PersonMatchFailure.failed_at <= now - max(DAY, _window(settings))))
    db.add(PersonMatchFailure(user_id=user_id, failed_at=now))
    db.commit()
