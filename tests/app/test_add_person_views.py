"""'Thêm con hoặc người thân' in a headless app session against the real server: a new parent adds Lê Gia
Huy (Hoa Sen school) and sees his bills on home; a wrong birth date, an impossible date, a person already in
the family, too many tries and a dropped network each say what to do, and add nobody."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
from sqlalchemy import func, select

from app.ui.family.add_person_view_model import parse_date_of_birth
from server.institutions.models import Institution
from server.people.models import FamilyMember
from tests.app.test_pay_request_views import sign_in_as
from tests.app.test_views import sign_in

NEWCOMER = "0388123456"
HUY_BILL = "HS0456-HK1-2627"


def institution_id(server, short_name: str) -> str:
    with server.state.session_factory() as db:
        return db.scalars(select(Institution.id).where(Institution.short_name == short_name)).one()


def links(server) -> int:
    with server.state.session_factory() as db:
        return db.scalar(select(func.count()).select_from(FamilyMember))


async def open_form(ui, server, kind: str, short_name: str, search: str) -> None:
    """Home -> the add screen -> kind -> the institution found by a search typed without accents."""
    await ui.wait_for(lambda: ui.has("home-add-person"))
    await ui.click("home-add-person")
    await ui.wait_for(lambda: ui.has("add-kind-student"))
    assert ui.views()[-1].route == "/family/add"
    assert ui.text_of("add-step") == "Bước 1/3"
    await ui.click(f"add-kind-{kind}")
    await ui.wait_for(lambda: ui.has("add-search"))
    inst = institution_id(server, short_name)
    await ui.type("add-search", search)
    assert ui.has(f"add-institution-{inst}")
    assert not any(k.startswith("add-institution-") and k != f"add-institution-{inst}" for k in ui.keys())
    await ui.click(f"add-institution-{inst}")
    await ui.wait_for(lambda: ui.has("add-code"))
    assert ui.text_of("add-step") == "Bước 3/3"


async def fill(ui, code: str, born: str, relation: str | None = None) -> None:
    await ui.type("add-code", code)
    await ui.type("add-birth-date", born)
    if relation:
        ui.session.apply_patch(ui.find("add-relation")._i, {"value": relation})
        await ui.fire("add-relation", "change", relation)


async def test_a_new_parent_adds_gia_huy_and_sees_his_bills_on_home(ui, server, transport):
    await sign_in_as(ui, server, NEWCOMER)
    assert not ui.has(f"bill-{HUY_BILL}") and ui.has("home-add-person-hint")
    await open_form(ui, server, "student", "TH Hoa Sen", "hoa sen")
    assert ui.find("add-code").label == "Mã học sinh"
    await fill(ui, "hs 0456", "30/11/2016", "Con")
    button = ui.find("add-send")
    await asyncio.gather(ui.session.dispatch_event(button._i, "click", None),
                         ui.session.dispatch_event(button._i, "click", None))  # a double tap adds once
    await ui.wait_for(lambda: ui.has("add-done"))
    assert ui.text_of("add-done") == "Lê Gia Huy đã có trong gia đình của bạn."
    assert ui.text_of("add-done-where") == "Lớp 4B · Trường Tiểu học Hoa Sen"
    assert [r for r in transport.requests if r == "POST /family/students"] == ["POST /family/students"]
    assert links(server) == 5
    await ui.back()  # Back goes home, which shows his bills now
    await ui.wait_for(lambda: ui.views()[-1].route == "/" and ui.has(f"bill-{HUY_BILL}"))
    assert not ui.has("home-add-person-hint")  # the plain button stays for adding someone else
    assert ui.has("home-add-person")
    assert ui.conn.crashes() == []


async def test_a_wrong_birth_date_says_so_and_adds_nobody(ui, server, transport):
    await sign_in_as(ui, server, NEWCOMER)
    await open_form(ui, server, "student", "TH Hoa Sen", "Hoa Sen")
    await fill(ui, "HS0456", "29/11/2016")
    await ui.click("add-send")
    await ui.wait_for(lambda: ui.has("add-error"))
    assert ui.text_of("add-error-text") == (
        "Mã và ngày sinh không khớp với hồ sơ của Trường Tiểu học Hoa Sen. "
        "Hãy kiểm tra trên thẻ hoặc giấy báo học phí/viện phí.")
    assert not ui.has("add-error-retry")  # trying the same again would not help
    assert links(server) == 4 and ui.has("add-code")  # still on the form, nothing added


async def test_an_impossible_or_future_date_is_refused_before_sending(ui, server, transport):
    await sign_in_as(ui, server, NEWCOMER)
    await open_form(ui, server, "student", "TH Hoa Sen", "hoa")
    sent = len(transport.requests)
    await fill(ui, "HS0456", "31/02/2016")
    await ui.click("add-send")
    assert ui.find("add-birth-date").error == "Ngày này không có thật. Hãy kiểm tra ngày và tháng."
    await ui.type("add-birth-date", "2016-11-30")
    await ui.click("add-send")
    assert ui.find("add-birth-date").error.startswith("Hãy viết ngày sinh theo ngày/tháng/năm")
    await ui.type("add-birth-date", "01/01/2099")
    await ui.click("add-send")
    assert ui.find("add-birth-date").error == "Ngày sinh không thể ở tương lai."
    await ui.type("add-code", "")
    await ui.click("add-send")
    assert ui.find("add-code").error == "Hãy nhập mã học sinh."
    assert "POST /family/students" not in transport.requests[sent:]
    assert links(server) == 4


async def test_someone_already_in_the_family(ui, server, transport):
    await sign_in(ui, server)  # the demo parent, whose father Hùng is already hers
    await open_form(ui, server, "patient", "BVĐK Hồng Phúc", "hong phuc")
    assert ui.find("add-code").label == "Mã bệnh nhân"
    await fill(ui, "BN00458", "20/03/1951", "Bố")
    await ui.click("add-send")
    await ui.wait_for(lambda: ui.has("add-error"))
    assert ui.text_of("add-error-text") == ("Người này đã có trong gia đình của bạn. "
                                            "Các hoá đơn của họ ở màn hình chính.")
    assert links(server) == 4


async def test_too_many_tries_says_how_long_to_wait(ui, server, transport):
    await sign_in_as(ui, server, NEWCOMER)
    me = {"Authorization": f"Bearer {await ui.tokens.read()}"}
    school = institution_id(server, "TH Hoa Sen")
    async with httpx.AsyncClient(transport=transport.inner, base_url="http://testserver") as client:
        for day in range(1, 6):
            r = await client.post("/family/students", headers=me, json={
                "institution_id": school, "code": "HS0456", "date_of_birth": f"2016-11-{day:02d}"})
            assert r.status_code == 404
    await open_form(ui, server, "student", "TH Hoa Sen", "hoa sen")
    await fill(ui, "HS0456", "30/11/2016")  # even the right date waits
    await ui.click("add-send")
    await ui.wait_for(lambda: ui.has("add-error"))
    assert ui.text_of("add-error-text").startswith("Bạn đã thử sai quá nhiều lần.")
    assert "60 phút" in ui.text_of("add-error-text")
    assert links(server) == 4


async def test_no_network_then_try_again(ui, server, transport):
    await sign_in_as(ui, server, NEWCOMER)
    await open_form(ui, server, "student", "TH Hoa Sen", "hoa sen")
    await fill(ui, "HS0456", "30/11/2016")
    transport.online = False
    await ui.click("add-send")
    await ui.wait_for(lambda: ui.has("add-error-retry"))
    assert ui.text_of("add-error-text").startswith("Không kết nối được Đóng Phí")
    transport.online = True
    await ui.click("add-error-retry")
    await ui.wait_for(lambda: ui.has("add-done"))
    assert links(server) == 5
    await ui.click("add-go-home")  # "Xem hoá đơn"
    await ui.wait_for(lambda: ui.views()[-1].route == "/" and ui.has(f"bill-{HUY_BILL}"))


async def test_the_demo_parent_sees_the_plain_button_and_a_student_login_cannot_reach_the_screen(ui, server):
    from app.ui.app import ROUTES, STUDENT_ROUTES

    def paths(routes, prefix=""):
        for r in routes:
            yield prefix + r.path
            yield from paths(r.children or [], prefix + r.path.rstrip("/") + "/")

    assert "/family/add" in set(paths(ROUTES)) and not any("family" in p for p in paths(STUDENT_ROUTES))
    await sign_in(ui, server)
    assert ui.has("home-add-person") and not ui.has("home-add-person-hint")


async def test_every_step_names_its_controls(ui, server):
    from tests.app.test_accessible_names import unnamed
    await sign_in_as(ui, server, NEWCOMER)
    await ui.click("home-add-person")
    await ui.wait_for(lambda: ui.has("add-kind-student"))
    assert unnamed(ui.views()[-1]) == []
    await ui.click("add-kind-patient")
    await ui.wait_for(lambda: ui.has("add-search"))
    assert unnamed(ui.views()[-1]) == []
    await ui.click(f"add-institution-{institution_id(server, 'BVĐK Hồng Phúc')}")
    await ui.wait_for(lambda: ui.has("add-code"))
    assert unnamed(ui.views()[-1]) == []
    await ui.click("add-back")  # one step back keeps the list
    assert ui.has("add-search") and ui.text_of("add-step") == "Bước 2/3"


def test_dates_of_birth_are_read_strictly():
    today = dt.date(2026, 11, 22)
    assert parse_date_of_birth("30/11/2016", today) == (dt.date(2016, 11, 30), None)
    assert parse_date_of_birth(" 3.5.1951 ", today) == (dt.date(1951, 5, 3), None)
    assert parse_date_of_birth("22/11/2026", today) == (today, None)
    assert parse_date_of_birth("23/11/2026", today) == (None, "date_future")
    assert parse_date_of_birth("29/02/2015", today) == (None, "date_impossible")
    assert parse_date_of_birth("29/02/2016", today) == (dt.date(2016, 2, 29), None)
    assert parse_date_of_birth("13/13/2016", today) == (None, "date_impossible")
    assert parse_date_of_birth("30/11/16", today) == (None, "date_format")
    assert parse_date_of_birth("2016-11-30", today) == (None, "date_format")
    assert parse_date_of_birth("30/11-2016", today) == (None, "date_format")  # one separator throughout
    assert parse_date_of_birth("٣٠/11/2016", today) == (None, "date_format")  # ASCII digits only
    assert parse_date_of_birth("01/01/1800", today) == (None, "date_too_old")
    assert parse_date_of_birth("", today) == (None, "date_missing")
