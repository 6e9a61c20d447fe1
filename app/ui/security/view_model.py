"""State and commands of the security screens: first PIN, lock, reset, change, devices, settings,
and the two watchers (background time -> lock, inactivity -> warning -> sign-out)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure
from app.data.auth import AuthRepository
from app.data.security import BiometricPort, SecurityRepository
from app.data.storage import SettingsStore
from app.models import Device
from app.ui.security.owner_check import PinCheck, digits
from app.ui.session.view_model import SessionViewModel
from domain.pin import pin_problem
from app.ui.core.fetching import load_fresh

log = logging.getLogger("dongphi.security")

LOCK_AFTER_KEY = "dongphi.lock_after"  # seconds in the background before the lock screen; not a secret
LOCK_AFTER_CHOICES = (0, 60, 300)
DEFAULT_LOCK_AFTER = 60
WARNING_SECONDS = 30
WATCH_TASK = "dongphi.watch.inactivity"  # a waiting loop (the test harness does not wait for it)


def _new_pin_problem(pin: str, repeat: str | None = None) -> ApiFailure | None:
    problem = pin_problem(pin)
    if problem is not None:
        return ApiFailure(problem.value)
    if repeat is not None and repeat != pin:
        return ApiFailure("pin_mismatch")
    return None


@ft.observable
@dataclass
class PinSetupViewModel:
    """Right after the first sign-in: six digits, then the same six again."""

    security: SecurityRepository
    session: SessionViewModel
    step: str = "enter"  # enter | repeat
    first: str = ""
    pin: str = ""
    running: bool = False
    error: ApiFailure | None = None

    def set_pin(self, value: str) -> None:
        self.pin = digits(value)
        # Instant feedback: once six digits are typed, say at once if they are too simple.
        problem = pin_problem(self.pin) if len(self.pin) == 6 and self.step == "enter" else None
        self.error = ApiFailure(problem.value) if problem is not None else None

    async def next(self, shown: str | None = None) -> None:
        if self.running:
            return
        if shown is not None:
            self.set_pin(shown)
        if self.step == "enter":
            self.error = _new_pin_problem(self.pin)
            if self.error is None:
                self.first, self.pin, self.step = self.pin, "", "repeat"
            return
        if self.pin != self.first:
            self.first, self.pin, self.step, self.error = "", "", "enter", ApiFailure("pin_mismatch")
            return
        self.running, self.error = True, None
        try:
            await self.security.set_pin(self.pin)
        except ApiFailure as failure:
            self.error = failure
            if failure.code in ("pin_format", "pin_too_simple"):
                self.first, self.pin, self.step = "", "", "enter"
        else:
            self.session.pin_set()
        finally:
            self.running = False

    def back(self) -> None:
        self.first, self.pin, self.step, self.error = "", "", "enter", None


@ft.observable
@dataclass
class PinResetViewModel:
    """Forgot PIN / PIN blocked: a one-time code by SMS to the user's phone, then a new PIN twice."""

    security: SecurityRepository
    auth: AuthRepository
    session: SessionViewModel
    code_sent: bool = False
    code: str = ""
    new_pin: str = ""
    repeat: str = ""
    running: bool = False
    error: ApiFailure | None = None
    done: bool = False

    def set_code(self, value: str) -> None:
        self.code, self.error = re.sub(r"\D", "", value or "")[:6], None

    def set_new_pin(self, value: str) -> None:
        self.new_pin = digits(value)
        problem = pin_problem(self.new_pin) if len(self.new_pin) == 6 else None
        self.error = ApiFailure(problem.value) if problem is not None else None

    def set_repeat(self, value: str) -> None:
        self.repeat, self.error = digits(value), None

    async def send_code(self) -> None:
        user = self.session.user
        if self.running or user is None:
            return
        self.running, self.error = True, None
        try:
            await self.auth.request_code(user.phone)
        except ApiFailure as failure:
            self.error = failure
            if failure.code == "otp_resend_too_soon":  # the earlier code is still good
                self.code_sent = True
        else:
            self.code_sent = True
        finally:
            self.running = False

    async def reset(self, code: str | None = None, new_pin: str | None = None, repeat: str | None = None) -> bool:
        if self.running:
            return False
        if code is not None:
            self.set_code(code)
        if new_pin is not None:
            self.new_pin = digits(new_pin)
        if repeat is not None:
            self.repeat = digits(repeat)
        if not re.fullmatch(r"\d{6}", self.code):
            self.error = ApiFailure("code_format")
            return False
        self.error = _new_pin_problem(self.new_pin, self.repeat)
        if self.error is not None:
            return False
        self.running = True
        try:
            await self.security.reset_pin(self.code, self.new_pin)
        except ApiFailure as failure:
            self.error = failure
            if failure.code in ("otp_expired", "otp_too_many_attempts", "otp_not_requested"):
                self.code, self.code_sent = "", False
            return False
        finally:
            self.running = False
        self.done = True
        self.session.pin_set()  # also unlocks
        return True


