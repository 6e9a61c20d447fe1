"""Firebase Cloud Messaging, HTTP v1: push notifications to the phone app.

Auth is Google's OAuth 2.0 for service accounts, done by hand (an RS256 JWT exchanged for an access token) so
the server needs no google-auth. The outcome of a send is a `PushResult` the caller acts on: "unregistered"
means delete that device token, "retry_later" means re-queue the message, "failed" means the message itself
was refused. Access tokens and the private key are never logged.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from server.clock import Clock, system_clock

log = logging.getLogger("dongphi.push")

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEFAULT_API_BASE = "https://fcm.googleapis.com"
DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token"
FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
JWT_LIFETIME = 3600  # Google's maximum for an assertion
REFRESH_MARGIN = 60  # fetch a new access token this many seconds before the old one expires
MAX_SLEEP = 60.0  # a longer wait (Retry-After) is the caller's job: it gets "retry_later" at once
# FCM refuses these data keys (400 INVALID_ARGUMENT); refusing them here names the culprit.
RESERVED_DATA_KEYS = frozenset({"from", "notification", "message_type"})
RESERVED_DATA_PREFIXES = ("google.", "gcm.")

SENT, UNREGISTERED, RETRY_LATER, FAILED = "sent", "unregistered", "retry_later", "failed"


@dataclass(frozen=True)
class PushResult:
    status: str  # sent | unregistered | retry_later | failed
    message_id: str | None = None  # "projects/<project>/messages/<id>" when sent
    error: str = ""
    retry_after: float | None = None  # seconds FCM asked us to wait, when it said so


@dataclass(frozen=True)
class FcmConfig:
    """What a Google service-account JSON holds that FCM needs; the key is parsed once, here."""
    project_id: str
    client_email: str
    private_key: str = field(repr=False)  # PEM, RSA
    token_uri: str = DEFAULT_TOKEN_URI
    api_base: str = DEFAULT_API_BASE

    def __post_init__(self):
        for name in ("project_id", "client_email", "private_key", "token_uri", "api_base"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"service account: {name} is missing")
        try:
            key = serialization.load_pem_private_key(self.private_key.encode(), password=None)
        except (ValueError, TypeError) as e:
            raise ValueError("service account: private_key is not a PEM private key") from e
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("service account: private_key must be an RSA key")
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "api_base", self.api_base.rstrip("/"))

    @property
    def key(self) -> rsa.RSAPrivateKey:
        return self._key  # type: ignore[attr-defined]

    @classmethod
    def from_dict(cls, info: dict, api_base: str | None = None) -> FcmConfig:
        if info.get("type", "service_account") != "service_account":
            raise ValueError("not a service-account key file")
        return cls(project_id=info.get("project_id", ""), client_email=info.get("client_email", ""),
                   private_key=info.get("private_key", ""), token_uri=info.get("token_uri") or DEFAULT_TOKEN_URI,
                   api_base=api_base or DEFAULT_API_BASE)

    @classmethod
    def from_service_account_file(cls, path: str | Path, api_base: str | None = None) -> FcmConfig:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")), api_base)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def make_assertion(config: FcmConfig, now: float) -> str:
    """The signed JWT a service account trades for an access token (RFC 7523, as Google documents it)."""
    header = {"alg": "RS256", "typ": "JWT"}
    iat = int(now)
    claims = {"iss": config.client_email, "scope": SCOPE, "aud": config.token_uri, "iat": iat,
              "exp": iat + JWT_LIFETIME}
    signing_input = ".".join(_b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims))
    signature = config.key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64url(signature)}"


def build_message(token: str, title: str, body: str, data: dict[str, str]) -> dict:
    """The v1 request body. FCM's data map takes strings only: anything else is a bug in the caller."""
    if not isinstance(token, str) or not token:
        raise ValueError("device token must be a non-empty string")
    if not isinstance(title, str) or not isinstance(body, str):
        raise ValueError("title and body must be strings")
    for k, v in (data or {}).items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise ValueError(f"push data must map str to str; {k!r} -> {type(v).__name__}")
        if k in RESERVED_DATA_KEYS or k.startswith(RESERVED_DATA_PREFIXES):
            raise ValueError(f"push data key {k!r} is reserved by FCM")
    return {"message": {"token": token, "notification": {"title": title, "body": body}, "data": dict(data or {}),
                        "android": {"priority": "high"}, "apns": {"headers": {"apns-priority": "10"}}}}


class _AuthFailed(Exception):
    """The token endpoint refused us or could not be reached; `transient` says whether waiting may help."""

    def __init__(self, message: str, transient: bool, retry_after: float | None = None):
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP-date: rare for Google; the exponential back-off stands in


def _error(response: httpx.Response) -> tuple[str, str, list[dict]]:
    """(status, message, details) of a Google API error body; empty when the body is not one."""
    try:
        err = response.json().get("error", {})
    except (ValueError, AttributeError):
        return "", "", []
    if not isinstance(err, dict):
        return "", str(err), []
    details = err.get("details") if isinstance(err.get("details"), list) else []
    return str(err.get("status", "")), str(err.get("message", "")), [d for d in details if isinstance(d, dict)]


def _fcm_code(details: list[dict]) -> str:
    return next((str(d.get("errorCode", "")) for d in details if d.get("@type") == FCM_ERROR_TYPE), "")


