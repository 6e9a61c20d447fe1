"""Colours chosen for WCAG AA contrast; sizes for large touch targets; and guided mode ("Chế độ dễ dùng").

Screens read `theme.BODY`, `theme.PRIMARY`… while they render. Those names are resolved per session
(module `__getattr__`): guided mode in one browser tab must not enlarge another person's screens on the
same server. Guided mode is 1.3× text, 56 dp touch targets and a higher-contrast palette.
"""

from __future__ import annotations

import weakref

import flet as ft

STANDARD = {
    "PRIMARY": "#00695C",       # teal 800: 6.6:1 on white
    "ON_PRIMARY": "#FFFFFF",
    "DANGER": "#B3261E",        # 6.5:1 on white
    "DANGER_BG": "#FDECEA",
    "WARNING_TEXT": "#6D4C00",  # 7.4:1 on white
    "WARNING_BG": "#FFF4D6",
    "MUTED": "#4A4A4A",         # 8.9:1 on white
    "SURFACE": "#FFFFFF",
    "OK": "#1B5E20",
    "DISABLED_BG": "#E0E0E0",
    "DISABLED_TEXT": "#5F5F5F",  # 4.9:1 on DISABLED_BG
    "PRIMARY_BG": "#E0F2F1",    # tinted cards (open bills, unread notifications)
    "OK_BG": "#E8F5E9",         # verified, paid
    "NEUTRAL_BG": "#EEEEEE",    # cancelled, not confirmed
    "OUTLINE": "#767676",       # field and card borders: 4.5:1 on white (controls need 3:1)
    "BODY": 16, "TITLE": 22, "AMOUNT": 20, "MIN_TOUCH": 48,
}
# Guided mode: every text at least 1.3× and darker colours (AAA, 7:1, for the main pairs).
GUIDED = {**STANDARD,
          "PRIMARY": "#004D40", "DANGER": "#8E1B14", "WARNING_TEXT": "#4A3300", "MUTED": "#2E2E2E",
          "OK": "#0D3B12", "DISABLED_TEXT": "#3D3D3D", "OUTLINE": "#4A4A4A",
          "BODY": 21, "TITLE": 29, "AMOUNT": 27, "MIN_TOUCH": 56}
GUIDED_TEXT_SCALE = 1.3

_guided_sessions: weakref.WeakSet = weakref.WeakSet()  # Flet sessions (pages are not hashable)


def _current_page():
    try:
        return ft.context.page
    except Exception:  # no session (imports, tests of pure code): the standard look
        return None


def is_guided(page=None) -> bool:
    page = page if page is not None else _current_page()
    session = getattr(page, "session", None)
    return session is not None and session in _guided_sessions


def set_guided(page, on: bool) -> None:
    """Switch one session's look; the caller re-renders (the theme and every screen read it again)."""
    if on:
        _guided_sessions.add(page.session)
    else:
        _guided_sessions.discard(page.session)
    page.theme = app_theme(on)


def palette(guided: bool = False) -> dict:
    return GUIDED if guided else STANDARD


def __getattr__(name: str):
    look = GUIDED if is_guided() else STANDARD
    try:
        return look[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def text_pairs(look: dict) -> dict[str, tuple[str, str]]:
    """Every (text, background) pair the screens use; tests/app/test_theme_contrast.py holds each to 4.5:1."""
    p = look
    return {
        "body": ("#000000", p["SURFACE"]), "primary": (p["PRIMARY"], p["SURFACE"]),
        "on-primary": (p["ON_PRIMARY"], p["PRIMARY"]), "primary-on-tint": (p["PRIMARY"], p["PRIMARY_BG"]),
        "danger": (p["DANGER"], p["SURFACE"]), "danger-on-tint": (p["DANGER"], p["DANGER_BG"]),
        "on-danger": (p["ON_PRIMARY"], p["DANGER"]), "warning": (p["WARNING_TEXT"], p["WARNING_BG"]),
        "warning-on-white": (p["WARNING_TEXT"], p["SURFACE"]), "muted": (p["MUTED"], p["SURFACE"]),
        "muted-on-neutral": (p["MUTED"], p["NEUTRAL_BG"]), "ok": (p["OK"], p["SURFACE"]),
        "ok-on-tint": (p["OK"], p["OK_BG"]), "disabled": (p["DISABLED_TEXT"], p["DISABLED_BG"]),
        "body-on-primary-tint": ("#000000", p["PRIMARY_BG"]),
    }


def control_pairs(look: dict) -> dict[str, tuple[str, str]]:
    """Non-text parts a user must see to operate a control (borders, icons): 3:1 against their surroundings."""
    p = look
    return {
        "outline": (p["OUTLINE"], p["SURFACE"]), "primary-control": (p["PRIMARY"], p["SURFACE"]),
        "danger-icon": (p["DANGER"], p["DANGER_BG"]), "warning-icon": (p["WARNING_TEXT"], p["WARNING_BG"]),
        "ok-icon": (p["OK"], p["OK_BG"]),
    }


def app_theme(guided: bool = False) -> ft.Theme:
    p = palette(guided)
    body = p["BODY"]
    # Guided mode: icon buttons, the title bar's Back included, grow to at least 56 dp (16 dp around the icon).
    icons = ft.IconButtonTheme(style=ft.ButtonStyle(padding=ft.Padding.all(16), icon_size=28)) if guided else None
    return ft.Theme(
        icon_button_theme=icons,
        color_scheme_seed=p["PRIMARY"],
        color_scheme=ft.ColorScheme(primary=p["PRIMARY"], on_primary=p["ON_PRIMARY"], error=p["DANGER"],
                                    surface=p["SURFACE"], outline=p["OUTLINE"]),
        text_theme=ft.TextTheme(body_small=ft.TextStyle(size=body - 2), body_medium=ft.TextStyle(size=body),
                                body_large=ft.TextStyle(size=body + 1), label_large=ft.TextStyle(size=body),
                                title_medium=ft.TextStyle(size=body + 2), title_large=ft.TextStyle(size=p["TITLE"])),
    )
