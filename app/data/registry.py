"""The registry of institutions and their collection accounts, kept on the device for checking offline.

The server publishes it with an ETag; we keep the newest copy in SharedPreferences (it is public,
printed on every bill) and ask again with If-None-Match, so an unchanged registry costs a 304.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from app.data.api import ApiClient, ApiFailure, NetworkFailure, ServerFailure
from app.data.storage import SettingsStore
from domain.payee import Registry

log = logging.getLogger("dongphi.registry")
CACHE_KEY = "dongphi.registry"


@dataclass(frozen=True)
class RegistryCopy:
    registry: Registry
    fetched_at: dt.datetime
    stale: bool = False  # the server could not be asked: this is the copy kept from before


class RegistryRepository:
    def __init__(self, api: ApiClient, store: SettingsStore, clock=lambda: dt.datetime.now().astimezone()):
        self._api, self._store, self._clock = api, store, clock
        self._copy: RegistryCopy | None = None
        self._etag: str | None = None

    async def current(self) -> RegistryCopy:
        """The freshest registry we can have; raises NetworkFailure only when there is none on the device."""
        if self._copy is None:
            await self._load_saved()
        try:
            body, etag = await self._api.get_if_changed("/registry", self._etag if self._copy else None)
        except (NetworkFailure, ServerFailure):
            if self._copy is None:
                raise
            self._copy = RegistryCopy(self._copy.registry, self._copy.fetched_at, stale=True)
            return self._copy
        now = self._clock()
        if body is None and self._copy is not None:
            self._copy = RegistryCopy(self._copy.registry, now)
            return self._copy
        try:
            registry = Registry.from_json(body)
        except ValueError as exc:  # never replace a good copy with a broken one
            if self._copy is not None:
                return RegistryCopy(self._copy.registry, self._copy.fetched_at, stale=True)
            raise ServerFailure("bad_response", str(exc)) from exc
        self._copy, self._etag = RegistryCopy(registry, now), etag
        await self._store.set(CACHE_KEY, json.dumps({"etag": etag, "fetched_at": now.isoformat(), "body": body}))
        return self._copy

    async def _load_saved(self) -> None:
        try:
            raw = await self._store.get(CACHE_KEY)
            if not raw:
                return
            saved = json.loads(raw)
            self._copy = RegistryCopy(Registry.from_json(saved["body"]), dt.datetime.fromisoformat(saved["fetched_at"]))
            self._etag = saved.get("etag")
        except (ValueError, KeyError, TypeError, ApiFailure) as exc:
            log.warning("saved registry unreadable, fetching a new one: %s", exc)
