"""The payee decision as a table: a genuine account, a swapped one, a flagged one, and the unknown."""

from __future__ import annotations

import pytest

from domain.payee import Claim, Registry, Verdict, check_payee
from domain.vietqr import build, parse

HOSPITAL, SCHOOL, CHILDREN = "hp", "hs", "ha"

REGISTRY = Registry.from_json({
    "version": "v1",
    "institutions": [
        {"id": HOSPITAL, "name": "Bệnh viện Đa khoa Hồng Phúc", "short_name": "BVĐK Hồng Phúc", "kind": "hospital",
         "province": "Bắc Ninh", "hotline": "02223856789", "invoice_pattern": r"VP-BN\d{5}-\d{4}",
         "support": {"name": "Phòng Tài chính", "phone": "02223856790"},
         "accounts": [{"bank_bin": "970415", "account_number": "113000123456",
                       "holder_name": "BENH VIEN DA KHOA HONG PHUC"},
                      {"bank_bin": "970422", "account_number": "0801234567890",
                       "holder_name": "BENH VIEN DA KHOA HONG PHUC"}]},
        {"id": SCHOOL, "name": "Trường Tiểu học Hoa Sen", "short_name": "TH Hoa Sen", "kind": "school",
         "province": "Hà Nội", "hotline": "02438251234", "invoice_pattern": r"HS0\d{3}-[A-Z0-9]+-\d{4}",
         "accounts": [{"bank_bin": "970436", "account_number": "0011004123456",
                       "holder_name": "TRUONG TIEU HOC HOA SEN"}]},
        {"id": CHILDREN, "name": "Bệnh viện Nhi Hà An", "short_name": "BV Nhi Hà An", "kind": "hospital",
         "province": "Hà Nội", "hotline": "02436221900",
         "accounts": [{"bank_bin": "970407", "account_number": "19036677889900", "holder_name": "BENH VIEN NHI HA AN"}]},
    ],
    "flagged": [{"bank_bin": "970423", "account_number": "0566778899", "reason": "reported_scam",
                 "institution_id": HOSPITAL}],
})


def qr(bin="970415", account="113000123456", **kw):
    return parse(build(bin, account, **kw))


CASES = [
    # (description, qr, place, verdict, reason, institution, claim)
    ("genuine hospital account, bill code in the note", qr(amount=4_640_000, bill_number="VP-BN00458-2611"),
     None, Verdict.VERIFIED, "registered_account", HOSPITAL, None),
    ("the hospital's second account, static QR", qr("970422", "0801234567890"),
     None, Verdict.VERIFIED, "registered_account", HOSPITAL, None),
    ("account number written in lower case letters matches", qr("970436", "0011004123456"),
     SCHOOL, Verdict.VERIFIED, "registered_account", SCHOOL, None),
    ("swapped sticker: hospital invoice code, a private account", qr("970423", "9988776655", bill_number="VP-BN00458-2611"),
     None, Verdict.MISMATCH, "not_institution_account", HOSPITAL, Claim.BILL_NUMBER),
    ("swapped sticker: hospital's name in the note", qr("970423", "9988776655", purpose="VIEN PHI BV HONG PHUC"),
     None, Verdict.MISMATCH, "not_institution_account", HOSPITAL, Claim.NAME),
    ("swapped sticker: merchant name claims the school", qr("970405", "123456789", merchant_name="TRUONG TIEU HOC HOA SEN"),
     None, Verdict.MISMATCH, "not_institution_account", SCHOOL, Claim.NAME),
    ("private account, payer says they are at the hospital", qr("970423", "9988776655"),
     HOSPITAL, Verdict.MISMATCH, "not_institution_account", HOSPITAL, Claim.PLACE),
    ("the school's real account presented at the hospital", qr("970436", "0011004123456"),
     HOSPITAL, Verdict.MISMATCH, "other_institution_account", HOSPITAL, Claim.PLACE),
    ("the children's hospital account with the other hospital's invoice code",
     qr("970407", "19036677889900", bill_number="VP-BN00458-2611"),
     None, Verdict.MISMATCH, "other_institution_account", HOSPITAL, Claim.BILL_NUMBER),
    ("flagged account, no claim: named after the institution it impersonated", qr("970423", "0566778899"),
     None, Verdict.MISMATCH, "flagged_account", HOSPITAL, None),
    ("flagged account claiming the school", qr("970423", "0566778899", purpose="HOC PHI TH HOA SEN"),
     None, Verdict.MISMATCH, "flagged_account", SCHOOL, Claim.NAME),
    ("unknown private account with an everyday note", qr("970405", "123456789", amount=200_000, purpose="tien an trua"),
     None, Verdict.UNKNOWN, "not_in_registry", None, None),
    ("registered BIN but a different account", qr("970415", "113000123457"),
     None, Verdict.UNKNOWN, "not_in_registry", None, None),
    ("a registered account number at a different bank", qr("970418", "113000123456"),
     None, Verdict.UNKNOWN, "not_in_registry", None, None),
    ("the proper name alone is not a claim (a shop called Hoa Sen)", qr("970405", "123456789", merchant_name="TON HOA SEN"),
     None, Verdict.UNKNOWN, "not_in_registry", None, None),
    ("school proper name with a school word", qr("970405", "123456789", purpose="HOC PHI HOA SEN HK1"),
     None, Verdict.MISMATCH, "not_institution_account", SCHOOL, Claim.NAME),
    ("short words are not a name claim ('bv' is in every hospital)", qr("970405", "123456789", purpose="BV thanh toan"),
     None, Verdict.UNKNOWN, "not_in_registry", None, None),
]


