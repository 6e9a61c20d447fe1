"""VietQR (NAPAS 247 transfer QR, EMVCo merchant-presented profile): build and strictly parse.

Strict on purpose: a QR decides where money goes, so anything we cannot fully account for
(bad CRC, foreign scheme, odd amount) is refused with a reason instead of being guessed at.
Every failure is a VietQRError carrying a short machine `code` for the UI to translate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.text import fold_ascii

NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"
SERVICE_CARD = "QRIBFTTC"
SERVICES = (SERVICE_ACCOUNT, SERVICE_CARD)
MAX_TEXT = 25  # each 62 sub-object (bill number, purpose) in ASCII characters
# Every VietQRError.code, so the UI can keep one translation per code.
ERROR_CODES = frozenset({
    "not_text", "empty", "bad_id", "bad_length", "duplicate_object", "bad_order", "trailing_data",
    "bad_crc", "missing_object", "not_ascii", "bad_format_indicator", "bad_initiation", "not_napas",
    "bad_bin", "bad_account", "bad_service", "bad_currency", "bad_amount", "bad_country",
    "field_too_long",
})

_KNOWN_GUIDS = {NAPAS_GUID: "NAPAS", "A000000775": "VNPay"}
_NAMES = {
    "00": "payload format", "01": "initiation method", "38": "NAPAS account template",
    "38/00": "GUID", "38/01": "beneficiary", "38/01/00": "bank BIN", "38/01/01": "account number",
    "38/02": "service code", "52": "merchant category", "53": "currency", "54": "amount",
    "58": "country", "59": "merchant name", "60": "city", "62": "additional data",
    "62/01": "bill number", "62/08": "purpose", "63": "CRC", "64": "alternate language template",
}
_TWO_DIGITS = re.compile(r"[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_PRINTABLE = re.compile(r"[\x20-\x7e]*")


class VietQRError(ValueError):
    """Any reason a payload is not a usable VietQR; `code` is stable, the message is for logs."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class VietQRFormatError(VietQRError):
    """The ID/length/value chain itself is broken (lengths, IDs, order, trailing data)."""


class VietQRChecksumError(VietQRError):
    """Object 63 is malformed or does not match: the payload was damaged or altered."""


class VietQRFieldError(VietQRError):
    """The chain is intact but a value is missing, wrong or not NAPAS."""


@dataclass(frozen=True)
class VietQR:
    bin: str
    account: str
    service: str
    amount: int | None
    bill_number: str | None
    purpose: str | None
    dynamic: bool
    merchant_category: str | None
    merchant_name: str | None
    city: str | None
    objects: tuple[tuple[str, str], ...]
    additional: tuple[tuple[str, str], ...]


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE over the UTF-8 bytes, as 4 uppercase hex digits (EMVCo object 63)."""
    crc = 0xFFFF
    for byte in data.encode("utf-8", "surrogatepass"):  # never raise, even on lone surrogates
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
    return f"{crc:04X}"


def _label(path: str) -> str:
    name = _NAMES.get(path)
    return f"object {path} ({name})" if name else f"object {path}"


def _show(value: str) -> str:
    """Quote a value for a message without letting a huge garbage scan flood the logs."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _split(data: str, parent: str = "", root: bool = False) -> list[tuple[str, str]]:
    """Cut an ID-LEN-VALUE chain; at the root, stop at 63 and refuse anything after it."""
    out: list[tuple[str, str]] = []
    i = 0
    where = f" inside {_label(parent.rstrip('/'))}" if parent else ""
    while i < len(data):
        head = data[i:i + 4]
        if len(head) < 4:
            raise VietQRFormatError("bad_length", f"truncated object header {_show(head)} at position {i}{where}")
        tag, size = head[:2], head[2:]
        if not _TWO_DIGITS.fullmatch(tag):
            raise VietQRFormatError("bad_id", f"object ID must be two digits, got {_show(tag)} at position {i}{where}")
        path = parent + tag
        if not _TWO_DIGITS.fullmatch(size) or size == "00":
            raise VietQRFormatError("bad_length", f"{_label(path)} has length {_show(size)}; expected 01..99")
        end = i + 4 + int(size)
        if end > len(data):
            raise VietQRFormatError(
                "bad_length", f"{_label(path)} says {int(size)} characters but only {len(data) - i - 4} remain")
        if any(t == tag for t, _ in out):
            raise VietQRFormatError("duplicate_object", f"{_label(path)} appears twice")
        out.append((tag, data[i + 4:end]))
        i = end
        if root and tag == "63" and i < len(data):
            raise VietQRFormatError(
                "trailing_data", f"{len(data) - i} characters follow object 63 (CRC), which must be last")
    return out


