"""A parent in a real browser opens the anti-scam guidance from home, searches "OTP" and reads the article."""

from __future__ import annotations

import pytest

from domain.guidance import bundled
from tests.e2e.test_family_bills import fill, shot
from tests.e2e.test_payments import sign_in, vi

pytestmark = pytest.mark.e2e


def test_open_guidance_search_otp_and_read_the_article(page, stack):
    from playwright.sync_api import expect
    sign_in(page, stack)
    page.get_by_role("button", name=vi("Beware of scams: how to recognise them")).click()
    search = page.get_by_label(vi("Search the guidance"))
    expect(search).to_be_visible()
    assert vi("Search the guidance") == "Tìm trong hướng dẫn"
    shot(page, "guidance-01-list.png")

    fill(search, "OTP")
    otp = bundled().article("otp-phishing").texts["vi"]
    emergency = bundled().article("emergency-call").texts["vi"]
    found = len(bundled().search("OTP", "vi"))
    expect(page.get_by_text(vi("{count} article(s) found", count=found))).to_be_visible()
    expect(page.get_by_text(emergency.title)).to_have_count(0)
    shot(page, "guidance-02-search-otp.png")

    page.get_by_role("button", name=otp.title).first.click()
    expect(page.get_by_text(otp.summary)).to_be_visible()
    expect(page.get_by_text(otp.body[1][0])).to_be_attached()
    expect(page.get_by_text(vi("Was this article helpful?"))).to_be_attached()
    shot(page, "guidance-03-article.png")
    yes = page.get_by_role("button", name=vi("Yes"), exact=True)
    yes.scroll_into_view_if_needed()
    yes.click()
    expect(page.get_by_text(vi("Thank you. Your answer helps us improve this guidance."))).to_be_attached()
