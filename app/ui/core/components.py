"""Shared building blocks so every screen looks, reads and behaves the same."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui.core import theme
from app.ui.core.i18n import I18n


def app_bar(title: str, actions: list[ft.Control] | None = None) -> ft.AppBar:
    """In guided mode the help button comes first among the actions: the same place on every screen."""
    if theme.is_guided():
        from app.ui.guided.view import HelpButton  # the guided pieces build on these components
        actions = [HelpButton(), *(actions or [])]
    return ft.AppBar(title=ft.Text(title, size=theme.TITLE), bgcolor=theme.PRIMARY, color=theme.ON_PRIMARY,
                     actions=actions, toolbar_height=theme.MIN_TOUCH + 16)


def screen(route: str, title: str, body: list[ft.Control]) -> ft.View:
    """A routed screen: app bar, one scrolling column of full-width blocks."""
    return ft.View(route=route, appbar=app_bar(title),
                   controls=[ft.Column(body, spacing=14, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
                   padding=16, scroll=ft.ScrollMode.AUTO)


def typed(e) -> str:
    """The value the client sent with a change: the control object may be one render behind."""
    return e.data if isinstance(e.data, str) else (e.control.value or "")


def primary_button(text: str, on_click: Callable, key: str, *, disabled: bool = False,
                   busy: bool = False) -> ft.Control:
    content: str | ft.Control = text
    if busy:  # keep the words (the accessible name) and add a spinner
        content = ft.Row([ft.ProgressRing(width=18, height=18, stroke_width=2), ft.Text(text)], tight=True)
    return ft.Button(
        content=content, key=key, on_click=on_click, disabled=disabled or busy,
        # Vertical padding gives >= 48 dp and still grows with the system text scale (no fixed height);
        # a disabled button must look disabled, with its label still readable (4.9:1).
        style=ft.ButtonStyle(
            padding=ft.Padding.symmetric(horizontal=24, vertical=16),
            bgcolor={ft.ControlState.DISABLED: theme.DISABLED_BG, ft.ControlState.DEFAULT: theme.PRIMARY},
            color={ft.ControlState.DISABLED: theme.DISABLED_TEXT, ft.ControlState.DEFAULT: theme.ON_PRIMARY},
            text_style=ft.TextStyle(size=theme.BODY + 1, weight=ft.FontWeight.W_600),
        ),
    )


def text_button(text: str, on_click: Callable, key: str, *, disabled: bool = False) -> ft.Control:
    return ft.TextButton(text, key=key, on_click=on_click, disabled=disabled,
                         style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=12, vertical=14)))


def _banner(message: str, key: str, icon, fg: str, bg: str, on_retry: Callable | None,
            retry_text: str) -> ft.Control:
    row: list[ft.Control] = [
        ft.Icon(icon, color=fg),
        ft.Text(message, color=fg, size=theme.BODY, expand=True, key=f"{key}-text"),
    ]
    if on_retry is not None:
        row.append(text_button(retry_text, on_retry, key=f"{key}-retry"))
    return ft.Container(ft.Row(row, vertical_alignment=ft.CrossAxisAlignment.CENTER),
                        bgcolor=bg, padding=12, border_radius=8, key=key)


def error_banner(message: str, key: str, on_retry: Callable | None = None, retry_text: str = "") -> ft.Control:
    return _banner(message, key, ft.Icons.ERROR_OUTLINE, theme.DANGER, theme.DANGER_BG, on_retry, retry_text)


def notice_banner(message: str, key: str, on_retry: Callable | None = None, retry_text: str = "") -> ft.Control:
    return _banner(message, key, ft.Icons.CLOUD_OFF, theme.WARNING_TEXT, theme.WARNING_BG, on_retry, retry_text)


def loading(message: str, key: str = "loading") -> ft.Control:
    return ft.Row([ft.ProgressRing(width=24, height=24), ft.Text(message, size=theme.BODY)],
                  key=key, alignment=ft.MainAxisAlignment.CENTER)


def amount_text(i18n: I18n, amount: int, *, size: int | None = None, color: str | None = None,
                key: str | None = None) -> ft.Text:
    return ft.Text(i18n.money(amount), size=size or theme.AMOUNT, weight=ft.FontWeight.BOLD, color=color, key=key,
                   no_wrap=False)


def words_in_guided_mode(i18n: I18n, amount: int, key: str) -> list[ft.Control]:
    """Guided mode shows every amount that matters in words too ("bốn triệu sáu trăm…"), not only figures."""
    if not theme.is_guided():
        return []
    from app.ui.core.payment_text import amount_words
    return [ft.Text(amount_words(i18n, amount), size=theme.BODY, italic=True, key=key)]


def status_chip(i18n: I18n, status: str, key: str | None = None) -> ft.Control:
    labels = {
        "overdue": (i18n.t("Overdue"), theme.DANGER, theme.DANGER_BG),
        "partially_paid": (i18n.t("Partly paid"), theme.WARNING_TEXT, theme.WARNING_BG),
        "open": (i18n.t("To pay"), theme.PRIMARY, theme.PRIMARY_BG),
        "paid": (i18n.t("Paid"), theme.OK, theme.OK_BG),
        "cancelled": (i18n.t("Cancelled"), theme.MUTED, theme.NEUTRAL_BG),
    }
    text, fg, bg = labels.get(status, (status, theme.MUTED, theme.NEUTRAL_BG))
    return ft.Container(ft.Text(text, color=fg, size=theme.BODY - 2, weight=ft.FontWeight.W_600),
                        bgcolor=bg, padding=ft.Padding.symmetric(horizontal=8, vertical=4), border_radius=12,
                        key=key)


def section_title(text: str) -> ft.Text:
    return ft.Text(text, size=theme.BODY + 2, weight=ft.FontWeight.BOLD)


def icon_button(icon, label: str, on_click: Callable | None, key: str, *, disabled: bool = False,
                color: str | None = None, action: ft.ClientAction | None = None) -> ft.Control:
    """An icon button whose accessible name is its label: a bare tooltip names only a wrapper on the web.

    `action` runs on the device inside the tap itself (copy, open a page), which browsers require."""
    return ft.Semantics(
        content=ft.IconButton(icon, tooltip=label, key=key, on_click=on_click, disabled=disabled, icon_color=color,
                              action=action),
        label=label, button=True, identifier=key,
    )


def labelled(label: str, value: str, key: str | None = None, trailing: ft.Control | None = None) -> ft.Control:
    """A small grey label above a readable value, optionally with a button (copy) at the end."""
    column = ft.Column([ft.Text(label, size=theme.BODY - 2, color=theme.MUTED),
                        ft.Text(value, size=theme.BODY + 1, key=key)], spacing=0, expand=True)
    if trailing is None:
        return column
    return ft.Row([column, trailing], vertical_alignment=ft.CrossAxisAlignment.CENTER)


def card(controls: list[ft.Control], key: str | None = None, bgcolor: str | None = None) -> ft.Control:
    return ft.Card(ft.Container(ft.Column(controls, spacing=10), padding=16, bgcolor=bgcolor, border_radius=12),
                   key=key)
