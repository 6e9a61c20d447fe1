"""Hand a payment to its provider and ask providers about payments that went quiet.

Each provider's wire format lives in server/providers/; this module applies their answers to our
payments. Provider calls happen outside a held database write (the payment is committed first).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets

import httpx
from sqlalchemy.orm import Session

from domain import vietqr
from domain.text import fold_ascii
from server.clock import as_utc
from server.institutions.models import Institution
from server.payments import service
from server.payments.gateways import Gateways
from server.payments.models import LIVE_STATES, Payment
from server.payments.states import move
from server.providers import momo, vnpay

log = logging.getLogger("dongphi.payments")

VNPAY_BANK_CODES = {"atm_card": "VNBANK", "intl_card": "INTCARD"}
VNPAY_NO_DEBIT = {"09", "10", "11", "12", "13", "24", "51", "65", "75", "79"}  # refused before any debit


def order_info(payment: Payment) -> str:
    """Gateways want plain ASCII order info (no diacritics, no dashes): the invoice code first."""
    text = fold_ascii(f"Thanh toan {payment.invoice_code} {payment.reason}")
    return re.sub(r"[^0-9A-Za-z ./:,()-]+", "-", text)[:255]


def hand_off(db: Session, gw: Gateways, payment: Payment, institution: Institution) -> None:
    {"vietqr": _vietqr, "vnpay": _vnpay, "momo": _momo, "token": _token}[payment.provider](db, gw, payment,
                                                                                          institution)
    db.refresh(payment)


def _token(db: Session, gw: Gateways, payment: Payment, institution: Institution) -> None:
    from server.accounts import charging  # a linked account's token: charged at once, no checkout page

    charging.charge(db, gw, payment)


def _vietqr(db: Session, gw: Gateways, payment: Payment, institution: Institution) -> None:
    account = institution.accounts[0]
    content = payment.invoice_code  # 62/01 and 62/08: what the bank feed will show us
    payload = vietqr.build(account.bank_bin, account.account_number, amount=payment.amount,
                           purpose=content, bill_number=payment.invoice_code)
    bank_app = gw.settings.url(f"/sandbox/bank?payment={payment.id}") if gw.settings.sandbox_enabled else None
    move(db, payment, "awaiting_payer", allowed=("created",), source="vietqr", now=gw.now,
         cause=f"VietQR to {account.bank_bin}/{account.account_number}", qr_payload=payload,
         transfer_content=content, account_bin=account.bank_bin, account_number=account.account_number,
         account_holder=account.holder_name, deeplink=None, pay_url=bank_app)


def _vnpay(db: Session, gw: Gateways, payment: Payment, institution: Institution) -> None:
    s = gw.settings
    url = vnpay.pay_url(
        s.vnpay_pay_endpoint, tmn_code=s.vnpay_tmn_code, secret=s.vnpay_hash_secret, txn_ref=payment.reference,
        amount=payment.amount, order_info=order_info(payment), return_url=s.url("/providers/vnpay/return"),
        ip_addr="127.0.0.1", created=payment.created_at, expires=payment.expires_at,
        bank_code=VNPAY_BANK_CODES.get(payment.method),
    )
    move(db, payment, "awaiting_payer", allowed=("created",), source="vnpay", now=gw.now,
         cause="signed VNPay checkout URL issued", pay_url=url)


def _momo(db: Session, gw: Gateways, payment: Payment, institution: Institution) -> None:
    s = gw.settings
    body = momo.create_request(
        partner_code=s.momo_partner_code, access_key=s.momo_access_key, secret_key=s.momo_secret_key,
        request_id=payment.reference + secrets.token_hex(4), order_id=payment.reference, amount=payment.amount,
        order_info=order_info(payment), redirect_url=s.url("/providers/momo/return"),
        ipn_url=s.url("/providers/momo/ipn"),
    )
    try:
        response = gw.http.post(f"{s.momo_api}/v2/gateway/api/create", json=body,
                                timeout=s.provider_timeout_seconds)
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        # No answer: MoMo may or may not have the order. Ask later (query), never create a second one.
        log.warning("MoMo create for %s got no answer: %s", payment.id, exc)
        move(db, payment, "unknown", allowed=("created",), source="momo", now=gw.now,
             cause=f"MoMo did not answer the create request: {type(exc).__name__}")
        return
    code = data.get("resultCode")
    if code == 0 and data.get("payUrl"):
        move(db, payment, "awaiting_payer", allowed=("created",), source="momo", now=gw.now,
             cause="MoMo order created", pay_url=data["payUrl"], deeplink=data.get("deeplink"))
    else:
        move(db, payment, "failed", allowed=("created",), source="momo", now=gw.now, nothing_debited=True,
             failure_code=str(code), cause=f"MoMo refused the order: {code} {data.get('message', '')}"[:300])


def resolve(db: Session, gw: Gateways, payment: Payment) -> None:
    """A payment past its expiry or in `unknown`: ask the provider, then settle, expire or stay unknown."""
    if payment.provider == "vietqr":
        # Nothing to ask: a transfer that arrives later is still applied by the bank feed.
        move(db, payment, "expired", allowed=LIVE_STATES, source="system", now=gw.now,
             cause="VietQR payment window ended without a transfer", failure_code="expired")
        return
    if payment.provider == "token":
        from server.accounts import charging

        answer = charging.query(gw, payment)
    else:
        answer = _query_vnpay(gw, payment) if payment.provider == "vnpay" else _query_momo(gw, payment)
    if answer is None:
        move(db, payment, "unknown", allowed=("created", "awaiting_payer"), source="system", now=gw.now,
             cause=f"{payment.provider} query got no answer")
        return
    outcome, code, txn = answer
    if outcome == "succeeded":
        service.settle_success(db, payment, received=payment.amount, provider_txn=txn, source=payment.provider,
                               cause=f"{payment.provider} query: paid", now=gw.now)
    elif outcome == "failed":
        service.settle_failure(db, payment, code=code, nothing_debited=True, source=payment.provider,
                               cause=f"{payment.provider} query: failed ({code})", now=gw.now)
    elif outcome == "not_found" or gw.now >= _grace(payment):
        move(db, payment, "expired", allowed=LIVE_STATES, source=payment.provider, now=gw.now, nothing_debited=True,
             failure_code="expired", cause=f"{payment.provider} query: no payment was made before expiry")
    # else: still pending at the provider; ask again on the next look


def _grace(payment: Payment) -> dt.datetime:
    return as_utc(payment.expires_at) + dt.timedelta(minutes=5)


def _query_vnpay(gw: Gateways, payment: Payment) -> tuple[str, str, str | None] | None:
    s = gw.settings
    body = vnpay.querydr_request(
        tmn_code=s.vnpay_tmn_code, secret=s.vnpay_hash_secret, request_id=secrets.token_hex(8),
        txn_ref=payment.reference, transaction_date=vnpay.vn_time(payment.created_at), now=gw.now,
        ip_addr="127.0.0.1", order_info=f"Query {payment.reference}",
    )
    try:
        data = gw.http.post(s.vnpay_api_endpoint, json=body, timeout=s.provider_timeout_seconds).json()
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("VNPay querydr for %s got no answer: %s", payment.id, exc)
        return None
    if not isinstance(data, dict) or not vnpay.verify_query_response(data, s.vnpay_hash_secret):
        log.error("VNPay querydr for %s: bad signature, ignored", payment.id)
        return None
    if data.get("vnp_ResponseCode") == "91":  # transaction not found
        return "not_found", "91", None
    if data.get("vnp_ResponseCode") != "00":
        return None
    status = data.get("vnp_TransactionStatus")
    if status == "00" and vnpay.amount_of(data) == payment.amount:
        return "succeeded", "00", data.get("vnp_TransactionNo")
    if status in ("01",):
        return "pending", status, None
    return "failed", data.get("vnp_TransactionStatus") or "99", None


def _query_momo(gw: Gateways, payment: Payment) -> tuple[str, str, str | None] | None:
    s = gw.settings
    body = momo.query_request(partner_code=s.momo_partner_code, access_key=s.momo_access_key,
                              secret_key=s.momo_secret_key, request_id=secrets.token_hex(8),
                              order_id=payment.reference)
    try:
        data = gw.http.post(f"{s.momo_api}/v2/gateway/api/query", json=body, timeout=s.provider_timeout_seconds).json()
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("MoMo query for %s got no answer: %s", payment.id, exc)
        return None
    if not isinstance(data, dict) or not momo.verify(data, momo.QUERY_RESPONSE_FIELDS, s.momo_access_key,
                                                     s.momo_secret_key):
        log.error("MoMo query for %s: bad signature, ignored", payment.id)
        return None
    code = data.get("resultCode")
    if code == 42:  # order not found
        return "not_found", "42", None
    if not isinstance(code, int):
        return None
    outcome = momo.outcome(code)
    if outcome == "succeeded" and data.get("amount") != payment.amount:
        return None
    return outcome, str(code), str(data.get("transId")) if outcome == "succeeded" else None
