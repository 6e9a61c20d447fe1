"""The shared rules behind linking and paying: SBV face-check lines, PIN strength, holder-name match."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from domain.banks import bank_by_bin
from domain.face_check import DAILY_LIMIT, SINGLE_LIMIT, FaceCheck, face_check_reason
from domain.pin import PinProblem, pin_problem
from domain.text import names_match
from domain.wallets import WALLETS, wallet_by_id


@pytest.mark.parametrize("amount, paid_today, expected", [
    (9_999_999, 0, None),
    (10_000_000, 0, None),  # "above" 10 million: exactly 10 million still pays with the token
    (10_000_001, 0, FaceCheck.SINGLE),
    (5_000_000, 15_000_000, None),  # reaches 20 million exactly: not past it
    (5_000_001, 15_000_000, FaceCheck.DAILY),
    (1, DAILY_LIMIT, FaceCheck.DAILY),
    (SINGLE_LIMIT + 1, DAILY_LIMIT, FaceCheck.SINGLE),  # the single-payment reason is the one to explain
])
def test_face_check_lines(amount, paid_today, expected):
    assert face_check_reason(amount, paid_today) == expected


@given(st.integers(1, 10_000_000), st.integers(0, 30_000_000))
def test_face_check_is_only_about_the_two_lines(amount, paid_today):
    reason = face_check_reason(amount, paid_today)
    assert (reason is None) == (paid_today + amount <= DAILY_LIMIT)


@pytest.mark.parametrize("pin", ["123456", "654321", "111111", "000000", "987654", "121212", "123123", "112233",
                                 "100100", "373737"])
def test_obvious_pins_are_refused(pin):
    assert pin_problem(pin) is PinProblem.TOO_SIMPLE


@pytest.mark.parametrize("pin", ["12345", "1234567", "12a456", "", "１２３４５６", " 48291"])
def test_pin_must_be_six_ascii_digits(pin):
    assert pin_problem(pin) is PinProblem.FORMAT


@pytest.mark.parametrize("pin", ["482915", "730194", "135790", "246813"])
def test_ordinary_pins_pass(pin):
    assert pin_problem(pin) is None


@pytest.mark.parametrize("a, b, same", [
    ("NGUYEN THI LAN", "Nguyễn Thị Lan", True),
    ("nguyen  thi lan", "NGUYỄN THỊ LAN", True),
    ("TRAN DUC MINH", "Trần Đức Minh", True),
    ("NGUYEN VAN KHAC", "Nguyễn Thị Lan", False),
    ("", "", False),  # no name from the bank is never a match
])
def test_holder_names_match_ignoring_case_and_diacritics(a, b, same):
    assert names_match(a, b) is same


def test_the_four_wallets_and_their_bins():
    assert [w.name for w in WALLETS] == ["MoMo", "ZaloPay", "Viettel Money", "VNPT Money"]
    for wallet in WALLETS:
        assert wallet_by_id(wallet.id) is wallet
        if wallet.bin:
            assert bank_by_bin(wallet.bin).is_wallet
    assert wallet_by_id("paypal") is None
