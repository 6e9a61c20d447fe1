"""Payment rules: create once per key, one live payment per bill, settle once, never pay a bill twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from domain.banks import bank_by_bin
from server.auth.models import User
from server.bills.models import Bill
from server.clock import as_utc
from server.errors import ApiError
from server.idempotency import idempotency_key
from server.institutions.models import Institution
from server.payments import providers
from server.payments.gateways import Gateways
from server.payments.models import LIVE_STATES, Payment
from server.payments.states import move, record
from server.people.models import FamilyMember
from server.people.service import given_name
from server.students.access import refuse_student

log = logging.getLogger("dongphi.payments")

# Method the payer picks -> provider that carries it (and VNPay's bank code for the card flows).
METHODS = {"vietqr": "vietqr", "atm_card": "vnpay", "intl_card": "vnpay", "momo": "momo"}
# A linked bank account or wallet (server/accounts), charged on its token: not an institution method.
LINKED, TOKEN_PROVIDER = "linked", "token"
LATE_STATES = ("expired", "cancelled")  # money can still arrive after these: it is recorded, never dropped


def methods() -> list[dict]:
    """Institutions bear the fees in the provincial plans; the payer pays exactly the bill."""
    return [{"id": m, "fee": 0} for m in METHODS]


def _fingerprint(bill_id: str, method: str) -> str:
    return hashlib.sha256(f"{bill_id}|{method}".encode()).hexdigest()


def _new_reference() -> str:
    """Order id at the provider: short, unguessable, ASCII, unique (VNPay TxnRef, MoMo orderId)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "DP" + "".join(secrets.choice(alphabet) for _ in range(10))


def _payable_bill(db: Session, user_id: str, bill_id: str, shared: bool) -> tuple[Bill | None, str | None]:
    """The bill and the user's family role on it; `shared`: a pay request already granted this one bill."""
    query = (select(Bill).where(Bill.id == bill_id)
             .options(joinedload(Bill.person), joinedload(Bill.institution).selectinload(Institution.accounts))
             # Locked while a payment is decided: an institution closing the bill at that moment waits.
             .with_for_update(of=Bill).execution_options(populate_existing=True))
    if shared:
        return db.scalars(query).first(), None
    row = db.execute(query.add_columns(FamilyMember.role).join(
        FamilyMember, (FamilyMember.person_id == Bill.person_id) & (FamilyMember.user_id == user_id))).first()
    return (row[0], row[1]) if row else (None, None)


def _family_role(db: Session, user_id: str, bill_id: str) -> str | None:
    return db.scalar(select(FamilyMember.role).join(Bill, Bill.person_id == FamilyMember.person_id)
                     .where(Bill.id == bill_id, FamilyMember.user_id == user_id))


def payment_for_user(db: Session, user_id: str, payment_id: str, acting: bool = False) -> Payment:
    """The user's own payments (also through a pay request) and those on bills of their family; anything
    else looks absent. `acting` (cancel): a viewer may look at the family's payments, not change them."""
    in_family = (select(FamilyMember.id)
                 .where(FamilyMember.person_id == Bill.person_id, FamilyMember.user_id == user_id).exists())
    payment = db.scalars(
        select(Payment).join(Bill, Bill.id == Payment.bill_id)
        .where(Payment.id == payment_id, or_(Payment.user_id == user_id, in_family))
    ).first()
    if payment is None:
        raise ApiError(404, "payment_not_found", "no such payment")
    if acting and payment.user_id != user_id and _family_role(db, user_id, payment.bill_id) != "payer":
        raise ApiError(403, "family_viewer_cannot_pay", "a viewer sees this family's payments but cannot change them")
    return payment


def outsider_view(db: Session, user_id: str, payment: Payment) -> dict:
    """A relative who paid through a pay request sees their payment with the first name and invoice code
    only, as the request showed them; the family sees it whole."""
    if _family_role(db, user_id, payment.bill_id) is not None:
        return {}
    return {"beneficiary_name": given_name(payment.beneficiary_name), "reason": payment.invoice_code}


def live_payment(db: Session, bill_id: str) -> Payment | None:
    return db.scalars(select(Payment).where(Payment.live_bill_id == bill_id)).first()


