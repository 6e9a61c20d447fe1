"""Notification view-models and live sources against small fakes (no Flet client, no server)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import httpx

from app.data.api import ApiClient, AuthFailure, NetworkFailure
from app.data.bills import Fetched
from app.data.notifications import Cursor, LiveUpdates, PollingUpdates, SseUpdates
from app.data.push import FixedPushToken
from app.models import KindChannels, MutablePerson, Notification, NotificationPage, NotificationPreferences
from app.ui.notifications.view_model import (InboxViewModel, NotificationCenter, NotificationSettingsViewModel,
                                             group_by_day, inbox_route_of, route_of)

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)  # 10:00 in Vietnam


def note(nid: str, kind: str = "payment_succeeded", at: dt.datetime = NOW, read: bool = False, **over) -> Notification:
    values = dict(id=nid, kind=kind, title=f"T {nid}", body="B", created_at=at, read=read, bill_id="b1",
                  payment_id="p1" if kind.startswith("payment") else None)
    values.update(over)
    return Notification(**values)


class FakeRepo:
    def __init__(self, items=(), unread=None):
        self.items = list(items)
        self.unread = unread if unread is not None else sum(not n.read for n in self.items)
        self.read: list[str] = []
        self.devices: list[tuple[str, str]] = []
        self.removed: list[str] = []
        self.fail: Exception | None = None
        self.saved: list[NotificationPreferences] = []
        self.forgotten = False

    def _page(self):
        return NotificationPage(tuple(self.items), None, self.unread)

    async def inbox(self, limit=20):
        if self.fail:
            raise self.fail
        return Fetched(self._page(), NOW)

    async def page(self, before=None, limit=20):
        if self.fail:
            raise self.fail
        return self._page()

    async def mark_read(self, nid):
        await asyncio.sleep(0)  # a real answer takes a moment: a second tap comes meanwhile
        if self.fail:
            raise self.fail
        self.read.append(nid)
        return next(Notification(**{**n.__dict__, "read": True}) for n in self.items if n.id == nid)

    async def unread_count(self):
        return self.unread

    async def register_device(self, token, platform):
        self.devices.append((token, platform))

    async def unregister_device(self, token):
        self.removed.append(token)

    async def preferences(self):
        return Fetched(PREFS, NOW)

    async def save_preferences(self, prefs):
        await asyncio.sleep(0)
        self.saved.append(prefs)
        return prefs

    def forget(self):
        self.forgotten = True


class NoLive:
    async def run(self, cursor, deliver):
        await asyncio.Event().wait()


PREFS = NotificationPreferences(kinds=(KindChannels("due_soon", True, True), KindChannels("new_bill", True, False)),
                                quiet_start="22:00", quiet_end="07:00",
                                people=(MutablePerson("p1", "Trần Minh An", False),))


def test_days_are_vietnam_days():
    items = [note("a", at=NOW), note("b", at=dt.datetime(2026, 11, 21, 17, 0, tzinfo=dt.UTC)),  # 00:00 on the 22nd
             note("c", at=dt.datetime(2026, 11, 21, 16, 59, tzinfo=dt.UTC)),  # 23:59 on the 21st
             note("d", at=dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC))]
    groups = group_by_day(items, NOW)
    assert [(g.when, [n.id for n in g.items]) for g in groups] == [
        ("today", ["a", "b"]), ("yesterday", ["c"]), ("date", ["d"])]
    assert groups[2].day == dt.date(2026, 11, 2)


def test_where_a_notification_leads():
    assert route_of(note("a")) == "/bills/b1/payments/p1"
    assert route_of(note("a", kind="new_bill")) == "/bills/b1"
    assert route_of(note("a", kind="institution_announcement", bill_id=None)) is None
    assert route_of(note("a", bill_id=None)) == "/payments/p1"
    # From the inbox the same screens sit above it, so Back returns there.
    assert inbox_route_of(note("a")) == "/notifications/payments/p1"
    assert inbox_route_of(note("a", kind="new_bill", payment_id=None)) == "/notifications/bills/b1"
    assert inbox_route_of(note("a", kind="institution_announcement", bill_id=None, payment_id=None)) is None


async def test_centre_counts_dedupes_and_shows_a_banner_that_goes_away():
    repo = FakeRepo([note("old", read=False)])
    center = NotificationCenter(repository=repo, live=NoLive(), banner_seconds=0.05)
    center.start()
    await asyncio.sleep(0.01)
    assert center.unread == 1 and center._cursor.after == "old"
    center.deliver([note("old")], None)  # already there at start: not news
    assert center.banner is None and center.unread == 1
    center.deliver([note("due", kind="due_soon"), note("paid")], None)
    assert center.unread == 3 and center.received == 2 and [n.id for n in center.recent] == ["paid", "due"]
    assert center.banner.id == "paid"  # payment results and new bills only
    center.deliver([note("paid")], 3)  # the same again (stream, then polling): once
    assert center.received == 2
    await asyncio.sleep(0.1)
    assert center.banner is None
    center.stop()


async def test_banner_open_marks_read_once_and_says_where_to_go():
    repo = FakeRepo([note("paid")])
    center = NotificationCenter(repository=repo, live=NoLive())
    center.deliver([note("paid")], None)
    center.unread = 1
    first, second = await asyncio.gather(center.open_banner(), center.open_banner())
    assert first == "/bills/b1/payments/p1" and second is None
    assert repo.read == ["paid"] and center.unread == 0 and center.banner is None


async def test_dismissal_reported_late_does_not_hide_a_newer_banner():
    center = NotificationCenter(repository=FakeRepo(), live=NoLive())
    center.deliver([note("one")], None)
    first = center.banner
    center.deliver([note("two")], None)
    center.dismissed(first)
    assert center.banner.id == "two"
    center.dismiss_banner()
    assert center.banner is None


async def test_push_token_registered_after_sign_in_and_removed_before_sign_out():
    repo = FakeRepo()
    center = NotificationCenter(repository=repo, live=NoLive(),
                                push=FixedPushToken("fcm-token-1234567890abc", "android"))
    center.start()
    await asyncio.sleep(0.01)
    assert repo.devices == [("fcm-token-1234567890abc", "android")]
    await center.before_sign_out()
    center.forget()
    assert repo.removed == ["fcm-token-1234567890abc"] and repo.forgotten
    assert center.unread == 0 and center.recent == [] and not center.following


class SlowRegistration(FakeRepo):
    """The server's answer to a registration arrives after the user has signed out."""

    def __init__(self):
        super().__init__()
        self.answer = asyncio.Event()

    async def register_device(self, token, platform):
        await self.answer.wait()
        await super().register_device(token, platform)


