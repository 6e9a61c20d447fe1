"""Family: linking a person by code and birth date; invitations by phone, roles (payer, viewer), who
removes whom; and that a payment by one payer is the other's at once."""

from __future__ import annotations

import urllib.parse

import pytest
from sqlalchemy import func, select

from domain.notifications import KINDS
from domain.phone import normalize_phone
from server.auth.models import User
from server.db import session_scope
from server.family.models import FamilyInvitation
from server.notifications import texts
from server.payments.models import Payment
from server.people.models import FamilyMember, Person
from server.seed import OTHER_PHONE
from tests.server.conftest import sign_in
from tests.server.payments_helpers import bill_id, outstanding_codes, pay, vnpay_result


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


# ------------------------------------------------------------------ issue 8: invitations, roles, removal
UNCLE, AUNT = "0388123456", "0377111999"
TUITION = "HS0123-HK1-2627"


def person_id(app, code: str) -> str:
    with app.state.session_factory() as db:
        return db.scalars(select(Person.id).where(Person.code == code)).one()


def name(app, phone: str, full_name: str) -> None:
    for db in session_scope(app.state.session_factory):
        db.scalars(select(User).where(User.phone == normalize_phone(phone))).one().full_name = full_name


def invite(client, headers, person: str, phone: str, role: str = "payer", **extra):
    return client.post("/family/invitations", headers=headers,
                       json={"person_id": person, "phone": phone, "role": role, **extra})


def join(client, settings, clock, inviter, person: str, phone: str, role: str = "payer", invitee=None) -> dict:
    """`phone` is invited by `inviter` and accepts a minute later; returns the invitee's auth headers."""
    r = invite(client, inviter, person, phone, role)
    clock.advance(minutes=1)
    assert r.status_code == 201, r.text
    invitee = invitee or sign_in(client, settings, phone)
    r = client.post(f"/family/invitations/{r.json()['id']}/accept", headers=invitee)
    assert r.status_code == 200, r.text
    return invitee


def count(app, model) -> int:
    with app.state.session_factory() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_an_invitee_who_signs_up_later_sees_the_invitation_and_joins_as_payer(client, app, settings, clock, auth):
    an = person_id(app, "HS0123")
    r = invite(client, auth, an, "0388 123 456", relation="Chú")
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["state"] == "pending" and sent["role"] == "payer" and sent["phone_masked"] == "•••••••456"
    assert sent["expires_at"].startswith("2026-11-29T03:00")  # in 7 days
    clock.advance(minutes=1)
    uncle = sign_in(client, settings, UNCLE)  # signs up only now
    received = client.get("/family/invitations/received", headers=uncle).json()
    assert [(i["person_name"], i["inviter_name"], i["institution_name"]) for i in received] == [
        ("Trần Minh An", "Nguyễn Thị Lan", "Trường Tiểu học Hoa Sen")]
    assert received[0]["inviter_phone_masked"] == "•••••••678"
    r = client.post(f"/family/invitations/{sent['id']}/accept", headers=uncle)
    assert r.status_code == 200 and r.json()["role"] == "payer" and r.json()["relation"] == "Chú"
    assert [p["full_name"] for p in client.get("/family", headers=uncle).json()] == ["Trần Minh An"]
    assert TUITION in outstanding_codes(client, uncle)
    assert client.get("/family/invitations/received", headers=uncle).json() == []
    members = client.get(f"/family/people/{an}/members", headers=auth).json()
    assert [(m["name"], m["role"], m["added_by_name"], m["is_me"]) for m in members] == [
        ("Nguyễn Thị Lan", "payer", None, True), ("•••••••456", "payer", "Nguyễn Thị Lan", False)]
    assert all("+84" not in m["phone_masked"] for m in members)


def test_a_payment_by_one_payer_is_paid_for_the_other_at_once_and_tells_them(client, app, settings, clock, auth):
    uncle = join(client, settings, clock, auth, person_id(app, "HS0123"), UNCLE)
    name(app, UNCLE, "Trần Văn Dũng")
    bill = bill_id(client, auth, TUITION)
    assert bill == bill_id(client, uncle, TUITION)  # one shared row, not a copy per payer
    p = pay(client, uncle, bill, "atm_card").json()
    # While the uncle's payment is open, Lan cannot start a second one: one live payment per bill.
    r = pay(client, auth, bill, "vietqr")
    assert r.status_code == 409 and r.json()["error"]["code"] == "payment_in_progress"
    q = vnpay_result(settings, p)
    assert client.get("/providers/vnpay/ipn?" + urllib.parse.urlencode(q)).json()["RspCode"] == "00"
    seen_by_lan = client.get(f"/bills/{bill}", headers=auth).json()
    assert seen_by_lan["status"] == "paid" and seen_by_lan["amount_due"] == 0
    assert TUITION not in outstanding_codes(client, auth)
    paid = client.get(f"/payments/{p['id']}", headers=auth).json()  # the family sees who paid
    assert paid["payer_name"] == "Trần Văn Dũng" and paid["beneficiary_name"] == "Trần Minh An"
    notes = client.get("/notifications", headers=auth).json()
    mine = [n for n in (notes["items"]) if n.get("payment_id") == p["id"]]
    assert len(mine) == 1 and mine[0]["kind"] == "payment_succeeded"
    assert "Trần Văn Dũng" in mine[0]["body"]


