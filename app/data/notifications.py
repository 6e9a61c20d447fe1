"""Notifications through the API: the inbox, unread count, read marks, preferences, push devices,
and the live updates that bring new ones while the app is open.

Live updates come by server-sent events over a real connection (`SseUpdates`); when the stream fails
or is not there, by asking for the newest page every few seconds (`PollingUpdates`). `LiveUpdates`
combines them: it falls back to polling and tries the stream again after a while. The source is
injectable: headless tests use polling (httpx's in-process transport cannot stream an endless answer).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from app.data.api import (ApiClient, ApiFailure, AuthFailure, NetworkFailure, NotFoundFailure, ServerFailure,
                          read_answer)
from app.data.bills import Fetched
from app.models import Notification, NotificationPage, NotificationPreferences

log = logging.getLogger("dongphi.notifications")

PAGE_SIZE = 20
POLL_INTERVAL = 10.0  # seconds between questions when there is no stream
SSE_RETRY_AFTER = 60.0  # seconds of polling before the stream is tried again


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class NotificationsRepository:
    def __init__(self, api: ApiClient, clock: Callable[[], dt.datetime] = _now):
        self._api, self._clock = api, clock
        self._inbox: Fetched | None = None  # the newest page, last good
        self._preferences: NotificationPreferences | None = None
        self._generation = 0  # moves on at sign-out: an answer to a request from before is not kept

    async def _get(self, path: str, **kwargs):
        """An answer that arrives after sign-out belongs to the previous user: it is dropped, never cached
        or shown to whoever signs in next."""
        generation = self._generation
        body = await self._api.get(path, **kwargs)
        if generation != self._generation:
            raise AuthFailure("signed_out", "signed out while asking", 401)
        return body

    # -- the inbox ----------------------------------------------------------------------------
    async def inbox(self, limit: int = PAGE_SIZE) -> Fetched:
        """The newest page (Fetched of NotificationPage); the last good one, marked stale, when offline."""
        try:
            page = await self.page(limit=limit)
        except (NetworkFailure, ServerFailure) as failure:
            if self._inbox is None:
                raise
            return Fetched(self._inbox.value, self._inbox.fetched_at, stale=True, failure=failure)
        self._inbox = Fetched(page, self._clock())
        return self._inbox

    async def page(self, *, before: str | None = None, limit: int = PAGE_SIZE) -> NotificationPage:
        """One page, newest first; `before` pages to older ones. Not cached (the newest page is)."""
        params = {"limit": str(limit)}
        if before:
            params["before"] = before
        return read_answer(NotificationPage.from_json, await self._get("/notifications", params=params))

    async def unread_count(self) -> int:
        return read_answer(lambda b: int(b["unread"]), await self._get("/notifications/unread-count"))

    async def mark_read(self, notification_id: str) -> Notification:
        body = await self._api.post(f"/notifications/{notification_id}/read", {})
        notification = read_answer(Notification.from_json, body)
        self._replace_cached(notification)
        return notification

    async def mark_all_read(self) -> int:
        """How many were marked."""
        marked = read_answer(lambda b: int(b["marked"]), await self._api.post("/notifications/read-all", {}))
        if self._inbox is not None:
            page = self._inbox.value
            items = tuple(n if n.read else _as_read(n) for n in page.items)
            self._inbox = Fetched(NotificationPage(items, page.next_before, 0), self._inbox.fetched_at)
        return marked

    def _replace_cached(self, notification: Notification) -> None:
        if self._inbox is None:
            return
        page = self._inbox.value
        if not any(n.id == notification.id for n in page.items):
            return
        was_unread = any(n.id == notification.id and not n.read for n in page.items)
        items = tuple(notification if n.id == notification.id else n for n in page.items)
        unread = max(page.unread - (1 if was_unread and notification.read else 0), 0)
        self._inbox = Fetched(NotificationPage(items, page.next_before, unread), self._inbox.fetched_at,
                              self._inbox.stale, self._inbox.failure)

    # -- preferences --------------------------------------------------------------------------
    async def preferences(self) -> Fetched:
        """Fetched of NotificationPreferences; the last good ones, marked stale, when offline."""
        try:
            prefs = read_answer(NotificationPreferences.from_json, await self._get("/notifications/preferences"))
        except (NetworkFailure, ServerFailure) as failure:
            if self._preferences is None:
                raise
            return Fetched(self._preferences, self._clock(), stale=True, failure=failure)
        self._preferences = prefs
        return Fetched(prefs, self._clock())

    async def save_preferences(self, prefs: NotificationPreferences) -> NotificationPreferences:
        saved = read_answer(NotificationPreferences.from_json,
                            await self._api.put("/notifications/preferences", prefs.to_json()))
        self._preferences = saved
        return saved

    # -- push devices -------------------------------------------------------------------------
    async def register_device(self, token: str, platform: str) -> None:
        await self._api.post("/notifications/devices", {"token": token, "platform": platform})

    async def unregister_device(self, token: str) -> None:
        await self._api.delete(f"/notifications/devices/{token}")

    def forget(self) -> None:
        """On sign-out nothing of the previous user may stay on the device."""
        self._generation += 1
        self._inbox = None
        self._preferences = None


def _as_read(n: Notification) -> Notification:
    return replace(n, read=True)


# -- live updates -------------------------------------------------------------------------------

@dataclass
class Cursor:
    """The newest notification the app has seen: a reconnect asks for what came after it."""

    after: str | None = None
    # Bumped when this device marks something read: a count asked for before that is out of date.
    marks: int = 0


# Called with new notifications (oldest first) and, when the source knows it, the unread count.
Deliver = Callable[[list[Notification], "int | None"], None]


class LiveSource(Protocol):
    async def run(self, cursor: Cursor, deliver: Deliver) -> None:
        """Deliver what arrives until cancelled; raises AuthFailure when the session is gone."""


@dataclass
class PollingUpdates:
    """Asks for the newest page every `interval` seconds and delivers what is newer than the cursor."""

    repository: NotificationsRepository
    interval: float = POLL_INTERVAL
    _seen: set[str] | None = field(default=None, repr=False)

    async def run(self, cursor: Cursor, deliver: Deliver, *, duration: float | None = None) -> None:
        loop = asyncio.get_running_loop()
        deadline = None if duration is None else loop.time() + duration
        while True:
            await self.poll_once(cursor, deliver)
            if deadline is not None and loop.time() + self.interval > deadline:
                return
            await asyncio.sleep(self.interval)

    async def poll_once(self, cursor: Cursor, deliver: Deliver) -> None:
        marks = cursor.marks
        try:
            page = await self.repository.page(limit=PAGE_SIZE)
        except AuthFailure:
            raise
        except ApiFailure as failure:  # offline or busy: ask again next time
            log.info("notifications poll failed: %s", failure)
            return
        ids = [n.id for n in page.items]
        if self._seen is None:  # the first look: what is at or below the cursor is known
            self._seen = set(ids[ids.index(cursor.after):]) if cursor.after in ids else set()
        # By id, not by position: two notifications with the same time may list in either order.
        fresh = [n for n in page.items if n.id not in self._seen]
        self._seen = (self._seen | {n.id for n in fresh}) & set(ids)
        if fresh:
            cursor.after = ids[0]
        # A count the server gave before this device's own "mark read" landed would bring back the badge.
        deliver(list(reversed(fresh)), page.unread if cursor.marks == marks else None)


@dataclass
class SseUpdates:
    """Server-sent events: `id:`, `event: notification`, `data: <JSON>`; `: ping` comments keep it alive.
    The server ends a stream after a few minutes; it is opened again at once with `after=` the last id."""

    api: ApiClient
    reconnect_delay: float = 1.0

    async def run(self, cursor: Cursor, deliver: Deliver) -> None:
        while True:
            await self.run_once(cursor, deliver)
            await asyncio.sleep(self.reconnect_delay)

    async def run_once(self, cursor: Cursor, deliver: Deliver) -> None:
        params = {"after": cursor.after} if cursor.after else None
        headers = {"Last-Event-ID": cursor.after} if cursor.after else None
        event = _Event()
        async for line in self.api.stream_lines("/notifications/stream", params=params, headers=headers):
            if line == "":
                self._dispatch(event, cursor, deliver)
                event = _Event()
            elif line.startswith(":"):
                continue  # keep-alive comment
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "id":
                    event.id = value
                elif name == "event":
                    event.name = value
                elif name == "data":
                    event.data.append(value)
        self._dispatch(event, cursor, deliver)  # a last event without its blank line

    @staticmethod
    def _dispatch(event: _Event, cursor: Cursor, deliver: Deliver) -> None:
        if not event.data or event.name not in ("notification", "message"):
            return
        try:
            notification = Notification.from_json(json.loads("\n".join(event.data)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.error("unreadable notification event: %r", exc)
            return
        cursor.after = event.id or notification.id
        deliver([notification], None)


@dataclass
class _Event:
    id: str | None = None
    name: str = "message"
    data: list[str] = field(default_factory=list)


@dataclass
class LiveUpdates:
    """The stream while it works; polling while it does not, trying the stream again every `retry_after` s."""

    sse: SseUpdates
    polling: PollingUpdates
    retry_after: float = SSE_RETRY_AFTER
    mode: str = "idle"  # stream | polling: for logs and tests

    async def run(self, cursor: Cursor, deliver: Deliver) -> None:
        while True:
            self.mode = "stream"
            try:
                await self.sse.run(cursor, deliver)
            except AuthFailure:
                raise
            except NotFoundFailure:
                log.warning("the server has no notification stream: polling")
            except ApiFailure as failure:
                log.info("notification stream failed (%s): polling for %.0f s", failure, self.retry_after)
            self.mode = "polling"
            await self.polling.run(cursor, deliver, duration=self.retry_after)
