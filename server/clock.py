"""An injectable clock, so expiry rules are tested on a fixed time instead of by sleeping."""

from __future__ import annotations

import datetime as dt
from typing import Callable
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def local_today(now: dt.datetime) -> dt.date:
    """Due dates are Vietnamese calendar days, whatever the server's own timezone."""
    return now.astimezone(VIETNAM).date()


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
