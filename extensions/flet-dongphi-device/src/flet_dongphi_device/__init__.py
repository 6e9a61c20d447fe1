"""Đóng Phí device services for Flet: a screen-capture shield and the push (FCM) token."""

from flet_dongphi_device.push_messaging import (FirebaseOptions, MessageOpenedEvent, PermissionStatus,
                                                PushMessaging, TokenRefreshEvent)
from flet_dongphi_device.screen_shield import ScreenShield

__all__ = ["FirebaseOptions", "MessageOpenedEvent", "PermissionStatus", "PushMessaging", "ScreenShield",
           "TokenRefreshEvent"]
