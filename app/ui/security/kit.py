"""Everything the security screens share for one app session, reached as `services.security`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.data.auth import AuthRepository
from app.data.security import BiometricPort, SecurityRepository
from app.data.storage import SettingsStore
from app.ui.security.owner_check import OwnerCheckViewModel
from app.ui.security.view_model import (AutoLock, BiometricState, ChangePinViewModel, DevicesViewModel,
                                        InactivityViewModel, LockViewModel, PinResetViewModel, PinSetupViewModel,
                                        SecuritySettingsViewModel)
from app.ui.session.view_model import SessionViewModel


@dataclass
class SecurityKit:
    security: SecurityRepository
    auth: AuthRepository
    session: SessionViewModel
    settings_store: SettingsStore
    biometrics: BiometricPort | None = None
    clock: Callable[[], float] = time.monotonic
    inactivity_minutes: float = 10
    biometric: BiometricState = field(default_factory=BiometricState)
    autolock: AutoLock = None
    inactivity: InactivityViewModel = None

    def __post_init__(self) -> None:
        self.autolock = AutoLock(self.session, self.settings_store, self.clock)
        self.inactivity = InactivityViewModel(session=self.session, security=self.security,
                                              timeout=self.inactivity_minutes * 60, clock=self.clock)

    async def load(self) -> None:
        """At start: the lock-after preference and whether biometrics can and may be used here."""
        await self.autolock.load()
        available = self.biometrics is not None and await self.biometrics.available()
        self.biometric.available = bool(available)
        self.biometric.enabled = bool(available) and await self.security.has_biometric_key()

    async def forget_device_key(self) -> None:
        """On sign-out: the next person to sign in here must not unlock with this user's key."""
        self.biometric.enabled = False
        await self.security.forget_biometric_key()

    def owner_check_vm(self) -> OwnerCheckViewModel:
        """For the pay confirmation: PIN, or biometrics when this device has them turned on."""
        return OwnerCheckViewModel(security=self.security, biometrics=self.biometrics,
                                   biometric_enabled=self.biometric.enabled, clock=self.clock)

    def pin_setup_vm(self) -> PinSetupViewModel:
        return PinSetupViewModel(security=self.security, session=self.session)

    def lock_vm(self) -> LockViewModel:
        return LockViewModel(security=self.security, session=self.session, biometrics=self.biometrics,
                             biometric_enabled=self.biometric.enabled, clock=self.clock)

    def pin_reset_vm(self) -> PinResetViewModel:
        return PinResetViewModel(security=self.security, auth=self.auth, session=self.session)

    def change_pin_vm(self) -> ChangePinViewModel:
        return ChangePinViewModel(security=self.security, clock=self.clock)

    def devices_vm(self) -> DevicesViewModel:
        return DevicesViewModel(security=self.security)

    def security_settings_vm(self) -> SecuritySettingsViewModel:
        return SecuritySettingsViewModel(security=self.security, store=self.settings_store,
                                         biometric=self.biometric, autolock=self.autolock, clock=self.clock)
