"""The inbox API, its live stream (server-sent events), preferences and push device tokens."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server.db import session_scope
from server.auth.models import AuthSession
from server.auth.service import is_live
from server.clock import as_utc
from server.deps import DB, Principal, current_principal, get_now, passive_principal
from server.notifications import inbox
from server.notifications.schemas import (DeviceIn, DeviceOut, InboxOut, NotificationOut, PreferencesIn,
                                          PreferencesOut, ReadAllOut, UnreadOut)

router = APIRouter(prefix="/notifications", tags=["notifications"])
# How far back the stream looks for rows committed after newer ones (a reminder run's timestamp is its start).
LOOK_BACK = dt.timedelta(minutes=10)
FIRST_LOOK_BACK = dt.timedelta(seconds=30)  # a payment stamped before its provider call, committed after
ME = Depends(current_principal)


@router.get("", response_model=InboxOut)
def list_inbox(limit: int = Query(20, ge=1, le=inbox.MAX_PAGE), before: str | None = Query(None, max_length=36),
               db: Session = DB, principal: Principal = ME):
    return inbox.page(db, principal.user.id, limit, before)


@router.get("/unread-count", response_model=UnreadOut)
def unread(db: Session = DB, principal: Principal = ME):
    return {"unread": inbox.unread_count(db, principal.user.id)}


@router.post("/read-all", response_model=ReadAllOut)
def read_all(db: Session = DB, principal: Principal = ME, now: dt.datetime = Depends(get_now)):
    return {"marked": inbox.mark_all_read(db, principal.user.id, now), "unread": 0}


@router.get("/preferences", response_model=PreferencesOut)
def get_preferences(db: Session = DB, principal: Principal = ME):
    return inbox.preferences(db, principal.user.id)


@router.put("/preferences", response_model=PreferencesOut)
def put_preferences(body: PreferencesIn, db: Session = DB, principal: Principal = ME):
    return inbox.set_preferences(db, principal.user.id, body)


@router.post("/devices", response_model=DeviceOut, status_code=201)
def register_device(body: DeviceIn, db: Session = DB, principal: Principal = ME, now: dt.datetime = Depends(get_now)):
    inbox.register_device(db, principal.user.id, principal.session.id, body.token, body.platform, now)
    return {"registered": True}


@router.delete("/devices/{token}", status_code=204)
def forget_device(token: str = Path(max_length=255), db: Session = DB, principal: Principal = ME):
    inbox.forget_device(db, principal.user.id, token)
    return Response(status_code=204)


@router.get("/stream")
async def stream(request: Request, principal: Principal = Depends(passive_principal),
                 after: str | None = Query(None, max_length=36), last_event_id: str | None = Header(None, alias="Last-Event-ID", max_length=36)):
    """New notifications as they are committed, by any server process (the database is polled).

    The stream ends after `notification_stream_max_seconds`, or as soon as its session is signed out
    or expires; the app reconnects with `after` (or Last-Event-ID) and misses nothing. Comment lines
    keep proxies from closing an idle stream. An open stream does not keep an unused session alive.
    """
    settings, factory, clock = request.app.state.settings, request.app.state.session_factory, request.app.state.clock
    user_id, session_id, opened = principal.user.id, principal.session.id, clock()

    def fetch(since: dt.datetime, sent: dict[str, dt.datetime]) -> list[NotificationOut] | None:
        """None once the session is over."""
        for db in session_scope(factory):
            session = db.get(AuthSession, session_id)
            if session is None or not is_live(session, clock(), settings):
                return None
            return inbox.created_since(db, user_id, since, set(sent))
        return None

    def start() -> tuple[dt.datetime, dict[str, dt.datetime]]:
        """After a reconnect, look back from the last one the app saw (the app ignores repeats by id);
        on a first open, a short look-back only: the app has just read its inbox."""
        anchor = after or last_event_id
        for db in session_scope(factory):
            seen = inbox.anchor_time(db, user_id, anchor)
            if seen is not None:
                return as_utc(seen) - LOOK_BACK, {anchor: as_utc(seen)}
        return opened - FIRST_LOOK_BACK, {}

    async def events():
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settings.notification_stream_max_seconds
        next_ping = loop.time() + settings.notification_stream_ping_seconds
        since, sent = await run_in_threadpool(start)  # sent: id -> created_at, within the window
        yield f"retry: {int(settings.notification_stream_poll_seconds * 1000) + 1000}\n\n"
        while loop.time() < deadline and not await request.is_disconnected():
            found = await run_in_threadpool(fetch, since, sent)
            if found is None:
                yield "event: signed_out\ndata: {}\n\n"
                return
            for note in found:
                sent[note.id] = note.created_at
                yield f"id: {note.id}\nevent: notification\ndata: {json.dumps(note.model_dump(mode='json'))}\n\n"
            if found:  # slide the window, keeping the look-back for rows committed late
                since = max(since, found[-1].created_at - LOOK_BACK)
                sent = {i: at for i, at in sent.items() if at >= since}
            if loop.time() >= next_ping:
                next_ping = loop.time() + settings.notification_stream_ping_seconds
                yield ": ping\n\n"
            await asyncio.sleep(settings.notification_stream_poll_seconds)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.post("/{notification_id}/read", response_model=NotificationOut)
def read_one(notification_id: str = Path(max_length=36), db: Session = DB, principal: Principal = ME,
             now: dt.datetime = Depends(get_now)):
    return inbox.mark_read(db, principal.user.id, notification_id, now)
