"""Notification rules both sides agree on: kinds, default channels, quiet hours, reminder stages.

Pure: the server decides with these what to send and when; the app shows the same kinds and defaults.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PAYMENT_RESULTS = ("payment_succeeded", "payment_failed", "payment_resolved")
REMINDERS = ("due_soon", "overdue")
FROM_INSTITUTIONS = ("institution_alert", "institution_announcement")
# "report_update": the user's own scam report was confirmed or rejected (push, held in quiet hours).
KINDS = ("new_bill", *REMINDERS, *PAYMENT_RESULTS, "bill_cleared", "refund", *FROM_INSTITUTIONS, "report_update",
         "family_invitation", "please_pay")
# SMS carries reminders only: a plain-text nudge, never a link (banks may not send links by SMS either).
SMS_KINDS = REMINDERS
REMINDER_DAYS = (7, 3, 1)
DEFAULT_QUIET = (22 * 60, 7 * 60)  # 22:00-07:00, minutes after local midnight


@dataclass(frozen=True)
class Channels:
    push: bool
    sms: bool


def default_channels(kind: str) -> Channels:
    """Push for everything; SMS only for reminders, and only where the user keeps it on."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    return Channels(push=True, sms=kind in SMS_KINDS)


def bypasses_quiet_hours(kind: str) -> bool:
    """A payment's result is what the payer is waiting for, even at night."""
    return kind in PAYMENT_RESULTS


def parse_hhmm(text: str) -> int:
    """'22:00' -> 1320; anything else is a ValueError with a reason."""
    parts = text.strip().split(":") if isinstance(text, str) else []
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError("time must be HH:MM")
    hours, minutes = int(parts[0]), int(parts[1])
    if hours > 23 or minutes > 59:
        raise ValueError("time must be between 00:00 and 23:59")
    return hours * 60 + minutes


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def in_quiet_hours(local: dt.datetime, start: int, end: int) -> bool:
    """`local` is Vietnam time. start == end means no quiet hours; start > end spans midnight."""
    now = local.hour * 60 + local.minute
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


def quiet_hours_end(local: dt.datetime, start: int, end: int) -> dt.datetime:
    """When a message held back at `local` may go out (the first minute after the quiet hours)."""
    if not in_quiet_hours(local, start, end):
        return local
    candidate = local.replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate


def reminder_stage(due: dt.date, today: dt.date) -> str | None:
    """The one reminder a bill needs today: 'due_7', 'due_3', 'due_1', 'overdue', or None.

    A stage is the nearest threshold at or above the days left, so a server that was down on the
    exact day still sends it, and a bill issued two days before its due date gets only 'due_3' (never
    three reminders at once). Each stage is sent once per bill and user (the server's dedupe key).
    """
    days_left = (due - today).days
    if days_left < 0:
        return "overdue"
    for days in sorted(REMINDER_DAYS):
        if days_left <= days:
            return f"due_{days}"
    return None
