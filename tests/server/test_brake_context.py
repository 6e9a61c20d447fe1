"""GET /brakes/context: what the brakes need from the server — has this user paid the account before,
and what the family's bills usually come to — from real payments and bills, and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from server.bills.models import Bill
from server.institutions.models import Institution
from server.people.models import Person
from server.seed import OTHER_PHONE
from tests.server.conftest import sign_in
from tests.server.payments_helpers import bill_id, feed_post, local, pay

HOSPITAL_ACCOUNTS = (("970415", "113000123456"), ("970422", "0801234567890"))
SCHOOL_ACCOUNT = ("970436", "0011004123456")  # TH Hoa Sen
MIDDLE_SCHOOL_ACCOUNT = ("970418", "12010000654321")  # THCS Ánh Dương
LAN_FAMILY_BILLS = [350_000, 450_000, 2_220_000, 3_584_520, 4_640_000]  # the demo family's bills, sorted


def context(client, auth, bank_bin: str, account: str):
    return client.get("/brakes/context", params={"bank_bin": bank_bin, "account_number": account}, headers=auth)


def paid_before(client, auth, account: tuple[str, str]) -> bool:
    r = context(client, auth, *account)
    assert r.status_code == 200, r.text
    return r.json()["paid_before"]


def test_an_unknown_account_and_the_familys_usual_amounts(client, auth):
    r = context(client, auth, "970423", "0566 778.899")
    assert r.status_code == 200
    assert r.json()["paid_before"] is False
    assert sorted(r.json()["usual_amounts"]) == LAN_FAMILY_BILLS  # Bảo's child's bill is not in it
    assert all(isinstance(a, int) for a in r.json()["usual_amounts"])


def test_usual_amounts_are_the_last_12_months_newest_first_at_most_50(app, client, auth, clock):
    now = clock()
    with app.state.session_factory.begin() as db:
        hoasen = db.scalars(select(Institution).where(Institution.short_name == "TH Hoa Sen")).one()
        an = db.scalars(select(Person).where(Person.code == "HS0123")).one()

        def bill(code: str, total: int, issued: dt.datetime, cancelled: bool = False) -> None:
            db.add(Bill(institution_id=hoasen.id, person_id=an.id, invoice_code=code, kind="tuition", title="Phí",
                        period="Kỳ", due_date=issued.date(), total=total, amount_paid=0, cancelled=cancelled,
                        issued_at=issued))
        bill("HS0123-OLD-2501", 9_999_000, now - dt.timedelta(days=400))  # over a year ago
        bill("HS0123-CX-2611", 8_888_000, now - dt.timedelta(days=1), cancelled=True)  # never to be paid
        bill("HS0123-NEW-2611", 123_000, now + dt.timedelta(minutes=1))
    amounts = context(client, auth, *SCHOOL_ACCOUNT).json()["usual_amounts"]
    assert amounts[0] == 123_000 and sorted(amounts) == sorted([123_000, *LAN_FAMILY_BILLS])
    with app.state.session_factory.begin() as db:
        for n in range(60):
            db.add(Bill(institution_id=hoasen.id, person_id=an.id, invoice_code=f"HS0123-M{n:02d}-2611",
                        kind="tuition", title="Tiền ăn", period="Tháng", due_date=now.date(), total=100_000 + n,
                        amount_paid=0, issued_at=now - dt.timedelta(days=n + 2)))
    amounts = context(client, auth, *SCHOOL_ACCOUNT).json()["usual_amounts"]
    assert len(amounts) == 50 and amounts[0] == 123_000 and sorted(amounts[1:6]) == LAN_FAMILY_BILLS
    assert amounts[6:] == list(range(100_000, 100_044))  # newest first; the oldest 16 left out


def test_paid_before_comes_from_succeeded_payments_of_this_user(app, client, auth, settings):
    # A VietQR transfer to the hospital, settled by the bank feed: that account was paid.
    p = pay(client, auth, bill_id(client, auth, "VP-BN00458-2611"), "vietqr").json()
    account = (p["account"]["bank_bin"], p["account"]["account_number"])
    assert account in HOSPITAL_ACCOUNTS and not paid_before(client, auth, account)  # not before it succeeds
    with app.state.session_factory() as db:
        hospital = db.scalars(select(Institution).where(Institution.short_name == "BVĐK Hồng Phúc")).one()
        hospital_id, secret = hospital.id, hospital.feed_secret
    event = {"reference": "FT777", "account_number": account[1], "bank_bin": account[0], "amount": p["amount"],
             "time": "2026-11-22T10:05:00+07:00", "content": f"CK {p['transfer_content']}"}
    assert feed_post(client, hospital_id, secret, event).json()["status"] == "applied"
    spaced = (account[0], " ".join(account[1][i:i + 4] for i in range(0, len(account[1]), 4)))
    assert paid_before(client, auth, account) and paid_before(client, auth, spaced)
    other_hospital_account = next(a for a in HOSPITAL_ACCOUNTS if a != account)
    assert paid_before(client, auth, other_hospital_account)  # the same payee: the hospital
    assert not paid_before(client, sign_in(client, settings, OTHER_PHONE), account)  # someone else's history

    # A card payment through the gateway records no account: the school it paid counts as paid.
    card = pay(client, auth, bill_id(client, auth, "HS0123-HK1-2627"), "atm_card").json()
    client.get(local(card["pay_url"]))
    client.post("/sandbox/vnpay/decide", data={"order_id": card["reference"], "decision": "approved"})
    assert client.get(f"/payments/{card['id']}", headers=auth).json()["state"] == "succeeded"
    assert paid_before(client, auth, SCHOOL_ACCOUNT)

    # A declined payment paid nobody.
    declined = pay(client, auth, bill_id(client, auth, "HS2045-HK1-2627"), "momo").json()
    client.get(local(declined["pay_url"]))
    client.post("/sandbox/momo/decide", data={"order_id": declined["reference"], "decision": "declined"})
    assert client.get(f"/payments/{declined['id']}", headers=auth).json()["state"] == "failed"
    assert not paid_before(client, auth, MIDDLE_SCHOOL_ACCOUNT)


@pytest.mark.parametrize("params,code", [
    ({"bank_bin": "999999", "account_number": "123456789"}, "bank_unknown"),
    ({"bank_bin": "970423", "account_number": "12345"}, "account_invalid"),
    ({"bank_bin": "970423", "account_number": "1" * 20}, "account_invalid"),
    ({"bank_bin": "970423", "account_number": "12AB5678"}, "account_invalid"),
    ({"bank_bin": "970423"}, "validation_error"),
    ({"account_number": "123456789"}, "validation_error"),
])
def test_bad_accounts_get_specific_errors(client, auth, params, code):
    r = client.get("/brakes/context", params=params, headers=auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text


def test_signed_in_users_only(client, demo):
    r = client.get("/brakes/context", params={"bank_bin": "970423", "account_number": "0566778899"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
