"""Pay requests ("Nhờ người thân trả"): a payer shares one bill with a relative, as a link and a VietQR.

The token is the only key: 256 random bits, stored as a hash, looked up exactly (never by prefix), and
it opens exactly the bill it was made for. What it shows is a fixed short list (schemas.PayRequestPublic);
paying through it goes through the normal payment creation, recorded under the relative's own account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from domain import vietqr
from domain.bills import amount_due
from server.auth.models import User
from server.bills.models import Bill
from server.clock import as_utc
from server.config import Settings
from server.errors import ApiError
from server.institutions.models import Institution
from server.payments import service as payments
from server.payments.gateways import Gateways
from server.payments.models import Payment
from server.people.models import FamilyMember
from server.people.service import given_name
from server.shares.models import PayRequest
from server.shares.schemas import PayRequestOut, PayRequestPublic, PayThroughRequest

TTL_DAYS = 7
MAX_OPEN_PER_BILL = 10
TOKEN_BYTES = 32  # 256 bits; token_urlsafe(32) is 43 characters of [A-Za-z0-9_-]
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
PAID_STATES = ("succeeded", "refund_pending")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def url(settings: Settings, token: str) -> str:
    return settings.url(f"/r/{token}")


def _with_bill(query):
    return query.options(joinedload(PayRequest.bill).options(
        joinedload(Bill.person), joinedload(Bill.institution).selectinload(Institution.accounts)))


def status_of(pr: PayRequest, bill: Bill, now: dt.datetime) -> str:
    if pr.withdrawn_at is not None:
        return "withdrawn"
    if bill.cancelled:
        return "cancelled"
    if bill.amount_paid >= bill.total:
        return "paid"
    if now >= as_utc(pr.expires_at):
        return "expired"
    return "open"


def transfer_qr(bill: Bill) -> str:
    """The VietQR a relative without the app pays by bank transfer: the institution's collection account,
    the amount due and the invoice code as the transfer note — what the bank feed matches a transfer to its
    bill by (payments.callbacks), the same content as the app's own VietQR payment (payments.providers)."""
    account = bill.institution.accounts[0]
    return vietqr.build(account.bank_bin, account.account_number, amount=amount_due(bill.total, bill.amount_paid),
                        purpose=bill.invoice_code, bill_number=bill.invoice_code)


def _family_bill(db: Session, user_id: str, bill_id: str) -> tuple[Bill, str]:
    row = db.execute(
        select(Bill, FamilyMember.role)
        .join(FamilyMember, (FamilyMember.person_id == Bill.person_id) & (FamilyMember.user_id == user_id))
        .where(Bill.id == bill_id)
        .options(joinedload(Bill.person), joinedload(Bill.institution).selectinload(Institution.accounts))
    ).first()
    if row is None:  # someone else's bill and no bill look the same
        raise ApiError(404, "bill_not_found", "no such bill in your family")
    return row[0], row[1]


def _require_payer(role: str) -> None:
    if role != "payer":
        raise ApiError(403, "family_payer_only", "only a payer of this person can ask a relative to pay")


def create(db: Session, user: User, bill_id: str, now: dt.datetime, ttl_days: int) -> tuple[PayRequest, str]:
    """Returns the request and its token (shown this once)."""
    bill, role = _family_bill(db, user.id, bill_id)
    _require_payer(role)
    if bill.cancelled:
        raise ApiError(409, "bill_cancelled", "this bill was cancelled by the institution")
    if amount_due(bill.total, bill.amount_paid) <= 0:
        raise ApiError(409, "bill_already_paid", "this bill is already paid")
    if not bill.institution.accounts:
        raise ApiError(409, "institution_has_no_account", "the institution has no collection account to pay into")
    open_now = db.scalar(select(func.count()).select_from(PayRequest).where(
        PayRequest.bill_id == bill.id, PayRequest.withdrawn_at.is_(None), PayRequest.expires_at > now))
    if open_now >= MAX_OPEN_PER_BILL:
        raise ApiError(409, "too_many_pay_requests",
                       f"at most {MAX_OPEN_PER_BILL} open pay requests per bill: withdraw one first")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    pr = PayRequest(bill_id=bill.id, created_by_user_id=user.id, token_hash=_hash(token), created_at=now,
                    expires_at=now + dt.timedelta(days=ttl_days))
    db.add(pr)
    db.flush()
    pr.bill = bill
    return pr, token


