"""Guided mode ("Chế độ dễ dùng"): larger text, higher contrast, one step per screen, a help button.

Asked once at first launch and switchable in Settings; remembered on the device (it is about this
phone's user, not the account: a relative may sign in on the same phone). The person to call for help
is kept the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import flet as ft

from app.data.storage import SettingsStore
from domain.phone import InvalidPhoneNumber, normalize_phone

MODE_KEY = "dongphi.guided_mode"  # "on" | "off"; missing: never asked
HELPER_KEY = "dongphi.guided_helper"  # {"name", "phone"} of the family member to call


@ft.observable
@dataclass
class GuidedMode:
    store: SettingsStore
    apply: Callable[[bool], None] = lambda on: None  # re-themes the page
    on: bool = False
    asked: bool | None = None  # None until read from the device: nothing is asked before that
    helper_name: str = ""
    helper_phone: str = ""  # canonical +84…
    helper_error: str | None = None  # helper_name_missing | helper_phone_invalid

    async def load(self) -> None:
        saved = await self.store.get(MODE_KEY)
        self.asked, self.on = saved in ("on", "off"), saved == "on"
        try:
            helper = json.loads(await self.store.get(HELPER_KEY) or "{}")
        except ValueError:
            helper = {}
        if isinstance(helper, dict):
            self.helper_name, self.helper_phone = str(helper.get("name", "")), str(helper.get("phone", ""))
        self.apply(self.on)

    async def choose(self, on: bool) -> None:
        self.on, self.asked = bool(on), True
        self.apply(self.on)
        await self.store.set(MODE_KEY, "on" if self.on else "off")

    async def set_helper(self, name: str, phone: str) -> bool:
        """Both or neither: an empty pair forgets the helper."""
        name, phone = " ".join((name or "").split())[:60], (phone or "").strip()
        if not name and not phone:
            self.helper_name = self.helper_phone = ""
            self.helper_error = None
            await self.store.set(HELPER_KEY, "{}")
            return True
        if not name:
            self.helper_error = "helper_name_missing"
            return False
        try:
            canonical = normalize_phone(phone)
        except InvalidPhoneNumber:
            self.helper_error = "helper_phone_invalid"
            return False
        self.helper_name, self.helper_phone, self.helper_error = name, canonical, None
        await self.store.set(HELPER_KEY, json.dumps({"name": name, "phone": canonical}, ensure_ascii=False))
        return True
