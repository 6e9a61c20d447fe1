"""Keeping payment details and the PIN out of screenshots, recordings and the app switcher: a port.

On phones `FletScreenShield` talks to our Flet extension (extensions/flet-dongphi-device); elsewhere
`NoScreenShield` runs (desktop and web cannot stop a capture). A failing shield never breaks a screen:
the failure is logged and the screen goes on.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger("dongphi.screen_shield")


class ScreenShield(Protocol):
    async def protect(self) -> None:
        """From now on the screen's content stays out of captures."""

    async def release(self) -> None:
        """Captures are allowed again."""


class NoScreenShield:
    async def protect(self) -> None:
        pass

    async def release(self) -> None:
        pass


class FletScreenShield:
    """Over the extension's `ScreenShield` service; its errors (an old client, a platform failure) are
    logged, never raised."""

    def __init__(self, service):
        self._service = service

    async def protect(self) -> None:
        try:
            await self._service.protect()
        except Exception:  # noqa: BLE001 - a screen without the shield still has to work
            log.exception("screen shield not applied")

    async def release(self) -> None:
        try:
            await self._service.release()
        except Exception:  # noqa: BLE001
            log.exception("screen shield not released")
