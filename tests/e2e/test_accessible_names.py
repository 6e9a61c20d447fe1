"""In the web app, as a screen reader sees it: on every screen a parent reaches, each button, link,
field, checkbox, radio and switch has an accessible name (issue 8).

The walk goes by taps, as a person does (the web session lives in the page: reloading an address
would sign out). The headless walk (tests/app/test_accessible_names.py) covers the same screens' controls
one level below; this one checks what Flutter web actually exposes."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_payments import reach, sign_in, vi

pytestmark = pytest.mark.e2e

ROLES = ("button", "link", "checkbox", "radio", "switch", "textbox", "combobox", "slider", "tab", "menuitem")
# In Playwright's ARIA snapshot a named control reads `- button "Cài đặt"`; a nameless one `- button` alone.
NAMELESS = re.compile(r"^\s*- (" + "|".join(ROLES) + r")(?:\s*\[[^\]]*\])*\s*:?\s*$")
CONTROL = re.compile(r"^\s*- '?(" + "|".join(ROLES) + r")\b")


def nameless(snapshot: str) -> list[str]:
    """Nameless controls that no named control encloses. Flet's icon buttons are a named node (our
    Semantics label) around Flutter's own unnamed button: a screen reader announces the outer one."""
    out, enclosing = [], []  # (indent, named) of the controls above the current line
    for line in snapshot.splitlines():
        indent = len(line) - len(line.lstrip())
        while enclosing and enclosing[-1][0] >= indent:
            enclosing.pop()
        if CONTROL.match(line):
            named = not NAMELESS.match(line)
            if not named and not any(n for _, n in enclosing):
                out.append(line.strip())
            enclosing.append((indent, named))
    return out


def check(page, screen: str, problems: dict) -> None:
    page.wait_for_timeout(400)  # the accessibility tree follows the frame
    snapshot = page.locator("body").aria_snapshot()
    missing = nameless(snapshot)
    if missing:
        problems[screen] = missing


def test_every_screen_a_parent_reaches_names_its_controls(page, stack):
    from playwright.sync_api import expect
    problems: dict[str, list[str]] = {}
    sign_in(page, stack)
    check(page, "home", problems)

    bill = page.get_by_role("button", name=re.compile("^Câu lạc bộ tiếng Anh")).first
    pay = page.get_by_role("button", name=vi("Pay"), exact=True)
    reach(page, bill.click, pay)
    check(page, "bill", problems)
    method = page.get_by_role("button", name=re.compile(re.escape(vi("VietQR bank transfer")))).first
    reach(page, pay.click, method)
    check(page, "choose method", problems)
    confirm = page.get_by_role("button", name=vi("Confirm and pay"))
    reach(page, method.click, confirm)
    check(page, "confirm", problems)
    for _ in range(3):
        page.go_back()
        page.wait_for_timeout(500)
    expect(page.get_by_text("Tổng cần đóng")).to_be_visible()

    for opener, ready, name in [
        (vi("Scan a school or hospital QR code"), vi("Choose a photo or screenshot"), "scan"),
        (vi("Beware of scams: how to recognise them"), None, "guidance"),
        (vi("Check an account or phone number before paying"), None, "check"),
        (vi("Family members of {name}", name="Trần Minh An"), None, "family"),
    ]:
        target = page.get_by_role("button", name=opener).first
        target.click()
        if ready:
            expect(page.get_by_role("button", name=ready)).to_be_visible()
        else:
            page.wait_for_timeout(1500)
        check(page, name, problems)
        page.go_back()
        expect(page.get_by_text("Tổng cần đóng")).to_be_visible()

    page.get_by_role("button", name=vi("Settings")).click()
    expect(page.get_by_role("button", name=vi("Sign out"))).to_be_attached()
    check(page, "settings", problems)
    assert not problems, problems


def test_the_snapshot_reading_finds_a_lone_nameless_button():
    snapshot = """- button "Cài đặt Cài đặt":
  - button
- group:
  - button
  - button "Trả tiền"
  - textbox "Số điện thoại"
  - textbox"""
    assert nameless(snapshot) == ["- button", "- textbox"]
