from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from server.brakes import service
from server.brakes.schemas import BrakeEventIn, BrakeEventOut
from server.deps import DB, Principal, current_principal, get_now

router = APIRouter(prefix="/brakes", tags=["brakes"])


@router.post("/events", status_code=201, response_model=BrakeEventOut)
def record_event(body: BrakeEventIn, db: Session = DB, now: dt.datetime = Depends(get_now),
                 principal: Principal = Depends(current_principal)):
    event = service.record(db, principal.user.id, body.brake, body.outcome, body.context, now)
    return BrakeEventOut(id=event.id, brake=event.brake, outcome=event.outcome, context=event.context)
