"""Vietnamese mobile numbers: accept the forms people type, store one canonical form (+84…)."""

from __future__ import annotations

import re

# Mobile prefixes after the leading 0 (10-digit numbering since 2018).
_MOBILE = re.compile(r"^(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])\d{7}$")
_SEPARATORS = re.compile(r"[\s.\-()]")


class InvalidPhoneNumber(ValueError):
    """The text is not a Vietnamese mobile number."""


def normalize_phone(raw: str) -> str:
    """'0912 345 678', '+84912345678', '84912345678' -> '+84912345678'."""
    if not isinstance(raw, str):
        raise InvalidPhoneNumber("phone must be text")
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("0084"):
        national = digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise InvalidPhoneNumber("a Vietnamese mobile number starts with 0 or +84")
    if not national.isdigit() or not _MOBILE.match(national):
        raise InvalidPhoneNumber("not a Vietnamese mobile number")
    return "+84" + national


def display_phone(canonical: str) -> str:
    """'+84912345678' -> '0912 345 678', the form people read aloud."""
    national = "0" + canonical.removeprefix("+84")
    return f"{national[:4]} {national[4:7]} {national[7:]}"


def mask_phone(canonical: str) -> str:
    """Show only the last three digits, for messages that may be overlooked by others."""
    national = "0" + canonical.removeprefix("+84")
    return "•" * (len(national) - 3) + national[-3:]
