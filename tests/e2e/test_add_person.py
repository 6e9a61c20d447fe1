"""A parent adds a child in a real browser: a student at a school found by typing its name without
accents, the code and birth date from the fee notice (a wrong date first, told plainly), then the child's
tuition is on the home screen."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_family_bills import fill, shot
from tests.e2e.test_payments import sign_in, vi

pytestmark = pytest.mark.e2e


def test_a_parent_adds_a_child_by_code_and_birth_date_and_sees_the_bill(page, stack):
    from playwright.sync_api import expect
    sign_in(page, stack)
    expect(page.get_by_text("Lê Gia Huy")).to_have_count(0)
    page.get_by_role("button", name=vi("Add a child or relative")).click()

    expect(page.get_by_text(vi("Step {step}/{total}", step=1, total=3))).to_be_visible()
    page.get_by_role("button", name=re.compile(re.escape(vi("A student (school)")))).click()
    search = page.get_by_label(vi("Search for the school by name"))
    expect(search).to_be_visible()
    fill(search, "hoa sen")  # no accents: Hoa Sen is found all the same
    school = page.get_by_role("button", name=re.compile("Trường Tiểu học Hoa Sen"))
    expect(school).to_have_count(1)
    shot(page, "50-add-person-school.png")
    school.click()

    code = page.get_by_label(vi("Student code"))
    expect(code).to_be_visible()
    fill(code, "HS0456")
    birth = page.get_by_label(vi("Date of birth (day/month/year)"))
    fill(birth, "01/12/2016")  # a day off: the school's record does not match
    page.get_by_role("button", name=vi("Add to my family")).click()
    no_match = vi("The code and date of birth do not match the records of {institution}. Check them on the card "
                  "or on the tuition or hospital fee notice.", institution="Trường Tiểu học Hoa Sen")
    expect(page.get_by_text(no_match)).to_be_visible()
    shot(page, "51-add-person-no-match.png")

    fill(birth, "30/11/2016")
    page.get_by_role("button", name=vi("Add to my family")).click()
    expect(page.get_by_text(vi("{name} is now in your family.", name="Lê Gia Huy"))).to_be_visible()
    shot(page, "52-add-person-done.png")
    page.get_by_role("button", name=vi("See the bills")).click()
    expect(page.get_by_text("Lê Gia Huy", exact=True)).to_be_visible()
    expect(page.get_by_text("Lớp 4B · Trường Tiểu học Hoa Sen")).to_be_visible()
    # His semester's tuition, as a screen reader hears the row.
    expect(page.get_by_role("button", name=re.compile(r"^Học phí học kỳ I .*2\.700\.000\s₫ Cần đóng$"))) \
        .to_be_visible()
