"""Where the push token comes from: a small port, so the notification centre does not know the plugin.

On phones `FirebasePushTokens` asks our Flet extension (extensions/flet-dongphi-device) for the Firebase
Cloud Messaging token; elsewhere `NoPushTokens` runs and the app relies on the in-app inbox, banner and
stream (and SMS reminders from the server). The notification centre registers the token after sign-in,
re-registers it when FCM refreshes it (`watch`), and removes it before sign-out. A tap on a system
notification hands its data map to the centre (`watch_opened`, or `launch_message` when the tap started
the app), which opens the bill or receipt it is about.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger("dongphi.push")

OnToken = Callable[[str], Awaitable[None]]
OnOpened = Callable[[dict[str, str]], Awaitable[None]]
GRANTED = ("authorized", "provisional")  # provisional (iOS): delivered quietly, still a push


class PushTokenSource(Protocol):
    platform: str  # android | ios | web

    async def token(self) -> str | None:
        """The device's push token, or None when there is none (no plugin, permission refused)."""

    def watch(self, on_token: OnToken) -> None:
        """`on_token` is called with each new token the push service issues from now on."""

    def watch_opened(self, on_opened: OnOpened) -> None:
        """`on_opened` gets the data of each notification the person taps while the app runs."""

    async def launch_message(self) -> dict[str, str] | None:
        """The data of the notification whose tap started the app, once; None otherwise."""


class NoPushTokens:
    platform = ""

    async def token(self) -> str | None:
        return None

    def watch(self, on_token: OnToken) -> None:
        pass

    def watch_opened(self, on_opened: OnOpened) -> None:
        pass

    async def launch_message(self) -> dict[str, str] | None:
        return None


class FixedPushToken:
    """A token known in advance (tests, or a build that receives it from elsewhere)."""

    def __init__(self, token: str, platform: str):
        self._token, self.platform = token, platform
        self._on_token: OnToken | None = None

    async def token(self) -> str | None:
        return self._token

    def watch(self, on_token: OnToken) -> None:
        self._on_token = on_token

    async def refresh(self, token: str) -> None:
        """The push service issued a new token."""
        self._token = token
        if self._on_token is not None:
            await self._on_token(token)

    def watch_opened(self, on_opened: OnOpened) -> None:
        pass  # no system notifications to tap

    async def launch_message(self) -> dict[str, str] | None:
        return None


class FirebasePushTokens:
    """FCM through the extension's `PushMessaging` service: the notification permission first (Android 13+
    and iOS ask once), then the token. Refused or unavailable: None, and the app goes on without push."""

    def __init__(self, messaging, platform: str):
        self._messaging, self.platform = messaging, platform
        self._on_token: OnToken | None = None
        self._on_opened: OnOpened | None = None
        messaging.on_token_refresh = self._refreshed
        messaging.on_message_opened = self._opened

    async def token(self) -> str | None:
        status = await self._messaging.request_permission()
        status = getattr(status, "value", status)
        if status not in GRANTED:
            log.info("no push: notification permission is %s", status)
            return None
        return await self._messaging.get_token()

    def watch(self, on_token: OnToken) -> None:
        self._on_token = on_token

    async def _refreshed(self, e) -> None:
        if e.token and self._on_token is not None:
            await self._on_token(e.token)

    def watch_opened(self, on_opened: OnOpened) -> None:
        self._on_opened = on_opened

    async def launch_message(self) -> dict[str, str] | None:
        return await self._messaging.initial_message()

    async def _opened(self, e) -> None:
        if isinstance(e.payload, dict) and self._on_opened is not None:
            await self._on_opened(e.payload)
