"""Notifications in a real browser: the second demo family pays Linh's tuition by VietQR through the sandbox
bank; while the app is open the result arrives (server-sent events) as a banner; the bell counts it; the
inbox shows it under "Hôm nay"; opening it leads to the receipt.

Each browser test has its own server and demo data; this one pays Linh's HS0789-HK1-2627, the one bill of the
second family (0987 654 321).
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_family_bills import shot
from tests.e2e.test_payments import open_bill_and_choose, sign_in, vi

pytestmark = pytest.mark.e2e

SECOND_FAMILY = ("0987 654 321", "+84987654321")


def test_a_payment_result_arrives_as_a_banner_the_bell_counts_it_and_the_inbox_opens_the_receipt(page, stack):
    from playwright.sync_api import expect
    sign_in(page, stack, *SECOND_FAMILY)
    # The bell names its count (the demo server may already have sent this family a reminder).
    expect(page.get_by_role("button", name=re.compile("^" + re.escape(vi("Notifications")))).first).to_be_visible()

    confirm = open_bill_and_choose(page, "Học phí học kỳ I", vi("VietQR bank transfer"))
    confirm.click()
    open_bank = page.get_by_role("button", name=vi("Open my bank app"))
    expect(open_bank).to_be_visible()
    with page.context.expect_page() as bank_tab:
        open_bank.click()
    bank = bank_tab.value
    bank.wait_for_load_state()
    bank.get_by_role("button", name="Chuyển khoản").click()
    expect(bank.get_by_role("heading", name="Đã chuyển khoản")).to_be_visible()
    bank.close()

    # The banner: at the top, over whatever screen is open, with a way to open it and a way to close it.
    title = re.compile(r"^Đã thanh toán 1\.500\.000\s₫")  # names have plain spaces
    banner = page.get_by_role("group", name=title)  # read out whole, title then body, by screen readers
    expect(banner).to_be_visible(timeout=30_000)
    expect(banner.get_by_role("button", name=vi("Open"), exact=True)).to_be_visible()
    expect(page.get_by_text(vi("Payment complete"), exact=True)).to_be_visible(timeout=30_000)
    shot(page, "30-notification-banner.png")
    banner.get_by_role("button", name=vi("Close"), exact=True).click()
    expect(banner).to_have_count(0)

    page.get_by_role("button", name=vi("Done")).click()
    expect(page.get_by_text(vi("Total to pay")).first).to_be_visible()
    bell = page.get_by_role("button", name=re.compile(r"^" + re.escape(vi("Notifications")) + r" \(\d+ chưa đọc\)"))
    expect(bell).to_be_visible(timeout=15_000)
    shot(page, "31-bell.png")
    bell.click()

    expect(page.get_by_text(vi("Today"), exact=True)).to_be_visible()
    entry = page.get_by_role("button", name=title).first
    expect(entry).to_be_visible()
    # Read out with its state: "... Chưa đọc" (unread) until opened.
    expect(page.get_by_role("button", name=re.compile(title.pattern + ".*" + re.escape(vi("Unread")) + "$"))) \
        .to_have_count(1)
    shot(page, "32-inbox.png")
    entry.click()
    expect(page.get_by_text(vi("Payment complete"), exact=True)).to_be_visible()
    expect(page.get_by_text("HS0789-HK1-2627").first).to_be_visible()
    shot(page, "33-receipt-from-inbox.png")
