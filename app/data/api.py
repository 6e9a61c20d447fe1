"""The one HTTP client: base URL, bearer token, timeouts, retries, and typed failures.

Nothing above this layer sees an httpx exception: every problem becomes an ApiFailure.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger("dongphi.api")

RETRYABLE_STATUS = {502, 503, 504}
POLL_TASK_PREFIX = "dongphi.poll"  # app.ui.core.polling names its tasks so: their GETs are not the user's doing


@dataclass
class ApiFailure(Exception):
    """Base of every failure the UI may show; `code` selects the translated message."""

    code: str
    message: str = ""
    status: int | None = None
    fields: list[dict] = field(default_factory=list)
    retry_after: int | None = None
    details: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NetworkFailure(ApiFailure):
    """No answer: offline, DNS, timeout, connection refused."""


class AuthFailure(ApiFailure):
    """401: the session is gone; the user must sign in again."""


class NotFoundFailure(ApiFailure):
    pass


class RequestFailure(ApiFailure):
    """Another 4xx: the server understood and refused; `code` says why."""


class ServerFailure(ApiFailure):
    """5xx or an answer we cannot read."""


TokenGetter = Callable[[], Awaitable[str | None]]


def read_answer(parse: Callable[[Any], Any], body: Any):
    """An answer we cannot read is the server's failure, never a crash in a screen."""
    try:
        return parse(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.error("unreadable answer: %r", exc)
        raise ServerFailure("bad_response", f"unreadable answer: {exc!r}") from exc


class ApiClient:
    def __init__(self, base_url: str, token: TokenGetter, *, timeout: float = 10.0, retries: int = 2,
                 backoff: float = 0.4, transport: httpx.AsyncBaseTransport | None = None,
                 on_unauthorized: Callable[[], Awaitable[None]] | None = None,
                 on_activity: Callable[[], None] | None = None):
        self._client = httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(timeout, connect=5.0),
                                         transport=transport, headers={"Accept": "application/json"})
        self._token, self._retries, self._backoff = token, retries, backoff
        self.on_unauthorized = on_unauthorized
        self.on_activity = on_activity  # told of each request the user made (not a polling loop's GETs)
        self.last_unauthorized_code: str | None = None  # why the last 401 came (session_expired, session_idle…)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, path: str, *, auth: bool = True, params: dict | None = None) -> Any:
        return await self._send("GET", path, auth=auth, params=params, idempotent=True)

    async def get_if_changed(self, path: str, etag: str | None, *, auth: bool = False) -> tuple[Any, str | None]:
        """Conditional GET: `(None, etag)` when the server says 304 (our copy is current)."""
        headers = {"If-None-Match": etag} if etag else {}
        return await self._send("GET", path, auth=auth, idempotent=True, headers=headers, conditional=True)

    async def post(self, path: str, body: dict, *, auth: bool = True, idempotency_key: str | None = None) -> Any:
        # The same key on every retry lets the server answer a repeat instead of acting twice.
        key = idempotency_key or str(uuid.uuid4())
        return await self._send("POST", path, auth=auth, json=body, headers={"Idempotency-Key": key},
                                idempotent=False)

    async def post_for_bytes(self, path: str, body: dict, *, auth: bool = True) -> bytes:
        """For answers that are files (speech audio): the body itself, not JSON. Repeating it is harmless."""
        return await self._send("POST", path, auth=auth, idempotent=True, raw=True, json=body)

    async def put(self, path: str, body: dict, *, auth: bool = True) -> Any:
        # Not repeated after a lost answer: a PIN change that went through must not be retried with the old PIN.
        return await self._send("PUT", path, auth=auth, json=body, idempotent=False)

    async def delete(self, path: str, *, auth: bool = True) -> Any:
        return await self._send("DELETE", path, auth=auth, idempotent=True)

    async def stream_lines(self, path: str, *, params: dict | None = None, headers: dict | None = None,
                           read_timeout: float = 45.0) -> AsyncIterator[str]:
        """The lines of a long-lived GET (server-sent events), as they arrive. Never retried here: the
        caller reconnects. Every failure is typed, as for the other calls; a clean end just stops.

        `read_timeout` must outlast the server's keep-alive comments (every 15 s), so a silent line is a
        dead line."""
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache", **(headers or {})}
        self._note_activity("GET")
        token = await self._token()
        if not token:
            raise AuthFailure("unauthorized", "not signed in", 401)
        headers["Authorization"] = f"Bearer {token}"
        timeout = httpx.Timeout(10.0, connect=5.0, read=read_timeout)
        try:
            async with self._client.stream("GET", path, params=params, headers=headers, timeout=timeout) as response:
                if not response.is_success:
                    await response.aread()
                    await self._result(response, True)  # raises the typed failure
                    raise ServerFailure("bad_response", f"HTTP {response.status_code}", response.status_code)
                if not response.headers.get("content-type", "").startswith("text/event-stream"):
                    raise ServerFailure("bad_response", "not an event stream", response.status_code)
                async for line in response.aiter_lines():
                    yield line
        except httpx.TimeoutException as exc:
            raise NetworkFailure("timeout", str(exc) or "timed out") from exc
        except (httpx.TransportError, httpx.StreamError) as exc:
            raise NetworkFailure("network", str(exc) or type(exc).__name__) from exc

    def _note_activity(self, method: str) -> None:
        if self.on_activity is None:
            return
        if method == "GET":
            task = asyncio.current_task()
            if task is not None and task.get_name().startswith(POLL_TASK_PREFIX):
                return
        self.on_activity()

    async def _send(self, method: str, path: str, *, auth: bool, idempotent: bool, conditional: bool = False,
                    raw: bool = False, **kwargs) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        self._note_activity(method)
        if auth:
            token = await self._token()
            if not token:
                raise AuthFailure("unauthorized", "not signed in", 401)
            headers["Authorization"] = f"Bearer {token}"
        last: ApiFailure | None = None
        for attempt in range(1 + self._retries):
            if attempt:
                await asyncio.sleep(self._backoff * (2 ** (attempt - 1)))
            try:
                response = await self._client.request(method, path, headers=headers, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # The request never left: safe to repeat whatever the method.
                last = NetworkFailure("network", str(exc) or type(exc).__name__)
                continue
            except httpx.TimeoutException as exc:
                last = NetworkFailure("timeout", str(exc) or "timed out")
                if idempotent:
                    continue
                break
            except httpx.TransportError as exc:
                last = NetworkFailure("network", str(exc) or type(exc).__name__)
                if idempotent:
                    continue
                break
            if response.status_code in RETRYABLE_STATUS and idempotent:
                last = ServerFailure("server_unavailable", f"HTTP {response.status_code}", response.status_code)
                continue
            if conditional:
                etag = response.headers.get("ETag")
                if response.status_code == 304:
                    return None, headers.get("If-None-Match")
                return await self._result(response, auth), etag
            if raw and response.is_success:
                return response.content
            return await self._result(response, auth)
        assert last is not None
        raise last

    async def _result(self, response: httpx.Response, auth: bool) -> Any:
        if response.status_code == 204:
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_success:
            if body is None:
                raise ServerFailure("bad_response", "response is not JSON", response.status_code)
            return body
        error = (body or {}).get("error", {}) if isinstance(body, dict) else {}
        code = error.get("code") or f"http_{response.status_code}"
        kwargs = dict(code=code, message=error.get("message", ""), status=response.status_code,
                      fields=error.get("fields") or [], details=error.get("details") or {})
        retry_after = response.headers.get("Retry-After")
        if retry_after and retry_after.isdigit():
            kwargs["retry_after"] = int(retry_after)
        if response.status_code == 401:
            self.last_unauthorized_code = code
            if auth and self.on_unauthorized is not None:
                await self.on_unauthorized()
            raise AuthFailure(**kwargs)
        if response.status_code == 404:
            raise NotFoundFailure(**kwargs)
        if 400 <= response.status_code < 500:
            raise RequestFailure(**kwargs)
        raise ServerFailure(**kwargs)
