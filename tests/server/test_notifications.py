"""Notifications: each event once, reminders on a fixed clock, quiet hours, preferences, the inbox,
delivery with retries, SMS without links, the live stream; exactly once under concurrent scheduler runs."""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse

import pytest
from sqlalchemy import func, select

from domain.notifications import reminder_stage
from server.auth.sms import OutboxSms, read_outbox
from server.bills.models import Bill
from server.db import session_scope
from server.notifications import texts
from server.notifications.delivery import run_deliveries
from server.notifications.models import Delivery, DeviceToken, Notification
from server.notifications.reminders import run_reminders
from server.people.models import FamilyMember, Person
from server.seed import DEMO_PHONE, OTHER_PHONE
from tests.server.conftest import sign_in
from tests.server.payments_helpers import bill_id, pay, vnpay_result

HOSPITAL = "VP-BN00458-2611"


def ipn(client, params):
    return client.get("/providers/vnpay/ipn?" + urllib.parse.urlencode(params)).json()["RspCode"]


def inbox(client, auth, **params) -> dict:
    r = client.get("/notifications", headers=auth, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def rows(app, model, *where):
    with app.state.session_factory() as db:
        found = list(db.scalars(select(model).where(*where)))
        db.expunge_all()
        return found


def make_bao_a_parent_of_an(app, clock):
    """Both parents see the child: Bảo joins An's family (the API for that comes with issue 8)."""
    for db in session_scope(app.state.session_factory):
        from server.auth.models import User
        bao = db.scalars(select(User).where(User.phone == OTHER_PHONE)).one()
        an = db.scalars(select(Person).where(Person.code == "HS0123")).one()
        db.add(FamilyMember(user_id=bao.id, person_id=an.id, role="payer", relation="Con", added_at=clock()))


def listen_in_background(client, auth) -> tuple[dict, threading.Thread]:
    """Opens the live stream on a thread; `got["body"]` holds everything it sent once it ended."""
    got: dict = {}

    def listen():
        with client.stream("GET", "/notifications/stream", headers=auth) as r:
            got["body"] = "".join(r.iter_text())

    listener = threading.Thread(target=listen)
    listener.start()
    return got, listener


# -- payment results ---------------------------------------------------------------------------------

def test_a_success_reaches_the_payer_once_however_often_the_callback_comes(client, auth, settings):
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "atm_card").json()
    for _ in range(3):
        assert ipn(client, vnpay_result(settings, p)) in ("00", "02")
    items = inbox(client, auth)["items"]
    assert [n["kind"] for n in items] == ["payment_succeeded"]
    note = items[0]
    assert note["payment_id"] == p["id"] and note["bill_id"] == p["bill_id"] and not note["read"]
    assert note["title"] == "Đã thanh toán 4.640.000\u00a0₫"
    assert "Viện phí nội trú" in note["body"] and HOSPITAL in note["body"] and "Nguyễn Thị Lan" in note["body"]
    assert note["institution_name"] == "Bệnh viện Đa khoa Hồng Phúc"


def test_both_parents_hear_of_a_payment_and_only_the_payer_of_a_failure(client, auth, settings, app, clock):
    make_bao_a_parent_of_an(app, clock)
    bao = sign_in(client, settings, OTHER_PHONE)
    failed = pay(client, auth, bill_id(client, auth, "HS0123-TA-1126"), "atm_card").json()
    ipn(client, vnpay_result(settings, failed, code="24"))
    assert [n["kind"] for n in inbox(client, auth)["items"]] == ["payment_failed"]
    assert "Chưa có tiền nào bị trừ." in inbox(client, auth)["items"][0]["body"]
    assert inbox(client, bao)["items"] == []
    clock.advance(minutes=1)
    paid = pay(client, auth, failed["bill_id"], "atm_card").json()
    ipn(client, vnpay_result(settings, paid, txn="14099999"))
    assert [n["kind"] for n in inbox(client, bao)["items"]] == ["payment_succeeded"]
    assert [n["kind"] for n in inbox(client, auth)["items"]] == ["payment_succeeded", "payment_failed"]


def test_an_unknown_payment_resolved_later_says_so(client, auth, settings, clock):
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "atm_card").json()
    settings.vnpay_api_url = "http://127.0.0.1:9/unreachable"
    clock.advance(minutes=16)
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "unknown"
    assert inbox(client, auth)["items"] == []
    settings.vnpay_api_url = ""
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "expired"
    [note] = inbox(client, auth)["items"]
    assert note["kind"] == "payment_resolved" and note["title"] == "Kết quả giao dịch: chưa thanh toán"


