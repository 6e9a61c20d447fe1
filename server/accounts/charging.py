"""Charge a payment on a linked source's token (`/v1/token/pay`) and ask about one that went quiet
(`/v1/token/query`). Called from server.payments.providers (hand_off and resolve, provider "token").

The token is decrypted here, put in the signed request body, and dropped: it is never logged.
"""

from __future__ import annotations

import logging
import secrets

from sqlalchemy.orm import Session

from server.accounts import crypto
from server.accounts import service as accounts
from server.accounts.models import PaymentSource
from server.payments.gateways import Gateways
from server.payments.models import Payment
from server.payments.states import move
from server.providers import linking

log = logging.getLogger("dongphi.payments")


def _post(gw: Gateways, path: str, body: dict) -> dict | None:
    """A signed answer from the token provider, or None (no answer, or a signature that does not hold)."""
    data = accounts.provider_post(gw, path, body)
    if data is None:
        return None
    if not linking.verify(data, linking.PAY_RESPONSE_FIELDS, gw.settings.link_secret_key):
        log.error("token provider %s: answer with a bad signature ignored", path)
        return None
    return data


def charge(db: Session, gw: Gateways, payment: Payment) -> None:
    from server.payments import providers, service

    s = gw.settings
    source = db.get(PaymentSource, payment.source_id) if payment.source_id else None
    token = crypto.decrypt(s, source.token_cipher) if source is not None and source.token_cipher else None
    if token is None:
        service.settle_failure(db, payment, code="source_not_active", nothing_debited=True, source="token",
                               cause="the linked account has no usable token", now=gw.now)
        return
    body = linking.pay_request(partner_code=s.link_partner_code, secret_key=s.link_secret_key,
                               request_id=payment.reference + secrets.token_hex(4), order_id=payment.reference,
                               token=token, amount=payment.amount, order_info=providers.order_info(payment))
    del token
    data = _post(gw, "/v1/token/pay", body)
    if data is None or data.get("orderId") != payment.reference:
        # The provider may or may not have charged: ask later (query), never charge a second time.
        move(db, payment, "unknown", allowed=("created",), source="token", now=gw.now,
             cause="the token charge got no answer")
        return
    _apply(db, gw, payment, data, f"token charge on {source.token_ref}")


def _apply(db: Session, gw: Gateways, payment: Payment, data: dict, what: str) -> None:
    from server.payments import service

    code = data.get("resultCode")
    if code == linking.SUCCESS and data.get("amount") == payment.amount:
        service.settle_success(db, payment, received=payment.amount, provider_txn=str(data.get("transId")),
                               source="token", cause=f"{what}: paid", now=gw.now)
    elif isinstance(code, int) and linking.outcome(code) == "failed":
        service.settle_failure(db, payment, code=linking.failure_code(code), nothing_debited=True, source="token",
                               cause=f"{what}: refused ({code})", now=gw.now)
        if code == linking.TOKEN_INVALID and payment.source_id:
            accounts.token_ended(db, payment.source_id, gw.now)
    else:
        log.warning("payment %s: token answer %s (amount %s) left unknown", payment.id, code, data.get("amount"))
        move(db, payment, "unknown", allowed=("created", "awaiting_payer"), source="token", now=gw.now,
             cause=f"{what}: unclear answer {code}")


def query(gw: Gateways, payment: Payment) -> tuple[str, str, str | None] | None:
    """(outcome, code, transId) like the other providers' queries; None when there was no answer."""
    s = gw.settings
    body = linking.query_request(partner_code=s.link_partner_code, secret_key=s.link_secret_key,
                                 request_id=secrets.token_hex(8), order_id=payment.reference)
    data = _post(gw, "/v1/token/query", body)
    if data is None:
        return None
    code = data.get("resultCode")
    if code == linking.NOT_FOUND:
        return "not_found", "42", None
    if not isinstance(code, int):
        return None
    outcome = linking.outcome(code)
    if outcome == "succeeded" and data.get("amount") != payment.amount:
        return None
    return outcome, (linking.failure_code(code) if outcome == "failed" else str(code)), (
        str(data.get("transId")) if outcome == "succeeded" else None)
