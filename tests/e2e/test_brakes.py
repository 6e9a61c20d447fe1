"""The brake at the moment of paying, in a real browser: a parent scans a QR for a private account nobody
can vouch for, admits that someone on the phone is pushing them to pay, and is stopped before any
transfer details appear."""

from __future__ import annotations

import pytest

from domain.vietqr import build
from tests.e2e.test_family_bills import shot
from tests.e2e.test_payee_check import open_scan, photo_of, upload
from tests.e2e.test_payments import vi

pytestmark = pytest.mark.e2e

# A personal account that claims no institution: the check can say only "unknown".
UNKNOWN = build("970436", "0011223344", amount=3_500_000, purpose="Tien hoc them T12")


def test_someone_pushing_the_payer_to_an_unknown_account_leads_to_the_stop_screen(page, stack, tmp_path):
    from playwright.sync_api import expect
    open_scan(page, stack)
    upload(page, photo_of(UNKNOWN, tmp_path / "unknown.jpg"))
    question = vi("Is someone calling or messaging you right now, telling you to transfer money?")
    expect(page.get_by_text(question)).to_be_visible(timeout=15000)
    # Nothing to transfer to yet: the account number appears only after the checks.
    expect(page.get_by_text("0011223344")).to_have_count(0)
    shot(page, "40-brake-question.png")

    page.get_by_role("button", name=vi("Yes, someone is pushing me")).click()
    expect(page.get_by_text(vi("Stop. Do not transfer the money."))).to_be_visible()
    expect(page.get_by_text(vi("Hang up the call, or stop replying to the messages, now."))).to_be_visible()
    expect(page.get_by_role("button", name=vi("Read how this scam works"))).to_be_visible()
    expect(page.get_by_text("0011223344")).to_have_count(0)
    shot(page, "41-brake-stop.png")
