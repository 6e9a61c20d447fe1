from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from server.auth import service
from server.auth.schemas import CodeRequest, CodeRequested, CodeVerify, SignedIn, UserOut
from server.config import Settings
from server.deps import DB, Principal, current_principal, get_now, get_settings

router = APIRouter(prefix="/auth", tags=["auth"])


def user_out(user) -> UserOut:
    return UserOut(id=user.id, phone=user.phone, full_name=user.full_name, locale=user.locale)


@router.post("/code", response_model=CodeRequested)
def request_code(body: CodeRequest, request: Request, db: Session = DB,
                 settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    return service.request_code(db, settings, request.app.state.sms, body.phone, now)


@router.post("/session", response_model=SignedIn)
def verify_code(body: CodeVerify, db: Session = DB,
                settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    token, session, user = service.verify_code(db, settings, body.phone, body.code, body.device_name, now)
    return SignedIn(token=token, expires_at=session.expires_at.isoformat(), user=user_out(user))


@router.delete("/session", status_code=204)
def sign_out(principal: Principal = Depends(current_principal), db: Session = DB,
             now: dt.datetime = Depends(get_now)):
    service.sign_out(db, principal.session, now)


@router.get("/me", response_model=UserOut)
def me(principal: Principal = Depends(current_principal)):
    return user_out(principal.user)
