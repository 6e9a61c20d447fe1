"""Races that must not move money twice: identical callbacks at once, two creates for one bill at once.

Each request is a real HTTP call through the app in its own thread, each with its own database
transaction; on PostgreSQL (CI) they truly run concurrently.
"""

from __future__ import annotations

import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.server.payments_helpers import bill_id, momo_ipn, pay, vnpay_result

INVOICE = "VP-BN00458-2611"


def at_once(n: int, fn):
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(lambda _: fn(), range(n)))


def test_twenty_identical_vnpay_ipns_change_the_state_once(client, auth, settings):
    bid = bill_id(client, auth, INVOICE)
    p = pay(client, auth, bid, "atm_card").json()
    url = "/providers/vnpay/ipn?" + urllib.parse.urlencode(vnpay_result(settings, p))
    codes = at_once(20, lambda: client.get(url).json()["RspCode"])
    assert codes.count("00") == 1 and set(codes) <= {"00", "02"}
    got = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert [h["state"] for h in got["history"]].count("succeeded") == 1
    bill = client.get(f"/bills/{bid}", headers=auth).json()
    assert bill["amount_paid"] == bill["total"] == 4_640_000


def test_twenty_identical_momo_ipns_change_the_state_once(client, auth, settings):
    bid = bill_id(client, auth, INVOICE)
    p = pay(client, auth, bid, "momo").json()
    body = momo_ipn(settings, p)
    statuses = at_once(20, lambda: client.post("/providers/momo/ipn", json=body).status_code)
    assert set(statuses) == {204}
    got = client.get(f"/payments/{p['id']}", headers=auth).json()
    assert [h["state"] for h in got["history"]].count("succeeded") == 1
    assert client.get(f"/bills/{bid}", headers=auth).json()["amount_paid"] == 4_640_000


def test_two_concurrent_creates_for_one_bill_leave_one_live_payment(client, auth):
    bid = bill_id(client, auth, INVOICE)
    results = at_once(2, lambda: pay(client, auth, bid, "vietqr", key=str(uuid.uuid4())))
    assert sorted(r.status_code for r in results) == [201, 409]
    conflict = next(r for r in results if r.status_code == 409).json()["error"]
    created = next(r for r in results if r.status_code == 201).json()
    assert conflict["code"] == "payment_in_progress" and conflict["details"]["payment_id"] == created["id"]
    assert [p["id"] for p in client.get("/payments/active", headers=auth).json()["payments"]] == [created["id"]]


def test_a_double_tap_with_one_key_creates_one_payment(client, auth):
    bid = bill_id(client, auth, INVOICE)
    key = str(uuid.uuid4())
    results = at_once(5, lambda: pay(client, auth, bid, "vietqr", key=key))
    assert {r.json()["id"] for r in results} == {results[0].json()["id"]}
    assert sorted(r.status_code for r in results).count(201) == 1
