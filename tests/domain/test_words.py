import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.words import amount_in_words, amount_in_words_en


@pytest.mark.parametrize("amount,words", [
    (0, "không đồng"),
    (5, "năm đồng"),
    (10, "mười đồng"),
    (11, "mười một đồng"),
    (14, "mười bốn đồng"),
    (15, "mười lăm đồng"),
    (20, "hai mươi đồng"),
    (21, "hai mươi mốt đồng"),
    (24, "hai mươi tư đồng"),
    (25, "hai mươi lăm đồng"),
    (101, "một trăm linh một đồng"),
    (104, "một trăm linh bốn đồng"),
    (105, "một trăm linh năm đồng"),
    (110, "một trăm mười đồng"),
    (115, "một trăm mười lăm đồng"),
    (1_000, "một nghìn đồng"),
    (1_500_000, "một triệu năm trăm nghìn đồng"),
    (1_005_000, "một triệu không trăm linh năm nghìn đồng"),
    (2_050_000, "hai triệu không trăm năm mươi nghìn đồng"),
    (3_584_520, "ba triệu năm trăm tám mươi tư nghìn năm trăm hai mươi đồng"),
    (10_000_000, "mười triệu đồng"),
    (1_000_000_000, "một tỷ đồng"),
    (1_000_000_005, "một tỷ không trăm linh năm đồng"),
    (1_000_000_000_000, "một nghìn tỷ đồng"),
])
def test_vietnamese_invoice_reading(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("amount,words", [
    (0, "zero dong"),
    (21, "twenty-one dong"),
    (105, "one hundred five dong"),
    (1_500_000, "one million five hundred thousand dong"),
    (3_584_520, "three million five hundred eighty-four thousand five hundred twenty dong"),
    (1_000_000_000_000, "one trillion dong"),
])
def test_english_reading(amount, words):
    assert amount_in_words_en(amount) == words


@pytest.mark.parametrize("bad", [-1, True, 1.5, "1000", None])
def test_rejects_negative_and_non_int(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)
    with pytest.raises(ValueError):
        amount_in_words_en(bad)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**12))
def test_every_amount_reads(amount):
    vi, en = amount_in_words(amount), amount_in_words_en(amount)
    assert vi.endswith("đồng") and en.endswith("dong")
    assert "  " not in vi and vi == vi.strip() and vi == vi.lower()
    assert (amount == 0) == vi.startswith("không")
