import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.banks import all_banks
from domain.vietqr import (
    ERROR_CODES,
    SERVICE_ACCOUNT,
    SERVICE_CARD,
    SERVICES,
    VietQRChecksumError,
    VietQRError,
    VietQRFieldError,
    VietQRFormatError,
    build,
    crc16_ccitt_false,
    parse,
)

# The three public examples of the NAPAS specification (PAYMENT_STANDARDS.md §1), CRCs verified.
EX1 = ("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN"
       "62340107NPS68690819thanh toan don hang63042E2E")
EX2 = ("00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC530370454061800005802VN"
       "62340107NPS68690819thanh toan don hang6304A203")
EX3 = "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52"
CARD = "9704031101234567"


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def sign(*objects: tuple[str, str]) -> str:
    """A payload with a correct CRC, so that only the field under test is wrong."""
    body = "".join(tlv(t, v) for t, v in objects) + "6304"
    return body + crc16_ccitt_false(body)


def napas(guid="A000000727", bin_code="970403", account="0011012345678", service="QRIBFTTA", drop=()):
    bene = [("00", bin_code), ("01", account)]
    acct = [("00", guid), ("01", "".join(tlv(t, v) for t, v in bene if f"01/{t}" not in drop)), ("02", service)]
    return "".join(tlv(t, v) for t, v in acct if t not in drop)


def base(**changes: str | None) -> list[tuple[str, str]]:
    """Example 1's objects; a keyword per root ID replaces (str) or drops (None) that object."""
    objs = {"00": "01", "01": "12", "38": napas(), "53": "704", "54": "180000", "58": "VN"}
    for key, value in changes.items():
        tag = key.lstrip("_")
        if value is None:
            objs.pop(tag)
        else:
            objs[tag] = value
    return list(objs.items())


def test_crc_check_values():
    assert crc16_ccitt_false("00") == "2EC9"
    assert crc16_ccitt_false("01") == "3EE8"
    assert crc16_ccitt_false(EX1[:-4]) == "2E2E"


def test_napas_example_1_parses():
    qr = parse(EX1)
    assert (qr.bin, qr.account, qr.service, qr.amount) == ("970403", "0011012345678", SERVICE_ACCOUNT, 180000)
    assert (qr.bill_number, qr.purpose, qr.dynamic) == ("NPS6869", "thanh toan don hang", True)
    assert (qr.merchant_category, qr.merchant_name, qr.city) == (None, None, None)
    assert [t for t, _ in qr.objects] == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert dict(qr.additional) == {"01": "NPS6869", "08": "thanh toan don hang"}


def test_napas_examples_2_and_3_are_to_a_card():
    dyn, static = parse(EX2), parse(EX3)
    assert (dyn.account, dyn.service, dyn.amount, dyn.dynamic) == (CARD, SERVICE_CARD, 180000, True)
    assert (static.account, static.service, static.amount, static.dynamic) == (CARD, SERVICE_CARD, None, False)
    assert static.additional == () and static.purpose is None and static.bill_number is None


def test_build_reproduces_the_napas_examples_byte_for_byte():
    assert build("970403", "0011012345678", 180000, "thanh toan don hang", "NPS6869") == EX1
    assert build("970403", CARD, 180000, purpose="thanh toan don hang", bill_number="NPS6869",
                 service=SERVICE_CARD) == EX2
    assert build("970403", CARD, service=SERVICE_CARD) == EX3


def test_lowercase_crc_and_surrounding_whitespace_are_accepted():
    lower = parse(EX1[:-4] + "2e2e")
    assert (lower.bin, lower.account, lower.amount, lower.purpose) == ("970403", "0011012345678", 180000,
                                                                       "thanh toan don hang")
    assert parse(f"  {EX3}\r\n").account == CARD


def test_optional_fields_and_alternate_language_template():
    qr = parse(sign(*base(), ("52", "8211"), ("59", "TRUONG THCS DONG DA"), ("60", "HA NOI"),
                    ("64", tlv("00", "vi") + tlv("01", "Trường THCS Đống Đa"))))
    assert (qr.merchant_category, qr.merchant_name, qr.city) == ("8211", "TRUONG THCS DONG DA", "HA NOI")


VNPAY_MERCHANT = sign(("00", "01"), ("01", "12"), ("26", tlv("00", "A000000775") + tlv("01", "0312345678")),
                      ("52", "5812"), ("53", "704"), ("54", "50000"), ("58", "VN"), ("59", "CUA HANG"), ("60", "HA NOI"))

