"""A local stand-in for Firebase Cloud Messaging HTTP v1 and Google's OAuth token endpoint, on the same wire
protocol, so the push adapter (server/notifications/fcm.py) is exercised end to end without the internet.

`POST {prefix}/token` trades a service account's RS256 JWT for an access token; `POST
{prefix}/v1/projects/{project}/messages:send` accepts messages from holders of those tokens and remembers them.
Tests script it through the `FcmStandIn` object: unregistered or invalid device tokens, queued failures,
expired or revoked access tokens.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from urllib.parse import parse_qs

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from server.clock import Clock, system_clock

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPES = {"https://www.googleapis.com/auth/firebase.messaging", "https://www.googleapis.com/auth/cloud-platform"}
FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest"
MAX_JWT_LIFETIME = 3600
CLOCK_SKEW = 300  # seconds an assertion's iat may run ahead of our clock
BAD_TIMES = ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
             "Check your iat and exp values in the JWT claim.")

# HTTP status -> (google.rpc status, FCM errorCode or "") for the errors FCM documents.
STATUSES = {400: ("INVALID_ARGUMENT", "INVALID_ARGUMENT"), 401: ("UNAUTHENTICATED", ""),
            403: ("PERMISSION_DENIED", "SENDER_ID_MISMATCH"), 404: ("NOT_FOUND", "UNREGISTERED"),
            429: ("RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"), 500: ("INTERNAL", "INTERNAL"),
            503: ("UNAVAILABLE", "UNAVAILABLE")}
MESSAGE_FIELDS = {"name", "token", "topic", "condition", "data", "notification", "android", "webpush", "apns",
                  "fcm_options"}
NOTIFICATION_FIELDS = {"title", "body", "image"}
RESERVED_DATA_KEYS = {"from", "notification", "message_type"}


@dataclass
class ServiceAccount:
    client_email: str
    project_id: str
    public_key: rsa.RSAPublicKey


@dataclass
class IssuedToken:
    token: str
    client_email: str
    project_id: str
    expires_at: float
    revoked: bool = False


@dataclass
class SentMessage:
    name: str  # projects/<project>/messages/<id>, as returned to the sender
    project: str
    message: dict  # the "message" object exactly as received


@dataclass
class Failure:
    status: int
    retry_after: int | None = None


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def google_error(status: int, message: str, details: list[dict] | None = None,
                 headers: dict[str, str] | None = None) -> JSONResponse:
    name, code = STATUSES.get(status, ("UNKNOWN", ""))
    if details is None:
        details = [{"@type": FCM_ERROR_TYPE, "errorCode": code}] if code else []
    error = {"code": status, "message": message, "status": name}
    if details:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def _invalid(violations: list[tuple[str, str]]) -> JSONResponse:
    """FCM's answer to a malformed message: INVALID_ARGUMENT, naming each offending field."""
    return google_error(400, violations[0][1], [
        {"@type": FCM_ERROR_TYPE, "errorCode": "INVALID_ARGUMENT"},
        {"@type": BAD_REQUEST_TYPE, "fieldViolations": [{"field": f, "description": d} for f, d in violations]}])


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _string_map(value, where: str) -> list[tuple[str, str]]:
    if not isinstance(value, dict):
        return [(where, f"Invalid value at '{where}': expected a map of strings")]
    return [(f"{where}[{i}].value", f"Invalid value at '{where}[{i}].value' (TYPE_STRING), {json.dumps(v)}")
            for i, (k, v) in enumerate(value.items()) if not isinstance(v, str)]


def validate_message(message) -> list[tuple[str, str]]:
    """(field, description) for each way `message` breaks the v1 Message schema, as far as this stand-in knows it."""
    if not isinstance(message, dict):
        return [("message", "Invalid JSON payload received. 'message' must be an object.")]
    problems = [(f"message.{k}", f"Invalid JSON payload received. Unknown name \"{k}\" at 'message': "
                 "Cannot find field.") for k in message if k not in MESSAGE_FIELDS]
    targets = [k for k in ("token", "topic", "condition") if message.get(k)]
    if len(targets) != 1:
        problems.append(("message", "Exactly one of token, topic or condition must be set."))
    elif not isinstance(message[targets[0]], str):
        problems.append((f"message.{targets[0]}", f"Invalid value at 'message.{targets[0]}' (TYPE_STRING)"))
    if "notification" in message:
        n = message["notification"]
        if not isinstance(n, dict):
            problems.append(("message.notification", "Invalid value at 'message.notification'"))
        else:
            problems += [(f"message.notification.{k}", f"Invalid value at 'message.notification.{k}'")
                         for k, v in n.items() if k not in NOTIFICATION_FIELDS or not isinstance(v, str)]
    if "data" in message:
        problems += _string_map(message["data"], "message.data")
        if isinstance(message["data"], dict):
            problems += [("message.data", f"Invalid data payload key: {k}") for k in message["data"]
                         if k in RESERVED_DATA_KEYS or k.startswith(("google.", "gcm."))]
    android = message.get("android", {})
    if not isinstance(android, dict):
        problems.append(("message.android", "Invalid value at 'message.android'"))
    elif str(android.get("priority", "normal")).lower() not in ("normal", "high"):
        problems.append(("message.android.priority", f"Invalid value at 'message.android.priority' "
                         f"(type.googleapis.com/google.firebase.fcm.v1.AndroidMessagePriority), "
                         f"{json.dumps(android.get('priority'))}"))
    apns = message.get("apns", {})
    if not isinstance(apns, dict):
        problems.append(("message.apns", "Invalid value at 'message.apns'"))
    elif "headers" in apns:
        problems += _string_map(apns["headers"], "message.apns.headers")
    return problems


