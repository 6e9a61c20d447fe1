"""A student's own login in a real browser (issue 8): a parent makes it through the API; the student signs in
with the SMS code, sets a PIN and sees their own fees (the overdue one, the total still to pay) and asks the
parents to pay; nothing to pay with, nothing of the rest of the family."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.e2e.test_family_bills import fill, latest_code, open_app, send_phone, shot, through_pin_setup
from tests.e2e.test_payments import vi

pytestmark = pytest.mark.e2e

PARENT = "+84912345678"
STUDENT, STUDENT_CANONICAL = "0377 222 333", "+84377222333"


def give_an_a_login(stack) -> None:
    """The demo parent signs in over the API (the SMS code from the outbox) and makes Trần Minh An's login."""
    with httpx.Client(base_url=stack["api"], timeout=20) as api:
        assert api.post("/auth/code", json={"phone": PARENT}).status_code == 200
        r = api.post("/auth/session", json={"phone": PARENT, "code": latest_code(stack["outbox"], PARENT),
                                            "device_name": "e2e parent"})
        assert r.status_code == 200, r.text
        api.headers["Authorization"] = f"Bearer {r.json()['token']}"
        an = next(p for p in api.get("/family").json() if p["code"] == "HS0123")
        r = api.post(f"/family/people/{an['id']}/student-account", json={"phone": STUDENT})
        assert r.status_code == 201, r.text


def test_a_student_sees_own_fees_and_asks_the_parents_to_pay(page, stack):
    from playwright.sync_api import expect
    give_an_a_login(stack)
    open_app(page, stack["app"])
    send_phone(page, STUDENT)
    code = page.get_by_label("Mã xác thực (6 số)")
    expect(code).to_be_visible()
    fill(code, latest_code(stack["outbox"], STUDENT_CANONICAL))
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_enabled()
    page.get_by_role("button", name="Đăng nhập").click()
    through_pin_setup(page, "Trần Minh An")

    expect(page.get_by_text("Trần Minh An", exact=True)).to_be_visible()
    expect(page.get_by_text("Trường Tiểu học Hoa Sen")).to_be_visible()
    expect(page.get_by_text("Lớp 3A")).to_be_visible()
    expect(page.get_by_text(vi("Total to pay"))).to_be_visible()
    expect(page.get_by_text("4.034.520\u00a0₫")).to_be_visible()
    # Each term is one group for a screen reader: the overdue English club with its amount, the paid fee.
    overdue = page.get_by_role("group", name=re.compile(r"Tháng 11.2026 .*Quá hạn 450\.000"))
    expect(overdue).to_be_visible()
    expect(overdue).to_have_accessible_name(re.compile("Câu lạc bộ tiếng Anh .*HS0123-TA-1126"))
    # Only An's fees; nothing to pay with, no scanner, no family.
    for other in ("Trần Bảo Ngọc", "Nguyễn Văn Hùng", "Viện phí nội trú"):
        expect(page.get_by_text(other)).to_have_count(0)
    expect(page.get_by_role("button", name=vi("Pay"), exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name=vi("Scan a QR code"))).to_have_count(0)
    asks = page.get_by_role("button", name=vi("Ask my parents to pay"))
    expect(asks).to_have_count(2)  # the overdue club and the semester's tuition; the paid fee has none
    shot(page, "40-student-home.png")

    asks.first.click()
    expect(page.get_by_text(vi("Sent to your parents ({count})", count=1))).to_be_visible()
    expect(asks).to_have_count(1)
    shot(page, "41-student-asked.png")
