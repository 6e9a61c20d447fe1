"""HMAC helpers shared by the provider adapters: constant-time comparison everywhere."""

from __future__ import annotations

import hashlib
import hmac


def hmac_hex(secret: str, message: str | bytes, digest=hashlib.sha256) -> str:
    data = message.encode("utf-8") if isinstance(message, str) else message
    return hmac.new(secret.encode("utf-8"), data, digest).hexdigest()


def same(expected: str, given: str | None) -> bool:
    return isinstance(given, str) and hmac.compare_digest(expected.lower(), given.strip().lower())
