"""App security over HTTP on a real database: PIN, lock rounds, reset by SMS code, step-up
confirmations, biometric keys, idle sessions and signed-in devices."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from server.auth import confirmations
from server.auth.models import AuthSession, User
from server.db import session_scope
from server.errors import ApiError
from tests.server.conftest import last_code, sign_in

PIN = "482915"
NEW_PIN = "730264"


def err(r) -> str:
    return r.json()["error"]["code"]


def set_pin(client, auth, pin=PIN, current=None):
    return client.put("/auth/pin", json={"pin": pin, "current_pin": current}, headers=auth)


def verify(client, auth, pin=PIN):
    return client.post("/auth/pin/verify", json={"pin": pin}, headers=auth)


def confirmation(client, auth, pin=PIN) -> str:
    r = verify(client, auth, pin)
    assert r.status_code == 200, r.text
    return r.json()["confirmation"]


def db_session(app):
    return session_scope(app.state.session_factory)


def session_id(app, user_phone="+84912345678") -> str:
    for db in db_session(app):
        user = db.scalars(select(User).where(User.phone == user_phone)).one()
        rows = db.scalars(select(AuthSession).where(AuthSession.user_id == user.id)
                          .order_by(AuthSession.created_at)).all()
        return rows[-1].id


# --- Setting and changing the PIN -------------------------------------------------------------

def test_me_says_whether_a_pin_is_set(client, auth):
    assert client.get("/auth/me", headers=auth).json()["has_pin"] is False
    assert set_pin(client, auth).status_code == 204
    assert client.get("/auth/me", headers=auth).json()["has_pin"] is True


@pytest.mark.parametrize("bad,code", [("12345", "pin_format"), ("1234567", "pin_format"), ("12a456", "pin_format"),
                                      ("", "pin_format"), ("123456", "pin_too_simple"),
                                      ("111111", "pin_too_simple"), ("121212", "pin_too_simple")])
def test_weak_or_malformed_pins_are_refused(client, auth, bad, code):
    r = set_pin(client, auth, bad)
    assert r.status_code == 422 and err(r) == code
    assert client.get("/auth/me", headers=auth).json()["has_pin"] is False


def test_changing_the_pin_needs_the_current_one(client, auth):
    assert set_pin(client, auth).status_code == 204
    r = set_pin(client, auth, NEW_PIN)
    assert r.status_code == 400 and err(r) == "pin_current_required"
    r = set_pin(client, auth, NEW_PIN, current="999888")
    assert r.status_code == 403 and err(r) == "pin_wrong" and r.json()["error"]["details"]["attempts_left"] == 4
    r = set_pin(client, auth, "123456", current=PIN)  # a weak new PIN is refused before the try counts
    assert r.status_code == 422 and err(r) == "pin_too_simple"
    assert set_pin(client, auth, NEW_PIN, current=PIN).status_code == 204
    assert verify(client, auth, PIN).status_code == 403
    assert verify(client, auth, NEW_PIN).status_code == 200


def test_verify_without_a_pin_is_a_conflict(client, auth):
    r = verify(client, auth, PIN)
    assert r.status_code == 409 and err(r) == "pin_not_set"


def test_right_pin_gives_a_short_lived_confirmation(client, auth, clock, settings):
    set_pin(client, auth)
    r = verify(client, auth)
    assert r.status_code == 200
    body = r.json()
    assert len(body["confirmation"]) >= 32
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert expires == clock() + dt.timedelta(seconds=settings.confirmation_ttl_seconds)


def test_pin_is_stored_only_as_an_argon2id_hash_and_never_returned(client, app, auth):
    bodies = [set_pin(client, auth).text, verify(client, auth).text, verify(client, auth, "999888").text,
              client.get("/auth/me", headers=auth).text, client.get("/auth/sessions", headers=auth).text]
    for db in db_session(app):
        stored = db.scalars(select(User.pin_hash).where(User.phone == "+84912345678")).one()
    assert stored.startswith("$argon2id$") and PIN not in stored
    for text in bodies:
        assert stored not in text and "argon2" not in text and PIN not in text


# --- Wrong tries, lock rounds, reset ----------------------------------------------------------

def wrong_round(client, auth, n=5):
    return [verify(client, auth, "999888") for _ in range(n)]


def test_wrong_tries_count_down_then_lock(client, auth, clock):
    set_pin(client, auth)
    rs = wrong_round(client, auth)
    assert [r.json()["error"].get("details", {}).get("attempts_left") for r in rs[:4]] == [4, 3, 2, 1]
    assert [err(r) for r in rs] == ["pin_wrong"] * 4 + ["pin_locked"]
    assert rs[4].status_code == 423
    assert rs[4].json()["error"]["details"]["retry_after"] == 60 and rs[4].headers["Retry-After"] == "60"
    # Even the right PIN is refused while locked, and such a try is not counted.
    clock.advance(seconds=20)
    r = verify(client, auth)
    assert r.status_code == 423 and err(r) == "pin_locked" and r.json()["error"]["details"]["retry_after"] == 40
    clock.advance(seconds=41)
    r = verify(client, auth, "999888")
    assert r.status_code == 403 and r.json()["error"]["details"]["attempts_left"] == 4
    assert verify(client, auth).status_code == 200  # a right PIN clears tries and level
    rs = wrong_round(client, auth)
    assert rs[-1].json()["error"]["details"]["retry_after"] == 60


def test_lock_rounds_grow_then_a_reset_is_required(client, auth, clock, settings):
    settings.session_idle_seconds = 2 * 24 * 3600  # the device comes back a day later
    set_pin(client, auth)
    for delay in (60, 300, 900):
        r = wrong_round(client, auth)[-1]
        assert r.status_code == 423 and r.json()["error"]["details"]["retry_after"] == delay
        clock.advance(seconds=delay)
    r = wrong_round(client, auth)[-1]
    assert r.status_code == 423 and err(r) == "pin_reset_required"
    clock.advance(days=1)
    r = verify(client, auth)  # even the right PIN, a day later
    assert r.status_code == 423 and err(r) == "pin_reset_required"
    r = set_pin(client, auth, NEW_PIN, current=PIN)
    assert r.status_code == 423 and err(r) == "pin_reset_required"


def request_code(client, settings, clock) -> str:
    clock.advance(seconds=61)  # past the resend pause of the sign-in code
    assert client.post("/auth/code", json={"phone": "0912345678"}).status_code == 200
    return last_code(settings)


def test_reset_with_the_sms_code_sets_a_new_pin(client, auth, clock, settings):
    settings.session_idle_seconds = 24 * 3600
    set_pin(client, auth)
    for delay in (60, 300, 900):
        wrong_round(client, auth)
        clock.advance(seconds=delay)
    wrong_round(client, auth)
    code = request_code(client, settings, clock)
    r = client.post("/auth/pin/reset", json={"code": code, "pin": "123456"}, headers=auth)
    assert r.status_code == 422 and err(r) == "pin_too_simple"  # refused before the code is spent
    assert client.post("/auth/pin/reset", json={"code": code, "pin": NEW_PIN}, headers=auth).status_code == 204
    assert verify(client, auth, NEW_PIN).status_code == 200
    assert verify(client, auth, PIN).status_code == 403
    # The code was used up.
    r = client.post("/auth/pin/reset", json={"code": code, "pin": "555123"}, headers=auth)
    assert r.status_code == 400 and err(r) == "otp_not_requested"


def test_reset_with_a_wrong_code_leaves_the_pin(client, auth, clock, settings):
    set_pin(client, auth)
    code = request_code(client, settings, clock)
    wrong = "000000" if code != "000000" else "111111"
    r = client.post("/auth/pin/reset", json={"code": wrong, "pin": NEW_PIN}, headers=auth)
    assert r.status_code == 400 and err(r) == "otp_wrong" and r.json()["error"]["details"]["attempts_left"] == 4
    assert verify(client, auth, NEW_PIN).status_code == 403
    assert verify(client, auth, PIN).status_code == 200


def test_reset_code_is_the_one_sent_to_the_users_own_phone(client, auth, clock, settings):
    set_pin(client, auth)
    clock.advance(seconds=61)
    client.post("/auth/code", json={"phone": "0987654321"})  # someone else's number
    other_code = last_code(settings, "0987654321")
    r = client.post("/auth/pin/reset", json={"code": other_code, "pin": NEW_PIN}, headers=auth)
    assert r.status_code == 400 and err(r) == "otp_not_requested"
    assert verify(client, auth, PIN).status_code == 200


# --- Confirmations ----------------------------------------------------------------------------

def test_consume_a_confirmation_once(client, app, auth, clock):
    set_pin(client, auth)
    token = confirmation(client, auth)
    sid = session_id(app)
    for db in db_session(app):
        with pytest.raises(ApiError) as e:
            confirmations.consume(db, sid, None, clock())
        assert e.value.status == 403 and e.value.code == "confirmation_required"
        with pytest.raises(ApiError) as e:
            confirmations.consume(db, sid, "", clock())
        assert e.value.code == "confirmation_required"
        with pytest.raises(ApiError) as e:
            confirmations.consume(db, sid, "made-up", clock())
        assert e.value.code == "confirmation_invalid"
        confirmations.consume(db, sid, token, clock())
    for db in db_session(app):
        with pytest.raises(ApiError) as e:
            confirmations.consume(db, sid, token, clock())
        assert e.value.status == 403 and e.value.code == "confirmation_invalid"


def test_a_confirmation_expires(client, app, auth, clock, settings):
    set_pin(client, auth)
    token = confirmation(client, auth)
    sid = session_id(app)
    clock.advance(seconds=settings.confirmation_ttl_seconds)
    for db in db_session(app):
        with pytest.raises(ApiError) as e:
            confirmations.consume(db, sid, token, clock())
        assert e.value.code == "confirmation_invalid"
    token = confirmation(client, auth)
    clock.advance(seconds=settings.confirmation_ttl_seconds - 1)
    for db in db_session(app):
        confirmations.consume(db, sid, token, clock())


def test_another_sessions_confirmation_is_refused(client, app, settings, demo, clock):
    first = sign_in(client, settings)
    first_id = session_id(app)
    clock.advance(seconds=61)
    second = sign_in(client, settings)
    set_pin(client, first)
    token = confirmation(client, second)
    for db in db_session(app):
        with pytest.raises(ApiError) as e:
            confirmations.consume(db, first_id, token, clock())
        assert e.value.code == "confirmation_invalid"
    # Nor can the first device enrol biometrics with the second device's confirmation.
    r = client.post("/auth/biometric-key", json={"confirmation": token}, headers=first)
    assert r.status_code == 403 and err(r) == "confirmation_invalid"


# --- Biometrics -------------------------------------------------------------------------------

def test_biometric_key_enable_verify_disable(client, app, auth):
    set_pin(client, auth)
    r = client.post("/auth/biometric-key", json={"confirmation": confirmation(client, auth)}, headers=auth)
    assert r.status_code == 201
    key = r.json()["key"]
    assert len(key) >= 32
    for db in db_session(app):
        stored = db.get(AuthSession, session_id(app)).biometric_key_hash
    assert stored and key not in stored and len(stored) == 64
    r = client.post("/auth/biometric/verify", json={"key": key}, headers=auth)
    assert r.status_code == 200 and r.json()["confirmation"] and r.json()["expires_at"]
    for db in db_session(app):
        confirmations.consume(db, session_id(app), r.json()["confirmation"], app.state.clock())
    r = client.post("/auth/biometric/verify", json={"key": key + "x"}, headers=auth)
    assert r.status_code == 403 and err(r) == "biometric_key_invalid"
    assert client.delete("/auth/biometric-key", headers=auth).status_code == 204
    r = client.post("/auth/biometric/verify", json={"key": key}, headers=auth)
    assert r.status_code == 403 and err(r) == "biometric_key_invalid"


def test_enabling_biometrics_needs_a_fresh_confirmation(client, auth):
    set_pin(client, auth)
    r = client.post("/auth/biometric-key", json={"confirmation": "guess"}, headers=auth)
    assert r.status_code == 403 and err(r) == "confirmation_invalid"
    token = confirmation(client, auth)
    first = client.post("/auth/biometric-key", json={"confirmation": token}, headers=auth)
    assert first.status_code == 201
    r = client.post("/auth/biometric-key", json={"confirmation": token}, headers=auth)  # already used
    assert r.status_code == 403 and err(r) == "confirmation_invalid"
    # A new key replaces the old one.
    second = client.post("/auth/biometric-key", json={"confirmation": confirmation(client, auth)}, headers=auth)
    assert client.post("/auth/biometric/verify", json={"key": first.json()["key"]}, headers=auth).status_code == 403
    assert client.post("/auth/biometric/verify", json={"key": second.json()["key"]}, headers=auth).status_code == 200


def test_a_biometric_key_belongs_to_its_session(client, settings, demo, clock):
    first = sign_in(client, settings)
    clock.advance(seconds=61)
    second = sign_in(client, settings)
    set_pin(client, first)
    key = client.post("/auth/biometric-key", json={"confirmation": confirmation(client, first)},
                      headers=first).json()["key"]
    r = client.post("/auth/biometric/verify", json={"key": key}, headers=second)
    assert r.status_code == 403 and err(r) == "biometric_key_invalid"


def test_biometrics_are_blocked_while_the_pin_is_locked(client, auth, clock):
    set_pin(client, auth)
    key = client.post("/auth/biometric-key", json={"confirmation": confirmation(client, auth)},
                      headers=auth).json()["key"]
    wrong_round(client, auth)
    r = client.post("/auth/biometric/verify", json={"key": key}, headers=auth)
    assert r.status_code == 423 and err(r) == "pin_locked" and r.headers["Retry-After"] == "60"
    for delay in (60, 300, 900):
        clock.advance(seconds=delay)
        wrong_round(client, auth)
    r = client.post("/auth/biometric/verify", json={"key": key}, headers=auth)
    assert r.status_code == 423 and err(r) == "pin_reset_required"


# --- Sessions ---------------------------------------------------------------------------------

def test_an_idle_session_ends(client, auth, clock, settings):
    clock.advance(seconds=settings.session_idle_seconds + 1)
    r = client.get("/auth/me", headers=auth)
    assert r.status_code == 401 and err(r) == "session_idle"
    # It stays ended, even if the device comes straight back.
    r = client.get("/auth/me", headers=auth)
    assert r.status_code == 401 and err(r) == "unauthorized"


def test_use_within_the_idle_time_keeps_the_session(client, app, auth, clock, settings):
    for _ in range(4):  # two hours in all, never idle for half an hour
        clock.advance(seconds=settings.session_idle_seconds)
        assert client.get("/auth/me", headers=auth).status_code == 200
    for db in db_session(app):
        last_used = db.get(AuthSession, session_id(app)).last_used_at
    assert last_used.replace(tzinfo=dt.timezone.utc) == clock()


def test_sessions_list_marks_the_current_device(client, settings, demo, clock):
    client.post("/auth/code", json={"phone": "0912345678"})
    phone_token = client.post("/auth/session", json={"phone": "0912345678", "code": last_code(settings),
                                                     "device_name": "iPhone của Lan"}).json()["token"]
    phone = {"Authorization": f"Bearer {phone_token}"}
    clock.advance(seconds=61)
    client.post("/auth/code", json={"phone": "0912345678"})
    tablet_token = client.post("/auth/session", json={"phone": "0912345678", "code": last_code(settings),
                                                      "device_name": "Máy tính bảng"}).json()["token"]
    tablet = {"Authorization": f"Bearer {tablet_token}"}
    clock.advance(seconds=30)
    other = sign_in(client, settings, "0987654321")  # another family's session is never listed
    clock.advance(seconds=30)
    body = client.get("/auth/sessions", headers=phone).json()
    assert [(s["device_name"], s["current"]) for s in body["sessions"]] == [
        ("iPhone của Lan", True), ("Máy tính bảng", False)]
    assert set(body["sessions"][0]) == {"id", "device_name", "created_at", "last_used_at", "current"}
    assert dt.datetime.fromisoformat(body["sessions"][0]["last_used_at"]) == clock()
    # Signed out, idle and expired sessions are not listed.
    client.delete("/auth/session", headers=tablet)
    assert [s["device_name"] for s in client.get("/auth/sessions", headers=phone).json()["sessions"]] == [
        "iPhone của Lan"]
    assert client.get("/auth/sessions", headers=other).json()["sessions"][0]["current"] is True


def test_an_idle_device_drops_out_of_the_list(client, settings, demo, clock):
    first = sign_in(client, settings)
    clock.advance(seconds=61)
    second = sign_in(client, settings)
    clock.advance(seconds=settings.session_idle_seconds)
    assert len(client.get("/auth/sessions", headers=second).json()["sessions"]) == 1
    assert client.get("/auth/me", headers=first).status_code == 401


def test_sign_out_another_device(client, settings, demo, clock):
    first = sign_in(client, settings)
    clock.advance(seconds=61)
    second = sign_in(client, settings)
    other = sign_in(client, settings, "0987654321")
    sessions = client.get("/auth/sessions", headers=second).json()["sessions"]
    first_id = next(s["id"] for s in sessions if not s["current"])
    other_id = client.get("/auth/sessions", headers=other).json()["sessions"][0]["id"]
    r = client.delete(f"/auth/sessions/{other_id}", headers=second)  # not this user's
    assert r.status_code == 404 and err(r) == "session_not_found"
    assert client.get("/auth/me", headers=other).status_code == 200
    assert client.delete(f"/auth/sessions/{first_id}", headers=second).status_code == 204
    r = client.get("/auth/me", headers=first)
    assert r.status_code == 401 and err(r) == "unauthorized"
    r = client.delete(f"/auth/sessions/{first_id}", headers=second)  # already ended
    assert r.status_code == 404 and err(r) == "session_not_found"
    assert client.delete("/auth/sessions/no-such-id", headers=second).status_code == 404
    assert client.get("/auth/me", headers=second).status_code == 200


def test_signing_in_returns_has_pin(client, settings, demo, clock):
    auth = sign_in(client, settings)
    set_pin(client, auth)
    clock.advance(seconds=61)
    client.post("/auth/code", json={"phone": "0912345678"})
    r = client.post("/auth/session", json={"phone": "0912345678", "code": last_code(settings)})
    assert r.json()["user"]["has_pin"] is True


# --- Concurrency ------------------------------------------------------------------------------

def test_concurrent_wrong_pins_cannot_slip_past_the_limit(client, app, settings, demo, clock, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("real row locks: PostgreSQL only (SQLite runs one writer at a time)")
    from concurrent.futures import ThreadPoolExecutor

    settings.otp_max_per_hour = 20
    devices = []  # one session each, so only the user row's lock stands between the tries
    for _ in range(8):
        devices.append(sign_in(client, settings))
        clock.advance(seconds=61)
    set_pin(client, devices[0])
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda headers: verify(client, headers, "999888"), devices))
    codes = sorted(err(r) for r in results)
    assert codes == ["pin_locked"] * 4 + ["pin_wrong"] * 4, codes
    left = sorted(r.json()["error"]["details"]["attempts_left"] for r in results if err(r) == "pin_wrong")
    assert left == [1, 2, 3, 4]
    for db in db_session(app):
        user = db.scalars(select(User).where(User.phone == "+84912345678")).one()
        assert user.pin_lock_level == 1 and user.pin_failed_attempts == 0
