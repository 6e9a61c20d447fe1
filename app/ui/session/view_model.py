"""Who is signed in. Every screen hangs off this; a 401 anywhere lands here."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure, AuthFailure
from app.data.auth import AuthRepository
from app.data.bills import BillsRepository
from app.data.payments import PaymentsRepository
from app.models import User


@ft.observable
@dataclass
class SessionViewModel:
    auth: AuthRepository
    bills: BillsRepository
    status: str = "starting"  # starting | signed_out | signed_in
    user: User | None = None
    notice: str | None = None  # a failure code to explain why the user is signed out
    running: bool = False
    payments: PaymentsRepository | None = None
    on_signed_out: object = None  # set by the composition root: screens' shared state to drop
    accounts: object = None  # AccountsRepository: its cached list is dropped on sign-out

    async def restore(self) -> None:
        """At launch: a stored token means signed in, even offline (cached data is shown then)."""
        if not await self.auth.has_token():
            self.status = "signed_out"
            return
        try:
            self.user = await self.auth.current_user()
        except AuthFailure:
            await self.auth.forget_token()
            self.status = "signed_out"
            return
        except ApiFailure:
            pass  # offline or server down: keep the token, screens show their own retry
        self.status = "signed_in"

    def signed_in(self, user: User) -> None:
        self.user, self.notice, self.status = user, None, "signed_in"

    async def sign_out(self) -> None:
        if self.running:
            return
        self.running = True
        try:
            await self.auth.sign_out()
        except ApiFailure:
            pass  # the token is already forgotten locally; the server expires it later
        finally:
            self._forget_data()
            self.user, self.status, self.running = None, "signed_out", False

    async def expired(self) -> None:
        """Called by the API client on any 401."""
        await self.auth.forget_token()
        self._forget_data()
        if self.status == "signed_in":
            self.notice = "session_expired"
        self.user, self.status = None, "signed_out"

    def _forget_data(self) -> None:
        self.bills.forget()
        if self.payments is not None:
            self.payments.forget()
        if self.accounts is not None:
            self.accounts.forget()
        if callable(self.on_signed_out):
            self.on_signed_out()
