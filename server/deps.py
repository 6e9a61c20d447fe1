"""FastAPI dependencies: the request's DB transaction, settings, clock, ports and signed-in user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from server.auth.models import AuthSession, User
from server.auth.service import authenticate
from server.config import Settings
from server.db import session_scope
from server.errors import ApiError
from server.notifications.port import NotificationPort

_bearer = HTTPBearer(auto_error=False)


def get_db(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.session_factory)


# "function" scope: commit before the response leaves. With the default ("request") the commit ran
# after the client already had its answer, so its next request could miss what was just written.
DB = Depends(get_db, scope="function")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_now(request: Request) -> dt.datetime:
    return request.app.state.clock()


def get_notifications(request: Request) -> NotificationPort:
    return request.app.state.notifications


@dataclass
class Principal:
    user: User
    session: AuthSession


def _principal(creds: HTTPAuthorizationCredentials | None, db: Session, now: dt.datetime, settings: Settings,
               touch: bool) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise ApiError(401, "unauthorized", "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    session, user = authenticate(db, creds.credentials, now, settings, touch=touch)
    return Principal(user=user, session=session)


def current_principal(
    creds: HTTPAuthorizationCredentials | None = Depends(_bearer),
    db: Session = DB,
    now: dt.datetime = Depends(get_now),
    settings: Settings = Depends(get_settings),
) -> Principal:
    return _principal(creds, db, now, settings, touch=True)


def passive_principal(
    creds: HTTPAuthorizationCredentials | None = Depends(_bearer),
    db: Session = DB,
    now: dt.datetime = Depends(get_now),
    settings: Settings = Depends(get_settings),
) -> Principal:
    """As current_principal, without counting as use of the session (see auth.service.authenticate)."""
    return _principal(creds, db, now, settings, touch=False)
