"""The app PIN: stored only as an argon2id hash; wrong tries lock it for growing delays, then the SMS code.

Rounds: `pin_max_attempts` wrong tries in a row lock the PIN for `pin_lock_seconds[level]` and raise the
level; the round of wrong tries after the last delay requires a reset with the one-time code. A right
PIN clears the tries and the level. The user row is locked (SELECT … FOR UPDATE) while a try is
checked, and a counted wrong try is committed before the error is raised, so concurrent wrong tries
cannot slip past the limit. The PIN itself is never logged nor returned.
"""

from __future__ import annotations

import datetime as dt
import math

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.pin import pin_problem
from server.auth import confirmations
from server.auth.models import User
from server.auth.service import check_code
from server.clock import as_utc
from server.config import Settings
from server.errors import ApiError

_hasher = PasswordHasher()  # argon2id, the library's (RFC 9106 low-memory) defaults


def hash_pin(pin: str) -> str:
    return _hasher.hash(pin)


def _pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def _check_new_pin(pin: str) -> None:
    problem = pin_problem(pin)
    if problem is not None:
        message = {"pin_format": "the PIN must be exactly 6 digits",
                   "pin_too_simple": "this PIN is too easy to guess: choose another"}[problem.value]
        raise ApiError(422, problem.value, message)


def lock_user(db: Session, user_id: str) -> User:
    # populate_existing: the request already loaded this user without the lock; read it again.
    return db.scalars(
        select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    ).one()


def _set_pin(user: User, pin: str) -> None:
    user.pin_hash = hash_pin(pin)
    user.pin_failed_attempts = 0
    user.pin_lock_level = 0
    user.pin_locked_until = None
    user.pin_reset_required = False


def ensure_not_locked(user: User, now: dt.datetime) -> None:
    """423 while the PIN is locked or needs a reset (PIN and biometric confirmations alike)."""
    if user.pin_reset_required:
        raise ApiError(423, "pin_reset_required", "too many wrong PINs: reset it with a code sent by SMS")
    if user.pin_locked_until is not None and as_utc(user.pin_locked_until) > now:
        wait = math.ceil((as_utc(user.pin_locked_until) - now).total_seconds())
        raise ApiError(423, "pin_locked", f"too many wrong PINs: try again in {wait} s",
                       headers={"Retry-After": str(wait)}, retry_after=wait)


def check_pin(db: Session, settings: Settings, user_id: str, pin: str, now: dt.datetime) -> User:
    """Check a PIN try against the locked user row; count it if wrong. Returns the user when right."""
    user = lock_user(db, user_id)
    if user.pin_hash is None:
        raise ApiError(409, "pin_not_set", "no PIN has been set yet")
    ensure_not_locked(user, now)
    if _pin_matches(user.pin_hash, pin):
        user.pin_failed_attempts = 0
        user.pin_lock_level = 0
        user.pin_locked_until = None
        if _hasher.check_needs_rehash(user.pin_hash):
            user.pin_hash = hash_pin(pin)
        return user
    user.pin_failed_attempts += 1
    left = settings.pin_max_attempts - user.pin_failed_attempts
    error: ApiError
    if left > 0:
        error = ApiError(403, "pin_wrong", f"wrong PIN, {left} tries left", attempts_left=left)
    else:
        user.pin_failed_attempts = 0
        delays = settings.pin_lock_seconds
        if user.pin_lock_level < len(delays):
            wait = int(delays[user.pin_lock_level])
            user.pin_lock_level += 1
            user.pin_locked_until = now + dt.timedelta(seconds=wait)
            error = ApiError(423, "pin_locked", f"too many wrong PINs: try again in {wait} s",
                             headers={"Retry-After": str(wait)}, retry_after=wait)
        else:
            user.pin_reset_required = True
            user.pin_locked_until = None
            error = ApiError(423, "pin_reset_required", "too many wrong PINs: reset it with a code sent by SMS")
    db.commit()  # the counted try stays counted although the request fails
    raise error


def set_pin(db: Session, settings: Settings, user_id: str, pin: str, current_pin: str | None,
            now: dt.datetime) -> None:
    _check_new_pin(pin)  # before anything is counted
    user = lock_user(db, user_id)
    if user.pin_hash is not None:
        if not current_pin:
            raise ApiError(400, "pin_current_required", "enter the current PIN to change it")
        check_pin(db, settings, user_id, current_pin, now)
    _set_pin(user, pin)


def verify(db: Session, settings: Settings, user_id: str, session_id: str, pin: str,
           now: dt.datetime) -> tuple[str, dt.datetime]:
    check_pin(db, settings, user_id, pin, now)
    return confirmations.issue(db, session_id, now, settings.confirmation_ttl_seconds)


def reset(db: Session, settings: Settings, user_id: str, code: str, pin: str, now: dt.datetime) -> None:
    """Forgotten or locked PIN: the one-time code sent to the user's own phone allows a new one."""
    _check_new_pin(pin)  # a refused PIN must not spend the code
    user = lock_user(db, user_id)
    check_code(db, settings, user.phone, code, now)
    _set_pin(user, pin)
