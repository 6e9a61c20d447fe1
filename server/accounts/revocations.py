"""Retrying token revocations the provider did not confirm when the payer unlinked.

Unlinking removes the account from the payer's list at once, but a token the provider still honours
could be charged by anyone who obtained it: it is revoked again, backing off, until the provider
confirms, says it no longer knows it, or the token has passed its own expiry date. Each row is claimed
by compare-and-set on its next attempt time, so several workers never call the provider twice at once.
A run stops at the first failed call (the provider is down: the rest would wait out their timeouts and
hold up the other jobs) and after half a lease, so no claimed row outlives its lease.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from server.clock import as_utc
from server.config import Settings

log = logging.getLogger("dongphi.accounts")

FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)
LEASE = dt.timedelta(minutes=5)  # a worker that dies mid-call leaves the row to be tried again after this
GIVE_UP_AFTER = dt.timedelta(days=30)  # a token nobody could revoke for a month: an operator must look


def next_wait(attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def retry_revocations(factory: sessionmaker[Session], settings: Settings, http: httpx.Client,
                      clock: Callable[[], dt.datetime], batch: int = 50) -> int:
    """Returns how many revocations were attempted. `clock` is read for every row: calls take time."""
    from server.accounts import crypto
    from server.accounts.models import TokenRevocation
    from server.accounts.service import revoke_at_provider
    from server.payments.gateways import Gateways

    started = clock()
    with factory() as db:
        due = list(db.execute(select(TokenRevocation.id, TokenRevocation.next_attempt_at).where(
            TokenRevocation.done_at.is_(None), TokenRevocation.next_attempt_at <= started)
            .order_by(TokenRevocation.next_attempt_at).limit(batch)))
    tried = 0
    for row_id, seen_at in due:
        now = clock()
        if now - started > LEASE / 2:
            break
        with factory() as db:
            claimed = db.execute(update(TokenRevocation).where(
                TokenRevocation.id == row_id, TokenRevocation.next_attempt_at == seen_at,
                TokenRevocation.done_at.is_(None)).values(next_attempt_at=now + LEASE)).rowcount
            db.commit()
            if claimed != 1:
                continue  # another worker has it
            row = db.get(TokenRevocation, row_id)
            token = crypto.decrypt(settings, row.token_cipher) if row.token_cipher else None
            if token is None:
                _finish(row, "undecryptable", now)
                log.error("token %s: stored token cannot be decrypted; it cannot be revoked", row.token_ref)
            elif row.token_expires_at is not None and as_utc(row.token_expires_at) <= now:
                _finish(row, "expired", now)
                log.info("token %s expired at the provider before it could be revoked", row.token_ref)
            else:
                tried += 1
                if revoke_at_provider(Gateways(settings=settings, http=http, now=now), token, row.token_ref):
                    _finish(row, "revoked", now)
                    log.info("token %s revoked at the provider on attempt %d", row.token_ref, row.attempts + 1)
                    db.commit()
                    continue
                after = clock()
                row.attempts += 1
                if after - as_utc(row.created_at) >= GIVE_UP_AFTER:
                    _finish(row, "abandoned", after)
                    log.error("token %s: the provider has refused to revoke it for %s; revoke it by hand",
                              row.token_ref, GIVE_UP_AFTER)
                else:
                    row.next_attempt_at = after + next_wait(row.attempts)
                db.commit()
                break  # the provider is down or refusing: the other rows wait for the next run
            db.commit()
    return tried


def _finish(row, outcome: str, now: dt.datetime) -> None:
    row.done_at, row.outcome, row.token_cipher = now, outcome, None
