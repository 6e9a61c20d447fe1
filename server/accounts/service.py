"""Linked accounts: consent requests at the provider, the sources they create, and their rules.

The provider's token is a bearer secret that can move the payer's money: it is encrypted at rest,
decrypted only to call the provider, and never returned, raised or logged (log token_ref or ids).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.banks import bank_by_bin
from domain.face_check import face_check_reason
from domain.phone import InvalidPhoneNumber, normalize_phone
from domain.text import fold_ascii, names_match
from domain.wallets import wallet_by_id
from server.accounts import crypto
from server.accounts import revocations
from server.accounts.models import LINKED_STATUSES, LinkRequest, PaymentSource, TokenRevocation
from server.auth.models import User
from server.clock import as_utc
from server.db import new_id
from server.errors import ApiError
from server.idempotency import idempotency_key
from server.payments.gateways import Gateways
from server.payments.models import LIVE_STATES, Payment, ProviderEvent
from server.providers import linking

log = logging.getLogger("dongphi.accounts")

RELINKABLE = ("expired", "revoked")


def _error(http_status: int, code: str, message: str, source_status: str | None = None, **details) -> ApiError:
    """ApiError whose details may carry a "status" (the source's), which ApiError's own argument shadows."""
    exc = ApiError(http_status, code, message, **details)
    if source_status is not None:
        exc.details["status"] = source_status
    return exc


class CallbackRejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


# ---------------------------------------------------------------- presentation
def provider_name(kind: str, provider: str) -> str:
    if kind == "wallet":
        wallet = wallet_by_id(provider)
        return wallet.name if wallet else provider
    bank = bank_by_bin(provider)
    return bank.short_name if bank else provider


def masked(last4: str) -> str:
    return f"•••• {last4}"


def source_out(s: PaymentSource) -> dict:
    return {"id": s.id, "kind": s.kind, "provider": s.provider, "provider_name": provider_name(s.kind, s.provider),
            "account_masked": masked(s.account_last4), "holder_name": s.holder_name,
            "linked_at": as_utc(s.linked_at), "status": s.status, "is_default": s.is_default,
            "name_matches": s.name_matches}


def link_out(db: Session, lr: LinkRequest) -> dict:
    source = db.get(PaymentSource, lr.source_id) if lr.source_id else None
    return {"id": lr.id, "kind": lr.kind, "provider": lr.provider, "provider_name": provider_name(lr.kind, lr.provider),
            "account_masked": masked(lr.account_last4), "state": lr.state, "approve_url": lr.approve_url,
            "expires_at": as_utc(lr.expires_at), "failure_code": lr.failure_code,
            "source": source_out(source) if source else None}


# ---------------------------------------------------------------- validation
def normalize_account(kind: str, provider: str, account_number: str) -> str:
    """The number as the provider wants it: bank digits, or a wallet's mobile number as 0xxxxxxxxx."""
    if kind == "bank":
        bank = bank_by_bin(provider)
        if bank is None or bank.is_wallet:
            raise ApiError(422, "unknown_bank", "choose a bank from the NAPAS list")
        digits = "".join(account_number.split())
        if not (digits.isdigit() and digits.isascii() and 6 <= len(digits) <= 19):
            raise ApiError(422, "account_number_invalid", "a bank account number has 6 to 19 digits")
        return digits
    if kind == "wallet":
        if wallet_by_id(provider) is None:
            raise ApiError(422, "unknown_wallet", "choose one of the listed wallets")
        try:
            return "0" + normalize_phone(account_number).removeprefix("+84")
        except InvalidPhoneNumber:
            raise ApiError(422, "wallet_phone_invalid", "a wallet is linked by its Vietnamese mobile number") from None
    raise ApiError(422, "unknown_kind", "kind must be bank or wallet")


# ---------------------------------------------------------------- reading
def _own_source(db: Session, user_id: str, source_id: str) -> PaymentSource:
    source = db.scalars(select(PaymentSource).where(PaymentSource.id == source_id,
                                                    PaymentSource.user_id == user_id)).first()
    if source is None:
        raise ApiError(404, "source_not_found", "no such linked account")
    return source


def _refresh_source(source: PaymentSource, now: dt.datetime) -> None:
    """A token past its expiry is expired, whatever the provider has said so far."""
    if (source.status in LINKED_STATUSES and source.token_expires_at is not None
            and as_utc(source.token_expires_at) <= now):
        source.status, source.token_cipher = "expired", None
        log.info("source %s: token %s expired", source.id, source.token_ref)


def list_sources(db: Session, user_id: str, now: dt.datetime) -> list[PaymentSource]:
    sources = list(db.scalars(select(PaymentSource).where(PaymentSource.user_id == user_id)
                              .order_by(PaymentSource.is_default.desc(), PaymentSource.linked_at.desc(),
                                        PaymentSource.id)))
    for s in sources:
        _refresh_source(s, now)
    return sources


def get_link(db: Session, user_id: str, link_id: str, now: dt.datetime) -> LinkRequest:
    lr = db.scalars(select(LinkRequest).where(LinkRequest.id == link_id, LinkRequest.user_id == user_id)).first()
    if lr is None:
        raise ApiError(404, "source_not_found", "no such link request")  # one code for anything not yours
    _expire_if_due(lr, now)
    return lr


def _expire_if_due(lr: LinkRequest, now: dt.datetime) -> None:
    if lr.state == "pending" and now >= as_utc(lr.expires_at):
        lr.state, lr.failure_code, lr.completed_at = "expired", "expired", now


# ---------------------------------------------------------------- linking
def provider_post(gw: Gateways, path: str, body: dict) -> dict | None:
    """POST to the linking provider; None when it did not answer usefully (never logs the body)."""
    try:
        data = gw.http.post(f"{gw.settings.link_api}{path}", json=body,
                            timeout=gw.settings.provider_timeout_seconds).json()
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("link provider %s got no answer: %s", path, type(exc).__name__)
        return None
    return data if isinstance(data, dict) else None


def create_link(db: Session, gw: Gateways, user: User, kind: str, provider: str, account_number: str,
                key: str | None) -> tuple[LinkRequest, bool]:
    number = normalize_account(kind, provider, account_number)
    return _start_link(db, gw, user, kind, provider, number, key)


def _start_link(db: Session, gw: Gateways, user: User, kind: str, provider: str, number: str,
                key: str | None) -> tuple[LinkRequest, bool]:
    s = gw.settings
    fp = crypto.fingerprint(s, number)
    key = idempotency_key(key, required=False)
    if key is not None and (existing := _replay(db, user.id, key, kind, provider, fp)) is not None:
        _expire_if_due(existing, gw.now)
        return existing, False
    linked = db.scalars(select(PaymentSource).where(
        PaymentSource.user_id == user.id, PaymentSource.kind == kind, PaymentSource.provider == provider,
        PaymentSource.account_fingerprint == fp, PaymentSource.status.in_(LINKED_STATUSES))).first()
    if linked is not None:
        raise _error(409, "source_already_linked", "this account is already linked", source_id=linked.id)

    link_id = new_id()
    body = linking.create_request(
        partner_code=s.link_partner_code, secret_key=s.link_secret_key, request_id=link_id, source_type=kind,
        provider_code=provider, account_number=number, customer_name=fold_ascii(user.full_name or ""),
        redirect_url=s.url(f"/providers/link/return?link={link_id}"), ipn_url=s.url("/providers/link/ipn"))
    data = provider_post(gw, "/v1/link/create", body)
    if data is None:
        raise ApiError(502, "provider_unavailable", "the bank or wallet did not answer; try again")
    if not linking.verify(data, linking.CREATE_RESPONSE_FIELDS, s.link_secret_key):
        log.error("link create %s: answer with a bad signature ignored", link_id)
        raise ApiError(502, "provider_unavailable", "the bank or wallet did not answer; try again")
    if data.get("resultCode") != linking.SUCCESS or not data.get("approveUrl") or not data.get("linkId"):
        log.warning("link create %s refused: %s", link_id, data.get("resultCode"))
        raise ApiError(502, "provider_refused", "the bank or wallet refused the link request",
                       result_code=data.get("resultCode"))
    lr = LinkRequest(id=link_id, user_id=user.id, kind=kind, provider=provider, account_fingerprint=fp,
                     account_last4=number[-4:], account_cipher=crypto.encrypt(s, number), state="pending",
                     provider_link_id=str(data["linkId"]), approve_url=str(data["approveUrl"]),
                     created_at=gw.now, expires_at=gw.now + dt.timedelta(seconds=s.link_request_ttl_seconds),
                     idempotency_key=key)
    db.add(lr)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()  # a twin with the same key won the insert: answer with its request
        if key is not None and (existing := _replay(db, user.id, key, kind, provider, fp)) is not None:
            return existing, False
        raise
    log.info("link request %s for user %s at %s/%s started", lr.id, user.id, kind, provider)
    return lr, True


def _replay(db: Session, user_id: str, key: str, kind: str, provider: str, fp: str) -> LinkRequest | None:
    existing = db.scalars(select(LinkRequest).where(LinkRequest.user_id == user_id,
                                                    LinkRequest.idempotency_key == key)).first()
    if existing is not None and (existing.kind, existing.provider,
                                 existing.account_fingerprint) != (kind, provider, fp):
        raise ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used for a different account")
    return existing


def relink(db: Session, gw: Gateways, user: User, source_id: str, key: str | None) -> tuple[LinkRequest, bool]:
    source = _own_source(db, user.id, source_id)
    _refresh_source(source, gw.now)
    if source.status not in RELINKABLE:
        raise _error(409, "source_not_relinkable", "only an expired or revoked account is linked again",
                       source_status=source.status)
    number = crypto.decrypt(gw.settings, source.account_cipher)
    if number is None:
        log.error("source %s: stored account number cannot be decrypted", source.id)
        raise _error(409, "source_not_relinkable", "link this account again from the start",
                     source_status=source.status)
    return _start_link(db, gw, user, source.kind, source.provider, number, key)


def confirm_name(db: Session, user_id: str, source_id: str, now: dt.datetime) -> PaymentSource:
    source = _own_source(db, user_id, source_id)
    _refresh_source(source, now)
    if source.status == "needs_name_confirmation":
        source.status = "active"
        log.info("source %s: holder name confirmed by the payer", source.id)
    elif source.status != "active":
        raise _error(409, "source_not_active", f"a {source.status} account cannot be confirmed",
                       source_status=source.status)
    db.flush()
    return source


def make_default(db: Session, user_id: str, source_id: str, now: dt.datetime) -> PaymentSource:
    source = _own_source(db, user_id, source_id)
    _refresh_source(source, now)
    if source.status != "active":
        raise _error(409, "source_not_active", f"a {source.status} account cannot be the default",
                       source_status=source.status)
    for other in db.scalars(select(PaymentSource).where(PaymentSource.user_id == user_id,
                                                        PaymentSource.id != source.id,
                                                        PaymentSource.is_default.is_(True))):
        other.is_default = False
    source.is_default = True
    db.flush()
    return source


def unlink(db: Session, gw: Gateways, user_id: str, source_id: str) -> None:
    source = _own_source(db, user_id, source_id)
    if source.token_cipher:
        # The account leaves the payer's list now; a token the provider did not let go is revoked later.
        revoke_or_queue(db, gw, source.token_cipher, source.token_ref, source.token_expires_at)
    was_default = source.is_default
    db.delete(source)
    db.flush()
    if was_default:
        successor = db.scalars(select(PaymentSource).where(PaymentSource.user_id == user_id,
                                                           PaymentSource.status == "active")
                               .order_by(PaymentSource.linked_at.desc())).first()
        if successor is not None:
            successor.is_default = True
    log.info("source %s unlinked by user %s", source_id, user_id)


def revoke_or_queue(db: Session, gw: Gateways, token_cipher: str, token_ref: str | None,
                    expires_at: dt.datetime | None) -> None:
    """Revoke a token we are letting go of; when the provider does not confirm, keep it (encrypted) for
    the background jobs to revoke (server.accounts.revocations): a live token is never just forgotten."""
    token = crypto.decrypt(gw.settings, token_cipher)
    if token and revoke_at_provider(gw, token, token_ref):
        return
    db.add(TokenRevocation(token_ref=token_ref, token_cipher=token_cipher, token_expires_at=expires_at,
                           created_at=gw.now, next_attempt_at=gw.now + revocations.FIRST_RETRY))


def revoke_at_provider(gw: Gateways, token: str, token_ref: str | None) -> bool:
    """Best effort: the provider forgets the token. Logged (by token_ref) when it did not answer."""
    s = gw.settings
    body = linking.revoke_request(partner_code=s.link_partner_code, secret_key=s.link_secret_key,
                                  request_id=secrets.token_hex(8), token=token)
    data = provider_post(gw, "/v1/token/revoke", body)
    # 4001: the provider no longer knows the token (revoked or expired already): nothing left to revoke.
    ok = (data is not None and linking.verify(data, linking.REVOKE_RESPONSE_FIELDS, s.link_secret_key)
          and data.get("resultCode") in (linking.SUCCESS, linking.TOKEN_INVALID))
    if not ok:
        log.warning("revoking token %s at the provider failed; it stays valid there until revoked", token_ref)
    return ok


# ---------------------------------------------------------------- provider callbacks
def _first_time(db: Session, gw: Gateways, key: str, outcome: str, body: dict) -> bool:
    db.add(ProviderEvent(provider="link", event_key=key[:120], payment_id=None, received_at=gw.now, outcome=outcome,
                         body=json.dumps(linking.redacted(body), ensure_ascii=False)[:4000]))
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        return False
    return True


def _parse_time(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def handle_ipn(db: Session, gw: Gateways, body: dict) -> tuple[int, dict]:
    """Apply one signed callback: (HTTP status, reply). Raises CallbackRejected for what is not ours."""
    s = gw.settings
    if not linking.verify(body, linking.IPN_FIELDS, s.link_secret_key):
        log.warning("link callback with a bad signature rejected: event %s link %s ref %s",
                    str(body.get("event"))[:16], str(body.get("linkId"))[:64], str(body.get("tokenRef"))[:64])
        raise CallbackRejected(400, "bad signature")
    if body.get("partnerCode") != s.link_partner_code:
        raise CallbackRejected(400, "wrong partner")
    event = body.get("event")
    if event not in linking.EVENTS:
        raise CallbackRejected(400, "unknown event")
    link_id, token_ref = str(body.get("linkId") or ""), str(body.get("tokenRef") or "")
    if event == "revoked" or (event == "expired" and not link_id):
        return _token_ended(db, gw, event, token_ref, body)
    lr = db.scalars(select(LinkRequest).where(LinkRequest.provider_link_id == link_id)).first()
    if lr is None or (body.get("requestId") and body.get("requestId") != lr.id):
        raise CallbackRejected(404, "unknown link")
    if not _first_time(db, gw, f"{event}:{link_id}:{token_ref}", event, body):
        return 200, {"status": "duplicate"}
    lr = db.get(LinkRequest, lr.id)  # after a possible rollback in _first_time
    _expire_if_due(lr, gw.now)
    if event == "linked":
        return _linked(db, gw, lr, body)
    if lr.state == "pending":
        lr.state, lr.failure_code, lr.completed_at = event, event, gw.now
        log.info("link request %s %s at the provider", lr.id, event)
    return 200, {"status": "applied", "state": lr.state}


def _linked(db: Session, gw: Gateways, lr: LinkRequest, body: dict) -> tuple[int, dict]:
    s = gw.settings
    token, token_ref = body.get("token"), str(body.get("tokenRef") or "")
    if lr.state in ("declined", "expired"):
        # Consent came too late (or after a refusal): no source; the provider must forget the token.
        log.warning("link request %s is %s: linked callback refused, token %s revoked", lr.id, lr.state, token_ref)
        if isinstance(token, str) and token:
            revoke_or_queue(db, gw, crypto.encrypt(s, token), token_ref, _parse_time(body.get("tokenExpiresAt")))
        return 409, {"status": "refused", "state": lr.state}
    if lr.state == "approved":
        return 200, {"status": "duplicate"}
    if not isinstance(token, str) or not token or not token_ref:
        raise CallbackRejected(400, "linked without a token")
    user = db.get(User, lr.user_id)
    source = db.scalars(select(PaymentSource).where(
        PaymentSource.user_id == lr.user_id, PaymentSource.kind == lr.kind, PaymentSource.provider == lr.provider,
        PaymentSource.account_fingerprint == lr.account_fingerprint)).first()
    if source is None:
        source = PaymentSource(user_id=lr.user_id, kind=lr.kind, provider=lr.provider,
                               account_fingerprint=lr.account_fingerprint, is_default=False)
        db.add(source)
    holder = str(body.get("holderName") or "")[:120]
    matches = names_match(holder, user.full_name if user else "")
    source.account_last4 = lr.account_last4
    source.account_cipher = lr.account_cipher
    source.holder_name = holder
    if source.token_cipher and source.token_ref != token_ref[:64]:
        # Linked again while an older token still stands (two consents at once): that one goes.
        revoke_or_queue(db, gw, source.token_cipher, source.token_ref, source.token_expires_at)
    source.token_cipher = crypto.encrypt(s, token)
    source.token_ref = token_ref[:64]
    source.token_expires_at = _parse_time(body.get("tokenExpiresAt"))
    source.name_matches = matches
    source.status = "active" if matches else "needs_name_confirmation"
    source.linked_at = gw.now
    db.flush()
    has_default = db.scalars(select(PaymentSource.id).where(PaymentSource.user_id == lr.user_id,
                                                           PaymentSource.is_default.is_(True))).first()
    if has_default is None:
        source.is_default = True
    lr.state, lr.source_id, lr.completed_at, lr.failure_code = "approved", source.id, gw.now, None
    db.flush()
    log.info("link request %s approved: source %s token %s (%s)", lr.id, source.id, source.token_ref, source.status)
    return 200, {"status": "applied", "state": "approved"}


def _token_ended(db: Session, gw: Gateways, event: str, token_ref: str, body: dict) -> tuple[int, dict]:
    if not token_ref:
        raise CallbackRejected(400, "no tokenRef")
    if not _first_time(db, gw, f"{event}::{token_ref}", event, body):
        return 200, {"status": "duplicate"}
    sources = list(db.scalars(select(PaymentSource).where(PaymentSource.token_ref == token_ref)))
    for source in sources:
        source.status, source.token_cipher = event, None
        log.info("source %s: token %s %s at the provider", source.id, token_ref, event)
    return 200, {"status": "applied" if sources else "unknown_token"}


# ---------------------------------------------------------------- paying with a source
def paid_today(db: Session, settings, user_id: str, now: dt.datetime) -> int:
    """What this payer paid, or has in flight, on today's calendar day in Vietnam."""
    tz = ZoneInfo(settings.timezone)
    start = dt.datetime.combine(now.astimezone(tz).date(), dt.time(), tzinfo=tz).astimezone(dt.timezone.utc)
    end = start + dt.timedelta(days=1)
    total = db.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.user_id == user_id, Payment.created_at >= start, Payment.created_at < end,
        Payment.state.in_(("succeeded",) + LIVE_STATES)))
    return int(total or 0)