def _in_progress(payment: Payment) -> ApiError:
    return ApiError(409, "payment_in_progress", "this bill already has a payment in progress",
                    payment_id=payment.id, method=payment.method)


def _replay(db: Session, user_id: str, key: str, fingerprint: str) -> Payment | None:
    existing = db.scalars(select(Payment).where(Payment.user_id == user_id, Payment.idempotency_key == key)).first()
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used for a different payment")
    return existing


def create_payment(db: Session, gw: Gateways, user: User, bill_id: str, method: str,
                   key: str | None, *, source_id: str | None = None, confirmation: str | None = None,
                   session_id: str | None = None, shared: bool = False) -> tuple[Payment, bool]:
    """Returns (payment, created). The same key returns the same payment, however often it is sent.

    `shared`: paid by someone outside the family through a pay request (server/shares), which already
    checked the token that grants this one bill."""
    key = idempotency_key(key, required=True)
    refuse_student(db, user, "student_cannot_pay", "a student account cannot make payments")
    if method not in METHODS and method != LINKED:
        raise ApiError(422, "unknown_method", f"method must be one of {', '.join(METHODS)}")
    fingerprint = _fingerprint(bill_id, method if method != LINKED else f"{method}|{source_id or ''}")
    if (existing := _replay(db, user.id, key, fingerprint)) is not None:
        return existing, False
    bill, role = _payable_bill(db, user.id, bill_id, shared)
    if bill is None:
        raise ApiError(404, "bill_not_found", "no such bill in your family")
    if not shared and role != "payer":
        raise ApiError(403, "family_viewer_cannot_pay", "a viewer sees this person's bills but cannot pay them")
    if bill.cancelled:
        raise ApiError(409, "bill_cancelled", "this bill was cancelled by the institution")
    due = bill.total - bill.amount_paid
    if due <= 0:
        raise ApiError(409, "bill_already_paid", "this bill is already paid")
    if (live := live_payment(db, bill.id)) is not None:
        if (existing := _replay(db, user.id, key, fingerprint)) is not None:
            return existing, False  # the same request, committed by a twin a moment ago
        raise _in_progress(live)

    now = gw.now
    if method == LINKED:
        # Source and face check before the owner's confirmation is spent; the confirmation last.
        from server.accounts import service as accounts
        from server.auth import confirmations

        accounts.check_chargeable(db, gw.settings, user.id, source_id, due, now)
        confirmations.consume(db, session_id or "", confirmation, now)
    institution = bill.institution
    payment = Payment(
        bill_id=bill.id, user_id=user.id, idempotency_key=key, request_fingerprint=fingerprint,
        live_bill_id=bill.id, method=method, provider=METHODS.get(method, TOKEN_PROVIDER), state="created",
        amount=due, fee=0, source_id=source_id if method == LINKED else None,
        payer_name=user.full_name or user.phone, beneficiary_name=bill.person.full_name,
        reason=f"{bill.title} – {bill.period}"[:200], invoice_code=bill.invoice_code,
        reference=_new_reference(), created_at=now, updated_at=now,
        expires_at=now + dt.timedelta(minutes=gw.settings.payment_ttl_minutes),
    )
    db.add(payment)
    try:
        db.flush()
    except IntegrityError:
        # Lost a race: the same key sent twice at once, or another live payment for this bill.
        db.rollback()
        if (existing := _replay(db, user.id, key, fingerprint)) is not None:
            return existing, False
        if (live := live_payment(db, bill_id)) is not None:
            raise _in_progress(live) from None
        raise
    by = "a relative through a pay request" if shared else "the payer"
    record(db, payment, "created", "app", f"created by {by} for {method}", now)
    # Commit before talking to a provider: the payment must exist even if the process dies mid-call.
    db.commit()
    providers.hand_off(db, gw, payment, institution)
    return payment, True


