"""Bill status rules shared by server and app, so 'overdue' means the same on both sides."""

from __future__ import annotations

import datetime as dt
from enum import Enum


class BillStatus(str, Enum):
    OPEN = "open"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CANCELLED = "cancelled"


OUTSTANDING = {BillStatus.OPEN, BillStatus.PARTIALLY_PAID, BillStatus.OVERDUE}


def bill_status(total: int, amount_paid: int, due_date: dt.date, today: dt.date,
                cancelled: bool = False) -> BillStatus:
    """Derive status from the amounts and the clock instead of storing a value that goes stale."""
    if cancelled:
        return BillStatus.CANCELLED
    if amount_paid >= total:
        return BillStatus.PAID
    if due_date < today:
        return BillStatus.OVERDUE
    if amount_paid > 0:
        return BillStatus.PARTIALLY_PAID
    return BillStatus.OPEN


def amount_due(total: int, amount_paid: int) -> int:
    return max(total - amount_paid, 0)
