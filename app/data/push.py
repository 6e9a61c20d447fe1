"""Where a push token would come from: a small port, because Flet 1.0.5's stock clients have none.

Push needs a token from Firebase Cloud Messaging (Android, and iOS through APNs) handed to the app by a
native plugin. No Flet 1.0.5 extension provides one, so `NoPushTokens` is what runs today and the app
relies on the in-app inbox and banner (and SMS reminders from the server). A future extension only has
to implement `PushTokenSource`; the notification centre registers the token after sign-in and removes
it before sign-out.
"""

from __future__ import annotations

from typing import Protocol


class PushTokenSource(Protocol):
    platform: str  # android | ios | web

    async def token(self) -> str | None:
        """The device's push token, or None when there is none (no plugin, permission refused)."""


class NoPushTokens:
    platform = ""

    async def token(self) -> str | None:
        return None


class FixedPushToken:
    """A token known in advance (tests, or a build that receives it from elsewhere)."""

    def __init__(self, token: str, platform: str):
        self._token, self.platform = token, platform

    async def token(self) -> str | None:
        return self._token
