"""Notifications in a headless app session against the real server: the bell, the banner while the app is
open, the inbox grouped by day, opening one (read, then its receipt), settings, and sign-out forgetting."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest_asyncio
from sqlalchemy import select

from server.auth.models import User
from server.notifications.models import Notification as NotificationRow
from tests.app.conftest import NOW, app_session, close_session, polling_every
from tests.app.test_payment_views import _payments_of, bank_transfer, confirm_with, routes
from tests.app.test_views import sign_in

HOSPITAL_BILL = "VP-BN00458-2611"


@pytest_asyncio.fixture
async def nui(transport):
    """A session whose live notifications are polled quickly (the real app streams, or polls every 10 s)."""
    h = await app_session(transport, live=polling_every(0.05))
    h.services.wall_clock = lambda: NOW
    yield h
    close_session(h)


def rows(server, phone_user_id: str | None = None) -> list[NotificationRow]:
    with server.state.session_factory() as db:
        query = select(NotificationRow)
        if phone_user_id:
            query = query.where(NotificationRow.user_id == phone_user_id)
        return list(db.scalars(query))


def shown_banner(ui):
    """The banner on screen, if any (a dismissed one stays in the dialog list until the device lets go)."""
    return next((c for c in ui.controls() if c.key == "notification-banner" and c.open), None)


def bell(ui) -> str:
    return ui.find("open-notifications").tooltip


async def pay_the_hospital_bill(ui, server, transport) -> tuple[str, str]:
    """From home, pay the hospital bill by VietQR; the bank's feed reports the transfer. (bill id, payment id)"""
    await ui.click(f"bill-{HOSPITAL_BILL}")
    await ui.wait_for(lambda: ui.has("pay-bill"))
    bill_id = ui.page.route.split("/")[2]
    await confirm_with(ui, "vietqr")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("payment-qr"))
    [payment] = _payments_of(server, bill_id)
    await bank_transfer(server, transport, payment.id)
    return bill_id, payment.id


async def test_a_payment_result_shows_a_banner_the_bell_counts_it_and_the_inbox_opens_the_receipt(nui, server,
                                                                                               transport):
    ui = nui
    await sign_in(ui, server)
    assert bell(ui) == "Thông báo"  # nothing unread yet
    bill_id, payment_id = await pay_the_hospital_bill(ui, server, transport)

    # While the app is open the result arrives as a banner (not a dialog: nothing is blocked).
    await ui.wait_for(lambda: shown_banner(ui) is not None)
    assert type(shown_banner(ui)).__name__ == "Banner"
    assert ui.text_of("notification-banner-title") == "Đã thanh toán 4.640.000\u00a0₫"
    assert ui.find("notification-banner-open").content == "Xem"
    assert ui.find("notification-banner-close").content == "Đóng"
    await ui.click("notification-banner-close")
    await ui.wait_for(lambda: shown_banner(ui) is None)

    await ui.back()
    await ui.back()
    await ui.wait_for(lambda: routes(ui) == ["/"])
    unread = len([n for n in rows(server) if n.read_at is None and n.user_id == _user_id(server)])
    assert unread >= 1
    await ui.wait_for(lambda: bell(ui) == f"Thông báo ({unread} chưa đọc)")
    assert ui.find("open-notifications").badge.label == str(unread)

    await ui.click("open-notifications")
    await ui.wait_for(lambda: ui.has("day-2026-11-22"))
    assert routes(ui) == ["/", "/notifications"]
    assert ui.text_of("day-2026-11-22") == "Hôm nay"
    succeeded = [n for n in rows(server) if n.kind == "payment_succeeded" and n.user_id == _user_id(server)]
    assert len(succeeded) == 1
    note = succeeded[0]
    assert ui.has(f"notification-{note.id}-unread")
    assert ui.text_of(f"notification-{note.id}-unread") == "Chưa đọc"

    await ui.click(f"notification-{note.id}")
    await ui.wait_for(lambda: ui.has("receipt-reference"))
    assert routes(ui) == ["/", "/notifications", f"/notifications/payments/{payment_id}"]
    assert [n.read_at is not None for n in rows(server) if n.id == note.id] == [True]

    # Opened from the inbox, the receipt sits above it (app/ui/app.py ROUTES): Back returns to the inbox,
    # where the notification now reads as read.
    await ui.back()
    await ui.wait_for(lambda: routes(ui) == ["/", "/notifications"])
    await ui.wait_for(lambda: ui.has(f"notification-{note.id}") and not ui.has(f"notification-{note.id}-unread"))
    await ui.back()
    await ui.wait_for(lambda: routes(ui) == ["/"])
    await ui.wait_for(lambda: bell(ui) == (f"Thông báo ({unread - 1} chưa đọc)" if unread > 1 else "Thông báo"))


