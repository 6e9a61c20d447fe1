"""Fixes for two defects of the pinned Flet (1.0.5), applied once at start-up. Remove this module when
Flet fixes them upstream (tests/app/test_flet_fixes.py shows each defect on the unpatched class).

When the router re-renders a routed view, a component's state (its hooks, view-model and observable
subscriptions) moves to a new instance of the same component (`Component._migrate_state` marks the
old instance `_stale`). Two things then go wrong:

1. An update queued for the old instance just before the move is skipped (`update()` returns early on
   a stale instance), and nothing asks the new instance to render: the view-model's last change is
   never shown. This is how the pay screens stayed on "loading…" in the browser tests although every
   answer had arrived. Fixed: a stale instance passes the update on to the instance that has its state.
2. If the old instance is unmounted after the move, `will_unmount` still writes to the state it no
   longer owns: it marks it unmounted, detaches its subscriptions and clears its hooks, so the new
   instance never renders again. Fixed: a stale instance only lets go of its own output.
"""

from __future__ import annotations

import weakref

from flet.components.component import Component
from flet.controls.base_control import BaseControl

_original_migrate_state = Component._migrate_state
_original_update = Component.update
_original_will_unmount = Component.will_unmount


def _migrate_state(self: Component, other) -> None:
    _original_migrate_state(self, other)
    if isinstance(other, Component) and other._state is self._state:
        object.__setattr__(other, "_successor", weakref.ref(self))


def _current(component: Component) -> Component | None:
    """The instance that holds this one's state now (following every move), or None."""
    seen = 0
    while getattr(component, "_stale", False) and seen < 100:
        ref = getattr(component, "_successor", None)
        component = ref() if ref is not None else None
        if component is None:
            return None
        seen += 1
    return component


def _update(self: Component) -> None:
    if getattr(self, "_stale", False):
        successor = _current(self)
        if successor is not None and successor is not self:
            successor._schedule_update()
        return
    _original_update(self)


def _will_unmount(self: Component) -> None:
    if getattr(self, "_stale", False):
        BaseControl.will_unmount(self)
        self._b = None
        return
    _original_will_unmount(self)


def apply() -> None:
    """Idempotent."""
    Component._migrate_state = _migrate_state
    Component.update = _update
    Component.will_unmount = _will_unmount
