"""The app PIN's rules, shared so the app can say at once what the server would refuse."""

from __future__ import annotations

from enum import Enum

PIN_LENGTH = 6


class PinProblem(str, Enum):
    FORMAT = "pin_format"  # not exactly six digits
    TOO_SIMPLE = "pin_too_simple"  # a sequence, a repeat, or a well-known PIN


# PINs that lists of leaked PINs put at the top, beyond the patterns checked below.
_COMMON = {"123123", "112233", "121212", "123321", "520520", "131313", "159753", "147258", "696969", "102030",
           "101010", "000111", "111000", "200000", "100000", "999000", "686868", "888999", "789789"}


def pin_problem(pin: str) -> PinProblem | None:
    if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
        return PinProblem.FORMAT
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in zip(digits, digits[1:])}
    if len(steps) == 1 and steps.pop() in (-1, 0, 1):  # 111111, 123456, 987654
        return PinProblem.TOO_SIMPLE
    if len(set(digits)) <= 2 and (pin[:3] == pin[3:] or pin[:2] * 3 == pin):  # 121212, 373737, 100100
        return PinProblem.TOO_SIMPLE
    if pin in _COMMON or pin[:3] == pin[3:][::-1] and len(set(pin)) <= 2:
        return PinProblem.TOO_SIMPLE
    return None
