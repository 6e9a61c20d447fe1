"""Everything the security screens share for one app session, reached as `services.security`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import flet as ft

from app.data.auth import AuthRepository
from app.data.security import BiometricPort, SecurityRepository
from app.data.storage import SettingsStore
from app.ui.session.view_model import SessionViewModel

if TYPE_CHECKING:  # the screens import app.ui.core.services, which imports this module
    from app.ui.security.owner_check import OwnerCheckViewModel


@ft.observable
@dataclass
class BiometricState:
    """Whether this device can and may unlock with a fingerprint or face (known after start-up)."""

    available: bool = False
    enabled: bool = False  # a key is kept in secure storage


@dataclass
class SecurityKit:
    security: SecurityRepository
    auth: AuthRepository
    session: SessionViewModel
    settings_store: SettingsStore
    biometrics: BiometricPort | None = None
    clock: Callable[[], float] = time.monotonic
    biometric: BiometricState = field(default_factory=BiometricState)

    async def load_biometric_state(self) -> None:
        available = self.biometrics is not None and await self.biometrics.available()
        self.biometric.available = bool(available)
        self.biometric.enabled = bool(available) and await self.security.has_biometric_key()

    def owner_check_vm(self) -> OwnerCheckViewModel:
        """For the pay confirmation: PIN, or biometrics when this device has them turned on."""
        from app.ui.security.owner_check import OwnerCheckViewModel
        return OwnerCheckViewModel(security=self.security, biometrics=self.biometrics,
                                   biometric_enabled=self.biometric.enabled, clock=self.clock)
