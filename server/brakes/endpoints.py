from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from server.brakes import service
from server.brakes.schemas import BrakeContextOut, BrakeEventIn, BrakeEventOut
from server.deps import DB, Principal, current_principal, get_now

router = APIRouter(prefix="/brakes", tags=["brakes"])


@router.post("/events", status_code=201, response_model=BrakeEventOut)
def record_event(body: BrakeEventIn, db: Session = DB, now: dt.datetime = Depends(get_now),
                 principal: Principal = Depends(current_principal)):
    event = service.record(db, principal.user.id, body.brake, body.outcome, body.context, now)
    return BrakeEventOut(id=event.id, brake=event.brake, outcome=event.outcome, context=event.context)


@router.get("/context", response_model=BrakeContextOut)
def brake_context(bank_bin: str = Query(max_length=10), account_number: str = Query(max_length=40),
                  db: Session = DB, now: dt.datetime = Depends(get_now),
                  principal: Principal = Depends(current_principal)):
    """Whether the signed-in user has paid this account before, and the family's usual bill amounts."""
    return service.context(db, principal.user.id, bank_bin, account_number, now)
