"""Settings: language and sign-out."""

from __future__ import annotations

import flet as ft

from app.ui.core import theme
from app.ui.core.components import app_bar, primary_button, section_title
from app.ui.core.routes import ACCOUNTS_ROUTE, NOTIFICATION_SETTINGS_ROUTE, REPORT_ROUTE
from app.ui.core.services import use_i18n, use_services
from app.ui.guidance.view_model import GUIDANCE_ROUTE
from app.ui.guided.view import GuidedSettings
from app.ui.security.view import SecuritySettings
from domain.phone import display_phone


@ft.component
def SettingsScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.settings_vm)
    t = i18n.t
    user = services.session.user

    controls: list[ft.Control] = language_section(i18n, vm)
    controls.append(ft.Divider())
    controls.append(GuidedSettings())
    controls.append(ft.Divider())
    controls.append(section_title(t("Paying")))
    controls.append(ft.ListTile(key="open-accounts", leading=ft.Icon(ft.Icons.ACCOUNT_BALANCE),
                                title=ft.Text(t("Linked bank accounts and e-wallets"), size=theme.BODY),
                                trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
                                on_click=lambda: ft.context.page.navigate(ACCOUNTS_ROUTE)))
    controls.append(ft.Divider())
    controls.append(section_title(t("Notifications")))
    controls.append(ft.ListTile(key="open-notification-settings", leading=ft.Icon(ft.Icons.NOTIFICATIONS),
                                title=ft.Text(t("Notification settings"), size=theme.BODY),
                                subtitle=ft.Text(t("Phone notifications, SMS, quiet hours"), size=theme.BODY - 2),
                                trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
                                on_click=lambda: ft.context.page.navigate(NOTIFICATION_SETTINGS_ROUTE)))
    controls.append(ft.Divider())
    controls.append(ft.ListTile(key="open-guidance", leading=ft.Icon(ft.Icons.SHIELD_OUTLINED),
                                title=ft.Text(t("Beware of scams"), size=theme.BODY),
                                subtitle=ft.Text(t("How to recognise scams, and what to do"), size=theme.BODY - 2),
                                trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
                                on_click=lambda: ft.context.page.navigate(GUIDANCE_ROUTE)))
    controls.append(ft.ListTile(key="open-report", leading=ft.Icon(ft.Icons.FLAG_OUTLINED),
                                title=ft.Text(t("Report a scam"), size=theme.BODY),
                                subtitle=ft.Text(t("A phone number, an account or a message; your reports"),
                                                 size=theme.BODY - 2),
                                trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
                                on_click=lambda: ft.context.page.navigate(REPORT_ROUTE)))
    controls.append(ft.Divider())
    controls.append(SecuritySettings())
    controls.append(ft.Divider())
    controls += account_section(i18n, vm, user, services.session.running)

    return ft.View(
        route=ft.use_view_path() or "/settings",
        appbar=app_bar(t("Settings")),
        controls=[ft.Column(controls, spacing=12)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def language_section(i18n, vm) -> list[ft.Control]:
    """Shared by the family's and the student's settings."""
    async def choose(e):
        await vm.choose_language(e.control.value)

    return [section_title(i18n.t("Language")), ft.RadioGroup(
        key="language", value=i18n.lang, on_change=choose,
        content=ft.Column([
            ft.Radio(value="vi", label="Tiếng Việt", key="lang-vi"),
            ft.Radio(value="en", label="English", key="lang-en"),
        ]),
    )]


def account_section(i18n, vm, user, busy: bool) -> list[ft.Control]:
    t = i18n.t
    out: list[ft.Control] = [section_title(t("Account"))]
    if user is not None:
        out.append(ft.Text(t("Signed in as {phone}", phone=display_phone(user.phone)), size=theme.BODY,
                           key="signed-in-as"))
    out.append(primary_button(t("Sign out"), vm.sign_out, key="sign-out", busy=busy))
    return out