INVALID = {
    "empty": [("", "empty"), (" \r\n\t", "empty")],
    "lengths": [("0000", "bad_length"), ("00AB01", "bad_length"), ("00020101021", "bad_length"),
                ("000201010", "bad_length"), (EX1[:-1], "bad_length"), ("AB020101", "bad_id"),
                (sign(*base(_38=napas().replace("0006970403", "0000970403"))), "bad_length")],
    "missing": [(sign(*base(**{tag: None})), "missing_object") for tag in ("00", "01", "38", "53", "58")]
               + [("".join(tlv(t, v) for t, v in base()), "missing_object")]
               + [(sign(*base(_38=napas(drop=(d,)))), "missing_object") for d in ("00", "01", "02", "01/00", "01/01")],
    "order": [(sign(("01", "12"), ("00", "01"), *base()[2:]), "bad_order"),
              (sign(*base(_00="02")), "bad_format_indicator"),
              (sign(*base(_01="13")), "bad_initiation"), (sign(*base(_01="1")), "bad_initiation")],
    "crc": [(EX1[:-4] + "1234", "bad_crc"), (EX1[:-4] + "2E2G", "bad_crc"), (EX1[:-8] + "63032E2", "bad_crc"),
            (EX1[:-8] + "63052E2E0", "bad_crc"), (EX3.replace("5802VN", "5802VM"), "bad_crc")],
    "trailing": [(EX1 + "0000", "trailing_data"), (EX1 + EX3, "trailing_data"), (EX1 + "x", "trailing_data"),
                 (EX3[:-8] + "63044F52" + "5802VN", "trailing_data")],
    "values": [(sign(*base(_53="840")), "bad_currency"), (sign(*base(_58="US")), "bad_country"),
               (sign(*base(_58="vn")), "bad_country"), (VNPAY_MERCHANT, "not_napas"),
               (sign(*base(_38=napas(guid="A000000775"))), "not_napas"),
               (sign(*base(_38=napas(bin_code="97040"))), "bad_bin"),
               (sign(*base(_38=napas(bin_code="97040A"))), "bad_bin"),
               (sign(*base(_38=napas(account="0011-0123"))), "bad_account"),
               (sign(*base(_38=napas(account="1" * 20))), "bad_account"),
               (sign(*base(_38=napas(service="QRIBFTTX"))), "bad_service"),
               (sign(*base(_59="Cửa hàng")), "not_ascii"), (sign(*base(_54="５０")), "not_ascii")],
    "amount": [(sign(*base(_54=bad)), "bad_amount")
               for bad in ("50 000", "0", "050000", "1.5", "-5", "1e6", "12345678901234")],
    "duplicate": [(sign(*base(), ("58", "VN")), "duplicate_object"),
                  (sign(*base(_38=napas() + tlv("02", "QRIBFTTA"))), "duplicate_object")],
}


@pytest.mark.parametrize("payload,code", [case for cases in INVALID.values() for case in cases])
def test_invalid_payloads_are_refused_with_a_reason(payload, code):
    with pytest.raises(VietQRError) as err:
        parse(payload)
    assert err.value.code == code, str(err.value)
    assert err.value.code in ERROR_CODES and str(err.value)


def test_error_messages_and_classes():
    with pytest.raises(VietQRChecksumError, match="CRC mismatch: payload says 1234, computed 2E2E"):
        parse(EX1[:-4] + "1234")
    with pytest.raises(VietQRFieldError, match=r"object 54 \(amount\) must be digits, got '50 000'"):
        parse(sign(*base(_54="50 000")))
    with pytest.raises(VietQRFieldError, match="VNPay"):
        parse(VNPAY_MERCHANT)
    with pytest.raises(VietQRFormatError):
        parse(EX1 + "x")
    assert issubclass(VietQRError, ValueError)


@pytest.mark.parametrize("odd", [None, b"000201", 42, "\ud800", "0002\ud80001", EX1[:-4] + "\ud800\ud800\ud800\ud800"])
def test_odd_inputs_raise_only_vietqr_errors(odd):
    with pytest.raises(VietQRError):
        parse(odd)