def for_bill(db: Session, user: User, bill_id: str, now: dt.datetime) -> list[PayRequestOut]:
    """Every request of a bill, newest first, for its family (viewers too: they see status)."""
    bill, _role = _family_bill(db, user.id, bill_id)
    rows = list(db.scalars(select(PayRequest).where(PayRequest.bill_id == bill.id)
                           .order_by(PayRequest.created_at.desc(), PayRequest.id)))
    makers = {u.id: u for u in db.scalars(select(User).where(User.id.in_({r.created_by_user_id for r in rows})))}
    paid = {p.id: p for p in db.scalars(select(Payment).where(Payment.id.in_(
        {r.payment_id for r in rows if r.payment_id})))}
    out = []
    for r in rows:
        p = paid.get(r.payment_id) if r.payment_id else None
        maker = makers.get(r.created_by_user_id)
        out.append(PayRequestOut(
            id=r.id, bill_id=r.bill_id, status=status_of(r, bill, now), created_at=as_utc(r.created_at),
            expires_at=as_utc(r.expires_at), withdrawn_at=as_utc(r.withdrawn_at) if r.withdrawn_at else None,
            created_by_name=(maker.full_name or maker.phone) if maker else "",
            payment_id=p.id if p else None, payment_state=p.state if p else None,
            paid_by_name=(p.payer_name or None) if p and p.state in PAID_STATES else None,
        ))
    return out


def withdraw(db: Session, user: User, bill_id: str, request_id: str, now: dt.datetime) -> None:
    """A payer takes a request back; the link stops working at once. Repeating it changes nothing.
    A payment a relative already started is left to finish: money may be on its way."""
    bill, role = _family_bill(db, user.id, bill_id)
    pr = db.scalars(select(PayRequest).where(PayRequest.id == request_id, PayRequest.bill_id == bill.id)).first()
    if pr is None:
        raise ApiError(404, "pay_request_not_found", "no such pay request for this bill")
    _require_payer(role)
    if pr.withdrawn_at is None:
        pr.withdrawn_at = now
        db.flush()


def by_token(db: Session, token: str) -> PayRequest:
    """Exact match on the hash of a well-formed token; anything else is the same "not found"."""
    pr = None
    if isinstance(token, str) and _TOKEN.fullmatch(token):
        pr = db.scalars(_with_bill(select(PayRequest)).where(PayRequest.token_hash == _hash(token))).first()
    if pr is None:
        raise ApiError(404, "pay_request_not_found", "this pay request does not exist")
    return pr


def public_view(db: Session, token: str, now: dt.datetime) -> PayRequestPublic:
    return view_of(by_token(db, token), now)


def view_of(pr: PayRequest, now: dt.datetime) -> PayRequestPublic:
    bill = pr.bill
    status = status_of(pr, bill, now)
    return PayRequestPublic(
        status=status, institution_name=bill.institution.name, institution_kind=bill.institution.kind,
        first_name=given_name(bill.person.full_name), amount_due=amount_due(bill.total, bill.amount_paid),
        due_date=bill.due_date, invoice_code=bill.invoice_code, expires_at=as_utc(pr.expires_at),
        vietqr=transfer_qr(bill) if status == "open" and bill.institution.accounts else None,
    )


def pay(db: Session, gw: Gateways, user: User, token: str, body: PayThroughRequest, key: str | None,
        session_id: str) -> tuple[Payment, bool]:
    """Any signed-in user holding the token pays that bill, with their own methods, in their own name."""
    pr = by_token(db, token)
    if pr.withdrawn_at is not None:
        raise ApiError(410, "pay_request_withdrawn", "the family withdrew this pay request")
    if gw.now >= as_utc(pr.expires_at) and pr.bill.amount_paid < pr.bill.total:
        raise ApiError(410, "pay_request_expired", "this pay request has expired: ask for a new one")
    # Already paid or cancelled: create_payment says so (bill_already_paid, bill_cancelled) after replaying
    # a repeated request, so a retry of a payment that just succeeded gets that payment back.
    payment, created = payments.create_payment(
        db, gw, user, pr.bill_id, body.method, key, source_id=body.source_id, confirmation=body.confirmation,
        session_id=session_id, shared=True)
    if created:
        pr.payment_id = payment.id
        db.flush()
    return payment, created
