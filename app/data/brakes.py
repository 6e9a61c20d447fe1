"""Brakes: what they need to know of the family's history with a payee, and how each one ended
(shown, passed, abandoned), sent to the server so the brakes' effect can be measured."""

from __future__ import annotations

import uuid

from app.data.api import ApiClient, read_answer
from app.models import BrakeContext
from domain.brakes import Brake


class BrakesRepository:
    def __init__(self, api: ApiClient):
        self._api = api

    async def record(self, brake: Brake | str, outcome: str, context: str = "scan") -> None:
        """Raises an ApiFailure when it could not be recorded; the caller decides (never blocks the payer)."""
        body = {"brake": Brake(brake).value, "outcome": outcome, "context": context}
        await self._api.post("/brakes/events", body, idempotency_key=str(uuid.uuid4()))

    async def context(self, bank_bin: str, account_number: str) -> BrakeContext:
        """Has this family paid this account before, and what does it usually pay? Raises an ApiFailure;
        the caller falls back to "never paid, no history" (the safe side: the pause is shown)."""
        body = await self._api.get("/brakes/context", params={"bank_bin": bank_bin, "account_number": account_number})
        return read_answer(BrakeContext.from_json, body)
