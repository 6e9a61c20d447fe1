"""Colours chosen for at least 4.5:1 contrast on white; sizes for 48 dp touch targets."""

from __future__ import annotations

import flet as ft

PRIMARY = "#00695C"      # teal 800: 6.6:1 on white
ON_PRIMARY = "#FFFFFF"
DANGER = "#B3261E"       # 6.5:1 on white
DANGER_BG = "#FDECEA"
WARNING_TEXT = "#6D4C00" # 7.4:1 on white
WARNING_BG = "#FFF4D6"
MUTED = "#4A4A4A"        # 8.9:1 on white
SURFACE = "#FFFFFF"
OK = "#1B5E20"
DISABLED_BG = "#E0E0E0"
DISABLED_TEXT = "#5F5F5F"   # 4.9:1 on DISABLED_BG
PRIMARY_BG = "#E0F2F1"   # tinted cards (open bills, unread notifications)
OK_BG = "#E8F5E9"        # verified, paid
NEUTRAL_BG = "#EEEEEE"   # cancelled, not confirmed
OUTLINE = "#767676"      # field and card borders: 4.5:1 on white (controls need 3:1)

# Every (text, background) pair the screens use; tests/app/test_theme_contrast.py holds each to 4.5:1.
TEXT_PAIRS = {
    "body": ("#000000", SURFACE), "primary": (PRIMARY, SURFACE), "on-primary": (ON_PRIMARY, PRIMARY),
    "primary-on-tint": (PRIMARY, PRIMARY_BG), "danger": (DANGER, SURFACE), "danger-on-tint": (DANGER, DANGER_BG),
    "on-danger": (ON_PRIMARY, DANGER), "warning": (WARNING_TEXT, WARNING_BG), "warning-on-white": (WARNING_TEXT, SURFACE),
    "muted": (MUTED, SURFACE), "muted-on-neutral": (MUTED, NEUTRAL_BG), "ok": (OK, SURFACE), "ok-on-tint": (OK, OK_BG),
    "disabled": (DISABLED_TEXT, DISABLED_BG), "body-on-primary-tint": ("#000000", PRIMARY_BG),
}
# Non-text parts a user must see to operate a control (borders, icons, focus): 3:1 against what is around them.
CONTROL_PAIRS = {
    "outline": (OUTLINE, SURFACE), "primary-control": (PRIMARY, SURFACE), "danger-icon": (DANGER, DANGER_BG),
    "warning-icon": (WARNING_TEXT, WARNING_BG), "ok-icon": (OK, OK_BG),
}

MIN_TOUCH = 48
BODY = 16
TITLE = 22
AMOUNT = 20


def app_theme() -> ft.Theme:
    return ft.Theme(
        color_scheme_seed=PRIMARY,
        color_scheme=ft.ColorScheme(primary=PRIMARY, on_primary=ON_PRIMARY, error=DANGER, surface=SURFACE),
        text_theme=ft.TextTheme(body_medium=ft.TextStyle(size=BODY), body_large=ft.TextStyle(size=BODY + 1)),
    )
