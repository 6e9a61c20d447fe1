"""Language and sign-out. The chosen language is remembered on the device (not a secret)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from app.data.storage import SettingsStore
from app.ui.core.i18n import I18n
from app.ui.session.view_model import SessionViewModel

LANG_KEY = "dongphi.lang"


@ft.observable
@dataclass
class SettingsViewModel:
    i18n: I18n
    store: SettingsStore
    session: SessionViewModel
    apply_locale: Callable[[str], None] = lambda _lang: None

    async def choose_language(self, lang: str) -> None:
        if lang == self.i18n.lang:
            return
        self.i18n.set_lang(lang)
        self.apply_locale(lang)
        await self.store.set(LANG_KEY, lang)

    async def sign_out(self) -> None:
        await self.session.sign_out()