def _user_id(server, phone="+84912345678") -> str:
    with server.state.session_factory() as db:
        return db.scalars(select(User.id).where(User.phone == phone)).one()


async def test_the_banner_opens_the_receipt_and_goes_away_by_itself(nui, server, transport):
    ui = nui
    await sign_in(ui, server)
    bill_id, payment_id = await pay_the_hospital_bill(ui, server, transport)
    await ui.wait_for(lambda: shown_banner(ui) is not None)
    ui.page.navigate("/")  # somewhere else in the app
    await ui.wait_for(lambda: routes(ui) == ["/"])
    await ui.click("notification-banner-open")
    await ui.wait_for(lambda: ui.has("receipt-reference"))
    assert routes(ui)[-1] == f"/bills/{bill_id}/payments/{payment_id}"
    assert shown_banner(ui) is None
    note = next(n for n in rows(server) if n.kind == "payment_succeeded" and n.user_id == _user_id(server))
    assert note.read_at is not None

    # Another one arrives: it shows, then goes away without a tap.
    center = ui.services.notifications
    center.banner_seconds = 3.0
    await _pay_by_card_declined(ui, server, transport)
    await ui.wait_for(lambda: center.banner is not None and shown_banner(ui) is not None)
    assert center.banner.kind == "payment_failed"
    await ui.wait_for(lambda: center.banner is None and shown_banner(ui) is None, timeout=10)


async def _pay_by_card_declined(ui, server, transport):
    from tests.app.test_payment_views import vnpay_ipn
    ui.page.navigate("/")
    await ui.wait_for(lambda: ui.has("bill-HS0123-TA-1126"))
    await ui.click("bill-HS0123-TA-1126")
    await ui.wait_for(lambda: ui.has("pay-bill"))
    bill_id = ui.page.route.split("/")[2]
    await confirm_with(ui, "atm_card")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("open-pay-page"))
    [payment] = _payments_of(server, bill_id)
    await vnpay_ipn(server, transport, payment.id, "24")


async def test_inbox_groups_by_day_in_vietnam_time_and_marks_all_read(nui, server, transport):
    ui = nui
    await sign_in(ui, server)
    uid = _user_id(server)
    await _insert(server, uid, "a", NOW - dt.timedelta(hours=2))  # 08:00 today in Vietnam
    await _insert(server, uid, "b", dt.datetime(2026, 11, 21, 16, 59, tzinfo=dt.UTC))  # 23:59 yesterday, Vietnam
    await _insert(server, uid, "c", dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC))  # 00:30 on the 21st, Vietnam
    await _insert(server, uid, "d", dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC), kind="institution_announcement",
            verified=True)
    await ui.click("open-notifications")
    await ui.wait_for(lambda: ui.has("day-2026-11-22"))
    assert ui.text_of("day-2026-11-22") == "Hôm nay"
    assert ui.text_of("day-2026-11-21") == "Hôm qua"
    assert ui.text_of("day-2026-11-03") == "03/11/2026"
    assert [c.key for c in ui.find("day-group-2026-11-21").controls[1:]] == ["notification-b", "notification-c"]
    assert ui.has("notification-d-verified")
    assert "Đơn vị đã xác minh" in ui.texts()
    await ui.click("mark-all-read")
    await ui.wait_for(lambda: not ui.has("mark-all-read"))
    assert all(n.read_at is not None for n in rows(server) if n.user_id == uid)
    assert ui.services.notifications.unread == 0
    await ui.click("notification-d")  # leads nowhere: it is only read, the inbox stays
    assert routes(ui) == ["/", "/notifications"]


async def _insert(server, user_id: str, note_id: str, at: dt.datetime, kind: str = "due_soon",
                  verified: bool = False):
    """As the server's reminder job would; in a thread, so the app's requests meanwhile can finish."""
    def insert():
        with server.state.session_factory() as db:
            db.add(NotificationRow(id=note_id, user_id=user_id, kind=kind, dedupe_key=f"test:{note_id}",
                                   title=f"Tiêu đề {note_id}", body="Nội dung", created_at=at, verified=verified))
            db.commit()
    await asyncio.to_thread(insert)


