"""The FCM push adapter against the FCM stand-in, over real HTTP (uvicorn in a thread, no internet)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from server.notifications.fcm import GRANT_TYPE, SCOPE, FcmConfig, FcmPush, PushResult, make_assertion
from server.sandbox.fcm import FCM_ERROR_TYPE, FcmStandIn

PROJECT = "dong-phi-test"
EMAIL = f"firebase-adminsdk-test@{PROJECT}.iam.gserviceaccount.com"
DEVICE = "fcm-device-token-123"


class Clock:
    """One clock for the adapter and the stand-in, moved by hand."""

    def __init__(self):
        self.now = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += dt.timedelta(**kwargs)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def clock() -> Clock:
    return Clock()


class _Serving:
    """The ASGI app uvicorn serves: forwards to the current test's stand-in, so one server lasts the module."""

    def __init__(self):
        self.standin: FcmStandIn | None = None

    async def __call__(self, scope, receive, send):
        await self.standin.app(scope, receive, send)


@pytest.fixture(scope="module")
def serving():
    """A real uvicorn on a free 127.0.0.1 port, in a background thread."""
    app = _Serving()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "stand-in did not start"
        time.sleep(0.01)
    yield app, f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def standin(clock, key, serving) -> FcmStandIn:
    s = FcmStandIn(clock=clock)
    s.add_service_account(EMAIL, key.public_key(), PROJECT)
    serving[0].standin = s
    return s


@pytest.fixture
def base_url(standin, serving) -> str:
    return serving[1]


@pytest.fixture
def account(base_url, key) -> dict:
    """A service-account JSON as Firebase's console hands it out, pointing at the stand-in's token endpoint."""
    return {"type": "service_account", "project_id": PROJECT, "private_key_id": "0123abcd", "private_key": _pem(key),
            "client_email": EMAIL, "client_id": "1234567890", "token_uri": f"{base_url}/token"}


@pytest.fixture
def config(account, base_url) -> FcmConfig:
    return FcmConfig.from_dict(account, api_base=base_url)


@pytest.fixture
def http():
    with httpx.Client(timeout=5) as c:
        yield c


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def push(config, http, sleeps, clock) -> FcmPush:
    return FcmPush(config, http=http, sleep=sleeps.append, max_attempts=4, base_delay=0.5, clock=clock)


def test_sends_the_message_and_reuses_the_access_token(push, standin, sleeps):
    first = push.send(DEVICE, "Học phí tháng 12", "Đến hạn ngày 5/12: 1.250.000 ₫", {"bill_id": "42", "kind": "due"})
    second = push.send("another-device", "Đã thanh toán", "Cảm ơn", {})

    assert first.status == "sent" and first.message_id.startswith(f"projects/{PROJECT}/messages/")
    assert second.status == "sent" and second.message_id != first.message_id
    assert [m.name for m in standin.sent] == [first.message_id, second.message_id]
    assert standin.sent[0].message == {
        "token": DEVICE, "notification": {"title": "Học phí tháng 12", "body": "Đến hạn ngày 5/12: 1.250.000 ₫"},
        "data": {"bill_id": "42", "kind": "due"}, "android": {"priority": "high"},
        "apns": {"headers": {"apns-priority": "10"}}}
    assert standin.token_requests == 1 and len(standin.issued) == 1
    assert sleeps == []


def test_the_config_is_read_from_a_service_account_file(tmp_path, account, base_url):
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(account), encoding="utf-8")
    config = FcmConfig.from_service_account_file(path, api_base=base_url + "/")
    assert (config.project_id, config.client_email, config.token_uri) == (PROJECT, EMAIL, account["token_uri"])
    assert config.api_base == base_url
    assert FcmConfig.from_dict(account).api_base == "https://fcm.googleapis.com"
    assert "PRIVATE KEY" not in repr(config)
    with pytest.raises(ValueError):
        FcmConfig.from_dict({**account, "private_key": "not a key"})
    with pytest.raises(ValueError):
        FcmConfig.from_dict({**account, "client_email": ""})


def test_the_access_token_is_refreshed_a_minute_before_it_expires(push, standin, clock):
    assert push.send(DEVICE, "t", "b", {}).status == "sent"
    clock.advance(seconds=standin.token_lifetime - 61)
    assert push.send(DEVICE, "t", "b", {}).status == "sent"
    assert standin.token_requests == 1
    clock.advance(seconds=2)  # now within 60 s of expiry: fetch a new one before sending
    assert push.send(DEVICE, "t", "b", {}).status == "sent"
    assert standin.token_requests == 2 and len(standin.sent) == 3
    assert standin.send_requests == 3  # no request went out with the old token


