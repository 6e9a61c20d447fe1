from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from server.auth import biometric, pin, service
from server.auth.schemas import (
    BiometricEnable,
    BiometricKey,
    BiometricVerify,
    CodeRequest,
    CodeRequested,
    CodeVerify,
    ConfirmationOut,
    PinReset,
    PinSet,
    PinVerify,
    SessionList,
    SessionOut,
    SignedIn,
    UserOut,
)
from server.clock import as_utc
from server.config import Settings
from server.deps import DB, Principal, current_principal, get_now, get_settings
from server.students.access import is_student

router = APIRouter(prefix="/auth", tags=["auth"])


def user_out(user, db: Session) -> UserOut:
    return UserOut(id=user.id, phone=user.phone, full_name=user.full_name, locale=user.locale,
                   has_pin=user.pin_hash is not None,
                   role="student" if is_student(db, user) else "payer")


@router.post("/code", response_model=CodeRequested)
def request_code(body: CodeRequest, request: Request, db: Session = DB,
                 settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    return service.request_code(db, settings, request.app.state.sms, body.phone, now)


@router.post("/session", response_model=SignedIn)
def verify_code(body: CodeVerify, db: Session = DB,
                settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    token, session, user = service.verify_code(db, settings, body.phone, body.code, body.device_name, now)
    return SignedIn(token=token, expires_at=session.expires_at.isoformat(), user=user_out(user, db))


@router.delete("/session", status_code=204)
def sign_out(principal: Principal = Depends(current_principal), db: Session = DB,
             now: dt.datetime = Depends(get_now)):
    service.sign_out(db, principal.session, now)


@router.get("/me", response_model=UserOut)
def me(principal: Principal = Depends(current_principal), db: Session = DB):
    return user_out(principal.user, db)


# --- App PIN, step-up confirmations, biometrics -------------------------------------------------

@router.put("/pin", status_code=204)
def set_pin(body: PinSet, principal: Principal = Depends(current_principal), db: Session = DB,
            settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    pin.set_pin(db, settings, principal.user.id, body.pin, body.current_pin, now)


@router.post("/pin/verify", response_model=ConfirmationOut)
def verify_pin(body: PinVerify, principal: Principal = Depends(current_principal), db: Session = DB,
               settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    token, expires_at = pin.verify(db, settings, principal.user.id, principal.session.id, body.pin, now)
    return ConfirmationOut(confirmation=token, expires_at=expires_at.isoformat())


@router.post("/pin/reset", status_code=204)
def reset_pin(body: PinReset, principal: Principal = Depends(current_principal), db: Session = DB,
              settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    pin.reset(db, settings, principal.user.id, body.code, body.pin, now)


@router.post("/biometric-key", status_code=201, response_model=BiometricKey)
def enable_biometric(body: BiometricEnable, principal: Principal = Depends(current_principal), db: Session = DB,
                     now: dt.datetime = Depends(get_now)):
    return BiometricKey(key=biometric.enable(db, principal.session, body.confirmation, now))


@router.delete("/biometric-key", status_code=204)
def disable_biometric(principal: Principal = Depends(current_principal)):
    biometric.disable(principal.session)


@router.post("/biometric/verify", response_model=ConfirmationOut)
def verify_biometric(body: BiometricVerify, principal: Principal = Depends(current_principal), db: Session = DB,
                     settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    token, expires_at = biometric.verify(db, settings, principal.session, body.key, now)
    return ConfirmationOut(confirmation=token, expires_at=expires_at.isoformat())


# --- Signed-in devices --------------------------------------------------------------------------

@router.get("/sessions", response_model=SessionList)
def sessions(principal: Principal = Depends(current_principal), db: Session = DB,
             settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    return SessionList(sessions=[
        SessionOut(id=s.id, device_name=s.device_name, created_at=as_utc(s.created_at).isoformat(),
                   last_used_at=as_utc(s.last_used_at).isoformat(), current=s.id == principal.session.id)
        for s in service.list_sessions(db, principal.user, now, settings)
    ])


@router.delete("/sessions/{session_id}", status_code=204)
def revoke_session(session_id: str, principal: Principal = Depends(current_principal), db: Session = DB,
                   settings: Settings = Depends(get_settings), now: dt.datetime = Depends(get_now)):
    service.revoke_session(db, principal.user, session_id, now, settings)
