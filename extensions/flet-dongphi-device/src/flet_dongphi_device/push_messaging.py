"""The device's Firebase Cloud Messaging token, the notification permission, and token refreshes."""

from dataclasses import dataclass
from enum import Enum
from typing import Optional

import flet as ft
from flet.controls.base_control import control
from flet.controls.services.service import Service

__all__ = ["FirebaseOptions", "MessageOpenedEvent", "PermissionStatus", "PushMessaging", "TokenRefreshEvent"]

TOKEN_TIMEOUT = 60.0  # FCM may need the network to hand out a token
PERMISSION_TIMEOUT = 600.0  # the person reads the system dialog


class PermissionStatus(Enum):
    AUTHORIZED = "authorized"
    PROVISIONAL = "provisional"  # iOS: delivered quietly to the notification centre
    DENIED = "denied"
    NOT_DETERMINED = "not_determined"
    UNAVAILABLE = "unavailable"  # no Firebase configuration in this build, or no push on this platform


@dataclass
class FirebaseOptions:
    """The Firebase app of this platform (the values of google-services.json / GoogleService-Info.plist).

    Given to `PushMessaging`, the client initialises Firebase from them, so the build needs neither file.
    Without them it falls back to the platform's bundled configuration file, if there is one.
    """

    api_key: str
    app_id: str
    messaging_sender_id: str
    project_id: str
    ios_bundle_id: Optional[str] = None


@dataclass
class TokenRefreshEvent(ft.Event["PushMessaging"]):
    token: str
    """The new FCM registration token."""


@dataclass
class MessageOpenedEvent(ft.Event["PushMessaging"]):
    payload: dict[str, str]
    """The data map of the notification the person tapped (FCM data values are strings)."""


@control("DongPhiPushMessaging")
class PushMessaging(Service):
    """Firebase Cloud Messaging on Android and iOS; elsewhere the client answers "unavailable"."""

    firebase_options: Optional[FirebaseOptions] = None
    """Where Firebase is configured from; None: the configuration file bundled with the platform app."""

    on_token_refresh: Optional[ft.EventHandler[TokenRefreshEvent]] = None
    """FCM issued a new token for this device (the old one stops working)."""

    on_message_opened: Optional[ft.EventHandler[MessageOpenedEvent]] = None
    """The person tapped one of the app's notifications and the app came back from the background."""

    async def request_permission(self) -> PermissionStatus:
        """Asks to show notifications (Android 13+ and iOS show a system dialog once)."""
        status = await self._invoke_method("request_permission", timeout=PERMISSION_TIMEOUT)
        try:
            return PermissionStatus(status)
        except ValueError:
            return PermissionStatus.UNAVAILABLE

    async def get_token(self) -> Optional[str]:
        """The FCM registration token, or None when there is none yet (or no Firebase)."""
        token = await self._invoke_method("get_token", timeout=TOKEN_TIMEOUT)
        return token or None

    async def initial_message(self) -> Optional[dict[str, str]]:
        """The data of the notification whose tap launched the app from closed, once; else None."""
        data = await self._invoke_method("initial_message", timeout=TOKEN_TIMEOUT)
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else None
