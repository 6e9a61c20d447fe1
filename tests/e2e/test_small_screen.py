"""The whole pay flow on a 320 px wide phone with the text at 200%: sign in → bill → VietQR → receipt,
with nothing pushed past the right edge (issue 8: older users enlarge the text; cheap phones are narrow).

Flutter web takes its text scale from the page's root font size, as a browser's text-size setting does.
It draws into a canvas, so the page itself never scrolls sideways; what would overflow is a widget laid
out wider than the screen, and its accessibility node then reaches past 320 px. That is what is checked.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_family_bills import shot
from tests.e2e.test_payments import open_bill_and_choose, sign_in, vi

pytestmark = pytest.mark.e2e
WIDTH = 320


def nothing_past_the_edge(page, where: str) -> None:
    past = page.evaluate("""(width) => [...document.querySelectorAll('flt-semantics')]
        .map(e => [e.getBoundingClientRect(), (e.getAttribute('aria-label') || e.textContent || '').trim()])
        .filter(([r, label]) => r.width > 0 && r.right > width + 1 && label)
        .map(([r, label]) => `${label.slice(0, 40)} (${Math.round(r.left)}–${Math.round(r.right)})`)""", WIDTH)
    assert not past, f"{where}: wider than {WIDTH} px: {past}"


@pytest.mark.parametrize("guided", [False, True], ids=["usual", "guided"])
def test_pay_by_vietqr_at_200_percent_text_on_a_320_px_screen(page, stack, guided):
    from playwright.sync_api import expect
    page.set_viewport_size({"width": WIDTH, "height": 740})
    page.add_init_script("document.addEventListener('DOMContentLoaded', () => "
                         "{ document.documentElement.style.fontSize = '200%'; })")
    sign_in(page, stack, guided=guided)  # guided mode on top: 1.3 × 200 %
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    nothing_past_the_edge(page, "home")
    shot(page, f"50-small-home-{guided}.png")
    confirm = open_bill_and_choose(page, "Câu lạc bộ tiếng Anh", vi("VietQR bank transfer"))
    expect(page.get_by_text(re.compile("bốn trăm năm mươi nghìn đồng", re.I)).first).to_be_attached()
    nothing_past_the_edge(page, "confirm")
    shot(page, f"51-small-confirm-{guided}.png")
    confirm.scroll_into_view_if_needed()
    confirm.click()
    open_bank = page.get_by_role("button", name=vi("Open my bank app"))
    expect(open_bank).to_be_attached()
    nothing_past_the_edge(page, "VietQR")
    open_bank.scroll_into_view_if_needed()
    with page.context.expect_page() as bank_tab:
        open_bank.click()
    bank = bank_tab.value
    bank.wait_for_load_state()
    bank.get_by_role("button", name="Chuyển khoản").click()
    expect(bank.get_by_role("heading", name="Đã chuyển khoản")).to_be_visible()
    bank.close()
    done = vi("Paid, all done") if guided else vi("Payment complete")
    expect(page.get_by_text(done, exact=True)).to_be_visible(timeout=30_000)
    nothing_past_the_edge(page, "receipt")
    shot(page, f"52-small-receipt-{guided}.png")
