from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Path
from sqlalchemy.orm import Session

from server.bills import service
from server.bills.schemas import BillDetail, OutstandingBills
from server.clock import local_today
from server.deps import DB, Principal, current_principal, get_now

router = APIRouter(prefix="/bills", tags=["bills"])


@router.get("/outstanding", response_model=OutstandingBills)
def outstanding(db: Session = DB, now: dt.datetime = Depends(get_now),
                principal: Principal = Depends(current_principal)):
    return service.outstanding_for(db, principal.user.id, local_today(now))


@router.get("/{bill_id}", response_model=BillDetail)
def bill(bill_id: str = Path(max_length=36), db: Session = DB, now: dt.datetime = Depends(get_now),
         principal: Principal = Depends(current_principal)):
    return service.bill_for(db, principal.user.id, bill_id, local_today(now))