async def test_a_token_refreshed_while_signing_out_is_not_left_registered():
    repo = SlowRegistration()
    push = FixedPushToken("fcm-token-old-1234567890", "android")
    center = NotificationCenter(repository=repo, live=NoLive(), push=push)
    center.start()
    repo.answer.set()
    await asyncio.sleep(0.01)
    assert repo.devices == [("fcm-token-old-1234567890", "android")]
    repo.answer.clear()
    refreshing = asyncio.create_task(push.refresh("fcm-token-new-1234567890"))
    await asyncio.sleep(0.01)
    await center.before_sign_out()  # meanwhile: the user signs out
    center.stop()
    center.forget()
    repo.answer.set()
    await refreshing
    # The server got the new token after the sign-out removed the old one: it is removed again at once,
    # so the next person to use the phone does not receive this user's pushes.
    assert repo.removed == ["fcm-token-old-1234567890", "fcm-token-new-1234567890"]


async def test_registration_does_not_hold_up_the_inbox_while_the_permission_dialog_is_open():
    class Asking(FixedPushToken):
        def __init__(self):
            super().__init__("fcm-token-1234567890abc", "android")
            self.answered = asyncio.Event()

        async def token(self):
            await self.answered.wait()  # the person has not answered the system dialog yet
            return await super().token()

    repo = FakeRepo([note("a")])
    push = Asking()
    delivered = asyncio.Event()

    class Live(NoLive):
        async def run(self, cursor, deliver):
            delivered.set()
            await asyncio.sleep(3600)

    center = NotificationCenter(repository=repo, live=Live(), push=push)
    center.start()
    await asyncio.wait_for(delivered.wait(), 1)  # live updates started although no token yet
    assert repo.devices == []
    push.answered.set()
    await asyncio.sleep(0.01)
    assert repo.devices == [("fcm-token-1234567890abc", "android")]
    center.stop()


