"""Where the app keeps things on the device.

TokenStore holds the session token (secret): flet-secure-storage on phones and web (Keychain,
Keystore, encrypted browser storage), the OS keyring on desktops, memory in tests.
SettingsStore holds non-secret preferences (language) in SharedPreferences.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

log = logging.getLogger("dongphi.storage")

TOKEN_KEY = "dongphi.session_token"
SERVICE = "vn.dongphi.app"


class TokenStore(Protocol):
    async def read(self) -> str | None: ...
    async def write(self, token: str) -> None: ...
    async def clear(self) -> None: ...


class SettingsStore(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str) -> None: ...


class MemoryTokenStore:
    def __init__(self, token: str | None = None):
        self.token = token

    async def read(self) -> str | None:
        return self.token

    async def write(self, token: str) -> None:
        self.token = token

    async def clear(self) -> None:
        self.token = None


class MemorySettingsStore:
    def __init__(self, values: dict[str, str] | None = None):
        self.values = dict(values or {})

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value


class SecureStorageTokenStore:
    """flet-secure-storage: the service must stay referenced, or Flet drops it after an event.

    A client without the extension never answers, so every call has a deadline.
    """

    def __init__(self, storage, timeout: float = 5.0):
        self._storage, self._timeout = storage, timeout

    async def read(self) -> str | None:
        try:
            return await asyncio.wait_for(self._storage.get(TOKEN_KEY), self._timeout)
        except (asyncio.TimeoutError, RuntimeError) as exc:
            log.error("secure storage unavailable: %s", exc)
            return None

    async def write(self, token: str) -> None:
        await asyncio.wait_for(self._storage.set(TOKEN_KEY, token), self._timeout)

    async def clear(self) -> None:
        await asyncio.wait_for(self._storage.remove(TOKEN_KEY), self._timeout)


class SecretStore(Protocol):
    """Small named secrets (the biometric unlock key): secure storage on phones, memory elsewhere and in tests.
    Never SharedPreferences."""

    async def get(self, name: str) -> str | None: ...
    async def set(self, name: str, value: str) -> None: ...
    async def remove(self, name: str) -> None: ...


class MemorySecretStore:
    def __init__(self, values: dict[str, str] | None = None):
        self.values = dict(values or {})

    async def get(self, name: str) -> str | None:
        return self.values.get(name)

    async def set(self, name: str, value: str) -> None:
        self.values[name] = value

    async def remove(self, name: str) -> None:
        self.values.pop(name, None)


class SecureStorageSecretStore:
    """Named secrets in flet-secure-storage, each under `dongphi.secret.<name>`; every call has a deadline."""

    PREFIX = "dongphi.secret."

    def __init__(self, storage, timeout: float = 5.0):
        self._storage, self._timeout = storage, timeout

    async def get(self, name: str) -> str | None:
        try:
            value = await asyncio.wait_for(self._storage.get(self.PREFIX + name), self._timeout)
        except (asyncio.TimeoutError, RuntimeError) as exc:
            log.error("secure storage unavailable: %s", exc)
            return None
        return value if isinstance(value, str) else None

    async def set(self, name: str, value: str) -> None:
        await asyncio.wait_for(self._storage.set(self.PREFIX + name, value), self._timeout)

    async def remove(self, name: str) -> None:
        try:
            await asyncio.wait_for(self._storage.remove(self.PREFIX + name), self._timeout)
        except (asyncio.TimeoutError, RuntimeError) as exc:
            log.error("secret not removed: %s", exc)


class KeyringTokenStore:
    """Desktop OS keyring. Where no keyring backend exists it fails loudly rather than writing a file."""

    def __init__(self, keyring_module=None):
        if keyring_module is None:
            import keyring as keyring_module
        self._keyring = keyring_module

    async def read(self) -> str | None:
        return self._keyring.get_password(SERVICE, TOKEN_KEY)

    async def write(self, token: str) -> None:
        self._keyring.set_password(SERVICE, TOKEN_KEY, token)

    async def clear(self) -> None:
        try:
            self._keyring.delete_password(SERVICE, TOKEN_KEY)
        except self._keyring.errors.PasswordDeleteError:
            pass


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    return not isinstance(keyring.get_keyring(), fail.Keyring)


class SharedPreferencesStore:
    """Non-secret preferences; a client that does not answer means "no preference", never a hang."""

    def __init__(self, prefs, timeout: float = 3.0):
        self._prefs, self._timeout = prefs, timeout

    async def get(self, key: str) -> str | None:
        try:
            value = await asyncio.wait_for(self._prefs.get(key), self._timeout)
        except (asyncio.TimeoutError, RuntimeError) as exc:
            log.warning("preferences unavailable: %s", exc)
            return None
        return value if isinstance(value, str) else None

    async def set(self, key: str, value: str) -> None:
        try:
            await asyncio.wait_for(self._prefs.set(key, value), self._timeout)
        except (asyncio.TimeoutError, RuntimeError) as exc:
            log.warning("preference not saved: %s", exc)
