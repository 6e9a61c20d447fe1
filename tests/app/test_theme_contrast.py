"""The theme's colours meet WCAG AA: 4.5:1 for text, 3:1 for the parts of controls (issue 8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.ui.core import theme
from app.ui.core.contrast import contrast_ratio

UI = Path(__file__).resolve().parents[2] / "app" / "ui"


def test_the_ratio_matches_known_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the well-known AA grey
    assert contrast_ratio("#FFFFFF", "#767676") == contrast_ratio("#767676", "#FFFFFF")
    with pytest.raises(ValueError):
        contrast_ratio("#FFF", "#FFFFFF")


@pytest.mark.parametrize("name", sorted(theme.TEXT_PAIRS))
def test_text_colours_reach_4_5_to_1(name):
    fg, bg = theme.TEXT_PAIRS[name]
    assert contrast_ratio(fg, bg) >= 4.5, f"{name}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"


@pytest.mark.parametrize("name", sorted(theme.CONTROL_PAIRS))
def test_control_colours_reach_3_to_1(name):
    fg, bg = theme.CONTROL_PAIRS[name]
    assert contrast_ratio(fg, bg) >= 3.0, f"{name}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"


def test_screens_use_the_theme_colours_not_their_own():
    """A colour written into a screen escapes the checks above; every one must come from the theme."""
    palette = {v.upper() for v in vars(theme).values() if isinstance(v, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", v)}
    strays = []
    for path in UI.rglob("*.py"):
        if path.name in ("theme.py",):
            continue
        for colour in re.findall(r"\"(#[0-9A-Fa-f]{6})\"", path.read_text(encoding="utf-8")):
            if colour.upper() not in palette:
                strays.append(f"{path.relative_to(UI)}: {colour}")
    assert not strays, "colours outside the theme: " + ", ".join(strays)