class FcmStandIn:
    """The stand-in's state and its routes. Serve `.app`, or include `.router` in another app."""

    def __init__(self, clock: Clock = system_clock, token_lifetime: int = 3599, prefix: str = "",
                 audience: str | None = None):
        self.clock = clock
        self.token_lifetime = token_lifetime
        self.audience = audience  # the aud assertions must carry; None: the URL /token was reached at
        self.accounts: dict[str, ServiceAccount] = {}
        self.issued: dict[str, IssuedToken] = {}
        self.sent: list[SentMessage] = []
        self.unregistered: set[str] = set()  # device tokens answered 404 UNREGISTERED
        self.invalid: set[str] = set()  # device tokens answered 400 INVALID_ARGUMENT (not a valid token)
        self.token_requests = 0  # POSTs to /token, accepted or not
        self.send_requests = 0  # POSTs to messages:send, accepted or not
        self._failures: dict[str, deque[Failure]] = {"send": deque(), "token": deque()}
        self.lock = threading.Lock()
        self.router = APIRouter(prefix=prefix, include_in_schema=False)
        self.router.add_api_route("/token", self._token, methods=["POST"])
        self.router.add_api_route("/v1/projects/{project}/messages:send", self._send, methods=["POST"])
        self.app = FastAPI(title="FCM stand-in", openapi_url=None, docs_url=None, redoc_url=None)
        self.app.include_router(self.router)

    # ------------------------------------------------------------ scripting (tests, demos)
    def add_service_account(self, client_email: str, public_key: rsa.RSAPublicKey | str | bytes,
                            project_id: str) -> None:
        """Only the public half is known here, as at Google."""
        if isinstance(public_key, (str, bytes)):
            public_key = serialization.load_pem_public_key(
                public_key.encode() if isinstance(public_key, str) else public_key)
        if not isinstance(public_key, rsa.RSAPublicKey):
            raise ValueError("service accounts sign with RSA keys")
        with self.lock:
            self.accounts[client_email] = ServiceAccount(client_email, project_id, public_key)

    def create_service_account(self, token_uri: str, project_id: str = "dong-phi-sandbox",
                               client_email: str | None = None) -> dict:
        """A fresh key pair; the stand-in keeps the public half, the caller gets a service-account JSON dict."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        email = client_email or f"firebase-adminsdk-{secrets.token_hex(3)}@{project_id}.iam.gserviceaccount.com"
        self.add_service_account(email, key.public_key(), project_id)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        return {"type": "service_account", "project_id": project_id, "private_key_id": secrets.token_hex(20),
                "private_key": pem, "client_email": email, "token_uri": token_uri}

    def mark_unregistered(self, device_token: str) -> None:
        with self.lock:
            self.unregistered.add(device_token)

    def mark_invalid(self, device_token: str) -> None:
        with self.lock:
            self.invalid.add(device_token)

    def fail_next(self, status: int, times: int = 1, retry_after: int | None = None,
                  endpoint: str = "send") -> None:
        """The next `times` requests to `endpoint` ("send" or "token") get `status`, with Retry-After if given."""
        with self.lock:
            self._failures[endpoint].extend(Failure(status, retry_after) for _ in range(times))

    def expire_tokens(self) -> None:
        """Every access token issued so far expires now (the sender's cache does not know)."""
        with self.lock:
            now = self.clock().timestamp()
            for t in self.issued.values():
                t.expires_at = min(t.expires_at, now)

    def revoke(self, access_token: str | None = None) -> None:
        """Revoke one access token, or all of them."""
        with self.lock:
            for t in self.issued.values():
                if access_token is None or t.token == access_token:
                    t.revoked = True

    def _next_failure(self, endpoint: str) -> Failure | None:
        with self.lock:
            queue = self._failures[endpoint]
            return queue.popleft() if queue else None

    # ------------------------------------------------------------ OAuth 2.0 token endpoint
    async def _token(self, request: Request):
        with self.lock:
            self.token_requests += 1
        failure = self._next_failure("token")
        if failure:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
            return JSONResponse({"error": "internal_failure", "error_description": "Backend Error"},
                                status_code=failure.status, headers=headers)
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return _oauth_error("invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        if form.get("grant_type") != GRANT_TYPE:
            return _oauth_error("unsupported_grant_type", f"Invalid grant_type: {form.get('grant_type', '')}")
        try:
            header_b64, claims_b64, signature_b64 = form.get("assertion", "").split(".")
            header = json.loads(_b64decode(header_b64))
            claims = json.loads(_b64decode(claims_b64))
            signature = _b64decode(signature_b64)
        except (ValueError, binascii.Error):
            return _oauth_error("invalid_grant", "Invalid JWT: malformed assertion")
        if not isinstance(header, dict) or not isinstance(claims, dict) or header.get("alg") != "RS256":
            return _oauth_error("invalid_grant", "Invalid JWT: expected an RS256-signed JWT")
        account = self.accounts.get(str(claims.get("iss", "")))
        if account is None:
            return _oauth_error("invalid_grant", "Invalid grant: account not found")
        try:
            account.public_key.verify(signature, f"{header_b64}.{claims_b64}".encode("ascii"), padding.PKCS1v15(),
                                      hashes.SHA256())
        except (InvalidSignature, UnicodeEncodeError):
            return _oauth_error("invalid_grant", "Invalid JWT Signature.")
        audience = self.audience or str(request.url.replace(query=""))
        if claims.get("aud") != audience:
            return _oauth_error("invalid_grant", f"Invalid JWT: audience must be {audience}")
        if not set(str(claims.get("scope", "")).split()) & SCOPES:
            return _oauth_error("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        now = self.clock().timestamp()
        iat, exp = claims.get("iat"), claims.get("exp")
        if (not isinstance(iat, (int, float)) or not isinstance(exp, (int, float)) or exp <= now
                or iat > now + CLOCK_SKEW or exp <= iat or exp - iat > MAX_JWT_LIFETIME):
            return _oauth_error("invalid_grant", BAD_TIMES)
        token = "ya29.sandbox-" + secrets.token_urlsafe(32)
        with self.lock:
            self.issued[token] = IssuedToken(token, account.client_email, account.project_id,
                                             now + self.token_lifetime)
        return {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer"}

    # ------------------------------------------------------------ FCM v1 messages:send
    def _caller(self, request: Request) -> IssuedToken | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        with self.lock:
            issued = self.issued.get(value.strip())
        if issued is None or issued.revoked or issued.expires_at <= self.clock().timestamp():
            return None
        return issued

    async def _send(self, project: str, request: Request):
        with self.lock:
            self.send_requests += 1
        caller = self._caller(request)
        if caller is None:
            return google_error(401, "Request had invalid authentication credentials. Expected OAuth 2 access "
                                "token, login cookie or other valid authentication credential.",
                                headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
                                         'error="invalid_token"'})
        if caller.project_id != project:
            return google_error(403, f"Permission 'cloudmessaging.messages.create' denied on resource "
                                f"'//cloudresourcemanager.googleapis.com/projects/{project}' (or it may not exist).",
                                details=[])
        failure = self._next_failure("send")
        if failure:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
            return google_error(failure.status, f"Stand-in failure {failure.status}", headers=headers)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _invalid([("", "Invalid JSON payload received.")])
        if not isinstance(body, dict):
            return _invalid([("", "Invalid JSON payload received. Expected an object.")])
        unknown = [k for k in body if k not in ("message", "validate_only")]
        problems = [(k, f"Invalid JSON payload received. Unknown name \"{k}\": Cannot find field.") for k in unknown]
        problems += validate_message(body.get("message"))
        if problems:
            return _invalid(problems)
        message = body["message"]
        device = message.get("token")
        if device in self.invalid:
            return _invalid([("message.token", "The registration token is not a valid FCM registration token")])
        if device in self.unregistered:
            return google_error(404, "Requested entity was not found.")
        if body.get("validate_only"):
            return {"name": f"projects/{project}/messages/fake_message_id"}
        name = f"projects/{project}/messages/0:{secrets.randbelow(10 ** 16):016d}%{secrets.token_hex(8)}"
        with self.lock:
            self.sent.append(SentMessage(name, project, message))
        return {"name": name}
