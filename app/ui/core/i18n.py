"""Gettext catalogs (locales/<lang>/LC_MESSAGES/messages.po) and Babel formatting for the chosen language.

The .po files are read with Babel at start-up, so no compiled .mo files need to be built or committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import flet as ft
from babel.dates import format_date, format_time
from babel.messages.pofile import read_po

from domain.money import format_vnd

LOCALES_DIR = Path(__file__).resolve().parents[3] / "locales"
BABEL = {"vi": "vi_VN", "en": "en_US"}
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        cat = read_po(fh, locale=BABEL[lang])
    return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}


@ft.observable
@dataclass
class I18n:
    """The current language; components that read it re-render when it changes."""

    lang: str = "vi"

    def t(self, msgid: str, **values) -> str:
        text = catalog(self.lang).get(msgid, msgid)
        return text.format(**values) if values else text

    def money(self, amount: int) -> str:
        return format_vnd(amount, self.lang)

    def date(self, value: dt.date) -> str:
        return format_date(value, "dd/MM/yyyy", locale=BABEL[self.lang])

    def time(self, value: dt.datetime) -> str:
        return format_time(value, "HH:mm", locale=BABEL[self.lang])

    def moment(self, value: dt.datetime) -> str:
        """A payment's time as receipts in Vietnam print it: '22/11/2026 10:32', Vietnam time."""
        local = value.astimezone(VIETNAM_TIME) if value.tzinfo else value
        return f"{self.date(local.date())} {self.time(local)}"

    def set_lang(self, lang: str) -> None:
        if lang not in BABEL:
            raise ValueError(f"unsupported language {lang!r}")
        self.lang = lang
