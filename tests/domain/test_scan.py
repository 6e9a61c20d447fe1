"""Every scanned text ends in a kind the app can explain; nothing crashes."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from domain.scan import ScanKind, bill_link, classify
from domain.vietqr import _tlv, build, crc16_ccitt_false

NAPAS_EXAMPLE = ("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN"
                 "62340107NPS68690819thanh toan don hang63042E2E")


def emv(*objects: tuple[str, str]) -> str:
    body = "".join(_tlv(t, v) for t, v in objects) + "6304"
    return body + crc16_ccitt_false(body)


VNPAY_MERCHANT = emv(("00", "01"), ("01", "11"), ("26", _tlv("00", "A000000775") + _tlv("01", "0102345678")),
                     ("52", "8062"), ("53", "704"), ("58", "VN"), ("59", "NHA THUOC AN KHANG"), ("60", "HA NOI"))


def test_napas_example_is_a_vietqr():
    s = classify(NAPAS_EXAMPLE + "\n")
    assert s.kind is ScanKind.VIETQR and s.vietqr.account == "0011012345678" and s.vietqr.amount == 180000


def test_our_bill_link_opens_the_bill():
    s = classify(bill_link("0b6f3c1e-2a4d-4c8e-9f10-123456789abc"))
    assert s.kind is ScanKind.BILL_LINK and s.bill_id == "0b6f3c1e-2a4d-4c8e-9f10-123456789abc"


def test_lookalike_links_are_not_ours():
    for text in ("https://dongphi.vn.evil.example/bill/0b6f3c1e-2a4d-4c8e-9f10-123456789abc",
                 "http://dongphi.vn/bill/0b6f3c1e-2a4d-4c8e-9f10-123456789abc",
                 "https://dongphi.vn/bill/../../x"):
        assert classify(text).kind is ScanKind.NOT_PAYMENT


def test_vnpay_merchant_qr_is_recognised_by_its_guid():
    s = classify(VNPAY_MERCHANT)
    assert s.kind is ScanKind.MERCHANT
    assert (s.merchant.template, s.merchant.scheme, s.merchant.merchant_name) == ("26", "VNPay", "NHA THUOC AN KHANG")


def test_other_emv_scheme_is_a_merchant_without_a_known_name():
    s = classify(emv(("00", "01"), ("01", "11"), ("27", _tlv("00", "A000000999") + _tlv("01", "42")), ("53", "704"),
                     ("58", "VN")))
    assert s.kind is ScanKind.MERCHANT and s.merchant.scheme is None and s.merchant.guid == "A000000999"


def test_damaged_vietqr():
    s = classify(NAPAS_EXAMPLE[:-1] + "F")
    assert (s.kind, s.error_code) == (ScanKind.DAMAGED, "bad_crc")
    assert classify(NAPAS_EXAMPLE[:40]).kind is ScanKind.DAMAGED


def test_intact_vietqr_with_a_wrong_field_is_invalid():
    bad_currency = build("970415", "113000123456").replace("5303704", "5303840")
    body = bad_currency[:-4]
    s = classify(body + crc16_ccitt_false(body))
    assert (s.kind, s.error_code) == (ScanKind.INVALID, "bad_currency")


def test_plain_text_and_links_are_not_payments():
    for text in ("hello", "https://example.com/pay", "", "   ", "0002"):
        assert classify(text).kind in (ScanKind.NOT_PAYMENT, ScanKind.DAMAGED)
    assert classify("https://example.com").kind is ScanKind.NOT_PAYMENT
    assert classify(None).kind is ScanKind.NOT_PAYMENT


@settings(max_examples=400)
@given(st.text())
def test_any_text_ends_in_a_kind(text):
    s = classify(text)
    assert isinstance(s.kind, ScanKind) and len(s.text) <= 1024


@settings(max_examples=300)
@given(st.text(alphabet="0123456789ABCDEF", min_size=4, max_size=200))
def test_emv_looking_text_ends_in_a_kind(tail):
    assert isinstance(classify("000201" + tail).kind, ScanKind)


def test_a_relatives_pay_request_link_is_recognised_by_its_token_only():
    token = "Ab3_-" + "x" * 38
    for link in (f"https://api.dongphi.vn/r/{token}", f"http://127.0.0.1:8000/r/{token}/", f" https://x.vn/r/{token}\n"):
        s = classify(link)
        assert s.kind is ScanKind.PAY_REQUEST and s.token == token, link
    for other in (f"https://x.vn/r/{token}x", f"https://x.vn/r/{token[:-1]}", f"https://x.vn/r/{token}?a=1",
                  f"javascript://x/r/{token}", f"https://x.vn/bill/{token}"):
        assert classify(other).kind is ScanKind.NOT_PAYMENT, other