def test_english_users_read_english(client, auth, settings, app):
    for db in session_scope(app.state.session_factory):
        from server.auth.models import User
        db.scalars(select(User).where(User.phone == DEMO_PHONE)).one().locale = "en"
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "atm_card").json()
    ipn(client, vnpay_result(settings, p))
    assert inbox(client, auth)["items"][0]["title"] == "Paid ₫4,640,000"


# -- reminders ------------------------------------------------------------------------------------------

def test_reminder_stages_are_7_3_1_days_and_overdue():
    today = dt.date(2026, 11, 22)
    stages = {d: reminder_stage(today + dt.timedelta(days=d), today) for d in (10, 8, 7, 5, 4, 3, 2, 1, 0, -1)}
    assert stages == {10: None, 8: None, 7: "due_7", 5: "due_7", 4: "due_7", 3: "due_3", 2: "due_3",
                      1: "due_1", 0: "due_1", -1: "overdue"}


def kinds_by_bill(app) -> list[tuple[str, str, str]]:
    for db in session_scope(app.state.session_factory):
        found = db.execute(select(Notification.dedupe_key, Notification.kind, Bill.invoice_code)
                           .join(Bill, Bill.id == Notification.bill_id)).all()
        return sorted((code, kind, key.rsplit(":", 1)[1]) for key, kind, code in found)


def test_reminders_at_7_3_1_days_and_overdue_each_once(app, demo, clock):
    factory = app.state.session_factory
    assert run_reminders(factory, clock()) == 4
    assert run_reminders(factory, clock()) == 0  # the same day again: nothing new
    assert kinds_by_bill(app) == [("HS0123-HK1-2627", "due_soon", "due_7"), ("HS0123-TA-1126", "overdue", "overdue"),
                                  ("HS0789-HK1-2627", "due_soon", "due_7"), ("VP-BN00458-2611", "due_soon", "due_3")]
    clock.advance(days=2)
    assert run_reminders(factory, clock()) == 3
    clock.advance(days=2)
    assert run_reminders(factory, clock()) == 3
    clock.advance(days=30)
    run_reminders(factory, clock())
    stages = [s for code, _, s in kinds_by_bill(app) if code == "HS0123-HK1-2627"]
    assert stages == ["due_1", "due_3", "due_7", "overdue"]  # each once, never twice
    notes = rows(app, Notification, Notification.dedupe_key.like("%due_1"))
    assert any(n.title.startswith("Hôm nay là hạn đóng") for n in notes)  # the hospital bill, due that day


def test_a_paid_or_cancelled_bill_gets_no_reminder(app, demo, clock):
    for db in session_scope(app.state.session_factory):
        for bill in db.scalars(select(Bill)):
            if bill.invoice_code == HOSPITAL:
                bill.amount_paid = bill.total
            elif bill.invoice_code == "HS0123-TA-1126":
                bill.cancelled = True
    run_reminders(app.state.session_factory, clock())
    assert {code for code, _, _ in kinds_by_bill(app)} == {"HS0123-HK1-2627", "HS0789-HK1-2627"}


def test_new_bills_are_announced_to_the_family_once(app, demo, clock):
    for db in session_scope(app.state.session_factory):
        an = db.scalars(select(Person).where(Person.code == "HS0123")).one()
        db.add(Bill(institution_id=an.institution_id, person_id=an.id, invoice_code="HS0123-BT-1226", kind="tuition",
                    title="Tiền bán trú", period="Tháng 12/2026", due_date=dt.date(2026, 12, 20), total=600_000,
                    amount_paid=0, issued_at=clock() + dt.timedelta(minutes=5)))
    clock.advance(minutes=10)
    run_reminders(app.state.session_factory, clock())
    run_reminders(app.state.session_factory, clock())
    new = rows(app, Notification, Notification.kind == "new_bill")
    assert len(new) == 1 and new[0].title == "Hoá đơn mới cho Trần Minh An"
    assert "600.000\u00a0₫" in new[0].body and "20/12/2026" in new[0].body


def test_concurrent_scheduler_runs_send_each_reminder_once(app, demo, clock):
    """Four processes' worth of runs at once (PostgreSQL: real row locks on the unique key)."""
    if app.state.engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the concurrent run is proven on PostgreSQL")
    factory, barrier, totals, errors = app.state.session_factory, threading.Barrier(4), [], []

    def run():
        try:
            barrier.wait()
            totals.append(run_reminders(factory, clock()))
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors and sum(totals) == 4
    assert len(rows(app, Notification)) == 4
    assert run_reminders(factory, clock()) == 0


