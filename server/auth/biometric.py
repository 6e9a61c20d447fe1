"""Biometric unlock: the phone keeps a random key behind its biometric prompt; the server knows its hash.

Enrolling needs a fresh confirmation (so only someone who knows the PIN can add biometrics), and the
key belongs to one session: signing that device out ends it too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from server.auth import confirmations
from server.auth.models import AuthSession
from server.auth.pin import lock_user, ensure_not_locked
from server.config import Settings
from server.errors import ApiError


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def enable(db: Session, session: AuthSession, confirmation: str | None, now: dt.datetime) -> str:
    confirmations.consume(db, session.id, confirmation, now)
    key = secrets.token_urlsafe(32)
    session.biometric_key_hash = _hash(key)
    return key


def disable(session: AuthSession) -> None:
    session.biometric_key_hash = None


def verify(db: Session, settings: Settings, session: AuthSession, key: str,
           now: dt.datetime) -> tuple[str, dt.datetime]:
    user = lock_user(db, session.user_id)
    ensure_not_locked(user, now)
    stored = session.biometric_key_hash
    if stored is None or not hmac.compare_digest(stored, _hash(key)):
        raise ApiError(403, "biometric_key_invalid", "biometrics are not set up on this device: use the PIN")
    return confirmations.issue(db, session.id, now, settings.confirmation_ttl_seconds)
