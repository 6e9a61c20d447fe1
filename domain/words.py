"""Amounts in words, as printed on Vietnamese invoices ("Số tiền bằng chữ") and for screen readers."""

from __future__ import annotations

_VI = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_VI_AFTER_TENS = {1: "mốt", 4: "tư", 5: "lăm"}  # after "hai mươi" .. "chín mươi"
_BILLION = 10**9


def _require_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        # ValueError, not TypeError: callers treat every unreadable amount alike.
        raise ValueError(f"amount must be an int of đồng, got {type(amount).__name__}")  # noqa: TRY004
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
    return amount


def _vi_triple(n: int, inner: bool) -> list[str]:
    """0 < n < 1000; `inner` when a higher group was read, so zeros are spoken ('không trăm linh năm')."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out = [_VI[hundreds], "trăm"] if hundreds or inner else []
    if tens == 0:
        out += ((["linh"] if out else []) + [_VI[units]]) if units else []
    elif tens == 1:
        out += ["mười"] + (["lăm" if units == 5 else _VI[units]] if units else [])
    else:
        out += [_VI[tens], "mươi"] + ([_VI_AFTER_TENS.get(units, _VI[units])] if units else [])
    return out


def _vi(n: int, inner: bool = False) -> list[str]:
    """n > 0; above a billion, the part before 'tỷ' is read recursively ('một nghìn tỷ')."""
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        return _vi(high, inner) + ["tỷ"] + (_vi(low, True) if low else [])
    words: list[str] = []
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group, n = divmod(n, scale)
        if group:
            words += _vi_triple(group, inner) + ([name] if name else [])
            inner = True
    return words


def amount_in_words(amount: int) -> str:
    """1_500_000 -> 'một triệu năm trăm nghìn đồng' (lowercase; the UI capitalises)."""
    n = _require_amount(amount)
    return " ".join((_vi(n) if n else ["không"]) + ["đồng"])


_EN_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen")
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ("", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion")


def _en_triple(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    out = [_EN_ONES[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        out.append(_EN_TENS[rest // 10] + (f"-{_EN_ONES[rest % 10]}" if rest % 10 else ""))
    elif rest:
        out.append(_EN_ONES[rest])
    return out


def _en(n: int) -> list[str]:
    """n > 0; beyond the named scales, count quintillions recursively."""
    top = 1000 ** (len(_EN_SCALES) - 1)
    if n >= top * 1000:
        high, low = divmod(n, top)
        return _en(high) + [_EN_SCALES[-1]] + (_en(low) if low else [])
    words: list[str] = []
    for power in range(len(_EN_SCALES) - 1, -1, -1):
        group, n = divmod(n, 1000**power)
        if group:
            words += _en_triple(group) + ([_EN_SCALES[power]] if power else [])
    return words


def amount_in_words_en(amount: int) -> str:
    """1_500_000 -> 'one million five hundred thousand dong' (no 'and', hyphenated tens)."""
    n = _require_amount(amount)
    return " ".join((_en(n) if n else ["zero"]) + ["dong"])
