"""Failed tries at linking a person (wrong code or birth date), counted per user to stop guessing.

A printed student code leaves only the birth date to guess (a few thousand likely dates), so after
`person_match_max_failures` failures within `person_match_window_seconds` a user must wait. Only
failures are stored; a success does not erase them.
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


def _window(settings: Settings) -> dt.timedelta:
    return dt.timedelta(seconds=settings.person_match_window_seconds)


def ensure_allowed(db: Session, settings: Settings, user_id: str, now: dt.datetime) -> None:
    """Lock the user's row, then refuse with 429 while too many recent failures stand.

    The no-op UPDATE is a row lock on PostgreSQL and the write lock on SQLite, held until the request's
    transaction ends: two tries at once are counted one after the other, never both against a count of 4.
    """
    db.execute(update(User).where(User.id == user_id).values(id=User.id))
    since = now - _window(settings)
    times = sorted(as_utc(t) for t in db.scalars(select(PersonMatchFailure.failed_at).where(
        PersonMatchFailure.user_id == user_id, PersonMatchFailure.failed_at > since)))
    limit = settings.person_match_max_failures
    if len(times) >= limit:
        # Allowed again when enough of them have left the window to bring the count under the limit.
        free_at = times[len(times) - limit] + _window(settings)
        wait = max(1, math.ceil((free_at - now).total_seconds()))
        raise ApiError(429, "too_many_attempts", f"too many failed tries: try again in {wait} s",
                       headers={"Retry-After": str(wait)}, retry_after_seconds=wait)


def record_failure(db: Session, settings: Settings, user_id: str, now: dt.datetime) -> None:
    """Count this failure and commit it: the request fails, but the counted try must stay counted."""
    db.execute(delete(PersonMatchFailure).where(
        PersonMatchFailure.user_id == user_id, PersonMatchFailure.failed_at <= now - _window(settings)))
    db.add(PersonMatchFailure(user_id=user_id, failed_at=now))
    db.commit()
