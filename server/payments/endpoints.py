from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from sqlalchemy.orm import Session

from server.deps import DB, Principal, current_principal, get_now
from server.payments import service
from server.payments.gateways import Gateways
from server.payments.models import LIVE_STATES
from server.payments.schemas import CreatePayment, MethodsOut, PaymentOut, PaymentsOut

router = APIRouter(prefix="/payments", tags=["payments"])


def get_gateways(request: Request, now: dt.datetime = Depends(get_now)) -> Gateways:
    return Gateways(settings=request.app.state.settings, http=request.app.state.http, now=now)


def payment_out(db: Session, user_id: str, payment) -> PaymentOut:
    """Whole for the family; a relative paying through a pay request sees only what the request showed."""
    return PaymentOut.of(payment).model_copy(update=service.outsider_view(db, user_id, payment))


@router.get("/methods", response_model=MethodsOut)
def methods(principal: Principal = Depends(current_principal)):
    return {"methods": service.methods()}


@router.post("", response_model=PaymentOut, status_code=201)
def create(body: CreatePayment, response: Response, db: Session = DB, gw: Gateways = Depends(get_gateways),
           principal: Principal = Depends(current_principal),
           idempotency_key: str | None = Header(default=None, alias="Idempotency-Key")):
    payment, created = service.create_payment(db, gw, principal.user, body.bill_id, body.method, idempotency_key,
                                              source_id=body.source_id, confirmation=body.confirmation,
                                              session_id=principal.session.id)
    if not created:
        response.status_code = 200
    return PaymentOut.of(payment)


@router.get("/active", response_model=PaymentsOut)
def active(db: Session = DB, gw: Gateways = Depends(get_gateways),
           principal: Principal = Depends(current_principal)):
    payments = [service.refresh_if_due(db, gw, p) for p in service.active_for_user(db, principal.user.id)]
    return {"payments": [payment_out(db, principal.user.id, p) for p in payments if p.state in LIVE_STATES]}


@router.get("/{payment_id}", response_model=PaymentOut)
def get(payment_id: str = Path(max_length=36), db: Session = DB, gw: Gateways = Depends(get_gateways),
        principal: Principal = Depends(current_principal)):
    payment = service.payment_for_user(db, principal.user.id, payment_id)
    return payment_out(db, principal.user.id, service.refresh_if_due(db, gw, payment))


@router.post("/{payment_id}/cancel", response_model=PaymentOut)
def cancel(payment_id: str = Path(max_length=36), db: Session = DB, gw: Gateways = Depends(get_gateways),
           principal: Principal = Depends(current_principal)):
    payment = service.payment_for_user(db, principal.user.id, payment_id, acting=True)
    return payment_out(db, principal.user.id, service.cancel(db, gw, payment))
