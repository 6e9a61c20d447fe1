"""Who is signed in. Every screen hangs off this; a 401 anywhere lands here."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure, AuthFailure
from app.data.auth import AuthRepository
from app.data.bills import BillsRepository
from app.data.payments import PaymentsRepository
from app.models import User

log = logging.getLogger("dongphi.session")


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
    locked: bool = False  # signed in, but the owner must unlock (PIN or biometrics) before anything shows
    before_sign_out: object = None  # async, set by the composition root: what needs the session one last time

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
        # A restored session opens on the lock screen (unless no PIN was ever set: that screen comes first).
        self.locked = self.user is None or self.user.has_pin
        self.status = "signed_in"

    def signed_in(self, user: User) -> None:
        self.user, self.notice, self.locked, self.status = user, None, False, "signed_in"

    def lock(self) -> None:
        if self.status == "signed_in" and (self.user is None or self.user.has_pin):
            self.locked = True

    def unlock(self) -> None:
        self.locked = False

    def pin_set(self) -> None:
        """The user has an app PIN now (the first-time setup is over)."""
        if self.user is not None:
            self.user = dataclasses.replace(self.user, has_pin=True)
        self.locked = False

    async def sign_out(self, notice: str | None = None) -> None:
        """`notice`: why, when the app itself signs the user out (session_idle after inactivity)."""
        if self.running:
            return
        self.running = True
        try:
            if callable(self.before_sign_out):
                try:
                    await self.before_sign_out()
                except Exception:  # noqa: BLE001 - nothing may keep the user from signing out
                    log.exception("before sign-out failed")
            await self.auth.sign_out()
        except ApiFailure:
            pass  # the token is already forgotten locally; the server expires it later
        finally:
            self._forget_data()
            self.notice = notice
            self.user, self.status, self.running, self.locked = None, "signed_out", False, False

    async def expired(self, reason: str | None = None) -> None:
        """Called by the API client on any 401; `reason` is its code (session_idle, session_expired…)."""
        await self.auth.forget_token()
        self._forget_data()
        if self.status == "signed_in":
            self.notice = reason if reason == "session_idle" else "session_expired"
        self.user, self.status, self.locked = None, "signed_out", False

    def _forget_data(self) -> None:
        self.bills.forget()
        if self.payments is not None:
            self.payments.forget()
        if self.accounts is not None:
            self.accounts.forget()
        if callable(self.on_signed_out):
            self.on_signed_out()
