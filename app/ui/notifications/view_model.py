"""Notifications: the session's live centre (unread count, banner), the inbox, and their settings."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure, AuthFailure
from app.data.notifications import Cursor, LiveSource, NotificationsRepository
from app.data.push import NoPushTokens, PushTokenSource
from app.models import KindChannels, MutablePerson, Notification, NotificationPreferences
from app.ui.core.fetching import load_into
from app.ui.core.i18n import VIETNAM_TIME
from app.ui.core.routes import bill_route, payment_route
from domain.notifications import KINDS, PAYMENT_RESULTS

log = logging.getLogger("dongphi.notifications")

LIVE_TASK = "dongphi.poll.notifications"  # its GETs are not the user's doing (see ApiClient)
BANNER_TASK = "dongphi.watch.notification-banner"
PUSH_TASK = "dongphi.push.register"  # may wait minutes for the person to answer the system dialog
BANNER_KINDS = ("new_bill", *PAYMENT_RESULTS)  # what is worth interrupting for while the app is open
BANNER_SECONDS = 10.0
BASELINE_RETRY = 10.0
RECENT_KEPT = 50


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


INBOX_ROUTE = "/notifications"


def route_of(n: Notification) -> str | None:
    """Where tapping a notification leads: its payment (receipt), else its bill, else nowhere."""
    return _route(n.bill_id, n.payment_id)


def _route(bill_id: str | None, payment_id: str | None) -> str | None:
    if payment_id:
        return payment_route(bill_id, payment_id) if bill_id else f"/payments/{payment_id}"
    if bill_id:
        return bill_route(bill_id)
    return None


_PUSH_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def push_route(data: Mapping[str, str] | None) -> str | None:
    """Where a tapped system notification leads, from the ids in its data map (the server's push data).
    Anything that is not an id is ignored: a crafted message must not steer the app elsewhere."""
    def an_id(key: str) -> str | None:
        value = (data or {}).get(key)
        return value if isinstance(value, str) and _PUSH_ID.fullmatch(value) else None
    return _route(an_id("bill_id"), an_id("payment_id"))


def inbox_route_of(n: Notification) -> str | None:
    """The same screens opened from the inbox sit above it, so Back returns to the inbox."""
    if n.payment_id:
        return f"{INBOX_ROUTE}/payments/{n.payment_id}"
    if n.bill_id:
        return f"{INBOX_ROUTE}/bills/{n.bill_id}"
    return None


@dataclass(frozen=True)
class DayGroup:
    day: dt.date
    when: str  # today | yesterday | date
    items: tuple[Notification, ...]


def group_by_day(items: list[Notification], now: dt.datetime) -> list[DayGroup]:
    """Newest first, one group per calendar day in Vietnam time (UTC+7)."""
    today = now.astimezone(VIETNAM_TIME).date()
    groups: list[DayGroup] = []
    for n in items:
        day = n.created_at.astimezone(VIETNAM_TIME).date()
        if groups and groups[-1].day == day:
            groups[-1] = dataclasses.replace(groups[-1], items=groups[-1].items + (n,))
            continue
        when = "today" if day == today else "yesterday" if day == today - dt.timedelta(days=1) else "date"
        groups.append(DayGroup(day, when, (n,)))
    return groups


# -- the centre: one per app session ----------------------------------------------------------------

@ft.observable
@dataclass(eq=False)
class NotificationCenter:
    """Follows new notifications while the app is open and signed in: the bell's unread count, and a
    banner for payment results and new bills that goes away by itself after `banner_seconds`."""

    repository: NotificationsRepository
    live: LiveSource
    push: PushTokenSource = field(default_factory=NoPushTokens)
    banner_seconds: float = BANNER_SECONDS
    unread: int = 0
    banner: Notification | None = None
    received: int = 0  # how many arrived live: an open inbox merges `recent` when it changes
    recent: list[Notification] = field(default_factory=list)  # newest first
    opening: bool = False
    following: bool = False
    navigate: Callable[[str], None] | None = None  # the page's, set by the composition root

    def __post_init__(self) -> None:
        self._cursor = Cursor()
        self._baseline = False
        self._seen: set[str] = set()
        self._counted_read: set[str] = set()  # marked read here: the count went down once for each
        self._task: asyncio.Task | None = None
        self._banner_task: asyncio.Task | None = None
        self._device_token: str | None = None
        self.push.watch(self.token_refreshed)
        self.push.watch_opened(self.push_opened)

    # -- following -----------------------------------------------------------------------------
    def follow(self, active: bool) -> None:
        """Signed in and unlocked: follow; otherwise (signed out, locked) stop, keeping the cursor."""
        if active:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self.following = True
        self._task = asyncio.get_running_loop().create_task(self._run(), name=LIVE_TASK)

    def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
        if self.following:
            self.following = False
        self._hide_banner()

    async def _run(self) -> None:
        try:
            while not self._baseline:
                if await self._take_baseline():
                    break
                await asyncio.sleep(BASELINE_RETRY)
            # Not awaited: the first time, the system asks to allow notifications, and the inbox must not
            # wait for the person to answer.
            asyncio.get_running_loop().create_task(self._register_device(), name=PUSH_TASK)
            await self.live.run(self._cursor, self.deliver)
        except asyncio.CancelledError:
            raise
        except AuthFailure:
            pass  # the session is gone; the sign-out that follows stops and forgets
        except Exception:  # noqa: BLE001 - a bug here must not take the app down; it shows no live updates
            log.exception("notification updates stopped")
        finally:
            self.following = False

    async def _take_baseline(self) -> bool:
        """What is already there is not news: the newest page sets the unread count and the cursor."""
        try:
            fetched = await self.repository.inbox()
        except AuthFailure:
            raise
        except ApiFailure as failure:
            log.info("notifications not reachable yet: %s", failure)
            return False
        page = fetched.value
        self._seen.update(n.id for n in page.items)
        if self._cursor.after is None and page.items:
            self._cursor.after = page.items[0].id
        self.unread = page.unread
        self._baseline = not fetched.stale
        return self._baseline

    async def _register_device(self) -> None:
        if self._device_token is not None:
            return
        try:
            token = await self.push.token()
            if token and self.following:
                await self.repository.register_device(token, self.push.platform)
                await self._keep_or_drop(token)
        except ApiFailure as failure:
            log.warning("push device not registered: %s", failure)
        except Exception:  # noqa: BLE001 - a plugin's failure only means no push
            log.exception("push token unavailable")

    async def push_opened(self, data: Mapping[str, str]) -> None:
        """A tap on one of the app's system notifications: its receipt or bill. Signed out or locked, the
        route waits behind the sign-in or lock screen; signed in, the notification is also marked read."""
        route = push_route(data)
        if route and self.navigate is not None:
            self.navigate(route)
        notification_id = data.get("notification_id") if data else None
        if not self.following or not isinstance(notification_id, str) or not _PUSH_ID.fullmatch(notification_id):
            return
        try:
            await self.repository.mark_read(notification_id)
        except ApiFailure as failure:
            log.info("tapped notification not marked read: %s", failure)
            return
        self._cursor.marks += 1
        self._counted_read.add(notification_id)
        await self.refresh_count()

    async def open_launch_message(self) -> None:
        """At start: the notification whose tap launched the app, if any."""
        try:
            data = await self.push.launch_message()
        except Exception:  # noqa: BLE001 - a plugin's failure only means the home screen
            log.exception("launch notification unavailable")
            return
        if data:
            await self.push_opened(data)

    async def token_refreshed(self, token: str) -> None:
        """The push service replaced this device's token: the server gets the new one and forgets the old.
        Signed out (nothing registered, not following) it waits: the next sign-in asks for the token."""
        old = self._device_token
        if token == old or (old is None and not self.following):
            return
        try:
            await self.repository.register_device(token, self.push.platform)
        except ApiFailure as failure:
            log.warning("refreshed push token not registered: %s", failure)
            return
        if not await self._keep_or_drop(token):
            return
        if old is not None and old != self._device_token:
            try:
                await self.repository.unregister_device(old)
            except ApiFailure as failure:
                log.info("old push token not removed: %s", failure)

    async def _keep_or_drop(self, token: str) -> bool:
        """After a registration's await: still signed in, it is this device's token; signed out meanwhile,
        the server forgets it again, so the next user of the phone never gets this one's pushes."""
        if self.following:
            self._device_token = token
            return True
        try:
            await self.repository.unregister_device(token)
        except ApiFailure as failure:
            log.info("push token registered during sign-out not removed: %s", failure)
        return False

    def deliver(self, items: list[Notification], unread: int | None) -> None:
        """New notifications from the live source (oldest first) and, when known, the unread count."""
        new = [n for n in items if n.id not in self._seen]
        self._seen.update(n.id for n in new)
        if new:
            self.recent = (list(reversed(new)) + self.recent)[:RECENT_KEPT]
            self.received += len(new)
        if unread is not None:
            if unread != self.unread:
                self.unread = unread
        elif new:
            self.unread += sum(1 for n in new if not n.read)
        worth = [n for n in new if n.kind in BANNER_KINDS and not n.read]
        if worth:
            self._show_banner(worth[-1])

    # -- the banner ----------------------------------------------------------------------------
    def _show_banner(self, n: Notification) -> None:
        self.banner = n
        if self._banner_task is not None and not self._banner_task.done():
            self._banner_task.cancel()
        self._banner_task = asyncio.get_running_loop().create_task(self._hide_later(n), name=BANNER_TASK)

    async def _hide_later(self, n: Notification) -> None:
        await asyncio.sleep(self.banner_seconds)
        if self.banner is n:
            self.banner = None

    def _hide_banner(self) -> None:
        if self._banner_task is not None and not self._banner_task.done():
            self._banner_task.cancel()
        self._banner_task = None
        if self.banner is not None:
            self.banner = None

    def dismiss_banner(self) -> None:
        self._hide_banner()

    def dismissed(self, n: Notification) -> None:
        """The device says this banner went away (swiped, or its exit finished): only that one is hidden."""
        if self.banner is n or (self.banner is not None and self.banner.id == n.id):
            self._hide_banner()

    async def open_banner(self) -> str | None:
        """The banner's "Open": marks it read and says where to go; a second tap meanwhile does nothing."""
        n = self.banner
        if n is None or self.opening:
            return None
        self.opening = True
        try:
            self._hide_banner()
            await self.mark_read(n)
            return route_of(n)
        finally:
            self.opening = False

    # -- read marks shared with the inbox --------------------------------------------------------
    async def mark_read(self, n: Notification) -> Notification:
        """Marks it read on the server; offline it stays unread (opening it matters more)."""
        if n.read:
            return n
        try:
            done = await self.repository.mark_read(n.id)
        except ApiFailure as failure:
            log.info("could not mark %s read: %s", n.id, failure)
            return n
        self._cursor.marks += 1
        if n.id not in self._counted_read:  # read from the banner, then again from the inbox: counted once
            self._counted_read.add(n.id)
            self.unread = max(self.unread - 1, 0)
        self.recent = [done if r.id == n.id else r for r in self.recent]
        return done

    async def refresh_count(self) -> None:
        """When the home screen is shown: the count from the server (another device may have read some)."""
        try:
            count = await self.repository.unread_count()
        except ApiFailure:
            return
        if count != self.unread:
            self.unread = count

    def set_unread(self, count: int) -> None:
        self._cursor.marks += 1
        if count != self.unread:
            self.unread = count

    # -- sign-out ------------------------------------------------------------------------------
    async def before_sign_out(self) -> None:
        """While the session still works: this device stops receiving this user's pushes."""
        token, self._device_token = self._device_token, None
        if token is None:
            return
        try:
            await self.repository.unregister_device(token)
        except ApiFailure as failure:
            log.warning("push device not removed: %s", failure)

    def forget(self) -> None:
        """On sign-out nothing of the previous user stays: no count, banner, cursor or cache."""
        self.stop()
        self.repository.forget()
        self._cursor = Cursor()
        self._baseline = False
        self._seen.clear()
        self._counted_read.clear()
        self._device_token = None
        self.unread, self.received, self.recent, self.opening = 0, 0, [], False


# -- the inbox ------------------------------------------------------------------------------------

@ft.observable
@dataclass
class InboxViewModel:
    repository: NotificationsRepository
    center: NotificationCenter
    clock: Callable[[], dt.datetime] = _now
    items: list[Notification] | None = None
    next_before: str | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    loading_more: bool = False
    marking_all: bool = False
    opening: str | None = None  # the id being opened: other taps wait
    error: ApiFailure | None = None
    action_error: ApiFailure | None = None

    async def load(self) -> None:
        await load_into(self, self.repository.inbox, self._store)

    def _store(self, page) -> None:
        self.items = list(page.items)
        self.next_before = page.next_before
        self.center.set_unread(page.unread)

    async def load_more(self) -> None:
        if self.loading_more or not self.next_before:
            return
        self.loading_more, self.action_error = True, None
        try:
            page = await self.repository.page(before=self.next_before)
        except ApiFailure as failure:
            self.action_error = failure
        else:
            known = {n.id for n in self.items or ()}
            self.items = (self.items or []) + [n for n in page.items if n.id not in known]
            self.next_before = page.next_before
        finally:
            self.loading_more = False

    def merge(self, arrived: list[Notification]) -> None:
        """Notifications that arrived live while the inbox is open go on top."""
        if self.items is None:
            return
        known = {n.id for n in self.items}
        fresh = [n for n in arrived if n.id not in known]
        if fresh:
            self.items = fresh + self.items

    @property
    def groups(self) -> list[DayGroup]:
        return group_by_day(self.items or [], self.clock())

    @property
    def any_unread(self) -> bool:
        return any(not n.read for n in self.items or ())

    async def open(self, n: Notification) -> str | None:
        """Marks it read and says where it leads; None when it leads nowhere (it is only read)."""
        if self.opening is not None:
            return None
        self.opening = n.id
        try:
            done = await self.center.mark_read(n)
            if done is not n and self.items is not None:
                self.items = [done if x.id == n.id else x for x in self.items]
            return inbox_route_of(n)
        finally:
            self.opening = None

    async def mark_all_read(self) -> None:
        if self.marking_all:
            return
        self.marking_all, self.action_error = True, None
        try:
            await self.repository.mark_all_read()
        except ApiFailure as failure:
            self.action_error = failure
        else:
            self.items = [n if n.read else dataclasses.replace(n, read=True) for n in self.items or ()]
            self.center.set_unread(0)
        finally:
            self.marking_all = False


# -- settings -------------------------------------------------------------------------------------

QUIET_CHOICES = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60, 30))