@pytest.mark.parametrize("kill", ["revoke", "expire"])
def test_a_401_fetches_a_fresh_token_and_retries_once(push, standin, sleeps, kill):
    assert push.send(DEVICE, "t", "b", {}).status == "sent"
    standin.revoke() if kill == "revoke" else standin.expire_tokens()

    result = push.send(DEVICE, "t", "b", {"n": "2"})

    assert result.status == "sent"
    assert standin.token_requests == 2 and standin.send_requests == 3 and len(standin.sent) == 2
    assert sleeps == []


def test_a_401_that_outlives_a_fresh_token_is_retried_later_not_looped(push, standin, sleeps):
    standin.fail_next(401, times=5)
    result = push.send(DEVICE, "t", "b", {})
    assert result.status == "retry_later" and "401" in result.error
    assert standin.send_requests == 2 and standin.token_requests == 2 and standin.sent == []
    assert sleeps == []


def test_429_with_retry_after_waits_as_told_then_sends(push, standin, sleeps):
    standin.fail_next(429, times=2, retry_after=7)
    result = push.send(DEVICE, "t", "b", {})
    assert result.status == "sent" and len(standin.sent) == 1
    assert sleeps == [7.0, 7.0]
    assert standin.send_requests == 3 and standin.token_requests == 1


def test_503_backs_off_exponentially_then_gives_up_as_retry_later(config, http, standin, clock):
    sleeps: list[float] = []
    push = FcmPush(config, http=http, sleep=sleeps.append, max_attempts=4, base_delay=0.5, clock=clock)
    standin.fail_next(503, times=10)

    result = push.send(DEVICE, "t", "b", {})

    assert result == PushResult("retry_later", None, result.error)
    assert "503" in result.error and "UNAVAILABLE" in result.error
    assert sleeps == [0.5, 1.0, 2.0]  # no sleep after the last attempt
    assert standin.send_requests == 4 and standin.sent == []


def test_503_then_success_within_the_attempts(push, standin, sleeps):
    standin.fail_next(503, times=1)
    standin.fail_next(500, times=1)
    assert push.send(DEVICE, "t", "b", {}).status == "sent"
    assert sleeps == [0.5, 1.0]


def test_a_retry_after_too_long_to_wait_for_is_handed_to_the_caller(push, standin, sleeps):
    standin.fail_next(429, times=1, retry_after=3600)
    result = push.send(DEVICE, "t", "b", {})
    assert (result.status, result.retry_after) == ("retry_later", 3600.0)
    assert sleeps == [] and standin.send_requests == 1


def test_an_unregistered_device_token_is_reported_for_deletion(push, standin):
    standin.mark_unregistered(DEVICE)
    result = push.send(DEVICE, "t", "b", {})
    assert result.status == "unregistered" and "UNREGISTERED" in result.error
    assert standin.sent == [] and standin.send_requests == 1


def test_the_stand_in_answers_unregistered_with_the_real_fcm_error_body(base_url, config, standin):
    standin.mark_unregistered(DEVICE)
    access = _access_token(config, standin)
    r = httpx.post(f"{base_url}/v1/projects/{PROJECT}/messages:send", headers={"Authorization": f"Bearer {access}"},
                   json={"message": {"token": DEVICE, "notification": {"title": "t", "body": "b"}}})
    assert r.status_code == 404
    assert r.json() == {"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND",
                                  "details": [{"@type": FCM_ERROR_TYPE, "errorCode": "UNREGISTERED"}]}}


def test_a_malformed_device_token_is_reported_for_deletion(push, standin):
    standin.mark_invalid("garbage")
    result = push.send("garbage", "t", "b", {})
    assert result.status == "unregistered" and "INVALID_ARGUMENT" in result.error


def test_other_client_errors_fail(config, http, standin, clock, sleeps):
    elsewhere = FcmConfig.from_dict({"project_id": "someone-else", "client_email": EMAIL,
                                     "private_key": config.private_key, "token_uri": config.token_uri},
                                    api_base=config.api_base)
    result = FcmPush(elsewhere, http=http, sleep=sleeps.append, clock=clock).send(DEVICE, "t", "b", {})
    assert result.status == "failed" and "403" in result.error and "PERMISSION_DENIED" in result.error
    assert sleeps == [] and standin.sent == []


def test_a_network_error_is_retried_later(config, http, clock, sleeps):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    cfg = FcmConfig(config.project_id, config.client_email, config.private_key, f"{dead}/token", dead)
    result = FcmPush(cfg, http=http, sleep=sleeps.append, max_attempts=1, clock=clock).send(DEVICE, "t", "b", {})
    assert result.status == "retry_later" and "ConnectError" in result.error


