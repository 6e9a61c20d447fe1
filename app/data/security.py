"""App security: PIN, biometric unlock key, owner confirmations, signed-in devices.

The only place that calls the /auth/pin, /auth/biometric*, /auth/sessions endpoints. The biometric
key lives in the SecretStore (secure storage on phones), never in SharedPreferences.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from app.data.api import ApiClient, ApiFailure, read_answer
from app.data.storage import SecretStore
from app.models import Confirmation, Device, User

log = logging.getLogger("dongphi.security")

BIOMETRIC_KEY = "biometric_key"


class SecurityRepository:
    def __init__(self, api: ApiClient, secrets: SecretStore):
        self._api, self._secrets = api, secrets

    # -- PIN ---------------------------------------------------------------------------------------
    async def set_pin(self, pin: str, current_pin: str | None = None) -> None:
        await self._api.put("/auth/pin", {"pin": pin, "current_pin": current_pin})

    async def verify_pin(self, pin: str) -> Confirmation:
        return read_answer(Confirmation.from_json, await self._api.post("/auth/pin/verify", {"pin": pin}))

    async def reset_pin(self, code: str, pin: str) -> None:
        await self._api.post("/auth/pin/reset", {"code": code, "pin": pin})

    # -- biometrics --------------------------------------------------------------------------------
    async def has_biometric_key(self) -> bool:
        return bool(await self._secrets.get(BIOMETRIC_KEY))

    async def enable_biometrics(self, confirmation: str) -> None:
        """Spends a PIN confirmation for a device key, kept in secure storage."""
        d = await self._api.post("/auth/biometric-key", {"confirmation": confirmation})
        await self._secrets.set(BIOMETRIC_KEY, d["key"])

    async def disable_biometrics(self) -> None:
        """Forget the key here in any case; tell the server when it can be reached."""
        try:
            await self._api.delete("/auth/biometric-key")
        finally:
            await self._secrets.remove(BIOMETRIC_KEY)

    async def forget_biometric_key(self) -> None:
        await self._secrets.remove(BIOMETRIC_KEY)

    async def verify_biometric(self) -> Confirmation:
        key = await self._secrets.get(BIOMETRIC_KEY)
        if not key:
            raise ApiFailure("biometric_key_invalid")
        try:
            return read_answer(Confirmation.from_json, await self._api.post("/auth/biometric/verify", {"key": key}))
        except ApiFailure as failure:
            if failure.code == "biometric_key_invalid":  # revoked elsewhere: the PIN is the way back
                await self._secrets.remove(BIOMETRIC_KEY)
            raise

    # -- session -----------------------------------------------------------------------------------
    async def touch(self) -> User:
        """A request on the user's behalf: keeps the server session from going idle."""
        return User.from_json(await self._api.get("/auth/me"))

    async def devices(self) -> list[Device]:
        d = await self._api.get("/auth/sessions")
        return read_answer(lambda b: [Device.from_json(item) for item in b.get("sessions", [])], d)

    async def sign_out_device(self, session_id: str) -> None:
        await self._api.delete(f"/auth/sessions/{session_id}")


class BiometricPort(Protocol):
    async def available(self) -> bool: ...
    async def authenticate(self, reason: str) -> bool: ...


class LocalAuthBiometrics:
    """flet-local-auth on phones. A client that does not answer counts as "not available", never a hang."""

    def __init__(self, local_auth, timeout: float = 5.0, prompt_timeout: float = 120.0):
        self._auth, self._timeout, self._prompt_timeout = local_auth, timeout, prompt_timeout
        self._available: bool | None = None

    async def available(self) -> bool:
        if self._available is None:
            try:
                supported = await asyncio.wait_for(self._auth.is_device_supported(), self._timeout)
                enrolled = await asyncio.wait_for(self._auth.get_available_biometrics(), self._timeout)
                self._available = bool(supported and enrolled)
            except Exception as exc:  # noqa: BLE001 - no extension, no hardware, unsupported platform
                log.warning("biometrics unavailable: %s", exc)
                self._available = False
        return self._available

    async def authenticate(self, reason: str) -> bool:
        try:
            return bool(await asyncio.wait_for(
                self._auth.authenticate(reason, biometric_only=True, sensitive_transaction=True),
                self._prompt_timeout))
        except Exception as exc:  # noqa: BLE001 - LocalAuthException (cancelled, lockout…), timeout
            log.info("biometric check not passed: %s", exc)
            return False


class FakeBiometrics:
    """For tests and for trying the flows on a desktop: answers as told."""

    def __init__(self, available: bool = True, answer: bool = True):
        self.is_available, self.answer, self.reasons = available, answer, []

    async def available(self) -> bool:
        return self.is_available

    async def authenticate(self, reason: str) -> bool:
        self.reasons.append(reason)
        return self.answer
