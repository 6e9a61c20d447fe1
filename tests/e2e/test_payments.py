"""Paying demo bills in a real browser: VietQR (the sandbox bank posts the transfer), VNPay checkout
approved and declined on the sandbox page. A paid bill leaves the list; the receipts are right."""

from __future__ import annotations

import re

import pytest

from app.ui.core.i18n import catalog
from tests.e2e.test_family_bills import fill, latest_code, open_app, send_phone, shot, through_pin_setup

pytestmark = pytest.mark.e2e
VI = catalog("vi")


def vi(msgid: str, **values) -> str:
    """The Vietnamese the app shows (from the same catalog), so the test reads what a user reads."""
    text = VI.get(msgid) or msgid
    return text.format(**values) if values else text


def sign_in(page, stack, phone="0912 345 678", canonical="+84912345678", guided=False):
    from playwright.sync_api import expect
    open_app(page, stack["app"], guided=guided)
    send_phone(page, phone)
    code = page.get_by_label("Mã xác thực (6 số)")
    expect(code).to_be_visible()
    fill(code, latest_code(stack["outbox"], canonical))
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_enabled()
    page.get_by_role("button", name="Đăng nhập").click()
    through_pin_setup(page)
    expect(page.get_by_text("Tổng cần đóng")).to_be_visible()


def close_payment_banner(page) -> None:
    """A payment's result also arrives as a banner at the top (server-sent events) a moment after the
    receipt; it slides in and pushes the screen down. A person lets it arrive and closes it, then taps on."""
    from playwright.sync_api import expect
    banner = page.get_by_role("group", name=re.compile(r"^Đã thanh toán "))
    close = banner.get_by_role("button", name=vi("Close"), exact=True)
    expect(close).to_be_visible(timeout=20_000)
    close.click()
    expect(banner).to_have_count(0)


def open_bill_and_choose(page, bill_title: str, method_label: str):
    page.get_by_role("button", name=re.compile("^" + re.escape(bill_title))).first.click()
    pay = page.get_by_role("button", name=vi("Pay"), exact=True)
    method = page.get_by_role("button", name=re.compile(re.escape(method_label))).first
    confirm = page.get_by_role("button", name=vi("Confirm and pay"))
    reach(page, pay.click, method)
    reach(page, method.click, confirm)
    return confirm


def reach(page, tap, ready, attempts: int = 2) -> None:
    """Tap, then wait for the next screen; if it stays on "loading…", go Back and tap again, as a person does.

    Known, outside the app: Flet 1.0.5 can drop the last render of a screen the router has just rebuilt
    (app/ui/core/flet_fixes.py covers the two paths we found; the browser still shows one now and then).
    """
    from playwright.sync_api import expect
    for attempt in range(attempts):
        tap()
        try:
            expect(ready).to_be_visible(timeout=12_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise
            page.get_by_role("button", name=re.compile(r"^(Quay lại|Back)$")).last.click()


def test_pay_by_vietqr_the_sandbox_bank_sends_the_transfer(page, stack):
    from playwright.sync_api import expect
    sign_in(page, stack)
    confirm = open_bill_and_choose(page, "Câu lạc bộ tiếng Anh", vi("VietQR bank transfer"))
    expect(page.get_by_text("450.000\u00a0₫").first).to_be_visible()
    expect(page.get_by_text(re.compile("bốn trăm năm mươi nghìn đồng", re.I))).to_be_visible()
    shot(page, "10-confirm-vietqr.png")
    confirm.click()
    open_bank = page.get_by_role("button", name=vi("Open my bank app"))
    expect(open_bank).to_be_visible()
    expect(page.get_by_text("HS0123-TA-1126").first).to_be_attached()
    shot(page, "11-vietqr.png")
    with page.context.expect_page() as bank_tab:
        open_bank.click()
    bank = bank_tab.value
    bank.wait_for_load_state()
    expect(bank.get_by_text("450.000")).to_be_visible()
    bank.get_by_role("button", name="Chuyển khoản").click()
    expect(bank.get_by_role("heading", name="Đã chuyển khoản")).to_be_visible()
    bank.close()
    expect(page.get_by_text(vi("Payment complete"), exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(re.escape(vi("Reference number")) + r"\s+DP[A-Z0-9]{10}"))).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Lan").first).to_be_visible()
    expect(page.get_by_text("Trần Minh An").first).to_be_visible()
    expect(page.get_by_text("HS0123-TA-1126").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"\bFT[0-9A-F]{12}\b"))).to_be_visible()  # the bank's transaction number
    shot(page, "12-receipt-vietqr.png")


def test_gateway_checkout_declined_then_approved(page, stack):
    from playwright.sync_api import expect
    sign_in(page, stack)
    confirm = open_bill_and_choose(page, "Viện phí nội trú", vi("Domestic ATM card / internet banking"))
    with page.context.expect_page() as gateway_tab:
        confirm.click()  # the app opens the gateway's page by itself
    gateway = gateway_tab.value
    gateway.wait_for_load_state()
    expect(gateway.get_by_text("4.640.000")).to_be_visible()
    gateway.get_by_role("button", name="Huỷ giao dịch").click()
    gateway.wait_for_load_state()
    gateway.close()
    expect(page.get_by_text(vi("You cancelled the payment."))).to_be_visible(timeout=30_000)
    expect(page.get_by_text(vi("No money was taken."))).to_be_visible()
    shot(page, "13-declined.png")

    page.get_by_role("button", name=vi("Try again")).first.click()
    method = page.get_by_role("button", name=re.compile(re.escape(vi("Domestic ATM card / internet banking"))))
    method.first.click()
    confirm = page.get_by_role("button", name=vi("Confirm and pay"))
    expect(confirm).to_be_enabled()
    with page.context.expect_page() as gateway_tab:
        confirm.click()
    gateway = gateway_tab.value
    gateway.wait_for_load_state()
    gateway.get_by_role("button", name="Xác nhận thanh toán").click()
    gateway.wait_for_load_state()
    gateway.close()
    expect(page.get_by_text(vi("Payment complete"), exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("VP-BN00458-2611").first).to_be_visible()
    expect(page.get_by_text("4.640.000\u00a0₫").first).to_be_visible()
    shot(page, "14-receipt-card.png")
    close_payment_banner(page)
    page.get_by_role("button", name=vi("Done")).click()
    expect(page.get_by_text("Tổng cần đóng")).to_be_visible()
    # The paid bill is gone from the list; the others remain (each test has its own fresh demo data).
    expect(page.get_by_role("button", name=re.compile("^Viện phí nội trú"))).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Câu lạc bộ tiếng Anh"))).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("^Học phí")).first).to_be_visible()