@pytest.mark.parametrize("desc,code,place,verdict,reason,institution,claim", CASES, ids=[c[0] for c in CASES])
def test_payee_decision(desc, code, place, verdict, reason, institution, claim):
    result = check_payee(code, REGISTRY, at_institution_id=place)
    assert (result.verdict, result.reason, result.claim) == (verdict, reason, claim)
    assert (result.institution.id if result.institution else None) == institution


def test_verified_gives_official_name_kind_province_and_hotline():
    result = check_payee(qr(), REGISTRY)
    assert result.institution.name == "Bệnh viện Đa khoa Hồng Phúc"
    assert (result.institution.kind, result.institution.province, result.institution.hotline) == (
        "hospital", "Bắc Ninh", "02223856789")


def test_mismatch_names_the_real_owner_when_there_is_one():
    result = check_payee(qr("970436", "0011004123456"), REGISTRY, at_institution_id=HOSPITAL)
    assert result.owner.id == SCHOOL and result.institution.id == HOSPITAL


def test_unknown_place_is_ignored():
    assert check_payee(qr("970405", "123456789"), REGISTRY, at_institution_id="nowhere").verdict is Verdict.UNKNOWN


@pytest.mark.parametrize("data", [
    {}, {"version": "1"}, {"version": "1", "institutions": [{"id": "x"}]},
    {"version": "1", "institutions": [{"id": "x", "name": "n", "short_name": "s", "kind": "school", "province": "p",
                                       "hotline": "1", "accounts": [], "invoice_pattern": "("}]},
    {"version": "1", "institutions": "nope"},
])
def test_malformed_registry_is_refused_whole(data):
    with pytest.raises(ValueError):
        Registry.from_json(data)


# -- confirmed scam phone numbers (issue 7's register) ---------------------------------------------------

PHONES = {"version": "v2", "institutions": [], "flagged": [
    {"bank_bin": "970432", "account_number": "190344556677", "reason": "confirmed_report", "institution_id": SCHOOL}],
    "flagged_phones": [{"phone": "+84888000111", "reason": "confirmed_report", "institution_id": SCHOOL},
                       {"phone": "+84777123456", "reason": "reported_scam", "institution_id": None}]}


@pytest.mark.parametrize("typed", ["+84888000111", "0888 000 111", "0888.000.111", "84888000111", " 0888-000-111 "])
def test_a_flagged_phone_is_found_however_it_is_typed(typed):
    flag = Registry.from_json(PHONES).phone_flag_of(typed)
    assert flag is not None and (flag.phone, flag.reason, flag.institution_id) == (
        "+84888000111", "confirmed_report", SCHOOL)


@pytest.mark.parametrize("typed", ["0888 000 112", "", "hello", "0241 234 5678", "+1 555 0100", None, 888000111])
def test_other_numbers_and_non_numbers_are_not_flagged(typed):
    assert Registry.from_json(PHONES).phone_flag_of(typed) is None


def test_a_cached_registry_without_phones_still_loads():
    assert REGISTRY.flagged_phones == () and REGISTRY.phone_flag_of("0888 000 111") is None
    assert Registry.from_json({**PHONES, "flagged_phones": None}).flagged_phones == ()


def test_a_phone_this_version_cannot_read_matches_nothing_but_breaks_nothing():
    registry = Registry.from_json({**PHONES, "flagged_phones": [{"phone": "+44 20 7946 0000", "reason": "x"}]})
    assert registry.flagged_phones[0].phone == "+44 20 7946 0000" and registry.phone_flag_of("+44 20 7946 0000") is None


@pytest.mark.parametrize("phones", ["nope", [{"reason": "x"}], [None], {"phone": "+84888000111"}])
def test_malformed_phones_refuse_the_registry_whole(phones):
    with pytest.raises(ValueError):
        Registry.from_json({**PHONES, "flagged_phones": phones})


def test_a_confirmed_account_is_a_mismatch_with_or_without_a_claim():
    registry = Registry.from_json({**PHONES, "institutions": [
        {"id": SCHOOL, "name": "Trường Tiểu học Hoa Sen", "short_name": "TH Hoa Sen", "kind": "school",
         "province": "Hà Nội", "hotline": "02438251234", "accounts": []}]})
    for code in (qr("970432", "190344556677"), qr("970432", "190344556677", purpose="HOC PHI TH HOA SEN")):
        result = check_payee(code, registry)
        assert (result.verdict, result.reason, result.institution.id) == (Verdict.MISMATCH, "flagged_account", SCHOOL)
        assert result.flag.reason == "confirmed_report"