async def test_older_notifications_page_in(nui, server):
    ui = nui
    await sign_in(ui, server)
    uid = _user_id(server)
    for i in range(25):
        await _insert(server, uid, f"n{i:02d}", NOW - dt.timedelta(minutes=i))
    await ui.click("open-notifications")
    await ui.wait_for(lambda: ui.has("inbox-more"))
    assert ui.has("notification-n19") and not ui.has("notification-n20")
    await ui.click("inbox-more")
    await ui.wait_for(lambda: ui.has("notification-n24"))
    assert not ui.has("inbox-more")


async def test_offline_the_inbox_shows_the_last_copy(nui, server, transport):
    ui = nui
    await sign_in(ui, server)
    await _insert(server, _user_id(server), "x", NOW)
    await ui.click("open-notifications")
    await ui.wait_for(lambda: ui.has("notification-x"))
    await ui.back()
    transport.online = False
    await ui.click("open-notifications")
    await ui.wait_for(lambda: ui.has("inbox-stale"))
    assert ui.has("notification-x")
    transport.online = True


async def test_notification_settings_are_saved(nui, server):
    ui = nui
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("open-notification-settings"))
    await ui.click("open-notification-settings")
    await ui.wait_for(lambda: ui.has("push-new_bill"))
    assert ui.find("push-new_bill").label == "Thông báo trên điện thoại: Hoá đơn mới"
    assert ui.find("sms-due_soon").value is True and not ui.has("sms-new_bill")
    assert ui.find("quiet-start").value == "22:00" and ui.find("quiet-end").value == "07:00"
    assert ui.find("save-notification-settings").disabled
    await ui.type("push-new_bill", False)
    await ui.type("sms-due_soon", False)
    await ui.fire("quiet-start", "select", "21:30")
    ui.session.apply_patch(ui.find("quiet-start")._i, {"value": "21:30"})
    await ui.fire("quiet-start", "select", "21:30")
    person_keys = [k for k in ui.keys() if k.startswith("notify-person-")]
    assert person_keys
    await ui.type(person_keys[0], False)
    await ui.click("save-notification-settings")
    await ui.wait_for(lambda: ui.has("notification-settings-saved"))
    assert ui.text_of("notification-settings-saved") == "Đã lưu."

    prefs = await ui.services.notifications.repository.preferences()
    kinds = {k.kind: k for k in prefs.value.kinds}
    assert kinds["new_bill"].push is False and kinds["due_soon"].sms is False
    assert prefs.value.quiet_start == "21:30"
    assert [p.id for p in prefs.value.people if p.muted] == [person_keys[0].removeprefix("notify-person-")]


async def test_sign_out_forgets_the_previous_users_notifications(nui, server, transport):
    ui = nui
    await sign_in(ui, server)
    await _insert(server, _user_id(server), "mine", NOW)
    center = ui.services.notifications
    await ui.click("open-notifications")
    await ui.wait_for(lambda: ui.has("notification-mine"))
    await ui.back()
    await ui.wait_for(lambda: center.unread == 1)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("sign-out"))
    await ui.click("sign-out")
    await ui.wait_for(lambda: ui.has("phone"))
    assert center.unread == 0 and center.recent == [] and not center.following
    assert center.repository._inbox is None  # nothing of the previous user is cached

    await sign_in_as(ui, server, "0987 654 321", "+84987654321")  # the other demo family, on the same phone
    await ui.wait_for(lambda: center.following)
    assert bell(ui) == "Thông báo"
    transport.online = False  # offline at once: the last copy must be this user's, never the previous one's
    await ui.click("open-notifications")
    await ui.wait_for(lambda: ui.has("inbox-empty") or ui.has("inbox-error"))
    assert not ui.has("notification-mine")
    transport.online = True


async def sign_in_as(ui, server, phone: str, canonical: str):
    from tests.app.conftest import latest_code
    from tests.app.test_views import reach_home
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", phone)
    await ui.click("send-code")
    await ui.wait_for(lambda: ui.has("code"))
    await ui.type("code", latest_code(server, canonical))
    await ui.click("verify-code")
    await reach_home(ui)
