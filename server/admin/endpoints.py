"""The administrators' API: the scam-report queue and its decisions.

Off unless `admin_token` is set: then every path answers 404, as if it did not exist. With it, a
request needs `Authorization: Bearer <admin_token>`, compared in constant time.
"""
from __future__ import annotations

import datetime as dt
import hmac

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from server.config import Settings
from server.deps import DB, get_now, get_settings
from server.errors import ApiError
from server.fraud import service
from server.fraud.schemas import AdminFraudReport


def require_admin(request: Request, settings: Settings = Depends(get_settings)) -> None:
    token = settings.admin_token
    if not token:
        raise ApiError(404, "not_found", "Not Found")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise ApiError(401, "unauthorized", "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "admin_token_invalid", "the admin token is not valid",
                       headers={"WWW-Authenticate": "Bearer"})


router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])
ReportId = Path(max_length=36)


@router.get("/fraud-reports", response_model=list[AdminFraudReport])
def fraud_reports(db: Session = DB, status: str = Query(default="received", max_length=20)):
    """The queue, newest first (status received | confirmed | rejected | all); never who reported."""
    return service.reports_for_admin(db, status)


@router.get("/fraud-reports/{report_id}/image", response_class=Response)
def fraud_report_image(report_id: str = ReportId, db: Session = DB):
    data, mime = service.report_image(db, report_id)
    return Response(content=data, media_type=mime, headers={"Cache-Control": "no-store"})


@router.post("/fraud-reports/{report_id}/confirm", response_model=AdminFraudReport)
def confirm(report_id: str = ReportId, db: Session = DB, now: dt.datetime = Depends(get_now)):
    return service.admin_view(service.review(db, report_id, "confirmed", service.ADMIN, now))


@router.post("/fraud-reports/{report_id}/reject", response_model=AdminFraudReport)
def reject(report_id: str = ReportId, db: Session = DB, now: dt.datetime = Depends(get_now)):
    return service.admin_view(service.review(db, report_id, "rejected", service.ADMIN, now))
