"""Money is an int of đồng; formatting goes through Babel so every screen agrees."""

from __future__ import annotations

from babel.numbers import format_currency

_BABEL_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def require_dong(amount: object) -> int:
    """Reject floats, bools and strings early: a fractional đồng is always a bug."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be an int of đồng, got {type(amount).__name__}")
    return amount


def format_vnd(amount: int, locale: str = "vi") -> str:
    """'1.500.000 ₫' in Vietnamese (no-break space before ₫), '₫1,500,000' in English."""
    require_dong(amount)
    return format_currency(
        amount,
        "VND",
        locale=_BABEL_LOCALES.get(locale, locale),
        format_type="standard",
        currency_digits=True,
    )
