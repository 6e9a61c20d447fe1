"""Pay requests ("Nhờ người thân trả"): what a shared link shows and hides, expiry, withdrawal, paying
through it (in the app, or by its VietQR from any bank app), and that a token opens exactly one bill."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import uuid

import pytest
from sqlalchemy import func, select

from domain import vietqr
from domain.phone import normalize_phone
from server.auth.models import User
from server.bills.models import Bill
from server.db import session_scope
from server.payments.models import Payment
from server.seed import OTHER_PHONE
from server.shares.models import PayRequest
from tests.server.conftest import sign_in
from tests.server.payments_helpers import bill_id, outstanding_codes, vnpay_result

HOSPITAL = "VP-BN00458-2611"
TUITION = "HS0123-HK1-2627"
RELATIVE = "0388123456"
PUBLIC_FIELDS = {"status", "institution_name", "institution_kind", "first_name", "amount_due", "due_date",
                 "invoice_code", "expires_at", "vietqr"}
# What a hospital bill and its family must never show through a link.
SECRETS = ["Nguyễn Văn Hùng", "Nguyễn", "1951", "Khoa Nội", "Viện phí nội trú", "Đợt điều trị", "Khám bệnh",
           "Tiền giường", "Thuốc", "Xét nghiệm", "Nguyễn Thị Lan", "912345678", "Bố"]


@pytest.fixture
def relative(client, settings, app, demo):
    headers = sign_in(client, settings, RELATIVE)
    for db in session_scope(app.state.session_factory):
        db.scalars(select(User).where(User.phone == normalize_phone(RELATIVE))).one().full_name = "Trần Văn Dũng"
    return headers


def share(client, auth, invoice: str = HOSPITAL, **body) -> dict:
    r = client.post(f"/bills/{bill_id(client, auth, invoice)}/pay-requests", headers=auth, json=body or None)
    assert r.status_code == 201, r.text
    return r.json()


def pay_through(client, headers, token: str, method: str = "atm_card", key: str | None = None, **extra):
    return client.post(f"/pay-requests/{token}/payments", json={"method": method, **extra},
                       headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())})


def ipn_ok(client, settings, payment: dict) -> None:
    q = urllib.parse.urlencode(vnpay_result(settings, payment))
    assert client.get("/providers/vnpay/ipn?" + q).json()["RspCode"] == "00"


def count(app, model) -> int:
    with app.state.session_factory() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_a_request_has_an_unguessable_token_a_link_and_the_institutions_vietqr(client, app, auth, clock):
    req = share(client, auth)
    token = req["token"]
    assert len(token) >= 43 and set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert req["url"] == f"http://testserver/r/{token}" and req["status"] == "open"
    assert dt.datetime.fromisoformat(req["expires_at"]) == clock() + dt.timedelta(days=7)
    qr = vietqr.parse(req["vietqr"])
    # The amount due, and the account and transfer note the app's own VietQR payment uses: the bank feed
    # matches a transfer to its bill by that note.
    own = client.post("/payments", json={"bill_id": bill_id(client, auth, HOSPITAL), "method": "vietqr"},
                      headers={**auth, "Idempotency-Key": "lan-qr"}).json()
    assert (qr.bin, qr.account, qr.amount) == (own["account"]["bank_bin"], own["account"]["account_number"], 4_640_000)
    assert qr.purpose == own["transfer_content"] == HOSPITAL and qr.bill_number == HOSPITAL
    with app.state.session_factory() as db:  # only the hash is kept
        assert db.scalars(select(PayRequest.token_hash)).one() not in (token, "")
    assert share(client, auth)["token"] != token


def test_the_link_shows_only_institution_first_name_amount_due_date_and_invoice(client, auth):
    req = share(client, auth)
    r = client.get(f"/pay-requests/{req['token']}")  # no sign-in
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store" and r.headers["referrer-policy"] == "no-referrer"
    view = r.json()
    assert set(view) == PUBLIC_FIELDS
    assert view | {"vietqr": None, "expires_at": None} == {
        "status": "open", "institution_name": "Bệnh viện Đa khoa Hồng Phúc", "institution_kind": "hospital",
        "first_name": "Hùng", "amount_due": 4_640_000, "due_date": "2026-11-24", "invoice_code": HOSPITAL,
        "vietqr": None, "expires_at": None}
    assert view["vietqr"] == req["vietqr"]
    for secret in SECRETS:
        assert secret not in r.text, secret
    # The person's code appears only inside the invoice code the hospital printed, never on its own.
    assert "BN00458" not in json.dumps({k: v for k, v in view.items() if k not in ("invoice_code", "vietqr")})


def test_the_link_opens_a_page_with_the_qr_for_a_relative_without_the_app(client, auth):
    req = share(client, auth)
    r = client.get(f"/r/{req['token']}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store" and "noindex" in r.headers["x-robots-tag"]
    page = r.text
    assert "Hùng" in page and HOSPITAL in page and "4.640.000" in page and "<svg" in page
    assert vietqr.parse(req["vietqr"]).account in page and "BENH VIEN DA KHOA HONG PHUC" in page
    for secret in SECRETS:
        assert secret not in page, secret
    r = client.get(f"/r/{req['token'][:-1]}x")
    assert r.status_code == 404 and "Hùng" not in r.text


def test_a_request_expires_after_seven_days(client, app, settings, clock, auth, relative):
    req = share(client, auth)
    short = share(client, auth, TUITION, expires_in_days=1)
    assert dt.datetime.fromisoformat(short["expires_at"]) == clock() + dt.timedelta(days=1)
    clock.advance(days=7)
    view = client.get(f"/pay-requests/{req['token']}").json()
    assert view["status"] == "expired" and view["vietqr"] is None
    assert client.get(f"/pay-requests/{short['token']}").json()["status"] == "expired"
    assert "hết hạn" in client.get(f"/r/{req['token']}").text
    relative = sign_in(client, settings, RELATIVE)  # the earlier session went idle
    before = count(app, Payment)
    r = pay_through(client, relative, req["token"])
    assert r.status_code == 410 and r.json()["error"]["code"] == "pay_request_expired"
    assert count(app, Payment) == before


@pytest.mark.parametrize("days", [0, 31, 2.5, None])
def test_the_expiry_asked_for_is_checked(client, auth, days):
    r = client.post(f"/bills/{bill_id(client, auth, HOSPITAL)}/pay-requests", headers=auth,
                    json={"expires_in_days": days} if days is not None else {"expires_at": "2030-01-01"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


def test_a_payer_withdraws_a_request_and_it_stops_working_at_once(client, app, auth, relative):
    req = share(client, auth)
    bill = bill_id(client, auth, HOSPITAL)
    assert client.delete(f"/bills/{bill}/pay-requests/{req['id']}", headers=auth).status_code == 204
    assert client.delete(f"/bills/{bill}/pay-requests/{req['id']}", headers=auth).status_code == 204  # again: same
    view = client.get(f"/pay-requests/{req['token']}").json()
    assert view["status"] == "withdrawn" and view["vietqr"] is None
    r = pay_through(client, relative, req["token"])
    assert r.status_code == 410 and r.json()["error"]["code"] == "pay_request_withdrawn"
    listed = client.get(f"/bills/{bill}/pay-requests", headers=auth).json()
    assert [(x["id"], x["status"], x["created_by_name"]) for x in listed] == [
        (req["id"], "withdrawn", "Nguyễn Thị Lan")]
    # The request id under another bill, and a relative who is not family: not found.
    other = bill_id(client, auth, TUITION)
    r = client.delete(f"/bills/{other}/pay-requests/{req['id']}", headers=auth)
    assert r.status_code == 404 and r.json()["error"]["code"] == "pay_request_not_found"
    r = client.delete(f"/bills/{bill}/pay-requests/{req['id']}", headers=relative)
    assert r.status_code == 404 and r.json()["error"]["code"] == "bill_not_found"


def test_only_the_familys_payers_ask_and_only_for_an_open_bill(client, app, auth, relative):
    bill = bill_id(client, auth, HOSPITAL)
    r = client.post(f"/bills/{bill}/pay-requests", headers=relative)
    assert r.status_code == 404 and r.json()["error"]["code"] == "bill_not_found"
    assert client.post(f"/bills/{bill}/pay-requests").status_code == 401
    with app.state.session_factory() as db:
        paid = db.scalars(select(Bill.id).where(Bill.invoice_code == "HS0123-NH-0926")).one()
    r = client.post(f"/bills/{paid}/pay-requests", headers=auth)
    assert r.status_code == 409 and r.json()["error"]["code"] == "bill_already_paid"
    for db in session_scope(app.state.session_factory):
        db.scalars(select(Bill).where(Bill.id == bill)).one().cancelled = True
    r = client.post(f"/bills/{bill}/pay-requests", headers=auth)
    assert r.status_code == 409 and r.json()["error"]["code"] == "bill_cancelled"
    assert count(app, PayRequest) == 0


def test_a_relative_pays_through_the_request_and_the_family_sees_who_paid(client, app, settings, auth, relative):
    req = share(client, auth)
    bill = bill_id(client, auth, HOSPITAL)
    key = str(uuid.uuid4())
    r = pay_through(client, relative, req["token"], key=key)
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["bill_id"] == bill and p["amount"] == 4_640_000 and p["payer_name"] == "Trần Văn Dũng"
    assert p["beneficiary_name"] == "Hùng" and p["reason"] == HOSPITAL  # the relative sees what the link showed
    assert pay_through(client, relative, req["token"], key=key).json()["id"] == p["id"]  # a retry: the same one
    ipn_ok(client, settings, p)
    # The family: paid at once, and by whom.
    assert HOSPITAL not in outstanding_codes(client, auth)
    listed = client.get(f"/bills/{bill}/pay-requests", headers=auth).json()
    assert [(x["status"], x["paid_by_name"], x["payment_id"]) for x in listed] == [("paid", "Trần Văn Dũng", p["id"])]
    whole = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert whole["payer_name"] == "Trần Văn Dũng" and whole["beneficiary_name"] == "Nguyễn Văn Hùng"
    lan = [n for n in client.get("/notifications", headers=auth).json()["items"] if n["payment_id"] == p["id"]]
    assert len(lan) == 1 and "Trần Văn Dũng" in lan[0]["body"] and "Nguyễn Văn Hùng" in lan[0]["body"]
    # The relative: told it went through, without the family's details.
    mine = client.get("/notifications", headers=relative).json()["items"]
    assert [n["kind"] for n in mine] == ["payment_succeeded"] and mine[0]["bill_id"] is None
    assert "Hùng" in mine[0]["body"]
    for secret in SECRETS[:7]:
        assert secret not in mine[0]["title"] + mine[0]["body"], secret
    seen = client.get(f"/payments/{p['id']}", headers=relative).json()
    assert seen["state"] == "succeeded" and seen["beneficiary_name"] == "Hùng"
    # Paid: the link says so, and a second payment is refused.
    view = client.get(f"/pay-requests/{req['token']}").json()
    assert view["status"] == "paid" and view["amount_due"] == 0 and view["vietqr"] is None
    r = pay_through(client, relative, req["token"], method="momo")
    assert r.status_code == 409 and r.json()["error"]["code"] == "bill_already_paid"


def test_a_relative_without_the_app_pays_by_the_requests_vietqr(client, auth):
    req = share(client, auth)
    r = client.post("/sandbox/bank/transfer", json={"qr_payload": req["vietqr"]})  # any bank app, then its feed
    assert r.status_code == 200 and r.json()["status"] == "sent", r.text
    assert HOSPITAL not in outstanding_codes(client, auth)
    assert client.get(f"/pay-requests/{req['token']}").json()["status"] == "paid"


def test_paying_through_a_request_names_no_bill_and_checks_its_input(client, app, auth, relative):
    req = share(client, auth)
    other = bill_id(client, auth, TUITION)
    before = count(app, Payment)
    for body in ({"method": "vietqr", "bill_id": other}, {"method": "cash"}, {}):
        r = client.post(f"/pay-requests/{req['token']}/payments", json=body,
                        headers={**relative, "Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error", body
    r = client.post(f"/pay-requests/{req['token']}/payments", json={"method": "vietqr"}, headers=relative)
    assert r.status_code == 400 and r.json()["error"]["code"] == "idempotency_key_required"
    r = client.post(f"/pay-requests/{req['token']}/payments", json={"method": "vietqr"},
                    headers={"Idempotency-Key": "k1"})
    assert r.status_code == 401
    assert count(app, Payment) == before


def test_a_token_opens_exactly_its_own_bill_and_nothing_else(client, app, settings, auth, relative):
    hospital, tuition = share(client, auth), share(client, auth, TUITION)
    assert client.get(f"/pay-requests/{tuition['token']}").json()["first_name"] == "An"
    token = hospital["token"]
    with app.state.session_factory() as db:
        bill_ids = list(db.scalars(select(Bill.id)))
        token_hash = db.scalars(select(PayRequest.token_hash).where(PayRequest.id == hospital["id"])).one()
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    guesses = [flipped, token[:-1], token + "A", token.upper(), token.lower(), token_hash, hospital["id"],
               token[:20], "%20" + token, token + "%00", *bill_ids]
    expected = {"error": {"code": "pay_request_not_found", "message": "this pay request does not exist"}}
    for guess in guesses:
        r = client.get(f"/pay-requests/{guess}")
        assert r.status_code in (404, 422) and (r.status_code == 422 or r.json() == expected), guess
        r = pay_through(client, relative, guess)
        assert r.status_code in (404, 422), guess
    assert count(app, Payment) == 0
    # Paying through it touches its bill only; it gives no way into the family's other bills or payments.
    p = pay_through(client, relative, token, method="vietqr").json()
    assert p["bill_id"] == bill_id(client, auth, HOSPITAL)
    assert client.get("/bills/outstanding", headers=relative).json()["groups"] == []
    assert client.get("/family", headers=relative).json() == []
    for b in bill_ids:
        r = client.get(f"/bills/{b}", headers=relative)
        assert r.status_code == 404 and r.json()["error"]["code"] == "bill_not_found"
        assert client.get(f"/bills/{b}/pay-requests", headers=relative).status_code == 404
    lans = client.post("/payments", json={"bill_id": bill_id(client, auth, TUITION), "method": "vietqr"},
                       headers={**auth, "Idempotency-Key": "lan-1"}).json()
    assert client.get(f"/payments/{lans['id']}", headers=relative).json()["error"]["code"] == "payment_not_found"
    assert client.post(f"/payments/{lans['id']}/cancel", headers=relative).status_code == 404
    # Bảo, in another family, holding no token, reads nothing either.
    bao = sign_in(client, settings, OTHER_PHONE)
    assert client.get(f"/payments/{p['id']}", headers=bao).status_code == 404