def test_a_rerun_after_a_crash_halfway_sends_only_the_rest(app, demo, clock, monkeypatch):
    from server.notifications import triggers
    calls = {"n": 0}
    real = triggers.reminder

    def dies_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("process killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(triggers, "reminder", dies_on_the_third)
    with pytest.raises(RuntimeError):
        run_reminders(app.state.session_factory, clock())
    assert len(rows(app, Notification)) == 2
    monkeypatch.setattr(triggers, "reminder", real)
    assert run_reminders(app.state.session_factory, clock()) == 2
    assert len(rows(app, Notification)) == 4


# -- quiet hours, preferences, mutes, delivery ----------------------------------------------------------

def register(client, auth, token="fcm-token-0123456789abcdef"):
    r = client.post("/notifications/devices", json={"token": token, "platform": "android"}, headers=auth)
    assert r.status_code == 201, r.text


def test_quiet_hours_hold_reminders_but_not_payment_results(client, auth, app, clock, settings):
    register(client, auth)
    clock.now = dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.timezone.utc)  # 23:30 in Hà Nội
    auth = sign_in(client, settings)  # the morning's session has gone idle
    run_reminders(app.state.session_factory, clock())
    held = rows(app, Delivery)
    assert held and all(d.next_attempt_at.replace(tzinfo=dt.timezone.utc)
                        == dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.timezone.utc) for d in held)  # 07:00
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "atm_card").json()
    ipn(client, vnpay_result(settings, p))
    note = rows(app, Notification, Notification.kind == "payment_succeeded")[0]
    [now_sent] = rows(app, Delivery, Delivery.notification_id == note.id)
    assert now_sent.channel == "push" and now_sent.next_attempt_at.replace(tzinfo=dt.timezone.utc) == clock()


def test_preferences_defaults_changes_and_bad_input(client, auth, app, clock):
    prefs = client.get("/notifications/preferences", headers=auth).json()
    assert prefs["quiet_start"] == "22:00" and prefs["quiet_end"] == "07:00"
    kinds = {k["kind"]: k for k in prefs["kinds"]}
    assert kinds["due_soon"] == {"kind": "due_soon", "push": True, "sms": True}
    assert kinds["payment_succeeded"]["sms"] is False
    assert [p["full_name"] for p in prefs["people"]] == ["Trần Minh An", "Trần Bảo Ngọc", "Nguyễn Văn Hùng"]
    for body, code in [({"kinds": [{"kind": "spam", "push": True, "sms": False}]}, "unknown_kind"),
                       ({"kinds": [{"kind": "new_bill", "push": True, "sms": True}]}, "sms_not_offered"),
                       ({"quiet_start": "25:00"}, "quiet_hours_invalid"), ({"quiet_end": "7h"}, "quiet_hours_invalid"),
                       ({"muted_people": ["not-mine"], "quiet_start": "21:00"}, "person_not_in_family")]:
        r = client.put("/notifications/preferences", json=body, headers=auth)
        assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text
    assert client.get("/notifications/preferences", headers=auth).json() == prefs  # nothing changed
    hung = prefs["people"][2]["id"]
    r = client.put("/notifications/preferences", headers=auth, json={
        "kinds": [{"kind": "due_soon", "push": True, "sms": False}], "quiet_start": "21:30", "quiet_end": "06:00",
        "muted_people": [hung]})
    assert r.status_code == 200
    saved = r.json()
    assert saved["quiet_start"] == "21:30" and [p["muted"] for p in saved["people"]] == [False, False, True]
    register(client, auth)
    run_reminders(app.state.session_factory, clock())
    lan = {n.id: n for n in rows(app, Notification, Notification.user_id == saved_user(app))}
    sms_kinds = [lan[d.notification_id].kind for d in rows(app, Delivery, Delivery.channel == "sms")
                 if d.notification_id in lan]
    assert sms_kinds == ["overdue"]  # SMS switched off for due_soon, still on for overdue
    hospital = rows(app, Notification, Notification.person_id == hung)
    assert hospital and not rows(app, Delivery, Delivery.notification_id == hospital[0].id)  # muted: inbox only
    overdue = rows(app, Notification, Notification.kind == "overdue")[0]
    assert {d.channel for d in rows(app, Delivery, Delivery.notification_id == overdue.id)} == {"push", "sms"}


def saved_user(app) -> str:
    from server.auth.models import User
    return rows(app, User, User.phone == DEMO_PHONE)[0].id


class FlakyPush:
    def __init__(self, answers):
        self.answers, self.sent = list(answers), []

    def send(self, token, title, body, data):
        from types import SimpleNamespace
        status = self.answers.pop(0) if self.answers else "sent"
        if status == "down":
            raise ConnectionError("push service unreachable")
        self.sent.append((token, title, data))
        return SimpleNamespace(status=status, error="" if status == "sent" else status)


