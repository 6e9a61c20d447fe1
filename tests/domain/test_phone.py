import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.phone import InvalidPhoneNumber, display_phone, mask_phone, normalize_phone


@pytest.mark.parametrize("raw", ["0912 345 678", "+84912345678", "84912345678", "0912-345-678",
                                 "(091) 234 5678", "+84 912 345 678", "0084912345678"])
def test_common_forms_normalise_to_e164(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["", "0912", "02438251234", "0112345678", "091234567a", "+85512345678",
                                 "09123456789", "912345678", None])
def test_rejects_what_is_not_a_vietnamese_mobile(raw):
    with pytest.raises(InvalidPhoneNumber):
        normalize_phone(raw)


@given(st.sampled_from(["32", "39", "52", "70", "79", "81", "86", "90", "98"]), st.integers(0, 9_999_999))
def test_every_mobile_prefix_round_trips_through_display(prefix, rest):
    canonical = normalize_phone(f"0{prefix}{rest:07d}")
    assert normalize_phone(display_phone(canonical)) == canonical


def test_display_and_mask():
    assert display_phone("+84912345678") == "0912 345 678"
    assert mask_phone("+84912345678") == "•••••••678"
