"""One payment after it was asked for: hand-off to the bank or wallet, waiting, then the outcome.

The state shown is always the server's: the screen asks again every `interval` seconds while it is
shown and the payment is still pending, and stops when the screen goes away (`stop`), when the
payment settles, or after `max_duration` (then the payer can ask again by hand).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure, AuthFailure, NotFoundFailure
from app.data.payments import PaymentsRepository
from app.models import Payment
from app.ui.core.polling import TASK_PREFIX, Poller

log = logging.getLogger("dongphi.payment")

POLL_INTERVAL = 2.0
POLL_MAX_DURATION = 30 * 60.0


async def _no_url(_url: str) -> None:
    return None


@ft.observable
@dataclass(eq=False)  # compared by identity: the page keeps a weak set of them to stop on close
class PaymentViewModel:
    payments: PaymentsRepository
    payment_id: str
    open_url: Callable[[str], Awaitable[None]] = _no_url
    interval: float = POLL_INTERVAL
    max_duration: float = POLL_MAX_DURATION
    payment: Payment | None = None
    loading: bool = False     # the first answer is not there yet
    checking: bool = False    # the payer asked to check now
    following: bool = False   # asking again by itself
    cancelling: bool = False
    opening: bool = False
    error: ApiFailure | None = None         # the last question that failed (the last answer stays shown)
    action_error: ApiFailure | None = None  # opening a page or cancelling failed
    copied: str | None = None               # which detail was copied last, for feedback

    def __post_init__(self) -> None:
        self.payment = self.payments.cached(self.payment_id)
        self._poller = Poller(self._tick, interval=self.interval, max_duration=self.max_duration,
                              name=f"{TASK_PREFIX}:{self.payment_id}", on_end=self._ended)

    # -- following ---------------------------------------------------------------------------
    def start(self) -> None:
        """When the screen appears. Settled payments are asked once; pending ones are followed."""
        self.following = True
        self._poller.start()

    def stop(self) -> None:
        """When the screen goes away (and when the app closes): no more questions in the background."""
        self._poller.stop()
        self.following = False

    def _ended(self) -> None:
        self.following = False

    async def _tick(self) -> bool:
        if not await self.refresh():
            return not isinstance(self.error, (NotFoundFailure, AuthFailure))
        if self.payments.take_auto_open(self.payment_id) and self.can_pay:
            await self.open_pay_page()
        return self.payment is not None and self.payment.pending

    async def refresh(self) -> bool:
        """One question to the server; False (with `error` set) when it could not answer."""
        if self.payment is None:
            self.loading = True
        try:
            self.payment = await self.payments.get(self.payment_id)
        except ApiFailure as failure:
            self.error = failure
            return False
        else:
            self.error = None
            return True
        finally:
            self.loading = False

    async def check_now(self) -> None:
        """The payer's "Check again": ask at once, and follow again if it is still pending."""
        if self.checking:
            return
        self.checking = True
        try:
            await self.refresh()
        finally:
            self.checking = False
        if self.payment is not None and self.payment.pending and not self._poller.running:
            self.start()

    # -- what the payer can do ---------------------------------------------------------------
    @property
    def can_pay(self) -> bool:
        """Hand-off only while the payer is expected to pay: never while the bank is being asked
        (`unknown`), when the money may already be on its way."""
        return self.payment is not None and self.payment.state in ("created", "awaiting_payer")

    @property
    def redirect(self) -> bool:
        """Paid on a provider's page (card, wallet) rather than by a transfer to an account."""
        return self.payment is not None and bool(self.payment.pay_url) and not self.payment.qr_payload

    async def open_pay_page(self) -> None:
        if self.payment is not None and self.payment.pay_url:
            await self._open(self.payment.pay_url)

    async def open_bank_app(self) -> None:
        if self.payment is not None and self.payment.bank_app_url:
            await self._open(self.payment.bank_app_url)

    async def _open(self, url: str) -> None:
        if self.opening:
            return
        self.opening, self.action_error = True, None
        try:
            await self.open_url(url)
        except Exception as exc:  # noqa: BLE001 - no browser or app to open it: say so, never crash
            log.warning("could not open %s: %r", url.split("?")[0], exc)
            self.action_error = ApiFailure("launch_failed", str(exc))
        finally:
            self.opening = False

    def mark_copied(self, what: str) -> None:
        self.copied = what

    async def cancel(self) -> None:
        if self.cancelling or not self.can_pay:
            return
        self.cancelling, self.action_error = True, None
        try:
            self.payment = await self.payments.cancel(self.payment_id)
        except ApiFailure as failure:
            self.action_error = failure
            await self.refresh()  # it may have just been paid: show what is true now
        finally:
            self.cancelling = False
