"""The Idempotency-Key header, checked the same way wherever a POST may be repeated safely."""

from __future__ import annotations

from server.errors import ApiError


def idempotency_key(key: str | None, *, required: bool) -> str | None:
    """Required where money moves (payments); optional elsewhere, but when sent it must be usable."""
    if key is None or not key.strip():
        if required:
            raise ApiError(400, "idempotency_key_required", "send an Idempotency-Key header with this request")
        if key is None:
            return None
    key = key.strip()
    if not key or len(key) > 64 or not key.isprintable():
        raise ApiError(400, "idempotency_key_invalid", "Idempotency-Key must be 1-64 printable characters")
    return key
