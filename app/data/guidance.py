"""Anti-scam guidance: the copy bundled with the app, replaced by a newer one from the server when there is one.

It must work offline (a scam call does not wait for a connection), so the bundled copy is always there;
the newest copy the server published is kept in SharedPreferences (it is public) with its ETag, so an
unchanged document costs a 304. A copy is only ever replaced by a valid, strictly newer version.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from app.data.api import ApiClient, ApiFailure, ServerFailure
from app.data.storage import SettingsStore
from domain.guidance import Guidance, GuidanceError, bundled, newest, parse_guidance

log = logging.getLogger("dongphi.guidance")
CACHE_KEY = "dongphi.guidance"


@dataclass(frozen=True)
class GuidanceCopy:
    guidance: Guidance
    failure: ApiFailure | None = None  # why the server could not be asked (the copy shown is still good)


class GuidanceRepository:
    def __init__(self, api: ApiClient, store: SettingsStore, bundled_copy: Guidance | None = None):
        self._api, self._store = api, store
        self._copy = bundled_copy or bundled()
        self._etag: str | None = None  # of the server copy we hold, when we hold one
        self._saved_read = False

    def cached(self) -> Guidance:
        """What can be shown at once, without waiting for storage or network."""
        return self._copy

    async def current(self) -> GuidanceCopy:
        """The newest copy we can have; never raises: a failed refresh is reported beside the copy."""
        if not self._saved_read:
            await self._load_saved()
        try:
            body, etag = await self._api.get_if_changed("/guidance", self._etag)
        except ApiFailure as failure:
            return GuidanceCopy(self._copy, failure)
        if body is None:  # 304: ours is the server's
            return GuidanceCopy(self._copy)
        try:
            fetched = parse_guidance(body)
        except GuidanceError as exc:
            log.warning("server sent unusable guidance, keeping ours: %s", exc)
            return GuidanceCopy(self._copy, ServerFailure("bad_response", str(exc)))
        if newest(self._copy, fetched) is fetched:
            self._copy, self._etag = fetched, etag
            await self._store.set(CACHE_KEY, json.dumps({"etag": etag, "body": body}, ensure_ascii=False))
        return GuidanceCopy(self._copy)

    async def send_feedback(self, article_id: str, helpful: bool) -> None:
        """One vote per user and article on the server; sending again replaces it, so a retry is harmless."""
        await self._api.post(f"/guidance/{article_id}/feedback", {"helpful": helpful})

    async def _load_saved(self) -> None:
        self._saved_read = True
        try:
            raw = await self._store.get(CACHE_KEY)
            if not raw:
                return
            saved = json.loads(raw)
            copy = parse_guidance(saved["body"])
        except (ValueError, KeyError, TypeError, ApiFailure) as exc:  # GuidanceError is a ValueError
            log.warning("saved guidance unreadable, using the bundled copy: %s", exc)
            return
        if newest(self._copy, copy) is copy:  # an app update may bundle a newer one than the saved
            self._copy, self._etag = copy, saved.get("etag")
