"""Paying a bill over HTTP on a real database: creation, idempotency, one live payment, the audit trail."""

from __future__ import annotations

from domain import vietqr
from tests.server.conftest import sign_in
from tests.server.payments_helpers import bill_id, local, outstanding_codes, pay

INVOICE = "VP-BN00458-2611"  # 4,640,000 đồng hospital bill of the demo family


def test_vietqr_payment_carries_the_four_fields_and_a_dynamic_qr(client, auth):
    bid = bill_id(client, auth, INVOICE)
    r = pay(client, auth, bid, "vietqr")
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["state"] == "awaiting_payer" and p["live"] and p["amount"] == 4_640_000 and p["fee"] == 0
    assert p["payer_name"] == "Nguyễn Thị Lan"
    assert p["beneficiary_name"] == "Nguyễn Văn Hùng"  # the patient the bill is for
    assert p["institution_name"] == "Bệnh viện Đa khoa Hồng Phúc"
    assert p["invoice_code"] == INVOICE and INVOICE in p["transfer_content"]
    assert p["reason"].startswith("Viện phí")
    qr = vietqr.parse(p["qr_payload"])
    assert qr.dynamic and qr.amount == 4_640_000 and qr.bill_number == INVOICE and qr.purpose == INVOICE
    assert (qr.bin, qr.account) == (p["account"]["bank_bin"], p["account"]["account_number"])
    assert p["account"]["holder_name"] and p["account"]["bank_name"]
    assert [h["state"] for h in p["history"]] == ["created", "awaiting_payer"]
    assert client.get(local(p["bank_app_url"])).status_code == 200  # the sandbox bank's page


def test_same_key_returns_the_same_payment_and_a_new_key_names_the_live_one(client, auth):
    bid = bill_id(client, auth, INVOICE)
    first = pay(client, auth, bid, "vietqr", key="k-1")
    again = pay(client, auth, bid, "vietqr", key="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other = pay(client, auth, bid, "atm_card", key="k-2")
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "payment_in_progress"
    assert other.json()["error"]["details"]["payment_id"] == first.json()["id"]
    reused = pay(client, auth, bid, "momo", key="k-1")
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"


def test_cancel_frees_the_bill_for_another_method(client, auth):
    bid = bill_id(client, auth, INVOICE)
    first = pay(client, auth, bid, "vietqr").json()
    cancelled = client.post(f"/payments/{first['id']}/cancel", headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert client.post(f"/payments/{first['id']}/cancel", headers=auth).status_code == 409
    second = pay(client, auth, bid, "atm_card")
    assert second.status_code == 201 and second.json()["id"] != first["id"]
    active = client.get("/payments/active", headers=auth).json()["payments"]
    assert [p["id"] for p in active] == [second.json()["id"]]


def test_bad_requests_get_specific_errors_and_change_nothing(client, auth, settings):
    bid = bill_id(client, auth, INVOICE)
    no_key = client.post("/payments", json={"bill_id": bid, "method": "vietqr"}, headers=auth)
    assert no_key.status_code == 400 and no_key.json()["error"]["code"] == "idempotency_key_required"
    bad_method = pay(client, auth, bid, "cash")
    assert bad_method.status_code == 422
    assert pay(client, auth, "nope", "vietqr").json()["error"]["code"] == "bill_not_found"
    assert client.get("/payments/active", headers=auth).json()["payments"] == []
    # Another family can neither pay nor read this family's bill or payment.
    mine = pay(client, auth, bid, "vietqr").json()
    other = sign_in(client, settings, "+84987654321")
    assert pay(client, other, bid, "vietqr").status_code == 404
    assert client.get(f"/payments/{mine['id']}", headers=other).status_code == 404
    assert client.post(f"/payments/{mine['id']}/cancel", headers=other).status_code == 404
    assert client.get(f"/payments/{mine['id']}", headers=auth).status_code == 200


def test_methods_cover_the_four_the_plans_ask_for(client, auth):
    methods = client.get("/payments/methods", headers=auth).json()["methods"]
    assert {m["id"] for m in methods} == {"vietqr", "atm_card", "intl_card", "momo"}
    assert all(m["fee"] == 0 for m in methods)


def test_a_paid_bill_cannot_be_paid_again(client, auth):
    assert "HS0123-NH-0926" not in outstanding_codes(client, auth)
    data = client.get("/bills/outstanding", headers=auth).json()
    assert data["total_due"] == 9_894_520