@ft.observable
@dataclass
class NotificationSettingsViewModel:
    repository: NotificationsRepository
    prefs: NotificationPreferences | None = None  # what the screen shows, with the user's changes
    saved_prefs: NotificationPreferences | None = None  # what the server has
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    saving: bool = False
    saved: bool = False  # "Saved" after the last save, until the next change
    error: ApiFailure | None = None
    action_error: ApiFailure | None = None

    async def load(self) -> None:
        await load_into(self, self.repository.preferences, self._store)

    def _store(self, prefs: NotificationPreferences) -> None:
        prefs = _in_order(prefs)
        self.prefs = self.saved_prefs = prefs

    @property
    def changed(self) -> bool:
        return self.prefs is not None and self.prefs != self.saved_prefs

    def kind(self, kind: str) -> KindChannels | None:
        return next((k for k in self.prefs.kinds if k.kind == kind), None) if self.prefs else None

    def _edit(self, **changes) -> None:
        if self.prefs is None:
            return
        self.prefs = dataclasses.replace(self.prefs, **changes)
        self.saved = False

    def set_push(self, kind: str, on: bool) -> None:
        self._set_channel(kind, push=on)

    def set_sms(self, kind: str, on: bool) -> None:
        self._set_channel(kind, sms=on)

    def _set_channel(self, kind: str, **channel) -> None:
        if self.prefs is None:
            return
        self._edit(kinds=tuple(dataclasses.replace(k, **channel) if k.kind == kind else k for k in self.prefs.kinds))

    def set_quiet_start(self, value: str) -> None:
        if value in QUIET_CHOICES or value == (self.saved_prefs and self.saved_prefs.quiet_start):
            self._edit(quiet_start=value)

    def set_quiet_end(self, value: str) -> None:
        if value in QUIET_CHOICES or value == (self.saved_prefs and self.saved_prefs.quiet_end):
            self._edit(quiet_end=value)

    def set_person_notified(self, person_id: str, on: bool) -> None:
        if self.prefs is None:
            return
        self._edit(people=tuple(MutablePerson(p.id, p.full_name, not on) if p.id == person_id else p
                                for p in self.prefs.people))

    def quiet_choices(self) -> list[str]:
        extra = [v for v in (self.prefs.quiet_start, self.prefs.quiet_end) if v not in QUIET_CHOICES] \
            if self.prefs else []
        return sorted(set(QUIET_CHOICES) | set(extra))

    async def save(self) -> None:
        if self.saving or self.prefs is None:
            return
        self.saving, self.action_error, self.saved = True, None, False
        try:
            saved = _in_order(await self.repository.save_preferences(self.prefs))
        except ApiFailure as failure:
            self.action_error = failure
        else:
            self.prefs = self.saved_prefs = saved
            self.saved = True
        finally:
            self.saving = False


def _in_order(prefs: NotificationPreferences) -> NotificationPreferences:
    """The kinds in the order the app explains them (domain.notifications.KINDS); unknown ones last."""
    order = {k: i for i, k in enumerate(KINDS)}
    kinds = tuple(sorted(prefs.kinds, key=lambda k: order.get(k.kind, len(order))))
    return dataclasses.replace(prefs, kinds=kinds)