def test_delivery_retries_with_back_off_and_loses_nothing(client, auth, app, clock, settings):
    register(client, auth)
    run_reminders(app.state.session_factory, clock())
    factory, sms = app.state.session_factory, OutboxSms(settings.sms_outbox)
    push = FlakyPush(["down", "down", "down"])
    first = run_deliveries(factory, clock(), push=push, sms=None)
    assert first == {"retry": 7}  # Lan's 3 pushes down, 4 SMS (Lan 3, Bảo 1) without a gateway: all wait
    pending = rows(app, Delivery)
    assert all(d.status == "pending" and d.attempts == 1 and d.last_error for d in pending)
    assert run_deliveries(factory, clock(), push=push, sms=sms) == {}  # not due yet: back-off
    clock.advance(seconds=31)
    assert run_deliveries(factory, clock(), push=push, sms=sms) == {"sent": 7}
    assert len(push.sent) == 3 and all(d.status == "sent" for d in rows(app, Delivery))
    texts_sent = [m["text"] for m in read_outbox(settings.sms_outbox) if m["text"].startswith("DONGPHI")]
    assert len(texts_sent) == 4 and all(t.isascii() for t in texts_sent)
    clock.advance(days=1)
    assert run_deliveries(factory, clock(), push=push, sms=sms) == {}  # sent once, never again


def test_an_unregistered_token_is_dropped_and_a_long_dead_channel_gives_up_only_after_days(client, auth, app,
                                                                                          clock):
    register(client, auth)
    run_reminders(app.state.session_factory, clock())
    factory = app.state.session_factory
    assert run_deliveries(factory, clock(), push=FlakyPush(["unregistered"]), sms=None) == {
        "unregistered": 1, "dropped": 2, "retry": 4}  # the token's other pushes are not sent to it
    assert rows(app, DeviceToken) == []
    assert {d.status for d in rows(app, Delivery, Delivery.channel == "push")} == {"dropped"}
    for _ in range(11):  # no SMS gateway for 66 hours: still waiting, never lost
        clock.now += dt.timedelta(hours=6)
        run_deliveries(factory, clock(), push=None, sms=None)
        assert {d.status for d in rows(app, Delivery, Delivery.channel == "sms")} == {"pending"}
    clock.advance(hours=7)
    run_deliveries(factory, clock(), push=None, sms=None)
    sms = rows(app, Delivery, Delivery.channel == "sms")
    assert {d.status for d in sms} == {"failed"} and all("SMS is not configured" in d.last_error for d in sms)


def test_sms_templates_never_carry_a_link():
    values = dict(title="Học phí học kỳ I", person="Trần Minh An", institution="TH Hoa Sen", amount="450.000 VND",
                  due="25/11/2026")
    for lang in texts.LANGS:
        for kind in texts.SMS:
            assert not texts.LINK.search(texts.t(lang, texts.SMS[kind])), (lang, kind)
            sms = texts.render_sms(lang, kind, **values)
            assert sms.isascii() and "http" not in sms.lower() and not texts.LINK.search(sms)
    for smuggled in ("https://dongphi-refund.xyz", "www.hoantien.vn", "hoantien.com", "bit.ly/abc"):
        with pytest.raises(ValueError):
            texts.render_sms("vi", "due_soon", **{**values, "institution": smuggled})


# -- the inbox API ------------------------------------------------------------------------------------------

def test_inbox_pages_newest_first_and_marks_read(client, auth, app, clock, settings):
    run_reminders(app.state.session_factory, clock())
    clock.advance(days=2)
    run_reminders(app.state.session_factory, clock())
    auth = sign_in(client, settings)  # two days idle: a new session
    first = inbox(client, auth, limit=2)
    assert first["unread"] == 5 and len(first["items"]) == 2 and first["next_before"]
    rest = inbox(client, auth, limit=2, before=first["next_before"])
    last = inbox(client, auth, limit=2, before=rest["next_before"])
    everything = first["items"] + rest["items"] + last["items"]
    assert len({n["id"] for n in everything}) == 5 and last["next_before"] is None
    times = [n["created_at"] for n in everything]
    assert times == sorted(times, reverse=True)
    one = everything[0]["id"]
    assert client.post(f"/notifications/{one}/read", headers=auth).json()["read"] is True
    assert client.get("/notifications/unread-count", headers=auth).json() == {"unread": 4}
    assert client.post("/notifications/read-all", headers=auth).json() == {"marked": 4, "unread": 0}
    bao = sign_in(client, settings, OTHER_PHONE)
    assert client.post(f"/notifications/{one}/read", headers=bao).json()["error"]["code"] == "notification_not_found"
    assert client.get("/notifications", headers=bao, params={"before": one}).status_code == 404
    assert client.get("/notifications").status_code == 401


