from __future__ import annotations

import pytest

from server.auth.sms import read_outbox
from tests.server.conftest import last_code, sign_in


@pytest.mark.parametrize("form", ["0912 345 678", "+84912345678", "84912345678", "0912.345.678"])
def test_every_common_phone_form_reaches_the_same_account(client, settings, demo, form):
    r = client.post("/auth/code", json={"phone": form})
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "+84912345678"
    r = client.post("/auth/session", json={"phone": form, "code": last_code(settings)})
    assert r.status_code == 200
    assert r.json()["user"]["full_name"] == "Nguyễn Thị Lan"


@pytest.mark.parametrize("bad", ["12345", "0212345678", "+1 650 555 0100", "09123456789", "abc"])
def test_invalid_numbers_get_a_specific_error_and_no_sms(client, settings, bad):
    r = client.post("/auth/code", json={"phone": bad})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_phone"
    assert read_outbox(settings.sms_outbox) == []


def test_code_sms_is_plain_text_without_links(client, settings, demo):
    client.post("/auth/code", json={"phone": "0912345678"})
    (msg,) = read_outbox(settings.sms_outbox)
    assert msg["to"] == "+84912345678"
    assert "http" not in msg["text"] and "www" not in msg["text"]
    assert len(last_code(settings)) == 6


def test_code_expires_after_five_minutes(client, settings, clock, demo):
    client.post("/auth/code", json={"phone": "0912345678"})
    code = last_code(settings)
    clock.advance(minutes=5, seconds=1)
    r = client.post("/auth/session", json={"phone": "0912345678", "code": code})
    assert r.status_code == 400 and r.json()["error"]["code"] == "otp_expired"


def test_five_wrong_tries_burn_the_code(client, settings, demo):
    client.post("/auth/code", json={"phone": "0912345678"})
    code = last_code(settings)
    wrong = "000000" if code != "000000" else "111111"
    codes, left = [], []
    for _ in range(5):
        r = client.post("/auth/session", json={"phone": "0912345678", "code": wrong})
        codes.append(r.json()["error"]["code"])
        left.append(r.json()["error"].get("details", {}).get("attempts_left"))
    assert left == [4, 3, 2, 1, None]
    assert codes == ["otp_wrong"] * 4 + ["otp_too_many_attempts"]
    r = client.post("/auth/session", json={"phone": "0912345678", "code": wrong})
    assert r.json()["error"]["code"] == "otp_not_requested"
    r = client.post("/auth/session", json={"phone": "0912345678", "code": code})
    assert r.status_code == 400 and r.json()["error"]["code"] == "otp_not_requested"


def test_resending_is_throttled(client, settings, clock, demo):
    assert client.post("/auth/code", json={"phone": "0912345678"}).status_code == 200
    r = client.post("/auth/code", json={"phone": "0912345678"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "otp_resend_too_soon"
    assert int(r.headers["Retry-After"]) > 0
    clock.advance(seconds=61)
    assert client.post("/auth/code", json={"phone": "0912345678"}).status_code == 200
    # The older code stops working once a new one is sent.
    codes = [m["text"] for m in read_outbox(settings.sms_outbox)]
    assert len(codes) == 2


def test_hourly_cap_on_codes(client, settings, clock, demo):
    for _ in range(settings.otp_max_per_hour):
        assert client.post("/auth/code", json={"phone": "0912345678"}).status_code == 200
        clock.advance(seconds=61)
    r = client.post("/auth/code", json={"phone": "0912345678"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "otp_too_many_requests"


def test_new_number_creates_an_account(client, settings):
    headers = sign_in(client, settings, "+84388123456")
    r = client.get("/auth/me", headers=headers)
    assert r.status_code == 200 and r.json()["phone"] == "+84388123456"


def test_token_is_stored_only_as_a_hash(client, settings, app, demo):
    headers = sign_in(client, settings)
    token = headers["Authorization"].split()[1]
    from sqlalchemy import select

    from server.auth.models import AuthSession
    with app.state.session_factory() as db:
        stored = db.scalars(select(AuthSession.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_sign_out_revokes_the_token(client, auth):
    assert client.get("/auth/me", headers=auth).status_code == 200
    assert client.delete("/auth/session", headers=auth).status_code == 204
    r = client.get("/auth/me", headers=auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_sessions_expire(client, auth, clock, settings):
    clock.advance(seconds=settings.session_ttl_seconds + 1)
    r = client.get("/bills/outstanding", headers=auth)
    assert r.status_code == 401 and r.json()["error"]["code"] == "session_expired"


@pytest.mark.parametrize("path", ["/auth/me", "/bills/outstanding", "/family", "/institutions", "/bills/x"])
def test_every_endpoint_except_sign_in_requires_a_token(client, demo, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer not-a-real-token"}).status_code == 401


def test_malformed_code_is_rejected_before_counting(client, settings, demo):
    client.post("/auth/code", json={"phone": "0912345678"})
    r = client.post("/auth/session", json={"phone": "0912345678", "code": "12ab"})
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "code"


def test_writes_are_committed_before_the_response_is_sent(app, settings, demo):
    """The app signs in and at once asks for bills: the session row must exist when the answer leaves."""
    import asyncio
    import json

    from sqlalchemy import func, select

    from server.auth.models import AuthSession
    from server.auth.sms import read_outbox

    def count_sessions() -> int:
        with app.state.session_factory() as db:
            return db.scalar(select(func.count()).select_from(AuthSession))

    async def call(path: str, body: dict) -> tuple[int, int | None]:
        raw = json.dumps(body).encode()
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "root_path": "", "headers": [(b"content-type", b"application/json"),
                                              (b"content-length", str(len(raw)).encode())],
                 "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
        seen: dict = {}
        sent = False

        async def receive():
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                seen["sessions"] = await asyncio.to_thread(count_sessions)  # what another request would see
        await app(scope, receive, send)
        return seen["status"], seen.get("sessions")

    async def scenario():
        assert (await call("/auth/code", {"phone": "0912345678"}))[0] == 200
        code = read_outbox(settings.sms_outbox)[-1]["text"].split(":")[1].split(".")[0].strip()
        status, sessions = await call("/auth/session", {"phone": "0912345678", "code": code})
        assert status == 200 and sessions == 1

    # A thread of its own: other fixtures (Playwright's sync API) may hold this thread's event loop.
    import threading
    errors: list[BaseException] = []

    def run():
        try:
            asyncio.run(scenario())
        except BaseException as exc:  # noqa: BLE001 - re-raised below in the test's thread
            errors.append(exc)
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    if errors:
        raise errors[0]


def test_signing_in_again_right_after_signing_out_gets_a_new_code(client, settings, demo):
    headers = sign_in(client, settings)
    assert client.delete("/auth/session", headers=headers).status_code in (200, 204)
    r = client.post("/auth/code", json={"phone": "0912345678"})
    assert r.status_code == 200, r.text  # the used code does not hold the next sign-in back
