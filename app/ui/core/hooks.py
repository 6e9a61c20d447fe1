"""Hooks shared by screens in the routed stack."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import flet as ft

log = logging.getLogger(__name__)
_detached: set[asyncio.Task] = set()  # strong references: a task only the loop knows may be collected


def _forget(task: asyncio.Task) -> None:
    _detached.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("a screen's load failed", exc_info=task.exception())


async def run_to_completion(load: Callable[[], Awaitable[None]]) -> None:
    """Run a load that a cancelled caller cannot cut in half.

    Flet cancels an effect's task when the effect runs again. A view-model's load that is cancelled
    inside its `asyncio.gather` keeps its `loading` flag set until the gather unwinds, so the load the
    new effect asks for returns at once and the screen shows "loading" for ever. Shielded, the first
    load finishes and fills the screen; the second sees it running and leaves it alone.
    """
    task = asyncio.ensure_future(load())
    _detached.add(task)
    task.add_done_callback(_forget)
    await asyncio.shield(task)


def use_load_when_shown(load: Callable[[], Awaitable[None]], loaded: bool) -> None:
    """Load when the screen first appears, and again each time it comes back on top of the stack
    (Back from a payment must show the bill as it is now, not as it was)."""
    view_path = ft.use_view_path() or "/"
    location = ft.use_route_location()
    on_top = not location or location == view_path

    async def effect():
        if on_top or not loaded:
            await run_to_completion(load)

    ft.use_effect(effect, [on_top])


def use_passing_dialog(dialog: ft.DialogControl | None) -> None:
    """`ft.use_dialog` for a dialog that comes and goes by itself (the notification banner).

    Flet 1.0.5's use_dialog can leave a dialog marked frozen when it is shown and re-rendered in the
    same batch (its "not yet on the client" path); hiding it later then raises "Frozen controls cannot
    be updated" inside the session's update loop, and no screen updates again. The dialog this hook
    passed last time is unfrozen before use_dialog flips it closed, as use_dialog itself does on its
    other path."""
    last = ft.use_ref(None)
    previous = last.current
    if previous is not None and previous is not dialog and getattr(previous, "_frozen", False):
        del previous._frozen
    ft.use_dialog(dialog)
    last.current = dialog if dialog is not None else None
