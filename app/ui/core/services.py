"""What views may reach: view-model factories and the shared observables, passed by context."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import flet as ft

from app.data.auth import AuthRepository
from app.data.bills import BillsRepository
from app.data.storage import SettingsStore
from app.ui.bill.view_model import BillViewModel
from app.ui.core.i18n import I18n
from app.ui.home.view_model import HomeViewModel
from app.ui.session.view_model import SessionViewModel
from app.ui.settings.view_model import SettingsViewModel
from app.ui.sign_in.view_model import SignInViewModel


@dataclass
class Services:
    i18n: I18n
    session: SessionViewModel
    auth: AuthRepository
    bills: BillsRepository
    settings_store: SettingsStore
    apply_locale: Callable[[str], None]
    open_url: Callable[[str], Awaitable[None]]

    def sign_in_vm(self) -> SignInViewModel:
        return SignInViewModel(auth=self.auth, session=self.session)

    def home_vm(self) -> HomeViewModel:
        return HomeViewModel(bills=self.bills)

    def bill_vm(self, bill_id: str) -> BillViewModel:
        return BillViewModel(bills=self.bills, bill_id=bill_id)

    def settings_vm(self) -> SettingsViewModel:
        return SettingsViewModel(i18n=self.i18n, store=self.settings_store, session=self.session,
                                 apply_locale=self.apply_locale)


ServicesContext = ft.create_context(None)
I18nContext = ft.create_context(I18n())


def use_services() -> Services:
    return ft.use_context(ServicesContext)


def use_i18n() -> I18n:
    """Subscribes the calling component to language changes."""
    return ft.use_context(I18nContext)
