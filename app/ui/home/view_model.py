"""The family's outstanding bills, with the last good list kept when the network fails."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.ui.core.fetching import load_into
from app.data.bills import BillsRepository
from app.models import Outstanding


@ft.observable
@dataclass
class HomeViewModel:
    bills: BillsRepository
    outstanding: Outstanding | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    error: ApiFailure | None = None

    async def load(self) -> None:
        await load_into(self, self.bills.outstanding, lambda value: setattr(self, "outstanding", value))

    @property
    def empty(self) -> bool:
        return self.outstanding is not None and not any(g.bills for g in self.outstanding.groups)
