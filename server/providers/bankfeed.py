"""Institution bank-transaction feed (how a VietQR transfer is confirmed).

The bank or aggregator POSTs JSON {account_number, amount, content, reference, time, bank_bin?}
and signs the raw body with HMAC-SHA256 using the institution's feed secret (header X-Signature).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from server.providers.signing import hmac_hex, same

SIGNATURE_HEADER = "X-Signature"


class FeedError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FeedEvent:
    reference: str
    account_number: str
    amount: int
    content: str
    time: str
    bank_bin: str | None = None


def sign(secret: str, raw_body: bytes) -> str:
    return hmac_hex(secret, raw_body)


def verify(secret: str, raw_body: bytes, signature: str | None) -> bool:
    return same(sign(secret, raw_body), signature)


def parse(raw_body: bytes) -> FeedEvent:
    try:
        data = json.loads(raw_body)
    except ValueError as exc:
        raise FeedError("bad_json", "feed body is not JSON") from exc
    if not isinstance(data, dict):
        raise FeedError("bad_json", "feed body must be an object")
    amount = data.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise FeedError("bad_amount", "amount must be a positive integer of dong")
    fields = {}
    for name in ("reference", "account_number", "content", "time"):
        value = data.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > 500:
            raise FeedError("missing_field", f"{name} must be a non-empty string")
        fields[name] = value.strip()
    bank_bin = data.get("bank_bin")
    return FeedEvent(amount=amount, bank_bin=bank_bin if isinstance(bank_bin, str) else None, **fields)


def compact(text: str) -> str:
    """Banks drop punctuation and change case in transfer notes: compare letters and digits only."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def mentions(content: str, code: str) -> bool:
    return bool(code) and compact(code) in compact(content)
