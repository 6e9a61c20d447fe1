"""One bill in full: items, institution, invoice code and who to call for help."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.ui.core.fetching import load_into
from app.data.bills import BillsRepository
from app.models import BillDetail


@ft.observable
@dataclass
class BillViewModel:
    bills: BillsRepository
    bill_id: str
    detail: BillDetail | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    error: ApiFailure | None = None

    @property
    def payable(self) -> bool:
        return self.detail is not None and self.detail.summary.payable

    async def load(self) -> None:
        await load_into(self, lambda: self.bills.bill(self.bill_id), lambda value: setattr(self, "detail", value))
