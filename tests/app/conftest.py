"""App tests talk to the real server app in-process (httpx ASGI transport) over a real SQLite database."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
import pytest_asyncio
from fastapi.testclient import TestClient

from app.data.api import ApiClient
from app.data.auth import AuthRepository
from app.data.bills import BillsRepository
from app.data.storage import MemorySettingsStore, MemoryTokenStore
from server.auth.sms import read_outbox
from server.config import Settings
from server.db import session_scope
from server.main import create_app
from server.migrate import upgrade
from server.seed import seed_demo
from tests.app.flet_harness import Harness

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc)


class SwitchableTransport(httpx.AsyncBaseTransport):
    """Routes to the real app, or fails like a dropped network when `online` is False."""

    def __init__(self, app):
        self.inner, self.online = httpx.ASGITransport(app=app), True
        self.requests: list[str] = []  # "GET /payments/…", to see what the app asked and when
        self.keys: list[str] = []  # Idempotency-Key of each POST that reached the server
        self.lose_answers = 0  # the next N requests reach the server but their answers are lost

    async def handle_async_request(self, request):
        if not self.online:
            raise httpx.ConnectError("network unreachable", request=request)
        self.requests.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            self.keys.append(request.headers.get("Idempotency-Key", ""))
        response = await self.inner.handle_async_request(request)
        if self.lose_answers:
            self.lose_answers -= 1
            await response.aread()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'app-test.db'}"
    upgrade(url)
    settings = Settings(database_url=url, sms_outbox=tmp_path / "outbox.jsonl", otp_secret="t",
                        public_base_url="http://testserver")
    application = create_app(settings, clock=lambda: NOW)
    # Outbound provider calls (MoMo create, sandbox callbacks) go over HTTP into this same app.
    application.state.http = TestClient(application)
    for db in session_scope(application.state.session_factory):
        seed_demo(db, NOW)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def transport(server):
    return SwitchableTransport(server)


def latest_code(server, phone="+84912345678") -> str:
    msgs = [m for m in read_outbox(server.state.settings.sms_outbox) if m["to"] == phone]
    return msgs[-1]["text"].split(":")[1].split(".")[0].strip()


@pytest_asyncio.fixture
async def tokens():
    return MemoryTokenStore()


@pytest_asyncio.fixture
async def api(transport, tokens):
    client = ApiClient("http://testserver", tokens.read, transport=transport, backoff=0)
    yield client
    await client.aclose()


@pytest.fixture
def auth_repo(api, tokens):
    return AuthRepository(api, tokens)


@pytest.fixture
def bills_repo(api):
    return BillsRepository(api, clock=lambda: dt.datetime(2026, 11, 22, 10, 32))


def polling_every(seconds: float):
    """The live notifications source for headless tests: httpx's in-process transport cannot stream an
    endless answer (server-sent events), so the app polls, as it does when the stream fails."""
    from app.data.notifications import PollingUpdates
    return lambda _api, repository: PollingUpdates(repository, interval=seconds)


QUIET = polling_every(3600)  # screens' tests: one look at sign-in, then no more background questions


async def app_session(transport, *, live=QUIET, **kwargs) -> Harness:
    from app.main import start
    h = Harness()
    # A device where the first-launch question (guided mode) was answered "no"; tests of it pass their own.
    h.tokens = MemoryTokenStore()
    h.settings = kwargs.pop("settings", None) or MemorySettingsStore({"dongphi.guided_mode": "off"})
    h.services = await start(h.page, tokens=h.tokens, settings=h.settings, api_base_url="http://testserver",
                             transport=transport, live=live, **kwargs)
    h.services.poll_interval = 0.05  # follow payments quickly; the real app asks every 2 s
    await h.settle()
    return h


def close_session(h: Harness) -> None:
    h.services.notifications.stop()
    h.close()


@pytest_asyncio.fixture
async def ui(transport):
    """A headless app session wired to the real server."""
    h = await app_session(transport)
    yield h
    close_session(h)