def _need(objects: dict[str, str], tag: str, parent: str = "") -> str:
    if tag not in objects:
        raise VietQRFieldError("missing_object", f"{_label(parent + tag)} is missing")
    return objects[tag]


def _scheme(template: str) -> str:
    """Name the foreign scheme in the error, e.g. 'GUID A000000775, VNPay'."""
    try:
        guid = dict(_split(template)).get("00", "")
    except VietQRError:
        return ""
    return f" (GUID {guid}, {_KNOWN_GUIDS[guid]})" if guid in _KNOWN_GUIDS else f" (GUID {guid})" if guid else ""


def _checked_chain(payload: str) -> list[tuple[str, str]]:
    """The root objects of an intact EMVCo payload: text, a sound chain, 00 first, and a matching CRC."""
    if not isinstance(payload, str):
        raise VietQRFormatError("not_text", f"payload must be text, got {type(payload).__name__}")
    text = payload.strip()  # scanners add newlines; nothing else is forgiven
    if not text:
        raise VietQRFormatError("empty", "payload is empty")
    chain = _split(text, root=True)
    obj = dict(chain)
    if chain[0][0] != "00":
        _need(obj, "00")
        raise VietQRFormatError("bad_order", f"object 00 (payload format) must come first, not {chain[0][0]}")
    crc = _need(obj, "63")
    if not _HEX4.fullmatch(crc):
        raise VietQRChecksumError("bad_crc", f"object 63 (CRC) must be 4 hex digits, got {_show(crc)}")
    computed = crc16_ccitt_false(text[:-4])
    if crc.upper() != computed:
        raise VietQRChecksumError("bad_crc", f"CRC mismatch: payload says {crc}, computed {computed}")
    return chain


def parse(payload: str) -> VietQR:
    """Decode a scanned payload; raise VietQRError (only) unless it is a sound NAPAS VietQR."""
    chain = _checked_chain(payload)
    obj = dict(chain)

    for tag, value in chain:  # 64 alone may carry Vietnamese (alternate language)
        if tag != "64" and not value.isascii():
            raise VietQRFieldError("not_ascii", f"{_label(tag)} must be ASCII, got {_show(value)}")
    if obj["00"] != "01":
        raise VietQRFieldError("bad_format_indicator", f"object 00 (payload format) must be '01', got {_show(obj['00'])}")
    if _need(obj, "01") not in ("11", "12"):
        raise VietQRFieldError("bad_initiation", f"object 01 (initiation method) must be 11 or 12, got {_show(obj['01'])}")

    if "38" not in obj:
        foreign = [t for t in obj if "02" <= t <= "51"]  # EMVCo merchant account templates
        if foreign:
            raise VietQRFieldError(
                "not_napas", f"not a NAPAS VietQR: template {foreign[0]}{_scheme(obj[foreign[0]])} instead of 38")
        _need(obj, "38")
    acct = dict(_split(obj["38"], "38/"))
    guid = _need(acct, "00", "38/")
    if guid != NAPAS_GUID:
        raise VietQRFieldError("not_napas", f"not a NAPAS VietQR: object 38/00 (GUID) is {_show(guid)}, not {NAPAS_GUID}")
    bene = dict(_split(_need(acct, "01", "38/"), "38/01/"))
    bin_code = _need(bene, "00", "38/01/")
    account = _need(bene, "01", "38/01/")
    service = _need(acct, "02", "38/")
    if not _BIN.fullmatch(bin_code):
        raise VietQRFieldError("bad_bin", f"object 38/01/00 (bank BIN) must be 6 digits, got {_show(bin_code)}")
    if not _ACCOUNT.fullmatch(account):
        raise VietQRFieldError("bad_account", f"object 38/01/01 (account number) must be 1-19 letters or digits, got {_show(account)}")
    if service not in SERVICES:
        raise VietQRFieldError("bad_service", f"object 38/02 (service code) must be {' or '.join(SERVICES)}, got {_show(service)}")

    if _need(obj, "53") != "704":
        raise VietQRFieldError("bad_currency", f"object 53 (currency) must be 704 (VND), got {_show(obj['53'])}")
    amount = _amount(obj["54"]) if "54" in obj else None
    if _need(obj, "58") != "VN":
        raise VietQRFieldError("bad_country", f"object 58 (country) must be VN, got {_show(obj['58'])}")
    extra = tuple(_split(obj["62"], "62/")) if "62" in obj else ()
    more = dict(extra)
    return VietQR(
        bin=bin_code, account=account, service=service, amount=amount,
        bill_number=more.get("01"), purpose=more.get("08"), dynamic=obj["01"] == "12",
        merchant_category=obj.get("52"), merchant_name=obj.get("59"), city=obj.get("60"),
        objects=tuple(chain), additional=extra,
    )


