"""A linked bank account in a real browser: link the demo bank on the sandbox's consent page (OTP),
pay a tuition bill with it after the app PIN, see the receipt, then unlink it."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_family_bills import APP_PIN, fill, shot
from tests.e2e.test_payments import close_payment_banner, reach, sign_in, vi

pytestmark = pytest.mark.e2e


def open_linked_accounts(page):
    from playwright.sync_api import expect
    page.get_by_role("button", name=vi("Settings")).click()
    entry = page.get_by_role("button", name=re.compile(re.escape(vi("Linked bank accounts and e-wallets"))))
    expect(entry).to_be_visible()
    entry.click()
    expect(page.get_by_role("button", name=vi("Link a bank account"))).to_be_visible()


def back(page):
    """The top screen's Back: during a transition the screen below still has one too, and it is covered."""
    page.get_by_role("button", name=re.compile(r"^(Quay lại|Back)$")).last.click()


def test_link_the_demo_bank_pay_a_bill_with_the_pin_then_unlink(page, stack):
    from playwright.sync_api import expect
    sign_in(page, stack)
    open_linked_accounts(page)
    expect(page.get_by_text(vi("No account is linked yet."))).to_be_visible()
    page.get_by_role("button", name=vi("Link a bank account")).click()

    fill(page.get_by_label(vi("Search by name or BIN")), "vietcom")
    page.get_by_role("button", name=re.compile("^Vietcombank")).first.click()
    fill(page.get_by_label(vi("Account number at {bank}", bank="Vietcombank")), "0011 2233 6789")
    shot(page, "20-link-number.png")
    with page.context.expect_page() as consent_tab:
        page.get_by_role("button", name=vi("Continue to {provider}", provider="Vietcombank")).click()
    consent = consent_tab.value  # the bank's own consent page; the app never sees the OTP
    consent.wait_for_load_state()
    expect(consent.get_by_text("•••• 6789")).to_be_visible()
    consent.get_by_label("Mã OTP").fill("123456")
    consent.get_by_role("button", name="Đồng ý liên kết").click()
    expect(consent.get_by_role("heading", name="Đã liên kết")).to_be_visible()
    consent.close()

    expect(page.get_by_text(vi("Linked"), exact=True)).to_be_visible(timeout=30_000)
    shot(page, "21-linked.png")
    page.get_by_role("button", name=vi("Done")).click()
    expect(page.get_by_text("Vietcombank •••• 6789").first).to_be_visible()
    back(page)

    page.get_by_role("button", name=re.compile("^Học phí học kỳ I")).first.click()
    source = page.get_by_role("button", name=re.compile(r"Vietcombank •••• 6789"))
    reach(page, page.get_by_role("button", name=vi("Pay"), exact=True).click, source)
    confirm = page.get_by_role("button", name=vi("Confirm and pay"))
    reach(page, source.click, confirm)
    expect(page.get_by_text("3.584.520\u00a0₫").first).to_be_visible()
    confirm.click()
    fill(page.get_by_label(vi("App PIN")), APP_PIN)
    shot(page, "22-pin.png")
    page.get_by_role("button", name=vi("Confirm"), exact=True).click()
    expect(page.get_by_text(vi("Payment complete"), exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("HS0123-HK1-2627").first).to_be_visible()
    expect(page.get_by_text("3.584.520\u00a0₫").first).to_be_visible()
    shot(page, "23-receipt-linked.png")
    close_payment_banner(page)
    page.get_by_role("button", name=vi("Done")).click()
    expect(page.get_by_text(vi("Total to pay")).first).to_be_visible()

    open_linked_accounts(page)
    page.get_by_role("button", name=vi("Remove"), exact=True).click()
    page.get_by_role("button", name=vi("Yes, remove it")).click()
    expect(page.get_by_text(vi("No account is linked yet."))).to_be_visible()
    shot(page, "24-unlinked.png")
