"""VNPay 2.1.0, MoMo v2 and the bank feed: signatures, callbacks in the documented order, repeats."""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse

import pytest
from sqlalchemy import select

from server.db import session_scope
from server.institutions.models import Institution
from server.providers import momo, vnpay
from tests.server.payments_helpers import (bill_id, feed_post, local, momo_ipn, outstanding_codes, pay, query,
                                           vnpay_result)

INVOICE = "VP-BN00458-2611"


def institution(app, name="Bệnh viện Đa khoa Hồng Phúc") -> tuple[str, str]:
    for db in session_scope(app.state.session_factory):
        i = db.scalars(select(Institution).where(Institution.name == name)).one()
        return i.id, i.feed_secret


# ------------------------------------------------------------------ VNPay
def test_vnpay_signature_follows_the_documented_algorithm():
    params = {"vnp_TxnRef": "DP1", "vnp_Amount": "100000", "vnp_OrderInfo": "Thanh toan HS 01",
              "vnp_SecureHash": "ignored", "vnp_SecureHashType": "HmacSHA512", "vnp_Locale": "vn", "other": "x"}
    expected_data = "vnp_Amount=100000&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+HS+01&vnp_TxnRef=DP1"
    expected = hmac.new(b"secret", expected_data.encode(), hashlib.sha512).hexdigest()
    assert vnpay.sign(params, "secret") == expected
    assert vnpay.verify({**params, "vnp_SecureHash": expected.upper()}, "secret")
    assert not vnpay.verify({**params, "vnp_SecureHash": expected, "vnp_Amount": "100001"}, "secret")
    assert not vnpay.verify({**params, "vnp_SecureHash": expected}, "other-secret")


def test_vnpay_pay_url_is_signed_and_carries_the_amount_times_100(client, auth, settings):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "intl_card").json()
    q = query(p["pay_url"])
    assert q["vnp_Amount"] == "464000000" and q["vnp_TxnRef"] == p["reference"] and q["vnp_BankCode"] == "INTCARD"
    assert q["vnp_Version"] == "2.1.0" and q["vnp_Command"] == "pay" and q["vnp_CurrCode"] == "VND"
    assert len(q["vnp_CreateDate"]) == 14 and q["vnp_ExpireDate"] > q["vnp_CreateDate"]
    assert q["vnp_OrderInfo"].isascii() and INVOICE in q["vnp_OrderInfo"]
    assert vnpay.verify(q, settings.vnpay_hash_secret)


def ipn(client, params):
    return client.get("/providers/vnpay/ipn?" + urllib.parse.urlencode(params)).json()["RspCode"]


def test_vnpay_ipn_answers_each_case_with_its_documented_code(client, auth, settings):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "atm_card").json()
    assert ipn(client, vnpay_result(settings, p, secret="wrong")) == "97"
    assert ipn(client, vnpay_result(settings, {**p, "reference": "DPNOSUCHORDER"})) == "01"
    assert ipn(client, vnpay_result(settings, p, amount=p["amount"] - 1)) == "04"
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "awaiting_payer"
    assert ipn(client, vnpay_result(settings, p)) == "00"
    assert ipn(client, vnpay_result(settings, p)) == "02"  # repeated IPN: already confirmed
    assert ipn(client, vnpay_result(settings, p, code="24")) == "02"
    paid = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert paid["state"] == "succeeded" and paid["provider_txn"] == "14012345" and paid["settled_at"]
    assert INVOICE not in outstanding_codes(client, auth)
    causes = [h["cause"] for h in paid["history"]]
    assert any("amount" in c for c in causes)  # the rejected wrong-amount IPN is in the audit trail


@pytest.mark.parametrize("code,debited", [("24", False), ("51", False), ("07", True)])
def test_vnpay_failure_codes_fail_the_payment_and_keep_the_bill_open(client, auth, settings, code, debited):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "atm_card").json()
    assert ipn(client, vnpay_result(settings, p, code=code)) == "00"
    failed = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert failed["state"] == "failed" and failed["failure_code"] == code
    assert failed["nothing_debited"] is (not debited)
    assert INVOICE in outstanding_codes(client, auth)


