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


LOOKS = {"standard": theme.STANDARD, "guided": theme.GUIDED}


@pytest.mark.parametrize("look", sorted(LOOKS))
@pytest.mark.parametrize("name", sorted(theme.text_pairs(theme.STANDARD)))
def test_text_colours_reach_4_5_to_1(look, name):
    fg, bg = theme.text_pairs(LOOKS[look])[name]
    assert contrast_ratio(fg, bg) >= 4.5, f"{look} {name}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"


@pytest.mark.parametrize("look", sorted(LOOKS))
@pytest.mark.parametrize("name", sorted(theme.control_pairs(theme.STANDARD)))
def test_control_colours_reach_3_to_1(look, name):
    fg, bg = theme.control_pairs(LOOKS[look])[name]
    assert contrast_ratio(fg, bg) >= 3.0, f"{look} {name}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"


def test_guided_mode_is_larger_and_higher_in_contrast():
    standard, guided = theme.STANDARD, theme.GUIDED
    for size in ("BODY", "TITLE", "AMOUNT"):
        assert guided[size] >= theme.GUIDED_TEXT_SCALE * standard[size], size
    assert guided["MIN_TOUCH"] >= 56
    for name, (fg, bg) in theme.text_pairs(guided).items():
        assert contrast_ratio(fg, bg) >= contrast_ratio(*theme.text_pairs(standard)[name]) - 1e-9, name
    assert contrast_ratio(guided["PRIMARY"], guided["SURFACE"]) >= 7  # AAA for the main text colours


def test_screens_use_the_theme_colours_not_their_own():
    """A colour written into a screen escapes the checks above; every one must come from the theme."""
    palette = {v.upper() for look in LOOKS.values() for v in look.values() if isinstance(v, str)}
    strays = []
    for path in UI.rglob("*.py"):
        if path.name in ("theme.py",):
            continue
        for colour in re.findall(r"\"(#[0-9A-Fa-f]{6})\"", path.read_text(encoding="utf-8")):
            if colour.upper() not in palette:
                strays.append(f"{path.relative_to(UI)}: {colour}")
    assert not strays, "colours outside the theme: " + ", ".join(strays)
