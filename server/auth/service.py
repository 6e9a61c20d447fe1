"""Sign-in by one-time code, and session tokens. Rules live here; endpoints stay thin."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.phone import InvalidPhoneNumber, normalize_phone
from server.auth.models import AuthSession, OtpChallenge, User
from server.auth.sms import SmsSender
from server.clock import as_utc
from server.config import Settings
from server.errors import ApiError


def _hash_code(secret: str, phone: str, code: str) -> str:
    return hmac.new(secret.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except InvalidPhoneNumber as exc:
        raise ApiError(422, "invalid_phone", f"invalid Vietnamese mobile number: {exc}") from exc


def request_code(db: Session, settings: Settings, sms: SmsSender, raw_phone: str, now: dt.datetime) -> dict:
    phone = parse_phone(raw_phone)
    latest = db.scalars(
        select(OtpChallenge).where(OtpChallenge.phone == phone).order_by(OtpChallenge.created_at.desc()).limit(1)
    ).first()
    # The resend pause protects an open code; once a code was used to sign in, a new sign-in (after
    # signing out) may ask again at once. The hourly cap below still limits abuse.
    if latest is not None and latest.consumed_at is None:
        wait = settings.otp_resend_interval_seconds - (now - as_utc(latest.created_at)).total_seconds()
        if wait > 0:
            raise ApiError(429, "otp_resend_too_soon", f"wait {int(wait) + 1} s before asking for a new code",
                           headers={"Retry-After": str(int(wait) + 1)}, retry_after=int(wait) + 1)
    sent_last_hour = db.scalar(
        select(func.count()).select_from(OtpChallenge)
        .where(OtpChallenge.phone == phone, OtpChallenge.created_at > now - dt.timedelta(hours=1))
    )
    if sent_last_hour >= settings.otp_max_per_hour:
        raise ApiError(429, "otp_too_many_requests", "too many codes requested in the last hour",
                       headers={"Retry-After": "3600"})
    # A new code supersedes every older one for this number.
    for old in db.scalars(select(OtpChallenge).where(OtpChallenge.phone == phone, OtpChallenge.consumed_at.is_(None))):
        old.consumed_at = now
    code = f"{secrets.randbelow(10**6):06d}"
    db.add(OtpChallenge(phone=phone, code_hash=_hash_code(settings.otp_secret, phone, code), created_at=now,
                        expires_at=now + dt.timedelta(seconds=settings.otp_ttl_seconds), attempts=0))
    db.flush()
    # Plain text, no link: scammers imitate links, and banks are forbidden to send them.
    sms.send(phone, f"Ma xac thuc Dong Phi: {code}. Hieu luc 5 phut. Khong dua ma nay cho bat ky ai.")
    return {"phone": phone, "expires_in": settings.otp_ttl_seconds,
            "resend_after": settings.otp_resend_interval_seconds}


def check_code(db: Session, settings: Settings, phone: str, code: str, now: dt.datetime) -> None:
    """Spend the one-time code sent to this (normalised) number, or raise an otp_* error.

    Sign-in and the PIN reset share these rules. A wrong try is committed even though the request fails.
    """
    challenge = db.scalars(
        select(OtpChallenge)
        .where(OtpChallenge.phone == phone, OtpChallenge.consumed_at.is_(None))
        .order_by(OtpChallenge.created_at.desc()).limit(1)
        .with_for_update()  # concurrent wrong guesses must not slip past the attempt limit
    ).first()
    if challenge is None:
        raise ApiError(400, "otp_not_requested", "no active code for this number: request a new one")
    if as_utc(challenge.expires_at) <= now:
        challenge.consumed_at = now
        db.commit()
        raise ApiError(400, "otp_expired", "the code has expired: request a new one")
    if challenge.attempts >= settings.otp_max_attempts:
        raise ApiError(429, "otp_too_many_attempts", "too many wrong codes: request a new one")
    if not hmac.compare_digest(challenge.code_hash, _hash_code(settings.otp_secret, phone, code)):
        challenge.attempts += 1
        left = settings.otp_max_attempts - challenge.attempts
        if left <= 0:
            challenge.consumed_at = now
        # Commit the counted attempt even though the request fails.
        db.commit()
        if left <= 0:
            raise ApiError(429, "otp_too_many_attempts", "too many wrong codes: request a new one")
        raise ApiError(400, "otp_wrong", f"wrong code, {left} tries left", attempts_left=left)
    challenge.consumed_at = now


def verify_code(db: Session, settings: Settings, raw_phone: str, code: str, device_name: str,
                now: dt.datetime) -> tuple[str, AuthSession, User]:
    phone = parse_phone(raw_phone)
    check_code(db, settings, phone, code, now)
    user = db.scalars(select(User).where(User.phone == phone)).first()
    if user is None:
        user = User(phone=phone, created_at=now)
        db.add(user)
        db.flush()
    token = secrets.token_urlsafe(32)
    session = AuthSession(user_id=user.id, token_hash=hash_token(token), created_at=now, last_used_at=now,
                          expires_at=now + dt.timedelta(seconds=settings.session_ttl_seconds),
                          device_name=device_name[:80])
    db.add(session)
    db.flush()
    return token, session, user


# Recording every request's time would make every request a write: on SQLite each one would queue for the
# single writer, and the idle timeout (minutes) gains nothing from a finer record than this.
TOUCH_EVERY_SECONDS = 15


def authenticate(db: Session, token: str, now: dt.datetime, settings: Settings,
                 touch: bool = True) -> tuple[AuthSession, User]:
    """`touch=False` for requests the app makes by itself (the live stream): they do not keep a
    session alive that nobody uses."""
    session = db.scalars(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
    if session is None or session.revoked_at is not None:
        raise ApiError(401, "unauthorized", "sign in again", headers={"WWW-Authenticate": "Bearer"})
    if as_utc(session.expires_at) <= now:
        raise ApiError(401, "session_expired", "the session has expired: sign in again",
                       headers={"WWW-Authenticate": "Bearer"})
    if (now - as_utc(session.last_used_at)).total_seconds() > settings.session_idle_seconds:
        # Left unused too long: it is over for good, even if the device comes back sooner next time.
        session.revoked_at = now
        db.commit()
        raise ApiError(401, "session_idle", "the session was idle too long: sign in again",
                       headers={"WWW-Authenticate": "Bearer"})
    if touch and (now - as_utc(session.last_used_at)).total_seconds() >= TOUCH_EVERY_SECONDS:
        session.last_used_at = now
    user = db.get(User, session.user_id)
    return session, user


def is_live(session: AuthSession, now: dt.datetime, settings: Settings) -> bool:
    """Not revoked, not expired, not idle: the session would still be let in."""
    return (session.revoked_at is None and as_utc(session.expires_at) > now
            and (now - as_utc(session.last_used_at)).total_seconds() <= settings.session_idle_seconds)


def list_sessions(db: Session, user: User, now: dt.datetime, settings: Settings) -> list[AuthSession]:
    rows = db.scalars(
        select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
    ).all()
    live = [s for s in rows if is_live(s, now, settings)]
    return sorted(live, key=lambda s: as_utc(s.last_used_at), reverse=True)


def revoke_session(db: Session, user: User, session_id: str, now: dt.datetime, settings: Settings) -> None:
    session = db.get(AuthSession, session_id)
    if session is None or session.user_id != user.id or not is_live(session, now, settings):
        raise ApiError(404, "session_not_found", "no such signed-in device")
    session.revoked_at = now
    _forget_devices(db, session.id)


def sign_out(db: Session, session: AuthSession, now: dt.datetime) -> None:
    session.revoked_at = now
    _forget_devices(db, session.id)


def _forget_devices(db: Session, session_id: str) -> None:
    from server.notifications.inbox import forget_session_devices
    forget_session_devices(db, session_id)