def test_device_tokens_are_checked_and_can_be_removed(client, auth, app):
    bad = client.post("/notifications/devices", json={"token": "x", "platform": "android"}, headers=auth)
    assert bad.status_code == 422
    bad = client.post("/notifications/devices", json={"token": "a" * 30, "platform": "nokia"}, headers=auth)
    assert bad.status_code == 422
    register(client, auth, "b" * 40)
    register(client, auth, "b" * 40)
    assert len(rows(app, DeviceToken)) == 1
    assert client.delete(f"/notifications/devices/{'b' * 40}", headers=auth).status_code == 204
    assert rows(app, DeviceToken) == []


def test_the_live_stream_sends_new_notifications_as_events(client, auth, app, clock, settings):
    settings.notification_stream_max_seconds, settings.notification_stream_poll_seconds = 1.0, 0.05
    run_reminders(app.state.session_factory, clock())
    newest = inbox(client, auth)["items"]
    oldest_id = newest[-1]["id"]
    with client.stream("GET", "/notifications/stream", headers=auth, params={"after": oldest_id}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        body = "".join(r.iter_text())
    events = [json.loads(line[len("data: "):]) for line in body.splitlines() if line.startswith("data: ")]
    assert [e["id"] for e in events] == [n["id"] for n in reversed(newest[:-1])]
    assert "event: notification" in body and body.startswith("retry: ")
    with client.stream("GET", "/notifications/stream", headers={**auth, "Last-Event-ID": newest[0]["id"]}) as r:
        again = [json.loads(line[6:])["id"] for line in "".join(r.iter_text()).splitlines() if line.startswith("data: ")]
    # After a reconnect the stream looks back (rows may commit late); the app ignores ids it has seen.
    assert newest[0]["id"] not in again and set(again) <= {n["id"] for n in newest}


def test_a_notification_committed_late_still_reaches_the_open_stream(client, auth, app, clock, settings):
    """A reminder run stamps its rows with its start time: one committed after a newer row is not lost."""
    settings.notification_stream_max_seconds, settings.notification_stream_poll_seconds = 2.0, 0.05
    school = institution(app, "TH Hoa Sen")
    from server.notifications import triggers

    def message(n: int, at: dt.datetime):
        for db in session_scope(app.state.session_factory):
            triggers.institution_message(db, school, "institution_announcement", f"m{n}", f"Thông báo {n}",
                                         "Họp phụ huynh.", [saved_user(app)], at)

    got, listener = listen_in_background(client, auth)
    import time
    time.sleep(0.3)
    message(1, clock() + dt.timedelta(minutes=1))
    time.sleep(0.3)
    message(2, clock())  # older than the one already sent
    listener.join(timeout=10)
    titles = [json.loads(line[6:])["title"] for line in got["body"].splitlines() if line.startswith("data: ")]
    assert titles == ["Thông báo 1", "Thông báo 2"]


# -- what institutions send (signed with their key) ---------------------------------------------------------

def institution(app, short_name: str):
    from server.institutions.models import Institution
    return rows(app, Institution, Institution.short_name == short_name)[0]


def signed_post(client, path: str, secret: str, body: dict, signature: str | None = None):
    from server.providers import bankfeed
    raw = json.dumps(body).encode()
    return client.post(path, content=raw, headers={"content-type": "application/json",
                                                   "X-Signature": signature or bankfeed.sign(secret, raw)})


def test_a_bill_cleared_by_the_institution_tells_the_family_once(client, auth, app):
    hospital = institution(app, "BVĐK Hồng Phúc")
    path = f"/institution-api/{hospital.id}/bills/{HOSPITAL}/clear"
    assert signed_post(client, path, "wrong", {"reason": "paid_at_counter"}).status_code == 401
    assert signed_post(client, path, hospital.feed_secret, {"reason": "free"}).status_code == 422
    assert inbox(client, auth)["items"] == [] and HOSPITAL in {b["invoice_code"] for g in client.get(
        "/bills/outstanding", headers=auth).json()["groups"] for b in g["bills"]}
    assert signed_post(client, path, hospital.feed_secret, {"reason": "paid_at_counter"}).json() == {"status": "closed"}
    again = signed_post(client, path, hospital.feed_secret, {"reason": "paid_at_counter"}).json()
    assert again == {"status": "already_closed"}
    [note] = inbox(client, auth)["items"]
    assert note["kind"] == "bill_cleared" and note["title"] == "Bệnh viện Đa khoa Hồng Phúc đã đóng một hoá đơn"
    assert note["body"].endswith("đã được thanh toán tại quầy thu.")


def test_the_institution_cannot_close_a_bill_while_a_payment_is_on_its_way(client, auth, app):
    hospital = institution(app, "BVĐK Hồng Phúc")
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "vietqr").json()
    r = signed_post(client, f"/institution-api/{hospital.id}/bills/{HOSPITAL}/clear", hospital.feed_secret,
                    {"reason": "waived"})
    assert r.status_code == 409 and r.json()["error"]["details"]["payment_id"] == p["id"]


