"""Scanning in a real browser: upload a photo of the hospital's genuine QR -> verified -> its bill's pay screen;
a swapped QR -> the red stop with the official hotline; a pasted garbage payload -> a clear error.

Each browser test has its own server and demo data; this one stops at the confirm screen.
"""

from __future__ import annotations

import re

import pytest
import qrcode
from PIL import Image

from domain.vietqr import build
from tests.e2e.test_family_bills import fill, shot
from tests.e2e.test_payments import reach, sign_in, vi

pytestmark = pytest.mark.e2e

GENUINE = build("970415", "113000123456", amount=4_640_000, bill_number="VP-BN00458-2611")  # BVĐK Hồng Phúc
SWAPPED = build("970405", "3300112233", amount=4_640_000, bill_number="VP-BN00458-2611")  # a private account


def photo_of(payload: str, path) -> str:
    """A phone-sized photo with the printed QR off-centre, as a patient would take it."""
    frame = Image.new("RGB", (1280, 960), (200, 196, 186))
    frame.paste(qrcode.make(payload).get_image().convert("RGB").resize((420, 420)), (700, 380))
    frame.save(path, "JPEG", quality=88)
    return str(path)


def upload(page, path: str) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=vi("Choose a photo or screenshot")).click()
    chooser.value.set_files(path)


def open_scan(page, stack) -> None:
    from playwright.sync_api import expect
    sign_in(page, stack)
    page.get_by_role("button", name=vi("Scan a school or hospital QR code")).click()
    expect(page.get_by_role("button", name=vi("Choose a photo or screenshot"))).to_be_visible()


def test_genuine_hospital_qr_is_verified_and_leads_to_paying_its_bill(page, stack, tmp_path):
    from playwright.sync_api import expect
    open_scan(page, stack)
    upload(page, photo_of(GENUINE, tmp_path / "genuine.jpg"))
    expect(page.get_by_text(vi("Verified: this is an official collection account of"))).to_be_visible(timeout=15000)
    expect(page.get_by_text("Bệnh viện Đa khoa Hồng Phúc").first).to_be_visible()
    expect(page.get_by_text("Bệnh viện · Bắc Ninh")).to_be_visible()
    shot(page, "20-scan-verified.png")
    method = page.get_by_role("button", name=re.compile(re.escape(vi("VietQR bank transfer"))))
    reach(page, page.get_by_role("button", name=vi("Pay this bill")).click, method.first)
    method.first.click()
    expect(page.get_by_role("button", name=vi("Confirm and pay"))).to_be_enabled()
    expect(page.get_by_text("VP-BN00458-2611").first).to_be_attached()


def test_swapped_qr_is_stopped_with_the_hotline_and_garbage_gets_a_clear_error(page, stack, tmp_path):
    from playwright.sync_api import expect
    open_scan(page, stack)
    upload(page, photo_of(SWAPPED, tmp_path / "swapped.jpg"))
    stop = vi("This is not the account of {name}", name="Bệnh viện Đa khoa Hồng Phúc")
    expect(page.get_by_text(stop)).to_be_visible(timeout=15000)
    hotline = page.get_by_role("button", name=vi("Call {name}'s official hotline: {phone}", name="BVĐK Hồng Phúc",
                                                 phone="02223856789"))
    expect(hotline).to_be_visible()
    expect(page.get_by_role("button", name=vi("Pay this bill"))).to_have_count(0)
    shot(page, "21-scan-stop.png")

    page.go_back()
    field = page.get_by_label(vi("QR code text"))
    expect(field).to_be_visible()
    verdict = page.get_by_text(vi("This is not a payment QR code. Do not pay with it."))
    for attempt in range(2):
        # Typed key by key as a person does; when Flutter web sent the app no change (the field shows the
        # text, the app says there is nothing to read), a person pastes again, and so does this test, once.
        fill(field, "xin chao, chuyen khoan cho toi")
        page.get_by_role("button", name=vi("Check this code")).click()
        try:
            expect(verdict).to_be_visible(timeout=8000)
            break
        except AssertionError:
            if attempt:
                raise
    shot(page, "22-scan-garbage.png")
