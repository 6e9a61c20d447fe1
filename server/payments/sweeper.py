"""Resolve payments nobody is looking at: past their expiry, or `unknown`, ask the provider.

Without it a payment is resolved only when the app asks about it; a patient who closed the app would
never learn the result. Run by the background jobs; each payment is resolved in its own transaction,
and the compare-and-set state change makes a concurrent sweep (or the app asking) harmless.
"""

from __future__ import annotations

import datetime as dt
import logging

import httpx
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from server.config import Settings
from server.payments.gateways import Gateways
from server.payments.models import LIVE_STATES, Payment
from server.payments.service import refresh_if_due

log = logging.getLogger("dongphi.sweeper")
FIRST_WAIT, LONGEST_WAIT = 30.0, 1800.0  # seconds between asking a provider again about one payment


class Backoff:
    """Per process: a payment the provider cannot resolve yet is asked about less and less often, and
    does not keep the ones behind it from being looked at."""

    def __init__(self):
        self._next: dict[str, tuple[float, float]] = {}  # payment id -> (next check, current wait)

    def due(self, payment_id: str, at: float) -> bool:
        return self._next.get(payment_id, (0.0, 0.0))[0] <= at

    def again_later(self, payment_id: str, at: float) -> None:
        wait = min(self._next.get(payment_id, (0.0, FIRST_WAIT / 2))[1] * 2, LONGEST_WAIT)
        self._next[payment_id] = (at + wait, wait)

    def forget(self, payment_id: str) -> None:
        self._next.pop(payment_id, None)


def sweep_payments(factory: sessionmaker[Session], settings: Settings, http: httpx.Client, now: dt.datetime,
                   batch: int = 100, backoff: Backoff | None = None) -> int:
    """Returns how many payments were looked at."""
    at = now.timestamp()
    with factory() as db:
        candidates = list(db.scalars(select(Payment.id).where(
            Payment.state.in_(LIVE_STATES), or_(Payment.state == "unknown", Payment.expires_at <= now))
            .order_by(Payment.expires_at).limit(batch * 10)))
    ids = [i for i in candidates if backoff is None or backoff.due(i, at)][:batch]
    for payment_id in ids:
        with factory() as db:
            try:
                payment = db.get(Payment, payment_id)
                if payment is not None:
                    refresh_if_due(db, Gateways(settings=settings, http=http, now=now), payment)
                db.commit()
                settled = payment is None or payment.state not in LIVE_STATES
            except Exception:  # one provider's trouble must not stop the others
                db.rollback()
                log.exception("could not resolve payment %s", payment_id)
                settled = False
        if backoff is not None:
            backoff.forget(payment_id) if settled else backoff.again_later(payment_id, at)
    return len(ids)
