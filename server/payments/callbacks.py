"""Provider callbacks: each verified, checked in the documented order, applied at most once."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.bills.models import Bill
from server.institutions.models import CollectionAccount, Institution
from server.payments import service
from server.payments.gateways import Gateways
from server.payments.models import LIVE_STATES, Payment, ProviderEvent
from server.payments.service import LATE_STATES
from server.payments.states import record
from server.providers import bankfeed, momo, vnpay

log = logging.getLogger("dongphi.callbacks")


def _first_time(db: Session, gw: Gateways, provider: str, key: str, payment_id: str | None, outcome: str,
                body: str) -> bool:
    """Insert the event's key; a repeat (even a concurrent one) hits the unique key and returns False."""
    db.add(ProviderEvent(provider=provider, event_key=key[:120], payment_id=payment_id, received_at=gw.now,
                         outcome=outcome, body=body[:4000]))
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        return False
    return True


def vnpay_ipn(db: Session, gw: Gateways, params: dict[str, str]) -> dict[str, str]:
    def reply(code: str) -> dict[str, str]:
        return {"RspCode": code, "Message": vnpay.RSP_MESSAGES[code]}

    s = gw.settings
    if not vnpay.verify(params, s.vnpay_hash_secret):
        log.warning("VNPay IPN with a bad checksum rejected: %s", params.get("vnp_TxnRef"))
        return reply(vnpay.RSP_BAD_CHECKSUM)
    payment = db.scalars(select(Payment).where(Payment.reference == params.get("vnp_TxnRef", ""),
                                               Payment.provider == "vnpay")).first()
    if payment is None:
        return reply(vnpay.RSP_NOT_FOUND)
    if vnpay.amount_of(params) != payment.amount:
        log.error("VNPay IPN amount %s differs from payment %s (%s)", params.get("vnp_Amount"), payment.id,
                  payment.amount)
        record(db, payment, payment.state, "vnpay", f"IPN rejected: amount {params.get('vnp_Amount')} "
               f"(x100) does not match {payment.amount}", gw.now)
        return reply(vnpay.RSP_BAD_AMOUNT)
    success = vnpay.succeeded(params)
    pending = payment.state in LIVE_STATES or (success and payment.state in LATE_STATES)
    if not pending:
        return reply(vnpay.RSP_ALREADY)
    key = f"{payment.reference}:{params.get('vnp_TransactionNo', '')}:{params.get('vnp_ResponseCode', '')}"
    if not _first_time(db, gw, "vnpay", key, payment.id, "success" if success else "failure",
                       json.dumps(params, ensure_ascii=False)):
        return reply(vnpay.RSP_ALREADY)
    code = params.get("vnp_ResponseCode", "99")
    if success:
        applied = service.settle_success(db, payment, received=payment.amount,
                                         provider_txn=params.get("vnp_TransactionNo"), source="vnpay",
                                         cause="VNPay IPN: paid", now=gw.now)
    else:
        applied = service.settle_failure(db, payment, code=code, nothing_debited=code != "07", source="vnpay",
                                         cause=f"VNPay IPN: response code {code}", now=gw.now)
    return reply(vnpay.RSP_CONFIRMED if applied else vnpay.RSP_ALREADY)


class CallbackRejected(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def momo_ipn(db: Session, gw: Gateways, body: dict) -> None:
    s = gw.settings
    if not momo.verify(body, momo.IPN_FIELDS, s.momo_access_key, s.momo_secret_key):
        raise CallbackRejected(400, "bad signature")
    if body.get("partnerCode") != s.momo_partner_code:
        raise CallbackRejected(400, "wrong partner")
    payment = db.scalars(select(Payment).where(Payment.reference == str(body.get("orderId", "")),
                                               Payment.provider == "momo")).first()
    if payment is None:
        raise CallbackRejected(404, "unknown order")
    if body.get("amount") != payment.amount:
        record(db, payment, payment.state, "momo", f"IPN rejected: amount {body.get('amount')} does not match "
               f"{payment.amount}", gw.now)
        raise CallbackRejected(400, "amount mismatch")
    code = body.get("resultCode")
    outcome = momo.outcome(code) if isinstance(code, int) else "failed"
    if outcome == "pending":
        return
    key = f"{payment.reference}:{body.get('transId', '')}:{code}"
    if not _first_time(db, gw, "momo", key, payment.id, outcome, json.dumps(body, ensure_ascii=False)):
        return
    if outcome == "succeeded":
        service.settle_success(db, payment, received=payment.amount, provider_txn=str(body.get("transId")),
                               source="momo", cause="MoMo IPN: paid", now=gw.now)
    else:
        service.settle_failure(db, payment, code=str(code), nothing_debited=True, source="momo",
                               cause=f"MoMo IPN: result code {code}", now=gw.now)


def bank_feed(db: Session, gw: Gateways, institution_id: str, raw: bytes, signature: str | None) -> dict:
    institution = db.get(Institution, institution_id)
    if institution is None or not institution.feed_secret:
        raise CallbackRejected(404, "unknown institution")
    if not bankfeed.verify(institution.feed_secret, raw, signature):
        log.warning("bank feed for %s with a bad signature rejected", institution_id)
        raise CallbackRejected(401, "bad signature")
    try:
        event = bankfeed.parse(raw)
    except bankfeed.FeedError as exc:
        raise CallbackRejected(422, str(exc)) from exc
    account = db.scalars(select(CollectionAccount).where(
        CollectionAccount.institution_id == institution.id,
        CollectionAccount.account_number == event.account_number)).first()
    bill = _bill_named_in(db, institution.id, event.content) if account else None
    payment = _payment_for_transfer(db, gw, bill, event) if bill else None
    outcome = "applied" if payment else ("unmatched_account" if account is None else "unmatched_content")
    if not _first_time(db, gw, "bankfeed", f"{institution.id}:{event.reference}", payment.id if payment else None,
                       outcome, raw.decode("utf-8", "replace")):
        return {"status": "duplicate"}
    if payment is None:
        log.warning("bank feed %s: %s (content %r) kept for the institution to match", event.reference, outcome,
                    event.content)
        return {"status": outcome}
    service.settle_success(db, payment, received=event.amount, provider_txn=event.reference, source="bankfeed",
                           cause=f"bank transfer {event.reference} of {event.amount}", now=gw.now)
    return {"status": "applied", "payment_id": payment.id}


def _bill_named_in(db: Session, institution_id: str, content: str) -> Bill | None:
    """The bill whose invoice code the transfer note carries (longest code wins: HS1 vs HS12)."""
    bills = db.scalars(select(Bill).where(Bill.institution_id == institution_id, Bill.cancelled.is_(False)))
    named = [b for b in bills if bankfeed.mentions(content, b.invoice_code)]
    return max(named, key=lambda b: len(bankfeed.compact(b.invoice_code)), default=None)


def _payment_for_transfer(db: Session, gw: Gateways, bill: Bill, event: bankfeed.FeedEvent) -> Payment:
    """The bill's VietQR payment waiting for this transfer; or a record of a transfer made without one."""
    waiting = db.scalars(
        select(Payment).where(Payment.bill_id == bill.id, Payment.provider == "vietqr",
                              Payment.state.in_(LIVE_STATES + LATE_STATES))
        .order_by(Payment.live_bill_id.is_(None), Payment.created_at.desc())
    ).first()
    if waiting is not None:
        return waiting
    return service.record_direct_transfer(db, gw, bill, event)
