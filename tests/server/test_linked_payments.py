"""Paying a bill with a linked account: the owner's confirmation, SBV face-check lines, the token charge
and its outcomes, and the token never leaving the server's encrypted store."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import httpx
from sqlalchemy import func, select

from server.db import Base, session_scope
from server.payments.models import Payment
from server.seed import OTHER_PHONE
from tests.server.conftest import sign_in
from tests.server.linking_helpers import (NO_FUNDS_NUMBER, confirmation, err, earlier_payment, link_account,
                                          make_bill, pay_linked)
from tests.server.payments_helpers import outstanding_codes


def payment_count(app) -> int:
    for db in session_scope(app.state.session_factory):
        return db.scalar(select(func.count()).select_from(Payment))


def test_pays_just_under_the_single_limit_with_the_token(client, app, auth):
    source = link_account(client, auth)
    bill = make_bill(app, 9_999_999, code="LINK-OK-1")
    r = pay_linked(client, auth, bill, source["id"], confirmation(client, auth))
    assert r.status_code == 201, r.text
    p = r.json()
    assert (p["method"], p["provider"], p["state"], p["source_id"]) == ("linked", "token", "succeeded", source["id"])
    assert p["amount"] == 9_999_999 and p["received_amount"] == 9_999_999 and p["provider_txn"]
    assert p["payer_name"] and p["beneficiary_name"] and p["reason"] and p["invoice_code"] == "LINK-OK-1"
    assert p["pay_url"] is None and p["live"] is False
    assert "LINK-OK-1" not in outstanding_codes(client, auth)
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "succeeded"


def test_linked_is_not_an_institution_method(client, auth):
    ids = [m["id"] for m in client.get("/payments/methods", headers=auth).json()["methods"]]
    assert ids == ["vietqr", "atm_card", "intl_card", "momo"]


def test_over_the_single_limit_needs_the_banks_face_scan(client, app, auth):
    source = link_account(client, auth)
    bill = make_bill(app, 10_000_001)
    token = confirmation(client, auth)
    r = pay_linked(client, auth, bill, source["id"], token)
    assert r.status_code == 409 and err(r) == "face_check_required"
    assert r.json()["error"]["details"] == {"reason": "single_over_limit", "paid_today": 0}
    assert payment_count(app) == 0
    # The confirmation was not spent on a refusal: it still pays a bill under the line.
    assert pay_linked(client, auth, make_bill(app, 500_000), source["id"], token).status_code == 201


def test_over_the_daily_total_needs_the_banks_face_scan(client, app, auth, clock):
    source = link_account(client, auth)
    today_early = dt.datetime(2026, 11, 21, 17, 30, tzinfo=dt.timezone.utc)  # 00:30 on 22/11 in Hà Nội
    yesterday = dt.datetime(2026, 11, 21, 16, 30, tzinfo=dt.timezone.utc)  # 23:30 on 21/11 in Hà Nội
    earlier_payment(app, 9_000_000, today_early)
    earlier_payment(app, 6_000_000, today_early + dt.timedelta(hours=1), state="awaiting_payer")
    earlier_payment(app, 9_000_000, yesterday)  # another day
    earlier_payment(app, 9_000_000, today_early, state="failed")  # nothing moved
    r = client.get("/accounts/face-check", params={"amount": 5_000_001}, headers=auth)
    assert r.json()["paid_today"] == 15_000_000 and r.json()["reason"] == "daily_over_limit"

    token = confirmation(client, auth)
    r = pay_linked(client, auth, make_bill(app, 5_000_001), source["id"], token)
    assert r.status_code == 409 and err(r) == "face_check_required"
    assert r.json()["error"]["details"] == {"reason": "daily_over_limit", "paid_today": 15_000_000}
    r = pay_linked(client, auth, make_bill(app, 5_000_000), source["id"], token)  # exactly 20,000,000: allowed
    assert r.status_code == 201 and r.json()["state"] == "succeeded"


def test_the_owner_must_confirm_each_payment(client, app, auth, settings):
    source = link_account(client, auth)
    bill = make_bill(app, 700_000)
    r = pay_linked(client, auth, bill, source["id"], None)
    assert r.status_code == 403 and err(r) == "confirmation_required"
    r = pay_linked(client, auth, bill, source["id"], "not-a-confirmation")
    assert r.status_code == 403 and err(r) == "confirmation_invalid"
    assert payment_count(app) == 0

    token = confirmation(client, auth)
    assert pay_linked(client, auth, bill, source["id"], token).status_code == 201
    r = pay_linked(client, auth, make_bill(app, 800_000), source["id"], token)  # reused
    assert r.status_code == 403 and err(r) == "confirmation_invalid"
    assert payment_count(app) == 1


def test_insufficient_funds_fails_with_nothing_debited(client, app, auth):
    source = link_account(client, auth, number=NO_FUNDS_NUMBER)
    r = pay_linked(client, auth, make_bill(app, 1_200_000, code="LINK-POOR"), source["id"], confirmation(client, auth))
    assert r.status_code == 201, r.text
    p = r.json()
    assert (p["state"], p["failure_code"], p["nothing_debited"]) == ("failed", "insufficient_funds", True)
    assert "LINK-POOR" in outstanding_codes(client, auth)
    assert client.get("/accounts", headers=auth).json()["sources"][0]["status"] == "active"


def test_the_same_key_returns_the_same_payment(client, app, auth):
    source = link_account(client, auth)
    bill = make_bill(app, 300_000)
    token = confirmation(client, auth)
    first = pay_linked(client, auth, bill, source["id"], token, key="pay-linked-1")
    again = pay_linked(client, auth, bill, source["id"], token, key="pay-linked-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert len(app.state.link_sandbox.charges) == 1  # charged once
    other = pay_linked(client, auth, bill, str(uuid.uuid4()), token, key="pay-linked-1")
    assert other.status_code == 422 and err(other) == "idempotency_key_reused"


def test_only_the_payers_own_active_source_pays(client, app, auth, settings):
    mismatch = link_account(client, auth, holder="TRAN VAN MINH")
    bill = make_bill(app, 400_000)
    token = confirmation(client, auth)
    r = pay_linked(client, auth, bill, mismatch["id"], token)
    assert r.status_code == 409 and err(r) == "source_not_active"
    assert r.json()["error"]["details"]["status"] == "needs_name_confirmation"

    other = sign_in(client, settings, OTHER_PHONE)
    theirs = link_account(client, other, number="9988776655")
    r = pay_linked(client, auth, bill, theirs["id"], token)
    assert r.status_code == 404 and err(r) == "source_not_found"
    assert payment_count(app) == 0
    # The payer's own source, once the name is confirmed, pays with the same unspent confirmation.
    client.post(f"/accounts/{mismatch['id']}/confirm-name", headers=auth)
    assert pay_linked(client, auth, bill, mismatch["id"], token).json()["state"] == "succeeded"


def test_a_token_the_provider_no_longer_honours_fails_and_revokes_the_source(client, app, auth):
    source = link_account(client, auth)
    [issued] = app.state.link_sandbox.tokens.values()
    issued.revoked = True  # revoked at the bank, and its callback never arrived
    r = pay_linked(client, auth, make_bill(app, 250_000), source["id"], confirmation(client, auth))
    assert (r.json()["state"], r.json()["failure_code"], r.json()["nothing_debited"]) == (
        "failed", "token_invalid", True)
    assert client.get("/accounts", headers=auth).json()["sources"][0]["status"] == "revoked"


class LosesPayAnswers:
    """The provider gets the charge, but its answer is lost on the way back."""

    def __init__(self, inner):
        self.inner = inner

    def post(self, url, *args, **kwargs):
        response = self.inner.post(url, *args, **kwargs)
        if url.endswith("/v1/token/pay"):
            raise httpx.ReadTimeout("answer lost")
        return response

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_an_unanswered_charge_is_unknown_then_resolved_by_query(client, app, auth):
    source = link_account(client, auth)
    bill = make_bill(app, 600_000, code="LINK-QUIET")
    app.state.http = LosesPayAnswers(app.state.http)
    r = pay_linked(client, auth, bill, source["id"], confirmation(client, auth))
    assert r.status_code == 201 and r.json()["state"] == "unknown"
    assert "LINK-QUIET" in outstanding_codes(client, auth)
    r = client.get(f"/payments/{r.json()['id']}", headers=auth)
    assert r.json()["state"] == "succeeded"
    assert "LINK-QUIET" not in outstanding_codes(client, auth)


def test_the_token_never_leaves_the_server(client, app, auth, settings, caplog):
    """Link, list, pay, read and unlink with every logger at DEBUG: the token is in no response body,
    no log line and no database row (the source keeps it only encrypted)."""
    caplog.set_level(logging.DEBUG)
    bodies: list[str] = []

    def keep(response: httpx.Response) -> None:
        response.read()
        bodies.append(response.text)

    for c in (client, app.state.http):
        c.event_hooks = {"request": [], "response": [keep]}

    source = link_account(client, auth)
    [token] = app.state.link_sandbox.tokens.keys()
    assert token.startswith("tok_") and len(token) >= 32
    client.get("/accounts", headers=auth)
    client.post(f"/accounts/{source['id']}/default", headers=auth)
    client.get("/accounts/face-check", params={"amount": 1_000_000}, headers=auth)
    paid = pay_linked(client, auth, make_bill(app, 1_000_000), source["id"], confirmation(client, auth)).json()
    assert paid["state"] == "succeeded"
    client.get(f"/payments/{paid['id']}", headers=auth)
    client.get("/payments/active", headers=auth)

    for db in session_scope(app.state.session_factory):
        for table in Base.metadata.sorted_tables:
            rows = db.execute(select(table)).all()
            assert token not in repr(rows), f"token stored in clear in {table.name}"
    client.delete(f"/accounts/{source['id']}", headers=auth)

    assert len(bodies) > 10 and any("tok_" not in b and "approve" in b for b in bodies)
    for body in bodies:
        assert token not in body
    assert caplog.records and token not in caplog.text
    for record in caplog.records:
        assert token not in record.getMessage() and token not in str(record.args)
