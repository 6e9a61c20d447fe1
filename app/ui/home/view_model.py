"""The family's outstanding bills, with the last good list kept when the network fails."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure
from app.ui.core.fetching import load_into
from app.data.bills import BillsRepository
from app.data.payments import PaymentsRepository
from app.models import Outstanding, Payment


@ft.observable
@dataclass
class HomeViewModel:
    bills: BillsRepository
    outstanding: Outstanding | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    error: ApiFailure | None = None
    payments: PaymentsRepository | None = None
    active: list[Payment] = field(default_factory=list)  # payments still waiting, e.g. after a restart
    notifications: object = None  # NotificationCenter: the bell's count is asked again with the bills

    async def load(self) -> None:
        await asyncio.gather(
            load_into(self, self.bills.outstanding, lambda value: setattr(self, "outstanding", value)),
            self.load_active(), self.load_unread())

    async def load_unread(self) -> None:
        if self.notifications is not None:
            await self.notifications.refresh_count()

    async def load_active(self) -> None:
        """Not knowing them (offline) keeps the last ones: the bills' own notice says we are offline."""
        if self.payments is None:
            return
        try:
            self.active = [p for p in await self.payments.active() if p.pending]
        except ApiFailure:
            pass

    @property
    def empty(self) -> bool:
        return self.outstanding is not None and not any(g.bills for g in self.outstanding.groups)
