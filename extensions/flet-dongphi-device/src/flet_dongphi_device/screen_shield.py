"""Keeps what is on screen out of screenshots, screen recordings and the app switcher."""

from flet.controls.base_control import control
from flet.controls.services.service import Service

__all__ = ["ScreenShield"]

CALL_TIMEOUT = 10.0  # a local platform call: no answer this long means the client lacks the extension


@control("DongPhiScreenShield")
class ScreenShield(Service):
    """Android: FLAG_SECURE on the activity (screenshots and recordings come out black, the recents
    thumbnail is blank). iOS: screenshots and recordings show a blank screen and the app switcher
    snapshot is blurred. Other platforms: both calls do nothing.
    """

    async def protect(self) -> None:
        """Start hiding the screen's content from captures until `release()`."""
        await self._invoke_method("protect", timeout=CALL_TIMEOUT)

    async def release(self) -> None:
        """Let the screen be captured again."""
        await self._invoke_method("release", timeout=CALL_TIMEOUT)