def test_a_viewer_sees_bills_and_status_but_cannot_pay_invite_share_or_cancel(client, app, settings, clock, auth):
    an = person_id(app, "HS0123")
    bao = join(client, settings, clock, auth, an, OTHER_PHONE, role="viewer")
    assert [(p["full_name"], p["role"]) for p in client.get("/family", headers=bao).json()] == [
        ("Phạm Khánh Linh", "payer"), ("Trần Minh An", "viewer")]
    bill = bill_id(client, bao, TUITION)
    assert client.get(f"/bills/{bill}", headers=bao).json()["status"] == "open"
    before = count(app, Payment)
    for method in ("vietqr", "atm_card", "momo"):
        r = pay(client, bao, bill, method)
        assert r.status_code == 403 and r.json()["error"]["code"] == "family_viewer_cannot_pay", r.text
    assert count(app, Payment) == before
    r = invite(client, bao, an, UNCLE)
    assert r.status_code == 403 and r.json()["error"]["code"] == "family_payer_only"
    r = client.post(f"/bills/{bill}/pay-requests", headers=bao)
    assert r.status_code == 403 and r.json()["error"]["code"] == "family_payer_only"
    lans = pay(client, auth, bill, "vietqr").json()
    assert client.get(f"/payments/{lans['id']}", headers=bao).json()["state"] == "awaiting_payer"  # sees status
    r = client.post(f"/payments/{lans['id']}/cancel", headers=bao)
    assert r.status_code == 403 and r.json()["error"]["code"] == "family_viewer_cannot_pay"
    assert client.get(f"/payments/{lans['id']}", headers=auth).json()["state"] == "awaiting_payer"
    # Bảo stays a payer of his own child: the role is per person.
    assert pay(client, bao, bill_id(client, bao, "HS0789-HK1-2627"), "vietqr").status_code == 201


@pytest.mark.parametrize("body,status,code", [
    ({"phone": "12345"}, 422, "invalid_phone"),
    ({"phone": "0912 345 678"}, 409, "already_family_member"),  # Lan herself
    ({"role": "owner"}, 422, "validation_error"),
    ({"person_id": "not-in-the-family"}, 404, "person_not_found"),
    ({"extra": 1}, 422, "validation_error"),
])
def test_bad_invitations_get_specific_errors_and_change_nothing(client, app, auth, body, status, code):
    base = {"person_id": person_id(app, "HS0123"), "phone": UNCLE, "role": "payer"}
    r = client.post("/family/invitations", headers=auth, json={**base, **body})
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text
    assert count(app, FamilyInvitation) == 0


def test_no_invitation_for_someone_elses_person(client, app, auth):
    r = invite(client, auth, person_id(app, "HS0789"), UNCLE)  # Linh is Bảo's child, not Lan's
    assert r.status_code == 404 and r.json()["error"]["code"] == "person_not_found"


def test_one_open_invitation_per_number_and_existing_members_are_not_invited(client, app, settings, clock, auth):
    an = person_id(app, "HS0123")
    assert invite(client, auth, an, UNCLE).status_code == 201
    r = invite(client, auth, an, "+84388123456", role="viewer")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invitation_already_pending"
    bao = join(client, settings, clock, auth, an, OTHER_PHONE)
    r = invite(client, bao, an, "0912345678")
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_family_member"
    pending = client.get(f"/family/people/{an}/invitations", headers=bao).json()
    assert [(i["phone_masked"], i["can_withdraw"]) for i in pending] == [("•••••••456", False)]


def test_an_invitation_expires_after_seven_days_and_can_then_be_sent_again(client, app, settings, clock, auth):
    an = person_id(app, "HS0123")
    inv = invite(client, auth, an, UNCLE).json()
    clock.advance(days=7)
    uncle = sign_in(client, settings, UNCLE)
    assert client.get("/family/invitations/received", headers=uncle).json() == []
    r = client.post(f"/family/invitations/{inv['id']}/accept", headers=uncle)
    assert r.status_code == 410 and r.json()["error"]["code"] == "invitation_expired"
    assert client.get("/family", headers=uncle).json() == []
    lan = sign_in(client, settings, "0912345678")  # the old session went idle
    again = invite(client, lan, an, UNCLE)
    assert again.status_code == 201
    assert client.post(f"/family/invitations/{again.json()['id']}/accept", headers=uncle).status_code == 200