async def test_inbox_open_blocks_double_taps_and_mark_all_read():
    repo = FakeRepo([note("a"), note("b", kind="new_bill")])
    center = NotificationCenter(repository=repo, live=NoLive())
    vm = InboxViewModel(repository=repo, center=center, clock=lambda: NOW)
    await vm.load()
    assert center.unread == 2 and vm.any_unread
    routes = await asyncio.gather(vm.open(vm.items[0]), vm.open(vm.items[1]))
    assert routes == ["/notifications/payments/p1", None] and repo.read == ["a"]
    assert vm.items[0].read and center.unread == 1

    async def mark_all_read():
        return 1
    repo.mark_all_read = mark_all_read
    await vm.mark_all_read()
    assert not vm.any_unread and center.unread == 0
    vm.merge([note("c", kind="new_bill"), note("a")])
    assert [n.id for n in vm.items] == ["c", "a", "b"]


async def test_offline_open_still_leads_to_the_bill():
    repo = FakeRepo([note("a", kind="new_bill")])
    center = NotificationCenter(repository=repo, live=NoLive())
    vm = InboxViewModel(repository=repo, center=center, clock=lambda: NOW)
    await vm.load()
    repo.fail = NetworkFailure("network")
    assert await vm.open(vm.items[0]) == "/notifications/bills/b1" and not vm.items[0].read


async def test_settings_edit_and_save():
    repo = FakeRepo()
    vm = NotificationSettingsViewModel(repository=repo)
    await vm.load()
    assert [k.kind for k in vm.prefs.kinds] == ["new_bill", "due_soon"]  # the order the app explains them
    assert not vm.changed
    vm.set_sms("due_soon", False)
    vm.set_quiet_start("21:30")
    vm.set_quiet_end("7:5")  # not a choice: ignored
    vm.set_person_notified("p1", False)
    assert vm.changed
    await asyncio.gather(vm.save(), vm.save())
    assert len(repo.saved) == 1
    body = repo.saved[0].to_json()
    assert body["quiet_start"] == "21:30" and body["quiet_end"] == "07:00" and body["muted_people"] == ["p1"]
    assert {"kind": "due_soon", "push": True, "sms": False} in body["kinds"]
    assert vm.saved and not vm.changed


async def test_polling_delivers_what_is_newer_than_the_cursor():
    repo = FakeRepo([note("b"), note("a")])
    got: list[tuple[list[str], int | None]] = []
    cursor = Cursor(after="a")
    polling = PollingUpdates(repo, interval=0)
    await polling.poll_once(cursor, lambda items, unread: got.append(([n.id for n in items], unread)))
    assert got == [(["b"], 2)] and cursor.after == "b"
    repo.items = [note("d"), note("c"), note("b"), note("a")]
    await polling.poll_once(cursor, lambda items, unread: got.append(([n.id for n in items], unread)))
    assert got[-1] == (["c", "d"], 2) and cursor.after == "d"  # oldest first
    repo.fail = NetworkFailure("network")
    await PollingUpdates(repo, interval=0).poll_once(cursor, lambda *_: got.append("x"))  # offline: nothing, no error
    assert got[-1] != "x"


async def test_polling_finds_a_new_one_listed_below_the_cursor():
    """Two notifications with the same time list in id order, not in the order they were made."""
    repo = FakeRepo([note("m")])
    polling, cursor, got = PollingUpdates(repo, interval=0), Cursor(after="m"), []
    await polling.poll_once(cursor, lambda items, _u: got.extend(n.id for n in items))
    repo.items = [note("m"), note("a")]  # "a" is new but sorts below "m"
    await polling.poll_once(cursor, lambda items, _u: got.extend(n.id for n in items))
    assert got == ["a"]


def _sse_client(body: str, seen: list) -> ApiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers.get("Last-Event-ID"), request.headers.get("Authorization")))
        return httpx.Response(200, content=body.encode(), headers={"content-type": "text/event-stream"})

    async def token():
        return "tok"
    return ApiClient("http://api", token, transport=httpx.MockTransport(handler))


