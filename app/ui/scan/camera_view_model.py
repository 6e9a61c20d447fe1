"""Camera permission, asked at first use with an explanation; a refusal leads to Settings, never a dead end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flet as ft


@ft.observable
@dataclass
class CameraViewModel:
    permissions: Any  # flet_permission_handler.PermissionHandler (a service the app keeps referenced)
    state: str = "checking"  # checking | explain | ready | denied | unavailable
    asking: bool = False

    async def check(self) -> None:
        from flet_permission_handler import Permission, PermissionStatus
        try:
            status = await self.permissions.get_status(Permission.CAMERA)
        except Exception:  # noqa: BLE001 - a client without the extension: offer the other ways
            self.state = "unavailable"
            return
        if status in (PermissionStatus.GRANTED, PermissionStatus.LIMITED):
            self.state = "ready"
        elif status in (PermissionStatus.PERMANENTLY_DENIED, PermissionStatus.RESTRICTED):
            self.state = "denied"
        else:  # never asked (DENIED before the first request): explain first, then ask
            self.state = "explain"

    async def allow(self) -> None:
        from flet_permission_handler import Permission, PermissionStatus
        if self.asking:
            return
        self.asking = True
        try:
            status = await self.permissions.request(Permission.CAMERA)
        except Exception:  # noqa: BLE001
            status = None
        finally:
            self.asking = False
        self.state = "ready" if status in (PermissionStatus.GRANTED, PermissionStatus.LIMITED) else "denied"

    async def open_settings(self) -> None:
        try:
            await self.permissions.open_app_settings()
        except Exception:  # noqa: BLE001
            self.state = "unavailable"

    async def recheck(self) -> None:
        """Back from Settings: the person may have switched the camera on."""
        await self.check()
