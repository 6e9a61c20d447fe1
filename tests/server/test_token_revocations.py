"""Unlinking while the provider cannot be reached: the account leaves the list at once, and the token
is revoked later by the background job (backing off, once per attempt across workers), never lost."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from server.accounts.models import TokenRevocation
from server.accounts.revocations import retry_revocations
from tests.server.linking_helpers import link_account


class RevokeDown:
    """The provider's revoke endpoint is unreachable while `down` is set; calls to it are counted."""

    def __init__(self, inner):
        self.inner, self.down, self.revoke_calls = inner, True, 0
        self._lock = threading.Lock()

    def post(self, url, *args, **kwargs):
        if url.endswith("/v1/token/revoke"):
            with self._lock:
                self.revoke_calls += 1
            if self.down:
                raise httpx.ConnectError("provider unreachable")
        return self.inner.post(url, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def issued_tokens(app):
    return list(app.state.link_sandbox.tokens.values())


def revocations(app) -> list[TokenRevocation]:
    with app.state.session_factory() as db:
        rows = list(db.scalars(select(TokenRevocation)))
        db.expunge_all()  # detached as they stand, for reading after the session
    return rows


def unlink_while_down(client, app, auth) -> RevokeDown:
    source = link_account(client, auth)
    http = app.state.http = RevokeDown(app.state.http)
    assert client.delete(f"/accounts/{source['id']}", headers=auth).status_code == 204
    assert client.get("/accounts", headers=auth).json()["sources"] == []
    return http


def run(app, settings, http, clock) -> int:
    return retry_revocations(app.state.session_factory, settings, http, clock)


def test_an_unconfirmed_revocation_is_retried_with_back_off_until_the_provider_confirms(client, app, auth, settings,
                                                                                       clock):
    http = unlink_while_down(client, app, auth)
    [issued] = issued_tokens(app)
    assert issued.revoked is False
    [row] = revocations(app)
    assert row.done_at is None and row.token_cipher and issued.token not in row.token_cipher

    assert run(app, settings, http, clock) == 0  # not due yet
    clock.advance(minutes=1)
    assert run(app, settings, http, clock) == 1  # still down: the wait doubles
    [row] = revocations(app)
    assert row.attempts == 2 and row.done_at is None
    clock.advance(minutes=1)
    assert run(app, settings, http, clock) == 0
    http.down = False
    clock.advance(minutes=1)
    assert run(app, settings, http, clock) == 1
    assert issued.revoked is True
    [row] = revocations(app)
    assert (row.outcome, row.token_cipher) == ("revoked", None) and row.done_at is not None
    clock.advance(days=1)
    assert run(app, settings, http, clock) == 0 and http.revoke_calls == 3


def test_a_token_past_its_own_expiry_is_not_sent_again(client, app, auth, settings, clock):
    http = unlink_while_down(client, app, auth)
    [issued] = issued_tokens(app)
    clock.now = issued.expires_at + dt.timedelta(seconds=1)
    assert run(app, settings, http, clock) == 0
    [row] = revocations(app)
    assert (row.outcome, row.token_cipher) == ("expired", None)
    assert http.revoke_calls == 1  # the unlink's own attempt only


def test_workers_running_at_once_call_the_provider_once(client, app, auth, settings, clock):
    http = unlink_while_down(client, app, auth)
    http.down = False
    clock.advance(minutes=1)
    with ThreadPoolExecutor(max_workers=4) as pool:
        tried = list(pool.map(lambda _: run(app, settings, http, clock), range(4)))
    assert sum(tried) == 1 and http.revoke_calls == 2
    assert issued_tokens(app)[0].revoked is True


def test_the_background_jobs_retry_revocations(client, app, auth, settings, clock):
    from server.auth.sms import OutboxSms
    from server.notifications.jobs import Jobs

    http = unlink_while_down(client, app, auth)
    http.down = False
    clock.advance(minutes=1)
    Jobs(settings, app.state.session_factory, clock, OutboxSms(settings.sms_outbox), http=http).run_once()
    assert issued_tokens(app)[0].revoked is True


def test_a_late_consent_whose_revocation_fails_is_queued_too(client, app, auth, settings, clock):
    from tests.server.linking_helpers import decide, start_link
    link = start_link(client, auth).json()
    clock.advance(seconds=settings.link_request_ttl_seconds + 1)
    assert client.get(f"/accounts/links/{link['id']}", headers=auth).json()["state"] == "expired"
    http = app.state.http = RevokeDown(app.state.http)
    assert decide(client, link).status_code == 200  # the owner approved at the provider too late
    [issued] = issued_tokens(app)
    [row] = revocations(app)
    assert issued.revoked is False and row.done_at is None and issued.token not in row.token_cipher
    http.down = False
    clock.advance(minutes=1)
    assert run(app, settings, http, clock) == 1 and issued.revoked is True


def second_unlink_while_down(client, app, auth, http) -> None:
    from tests.server.linking_helpers import WALLET_PHONE
    app.state.http = http.inner
    source = link_account(client, auth, kind="wallet", provider="zalopay", number=WALLET_PHONE)
    app.state.http = http
    assert client.delete(f"/accounts/{source['id']}", headers=auth).status_code == 204


def test_a_run_stops_at_the_first_failure_so_a_down_provider_holds_nothing_up(client, app, auth, settings, clock):
    http = unlink_while_down(client, app, auth)
    second_unlink_while_down(client, app, auth, http)
    assert len(revocations(app)) == 2 and http.revoke_calls == 2
    clock.advance(minutes=1)
    assert run(app, settings, http, clock) == 1 and http.revoke_calls == 3  # one call, then it waits
    http.down = False
    clock.advance(minutes=2)
    assert run(app, settings, http, clock) == 2
    assert all(t.revoked for t in issued_tokens(app))


class SlowClock:
    """Each reading is a minute later: calls to a slow provider take time."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        self.now += dt.timedelta(minutes=1)
        return self.now


def test_a_run_ends_before_its_claims_outlive_their_lease(client, app, auth, settings, clock):
    http = unlink_while_down(client, app, auth)
    second_unlink_while_down(client, app, auth, http)
    http.down = False
    slow = SlowClock(clock() + dt.timedelta(minutes=1))
    assert run(app, settings, http, slow) == 2
    rows = [
        TokenRevocation(id=f"extra-{n}", token_ref=None, token_cipher="not-a-token", created_at=clock(),
                        next_attempt_at=clock()) for n in range(5)]
    with app.state.session_factory() as db:
        db.add_all(rows)
        db.commit()
    slow = SlowClock(clock())
    run(app, settings, http, slow)  # each row read a minute later: it stops after half the 5-minute lease
    left = [r for r in revocations(app) if r.id.startswith("extra-") and r.done_at is None]
    assert 1 <= len(left) < 5


def test_a_token_the_provider_refuses_for_a_month_is_given_up_loudly(client, app, auth, settings, clock, caplog):
    http = unlink_while_down(client, app, auth)
    clock.advance(days=30, minutes=1)
    assert run(app, settings, http, clock) == 1
    [row] = revocations(app)
    assert (row.outcome, row.token_cipher) == ("abandoned", None)
    assert any(r.levelname == "ERROR" and "revoke it by hand" in r.getMessage() for r in caplog.records)