@pytest.mark.parametrize("kwargs,code", [
    ({"bin": "97040"}, "bad_bin"), ({"bin": 970403}, "bad_bin"), ({"account": ""}, "bad_account"),
    ({"account": "1" * 20}, "bad_account"), ({"account": "0011-01"}, "bad_account"),
    ({"amount": 0}, "bad_amount"), ({"amount": -1}, "bad_amount"), ({"amount": True}, "bad_amount"),
    ({"amount": 1.5}, "bad_amount"), ({"amount": "50000"}, "bad_amount"), ({"amount": 10**13}, "bad_amount"),
    ({"service": "QRIBFTTX"}, "bad_service"), ({"purpose": "x" * 26}, "field_too_long"),
    ({"bill_number": "Học phí tháng chín năm 2025"}, "field_too_long"), ({"purpose": "10 €"}, "not_ascii"),
    ({"purpose": "a\nb"}, "not_ascii"),
])
def test_build_validates_its_inputs(kwargs, code):
    args = {"bin": "970403", "account": "0011012345678", "amount": 50000} | kwargs
    with pytest.raises(VietQRError) as err:
        build(**args)
    assert err.value.code == code


def test_build_folds_vietnamese_and_is_static_without_amount():
    payload = build("970436", "1234567890", purpose="Học phí Đống Đa HK1 2025", bill_number="HP INV24001")
    qr = parse(payload)
    assert (qr.purpose, qr.bill_number, qr.dynamic, qr.amount) == ("Hoc phi Dong Da HK1 2025", "HP INV24001", False, None)
    assert payload.startswith("000201010211") and payload.isascii()
    assert build("970436", "1234567890", 1, purpose="") == build("970436", "1234567890", 1)


# ---- properties --------------------------------------------------------------------------------

ALNUM = string.ascii_letters + string.digits
ascii_text = st.none() | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=25)
fields = st.fixed_dictionaries({
    "bin": st.sampled_from([b.bin for b in all_banks()]),
    "account": st.text(ALNUM, min_size=1, max_size=19),
    "amount": st.none() | st.integers(1, 10**13 - 1),
    "purpose": ascii_text,
    "bill_number": ascii_text,
    "service": st.sampled_from(SERVICES),
})
valid_payloads = st.sampled_from([EX1, EX2, EX3]) | fields.map(lambda f: build(**f))
PROPS = settings(max_examples=200, deadline=None)


@PROPS
@given(fields)
def test_build_then_parse_round_trips(f):
    qr = parse(build(**f))
    assert (qr.bin, qr.account, qr.service, qr.amount) == (f["bin"], f["account"], f["service"], f["amount"])
    assert (qr.purpose, qr.bill_number, qr.dynamic) == (f["purpose"], f["bill_number"], f["amount"] is not None)


@PROPS
@given(valid_payloads, st.data())
def test_any_single_character_change_is_refused(payload, data):
    i = data.draw(st.integers(0, len(payload) - 1), label="position")
    ch = data.draw(st.characters() | st.sampled_from(string.digits + "ABCDEFabcdef \n"), label="replacement")
    assume(ch != payload[i])
    if i >= len(payload) - 4:  # the CRC's case is not a change: lowercase hex is accepted on purpose
        assume(ch.upper() != payload[i].upper())
    with pytest.raises(VietQRError):
        parse(payload[:i] + ch + payload[i + 1:])


def test_every_single_character_change_of_example_3_is_refused():
    """Exhaustive where the property test samples: every position, every printable ASCII and a few others."""
    replacements = [chr(c) for c in range(0x20, 0x7F)] + ["\n", "é", "đ", "٣", "５", "\u00a0", "😀"]
    for i, old in enumerate(EX3):
        for ch in replacements:
            if ch != old and not (i >= len(EX3) - 4 and ch.upper() == old.upper()):
                with pytest.raises(VietQRError):
                    parse(EX3[:i] + ch + EX3[i + 1:])


def refused_cleanly(text: str) -> None:
    try:
        parse(text)
    except VietQRError as err:
        assert err.code in ERROR_CODES and str(err)


@PROPS
@given(st.text() | st.text("0123456789ABCDEFVNQRIT \n") | valid_payloads.map(lambda p: p[: len(p) // 2]))
def test_arbitrary_text_raises_only_vietqr_errors(text):
    refused_cleanly(text)


tags = st.sampled_from(["00", "01", "26", "38", "52", "53", "54", "58", "59", "60", "62", "64", "99"])
values = st.text(min_size=1, max_size=30) | st.sampled_from(["01", "11", "12", "704", "VN", "180000", napas(),
                                                             tlv("01", "X") + tlv("08", "Y")])


@PROPS
@given(st.lists(st.tuples(tags, values), max_size=10))
def test_correctly_signed_nonsense_raises_only_vietqr_errors(objects):
    refused_cleanly(sign(*objects))
