"""The student's own screen: fees per term, and "please pay" to the parents, one request per fee at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure
from app.data.student import StudentFees, StudentRepository
from app.ui.core.fetching import load_fresh


@ft.observable
@dataclass
class StudentViewModel:
    students: StudentRepository
    fees: StudentFees | None = None
    loading: bool = False
    error: ApiFailure | None = None
    sending: set[str] = field(default_factory=set)  # fee ids whose request is on its way
    sent: dict[str, int] = field(default_factory=dict)  # fee id -> how many parents were told
    failed: dict[str, ApiFailure] = field(default_factory=dict)  # fee id -> why the request failed

    async def load(self) -> None:
        await load_fresh(self, self.students.fees, lambda value: setattr(self, "fees", value))

    async def please_pay(self, fee_id: str) -> None:
        """A second tap while sending, or after it was sent, does nothing: the parents are asked once."""
        if fee_id in self.sending or fee_id in self.sent:
            return
        self.sending = self.sending | {fee_id}
        self.failed = {k: v for k, v in self.failed.items() if k != fee_id}
        try:
            count = await self.students.please_pay(fee_id)
        except ApiFailure as failure:
            self.failed = {**self.failed, fee_id: failure}
            if failure.code == "bill_already_paid":
                await self.load()  # paid meanwhile: show it as paid
        else:
            self.sent = {**self.sent, fee_id: count}
        finally:
            self.sending = self.sending - {fee_id}
