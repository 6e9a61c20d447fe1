"""The Flet 1.0.5 defects app/ui/core/flet_fixes.py works around: an update queued for an instance whose
state moved on was dropped, and an unmounted stale instance killed the state it had handed on."""

from __future__ import annotations

from flet.components.component import Component
from flet.components.hooks.hook import Hook

from app.ui.core import flet_fixes


def _handed_over() -> tuple[Component, Component]:
    def screen():
        return None

    old, new = Component(fn=screen), Component(fn=screen)
    old._state.mounted = True
    old._state.hooks.append(Hook(old))
    new._migrate_state(old)  # the router re-rendered: the state moves to the new instance
    return old, new


def _unfix():
    flet_fixes.Component._migrate_state = flet_fixes._original_migrate_state
    flet_fixes.Component.update = flet_fixes._original_update
    flet_fixes.Component.will_unmount = flet_fixes._original_will_unmount


def test_the_unfixed_flet_loses_the_state_of_a_migrated_component():
    _unfix()
    try:
        old, new = _handed_over()
        old.will_unmount()
        assert new._state.mounted is False and new._state.hooks == []  # the defect: the new screen is dead
    finally:
        flet_fixes.apply()


def test_with_the_fix_the_successor_keeps_its_state():
    flet_fixes.apply()
    old, new = _handed_over()
    old.will_unmount()
    assert new._state.mounted is True and len(new._state.hooks) == 1 and new._state.hooks[0].component is new
    assert old._b is None


def test_an_ordinary_unmount_is_unchanged():
    flet_fixes.apply()

    def screen():
        return None
    alone = Component(fn=screen)
    alone._state.mounted = True
    alone.will_unmount()
    assert alone._state.mounted is False


def _queued_then_moved(monkeypatch) -> tuple[Component, list[Component], list[Component]]:
    """An update is queued for an instance, then the router moves its state on before it runs."""
    scheduled: list[Component] = []
    monkeypatch.setattr(Component, "_schedule_update", lambda self: scheduled.append(self))

    def screen():
        return None
    old, middle, new = Component(fn=screen), Component(fn=screen), Component(fn=screen)
    old._state.mounted = True
    middle._migrate_state(old)
    new._migrate_state(middle)  # moved twice before the queued update ran
    return old, scheduled, [middle, new]  # the page's tree holds the new instances


def test_the_unfixed_flet_drops_an_update_queued_before_the_state_moved(monkeypatch):
    _unfix()
    try:
        old, scheduled, _tree = _queued_then_moved(monkeypatch)
        old.update()
        assert scheduled == []  # the defect: nobody renders the change
    finally:
        flet_fixes.apply()


def test_with_the_fix_the_update_reaches_the_instance_that_holds_the_state(monkeypatch):
    flet_fixes.apply()
    old, scheduled, tree = _queued_then_moved(monkeypatch)
    old.update()
    assert scheduled == [tree[-1]] and not scheduled[0]._stale
    assert scheduled[0]._state is old._state
