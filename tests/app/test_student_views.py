"""A student's own login (issue 8), headless against the real server: a parent makes it through the API, the
student signs in with the SMS code like anyone, sets a PIN and sees only their own fees per term, with no way
to pay; "ask my parents to pay" reaches the parent once; the family's screens are not in the student's routes."""

from __future__ import annotations

import asyncio

import httpx
import pytest_asyncio

from app.ui.app import ROUTES, STUDENT_ROUTES
from tests.app.conftest import latest_code
from tests.app.test_views import APP_PIN

PARENT = "+84912345678"
STUDENT = "0377 222 333"
STUDENT_CANONICAL = "+84377222333"
OWN = ("HS0123-HK1-2627", "HS0123-TA-1126", "HS0123-NH-0926")  # Trần Minh An's bills (the last one paid)


@pytest_asyncio.fixture
async def parent(server):
    """The demo parent, signed in over HTTP (the normal SMS-code sign-in), who gives An a login."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=server), base_url="http://testserver") as c:
        assert (await c.post("/auth/code", json={"phone": PARENT})).status_code == 200
        r = await c.post("/auth/session", json={"phone": PARENT, "code": latest_code(server, PARENT),
                                                "device_name": "test"})
        c.headers["Authorization"] = f"Bearer {r.json()['token']}"
        an = next(p for p in (await c.get("/family")).json() if p["code"] == "HS0123")
        r = await c.post(f"/family/people/{an['id']}/student-account", json={"phone": STUDENT})
        assert r.status_code == 201, r.text
        yield c


async def bill_id(parent, invoice: str) -> str:
    groups = (await parent.get("/bills/outstanding")).json()["groups"]
    return next(b["id"] for g in groups for b in g["bills"] if b["invoice_code"] == invoice)


async def sign_in_student(ui, server):
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", STUDENT)
    await ui.click("send-code")
    await ui.wait_for(lambda: ui.has("code"))
    await ui.type("code", latest_code(server, STUDENT_CANONICAL))
    await ui.click("verify-code")
    await ui.wait_for(lambda: ui.has("setup-pin"))  # a PIN first, as for everyone
    for _ in range(2):
        await ui.type("setup-pin", APP_PIN)
        await ui.click("setup-next")
    await ui.wait_for(lambda: ui.has("student-total-due"))


def test_the_students_route_set_has_no_family_screen():
    def paths(routes, prefix=""):
        for r in routes:
            full = (prefix.rstrip("/") + "/" + (r.path or "").lstrip("/")) if prefix else (r.path or "/")
            yield full
            yield from paths(r.children or [], full)
    student = set(paths(STUDENT_ROUTES))
    assert student == {"/", "/settings"}
    assert any("bills" in p for p in paths(ROUTES))  # the family's set has them; the student's does not


async def test_a_student_sees_only_own_fees_per_term_and_nothing_to_pay_with(ui, server, parent, transport):
    await sign_in_student(ui, server)
    assert ui.services.session.user.role == "student"
    assert ui.text_of("student-name") == "Trần Minh An"
    assert ui.text_of("student-school") == "Trường Tiểu học Hoa Sen"
    assert ui.text_of("student-class") == "Lớp 3A"
    assert ui.text_of("student-total-due") == "4.034.520\u00a0₫"
    for invoice in OWN:
        assert ui.has(f"fee-{invoice}")
    texts = " ".join(ui.texts())
    assert "HS2045" not in texts and "VP-BN00458" not in texts  # the sister's and the grandfather's bills
    assert "Trần Bảo Ngọc" not in texts and "Nguyễn Văn Hùng" not in texts
    # Terms in due order: paid, then the overdue English club, then the semester's tuition.
    assert ui.text_of("term-0-paid") == "350.000\u00a0₫" and ui.text_of("term-0-due") == "0\u00a0₫"
    assert ui.text_of("term-1-overdue") == "450.000\u00a0₫" and ui.text_of("term-1-due") == "450.000\u00a0₫"
    assert ui.text_of("term-2-due") == "3.584.520\u00a0₫" and not ui.has("term-2-overdue")
    assert "Quá hạn" in texts and "Đã đóng" in texts
    # Ask-to-pay for each unpaid fee, none for the paid one; no payment, scan, accounts or family controls.
    assert ui.has("please-pay-HS0123-TA-1126") and ui.has("please-pay-HS0123-HK1-2627")
    assert not ui.has("please-pay-HS0123-NH-0926")
    assert ui.find("please-pay-HS0123-TA-1126").content == "Nhờ bố mẹ đóng"
    for key in ("pay-bill", "total-due", "home-scan", "open-scan", "home-check", "open-notifications"):
        assert not ui.has(key), key
    assert not any(r.startswith(("GET /bills", "GET /accounts", "GET /family")) for r in transport.requests)


async def test_please_pay_is_sent_once_and_says_so(ui, server, parent, transport):
    await sign_in_student(ui, server)
    button = ui.find("please-pay-HS0123-TA-1126")
    before = transport.requests.count("POST /students/me/please-pay")
    # A double tap: two clicks arrive before the first answer.
    await asyncio.gather(ui.session.dispatch_event(button._i, "click", None),
                         ui.session.dispatch_event(button._i, "click", None))
    await ui.wait_for(lambda: ui.has("please-pay-HS0123-TA-1126-sent"))
    assert transport.requests.count("POST /students/me/please-pay") == before + 1
    assert ui.text_of("please-pay-HS0123-TA-1126-sent") == "Đã gửi cho bố mẹ (1 người)"
    assert not ui.has("please-pay-HS0123-TA-1126")  # nothing left to tap
    assert ui.has("please-pay-HS0123-HK1-2627")  # the other fee can still be asked for
    notes = (await parent.get("/notifications")).json()["items"]
    asked = [n for n in notes if n["kind"] == "please_pay"]
    assert len(asked) == 1 and asked[0]["bill_id"] == await bill_id(parent, "HS0123-TA-1126")


async def test_please_pay_offline_says_why_in_vietnamese_and_can_be_tried_again(ui, server, parent, transport):
    await sign_in_student(ui, server)
    transport.online = False
    await ui.click("please-pay-HS0123-HK1-2627")
    await ui.wait_for(lambda: ui.has("please-pay-HS0123-HK1-2627-error"))
    assert "Không kết nối được" in ui.text_of("please-pay-HS0123-HK1-2627-error-text")
    transport.online = True
    await ui.click("please-pay-HS0123-HK1-2627")
    await ui.wait_for(lambda: ui.has("please-pay-HS0123-HK1-2627-sent"))
    assert not ui.has("please-pay-HS0123-HK1-2627-error")


async def test_a_student_cannot_reach_the_familys_screens_by_address(ui, server, parent):
    await sign_in_student(ui, server)
    own_bill = await bill_id(parent, "HS0123-TA-1126")
    for route in (f"/bills/{own_bill}", f"/bills/{own_bill}/pay", f"/bills/{own_bill}/pay/vietqr", "/accounts",
                  "/scan", "/notifications", "/settings/pin"):
        ui.page.navigate(route)
        await ui.wait_for(lambda: ui.has("student-total-due"))
        for key in ("pay-bill", "confirm-payment", "open-accounts", "scan-paste"):
            assert not ui.has(key), (route, key)
    ui.page.navigate("/")
    await ui.wait_for(lambda: len(ui.views()) == 1 and ui.has("student-total-due"))


async def test_settings_offer_language_and_sign_out_only(ui, server, parent):
    await sign_in_student(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("sign-out"))
    assert ui.has("language")
    for key in ("open-accounts", "open-notification-settings", "open-report", "open-guidance"):
        assert not ui.has(key), key
    await ui.type("language", "en")
    await ui.wait_for(lambda: ui.find("sign-out").content == "Sign out")
    await ui.click("sign-out")
    await ui.wait_for(lambda: ui.has("phone"))
    assert ui.services.session.user is None
