"""Hooks shared by screens in the routed stack."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft


def use_load_when_shown(load: Callable[[], Awaitable[None]], loaded: bool) -> None:
    """Load when the screen first appears, and again each time it comes back on top of the stack
    (Back from a payment must show the bill as it is now, not as it was)."""
    view_path = ft.use_view_path() or "/"
    location = ft.use_route_location()
    on_top = not location or location == view_path

    async def effect():
        if on_top or not loaded:
            await load()

    ft.use_effect(effect, [on_top])
