"""What a scanned QR is: one of our bill links, a VietQR transfer, another scheme's merchant QR, or not a payment.

Every input ends in a `Scanned` (never an exception): the scan screen turns each kind and error code
into a sentence, so arbitrary text from a camera can at worst produce a clear "not a payment QR".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from domain.vietqr import (MerchantQR, VietQR, VietQRChecksumError, VietQRError, VietQRFormatError, parse,
                           parse_merchant)

# Printed on bills and shown by the app: a link a phone camera can also open in the browser.
BILL_LINK_PREFIX = "https://dongphi.vn/bill/"
# Any host: only the token is used, and the app asks its own server about it, so a look-alike
# address leads nowhere. token_urlsafe(32) is 43 characters.
_PAY_REQUEST = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?/r/([A-Za-z0-9_-]{43})/?")
_BILL_LINK = re.compile(r"https://dongphi\.vn/bill/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_EMV_START = re.compile(r"000201")
MAX_TEXT = 1024  # no payment QR is longer; a huge paste is not read further


class ScanKind(str, Enum):
    BILL_LINK = "bill_link"  # Đóng Phí's own bill QR -> open that bill
    PAY_REQUEST = "pay_request"  # a relative's "Nhờ người thân trả" link -> open the request
    VIETQR = "vietqr"  # NAPAS transfer -> payee check
    MERCHANT = "merchant"  # another EMVCo scheme (VNPay template 26, ...) -> cannot check the payee
    DAMAGED = "damaged"  # looks like a payment QR but is broken or altered (CRC, lengths)
    INVALID = "invalid"  # an intact VietQR with a wrong field (currency, country, amount...)
    NOT_PAYMENT = "not_payment"  # a web link, plain text, anything else


@dataclass(frozen=True)
class Scanned:
    kind: ScanKind
    text: str  # what was read, cut to MAX_TEXT
    vietqr: VietQR | None = None
    merchant: MerchantQR | None = None
    bill_id: str | None = None
    token: str | None = None  # of a pay request
    error_code: str | None = None  # a VietQRError code for DAMAGED / INVALID


def bill_link(bill_id: str) -> str:
    return BILL_LINK_PREFIX + bill_id


def classify(text: object) -> Scanned:
    if not isinstance(text, str):
        return Scanned(ScanKind.NOT_PAYMENT, "")
    raw = text.strip()[:MAX_TEXT]
    if not raw:
        return Scanned(ScanKind.NOT_PAYMENT, "", error_code="empty")
    if m := _BILL_LINK.fullmatch(raw):
        return Scanned(ScanKind.BILL_LINK, raw, bill_id=m.group(1))
    if m := _PAY_REQUEST.fullmatch(raw):
        return Scanned(ScanKind.PAY_REQUEST, raw, token=m.group(1))
    if not _EMV_START.match(raw):
        return Scanned(ScanKind.NOT_PAYMENT, raw)
    try:
        return Scanned(ScanKind.VIETQR, raw, vietqr=parse(raw))
    except (VietQRFormatError, VietQRChecksumError) as exc:
        return Scanned(ScanKind.DAMAGED, raw, error_code=exc.code)
    except VietQRError as exc:
        if exc.code not in ("not_napas", "missing_object"):
            return Scanned(ScanKind.INVALID, raw, error_code=exc.code)
        try:
            return Scanned(ScanKind.MERCHANT, raw, merchant=parse_merchant(raw))
        except VietQRError as inner:
            kind = ScanKind.DAMAGED if isinstance(inner, (VietQRFormatError, VietQRChecksumError)) else ScanKind.INVALID
            return Scanned(kind, raw, error_code=exc.code)