def test_institution_alerts_are_verified_and_reach_only_its_families_once(client, auth, app, settings):
    school = institution(app, "TH Hoa Sen")
    message = {"id": "canh-bao-2611", "kind": "alert", "title": "Cảnh báo lừa đảo học phí",
               "body": "Nhà trường không bao giờ yêu cầu chuyển học phí vào tài khoản cá nhân."}
    for _ in range(2):
        r = signed_post(client, f"/institution-api/{school.id}/messages", school.feed_secret, message)
        assert r.status_code == 200 and r.json()["recipients"] == 2
    [note] = inbox(client, auth)["items"]
    assert note["kind"] == "institution_alert" and note["verified"] is True
    assert note["institution_name"] == school.name and note["title"] == message["title"]
    bao = sign_in(client, settings, OTHER_PHONE)
    assert len(inbox(client, bao)["items"]) == 1
    hospital = institution(app, "BVĐK Hồng Phúc")
    forged = signed_post(client, f"/institution-api/{hospital.id}/messages", school.feed_secret,
                         {**message, "id": "x"})
    assert forged.status_code == 401


def test_push_through_the_real_fcm_adapter_and_its_stand_in(client, auth, app, clock):
    """The delivery worker with FcmPush against the local FCM HTTP v1 stand-in: sent, then a dead token dropped."""
    from fastapi.testclient import TestClient

    from server.notifications.fcm import FcmConfig, FcmPush
    from server.sandbox.fcm import FcmStandIn
    standin = FcmStandIn()
    account = standin.create_service_account(token_uri="http://testserver/token", project_id="dongphi-test")
    push = FcmPush(FcmConfig.from_dict(account, api_base="http://testserver"), http=TestClient(standin.app),
                   sleep=lambda _s: None)
    register(client, auth, "live-device-token-0123456789")
    register(client, auth, "dead-device-token-0123456789")
    standin.mark_unregistered("dead-device-token-0123456789")
    run_reminders(app.state.session_factory, clock())
    counts = run_deliveries(app.state.session_factory, clock(), push=push, sms=None)
    # The first answer about the dead phone removes it; its two other deliveries are then dropped unsent.
    assert counts == {"sent": 3, "unregistered": 1, "dropped": 2, "retry": 4}  # SMS: no gateway here
    assert {m.message["token"] for m in standin.sent} == {"live-device-token-0123456789"}
    assert [d.token for d in rows(app, DeviceToken)] == ["live-device-token-0123456789"]
    sent = standin.sent[0].message
    assert sent["notification"]["title"] and set(sent["data"]) == {"notification_id", "kind", "bill_id", "payment_id"}


def test_the_stream_ends_when_its_session_is_signed_out_and_does_not_keep_it_alive(client, auth, app, clock,
                                                                                  settings):
    settings.notification_stream_max_seconds, settings.notification_stream_poll_seconds = 20.0, 0.05
    got, listener = listen_in_background(client, auth)
    import time
    time.sleep(0.5)
    assert client.delete("/auth/session", headers=auth).status_code == 204  # signed out on this device
    listener.join(timeout=10)
    assert not listener.is_alive() and "event: signed_out" in got["body"]
    assert client.get("/notifications/stream", headers=auth).status_code == 401

    auth = sign_in(client, settings)
    settings.notification_stream_max_seconds = 0.3
    clock.advance(seconds=settings.session_idle_seconds - 60)
    client.get("/notifications/stream", headers=auth).read()  # the app's own stream, not the user's use
    clock.advance(seconds=120)
    assert client.get("/notifications/unread-count", headers=auth).json()["error"]["code"] == "session_idle"


def test_the_sweeper_tells_the_result_of_a_payment_nobody_looks_at(client, auth, app, clock, settings):
    """The patient closed the app: past its expiry the payment is asked about, and its result told."""
    from server.payments.sweeper import sweep_payments
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "atm_card").json()
    client.post("/sandbox/behaviour", json={"mode": "drop"})  # the gateway's callback never comes
    client.get(p["pay_url"].replace("http://testserver", ""))
    client.post("/sandbox/vnpay/decide", data={"order_id": p["reference"], "decision": "approved"})
    assert sweep_payments(app.state.session_factory, settings, app.state.http, clock()) == 0  # not due yet
    clock.advance(minutes=16)
    assert sweep_payments(app.state.session_factory, settings, app.state.http, clock()) == 1
    assert sweep_payments(app.state.session_factory, settings, app.state.http, clock()) == 0
    auth = sign_in(client, settings)
    [note] = inbox(client, auth)["items"]
    assert note["kind"] == "payment_succeeded" and note["payment_id"] == p["id"]


