"""Choosing how to pay a bill, then confirming it: the one place a payment is asked for.

A payment is asked for with an Idempotency-Key made once per visit of the confirm screen, so a
double tap, a retry after a dropped network, or a second tap after an error all name the same
payment: the server answers the first one again instead of charging twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass, field

import flet as ft

from app.data.accounts import AccountsRepository
from app.data.api import ApiFailure
from app.data.bills import BillsRepository
from app.data.payments import PaymentsRepository
from app.models import BillDetail, FaceCheck, Payment, PaymentMethod, PaymentSource


def bill_payable(detail: BillDetail | None) -> bool:
    return detail is not None and detail.summary.payable


async def _live_payment_for(payments: PaymentsRepository, bill_id: str) -> Payment | None:
    """A payment of this bill still waiting; not knowing (offline) is not an error here: the server
    refuses a second live payment anyway and the confirm screen explains it then."""
    try:
        active = await payments.active()
    except ApiFailure:
        return None
    return next((p for p in active if p.bill_id == bill_id and p.pending), None)


async def _usable_sources(accounts: AccountsRepository | None) -> list[PaymentSource]:
    """Linked accounts come first on the pay screen; without them (offline, none) the other methods remain."""
    if accounts is None:
        return []
    try:
        return [s for s in await accounts.sources() if s.usable]
    except ApiFailure:
        return []


async def _face_check(accounts: AccountsRepository | None, sources: list[PaymentSource],
                      amount: int) -> FaceCheck | None:
    if accounts is None or not sources or amount <= 0:
        return None
    try:
        return await accounts.face_check(amount)
    except ApiFailure:
        return None


async def _cancel_in_progress(vm) -> bool:
    """Shared by both screens: cancel the payment in the way, so the payer can choose again."""
    if vm.cancelling or vm.in_progress_id is None:
        return False
    vm.cancelling, vm.error = True, None
    try:
        await vm.payments.cancel(vm.in_progress_id)
    except ApiFailure as failure:
        vm.error = failure
        return False
    else:
        vm.in_progress_id = None
        return True
    finally:
        vm.cancelling = False


@ft.observable
@dataclass
class ChooseMethodViewModel:
    bills: BillsRepository
    payments: PaymentsRepository
    bill_id: str
    detail: BillDetail | None = None
    methods: list[PaymentMethod] | None = None
    last_method: str | None = None
    in_progress_id: str | None = None  # a live payment of this bill, which the payer must continue or cancel
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    cancelling: bool = False
    error: ApiFailure | None = None
    accounts: AccountsRepository | None = None
    sources: list[PaymentSource] = field(default_factory=list)  # usable linked accounts, default first
    face_check: FaceCheck | None = None  # the bank would demand a face scan: linked accounts cannot carry it

    async def load(self) -> None:
        if self.loading:
            return
        self.loading, self.error = True, None
        try:
            fetched, methods, last, live, sources = await asyncio.gather(
                self.bills.bill(self.bill_id), self.payments.methods(), self.payments.last_method(),
                _live_payment_for(self.payments, self.bill_id), _usable_sources(self.accounts))
        except ApiFailure as failure:
            self.error = failure
        else:
            self.detail, self.fetched_at, self.stale = fetched.value, fetched.fetched_at, fetched.stale
            self.methods, self.last_method = methods, last
            self.in_progress_id = live.id if live is not None else None
            self.sources = sources
            self.face_check = await _face_check(self.accounts, sources, self.detail.summary.amount_due)
        finally:
            self.loading = False

    @property
    def linked_blocked(self) -> str | None:
        """Why a token charge cannot carry this payment (SBV face check), or None."""
        return self.face_check.reason if self.face_check else None

    @property
    def payable(self) -> bool:
        return bill_payable(self.detail)

    @property
    def ordered_methods(self) -> list[PaymentMethod]:
        """The method used last time first; the rest in the server's order."""
        methods = list(self.methods or [])
        return sorted(methods, key=lambda m: m.id != self.last_method)

    async def cancel_in_progress(self) -> bool:
        return await _cancel_in_progress(self)


