"""Server tests over HTTP against a real database: SQLite, or PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

import server.models  # noqa: F401
from domain.phone import normalize_phone
from server.auth.sms import read_outbox
from server.config import Settings
from server.db import Base, make_engine, session_scope
from server.main import create_app
from server.migrate import upgrade
from server.seed import DEMO_PHONE, seed_demo


class FixedClock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """Every server test runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set (CI)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = os.environ.get("TEST_DATABASE_URL", "")
        if not url:
            pytest.skip("PostgreSQL run: set TEST_DATABASE_URL (CI does)")
    engine = make_engine(url)
    with engine.begin() as conn:  # start from nothing, then build the schema with the real migrations
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    upgrade(url)
    return url


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(database_url=database_url, sms_outbox=tmp_path / "outbox.jsonl",
                    otp_secret="test-secret", public_base_url="http://testserver")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc))  # 10:00 in Hà Nội


@pytest.fixture
def app(settings, clock):
    application = create_app(settings, clock=clock)
    # Outbound provider calls and sandbox callbacks go over HTTP into this same app (no network).
    application.state.http = TestClient(application)
    with application.state.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> TestClient:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def demo(app, clock):
    for db in session_scope(app.state.session_factory):
        seed_demo(db, clock())


def last_code(settings: Settings, phone: str = DEMO_PHONE) -> str:
    phone = normalize_phone(phone)
    messages = [m for m in read_outbox(settings.sms_outbox) if m["to"] == phone]
    assert messages, f"no SMS sent to {phone}"
    return messages[-1]["text"].split(":")[1].split(".")[0].strip()


def sign_in(client: TestClient, settings: Settings, phone: str = DEMO_PHONE) -> dict:
    r = client.post("/auth/code", json={"phone": phone})
    assert r.status_code == 200, r.text
    r = client.post("/auth/session", json={"phone": phone, "code": last_code(settings, phone)})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


@pytest.fixture
def auth(client, settings, demo) -> dict:
    return sign_in(client, settings)

