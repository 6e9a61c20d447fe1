from __future__ import annotations

from sqlalchemy import select

from server.bills.models import Bill
from server.seed import OTHER_PHONE
from tests.server.conftest import sign_in


def test_outstanding_bills_grouped_by_person_with_totals(client, auth):
    r = client.get("/bills/outstanding", headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["as_of"] == "2026-11-22"
    names = [g["person"]["full_name"] for g in body["groups"]]
    assert names == ["Trần Minh An", "Trần Bảo Ngọc", "Nguyễn Văn Hùng"]
    by_name = {g["person"]["full_name"]: g for g in body["groups"]}
    an = by_name["Trần Minh An"]
    # The paid enrolment bill is not outstanding; the English club bill is overdue.
    assert [b["invoice_code"] for b in an["bills"]] == ["HS0123-TA-1126", "HS0123-HK1-2627"]
    assert [b["overdue"] for b in an["bills"]] == [True, False]
    assert an["bills"][0]["status"] == "overdue"
    assert an["total_due"] == 450_000 + 3_584_520
    ngoc = by_name["Trần Bảo Ngọc"]["bills"][0]
    assert (ngoc["total"], ngoc["amount_paid"], ngoc["amount_due"], ngoc["status"]) == (
        2_220_000, 1_000_000, 1_220_000, "partially_paid")
    assert by_name["Nguyễn Văn Hùng"]["total_due"] == 4_640_000
    assert body["total_due"] == 450_000 + 3_584_520 + 1_220_000 + 4_640_000
    assert body["overdue_count"] == 1
    for g in body["groups"]:
        for b in g["bills"]:
            assert isinstance(b["total"], int) and isinstance(b["amount_due"], int)


def test_bill_detail_has_items_institution_invoice_and_support(client, auth):
    groups = client.get("/bills/outstanding", headers=auth).json()["groups"]
    bill_id = groups[2]["bills"][0]["id"]
    r = client.get(f"/bills/{bill_id}", headers=auth)
    assert r.status_code == 200
    bill = r.json()
    assert bill["invoice_code"] == "VP-BN00458-2611"
    assert bill["institution"]["name"] == "Bệnh viện Đa khoa Hồng Phúc"
    assert bill["institution"]["support"]["name"].startswith("Phòng Tài chính")
    assert bill["institution"]["hotline"]
    assert [i["amount"] for i in bill["items"]] == [50_600, 1_530_000, 2_375_400, 684_000]
    assert sum(i["amount"] for i in bill["items"]) == bill["total"]
    assert {a["bank_name"] for a in bill["institution"]["accounts"]} == {"VietinBank", "MBBank"}


def test_another_familys_bill_answers_404(client, settings, app, auth):
    with app.state.session_factory() as db:
        other_bill = db.scalars(select(Bill).where(Bill.invoice_code == "HS0789-HK1-2627")).one()
    r = client.get(f"/bills/{other_bill.id}", headers=auth)
    assert r.status_code == 404 and r.json()["error"]["code"] == "bill_not_found"
    # ...and the same id is visible to its own family.
    other = sign_in(client, settings, OTHER_PHONE)
    assert client.get(f"/bills/{other_bill.id}", headers=other).status_code == 200
    assert client.get("/bills/does-not-exist", headers=auth).status_code == 404


def test_other_family_sees_only_its_own_bills(client, settings, demo):
    other = sign_in(client, settings, OTHER_PHONE)
    body = client.get("/bills/outstanding", headers=other).json()
    assert [g["person"]["full_name"] for g in body["groups"]] == ["Phạm Khánh Linh"]
    assert body["total_due"] == 1_500_000


def test_new_user_without_family_has_no_bills(client, settings, demo):
    headers = sign_in(client, settings, "0388123456")
    body = client.get("/bills/outstanding", headers=headers).json()
    assert body == {"as_of": "2026-11-22", "groups": [], "total_due": 0, "overdue_count": 0}


def test_overdue_follows_vietnamese_calendar_day(client, auth, clock, settings):
    settings.session_idle_seconds = 3 * 24 * 3600  # the same session comes back days later
    # 23:30 UTC on the 24th is already the 25th in Hà Nội: the hospital bill (due 24th) is overdue.
    clock.advance(days=2, hours=20, minutes=30)
    body = client.get("/bills/outstanding", headers=auth).json()
    hung = body["groups"][2]["bills"][0]
    assert hung["due_date"] == "2026-11-24" and hung["overdue"] is True


def test_oversized_body_is_rejected(client, demo):
    r = client.post("/auth/code", content=b"{" + b" " * 70_000 + b"}", headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
