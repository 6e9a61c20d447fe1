"""What an institution's own system tells us, signed with its key (the bank-feed secret, HMAC-SHA256 of
the raw body in X-Signature): a bill closed at the counter, waived or cancelled; a fraud alert or an
announcement to the families it serves; its verdict on scam reports made in its name (a request
without a body is signed as the empty body). Only registered institutions hold a key, so only they
can send, and each sees only its own reports — never who filed them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from starlette.concurrency import run_in_threadpool

from server.bills.models import Bill
from server.deps import DB, get_now
from server.errors import ApiError
from server.fraud import service as fraud
from server.fraud.schemas import InstitutionFraudReport
from server.institutions.models import Institution
from server.notifications import triggers
from server.payments.service import live_payment
from server.people.models import FamilyMember, Person
from server.providers import bankfeed

router = APIRouter(prefix="/institution-api", tags=["institution systems"])


class ClearBill(BaseModel):
    reason: Literal["paid_at_counter", "waived", "cancelled"]


class InstitutionMessage(BaseModel):
    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")  # theirs: a repeat is one message
    kind: Literal["alert", "announcement"]
    title: str = Field(min_length=3, max_length=120)
    body: str = Field(min_length=3, max_length=1000)


class Review(BaseModel):
    """The body of a confirm/reject: nothing is required (an empty body or {} will do)."""
    model_config = ConfigDict(extra="forbid")


def _authentic(db: Session, institution_id: str, raw: bytes, signature: str | None) -> Institution:
    institution = db.get(Institution, institution_id)
    if institution is None or not institution.feed_secret:
        raise ApiError(404, "institution_not_found", "no such institution")
    if not bankfeed.verify(institution.feed_secret, raw, signature):
        raise ApiError(401, "bad_signature", "X-Signature does not match the body")
    return institution


def _signed(db: Session, institution_id: str, raw: bytes, signature: str | None, model):
    institution = _authentic(db, institution_id, raw, signature)
    try:
        body = model.model_validate(json.loads(raw or b"null"))
    except (ValueError, ValidationError) as exc:
        raise ApiError(422, "validation_error", f"body is not a valid {model.__name__}: {exc}"[:300]) from None
    return institution, body


@router.post("/{institution_id}/bills/{invoice_code}/clear")
async def clear_bill(request: Request, institution_id: str = Path(max_length=36),
                     invoice_code: str = Path(max_length=25), db: Session = DB, now: dt.datetime = Depends(get_now),
                     signature: str | None = Header(default=None, alias=bankfeed.SIGNATURE_HEADER)):
    raw = await request.body()
    return await run_in_threadpool(_clear, db, institution_id, invoice_code, raw, signature, now)


def _clear(db: Session, institution_id: str, invoice_code: str, raw: bytes, signature: str | None,
           now: dt.datetime) -> dict:
    institution, body = _signed(db, institution_id, raw, signature, ClearBill)
    bill = db.scalars(select(Bill).where(Bill.institution_id == institution.id, Bill.invoice_code == invoice_code)
                      .options(joinedload(Bill.person), joinedload(Bill.institution)).with_for_update(of=Bill)).first()
    if bill is None:
        raise ApiError(404, "bill_not_found", "no bill with this invoice code")
    if bill.cancelled or bill.amount_paid >= bill.total:
        return {"status": "already_closed"}
    if (live := live_payment(db, bill.id)) is not None:
        # Money may be on its way through the app: closing now could collect twice.
        raise ApiError(409, "payment_in_progress", "a payment of this bill is in progress", payment_id=live.id)
    if body.reason == "paid_at_counter":
        bill.amount_paid = bill.total
    else:
        bill.cancelled = True
    db.flush()
    triggers.bill_cleared(db, bill, body.reason, now)
    return {"status": "closed"}


@router.post("/{institution_id}/messages")
async def send_message(request: Request, institution_id: str = Path(max_length=36), db: Session = DB,
                       now: dt.datetime = Depends(get_now),
                       signature: str | None = Header(default=None, alias=bankfeed.SIGNATURE_HEADER)):
    raw = await request.body()
    return await run_in_threadpool(_message, db, institution_id, raw, signature, now)


def _message(db: Session, institution_id: str, raw: bytes, signature: str | None, now: dt.datetime) -> dict:
    institution, body = _signed(db, institution_id, raw, signature, InstitutionMessage)
    users = list(dict.fromkeys(db.scalars(
        select(FamilyMember.user_id).join(Person, Person.id == FamilyMember.person_id)
        .where(Person.institution_id == institution.id).order_by(FamilyMember.user_id))))
    created = triggers.institution_message(db, institution, f"institution_{body.kind}", body.id, body.title,
                                           body.body, users, now)
    return {"status": "sent", "recipients": len(users), "new": len(created)}


@router.get("/{institution_id}/fraud-reports", response_model=list[InstitutionFraudReport])
async def fraud_reports(request: Request, institution_id: str = Path(max_length=36), db: Session = DB,
                        status: str = Query(default="received", max_length=20),
                        signature: str | None = Header(default=None, alias=bankfeed.SIGNATURE_HEADER)):
    """Reports naming this institution, newest first (status received | confirmed | rejected | all)."""
    raw = await request.body()
    return await run_in_threadpool(_fraud_reports, db, institution_id, raw, signature, status)


def _fraud_reports(db: Session, institution_id: str, raw: bytes, signature: str | None,
                   status: str) -> list[InstitutionFraudReport]:
    institution = _authentic(db, institution_id, raw, signature)
    return fraud.reports_for_institution(db, institution.id, status)


@router.post("/{institution_id}/fraud-reports/{report_id}/confirm", response_model=InstitutionFraudReport)
async def confirm_fraud_report(request: Request, institution_id: str = Path(max_length=36),
                               report_id: str = Path(max_length=36), db: Session = DB,
                               now: dt.datetime = Depends(get_now),
                               signature: str | None = Header(default=None, alias=bankfeed.SIGNATURE_HEADER)):
    """The institution says the account or phone is not its own: they join the register every app checks."""
    raw = await request.body()
    return await run_in_threadpool(_review, db, institution_id, report_id, "confirmed", raw, signature, now)


@router.post("/{institution_id}/fraud-reports/{report_id}/reject", response_model=InstitutionFraudReport)
async def reject_fraud_report(request: Request, institution_id: str = Path(max_length=36),
                              report_id: str = Path(max_length=36), db: Session = DB,
                              now: dt.datetime = Depends(get_now),
                              signature: str | None = Header(default=None, alias=bankfeed.SIGNATURE_HEADER)):
    raw = await request.body()
    return await run_in_threadpool(_review, db, institution_id, report_id, "rejected", raw, signature, now)


def _review(db: Session, institution_id: str, report_id: str, decision: fraud.Decision, raw: bytes,
            signature: str | None, now: dt.datetime) -> InstitutionFraudReport:
    if raw.strip():
        institution, _ = _signed(db, institution_id, raw, signature, Review)
    else:
        institution = _authentic(db, institution_id, raw, signature)
    report = fraud.review(db, report_id, decision, institution.id, now, institution_id=institution.id)
    return fraud.institution_view(report)
