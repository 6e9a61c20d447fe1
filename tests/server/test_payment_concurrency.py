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


def test_two_linked_payments_at_once_cannot_both_pass_the_daily_face_check_total(client, app, settings, clock, demo):
    """Each payment alone fits under 20,000,000 đ with what was paid today; together they would not.
    The second one must see the first, or the bank would be charged past the State Bank's line.
    Several days, each a fresh race: one lucky interleaving must not hide it."""
    import datetime as dt

    from tests.server.conftest import sign_in
    from tests.server.linking_helpers import confirmation, earlier_payment, err, link_account, make_bill, pay_linked

    for day in range(5):
        auth = sign_in(client, settings)  # a new day: yesterday's session has gone idle
        source = link_account(client, auth) if day == 0 else source
        earlier_payment(app, 4_000_000, clock() - dt.timedelta(hours=1))
        bills = [make_bill(app, 9_000_000), make_bill(app, 9_000_000)]
        jobs = [(bill, confirmation(client, auth)) for bill in bills]
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda job: pay_linked(client, auth, job[0], source["id"], job[1]), jobs))
        assert sorted(r.status_code for r in results) == [201, 409], (day, [r.text for r in results])
        refused = next(r for r in results if r.status_code == 409)
        assert err(refused) == "face_check_required"
        assert refused.json()["error"]["details"] == {"reason": "daily_over_limit", "paid_today": 13_000_000}
        clock.advance(days=1)