def face_check(db: Session, settings, user_id: str, amount: int, now: dt.datetime) -> dict:
    from domain.face_check import DAILY_LIMIT, SINGLE_LIMIT

    today = paid_today(db, settings, user_id, now)
    reason = face_check_reason(amount, today)
    return {"reason": reason.value if reason else None, "paid_today": today, "single_limit": SINGLE_LIMIT,
            "daily_limit": DAILY_LIMIT}


def _serialize_payer(db: Session, user_id: str) -> None:
    """One linked payment of a payer at a time, until its transaction commits: two at once would each
    count today's total without the other and could pass the State Bank's daily line together.

    A no-op UPDATE of the payer's row: a row lock on PostgreSQL, the write lock on SQLite (whose
    driver opens the transaction at the first write, so the total read after it is fresh)."""
    db.execute(update(User).where(User.id == user_id).values(id=User.id))


def check_chargeable(db: Session, settings, user_id: str, source_id: str | None, amount: int,
                     now: dt.datetime) -> PaymentSource:
    """Before anything is consumed: the payer's own active source, and no face scan needed."""
    if not source_id:
        raise ApiError(422, "source_required", "choose a linked account to pay with")
    source = _own_source(db, user_id, source_id)
    _refresh_source(source, now)
    if source.status != "active" or not source.token_cipher:
        raise _error(409, "source_not_active", f"this account is {source.status}", source_status=source.status)
    _serialize_payer(db, user_id)
    check = face_check(db, settings, user_id, amount, now)
    if check["reason"] is not None:
        raise _error(409, "face_check_required", "the bank asks for a face scan: pay in the bank's own app",
                       reason=check["reason"], paid_today=check["paid_today"])
    return source


def token_ended(db: Session, source_id: str, now: dt.datetime) -> None:
    """The provider says the token will not pay again (4001): revoked, or expired when past its date."""
    source = db.get(PaymentSource, source_id)
    if source is None:
        return
    expired = source.token_expires_at is not None and as_utc(source.token_expires_at) <= now
    source.status, source.token_cipher = ("expired" if expired else "revoked"), None
    log.info("source %s: token %s refused by the provider (%s)", source.id, source.token_ref, source.status)
