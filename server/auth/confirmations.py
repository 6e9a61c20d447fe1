"""Step-up confirmations: proof, given by PIN or biometrics moments ago, that the device's owner is present.

Each one is bound to the session that asked for it, is good for one payment (or one biometric
enrolment) and expires after `confirmation_ttl_seconds`. Only its sha256 hash is stored.

Other areas call `consume()` before an action that needs the owner, e.g. charging a linked account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from server.auth.models import Confirmation
from server.errors import ApiError


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(db: Session, session_id: str, now: dt.datetime, ttl_seconds: int) -> tuple[str, dt.datetime]:
    """A new confirmation for this session: returns the opaque token (shown once) and its expiry."""
    token = secrets.token_urlsafe(32)
    expires_at = now + dt.timedelta(seconds=ttl_seconds)
    db.add(Confirmation(session_id=session_id, token_hash=_hash(token), created_at=now, expires_at=expires_at))
    db.flush()
    return token, expires_at


def consume(db: Session, session_id: str, token: str | None, now: dt.datetime) -> None:
    """Use up a confirmation of this session, or raise 403 confirmation_required / confirmation_invalid.

    One conditional UPDATE (… WHERE used_at IS NULL) spends it, so two concurrent requests cannot
    both use one confirmation on any database. The caller's transaction commits the use together
    with whatever the confirmation authorised (and rolls both back on failure).
    """
    if not token:
        raise ApiError(403, "confirmation_required", "confirm with your PIN or biometrics first")
    spent = db.execute(
        update(Confirmation)
        .where(Confirmation.token_hash == _hash(token), Confirmation.session_id == session_id,
               Confirmation.used_at.is_(None), Confirmation.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        raise ApiError(403, "confirmation_invalid",
                       "this confirmation is used, expired or not this device's: confirm again")
