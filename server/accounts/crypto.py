"""Secrets of linked accounts at rest: provider tokens and account numbers are Fernet-encrypted;
duplicates are found by a keyed fingerprint, never by the number in clear.

The key is settings.token_encryption_key (urlsafe base64 of 32 bytes). In development an empty
setting falls back to a key derived from a fixed constant (not secret); production refuses to start
without one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

from server.config import Settings

_DEV_CONSTANT = b"dongphi-development-token-key-not-secret"


class MissingEncryptionKey(RuntimeError):
    pass


def _key(settings: Settings) -> bytes:
    if settings.token_encryption_key:
        return settings.token_encryption_key.encode("ascii")
    if settings.environment == "production":
        raise MissingEncryptionKey("DONGPHI_TOKEN_ENCRYPTION_KEY must be set in production")
    return base64.urlsafe_b64encode(hashlib.sha256(_DEV_CONSTANT).digest())


def check(settings: Settings) -> None:
    """At start-up: a usable key, or no start at all (never say which key was wrong beyond its name)."""
    try:
        Fernet(_key(settings))
    except (ValueError, TypeError) as exc:
        raise MissingEncryptionKey("DONGPHI_TOKEN_ENCRYPTION_KEY is not a valid Fernet key") from exc


def _fernet(settings: Settings) -> Fernet:
    return Fernet(_key(settings))


def encrypt(settings: Settings, plain: str) -> str:
    return _fernet(settings).encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(settings: Settings, cipher: str) -> str | None:
    """None when the cipher cannot be read (another key): callers treat the secret as lost."""
    try:
        return _fernet(settings).decrypt(cipher.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None


def fingerprint(settings: Settings, normalized_account: str) -> str:
    """HMAC-SHA256 of the normalized number under a key derived from (not equal to) the encryption key."""
    derived = hashlib.sha256(b"dongphi-account-fingerprint|" + _key(settings)).digest()
    return hmac.new(derived, normalized_account.encode("utf-8"), hashlib.sha256).hexdigest()
