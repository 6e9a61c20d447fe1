"""Owner check: the PIN or biometrics, moments before an action that needs the device's owner (paying).

Embed `OwnerCheckPanel(vm, on_confirmed)` in a screen; `on_confirmed(confirmation)` receives a token the
server accepts once, within a couple of minutes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.data.security import BiometricPort, SecurityRepository
from app.models import Confirmation
from app.ui.core import theme
from app.ui.core.components import error_banner, primary_button, text_button, typed
from app.ui.security.countdown import seconds_until, use_ticker
from app.ui.security.texts import lock_seconds, security_text
from domain.pin import PIN_LENGTH


def digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")[:PIN_LENGTH]


class PinCheck:
    """What asking for the PIN shares (a mixin over the view-model's fields `error`, `attempts_left`,
    `locked_until`, `reset_required`, `clock`): attempts left, a lock with its end, the need to reset."""

    @property
    def locked(self) -> bool:
        return seconds_until(self.locked_until, self.clock) > 0

    @property
    def lock_seconds_left(self) -> int:
        return seconds_until(self.locked_until, self.clock)

    def note_failure(self, failure: ApiFailure) -> None:
        self.error = failure
        if failure.code == "pin_wrong":
            left = failure.details.get("attempts_left")
            self.attempts_left = int(left) if left is not None else None
        elif failure.code == "pin_locked":
            self.locked_until = self.clock() + (lock_seconds(failure) or 60)
            self.attempts_left = None
        elif failure.code == "pin_reset_required":
            self.reset_required, self.locked_until = True, None

    def clear_check(self) -> None:
        self.error, self.attempts_left, self.locked_until, self.reset_required = None, None, None, False

    def set_pin(self, value: str) -> None:
        self.pin, self.error = digits(value), None

    async def check_pin(self, shown: str | None = None) -> Confirmation | None:
        """The server's confirmation for the PIN typed (`shown`: what the field shows), or None with the
        failure noted (attempts left, lock, reset). Needs the fields `security`, `pin` and `running`."""
        if self.running or self.locked or self.reset_required:
            return None
        if shown is not None:
            self.set_pin(shown)
        if len(self.pin) != PIN_LENGTH:
            self.error = ApiFailure("pin_format")
            return None
        self.running, self.error = True, None
        try:
            confirmation = await self.security.verify_pin(self.pin)
        except ApiFailure as failure:
            self.note_failure(failure)
            return None
        finally:
            self.running, self.pin = False, ""
        self.clear_check()
        return confirmation

    async def check_biometrics(self, reason: str) -> Confirmation | None:
        """The device's biometric prompt, then the server's confirmation for this device's key.
        Needs the fields `biometrics` and `biometric_enabled` too."""
        if self.running or not self.biometric_enabled or self.biometrics is None:
            return None
        self.running, self.error = True, None
        try:
            if not await self.biometrics.authenticate(reason):
                self.error = ApiFailure("biometric_failed")
                return None
            confirmation = await self.security.verify_biometric()
        except ApiFailure as failure:
            self.note_failure(failure)
            if failure.code == "biometric_key_invalid":
                self.biometric_enabled = False
            return None
        finally:
            self.running = False
        self.clear_check()
        return confirmation


@ft.observable
@dataclass
class OwnerCheckViewModel(PinCheck):
    security: SecurityRepository
    biometrics: BiometricPort | None = None
    biometric_enabled: bool = False
    pin: str = ""
    running: bool = False
    error: ApiFailure | None = None
    attempts_left: int | None = None
    locked_until: float | None = None  # clock() time when the server takes PINs again
    reset_required: bool = False
    clock: Callable[[], float] = time.monotonic

    async def with_pin(self, pin: str | None = None) -> str | None:
        """A confirmation token when the PIN is right; otherwise None with `error` (and attempts/lock) set."""
        confirmation = await self.check_pin(pin)
        return confirmation.token if confirmation else None

    async def with_biometrics(self, reason: str) -> str | None:
        confirmation = await self.check_biometrics(reason)
        return confirmation.token if confirmation else None


def pin_field(i18n, key: str, label: str, value: str, on_change, *, on_submit=None, disabled: bool = False,
              autofocus: bool = False, ref=None) -> ft.TextField:
    """Six digits, hidden, with the number keyboard and large text."""
    return ft.TextField(
        key=key, label=label, value=value, password=True, can_reveal_password=True, max_length=PIN_LENGTH,
        keyboard_type=ft.KeyboardType.NUMBER, on_change=on_change, on_submit=on_submit, disabled=disabled,
        text_size=theme.TITLE, autofocus=autofocus, ref=ref,
    )


def lock_notice(i18n, check: PinCheck, key: str) -> ft.Control | None:
    """The countdown while locked, else the last error; None when there is nothing to say."""
    if check.locked:
        return error_banner(i18n.t("Too many wrong PINs. Try again in {seconds} s.",
                                   seconds=check.lock_seconds_left), key=key)
    if check.error is not None:
        return error_banner(security_text(i18n, check.error), key=key)
    return None


@ft.component
def OwnerCheckPanel(vm: OwnerCheckViewModel, on_confirmed: Callable[[str], Awaitable[None]],
                    reason: str | None = None, on_reset: Callable | None = None) -> ft.Control:
    """PIN field ("owner-pin"), confirm ("owner-confirm"), biometrics ("owner-biometrics") when enabled."""
    from app.ui.core.services import use_i18n  # here: app.ui.core.services imports this package's kit
    check, _ = ft.use_state(lambda: vm)
    i18n = use_i18n()
    t = i18n.t
    field = ft.use_ref(None)
    use_ticker(check.locked)

    async def confirm(e=None):
        shown = e.data if e is not None and getattr(e, "name", "") == "submit" and isinstance(e.data, str) \
            else (field.current.value if field.current is not None else None)
        token = await check.with_pin(shown if isinstance(shown, str) else None)
        if token is not None:
            await on_confirmed(token)

    async def biometrics(_e=None):
        token = await check.with_biometrics(reason or t("Confirm it is you"))
        if token is not None:
            await on_confirmed(token)

    blocked = check.locked or check.reset_required
    controls: list[ft.Control] = [
        ft.Text(t("Confirm it is you with your app PIN."), size=theme.BODY),
        pin_field(i18n, "owner-pin", t("App PIN"), check.pin, lambda e: check.set_pin(typed(e)),
                  on_submit=confirm, disabled=blocked or check.running, ref=field),
        primary_button(t("Confirm"), confirm, key="owner-confirm", disabled=blocked, busy=check.running),
    ]
    if check.biometric_enabled and check.biometrics is not None:
        controls.append(text_button(t("Use fingerprint or face"), biometrics, key="owner-biometrics",
                                    disabled=check.running))
    notice = lock_notice(i18n, check, "owner-error")
    if notice is not None:
        controls.append(notice)
    if check.reset_required and on_reset is not None:
        controls.append(text_button(t("Reset my PIN"), on_reset, key="owner-reset"))
    return ft.Column(controls, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, key="owner-check")
