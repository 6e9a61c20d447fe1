"""fraud area: users' scam reports (filed without any payment) and their own list of them."""
from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Header, Response
from sqlalchemy.orm import Session

from server.deps import DB, Principal, current_principal, get_notifications, get_now
from server.fraud import service
from server.fraud.schemas import FraudReportIn, FraudReportOut, MyFraudReport
from server.notifications.port import NotificationPort

router = APIRouter(prefix="/fraud-reports", tags=["fraud"])


@router.post("", response_model=FraudReportOut, status_code=201)
def report(body: FraudReportIn, response: Response, db: Session = DB, now: dt.datetime = Depends(get_now),
           notifications: NotificationPort = Depends(get_notifications),
           principal: Principal = Depends(current_principal),
           idempotency_key: str | None = Header(default=None, alias="Idempotency-Key")):
    created_report, created = service.create_report(db, notifications, principal.user.id, principal.user.phone, body,
                                                    idempotency_key, now)
    if not created:
        response.status_code = 200
    return FraudReportOut(id=created_report.id, status=created_report.status,
                          institution_id=created_report.institution_id)


@router.get("/mine", response_model=list[MyFraudReport])
def mine(db: Session = DB, principal: Principal = Depends(current_principal)):
    """The signed-in user's reports, newest first, with how each was decided."""
    return service.my_reports(db, principal.user.id)
