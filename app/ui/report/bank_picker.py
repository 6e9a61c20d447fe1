"""The searchable NAPAS bank list (the same search as linking an account), inline in a form.

Used by "Report a scam" and "Check an account": type a name, short name or BIN, tap the bank.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui.core import theme
from app.ui.core.components import text_button, typed
from app.ui.core.i18n import I18n
from domain.banks import Bank, bank_by_bin, search_banks

SHOWN = 6  # matches listed under the search field: enough to find one, short enough to read


def bank_matches(query: str, limit: int = SHOWN) -> list[Bank]:
    return search_banks(query)[:limit] if query.strip() else []


def bank_name(bin_code: str | None) -> str:
    bank = bank_by_bin(bin_code or "")
    return bank.short_name if bank else (bin_code or "")


def bank_picker(i18n: I18n, *, prefix: str, query: str, chosen: str, on_search: Callable[[str], None],
                on_choose: Callable[[str], None], on_clear: Callable[[], None],
                error: str | None = None) -> list[ft.Control]:
    """A chosen bank with "Change", or the search field with the matching banks under it."""
    t = i18n.t
    bank = bank_by_bin(chosen) if chosen else None
    if bank is not None:
        return [ft.Container(ft.Row([
            ft.Icon(ft.Icons.ACCOUNT_BALANCE, color=theme.PRIMARY),
            ft.Column([ft.Text(t("Bank"), size=theme.BODY - 2, color=theme.MUTED),
                       ft.Text(f"{bank.short_name} · BIN {bank.bin}", size=theme.BODY + 1, weight=ft.FontWeight.W_600,
                               key=f"{prefix}-bank-chosen")], spacing=0, expand=True),
            text_button(t("Change the bank"), on_clear, key=f"{prefix}-bank-change"),
        ], vertical_alignment=ft.CrossAxisAlignment.CENTER), padding=12, border_radius=8, bgcolor=theme.PRIMARY_BG)]
    controls: list[ft.Control] = [ft.TextField(
        key=f"{prefix}-bank-search", label=t("Bank (search by name or BIN)"), value=query,
        prefix_icon=ft.Icons.SEARCH, text_size=theme.BODY + 1, on_change=lambda e: on_search(typed(e)),
        helper=t("For example: Vietcombank, TPBank, MB or 970423"), error=error)]
    matches = bank_matches(query)
    if query.strip() and not matches:
        controls.append(ft.Text(t("No bank matches \u201c{query}\u201d.", query=query), size=theme.BODY,
                                key=f"{prefix}-bank-none"))
    controls += [ft.ListTile(key=f"{prefix}-bank-{b.bin}",
                             title=ft.Text(b.short_name, size=theme.BODY + 1, weight=ft.FontWeight.W_600),
                             subtitle=ft.Text(f"{b.code} · BIN {b.bin}", size=theme.BODY - 1, color=theme.MUTED),
                             trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), min_height=theme.MIN_TOUCH,
                             on_click=lambda _e, code=b.bin: on_choose(code))
                 for b in matches]
    return controls