def test_withdraw_decline_and_answer_once(client, app, settings, clock, auth):
    an = person_id(app, "HS0123")
    first = invite(client, auth, an, UNCLE).json()
    uncle = sign_in(client, settings, UNCLE)
    bao = sign_in(client, settings, OTHER_PHONE)
    # Only the inviter withdraws; only the invited number answers. Others find nothing.
    assert client.delete(f"/family/invitations/{first['id']}", headers=bao).json()["error"]["code"] == \
        "invitation_not_found"
    for action in ("accept", "decline"):
        r = client.post(f"/family/invitations/{first['id']}/{action}", headers=bao)
        assert r.status_code == 404 and r.json()["error"]["code"] == "invitation_not_found"
    assert client.delete(f"/family/invitations/{first['id']}", headers=auth).status_code == 204
    r = client.post(f"/family/invitations/{first['id']}/accept", headers=uncle)
    assert r.status_code == 409 and r.json()["error"]["code"] == "invitation_withdrawn"
    second = invite(client, auth, an, UNCLE).json()
    assert client.post(f"/family/invitations/{second['id']}/decline", headers=uncle).status_code == 204
    r = client.post(f"/family/invitations/{second['id']}/accept", headers=uncle)
    assert r.status_code == 409 and r.json()["error"]["code"] == "invitation_already_answered"
    assert client.get("/family", headers=uncle).json() == []


def test_who_may_remove_whom_and_never_the_last_payer(client, app, settings, clock, auth):
    an = person_id(app, "HS0123")
    uncle = join(client, settings, clock, auth, an, UNCLE)                # invited by Lan, who linked An first
    aunt = join(client, settings, clock, uncle, an, AUNT, role="viewer")  # invited by the uncle
    bao = join(client, settings, clock, auth, an, OTHER_PHONE, role="viewer")
    seen = client.get(f"/family/people/{an}/members", headers=uncle).json()
    members = {m["phone_masked"][-3:]: m for m in seen}  # Lan 678, uncle 456, aunt 999, Bảo 321
    assert members["999"]["added_by_name"] == "•••••••456"
    assert {k: m["can_remove"] for k, m in members.items()} == {"678": False, "456": True, "999": True, "321": False}

    def remove(headers, tail):
        return client.delete(f"/family/people/{an}/members/{members[tail]['id']}", headers=headers)

    r = remove(bao, "456")  # a viewer removes nobody but themselves
    assert r.status_code == 403 and r.json()["error"]["code"] == "family_cannot_remove"
    r = remove(uncle, "678")  # the uncle cannot remove the parent who added An
    assert r.status_code == 403 and r.json()["error"]["code"] == "family_cannot_remove"
    assert remove(uncle, "999").status_code == 204  # but removes the aunt he invited
    assert client.get("/family", headers=aunt).json() == []
    r = remove(auth, "999")
    assert r.status_code == 404 and r.json()["error"]["code"] == "member_not_found"
    linh_member = client.get(f"/family/people/{person_id(app, 'HS0789')}/members", headers=bao).json()[0]["id"]
    r = client.delete(f"/family/people/{an}/members/{linh_member}", headers=auth)  # a member of another person
    assert r.status_code == 404 and r.json()["error"]["code"] == "member_not_found"
    # Lan removes Bảo: he no longer sees An or An's bills at all.
    bill = bill_id(client, auth, TUITION)
    assert remove(auth, "321").status_code == 204
    assert client.get(f"/bills/{bill}", headers=bao).json()["error"]["code"] == "bill_not_found"
    assert client.get(f"/family/people/{an}/members", headers=bao).json()["error"]["code"] == "person_not_found"
    # Lan removes the uncle; then she is the last payer and cannot leave.
    assert remove(auth, "456").status_code == 204
    r = remove(auth, "678")
    assert r.status_code == 409 and r.json()["error"]["code"] == "family_last_payer"
    assert [m["name"] for m in client.get(f"/family/people/{an}/members", headers=auth).json()] == ["Nguyễn Thị Lan"]


def test_a_removed_payers_open_invitations_are_withdrawn(client, app, settings, clock, auth):
    an = person_id(app, "HS0123")
    uncle = join(client, settings, clock, auth, an, UNCLE)
    pending = invite(client, uncle, an, AUNT).json()
    me = next(m for m in client.get(f"/family/people/{an}/members", headers=uncle).json() if m["is_me"])
    assert client.delete(f"/family/people/{an}/members/{me['id']}", headers=uncle).status_code == 204  # leaves
    aunt = sign_in(client, settings, AUNT)
    assert client.get("/family/invitations/received", headers=aunt).json() == []
    r = client.post(f"/family/invitations/{pending['id']}/accept", headers=aunt)
    assert r.status_code == 409 and r.json()["error"]["code"] == "invitation_withdrawn"


@pytest.mark.skipif("family_invitation" not in KINDS or "family_invitation" not in texts.TEXTS,
                    reason="the notification kind is added to domain.notifications and texts by the lead")
def test_an_invitee_with_an_account_is_notified(client, app, settings, clock, auth):
    bao = sign_in(client, settings, OTHER_PHONE)
    invite(client, auth, person_id(app, "HS0123"), OTHER_PHONE, role="viewer")
    notes = client.get("/notifications", headers=bao).json()
    items = notes["items"]
    assert [n["kind"] for n in items] == ["family_invitation"]
    assert "Nguyễn Thị Lan" in items[0]["title"] + items[0]["body"]
