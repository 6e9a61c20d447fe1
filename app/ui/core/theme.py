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
