"""Linked bank accounts and wallets: the list, choosing a bank or wallet, the number, and the consent.

Linking is the provider's step, not ours: the payer approves on the bank's or wallet's own page
(OTP, approval in the wallet app), and the server hears the outcome from the provider. The app
opens that page once, then follows the link request until the provider has answered.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import flet as ft

from app.data.accounts import AccountsRepository
from app.data.api import ApiFailure, AuthFailure, NotFoundFailure
from app.models import LinkRequest, PaymentSource
from app.ui.core.polling import TASK_PREFIX, Poller
from domain.banks import Bank, bank_by_bin, search_banks
from domain.phone import InvalidPhoneNumber, normalize_phone
from domain.text import normalize_for_match
from domain.wallets import WALLETS, Wallet, wallet_by_id
from app.ui.core.fetching import load_fresh

log = logging.getLogger("dongphi.accounts")

LINK_POLL_INTERVAL = 2.0
LINK_POLL_MAX = 15 * 60.0  # the provider's consent page expires well before this


async def _no_url(_url: str) -> None:
    return None


@ft.observable
@dataclass
class AccountsViewModel:
    accounts: AccountsRepository
    sources: list[PaymentSource] | None = None
    loading: bool = False
    busy_id: str | None = None  # the source an action is running on (blocks double taps)
    confirm_unlink_id: str | None = None  # unlinking asks once more
    error: ApiFailure | None = None

    async def load(self) -> None:
        await load_fresh(self, self.accounts.sources, lambda value: setattr(self, "sources", value))

    def ask_unlink(self, source_id: str | None) -> None:
        self.confirm_unlink_id, self.error = source_id, None

    async def unlink(self, source_id: str) -> bool:
        return await self._run(source_id, lambda: self.accounts.unlink(source_id))

    async def make_default(self, source_id: str) -> bool:
        return await self._run(source_id, lambda: self.accounts.make_default(source_id))

    async def confirm_name(self, source_id: str) -> bool:
        return await self._run(source_id, lambda: self.accounts.confirm_name(source_id))

    async def relink(self, source_id: str) -> LinkRequest | None:
        if self.busy_id:
            return None
        self.busy_id, self.error = source_id, None
        try:
            return await self.accounts.relink(source_id, str(uuid.uuid4()))
        except ApiFailure as failure:
            self.error = failure
            return None
        finally:
            self.busy_id = None

    async def _run(self, source_id: str, action: Callable[[], Awaitable[object]]) -> bool:
        if self.busy_id:
            return False
        self.busy_id, self.error = source_id, None
        try:
            await action()
            self.confirm_unlink_id = None
            self.sources = await self.accounts.sources()
            return True
        except ApiFailure as failure:
            self.error = failure
            return False
        finally:
            self.busy_id = None


@ft.observable
@dataclass
class ChooseProviderViewModel:
    """Banks from the NAPAS list (by name, short name or BIN), or one of the wallets."""

    kind: str  # bank | wallet
    query: str = ""

    def search(self, text: str) -> None:
        self.query = text

    @property
    def banks(self) -> list[Bank]:
        return [b for b in search_banks(self.query) if not b.is_wallet]

    @property
    def wallets(self) -> list[Wallet]:
        q = normalize_for_match(self.query)
        return [w for w in WALLETS if not q or q in normalize_for_match(w.name) or q == w.bin]


def provider_name(kind: str, provider: str) -> str:
    if kind == "wallet":
        wallet = wallet_by_id(provider)
        return wallet.name if wallet else provider
    bank = bank_by_bin(provider)
    return bank.short_name if bank else provider


@ft.observable
@dataclass
class AccountNumberViewModel:
    """The number to link, checked here first so a typo costs no trip to the bank's page."""

    accounts: AccountsRepository
    kind: str
    provider: str
    number: str = ""
    problem: str | None = None  # a local check's failure code (same codes the server uses)
    running: bool = False
    error: ApiFailure | None = None
    link: LinkRequest | None = None
    # One per visit: a retry after a lost answer names the same link request, never a second one.
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    def type_number(self, text: str) -> None:
        self.number, self.problem = text, None

    @property
    def known_provider(self) -> bool:
        if self.kind == "wallet":
            return wallet_by_id(self.provider) is not None
        bank = bank_by_bin(self.provider)
        return bank is not None and not bank.is_wallet

    def _check(self) -> str | None:
        if not self.known_provider:
            return "unknown_wallet" if self.kind == "wallet" else "unknown_bank"
        if self.kind == "wallet":
            try:
                normalize_phone(self.number)
            except InvalidPhoneNumber:
                return "wallet_phone_invalid"
            return None
        digits = "".join(self.number.split())
        if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 19):
            return "account_number_invalid"
        return None

    async def start(self) -> LinkRequest | None:
        if self.running or self.link is not None:
            return self.link
        self.problem = self._check()
        if self.problem:
            return None
        self.running, self.error = True, None
        number = self.number.strip() if self.kind == "wallet" else "".join(self.number.split())
        try:
            self.link = await self.accounts.start_link(self.kind, self.provider, number, self.idempotency_key)
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.running = False
        return self.link


@ft.observable
@dataclass(eq=False)
class LinkProgressViewModel:
    """Follows one link request: opens the provider's consent page once, then waits for its answer."""

    accounts: AccountsRepository
    link_id: str
    open_url: Callable[[str], Awaitable[None]] = _no_url
    interval: float = LINK_POLL_INTERVAL
    max_duration: float = LINK_POLL_MAX
    link: LinkRequest | None = None
    opened: bool = False
    confirming: bool = False
    name_confirmed: bool = False
    removed: bool = False
    error: ApiFailure | None = None

    def __post_init__(self) -> None:
        self._poller = Poller(self._tick, interval=self.interval, max_duration=self.max_duration,
                              name=f"{TASK_PREFIX}:link:{self.link_id}")

    def start(self) -> None:
        self._poller.start()

    def stop(self) -> None:
        self._poller.stop()

    async def _tick(self) -> bool:
        await self.refresh()
        if self.link is not None and self.link.pending and not self.opened and self.link.approve_url:
            await self.open_consent()
        if isinstance(self.error, (NotFoundFailure, AuthFailure)):
            return False
        return self.link is None or self.link.pending

    async def refresh(self) -> None:
        try:
            self.link = await self.accounts.link(self.link_id)
            self.error = None
        except ApiFailure as failure:
            self.error = failure

    async def open_consent(self) -> None:
        if self.link is None or not self.link.approve_url:
            return
        self.opened = True
        try:
            await self.open_url(self.link.approve_url)
        except Exception as exc:  # a launcher problem must not end the follow-up
            log.warning("could not open the consent page: %s", exc)
            self.error = ApiFailure("launch_failed")

    @property
    def needs_name_confirmation(self) -> bool:
        source = self.link.source if self.link else None
        return source is not None and source.status == "needs_name_confirmation" and not self.name_confirmed

    async def confirm_name(self) -> None:
        source = self.link.source if self.link else None
        if self.confirming or source is None:
            return
        self.confirming, self.error = True, None
        try:
            await self.accounts.confirm_name(source.id)
            self.name_confirmed = True
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.confirming = False

    async def remove(self) -> bool:
        """"Not mine": the link the payer did not mean to make is undone at once."""
        source = self.link.source if self.link else None
        if self.confirming or source is None:
            return False
        self.confirming, self.error = True, None
        try:
            await self.accounts.unlink(source.id)
            self.removed = True
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.confirming = False
        return self.removed