def test_a_token_endpoint_outage_is_backed_off_then_sends(push, standin, sleeps):
    standin.fail_next(503, times=1, retry_after=2, endpoint="token")
    assert push.send(DEVICE, "t", "b", {}).status == "sent"
    assert sleeps == [2.0] and standin.token_requests == 2


def _access_token(config: FcmConfig, standin: FcmStandIn) -> str:
    r = httpx.post(config.token_uri, data={"grant_type": GRANT_TYPE,
                                           "assertion": make_assertion(config, standin.clock().timestamp())})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == standin.token_lifetime
    return body["access_token"]


def _token(config: FcmConfig, assertion: str, grant_type: str = GRANT_TYPE) -> httpx.Response:
    return httpx.post(config.token_uri, data={"grant_type": grant_type, "assertion": assertion})


def test_the_token_endpoint_refuses_a_jwt_signed_with_another_key(config, other_key, clock, standin):
    forged = FcmConfig(config.project_id, config.client_email, _pem(other_key), config.token_uri, config.api_base)
    r = _token(config, make_assertion(forged, clock().timestamp()))
    assert r.status_code == 400
    assert r.json() == {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
    assert standin.issued == {}


def test_the_adapter_keeps_the_message_queued_when_its_credentials_are_refused(config, other_key, http, clock,
                                                                               standin, sleeps):
    forged = FcmConfig(config.project_id, config.client_email, _pem(other_key), config.token_uri, config.api_base)
    result = FcmPush(forged, http=http, sleep=sleeps.append, clock=clock).send(DEVICE, "t", "b", {})
    assert result.status == "retry_later" and "Invalid JWT Signature" in result.error
    assert standin.send_requests == 0 and standin.token_requests == 1 and sleeps == []


@pytest.mark.parametrize("change,error", [
    ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
    ({"iss": "stranger@example.iam.gserviceaccount.com"}, "invalid_grant"),
    ({"aud": "https://oauth2.googleapis.com/token"}, "invalid_grant"),
    ({"scope": "https://www.googleapis.com/auth/userinfo.email"}, "invalid_scope"),
    ({"iat_offset": -7200}, "invalid_grant"),  # expired an hour ago
    ({"lifetime": 7200}, "invalid_grant"),  # longer than Google allows
])
def test_the_token_endpoint_checks_the_claims(config, key, clock, change, error):
    iat = int(clock().timestamp()) + change.get("iat_offset", 0)
    claims = {"iss": change.get("iss", EMAIL), "scope": change.get("scope", SCOPE),
              "aud": change.get("aud", config.token_uri), "iat": iat, "exp": iat + change.get("lifetime", 3600)}
    signing_input = f"{_b64(json.dumps({'alg': 'RS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = _b64(key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()))
    r = _token(config, f"{signing_input}.{signature}", change.get("grant_type", GRANT_TYPE))
    assert r.status_code == 400 and r.json()["error"] == error
    assert _token(config, make_assertion(config, clock().timestamp())).status_code == 200  # the unchanged one passes


def test_the_stand_in_refuses_malformed_messages(base_url, config, standin):
    access = _access_token(config, standin)
    url = f"{base_url}/v1/projects/{PROJECT}/messages:send"
    r = httpx.post(url, headers={"Authorization": f"Bearer {access}"},
                   json={"message": {"token": DEVICE, "data": {"amount": 1250000}}})
    assert r.status_code == 400 and r.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "message.data[0].value" in r.text
    r = httpx.post(url, json={"message": {"token": DEVICE}})
    assert r.status_code == 401 and r.json()["error"]["status"] == "UNAUTHENTICATED"
    assert standin.sent == []


@pytest.mark.parametrize("data", [{"amount": 1250000}, {"paid": True}, {"note": None}, {1: "x"}, {"from": "x"},
                                  {"google.foo": "x"}])
def test_data_must_map_strings_to_strings_and_nothing_is_sent_otherwise(push, standin, data):
    with pytest.raises(ValueError):
        push.send(DEVICE, "t", "b", data)
    assert standin.token_requests == 0 and standin.send_requests == 0


def test_the_access_token_and_private_key_never_reach_the_logs(push, standin, config, caplog):
    caplog.set_level(logging.DEBUG)
    push.send(DEVICE, "t", "b", {})
    standin.revoke()
    standin.fail_next(503)
    push.send(DEVICE, "t", "b", {})
    assert len(standin.issued) == 2
    for token in standin.issued:
        assert token not in caplog.text and token not in repr(push)
    key_body = config.private_key.splitlines()[1]
    assert key_body not in caplog.text and key_body not in repr(config)
