"""The brakes as a table: a verified open bill is never braked; each other case gets exactly its brakes."""

from __future__ import annotations

import pytest

from domain.brakes import BRAKES, FIRST_PAYMENT_THRESHOLD, Brake, article_for, brakes_for, urgent_words
from domain.payee import Verdict

P, U, F, A = Brake.PRESSURE_QUESTION, Brake.URGENT_WORDS, Brake.FIRST_LARGE_PAYMENT, Brake.UNUSUAL_AMOUNT
USUAL = (1_500_000, 2_000_000, 2_500_000)  # median 2,000,000: "unusual" above 6,000,000

CASES = [
    # (description, verdict, open_bill, hospital, note, amount, paid_before, usual, expected)
    ("verified open bill: nothing", Verdict.VERIFIED, True, False, "HP HS0123-HK1-2627", 2_000_000, True, USUAL, []),
    ("verified open bill, first time, large, unusual, urgent words: still nothing", Verdict.VERIFIED, True, True,
     "VIEN PHI CAP CUU", 50_000_000, False, USUAL, []),
    ("verified open bill at a school with urgent words: nothing", Verdict.VERIFIED, True, False,
     "tai nan", 1_000_000, True, USUAL, []),
    ("verified account, not a bill, paid before, usual amount: nothing", Verdict.VERIFIED, False, False,
     "hoc phi", 2_000_000, True, USUAL, []),
    ("unknown account: the pressure question", Verdict.UNKNOWN, False, False, "tien sach", 250_000, True, USUAL, [P]),
    ("mismatch account: the pressure question", Verdict.MISMATCH, False, False, None, 250_000, True, (), [P]),
    ("unknown account with urgent words", Verdict.UNKNOWN, False, False, "Con anh dang cấp cứu, chuyển gấp",
     300_000, True, (), [P, U]),
    ("urgent words to a verified school account", Verdict.VERIFIED, False, False, "phau thuat gap", 500_000,
     True, (), [U]),
    ("urgent words to a verified hospital account: no warning", Verdict.VERIFIED, False, True, "CAP CUU",
     500_000, True, (), []),
    ("urgent words to an unknown account claiming a hospital", Verdict.UNKNOWN, False, True, "tai nan giao thong",
     500_000, True, (), [P, U]),
    ("first large payment to a verified account", Verdict.VERIFIED, False, False, "hoc phi", 5_000_001,
     False, (), [F]),
    ("first payment at the threshold is not large", Verdict.VERIFIED, False, False, "hoc phi",
     FIRST_PAYMENT_THRESHOLD, False, (), []),
    ("large, but paid this payee before", Verdict.VERIFIED, False, False, "hoc phi", 9_000_000, True, (), []),
    ("first payment, small", Verdict.UNKNOWN, False, False, None, 4_000_000, False, (), [P]),
    ("first payment, no amount in the QR", Verdict.UNKNOWN, False, False, None, None, False, USUAL, [P]),
    ("unusual amount: more than 3x the median", Verdict.VERIFIED, False, False, None, 6_000_001, True, USUAL, [A]),
    ("exactly 3x the median is not unusual", Verdict.VERIFIED, False, False, None, 6_000_000, True, USUAL, []),
    ("no history: no unusual amount", Verdict.VERIFIED, False, False, None, 60_000_000, True, (), []),
    ("everything at once, in order", Verdict.UNKNOWN, False, False, "KHAN CAP", 20_000_000, False, USUAL,
     [P, U, F, A]),
    ("verdict given as its string", "unknown", False, False, None, 100_000, True, (), [P]),
]


@pytest.mark.parametrize("description,verdict,open_bill,hospital,note,amount,paid_before,usual,expected", CASES,
                         ids=[c[0] for c in CASES])
def test_brakes(description, verdict, open_bill, hospital, note, amount, paid_before, usual, expected):
    assert brakes_for(verdict=verdict, open_bill=open_bill, hospital=hospital, note=note, amount=amount,
                      paid_before=paid_before, usual_amounts=usual) == expected


def test_threshold_can_be_set():
    assert brakes_for(verdict=Verdict.VERIFIED, open_bill=False, hospital=False, note=None, amount=1_500_000,
                      paid_before=False, threshold=1_000_000) == [F]


@pytest.mark.parametrize("note,found", [
    ("Cấp cứu", ("cap cuu",)),
    ("CAP CUU", ("cap cuu",)),
    ("capcuu ngay", ("capcuu",)),
    ("Phẫu thuật gấp cho bé", ("phau thuat gap",)),
    ("PHAU-THUAT-GAP", ("phau thuat gap",)),
    ("Tai nạn giao thông", ("tai nan",)),
    ("bệnh nhân nguy kịch", ("nguy kich",)),
    ("KHẨN CẤP", ("khan cap",)),
    ("gấp", ()),  # "gap" alone is an everyday word
    ("hẹn gặp cô giáo", ()),
    ("tiền sách giáo khoa", ()),
    ("tainan", ("tainan",)),
    ("", ()),
    (None, ()),
])
def test_urgent_words_are_accent_insensitive(note, found):
    assert urgent_words(note) == found


def test_names_and_articles():
    assert BRAKES == ("pressure_question", "urgent_words", "first_large_payment", "unusual_amount")
    assert article_for([P, U]) == "emergency-call"
    assert article_for([P], "hospital") == "emergency-call"
    assert article_for([P]) == "fake-teacher"
    from domain.guidance import bundled
    assert all(bundled().article(article_for(b, k)) for b, k in [([U], None), ([P], None)])
