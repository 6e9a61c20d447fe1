""""Nhờ người thân trả": make a pay request for a bill, share its link, follow and withdraw it; and, on the
relative's side, open a request by its token and pay it.

The link's token is in the answer to its creation only (the server keeps a hash), so the link can be
shared while this screen is open; afterwards the list shows the request's state, and who paid.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure
from app.data.bills import BillsRepository
from app.data.family import PayRequestsRepository
from app.data.payments import PaymentsRepository
from app.models import BillDetail, Payment, PaymentMethod, PayRequestInfo, PayRequestLink, PayRequestView


def first_name(full_name: str) -> str:
    """What the relative sees of the person: "Nguyễn Văn Hùng" is Hùng (the server's rule)."""
    words = full_name.split()
    return words[-1] if words else ""


@ft.observable
@dataclass
class ShareBillViewModel:
    requests: PayRequestsRepository
    bills: BillsRepository
    bill_id: str
    bill: BillDetail | None = None
    items: list[PayRequestInfo] | None = None
    loading: bool = False
    error: ApiFailure | None = None
    created: PayRequestLink | None = None  # the link made on this screen (its token is shown only now)
    creating: bool = False
    busy_id: str | None = None  # the request being withdrawn
    confirm_withdraw_id: str | None = None
    action_error: ApiFailure | None = None
    copied: bool = False

    async def load(self) -> None:
        if self.loading:
            return
        self.loading, self.error = True, None
        try:
            if self.bill is None:
                self.bill = (await self.bills.bill(self.bill_id)).value
            self.items = await self.requests.for_bill(self.bill_id)
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.loading = False

    async def create(self) -> PayRequestLink | None:
        if self.creating or self.busy_id:
            return None
        self.creating, self.action_error, self.copied = True, None, False
        try:
            self.created = await self.requests.create(self.bill_id)
        except ApiFailure as failure:
            self.action_error = failure
            return None
        finally:
            self.creating = False
        await self._refresh()
        return self.created

    def ask_withdraw(self, request_id: str | None) -> None:
        self.confirm_withdraw_id, self.action_error = request_id, None

    async def withdraw(self, request_id: str) -> bool:
        if self.busy_id or self.creating:
            return False
        self.busy_id, self.action_error = request_id, None
        try:
            await self.requests.withdraw(self.bill_id, request_id)
        except ApiFailure as failure:
            self.action_error = failure
            return False
        finally:
            self.busy_id = None
        self.confirm_withdraw_id = None
        if self.created is not None and self.created.id == request_id:
            self.created = None  # the link no longer works: nothing left to share
        await self._refresh()
        return True

    def mark_copied(self) -> None:
        self.copied = True

    async def _refresh(self) -> None:
        try:
            self.items = await self.requests.for_bill(self.bill_id)
        except ApiFailure:
            pass  # the action itself succeeded; the list catches up on the next load


@ft.observable
@dataclass
class OpenPayRequestViewModel:
    """A relative's side: what the request shows, and paying it in their own name with any method."""

    requests: PayRequestsRepository
    token: str
    payments: PaymentsRepository | None = None  # the methods offered; without them, VietQR alone
    methods: list[PaymentMethod] = field(default_factory=list)
    method: str = "vietqr"
    view: PayRequestView | None = None
    loading: bool = False
    error: ApiFailure | None = None
    paying: bool = False
    pay_error: ApiFailure | None = None
    payment: Payment | None = None
    # One per visit: a retry after a lost answer names the same payment, never a second one.
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    async def load(self) -> None:
        if self.loading:
            return
        self.loading, self.error = True, None
        try:
            self.view = await self.requests.view(self.token)
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.loading = False
        if self.payments is not None and not self.methods:
            try:
                self.methods = await self.payments.methods()
            except ApiFailure:
                self.methods = []  # VietQR is always there

    def choose(self, method: str) -> None:
        """Another method is another payment: it gets its own key (the same key with another body is refused)."""
        if method != self.method and not self.paying:
            self.method, self.idempotency_key, self.pay_error = method, str(uuid.uuid4()), None

    @property
    def payable(self) -> bool:
        return self.view is not None and self.view.status == "open"

    async def pay(self) -> Payment | None:
        if self.paying:
            return None
        self.paying, self.pay_error = True, None
        try:
            self.payment = await self.requests.pay(self.token, self.method, self.idempotency_key)
        except ApiFailure as failure:
            self.pay_error = failure
            if failure.code in ("pay_request_withdrawn", "pay_request_expired", "bill_already_paid",
                                "bill_cancelled"):
                await self.load()  # show the request as it is now
            return None
        finally:
            self.paying = False
        return self.payment