async def test_sse_parses_events_skips_comments_and_reconnects_after_the_last_id():
    n1, n2 = note("n1").__dict__ | {"created_at": "2026-11-22T03:00:00Z"}, \
        note("n2", kind="new_bill").__dict__ | {"created_at": "2026-11-22T03:00:01Z"}
    body = (f"retry: 2000\n\n: ping\n\nid: n1\nevent: notification\ndata: {json.dumps(n1)}\n\n"
            f"id: n2\nevent: notification\ndata: {json.dumps(n2)}\n\n: ping\n\n")
    seen: list = []
    api = _sse_client(body, seen)
    got: list[str] = []
    cursor = Cursor(after="n0")
    await SseUpdates(api).run_once(cursor, lambda items, _u: got.extend(n.id for n in items))
    assert got == ["n1", "n2"] and cursor.after == "n2"
    assert seen[0] == ("http://api/notifications/stream?after=n0", "n0", "Bearer tok")
    await api.aclose()


async def test_live_falls_back_to_polling_when_the_stream_fails_and_stops_on_auth():
    class BrokenSse:
        calls = 0

        async def run(self, cursor, deliver):
            self.calls += 1
            if self.calls > 2:
                raise AuthFailure("session_expired", status=401)
            raise NetworkFailure("network")

    class CountingPolling:
        runs: list[float | None] = []

        async def run(self, cursor, deliver, *, duration=None):
            self.runs.append(duration)

    sse, polling = BrokenSse(), CountingPolling()
    live = LiveUpdates(sse=sse, polling=polling, retry_after=5)
    try:
        await live.run(Cursor(), lambda *_: None)
    except AuthFailure:
        pass
    assert sse.calls == 3 and polling.runs == [5, 5]


async def test_read_from_the_banner_then_from_the_inbox_counts_once():
    repo = FakeRepo([note("paid"), note("due", kind="due_soon")])
    center = NotificationCenter(repository=repo, live=NoLive())
    center.unread = 2
    stale_copy = note("paid")  # the inbox still lists it unread
    await center.mark_read(note("paid"))
    await center.mark_read(stale_copy)
    assert center.unread == 1


async def test_an_answer_that_arrives_after_sign_out_is_not_kept_for_the_next_user():
    from app.data.notifications import NotificationsRepository
    release = asyncio.Event()
    answers = {"phase": "lan"}

    async def handler(request):
        if answers["phase"] == "lan":
            await release.wait()
            return httpx.Response(200, json={"items": [], "next_before": None, "unread": 7})
        return httpx.Response(503)

    class Slow(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request):
            return await handler(request)

    async def token():
        return "t"
    api = ApiClient("http://api", token, transport=Slow(), retries=0)
    repo = NotificationsRepository(api)
    lans = asyncio.create_task(repo.inbox())
    await asyncio.sleep(0.01)
    repo.forget()  # Lan signs out while her inbox is on its way
    answers["phase"] = "bao"
    release.set()
    try:
        await lans
        raise AssertionError("an answer for the previous user was returned")
    except AuthFailure:
        pass
    try:
        await repo.inbox()  # Bảo, offline: nothing of Lan's may be shown as a stale copy
        raise AssertionError("a cached page was shown")
    except Exception as failure:  # noqa: BLE001 - the server failure itself, not Lan's page
        assert not isinstance(failure, AssertionError)


async def test_a_count_asked_for_before_this_device_marked_all_read_does_not_bring_the_badge_back():
    """The poll leaves, the payer taps "mark all read", the poll's answer (4 unread) arrives afterwards."""
    repo = FakeRepo([note("b"), note("a")], unread=4)
    cursor = Cursor(after="b")
    got: list[int | None] = []
    started, release = asyncio.Event(), asyncio.Event()
    slow_page = repo.page

    async def page(before=None, limit=20):
        started.set()
        await release.wait()
        return await slow_page(before, limit)

    repo.page = page
    poll = asyncio.ensure_future(PollingUpdates(repo, interval=0).poll_once(cursor, lambda _i, unread: got.append(unread)))
    await started.wait()
    cursor.marks += 1  # what NotificationCenter.set_unread / mark_read do when the server confirmed the marks
    release.set()
    await poll
    assert got == [None]  # the stale count is dropped; the next poll brings the true one
    await PollingUpdates(repo, interval=0).poll_once(cursor, lambda _i, unread: got.append(unread))
    assert got[-1] == 4
