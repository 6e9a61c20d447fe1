"""Student accounts: a parent makes the login; the student sees their own fees per term and nothing else,
cannot pay or act for the family through any route, and can ask the parents to pay."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from domain.notifications import KINDS
from server.family.models import FamilyInvitation
from server.notifications import texts
from server.payments.models import Payment
from server.people.models import FamilyMember, Person
from server.seed import OTHER_PHONE
from tests.server.conftest import sign_in
from tests.server.payments_helpers import bill_id

STUDENT = "0377222333"


def person_id(app, code: str) -> str:
    with app.state.session_factory() as db:
        return db.scalars(select(Person.id).where(Person.code == code)).one()


def count(app, model) -> int:
    with app.state.session_factory() as db:
        return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def student(client, app, settings, auth) -> dict:
    r = client.post(f"/family/people/{person_id(app, 'HS0123')}/student-account", headers=auth,
                    json={"phone": STUDENT})
    assert r.status_code == 201, r.text
    return sign_in(client, settings, STUDENT)  # the normal sign-in by SMS code


def test_a_parent_makes_a_login_and_the_student_sees_own_fees_per_term(client, app, auth, student):
    account = client.get(f"/family/people/{person_id(app, 'HS0123')}/student-account", headers=auth).json()
    assert account["phone_masked"] == "•••••••333"
    me = client.get("/students/me", headers=student).json()
    assert me == {"role": "student", "person": {"full_name": "Trần Minh An", "first_name": "An",
                                                "institution_name": "Trường Tiểu học Hoa Sen", "group_label": "Lớp 3A"}}
    fees = client.get("/students/me/fees", headers=student).json()
    assert fees["as_of"] == "2026-11-22"
    terms = [(t["period"], [(f["invoice_code"], f["status"], f["amount_due"]) for f in t["fees"]])
             for t in fees["terms"]]
    assert terms == [
        ("Tháng 9/2026", [("HS0123-NH-0926", "paid", 0)]),
        ("Tháng 11/2026", [("HS0123-TA-1126", "overdue", 450_000)]),
        ("Năm học 2026–2027", [("HS0123-HK1-2627", "open", 3_584_520)]),
    ]
    assert [(t["total"], t["paid"], t["due"], t["overdue"]) for t in fees["terms"]] == [
        (350_000, 350_000, 0, 0), (450_000, 0, 450_000, 450_000), (3_584_520, 0, 3_584_520, 0)]
    assert fees["total_due"] == 4_034_520


def test_a_student_sees_no_one_elses_bills_and_cannot_pay_or_act_for_the_family(client, app, auth, student):
    assert client.get("/family", headers=student).json() == []
    assert client.get("/bills/outstanding", headers=student).json()["groups"] == []
    own, sister = bill_id(client, auth, "HS0123-HK1-2627"), bill_id(client, auth, "HS2045-HK1-2627")
    for b in (own, sister):
        r = client.get(f"/bills/{b}", headers=student)
        assert r.status_code == 404 and r.json()["error"]["code"] == "bill_not_found"
    for method in ("vietqr", "atm_card", "linked"):
        r = client.post("/payments", json={"bill_id": own, "method": method},
                        headers={**student, "Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 403 and r.json()["error"]["code"] == "student_cannot_pay", method
    token = client.post(f"/bills/{own}/pay-requests", headers=auth).json()["token"]
    r = client.post(f"/pay-requests/{token}/payments", json={"method": "vietqr"},
                    headers={**student, "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 403 and r.json()["error"]["code"] == "student_cannot_pay"
    assert count(app, Payment) == 0
    schools = client.get("/institutions?kind=school", headers=student).json()
    hoa_sen = next(i["id"] for i in schools if i["short_name"] == "TH Hoa Sen")
    r = client.post("/family/students", headers=student,
                    json={"institution_id": hoa_sen, "code": "HS0456", "date_of_birth": "2016-11-30"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "student_not_allowed"
    r = client.post("/family/invitations", headers=student,
                    json={"person_id": person_id(app, "HS0123"), "phone": "0388123456", "role": "viewer"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "student_not_allowed"
    # Nor can the family make the student's login a member.
    r = client.post("/family/invitations", headers=auth,
                    json={"person_id": person_id(app, "HS2045"), "phone": STUDENT, "role": "viewer"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "phone_is_student_account"
    assert count(app, FamilyInvitation) == 0
    assert count(app, FamilyMember) == 4


@pytest.mark.parametrize("code,phone,status,error", [
    ("BN00458", STUDENT, 422, "person_not_a_student"),  # a patient
    ("HS0123", OTHER_PHONE, 409, "phone_in_use"),        # Bảo pays for his own child
    ("HS0123", "0912345678", 409, "phone_in_use"),       # Lan herself
    ("HS0789", STUDENT, 404, "person_not_found"),        # Bảo's child, not Lan's
    ("HS0123", "12345", 422, "invalid_phone"),
])
def test_bad_student_logins_get_specific_errors(client, app, auth, code, phone, status, error):
    r = client.post(f"/family/people/{person_id(app, code)}/student-account", headers=auth, json={"phone": phone})
    assert r.status_code == status and r.json()["error"]["code"] == error, r.text


def test_one_login_per_student_and_removing_it_ends_the_student_view(client, app, auth, student):
    an = person_id(app, "HS0123")
    r = client.post(f"/family/people/{an}/student-account", headers=auth, json={"phone": "0377999888"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "student_account_exists"
    assert client.delete(f"/family/people/{an}/student-account", headers=auth).status_code == 204
    r = client.get("/students/me/fees", headers=student)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_a_student"
    r = client.get(f"/family/people/{an}/student-account", headers=auth)
    assert r.status_code == 404 and r.json()["error"]["code"] == "student_account_not_found"


def test_a_parent_is_not_a_student(client, auth):
    r = client.get("/students/me", headers=auth)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_a_student"
    r = client.post("/students/me/please-pay", headers=auth, json={"bill_id": "x"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_a_student"


def test_please_pay_only_for_the_students_own_open_bills(client, app, auth, student):
    with app.state.session_factory() as db:
        from server.bills.models import Bill
        paid = db.scalars(select(Bill.id).where(Bill.invoice_code == "HS0123-NH-0926")).one()
    sister = bill_id(client, auth, "HS2045-HK1-2627")
    r = client.post("/students/me/please-pay", headers=student, json={"bill_id": sister})
    assert r.status_code == 404 and r.json()["error"]["code"] == "bill_not_found"
    r = client.post("/students/me/please-pay", headers=student, json={"bill_id": paid})
    assert r.status_code == 409 and r.json()["error"]["code"] == "bill_already_paid"


@pytest.mark.skipif("please_pay" not in KINDS or "please_pay" not in texts.TEXTS,
                    reason="the notification kind is added to domain.notifications and texts by the lead")
def test_please_pay_notifies_the_parents_once_a_day(client, app, auth, student, clock):
    own = bill_id(client, auth, "HS0123-HK1-2627")
    r = client.post("/students/me/please-pay", headers=student, json={"bill_id": own})
    assert r.status_code == 202 and r.json() == {"sent_to": 1}
    assert client.post("/students/me/please-pay", headers=student, json={"bill_id": own}).json() == {"sent_to": 0}
    notes = [n for n in client.get("/notifications", headers=auth).json()["items"] if n["kind"] == "please_pay"]
    assert len(notes) == 1 and notes[0]["bill_id"] == own and "An" in notes[0]["title"] + notes[0]["body"]


def test_the_app_learns_the_role_at_sign_in_and_a_student_cannot_link_a_bank(client, auth, student):
    assert client.get("/auth/me", headers=student).json()["role"] == "student"
    assert client.get("/auth/me", headers=auth).json()["role"] == "payer"
    r = client.post("/accounts/links", headers=student,
                    json={"kind": "bank", "provider": "970436", "account_number": "0011223344"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "student_cannot_link"
