"""Contrast of the theme's text colours (WCAG 2.x formula) and the seed's bank BINs."""

from __future__ import annotations

import pytest

from app.ui.core import theme
from domain.banks import bank_by_bin
from server.seed import INSTITUTIONS


def luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("fg,bg", [
    (theme.PRIMARY, theme.SURFACE), (theme.ON_PRIMARY, theme.PRIMARY), (theme.DANGER, theme.SURFACE),
    (theme.DANGER, theme.DANGER_BG), (theme.WARNING_TEXT, theme.WARNING_BG), (theme.MUTED, theme.SURFACE),
    (theme.MUTED, theme.DANGER_BG), (theme.OK, "#E8F5E9"), (theme.PRIMARY, "#E0F2F1"),
    (theme.DISABLED_TEXT, theme.DISABLED_BG),
])
def test_text_colours_meet_4_5_to_1(fg, bg):
    assert contrast(fg, bg) >= 4.5, f"{fg} on {bg}: {contrast(fg, bg):.2f}"


def test_demo_collection_accounts_use_real_napas_bins():
    for inst in INSTITUTIONS:
        for bin_code, account, holder in inst["accounts"]:
            assert bank_by_bin(bin_code) is not None, bin_code
            assert account.isdigit() and holder == holder.upper() and holder.isascii()
