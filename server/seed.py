"""Fictional but realistic demo data: one family with two pupils and a grandparent in hospital.

Dates are relative to today so the demo always has bills due soon and one overdue.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.models import User
from server.bills.models import Bill, BillItem
from server.clock import local_today
from server.db import Base
from server.fraud.service import flag_account, flag_phone
from server.institutions.models import CollectionAccount, Institution
from server.people.models import FamilyMember, Person

DEMO_PHONE = "+84912345678"
OTHER_PHONE = "+84987654321"

INSTITUTIONS = [
    dict(key="hoasen", name="Trường Tiểu học Hoa Sen", short_name="TH Hoa Sen", kind="school", province="Hà Nội",
         hotline="02438251234", support_name="Cô Trần Thị Mai (kế toán)", support_phone="02438251235",
         support_email="ketoan@thhoasen.edu.vn", invoice_pattern=r"HS0\d{3}-[A-Z0-9]+-\d{4}",
         accounts=[("970436", "0011004123456", "TRUONG TIEU HOC HOA SEN")]),
    dict(key="anhduong", name="Trường THCS Ánh Dương", short_name="THCS Ánh Dương", kind="school",
         province="Hà Nội", hotline="02437561122", support_name="Thầy Lê Văn Sơn (văn phòng)",
         support_phone="02437561123", support_email="vanphong@thcsanhduong.edu.vn",
         invoice_pattern=r"HS2\d{3}-[A-Z0-9]+-\d{4}",
         accounts=[("970418", "12010000654321", "TRUONG THCS ANH DUONG")]),
    dict(key="hongphuc", name="Bệnh viện Đa khoa Hồng Phúc", short_name="BVĐK Hồng Phúc", kind="hospital",
         province="Bắc Ninh", hotline="02223856789", support_name="Phòng Tài chính – Kế toán (chị Hoa)",
         support_phone="02223856790", support_email="taichinh@bvhongphuc.vn", invoice_pattern=r"VP-BN\d{5}-\d{4}",
         accounts=[("970415", "113000123456", "BENH VIEN DA KHOA HONG PHUC"),
                   ("970422", "0801234567890", "BENH VIEN DA KHOA HONG PHUC")]),
    dict(key="haan", name="Bệnh viện Nhi Hà An", short_name="BV Nhi Hà An", kind="hospital", province="Hà Nội",
         hotline="02436221900", support_name="Quầy hỗ trợ thanh toán (anh Tuấn)", support_phone="02436221901",
         support_email="hotro@bvnhihaan.vn", invoice_pattern=r"NHA-\d{6}",
         accounts=[("970407", "19036677889900", "BENH VIEN NHI HA AN")]),
]

# (bank BIN, account, reason, key of the institution it impersonated): published in the registry.
FLAGGED = [("970423", "0566778899", "reported_scam", "hongphuc")]
# (phone, reason, key of the institution it impersonated): a caller posing as Hoa Sen's teacher ("giả danh
# giáo viên") asking parents to send the fees to a personal account.
FLAGGED_PHONES = [("+84888000111", "reported_scam", "hoasen")]


def _tables_empty(db: Session) -> bool:
    return db.scalars(select(Institution).limit(1)).first() is None


def reset(db: Session) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        db.execute(table.delete())


def seed_demo(db: Session, now: dt.datetime) -> bool:
    """Insert the demo data once; returns False when it was already there."""
    if not _tables_empty(db):
        return False
    today = local_today(now)
    inst = {}
    for spec in INSTITUTIONS:
        spec = dict(spec)
        key, accounts = spec.pop("key"), spec.pop("accounts")
        i = Institution(**spec, feed_secret=f"demo-feed-secret-{key}")
        i.accounts = [CollectionAccount(bank_bin=b, account_number=a, holder_name=h) for b, a, h in accounts]
        db.add(i)
        inst[key] = i
    db.flush()
    for bank_bin, account, reason, key in FLAGGED:
        flag_account(db, bank_bin, account, reason, inst[key].id, now)
    for phone, reason, key in FLAGGED_PHONES:
        flag_phone(db, phone, reason, inst[key].id, now)

    def person(key, kind, code, name, dob, group=""):
        p = Person(institution_id=inst[key].id, kind=kind, code=code, full_name=name,
                   date_of_birth=dt.date.fromisoformat(dob), group_label=group)
        db.add(p)
        return p

    an = person("hoasen", "student", "HS0123", "Trần Minh An", "2017-05-14", "Lớp 3A")
    ngoc = person("anhduong", "student", "HS2045", "Trần Bảo Ngọc", "2013-09-02", "Lớp 7B")
    hung = person("hongphuc", "patient", "BN00458", "Nguyễn Văn Hùng", "1951-03-20", "Khoa Nội tổng hợp")
    # On the registers but in nobody's family yet: for trying "add a child".
    huy = person("hoasen", "student", "HS0456", "Lê Gia Huy", "2016-11-30", "Lớp 4B")
    linh = person("hoasen", "student", "HS0789", "Phạm Khánh Linh", "2018-02-08", "Lớp 2C")
    db.flush()

    lan = User(phone=DEMO_PHONE, full_name="Nguyễn Thị Lan", locale="vi", created_at=now)
    bao = User(phone=OTHER_PHONE, full_name="Phạm Quốc Bảo", locale="vi", created_at=now)
    db.add_all([lan, bao])
    db.flush()
    links = [(lan, an, "Con"), (lan, ngoc, "Con"), (lan, hung, "Bố"), (bao, linh, "Con")]
    for n, (user, p, rel) in enumerate(links):  # distinct times keep the family in a stable order
        db.add(FamilyMember(user_id=user.id, person_id=p.id, role="payer", relation=rel,
                            added_at=now + dt.timedelta(seconds=n)))

    def bill(key, p, code, kind, title, period, due_in_days, items, paid=0):
        b = Bill(institution_id=inst[key].id, person_id=p.id, invoice_code=code, kind=kind, title=title,
                 period=period, due_date=today + dt.timedelta(days=due_in_days),
                 total=sum(a for _, a in items), amount_paid=paid, issued_at=now)
        b.items = [BillItem(position=n, label=label, amount=a) for n, (label, a) in enumerate(items)]
        db.add(b)
        return b

    bill("hoasen", an, "HS0123-HK1-2627", "tuition", "Học phí học kỳ I", "Năm học 2026–2027", 5, [
        ("Học phí học kỳ I", 1_500_000), ("Tiền ăn bán trú (tháng 11, 12)", 1_200_000),
        ("Bảo hiểm y tế học sinh (12 tháng)", 884_520)])
    bill("hoasen", an, "HS0123-TA-1126", "tuition", "Câu lạc bộ tiếng Anh", "Tháng 11/2026", -3, [
        ("Câu lạc bộ tiếng Anh (8 buổi)", 450_000)])
    bill("hoasen", an, "HS0123-NH-0926", "tuition", "Tiền nhập học", "Tháng 9/2026", -70, [
        ("Đồng phục", 350_000)], paid=350_000)
    bill("anhduong", ngoc, "HS2045-HK1-2627", "tuition", "Học phí học kỳ I", "Năm học 2026–2027", 12, [
        ("Học phí học kỳ I", 2_100_000), ("Tiền nước uống", 120_000)], paid=1_000_000)
    bill("hongphuc", hung, "VP-BN00458-2611", "hospital", "Viện phí nội trú", "Đợt điều trị 12/11–18/11", 2, [
        ("Khám bệnh", 50_600), ("Tiền giường bệnh (6 ngày)", 1_530_000),
        ("Thuốc và vật tư y tế (phần cùng chi trả)", 2_375_400), ("Xét nghiệm", 684_000)])
    bill("hoasen", huy, "HS0456-HK1-2627", "tuition", "Học phí học kỳ I", "Năm học 2026–2027", 9, [
        ("Học phí học kỳ I", 1_500_000), ("Tiền ăn bán trú (tháng 11, 12)", 1_200_000)])
    bill("hoasen", linh, "HS0789-HK1-2627", "tuition", "Học phí học kỳ I", "Năm học 2026–2027", 5, [
        ("Học phí học kỳ I", 1_500_000)])
    db.flush()
    return True