def _token_is_invalid(message: str, details: list[dict]) -> bool:
    """400 INVALID_ARGUMENT is about the device token (not the payload) when the token field is the one blamed."""
    for d in details:
        if d.get("@type") == BAD_REQUEST_TYPE:
            for v in d.get("fieldViolations") or []:
                if isinstance(v, dict) and v.get("field") == "message.token":
                    return True
    return "registration token" in message.lower()


class FcmPush:
    """Sends one notification to one device; retries what FCM says to retry, and says what to do with the rest."""

    def __init__(self, config: FcmConfig, http: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep, max_attempts: int = 4, base_delay: float = 0.5,
                 clock: Clock = system_clock):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.config = config
        self._own_http = http is None
        self.http = http or httpx.Client(timeout=10.0)
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.clock = clock
        self._token: str | None = None
        self._token_expires = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FcmPush(project_id={self.config.project_id!r})"

    def close(self) -> None:
        if self._own_http:
            self.http.close()

    @property
    def send_url(self) -> str:
        return f"{self.config.api_base}/v1/projects/{self.config.project_id}/messages:send"

    # ------------------------------------------------------------ access token
    def _now(self) -> float:
        return self.clock().timestamp()

    def _access_token(self) -> str:
        with self._lock:
            if self._token is None or self._now() >= self._token_expires - REFRESH_MARGIN:
                self._token, self._token_expires = self._fetch_token()
            return self._token

    def _drop_token(self, stale: str) -> None:
        with self._lock:
            if self._token == stale:  # another thread may already have fetched a fresh one
                self._token = None

    def _fetch_token(self) -> tuple[str, float]:
        now = self._now()
        form = {"grant_type": GRANT_TYPE, "assertion": make_assertion(self.config, now)}
        try:
            r = self.http.post(self.config.token_uri, data=form)
        except httpx.HTTPError as e:
            raise _AuthFailed(f"token endpoint unreachable: {type(e).__name__}", transient=True) from e
        if r.status_code == 429 or r.status_code >= 500:
            raise _AuthFailed(f"token endpoint HTTP {r.status_code}", transient=True, retry_after=_retry_after(r))
        try:
            answer = r.json()
        except ValueError:
            answer = {}
        if r.status_code != 200 or not isinstance(answer.get("access_token"), str):
            # Google answers {"error": "invalid_grant", "error_description": "Invalid JWT Signature."} and the like.
            reason = f"{answer.get('error', '')}: {answer.get('error_description', '')}".strip(": ")
            log.warning("FCM credentials for %s refused: HTTP %s %s", self.config.client_email, r.status_code,
                        reason)
            raise _AuthFailed(f"token endpoint HTTP {r.status_code} {reason}".strip(), transient=False)
        try:
            lifetime = float(answer.get("expires_in", 3600))
        except (TypeError, ValueError):
            lifetime = 3600.0
        return answer["access_token"], now + lifetime

    # ------------------------------------------------------------ sending
    def _delay(self, attempt: int, retry_after: float | None) -> float:
        return retry_after if retry_after is not None else self.base_delay * 2 ** (attempt - 1)

    def send(self, token: str, title: str, body: str, data: dict[str, str]) -> PushResult:
        """Raises ValueError for a malformed message before anything goes on the wire."""
        payload = build_message(token, title, body, data)
        reauthed = False
        attempt = 0
        while True:
            attempt += 1
            try:
                access = self._access_token()
            except _AuthFailed as e:
                # Rejected credentials are the operator's to fix, never the message's fault: keep it queued.
                if not e.transient or attempt >= self.max_attempts:
                    return PushResult(RETRY_LATER, error=f"auth: {e}", retry_after=e.retry_after)
                wait = self._delay(attempt, e.retry_after)
                if wait > MAX_SLEEP:
                    return PushResult(RETRY_LATER, error=f"auth: {e}", retry_after=wait)
                self.sleep(wait)
                continue
            try:
                r = self.http.post(self.send_url, json=payload, headers={"Authorization": f"Bearer {access}"})
            except httpx.HTTPError as e:
                # The request may or may not have reached FCM; the caller's queue decides when to try again.
                return PushResult(RETRY_LATER, error=f"network: {type(e).__name__}")
            if r.status_code == 200:
                try:
                    name = r.json().get("name")
                except (ValueError, AttributeError):
                    name = None
                return PushResult(SENT, message_id=name)
            status, message, details = _error(r)
            code = _fcm_code(details)
            error = f"HTTP {r.status_code} {code or status}: {message}".strip(": ")
            if r.status_code == 401 and code != "THIRD_PARTY_AUTH_ERROR":
                self._drop_token(access)
                if not reauthed:  # our access token expired or was revoked early: one fresh try, no back-off
                    reauthed = True
                    attempt -= 1
                    continue
                log.warning("FCM refused a fresh access token for %s", self.config.client_email)
                return PushResult(RETRY_LATER, error=error)
            if r.status_code == 404 and code == "UNREGISTERED":
                return PushResult(UNREGISTERED, error=error)
            if r.status_code == 400 and (code or status) == "INVALID_ARGUMENT" and _token_is_invalid(message,
                                                                                                     details):
                return PushResult(UNREGISTERED, error=error)
            if r.status_code == 429 or r.status_code >= 500:
                retry_after = _retry_after(r)
                wait = self._delay(attempt, retry_after)
                if attempt >= self.max_attempts or wait > MAX_SLEEP:
                    return PushResult(RETRY_LATER, error=error, retry_after=retry_after)
                log.info("FCM answered %s; attempt %d of %d again in %.1fs", r.status_code, attempt + 1,
                         self.max_attempts, wait)
                self.sleep(wait)
                continue
            return PushResult(FAILED, error=error)

