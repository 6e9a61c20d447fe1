"""What a payment flow needs from outside: settings, the clock and the outbound HTTP client."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx

from server.config import Settings


@dataclass
class Gateways:
    settings: Settings
    http: httpx.Client
    now: dt.datetime
