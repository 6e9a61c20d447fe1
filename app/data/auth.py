"""Sign-in and sign-out; the only place that touches the token store."""

from __future__ import annotations

from dataclasses import dataclass

from app.data.api import ApiClient, AuthFailure
from app.data.storage import TokenStore
from app.models import User


@dataclass(frozen=True)
class CodeSent:
    phone: str
    expires_in: int
    resend_after: int


class AuthRepository:
    def __init__(self, api: ApiClient, tokens: TokenStore, device_name: str = "Đóng Phí app"):
        self._api, self._tokens, self._device = api, tokens, device_name

    async def request_code(self, phone: str) -> CodeSent:
        d = await self._api.post("/auth/code", {"phone": phone}, auth=False)
        return CodeSent(d["phone"], int(d["expires_in"]), int(d["resend_after"]))

    async def verify_code(self, phone: str, code: str) -> User:
        d = await self._api.post("/auth/session", {"phone": phone, "code": code, "device_name": self._device},
                                 auth=False)
        await self._tokens.write(d["token"])
        return User.from_json(d["user"])

    async def has_token(self) -> bool:
        return bool(await self._tokens.read())

    async def current_user(self) -> User:
        return User.from_json(await self._api.get("/auth/me"))

    async def sign_out(self) -> None:
        """Revoke on the server when reachable; forget locally in any case."""
        try:
            if await self._tokens.read():
                await self._api.delete("/auth/session")
        except AuthFailure:
            pass
        finally:
            await self._tokens.clear()

    async def forget_token(self) -> None:
        await self._tokens.clear()