@ft.observable
@dataclass
class LockViewModel(PinCheck):
    """The lock screen: PIN (checked by the server) or biometrics when turned on; or reset; or sign out."""

    security: SecurityRepository
    session: SessionViewModel
    biometrics: BiometricPort | None = None
    biometric_enabled: bool = False
    pin: str = ""
    running: bool = False
    resetting: bool = False
    error: ApiFailure | None = None
    attempts_left: int | None = None
    locked_until: float | None = None
    reset_required: bool = False
    clock: Callable[[], float] = time.monotonic

    async def unlock_with_pin(self, shown: str | None = None) -> None:
        if await self.check_pin(shown) is not None:
            self.session.unlock()
        elif self.reset_required:
            self.resetting = True

    async def unlock_with_biometrics(self, reason: str) -> None:
        if await self.check_biometrics(reason) is not None:
            self.session.unlock()
        elif self.reset_required:
            self.resetting = True

    def forgot(self) -> None:
        self.resetting, self.error = True, None

    def back_to_pin(self) -> None:
        if not self.reset_required:
            self.resetting = False

    async def sign_out(self) -> None:
        await self.session.sign_out()


@ft.observable
@dataclass
class ChangePinViewModel(PinCheck):
    security: SecurityRepository
    current: str = ""
    new_pin: str = ""
    repeat: str = ""
    running: bool = False
    done: bool = False
    error: ApiFailure | None = None
    attempts_left: int | None = None
    locked_until: float | None = None
    reset_required: bool = False
    clock: Callable[[], float] = time.monotonic

    def set_current(self, value: str) -> None:
        self.current, self.error, self.done = digits(value), None, False

    def set_new_pin(self, value: str) -> None:
        self.new_pin, self.done = digits(value), False
        problem = pin_problem(self.new_pin) if len(self.new_pin) == 6 else None
        self.error = ApiFailure(problem.value) if problem is not None else None

    def set_repeat(self, value: str) -> None:
        self.repeat, self.error, self.done = digits(value), None, False

    async def save(self, current: str | None = None, new_pin: str | None = None, repeat: str | None = None) -> None:
        if self.running or self.locked or self.reset_required:
            return
        for value, setter in ((current, "current"), (new_pin, "new_pin"), (repeat, "repeat")):
            if value is not None:
                setattr(self, setter, digits(value))
        if len(self.current) != 6:
            self.error = ApiFailure("pin_current_required")
            return
        self.error = _new_pin_problem(self.new_pin, self.repeat)
        if self.error is not None:
            return
        self.running = True
        try:
            await self.security.set_pin(self.new_pin, self.current)
        except ApiFailure as failure:
            self.note_failure(failure)
            self.current = ""
            return
        finally:
            self.running = False
        self.clear_check()
        self.current, self.new_pin, self.repeat, self.done = "", "", "", True


@ft.observable
@dataclass
class DevicesViewModel:
    security: SecurityRepository
    devices: list[Device] | None = None
    loading: bool = False
    running: bool = False
    error: ApiFailure | None = None
    confirming: str | None = None  # the device the user tapped "Sign out this device" on

    async def load(self) -> None:
        await load_fresh(self, self.security.devices, lambda value: setattr(self, "devices", value))

    def ask(self, session_id: str) -> None:
        self.confirming, self.error = session_id, None

    def cancel(self) -> None:
        self.confirming = None

    async def sign_out_device(self) -> None:
        if self.running or self.confirming is None:
            return
        self.running, self.error = True, None
        try:
            await self.security.sign_out_device(self.confirming)
        except ApiFailure as failure:
            if failure.code != "session_not_found":  # already gone: the list below says so
                self.error = failure
        finally:
            self.running, self.confirming = False, None
        await self.load()


@ft.observable
@dataclass
class BiometricState:
    """Whether this device can and may unlock with a fingerprint or face (known after start-up)."""

    available: bool = False
    enabled: bool = False  # a key is kept in secure storage


