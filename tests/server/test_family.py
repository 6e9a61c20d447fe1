from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.people.models import FamilyMember
from tests.server.conftest import sign_in


def _school(client, headers, short):
    return next(i for i in client.get("/institutions?kind=school", headers=headers).json() if i["short_name"] == short)


@pytest.fixture
def newcomer(client, settings, demo):
    return sign_in(client, settings, "0388123456")


def test_add_a_student_by_school_code_and_birth_date(client, newcomer):
    school = _school(client, newcomer, "TH Hoa Sen")
    r = client.post("/family/students", headers=newcomer, json={
        "institution_id": school["id"], "code": "HS0456", "date_of_birth": "2016-11-30", "relation": "Con"})
    assert r.status_code == 201, r.text
    assert r.json()["full_name"] == "Lê Gia Huy"
    assert [p["full_name"] for p in client.get("/family", headers=newcomer).json()] == ["Lê Gia Huy"]


@pytest.mark.parametrize("code,dob", [("HS0456", "2016-11-29"), ("HS9999", "2016-11-30")])
def test_wrong_code_or_date_gives_one_error_that_reveals_neither(client, app, newcomer, code, dob):
    school = _school(client, newcomer, "TH Hoa Sen")
    r = client.post("/family/students", headers=newcomer,
                    json={"institution_id": school["id"], "code": code, "date_of_birth": dob})
    assert r.status_code == 404
    assert r.json()["error"] == {"code": "person_not_matched",
                                 "message": "the code and date of birth do not match a record at this institution"}
    with app.state.session_factory() as db:
        assert db.scalar(select(func.count()).select_from(FamilyMember)) == 4  # only the demo links


def test_both_parents_can_link_the_same_child_but_not_twice(client, newcomer):
    school = _school(client, newcomer, "TH Hoa Sen")
    body = {"institution_id": school["id"], "code": "HS0123", "date_of_birth": "2017-05-14"}
    assert client.post("/family/students", headers=newcomer, json=body).status_code == 201
    r = client.post("/family/students", headers=newcomer, json=body)
    assert r.status_code == 409 and r.json()["error"]["code"] == "person_already_added"
    groups = client.get("/bills/outstanding", headers=newcomer).json()["groups"]
    assert [g["person"]["full_name"] for g in groups] == ["Trần Minh An"]


def test_add_a_patient_at_a_hospital(client, newcomer):
    hospital = client.get("/institutions?kind=hospital", headers=newcomer).json()
    hp = next(h for h in hospital if h["short_name"] == "BVĐK Hồng Phúc")
    r = client.post("/family/patients", headers=newcomer,
                    json={"institution_id": hp["id"], "code": "BN00458", "date_of_birth": "1951-03-20"})
    assert r.status_code == 201 and r.json()["kind"] == "patient"


def test_student_code_at_a_hospital_is_not_found(client, newcomer):
    school = _school(client, newcomer, "TH Hoa Sen")
    r = client.post("/family/patients", headers=newcomer,
                    json={"institution_id": school["id"], "code": "HS0456", "date_of_birth": "2016-11-30"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "institution_not_found"


@pytest.mark.parametrize("body,field", [
    ({"code": "HS0456", "date_of_birth": "2016-11-30"}, "institution_id"),
    ({"institution_id": "x", "code": "HS0456", "date_of_birth": "30/11/2016"}, "date_of_birth"),
    ({"institution_id": "x", "code": "", "date_of_birth": "2016-11-30"}, "code"),
    ({"institution_id": "x", "code": "HS0456", "date_of_birth": "2016-11-30", "admin": True}, "admin"),
])
def test_bad_input_names_the_field(client, newcomer, body, field):
    r = client.post("/family/students", headers=newcomer, json=body)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    assert field in [f["field"] for f in r.json()["error"]["fields"]]


def test_body_that_is_not_json_is_a_clear_error(client, newcomer):
    r = client.post("/family/students", headers={**newcomer, "Content-Type": "application/json"},
                    content=b"not json")
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
