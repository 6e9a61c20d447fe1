"""Guidance list (with search), one article (with the "was this helpful" vote), and the checklist.

The content is on the device, so every screen shows something at once; asking the server for a newer
copy happens behind it and only changes the screen when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.data.guidance import GuidanceRepository
from domain.guidance import Article, Guidance

GUIDANCE_ROUTE = "/guidance"
CHECKLIST_ROUTE = "/guidance/checklist"


def article_route(article_id: str) -> str:
    return f"{GUIDANCE_ROUTE}/{article_id}"


@ft.observable
@dataclass
class GuidanceViewModel:
    repository: GuidanceRepository
    guidance: Guidance
    query: str = ""
    refreshing: bool = False
    refresh_failure: ApiFailure | None = None  # shown nowhere: the copy on the device is good offline

    async def load(self) -> None:
        if self.refreshing:
            return
        self.refreshing = True
        try:
            copy = await self.repository.current()
            if copy.guidance is not self.guidance:
                self.guidance = copy.guidance
            self.refresh_failure = copy.failure
        finally:
            self.refreshing = False

    def set_query(self, query: str) -> None:
        self.query = query

    def results(self, lang: str) -> list[Article]:
        return self.guidance.search(self.query, lang)


@ft.observable
@dataclass
class ArticleViewModel(GuidanceViewModel):
    article_id: str = ""
    sending: bool = False
    vote: bool | None = None  # the answer the server has
    pending: bool | None = None  # the answer being sent, or the one that failed (for Try again)
    failure: ApiFailure | None = None

    @property
    def article(self) -> Article | None:
        return self.guidance.article(self.article_id)

    async def send(self, helpful: bool) -> None:
        """A second tap while one is on its way does nothing; a failure is kept for the retry."""
        if self.sending or self.article is None:
            return
        self.sending, self.pending, self.failure = True, helpful, None
        try:
            await self.repository.send_feedback(self.article_id, helpful)
        except ApiFailure as failure:
            self.failure = failure
        else:
            self.vote = helpful
        finally:
            self.sending = False

    async def retry(self) -> None:
        if self.pending is not None:
            await self.send(self.pending)