def _amount(raw: str) -> int:
    """VND has no decimals: plain digits, positive, no leading zero, at most 13 digits (EMVCo)."""
    if not _DIGITS.fullmatch(raw):
        raise VietQRFieldError("bad_amount", f"object 54 (amount) must be digits, got {_show(raw)}")
    if raw[0] == "0" or len(raw) > 13:
        raise VietQRFieldError("bad_amount", f"object 54 (amount) must be 1..13 digits, positive, without leading zeros, got {_show(raw)}")
    return int(raw)


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRFieldError("field_too_long", f"{_label(tag)} is {len(value)} characters; the limit is 99")
    return f"{tag}{len(value):02d}{value}"


def _text(value: str | None, tag: str, limit: int = MAX_TEXT) -> str | None:
    """Fold to ASCII and refuse (never cut) what does not fit: a cut invoice code cannot be matched."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise VietQRFieldError("not_ascii", f"{_label(tag)} must be text, got {type(value).__name__}")
    folded = fold_ascii(value)
    if not _PRINTABLE.fullmatch(folded):
        raise VietQRFieldError("not_ascii", f"{_label(tag)} must be printable ASCII after folding, got {_show(folded)}")
    if len(folded) > limit:
        raise VietQRFieldError("field_too_long", f"{_label(tag)} is {len(folded)} characters; the limit is {limit}")
    return folded


def build(bin: str, account: str, amount: int | None = None, purpose: str | None = None,
          bill_number: str | None = None, service: str = SERVICE_ACCOUNT, merchant_name: str | None = None,
          city: str | None = None) -> str:
    """Encode a NAPAS transfer QR; dynamic (01=12) when an amount is fixed, static (11) otherwise."""
    if not isinstance(bin, str) or not _BIN.fullmatch(bin):
        raise VietQRFieldError("bad_bin", f"bank BIN must be 6 digits, got {bin!r}")
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise VietQRFieldError("bad_account", f"account number must be 1-19 letters or digits, got {account!r}")
    if service not in SERVICES:
        raise VietQRFieldError("bad_service", f"service code must be {' or '.join(SERVICES)}, got {service!r}")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)
                               or not 0 < amount < 10**13):
        raise VietQRFieldError("bad_amount", f"amount must be a positive int of đồng below 10^13, got {amount!r}")
    bill, note = _text(bill_number, "62/01"), _text(purpose, "62/08")
    name, place = _text(merchant_name, "59"), _text(city, "60", limit=15)

    beneficiary = _tlv("00", bin) + _tlv("01", account)
    parts = [
        _tlv("00", "01"),
        _tlv("01", "12" if amount is not None else "11"),
        _tlv("38", _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", service)),
        _tlv("53", "704"),
        _tlv("54", str(amount)) if amount is not None else "",
        _tlv("58", "VN"),
        _tlv("59", name) if name else "",
        _tlv("60", place) if place else "",
    ]
    additional = (_tlv("01", bill) if bill else "") + (_tlv("08", note) if note else "")
    if additional:
        parts.append(_tlv("62", additional))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt_false(body)


@dataclass(frozen=True)
class MerchantQR:
    """An intact EMVCo merchant QR of another scheme (VNPay's template 26, card schemes, ...).

    It names a merchant id, not a bank account: settlement goes through the scheme, so nobody outside
    it can tell whose account the money reaches.
    """
    template: str
    guid: str
    scheme: str | None  # "VNPay" for A000000775; None when the GUID is not one we know
    merchant_id: str | None
    merchant_name: str | None
    city: str | None
    amount: int | None


def parse_merchant(payload: str) -> MerchantQR:
    """Read a non-NAPAS EMVCo merchant QR; VietQRError when the chain or CRC is broken or none is there."""
    chain = _checked_chain(payload)
    obj = dict(chain)
    templates = [t for t, _ in chain if "02" <= t <= "51" and t != "38"]
    if not templates:
        raise VietQRFieldError("missing_object", "no merchant account template (02..51)")
    tag = templates[0]
    try:
        inner = dict(_split(obj[tag], f"{tag}/"))
    except VietQRError:  # 02..25 are card-scheme templates with an opaque value
        inner = {}
    guid = inner.get("00", "")
    try:
        amount = _amount(obj["54"]) if "54" in obj else None
    except VietQRError:
        amount = None
    return MerchantQR(template=tag, guid=guid, scheme=_KNOWN_GUIDS.get(guid) if guid != NAPAS_GUID else None,
                      merchant_id=inner.get("01") or (obj[tag] if not inner else None),
                      merchant_name=obj.get("59"), city=obj.get("60"), amount=amount)