@ft.observable
@dataclass
class SecuritySettingsViewModel(PinCheck):
    """Lock after (a preference) and the biometric switch (turning it on asks the PIN first)."""

    security: SecurityRepository
    store: SettingsStore
    biometric: BiometricState
    autolock: AutoLock
    lock_after: int = DEFAULT_LOCK_AFTER
    asking_pin: bool = False
    pin: str = ""
    running: bool = False
    error: ApiFailure | None = None
    attempts_left: int | None = None
    locked_until: float | None = None
    reset_required: bool = False
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self.lock_after = self.autolock.lock_after

    async def choose_lock_after(self, seconds: int | str) -> None:
        seconds = int(seconds)
        if seconds not in LOCK_AFTER_CHOICES:
            return
        self.lock_after = seconds
        await self.autolock.set_lock_after(seconds)

    async def toggle_biometrics(self, on: bool) -> None:
        if self.running:
            return
        if on and not self.biometric.enabled:
            self.asking_pin, self.pin, self.error = True, "", None
            return
        if not on and self.biometric.enabled:
            self.running = True
            try:
                await self.security.disable_biometrics()
            except ApiFailure as failure:
                log.warning("biometric key not revoked on the server: %s", failure)
            finally:
                self.biometric.enabled, self.running = False, False

    def cancel_pin(self) -> None:
        self.asking_pin, self.pin, self.error = False, "", None

    async def confirm_pin(self, shown: str | None = None) -> None:
        """Biometrics are turned on only after the PIN: its confirmation authorises the device's key."""
        confirmation = await self.check_pin(shown)
        if confirmation is None:
            return
        self.running = True
        try:
            await self.security.enable_biometrics(confirmation.token)
        except ApiFailure as failure:
            self.note_failure(failure)
            return
        finally:
            self.running = False
        self.biometric.enabled, self.asking_pin = True, False


class AutoLock:
    """Background longer than "lock after" -> the lock screen when the app comes back."""

    HIDDEN = ("hide", "pause")
    SHOWN = ("show", "resume", "restart")

    def __init__(self, session: SessionViewModel, store: SettingsStore, clock: Callable[[], float] = time.monotonic):
        self.session, self.store, self.clock = session, store, clock
        self.lock_after = DEFAULT_LOCK_AFTER
        self.hidden_at: float | None = None

    async def load(self) -> None:
        saved = await self.store.get(LOCK_AFTER_KEY)
        if saved is not None and saved.isdigit() and int(saved) in LOCK_AFTER_CHOICES:
            self.lock_after = int(saved)

    async def set_lock_after(self, seconds: int) -> None:
        self.lock_after = seconds
        await self.store.set(LOCK_AFTER_KEY, str(seconds))

    def on_lifecycle(self, state) -> None:
        """`state`: ft.AppLifecycleState (or its value). "inactive" (a system dialog such as the fingerprint
        prompt, a call) does not count as the background."""
        value = getattr(state, "value", state)
        if value in self.HIDDEN:
            if self.hidden_at is None:
                self.hidden_at = self.clock()
        elif value in self.SHOWN and self.hidden_at is not None:
            away, self.hidden_at = self.clock() - self.hidden_at, None
            if away >= self.lock_after:
                self.session.lock()


@ft.observable
@dataclass
class InactivityViewModel:
    """Signs out after `timeout` seconds without the user doing anything; warns WARNING_SECONDS before.

    Activity: route changes, keys, typing and taps, requests the user made (ApiClient.on_activity). `clock` and
    `interval` are injectable so tests need not wait minutes."""

    session: SessionViewModel
    security: SecurityRepository
    timeout: float = 600.0
    warning_seconds: int = WARNING_SECONDS
    interval: float = 1.0
    clock: Callable[[], float] = time.monotonic
    warning_left: int | None = None  # seconds, while the warning is shown
    running: bool = False
    last_activity: float = 0.0
    _task: asyncio.Task | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.last_activity = self.clock()

    def touch(self) -> None:
        self.last_activity = self.clock()
        if self.warning_left is not None:
            self.warning_left = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._watch(), name=WATCH_TASK)

    def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    async def _watch(self) -> None:
        while True:
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the watch must go on
                log.exception("inactivity check failed")
            await asyncio.sleep(self.interval)

    async def check(self) -> None:
        if self.session.status != "signed_in":
            self.last_activity = self.clock()
            if self.warning_left is not None:
                self.warning_left = None
            return
        idle = self.clock() - self.last_activity
        if idle >= self.timeout:
            self.warning_left = None
            await self.session.sign_out(notice="session_idle")
            self.last_activity = self.clock()
        elif idle >= self.timeout - self.warning_seconds:
            left = max(int(self.timeout - idle + 0.999), 1)
            if left != self.warning_left:
                self.warning_left = left

    async def stay(self) -> None:
        """"Stay signed in": a request to the server, so its session does not go idle either."""
        if self.running:
            return
        self.running = True
        self.touch()
        try:
            await self.security.touch()
        except ApiFailure as failure:
            log.info("could not reach the server to stay signed in: %s", failure)
        finally:
            self.running = False

    async def sign_out_now(self) -> None:
        self.warning_left = None
        await self.session.sign_out()