def test_vnpay_sandbox_checkout_approve_and_decline(client, auth):
    bid = bill_id(client, auth, INVOICE)
    p = pay(client, auth, bid, "atm_card").json()
    page = client.get(local(p["pay_url"]))
    assert page.status_code == 200 and "4.640.000" in page.text
    declined = client.post("/sandbox/vnpay/decide", data={"order_id": p["reference"], "decision": "declined"},
                           follow_redirects=False)
    assert declined.status_code == 303 and "/providers/vnpay/return" in declined.headers["location"]
    assert client.get(local(declined.headers["location"])).status_code == 200
    failed = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert failed["state"] == "failed" and failed["failure_code"] == "24" and failed["nothing_debited"]
    p2 = pay(client, auth, bid, "atm_card").json()
    client.get(local(p2["pay_url"]))
    client.post("/sandbox/vnpay/decide", data={"order_id": p2["reference"], "decision": "approved"})
    assert client.get(f"/payments/{p2['id']}", headers=auth).json()["state"] == "succeeded"
    tampered = p2["pay_url"].replace("vnp_Amount=464000000", "vnp_Amount=100")
    assert client.get(local(tampered)).status_code == 400


def test_lost_ipn_is_resolved_by_querydr_after_expiry(client, auth, clock):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "atm_card").json()
    client.post("/sandbox/behaviour", json={"mode": "drop"})
    client.get(local(p["pay_url"]))
    client.post("/sandbox/vnpay/decide", data={"order_id": p["reference"], "decision": "approved"})
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "awaiting_payer"
    clock.advance(minutes=16)
    resolved = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert resolved["state"] == "succeeded" and resolved["provider_txn"]
    assert any("query" in h["cause"] for h in resolved["history"])


def test_abandoned_checkout_expires_after_querydr_finds_no_payment(client, auth, clock):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "atm_card").json()
    clock.advance(minutes=16)  # never opened: the gateway has no such transaction
    expired = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert expired["state"] == "expired" and expired["nothing_debited"]
    assert client.get("/payments/active", headers=auth).json()["payments"] == []


def test_unreachable_gateway_leaves_the_payment_unknown_until_it_answers(client, auth, clock, app, settings):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "atm_card").json()
    settings.vnpay_api_url = "http://127.0.0.1:9/unreachable"
    clock.advance(minutes=16)
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "unknown"
    assert pay(client, auth, p["bill_id"], "vietqr").json()["error"]["code"] == "payment_in_progress"
    settings.vnpay_api_url = ""
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "expired"


# ------------------------------------------------------------------ MoMo
def test_momo_signature_string_is_the_documented_one():
    body = {"partnerCode": "P", "requestId": "R", "amount": 1000, "orderId": "O", "orderInfo": "I",
            "redirectUrl": "https://r", "ipnUrl": "https://i", "requestType": "captureWallet", "extraData": ""}
    raw = momo.raw_signature(body, momo.CREATE_FIELDS, "AK")
    assert raw == ("accessKey=AK&amount=1000&extraData=&ipnUrl=https://i&orderId=O&orderInfo=I&partnerCode=P"
                   "&redirectUrl=https://r&requestId=R&requestType=captureWallet")
    assert momo.sign(body, momo.CREATE_FIELDS, "AK", "SK") == hmac.new(b"SK", raw.encode(), hashlib.sha256).hexdigest()


def test_momo_create_ipn_checks_and_204(client, auth, settings):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "momo").json()
    assert p["state"] == "awaiting_payer" and "/sandbox/momo/pay/" in p["pay_url"] and p["deeplink"]
    bad_sig = client.post("/providers/momo/ipn", json=momo_ipn(settings, p, secret="wrong"))
    bad_amount = client.post("/providers/momo/ipn", json=momo_ipn(settings, p, amount=1000))
    assert (bad_sig.status_code, bad_amount.status_code) == (400, 400)
    ok = client.post("/providers/momo/ipn", json=momo_ipn(settings, p))
    assert ok.status_code == 204 and ok.content == b""
    assert client.post("/providers/momo/ipn", json=momo_ipn(settings, p)).status_code == 204
    paid = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert paid["state"] == "succeeded" and paid["provider_txn"] == "3012345678"
    assert sum(1 for h in paid["history"] if h["state"] == "succeeded") == 1


def test_momo_sandbox_decline_fails_with_nothing_debited(client, auth):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "momo").json()
    assert client.get(local(p["pay_url"])).status_code == 200
    client.post("/sandbox/momo/decide", data={"order_id": p["reference"], "decision": "declined"})
    failed = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert failed["state"] == "failed" and failed["failure_code"] == "1006" and failed["nothing_debited"]


# ------------------------------------------------------------------ bank feed (VietQR)
def feed_event(p: dict, amount: int | None = None, reference: str = "FT001", content: str | None = None) -> dict:
    return {"reference": reference, "account_number": p["account"]["account_number"], "bank_bin": "970418",
            "amount": p["amount"] if amount is None else amount, "time": "2026-11-22T10:05:00+07:00",
            "content": content if content is not None else f"NGUYEN THI LAN CK {p['transfer_content']}"}


