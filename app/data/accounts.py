"""Linked bank accounts and wallets through the API.

Linking happens on the provider's own consent page (bank OTP, wallet approval); the server keeps
the provider's token. This repository only starts a link, follows it, and lists what is linked.
"""

from __future__ import annotations

from app.data.api import ApiClient, NetworkFailure, ServerFailure, read_answer
from app.models import FaceCheck, LinkRequest, PaymentSource


class AccountsRepository:
    def __init__(self, api: ApiClient):
        self._api = api
        self._sources: list[PaymentSource] | None = None

    async def sources(self) -> list[PaymentSource]:
        """Default first; the last good list when the network fails (paying still needs the network)."""
        try:
            body = await self._api.get("/accounts")
        except (NetworkFailure, ServerFailure):
            if self._sources is None:
                raise
            return list(self._sources)
        self._sources = read_answer(lambda b: [PaymentSource.from_json(s) for s in b["sources"]], body)
        return list(self._sources)

    async def start_link(self, kind: str, provider: str, account_number: str, idempotency_key: str) -> LinkRequest:
        """One key per attempt: a retry after a lost answer names the same link request."""
        body = await self._api.post("/accounts/links", {"kind": kind, "provider": provider,
                                                        "account_number": account_number},
                                    idempotency_key=idempotency_key)
        return read_answer(LinkRequest.from_json, body)

    async def link(self, link_id: str) -> LinkRequest:
        return read_answer(LinkRequest.from_json, await self._api.get(f"/accounts/links/{link_id}"))

    async def relink(self, source_id: str, idempotency_key: str) -> LinkRequest:
        body = await self._api.post(f"/accounts/{source_id}/relink", {}, idempotency_key=idempotency_key)
        return read_answer(LinkRequest.from_json, body)

    async def confirm_name(self, source_id: str) -> PaymentSource:
        return read_answer(PaymentSource.from_json, await self._api.post(f"/accounts/{source_id}/confirm-name", {}))

    async def make_default(self, source_id: str) -> PaymentSource:
        return read_answer(PaymentSource.from_json, await self._api.post(f"/accounts/{source_id}/default", {}))

    async def unlink(self, source_id: str) -> None:
        await self._api.delete(f"/accounts/{source_id}")
        if self._sources is not None:
            self._sources = [s for s in self._sources if s.id != source_id]

    async def face_check(self, amount: int) -> FaceCheck:
        body = await self._api.get("/accounts/face-check", params={"amount": str(amount)})
        return read_answer(FaceCheck.from_json, body)

    def forget(self) -> None:
        self._sources = None
