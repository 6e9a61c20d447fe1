"""Brake outcomes (shown, passed, abandoned), sent to the server so the brakes' effect can be measured."""

from __future__ import annotations

import uuid

from app.data.api import ApiClient
from domain.brakes import Brake


class BrakesRepository:
    def __init__(self, api: ApiClient):
        self._api = api

    async def record(self, brake: Brake | str, outcome: str, context: str = "scan") -> None:
        """Raises an ApiFailure when it could not be recorded; the caller decides (never blocks the payer)."""
        body = {"brake": Brake(brake).value, "outcome": outcome, "context": context}
        await self._api.post("/brakes/events", body, idempotency_key=str(uuid.uuid4()))
