import datetime as dt

import pytest

from domain.banks import bank_by_bin, search_banks
from domain.bills import BillStatus, amount_due, bill_status
from domain.money import format_vnd, require_dong
from domain.text import fold_ascii, normalize_for_match


def test_vietnamese_format_uses_dots_and_a_no_break_space_before_the_dong_sign():
    assert format_vnd(1_500_000) == "1.500.000\u00a0₫"
    assert format_vnd(0) == "0\u00a0₫"


def test_english_format():
    assert format_vnd(1_500_000, "en") == "₫1,500,000"


@pytest.mark.parametrize("bad", [1.5, "1000", True, None])
def test_money_must_be_int(bad):
    with pytest.raises(TypeError):
        format_vnd(bad)
    with pytest.raises(TypeError):
        require_dong(bad)


def test_fold_ascii_handles_d_with_stroke():
    assert fold_ascii("Trường Tiểu học Đống Đa") == "Truong Tieu hoc Dong Da"
    assert normalize_for_match("  NGUYỄN   thị Lan ") == "nguyen thi lan"


def test_bank_registry_by_bin_and_search():
    assert bank_by_bin("970436").short_name == "Vietcombank"
    assert bank_by_bin("123456") is None
    assert [b.bin for b in search_banks("vcb")] == ["970436", "970412"]  # exact code first, then PVcomBank
    assert search_banks("9704")[0].bin == "970400"
    assert bank_by_bin("971025").is_wallet
    assert len(search_banks("")) > 60


@pytest.mark.parametrize("total,paid,due,cancelled,expected", [
    (100, 0, dt.date(2026, 11, 30), False, BillStatus.OPEN),
    (100, 40, dt.date(2026, 11, 30), False, BillStatus.PARTIALLY_PAID),
    (100, 40, dt.date(2026, 11, 21), False, BillStatus.OVERDUE),
    (100, 100, dt.date(2026, 11, 21), False, BillStatus.PAID),
    (100, 0, dt.date(2026, 11, 22), False, BillStatus.OPEN),  # due today is not yet overdue
    (100, 0, dt.date(2026, 11, 1), True, BillStatus.CANCELLED),
])
def test_bill_status(total, paid, due, cancelled, expected):
    assert bill_status(total, paid, due, dt.date(2026, 11, 22), cancelled) is expected


def test_amount_due_never_negative():
    assert amount_due(100, 150) == 0
