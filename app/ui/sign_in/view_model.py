"""Sign-in in two steps (phone, then the 6-digit code) with guards against double taps."""

from __future__ import annotations

import re
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.data.auth import AuthRepository
from app.ui.session.view_model import SessionViewModel
from domain.phone import InvalidPhoneNumber, display_phone, normalize_phone


@ft.observable
@dataclass
class SignInViewModel:
    auth: AuthRepository
    session: SessionViewModel
    step: str = "phone"  # phone | code
    phone: str = ""
    code: str = ""
    canonical_phone: str = ""
    running: bool = False
    error: ApiFailure | None = None
    info: str | None = None  # "code_sent"

    def set_phone(self, value: str) -> None:
        self.phone, self.error = value, None

    def set_code(self, value: str) -> None:
        # Accept pasted codes with spaces ("123 456") and keep only digits.
        self.code, self.error = re.sub(r"\D", "", value)[:6], None

    @property
    def display_phone(self) -> str:
        return display_phone(self.canonical_phone) if self.canonical_phone else ""

    async def submit_phone(self, shown: str | None = None) -> None:
        """`shown` is the field's text at the tap, when the view knows it (it wins over the last change)."""
        if self.running:
            return
        if shown is not None:
            self.phone = shown
        try:
            canonical = normalize_phone(self.phone)
        except InvalidPhoneNumber:
            self.error = ApiFailure("invalid_phone")
            return
        await self._send_code(canonical)

    async def resend(self) -> None:
        if not self.running and self.canonical_phone:
            await self._send_code(self.canonical_phone)

    async def _send_code(self, canonical: str) -> None:
        self.running, self.error, self.info = True, None, None
        try:
            sent = await self.auth.request_code(canonical)
        except ApiFailure as failure:
            self.error = failure
            # A throttled resend still leaves the earlier code valid: go on to the code step.
            if failure.code == "otp_resend_too_soon" and self.step == "phone":
                self.canonical_phone, self.step = canonical, "code"
        else:
            self.canonical_phone, self.step, self.code, self.info = sent.phone, "code", "", "code_sent"
        finally:
            self.running = False

    async def submit_code(self, shown: str | None = None) -> None:
        if self.running:
            return
        if shown is not None:
            self.set_code(shown)
        if not re.fullmatch(r"\d{6}", self.code):
            self.error = ApiFailure("code_format")
            return
        self.running, self.error, self.info = True, None, None
        try:
            user = await self.auth.verify_code(self.canonical_phone, self.code)
        except ApiFailure as failure:
            self.error = failure
            if failure.code in ("otp_too_many_attempts", "otp_expired", "otp_not_requested"):
                self.code = ""
        else:
            self.session.signed_in(user)
        finally:
            self.running = False

    def change_phone(self) -> None:
        self.step, self.code, self.error, self.info = "phone", "", None, None
