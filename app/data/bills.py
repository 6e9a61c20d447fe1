"""Bills from the API, with the last good answer kept for poor networks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from app.data.api import ApiClient, NetworkFailure, ServerFailure
from app.models import BillDetail, Outstanding


@dataclass(frozen=True)
class Fetched:
    """A value and when it was fetched; `stale` when it came from the cache after a failure."""

    value: object
    fetched_at: dt.datetime
    stale: bool = False
    failure: Exception | None = None


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class BillsRepository:
    def __init__(self, api: ApiClient, clock: Callable[[], dt.datetime] = _now):
        self._api, self._clock = api, clock
        self._cache: dict[str, Fetched] = {}

    async def outstanding(self) -> Fetched:
        return await self._get("/bills/outstanding", Outstanding.from_json)

    async def bill(self, bill_id: str) -> Fetched:
        return await self._get(f"/bills/{bill_id}", BillDetail.from_json)

    async def _get(self, path: str, parse: Callable[[dict], object]) -> Fetched:
        """Fresh when the server answers; the last good answer, marked stale, when it cannot."""
        try:
            value = parse(await self._api.get(path))
        except (NetworkFailure, ServerFailure) as failure:
            cached = self._cache.get(path)
            if cached is None:
                raise
            return Fetched(cached.value, cached.fetched_at, stale=True, failure=failure)
        self._cache[path] = Fetched(value, self._clock())
        return self._cache[path]

    def forget(self) -> None:
        """On sign-out nothing of the previous user may stay on the device."""
        self._cache.clear()
