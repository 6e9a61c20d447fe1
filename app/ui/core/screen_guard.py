"""Which screens are kept out of screenshots and recordings, decided in one place.

Payment details (choosing how to pay, confirming, a payment in progress, the receipt), the linked bank
accounts and wallets, and every PIN screen are protected while shown; leaving them releases the shield.
The App component says which kind of screen it shows (`show`); the composition root reports route
changes (`route_changed`). The shield is applied by one task at a time, so quick changes end in the
last state asked for.
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import urlparse

from app.data.screen_shield import NoScreenShield, ScreenShield

log = logging.getLogger("dongphi.screen_guard")

SHIELD_TASK = "dongphi.shield"

PROTECTED_SCREENS = frozenset({"pin_setup", "lock"})  # shown instead of the routed screens
PROTECTED_ROUTES = tuple(re.compile(p) for p in (
    r"^/bills/[^/]+/pay(/.*)?$",              # choose a method, confirm, confirm with a linked account
    r"^(/bills/[^/]+|/notifications)?/payments/[^/]+$",  # a payment in progress, its receipt
    r"^/r/[^/]+(/payments/[^/]+)?$",          # a relative's request: choosing how to pay, paying it
    r"^/accounts(/.*)?$",                     # linked bank accounts and wallets, linking one
    r"^/settings(/pin)?$",                    # settings asks for the PIN (biometrics); changing the PIN
))


def is_protected(screen: str, route: str) -> bool:
    if screen in PROTECTED_SCREENS:
        return True
    if screen != "routes":
        return False
    path = urlparse(route or "/").path.rstrip("/") or "/"
    return any(p.match(path) for p in PROTECTED_ROUTES)


class ScreenGuard:
    def __init__(self, shield: ScreenShield | None = None, route: str = "/"):
        self.shield = shield or NoScreenShield()
        self.screen = "starting"
        self.route = route or "/"
        self.protected = False  # what the shield was last told
        self._task: asyncio.Task | None = None

    def show(self, screen: str) -> None:
        self.screen = screen
        self._apply()

    def route_changed(self, route: str) -> None:
        self.route = route or "/"
        self._apply()

    @property
    def wanted(self) -> bool:
        return is_protected(self.screen, self.route)

    def _apply(self) -> None:
        if self.wanted == self.protected or (self._task is not None and not self._task.done()):
            return  # nothing to change, or the running task will see the new state
        self._task = asyncio.get_running_loop().create_task(self._converge(), name=SHIELD_TASK)

    async def _converge(self) -> None:
        while self.wanted != self.protected:
            want = self.wanted
            try:
                await (self.shield.protect() if want else self.shield.release())
            except Exception:  # noqa: BLE001 - the screen goes on without the shield
                log.exception("screen shield failed")
            self.protected = want