def test_bank_feed_signature_matching_and_repeats(client, auth, app):
    inst, secret = institution(app)
    p = pay(client, auth, bill_id(client, auth, INVOICE), "vietqr").json()
    bad = feed_post(client, inst, secret, feed_event(p), signature="00" * 32)
    assert bad.status_code == 401
    content = "CT " + p["transfer_content"].replace("-", "").lower()  # banks drop punctuation and case
    first = feed_post(client, inst, secret, feed_event(p, content=content))
    assert first.json() == {"status": "applied", "payment_id": p["id"]}
    for _ in range(3):
        assert feed_post(client, inst, secret, feed_event(p, content=content)).json()["status"] == "duplicate"
    paid = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert paid["state"] == "succeeded" and paid["received_amount"] == p["amount"] and paid["provider_txn"] == "FT001"
    assert INVOICE not in outstanding_codes(client, auth)
    assert outstanding_codes(client, auth)  # the other bills are untouched


def test_bank_feed_partial_then_rest(client, auth, app):
    inst, secret = institution(app)
    bid = bill_id(client, auth, INVOICE)
    p = pay(client, auth, bid, "vietqr").json()
    feed_post(client, inst, secret, feed_event(p, amount=1_000_000))
    bill = client.get(f"/bills/{bid}", headers=auth).json()
    assert bill["status"] == "partially_paid" and bill["amount_due"] == 3_640_000
    got = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert got["received_amount"] == 1_000_000 and any("partially" in h["cause"] for h in got["history"])
    rest = pay(client, auth, bid, "vietqr").json()
    assert rest["amount"] == 3_640_000
    feed_post(client, inst, secret, feed_event(rest, reference="FT002"))
    assert client.get(f"/bills/{bid}", headers=auth).json()["status"] == "paid"


def test_bank_feed_overpayment_pays_and_flags_the_excess(client, auth, app):
    inst, secret = institution(app)
    p = pay(client, auth, bill_id(client, auth, INVOICE), "vietqr").json()
    feed_post(client, inst, secret, feed_event(p, amount=p["amount"] + 60_000))
    got = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert got["state"] == "succeeded" and got["refund_amount"] == 60_000
    assert INVOICE not in outstanding_codes(client, auth)


def test_late_success_on_a_paid_bill_is_recorded_and_flagged_for_refund(client, auth, app, settings):
    inst, secret = institution(app)
    bid = bill_id(client, auth, INVOICE)
    qr = pay(client, auth, bid, "vietqr").json()
    client.post(f"/payments/{qr['id']}/cancel", headers=auth)
    card = pay(client, auth, bid, "atm_card").json()
    assert ipn(client, vnpay_result(settings, card)) == "00"
    # The payer had already scanned the old QR and transfers anyway: money moved, so we keep it on record.
    assert feed_post(client, inst, secret, feed_event(qr)).json()["status"] == "applied"
    late = client.get(f"/payments/{qr['id']}", headers=auth).json()
    assert late["state"] == "refund_pending" and late["refund_amount"] == qr["amount"]
    bill = client.get(f"/bills/{bid}", headers=auth).json()
    assert bill["amount_paid"] == bill["total"]  # paid once, not twice


def test_transfer_without_an_open_payment_still_pays_the_bill(client, auth, app):
    inst, secret = institution(app)
    event = {"reference": "FT777", "account_number": "", "amount": 4_640_000, "content": f"TT {INVOICE}",
             "time": "2026-11-22T10:05:00+07:00"}
    p = pay(client, auth, bill_id(client, auth, INVOICE), "vietqr").json()
    client.post(f"/payments/{p['id']}/cancel", headers=auth)
    event["account_number"] = p["account"]["account_number"]
    unmatched = feed_post(client, inst, secret, {**event, "reference": "FT778", "content": "HOC PHI"})
    assert unmatched.json()["status"] == "unmatched_content"
    assert feed_post(client, inst, secret, event).json()["status"] == "applied"
    assert INVOICE not in outstanding_codes(client, auth)


def test_sandbox_bank_transfer_posts_a_signed_feed_event(client, auth):
    p = pay(client, auth, bill_id(client, auth, INVOICE), "vietqr").json()
    sent = client.post("/sandbox/bank/transfer", json={"qr_payload": p["qr_payload"]})
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert client.get(f"/payments/{p['id']}", headers=auth).json()["state"] == "succeeded"
    assert client.post("/sandbox/bank/transfer", json={"qr_payload": p["qr_payload"][:-1] + "0"}).status_code == 422