def test_the_background_jobs_remind_and_deliver_in_one_pass(client, auth, app, clock, settings):
    from server.notifications.jobs import Jobs
    jobs = Jobs(settings, app.state.session_factory, clock, OutboxSms(settings.sms_outbox), http=app.state.http)
    jobs.run_once()
    jobs.run_once()
    reminders = [m for m in read_outbox(settings.sms_outbox) if m["text"].startswith("DONGPHI")]
    assert len(reminders) == 4 and {m["to"] for m in reminders} == {DEMO_PHONE, OTHER_PHONE}
    assert inbox(client, auth)["unread"] == 3


def test_signing_a_device_out_stops_its_pushes(client, auth, app, settings):
    register(client, auth, "phone-of-lan-0123456789")
    first = next(s["id"] for s in client.get("/auth/sessions", headers=auth).json()["sessions"] if s["current"])
    other = sign_in(client, settings)  # Lan, on a second device, signs the first one out
    assert client.delete(f"/auth/sessions/{first}", headers=other).status_code == 204
    assert rows(app, DeviceToken) == []
    register(client, other, "phone-two-of-lan-0123456789")
    assert client.delete("/auth/session", headers=other).status_code == 204  # and signs out there too
    assert rows(app, DeviceToken) == []


# -- found in review: each of these failed before its fix ---------------------------------------------------

def test_a_phone_signed_out_or_handed_on_gets_none_of_the_held_pushes(client, auth, app, clock, settings):
    register(client, auth, "shared-phone-0123456789")
    clock.now = dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.timezone.utc)  # 23:30: reminders are held
    auth = sign_in(client, settings)
    register(client, auth, "shared-phone-0123456789")
    run_reminders(app.state.session_factory, clock())
    assert client.delete("/auth/session", headers=auth).status_code == 204  # Lan signs out…
    bao = sign_in(client, settings, OTHER_PHONE)
    register(client, bao, "shared-phone-0123456789")  # …and Bảo signs in on the same phone
    clock.now = dt.datetime(2026, 11, 23, 0, 1, tzinfo=dt.timezone.utc)  # 07:01
    push = FlakyPush([])
    run_deliveries(app.state.session_factory, clock(), push=push, sms=OutboxSms(settings.sms_outbox))
    assert push.sent == []  # none of Lan's reminders reach the phone Bảo now holds
    lan = {n.id for n in rows(app, Notification, Notification.user_id == saved_user(app))}
    assert {d.status for d in rows(app, Delivery, Delivery.channel == "push") if d.notification_id in lan} \
        == {"dropped"}


def test_a_reminder_held_overnight_is_not_sent_once_the_bill_is_paid(client, auth, app, clock, settings):
    clock.now = dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.timezone.utc)  # 23:30
    auth = sign_in(client, settings)
    run_reminders(app.state.session_factory, clock())
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "atm_card").json()
    ipn(client, vnpay_result(settings, p))
    clock.now = dt.datetime(2026, 11, 23, 0, 1, tzinfo=dt.timezone.utc)
    run_deliveries(app.state.session_factory, clock(), push=None, sms=OutboxSms(settings.sms_outbox))
    sent = [m["text"] for m in read_outbox(settings.sms_outbox) if m["text"].startswith("DONGPHI")]
    assert sent and not any("Vien phi" in t for t in sent)


def test_two_workers_never_both_send_one_delivery(client, auth, app, clock):
    from server.notifications import delivery
    register(client, auth)
    run_reminders(app.state.session_factory, clock())
    [first, *_] = rows(app, Delivery, Delivery.channel == "push")
    factory = app.state.session_factory
    mine = delivery._claim(factory, first.id, clock())
    assert mine and delivery._claim(factory, first.id, clock()) is None  # the twin loses the claim
    # The first worker is slow: its lease runs out, a second takes the row over and sends it.
    later = clock() + delivery.LEASE + dt.timedelta(seconds=1)
    theirs = delivery._claim(factory, first.id, later)
    assert theirs and delivery._deliver(factory, first.id, theirs, later, FlakyPush([]), None,
                                        dt.timedelta(hours=72)) == "sent"
    delivery._deliver(factory, first.id, mine, later, FlakyPush(["failed"]), None, dt.timedelta(hours=72))
    [row] = rows(app, Delivery, Delivery.id == first.id)
    assert row.status == "sent" and row.attempts == 1  # the late worker's outcome is not recorded


