"""Adding a child or patient by institution code and birth date, and the limit on guessing birth dates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from server.people.attempts import PersonMatchFailure
from server.people.models import FamilyMember, Person
from tests.server.conftest import sign_in

NEWCOMER = "0388123456"
HUY = {"code": "HS0456", "date_of_birth": "2016-11-30"}


def institution(client, headers, kind: str, short: str) -> str:
    return next(i["id"] for i in client.get(f"/institutions?kind={kind}", headers=headers).json()
                if i["short_name"] == short)


def count(app, model) -> int:
    with app.state.session_factory() as db:
        return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def newcomer(client, settings, demo) -> dict:
    return sign_in(client, settings, NEWCOMER)


@pytest.fixture
def hoa_sen(client, newcomer) -> str:
    return institution(client, newcomer, "school", "TH Hoa Sen")


def add_student(client, headers, school, **body):
    return client.post("/family/students", headers=headers, json={"institution_id": school, **HUY, **body})


def error(r) -> dict:
    return r.json()["error"]


def test_a_parent_adds_a_student_and_sees_the_bills(client, newcomer, hoa_sen):
    r = add_student(client, newcomer, hoa_sen, relation="Con")
    assert r.status_code == 201, r.text
    got = r.json()
    assert (got["kind"], got["full_name"], got["code"], got["group_label"], got["institution_id"]) == \
        ("student", "Lê Gia Huy", "HS0456", "Lớp 4B", hoa_sen)
    assert (got["institution_name"], got["role"], got["relation"]) == ("Trường Tiểu học Hoa Sen", "payer", "Con")
    codes = [b["invoice_code"] for g in client.get("/bills/outstanding", headers=newcomer).json()["groups"]
             for b in g["bills"]]
    assert codes == ["HS0456-HK1-2627"]


def test_the_code_is_matched_whatever_its_case(client, newcomer, hoa_sen):
    r = add_student(client, newcomer, hoa_sen, code="hs0456")  # as a parent may type it
    assert r.status_code == 201 and r.json()["code"] == "HS0456"


def test_a_relative_adds_a_patient(client, newcomer):
    hospital = institution(client, newcomer, "hospital", "BVĐK Hồng Phúc")
    r = client.post("/family/patients", headers=newcomer, json={
        "institution_id": hospital, "code": "BN00458", "date_of_birth": "1951-03-20", "relation": "Bố"})
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["full_name"], r.json()["relation"]) == ("patient", "Nguyễn Văn Hùng", "Bố")


@pytest.mark.parametrize("body", [{"date_of_birth": "2016-11-29"}, {"code": "HS9999"}])
def test_a_wrong_date_or_code_matches_nobody_and_is_counted(client, app, newcomer, hoa_sen, body):
    r = add_student(client, newcomer, hoa_sen, **body)
    assert r.status_code == 404 and error(r)["code"] == "person_not_matched"
    assert count(app, FamilyMember) == 4  # only the demo links
    assert count(app, PersonMatchFailure) == 1  # committed although the request failed


def test_a_school_is_not_a_hospital(client, app, newcomer, hoa_sen):
    r = client.post("/family/patients", headers=newcomer, json={"institution_id": hoa_sen, **HUY})
    assert r.status_code == 404 and error(r)["code"] == "institution_not_found"
    r = add_student(client, newcomer, "no-such-school")
    assert r.status_code == 404 and error(r)["code"] == "institution_not_found"
    assert count(app, PersonMatchFailure) == 0


def test_the_same_person_cannot_be_added_twice(client, app, newcomer, hoa_sen):
    assert add_student(client, newcomer, hoa_sen).status_code == 201
    r = add_student(client, newcomer, hoa_sen)
    assert r.status_code == 409 and error(r)["code"] == "person_already_added"
    assert count(app, FamilyMember) == 5


def test_a_student_login_adds_nobody(client, app, auth, hoa_sen, settings):
    with app.state.session_factory() as db:
        an = db.scalars(select(Person.id).where(Person.code == "HS0123")).one()
    r = client.post(f"/family/people/{an}/student-account", headers=auth, json={"phone": "0377222333"})
    assert r.status_code == 201, r.text
    student = sign_in(client, settings, "0377222333")
    r = add_student(client, student, hoa_sen)
    assert r.status_code == 403 and error(r)["code"] == "student_not_allowed"
    assert count(app, FamilyMember) == 4 and count(app, PersonMatchFailure) == 0


def test_five_failures_in_an_hour_then_429_even_for_the_right_date(client, app, settings, newcomer, hoa_sen,
                                                                   clock):
    for day in range(1, 6):
        clock.advance(minutes=5)
        r = add_student(client, newcomer, hoa_sen, date_of_birth=f"2016-11-{day:02d}")
        assert r.status_code == 404, r.text
    clock.advance(minutes=10)  # the first failure was 30 minutes ago
    r = add_student(client, newcomer, hoa_sen)
    assert r.status_code == 429 and error(r)["code"] == "too_many_attempts"
    assert error(r)["details"] == {"retry_after_seconds": 30 * 60}
    assert r.headers["Retry-After"] == "1800"
    assert count(app, FamilyMember) == 4 and count(app, PersonMatchFailure) == 5  # a refusal is not a failure
    # Another user is not held back by this one's failures.
    assert add_student(client, sign_in(client, settings, "0399888777"), hoa_sen).status_code == 201
    clock.advance(minutes=30)  # the first failure has left the hour: one more try
    newcomer = sign_in(client, settings, NEWCOMER)  # the old session went idle meanwhile
    r = add_student(client, newcomer, hoa_sen)
    assert r.status_code == 201, r.text
    # A success does not erase the failures: the four still in the hour and one more make five again.
    clock.advance(minutes=1)
    r = add_student(client, newcomer, hoa_sen, code="HS9999")
    assert r.status_code == 404
    r = add_student(client, newcomer, hoa_sen, code="HS0789", date_of_birth="2018-02-08")
    assert r.status_code == 429 and error(r)["details"]["retry_after_seconds"] == 4 * 60


def test_ten_failures_in_a_day_then_a_day_to_wait(client, app, settings, newcomer, hoa_sen, clock):
    """Five an hour would still allow a hundred guesses a day: the day has its own, lower cap."""
    for n in range(10):
        if n and n % 5 == 0:
            clock.advance(hours=1, minutes=1)  # the hourly cap lets these through
            newcomer = sign_in(client, settings, NEWCOMER)
        clock.advance(minutes=1)
        assert add_student(client, newcomer, hoa_sen, date_of_birth=f"2016-10-{n + 1:02d}").status_code == 404
    clock.advance(hours=2)
    newcomer = sign_in(client, settings, NEWCOMER)
    r = add_student(client, newcomer, hoa_sen)  # the hour is clear, the day is not
    assert r.status_code == 429 and error(r)["code"] == "too_many_attempts"
    # Failures at minutes 1-5 and 67-71; now is minute 191: the first leaves the day at minute 1441.
    first_failure_left_the_day = 1441 - 191
    assert error(r)["details"]["retry_after_seconds"] == first_failure_left_the_day * 60
    clock.advance(minutes=first_failure_left_the_day)
    newcomer = sign_in(client, settings, NEWCOMER)
    assert add_student(client, newcomer, hoa_sen).status_code == 201


def test_the_limit_is_a_setting(client, settings, newcomer, hoa_sen):
    settings.person_match_max_failures = 2
    for _ in range(2):
        assert add_student(client, newcomer, hoa_sen, code="HS9999").status_code == 404
    r = add_student(client, newcomer, hoa_sen)
    assert r.status_code == 429


def test_concurrent_wrong_tries_cannot_slip_past_the_fifth(client, app, newcomer, hoa_sen):
    """Twenty wrong dates at once, each its own request and transaction: exactly five are counted."""
    def attempt(n: int):
        return add_student(client, newcomer, hoa_sen, date_of_birth=f"2015-01-{n + 1:02d}").status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(attempt, range(20)))
    assert sorted(statuses) == [404] * 5 + [429] * 15
    assert count(app, PersonMatchFailure) == 5