@ft.observable
@dataclass
class ConfirmPaymentViewModel:
    bills: BillsRepository
    payments: PaymentsRepository
    bill_id: str
    method: str
    payer_name: str = ""
    # Made once per visit of the confirm screen: every tap and every retry of this visit reuse it.
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    detail: BillDetail | None = None
    offered: PaymentMethod | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    running: bool = False
    cancelling: bool = False
    error: ApiFailure | None = None
    payment: Payment | None = None  # the payment this visit created: the screen moves on to it
    in_progress_id: str | None = None  # another live payment of this bill (409 payment_in_progress)

    async def load(self) -> None:
        if self.loading:
            return
        self.loading, self.error = True, None
        try:
            fetched, methods = await asyncio.gather(self.bills.bill(self.bill_id), self.payments.methods())
        except ApiFailure as failure:
            self.error = failure
        else:
            self.detail, self.fetched_at, self.stale = fetched.value, fetched.fetched_at, fetched.stale
            self.offered = next((m for m in methods if m.id == self.method), None)
            if self.offered is None:
                self.error = ApiFailure("method_not_available")
        finally:
            self.loading = False

    @property
    def payable(self) -> bool:
        return bill_payable(self.detail) and self.offered is not None

    @property
    def amount(self) -> int:
        return self.detail.summary.amount_due if self.detail else 0

    @property
    def fee(self) -> int:
        return self.offered.fee if self.offered else 0

    async def pay(self) -> Payment | None:
        """Ask once; a second tap while asking, or after the payment exists, does nothing."""
        if self.running or self.payment is not None or not self.payable or self.in_progress_id:
            return self.payment
        self.running, self.error = True, None
        try:
            self.payment = await self.payments.create(self.bill_id, self.method, self.idempotency_key)
        except ApiFailure as failure:
            if failure.code == "payment_in_progress" and failure.details.get("payment_id"):
                self.in_progress_id = str(failure.details["payment_id"])
            else:
                self.error = failure
            if failure.code == "bill_already_paid":
                await self._refresh_bill()
        finally:
            self.running = False
        return self.payment

    async def cancel_in_progress(self) -> bool:
        return await _cancel_in_progress(self)

    async def _refresh_bill(self) -> None:
        try:
            fetched = await self.bills.bill(self.bill_id)
        except ApiFailure:
            return
        if not fetched.stale:
            self.detail, self.fetched_at, self.stale = fetched.value, fetched.fetched_at, False


@ft.observable
@dataclass
class ConfirmLinkedViewModel:
    """Paying with a linked account: the same summary, then the owner's PIN or biometrics, then one charge.

    The Idempotency-Key is made once per visit, as for the other methods: a retry after a lost
    answer names the same payment. Each charge needs a fresh confirmation (it is good for one payment).
    """

    bills: BillsRepository
    payments: PaymentsRepository
    accounts: AccountsRepository
    bill_id: str
    source_id: str
    payer_name: str = ""
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    detail: BillDetail | None = None
    source: PaymentSource | None = None
    face_check: FaceCheck | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    loading: bool = False
    asking_owner: bool = False  # the summary was accepted: now the PIN or biometrics
    running: bool = False
    error: ApiFailure | None = None
    payment: Payment | None = None
    in_progress_id: str | None = None
    cancelling: bool = False

    async def load(self) -> None:
        if self.loading:
            return
        self.loading, self.error = True, None
        try:
            fetched, sources = await asyncio.gather(self.bills.bill(self.bill_id), self.accounts.sources())
            self.detail, self.fetched_at, self.stale = fetched.value, fetched.fetched_at, fetched.stale
            self.source = next((s for s in sources if s.id == self.source_id), None)
            if self.source is None:
                self.error = ApiFailure("source_not_found")
            elif not self.source.usable:
                self.error = ApiFailure("source_not_active")
            elif bill_payable(self.detail):
                self.face_check = await self.accounts.face_check(self.amount)
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.loading = False

    @property
    def amount(self) -> int:
        return self.detail.summary.amount_due if self.detail else 0

    @property
    def fee(self) -> int:
        return 0  # institutions bear the fees; a linked account pays exactly the bill

    @property
    def method(self) -> str:
        return "linked"

    @property
    def blocked(self) -> str | None:
        return self.face_check.reason if self.face_check else None

    @property
    def payable(self) -> bool:
        return (bill_payable(self.detail) and self.source is not None and self.source.usable
                and not self.blocked and not self.in_progress_id)

    def accept_summary(self) -> None:
        if self.payable:
            self.asking_owner, self.error = True, None

    def back_to_summary(self) -> None:
        self.asking_owner = False

    async def pay(self, confirmation: str) -> Payment | None:
        """One charge per confirmation; a second call while charging, or after it, does nothing."""
        if self.running or self.payment is not None or not self.payable:
            return self.payment
        self.running, self.error = True, None
        try:
            self.payment = await self.payments.pay_with_source(self.bill_id, self.source_id, confirmation,
                                                               self.idempotency_key)
        except ApiFailure as failure:
            if failure.code == "payment_in_progress" and failure.details.get("payment_id"):
                self.in_progress_id = str(failure.details["payment_id"])
            elif failure.code == "face_check_required":
                reason = failure.details.get("reason") or "single_over_limit"
                self.face_check = FaceCheck(reason=str(reason), paid_today=int(failure.details.get("paid_today") or 0),
                                            single_limit=0, daily_limit=0)
            else:
                self.error = failure
            self.asking_owner = False
        finally:
            self.running = False
        return self.payment

    async def cancel_in_progress(self) -> bool:
        return await _cancel_in_progress(self)