def cancel(db: Session, gw: Gateways, payment: Payment) -> Payment:
    if payment.state not in ("created", "awaiting_payer"):
        raise ApiError(409, "payment_not_cancellable", f"a payment that is {payment.state} cannot be cancelled",
                       state=payment.state)
    # VietQR: no transfer can be recalled, but nothing was taken by us; gateways: the order is abandoned.
    if not move(db, payment, "cancelled", allowed=("created", "awaiting_payer"), source="app",
                cause="cancelled by the payer", now=gw.now, nothing_debited=payment.provider != "vietqr",
                failure_code="cancelled"):
        db.refresh(payment)
        raise ApiError(409, "payment_not_cancellable", f"a payment that is {payment.state} cannot be cancelled",
                       state=payment.state)
    db.refresh(payment)
    return payment


def active_for_user(db: Session, user_id: str) -> list[Payment]:
    return list(db.scalars(
        select(Payment).where(Payment.user_id == user_id, Payment.state.in_(LIVE_STATES))
        .order_by(Payment.created_at.desc())
    ))


def settle_success(db: Session, payment: Payment, *, received: int, provider_txn: str | None, source: str,
                   cause: str, now: dt.datetime) -> bool:
    """Money reached the institution: mark the payment and the bill, once; flag any excess for refund."""
    if not move(db, payment, "succeeded", allowed=LIVE_STATES + LATE_STATES, source=source, cause=cause, now=now,
                received_amount=received, provider_txn=provider_txn, settled_at=now, failure_code=None,
                nothing_debited=False):
        return False
    bill = db.scalars(select(Bill).where(Bill.id == payment.bill_id).with_for_update()).one()
    db.refresh(bill)
    due = max(bill.total - bill.amount_paid, 0)
    applied = min(received, due)
    bill.amount_paid += applied
    excess = received - applied
    if received < payment.amount and applied == received:
        record(db, payment, "succeeded", source, f"partially paid: received {received} of {payment.amount}", now)
    if applied == 0:
        move(db, payment, "refund_pending", allowed=("succeeded",), source="system", now=now, refund_amount=received,
             cause="bill was already paid by another payment: the whole amount is flagged for refund")
        log.warning("payment %s succeeded on an already paid bill %s: refund %s", payment.id, bill.id, received)
    elif excess > 0:
        payment.refund_amount = excess
        record(db, payment, "succeeded", "system", f"overpaid by {excess}: the excess is flagged for refund", now)
        db.flush()
        from server.notifications.triggers import refund_due
        refund_due(db, payment, now)
        log.warning("payment %s overpaid bill %s by %s", payment.id, bill.id, excess)
    db.flush()
    return True


def settle_failure(db: Session, payment: Payment, *, code: str, nothing_debited: bool, source: str, cause: str,
                   now: dt.datetime) -> bool:
    return move(db, payment, "failed", allowed=LIVE_STATES, source=source, cause=cause, now=now,
                failure_code=code, nothing_debited=nothing_debited)


def refresh_if_due(db: Session, gw: Gateways, payment: Payment) -> Payment:
    """Past expiry, or unknown: ask the provider (VNPay querydr, MoMo query) before saying anything."""
    if payment.state in LIVE_STATES and (payment.state == "unknown" or gw.now >= as_utc(payment.expires_at)):
        providers.resolve(db, gw, payment)
        db.refresh(payment)
    return payment


def bank_name(bin_: str | None) -> str | None:
    bank = bank_by_bin(bin_) if bin_ else None
    return bank.short_name if bank else None



def record_direct_transfer(db: Session, gw: Gateways, bill: Bill, event) -> Payment:
    """A transfer that names the bill but was made without a payment here (typed by hand, old QR)."""
    payment = Payment(
        bill_id=bill.id, user_id=None, idempotency_key=None, live_bill_id=None, method="vietqr", provider="vietqr",
        state="created", amount=event.amount, payer_name="", beneficiary_name=bill.person.full_name,
        reason=f"{bill.title} – {bill.period}"[:200], invoice_code=bill.invoice_code, reference=_new_reference(),
        transfer_content=event.content[:25], account_number=event.account_number, account_bin=event.bank_bin,
        created_at=gw.now, updated_at=gw.now, expires_at=gw.now,
    )
    db.add(payment)
    db.flush()
    record(db, payment, "created", "bankfeed", f"transfer {event.reference} names this bill; no payment was open",
           gw.now)
    return payment
