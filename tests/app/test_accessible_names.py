"""Every button, field, switch and link on every screen has an accessible name (what a screen reader
says), in a headless session of the real app against the real server (issue 8)."""

from __future__ import annotations

from flet.controls.base_control import BaseControl

from tests.app.flet_harness import unwrap_component
from tests.app.test_student_views import parent  # noqa: F401 - the fixture
from tests.app.test_views import sign_in

INTERACTIVE = {"Button", "ElevatedButton", "FilledButton", "FilledTonalButton", "OutlinedButton", "TextButton",
               "IconButton", "FloatingActionButton", "TextField", "Checkbox", "Switch", "Radio", "Dropdown",
               "RadioGroup"}


def _text(value) -> str:
    value = unwrap_component(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if type(value).__name__ == "Text":
        return (value.value or "").strip()
    if isinstance(value, BaseControl):
        inner = [_text(getattr(value, f, None)) for f in ("content", "controls", "title")]
        return " ".join(x for x in inner if x)
    if isinstance(value, (list, tuple)):
        return " ".join(x for x in (_text(v) for v in value) if x)
    return ""


def name_of(c) -> str:
    for attr in ("semantics_label", "label", "tooltip", "content", "title", "text"):
        found = _text(getattr(c, attr, None))
        if found:
            return found
    return ""


def unnamed(node, inherited: str = "", out=None, seen=None) -> list[str]:
    """Interactive controls with no name of their own and none from an enclosing Semantics label."""
    out, seen = (out if out is not None else []), (seen if seen is not None else set())
    node = unwrap_component(node)
    if isinstance(node, (list, tuple)):
        for n in node:
            unnamed(n, inherited, out, seen)
        return out
    if not isinstance(node, BaseControl) or id(node) in seen:
        return out
    seen.add(id(node))
    kind = type(node).__name__
    if kind == "Semantics" and _text(getattr(node, "label", None)):
        inherited = _text(node.label)
    clickable = kind in INTERACTIVE or (kind in ("ListTile", "Container") and getattr(node, "on_click", None))
    if clickable and not (name_of(node) or inherited) and kind != "RadioGroup":
        out.append(f"{kind}(key={node.key!r})")
    for f in node.__dataclass_fields__:
        if not f.startswith("_"):
            v = getattr(node, f, None)
            if isinstance(v, (BaseControl, list, tuple)):
                unnamed(v, inherited, out, seen)
    return out


async def settled_screen(ui, route: str) -> None:
    ui.page.navigate(route)
    await ui.wait_for(lambda: ui.page.route == route)
    await ui.wait_for(lambda: not any(k.endswith("loading") for k in ui.keys()), timeout=10)


async def test_every_control_on_every_screen_has_a_name(ui, server):
    await sign_in(ui, server)
    await ui.click("bill-VP-BN00458-2611")
    await ui.wait_for(lambda: ui.has("pay-bill"))
    bill = ui.page.route
    person = next(k for k in ui.keys() if k.startswith("person-family-")).removeprefix("person-family-")
    routes = ["/", bill, f"{bill}/pay", f"{bill}/pay/vietqr", f"{bill}/share", f"/family/{person}", "/family/add", "/scan", "/guidance", "/guidance/checklist",
              "/guidance/otp-phishing", "/check", "/report", "/report/mine", "/notifications", "/settings",
              "/settings/notifications", "/settings/pin", "/settings/devices", "/accounts", "/accounts/link/bank"]
    problems, checked = {}, {}
    for route in routes:
        await settled_screen(ui, route)
        top = ui.views()[-1]
        checked[route] = top.route
        missing = unnamed(top)
        if missing:
            problems[route] = missing
    assert not problems, problems
    assert all(shown == route for route, shown in checked.items()), checked  # each screen was really there


def test_the_check_itself_finds_a_nameless_icon_button():
    import flet as ft
    screen = ft.View(route="/", controls=[
        ft.IconButton(ft.Icons.DELETE, key="no-name"),
        ft.IconButton(ft.Icons.DELETE, key="named", tooltip="Xoá"),
        ft.Semantics(ft.IconButton(ft.Icons.NOTIFICATIONS, key="by-semantics"), label="Thông báo"),
        ft.TextField(key="field-no-label"),
        ft.Button("Tiếp tục", key="button-text"),
    ])
    assert unnamed(screen) == ["IconButton(key='no-name')", "TextField(key='field-no-label')"]


async def test_the_students_screens_too(ui, server, parent):
    from tests.app.test_student_views import sign_in_student
    await sign_in_student(ui, server)
    problems = {}
    for route in ("/", "/settings"):
        await settled_screen(ui, route)
        if missing := unnamed(ui.views()[-1]):
            problems[route] = missing
    assert not problems, problems