def test_a_mute_holds_back_pushes_except_the_payers_own_result(client, auth, app, clock, settings):
    make_bao_a_parent_of_an(app, clock)
    bao = sign_in(client, settings, OTHER_PHONE)
    an = next(p["id"] for p in client.get("/notifications/preferences", headers=bao).json()["people"]
              if p["full_name"] == "Trần Minh An")
    for who in (auth, bao):
        assert client.put("/notifications/preferences", json={"muted_people": [an]}, headers=who).status_code == 200
    register(client, auth, "lans-phone-0123456789")
    register(client, bao, "baos-phone-0123456789")
    p = pay(client, auth, bill_id(client, auth, "HS0123-TA-1126"), "atm_card").json()
    ipn(client, vnpay_result(settings, p))
    notes = {n.id: n for n in rows(app, Notification, Notification.kind == "payment_succeeded")}
    assert len(notes) == 2  # both parents have it in the inbox
    pushed_to = {d.target for d in rows(app, Delivery) if d.notification_id in notes}
    assert pushed_to == {"lans-phone-0123456789"}  # Lan paid: her own result; Bảo muted An


def test_an_overpayment_announces_the_refund(client, auth, app):
    from tests.server.payments_helpers import feed_post
    hospital = institution(app, "BVĐK Hồng Phúc")
    p = pay(client, auth, bill_id(client, auth, HOSPITAL), "vietqr").json()
    event = {"reference": "FT9", "account_number": p["account"]["account_number"], "bank_bin": "970418",
             "amount": p["amount"] + 60_000, "time": "2026-11-22T10:05:00+07:00",
             "content": f"NGUYEN THI LAN CK {p['transfer_content']}"}
    assert feed_post(client, hospital.id, hospital.feed_secret, event).status_code == 200
    kinds = {n["kind"]: n for n in inbox(client, auth)["items"]}
    assert set(kinds) == {"payment_succeeded", "refund"}
    assert kinds["refund"]["title"] == "Sẽ hoàn lại 60.000\u00a0₫"


def test_the_first_stream_sees_a_row_stamped_just_before_it_opened(client, auth, app, clock, settings):
    settings.notification_stream_max_seconds, settings.notification_stream_poll_seconds = 1.5, 0.05
    school = institution(app, "TH Hoa Sen")
    from server.notifications import triggers
    got, listener = listen_in_background(client, auth)
    import time
    time.sleep(0.3)
    for db in session_scope(app.state.session_factory):  # its transaction began before the stream opened
        triggers.institution_message(db, school, "institution_announcement", "m0", "Họp phụ huynh", "Thứ bảy.",
                                     [saved_user(app)], clock() - dt.timedelta(seconds=2))
    listener.join(timeout=10)
    titles = [json.loads(line[6:])["title"] for line in got["body"].splitlines() if line.startswith("data: ")]
    assert titles == ["Họp phụ huynh"]


def test_the_stream_moves_past_more_rows_than_one_query_returns(client, auth, app, clock, settings):
    """250 notifications with one timestamp (a big reminder run): the stream sends each, once."""
    settings.notification_stream_max_seconds, settings.notification_stream_poll_seconds = 1.5, 0.05
    school = institution(app, "TH Hoa Sen")
    from server.notifications import triggers
    for db in session_scope(app.state.session_factory):
        for n in range(250):
            triggers.institution_message(db, school, "institution_announcement", f"b{n}", f"Tin {n}", "Nội dung.",
                                         [saved_user(app)], clock())
    with client.stream("GET", "/notifications/stream", headers=auth) as r:
        body = "".join(r.iter_text())
    ids = [json.loads(line[6:])["id"] for line in body.splitlines() if line.startswith("data: ")]
    assert len(ids) == 250 and len(set(ids)) == 250


def test_the_sweeper_asks_less_often_about_a_payment_it_cannot_resolve():
    from server.payments.sweeper import Backoff
    backoff = Backoff()
    assert backoff.due("p1", 0)
    waits = []
    at = 0.0
    for _ in range(8):
        backoff.again_later("p1", at)
        nxt = backoff._next["p1"][0]
        assert not backoff.due("p1", nxt - 1) and backoff.due("p1", nxt) and backoff.due("p2", at)
        waits.append(nxt - at)
        at = nxt
    assert waits[:4] == [30, 60, 120, 240] and waits[-1] == 1800  # doubling, capped at 30 minutes
    backoff.forget("p1")
    assert backoff.due("p1", 0)
