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


def sweep_payments(factory: sessionmaker[Session], settings: Settings, http: httpx.Client, now: dt.datetime,
                   batch: int = 100) -> int:
    """Returns how many payments were looked at."""
    with factory() as db:
        ids = list(db.scalars(select(Payment.id).where(
            Payment.state.in_(LIVE_STATES), or_(Payment.state == "unknown", Payment.expires_at <= now))
            .order_by(Payment.expires_at).limit(batch)))
    for payment_id in ids:
        with factory() as db:
            try:
                payment = db.get(Payment, payment_id)
                if payment is not None:
                    refresh_if_due(db, Gateways(settings=settings, http=http, now=now), payment)
                db.commit()
            except Exception:  # one provider's trouble must not stop the others
                db.rollback()
                log.exception("could not resolve payment %s", payment_id)
    return len(ids)
