"""SBV Decision 2345: when the payer's bank demands a face scan, so a token charge cannot carry it.

From 1 July 2024 a bank asks for face biometrics for one online transfer above 10,000,000 VND, or
once the day's total passes 20,000,000 VND. Such payments go through the bank's or wallet's own app
(checkout or VietQR), where the face scan happens; a charge on a linked token would be refused.
"""

from __future__ import annotations

from enum import Enum

SINGLE_LIMIT = 10_000_000
DAILY_LIMIT = 20_000_000


class FaceCheck(str, Enum):
    SINGLE = "single_over_limit"
    DAILY = "daily_over_limit"


def face_check_reason(amount: int, paid_today: int) -> FaceCheck | None:
    """`paid_today`: what this payer already paid (or has in flight) today, before this payment."""
    if amount > SINGLE_LIMIT:
        return FaceCheck.SINGLE
    if paid_today + amount > DAILY_LIMIT:
        return FaceCheck.DAILY
    return None
