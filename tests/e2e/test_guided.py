"""Guided mode ("Chế độ dễ dùng") in a real browser: the first-launch question answered "Có", then the hospital
bill paid step by step: "Bước 1/3" the bill, "Bước 2/3" the way to pay, "Bước 3/3" the check with the
sentence that phones read aloud (the web client cannot play audio: the sentence is shown), the sandbox bank's
transfer, and "Đã thanh toán xong"."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_family_bills import fill, latest_code, open_app, send_phone, shot, through_pin_setup
from tests.e2e.test_payments import reach, vi

pytestmark = pytest.mark.e2e

# Buttons on screen smaller than `min` CSS px (= dp) in either direction, with their names.
SMALL_TARGETS = """(min) => [...document.querySelectorAll('flt-semantics[role=button]')]
  .map(e => [e.getBoundingClientRect(), (e.getAttribute('aria-label') || e.textContent || '').trim()])
  .filter(([r, name]) => r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
          && (r.width < min - 0.5 || r.height < min - 0.5))
  .map(([r, name]) => `${name.slice(0, 30)} ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def test_guided_mode_pays_the_hospital_bill_step_by_step(page, stack):
    from playwright.sync_api import expect
    open_app(page, stack["app"], guided=True)
    send_phone(page, "0912 345 678")
    code = page.get_by_label("Mã xác thực (6 số)")
    expect(code).to_be_visible()
    fill(code, latest_code(stack["outbox"]))
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_enabled()
    page.get_by_role("button", name="Đăng nhập").click()
    through_pin_setup(page)
    expect(page.get_by_text(vi("Total to pay"))).to_be_visible()

    step1 = page.get_by_text(vi("Step {step}/{total}", step=1, total=3), exact=True)
    reach(page, page.get_by_role("button", name=re.compile("^Viện phí nội trú")).first.click, step1)
    expect(page.get_by_text("VP-BN00458-2611").first).to_be_visible()
    shot(page, "50-guided-step-1.png")

    pay = page.get_by_role("button", name=vi("Pay"), exact=True)
    step2 = page.get_by_text(vi("Step {step}/{total}", step=2, total=3), exact=True)
    reach(page, pay.click, step2)
    method = page.get_by_role("button", name=re.compile(re.escape(vi("VietQR bank transfer")))).first
    expect(method).to_be_visible()
    shot(page, "51-guided-step-2.png")

    step3 = page.get_by_text(vi("Step {step}/{total}", step=3, total=3), exact=True)
    reach(page, method.click, step3)
    sentence = page.get_by_text(re.compile(r"^Bạn sắp trả bốn triệu sáu trăm bốn mươi nghìn đồng cho .+"))
    expect(sentence).to_be_visible()
    expect(sentence).to_contain_text("Bệnh viện Đa khoa Hồng Phúc")
    confirm = page.get_by_role("button", name=vi("Confirm and pay"))
    expect(confirm).to_be_enabled()
    shot(page, "52-guided-step-3.png")
    small = page.evaluate(SMALL_TARGETS, 56)
    assert not small, f"touch targets under 56 dp in guided mode: {small}"

    confirm.click()
    open_bank = page.get_by_role("button", name=vi("Open my bank app"))
    expect(open_bank).to_be_visible()
    with page.context.expect_page() as bank_tab:
        open_bank.click()
    bank = bank_tab.value
    bank.wait_for_load_state()
    expect(bank.get_by_text("4.640.000")).to_be_visible()
    bank.get_by_role("button", name="Chuyển khoản").click()
    expect(bank.get_by_role("heading", name="Đã chuyển khoản")).to_be_visible()
    bank.close()
    expect(page.get_by_text(vi("Paid, all done"), exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("VP-BN00458-2611").first).to_be_visible()
    shot(page, "53-guided-done.png")
