"""Guided mode's pieces: the first-launch question, "Bước 1/3", the big Back, the help button, read-aloud."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui.core import theme
from app.ui.core.i18n import I18n
from app.ui.core.services import use_i18n, use_services
from app.ui.guided.read_aloud import ReadAloudViewModel
from domain.phone import display_phone

BIG = 24  # the question screen is read before any choice: large whatever the answer will be


def _big_button(text: str, key: str, on_click, *, primary: bool, icon=None) -> ft.Control:
    style = ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=24, vertical=22),
        bgcolor=theme.PRIMARY if primary else theme.SURFACE, color=theme.ON_PRIMARY if primary else theme.PRIMARY,
        side=None if primary else ft.BorderSide(2, theme.PRIMARY),
        text_style=ft.TextStyle(size=BIG, weight=ft.FontWeight.W_600))
    return ft.Button(text, key=key, on_click=on_click, icon=icon, style=style)


@ft.component
def GuidedChoiceScreen():
    """First launch, before anything else: "Bạn muốn chữ to và từng bước một?"."""
    services, i18n = use_services(), use_i18n()
    t, guided = i18n.t, services.guided

    async def yes(e=None):
        await guided.choose(True)

    async def no(e=None):
        await guided.choose(False)

    return ft.View(route="/", padding=24, scroll=ft.ScrollMode.AUTO, controls=[
        ft.Column([
            ft.Text("Đóng Phí", size=BIG + 8, weight=ft.FontWeight.BOLD, color=theme.PRIMARY),
            ft.Text(t("Would you like large text and one step at a time?"), size=BIG + 6,
                    weight=ft.FontWeight.BOLD, key="guided-question"),
            ft.Text(t("Larger letters, stronger colours, one question per screen, and the amount read aloud "
                      "before you pay. You can change this later in Settings."), size=BIG - 2),
            _big_button(t("Yes, large text, one step at a time"), "guided-yes", yes, primary=True,
                        icon=ft.Icons.TEXT_INCREASE),
            _big_button(t("No, the usual screens"), "guided-no", no, primary=False),
        ], spacing=24, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
    ])


def step_header(i18n: I18n, step: int, total: int, title: str) -> ft.Control | None:
    """"Bước 2/3 · Chọn cách trả" — only in guided mode; elsewhere the app bar is enough."""
    if not theme.is_guided():
        return None
    return ft.Container(ft.Column([
        ft.Text(i18n.t("Step {step}/{total}", step=step, total=total), size=theme.BODY, weight=ft.FontWeight.W_600,
                color=theme.PRIMARY, key=f"guided-step-{step}"),
        ft.Text(title, size=theme.TITLE, weight=ft.FontWeight.BOLD),
    ], spacing=4, tight=True), bgcolor=theme.PRIMARY_BG, padding=16, border_radius=12, key=f"guided-step-card-{step}")


def big_back(i18n: I18n, on_click: Callable, key: str = "guided-back") -> ft.Control | None:
    """The large Back at the bottom of every guided step (the app bar's arrow is small and far away)."""
    if not theme.is_guided():
        return None
    return ft.OutlinedButton(
        i18n.t("Go back"), key=key, icon=ft.Icons.ARROW_BACK, on_click=on_click,
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=20),
                             side=ft.BorderSide(2, theme.PRIMARY), color=theme.PRIMARY,
                             text_style=ft.TextStyle(size=theme.BODY + 1, weight=ft.FontWeight.W_600)))


def help_contacts(i18n: I18n, helper_name: str, helper_phone: str,
                  institutions: list[tuple[str, str]]) -> list[ft.Control]:
    """Call buttons: the family member the user chose, then each institution's support line."""
    t = i18n.t
    out: list[ft.Control] = []
    if helper_phone:
        out.append(ft.Button(t("Call {name}: {phone}", name=helper_name, phone=display_phone(helper_phone)),
                             key="help-call-helper", icon=ft.Icons.FAMILY_RESTROOM, url=f"tel:{helper_phone}",
                             style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=18),
                                                  bgcolor=theme.PRIMARY, color=theme.ON_PRIMARY)))
    for i, (name, phone) in enumerate(institutions):
        out.append(ft.OutlinedButton(t("Call {name}: {phone}", name=name, phone=phone), key=f"help-call-{i}",
                                     icon=ft.Icons.CALL, url=f"tel:{phone.replace(' ', '')}",
                                     style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=18))))
    if not out:
        out.append(ft.Text(t("Add a family member to call in Settings → Large text mode."), size=theme.BODY,
                           key="help-none"))
    return out


@ft.component
def HelpButton():
    """The same place on every screen (the app bar's first action) in guided mode: who to call."""
    services, i18n = use_services(), use_i18n()
    open_, set_open = ft.use_state(False)
    contacts, set_contacts = ft.use_state(list)
    t = i18n.t

    async def show(e=None):
        set_contacts(await services.help_contacts())
        set_open(True)

    dialog = None
    if open_:
        guided = services.guided
        dialog = ft.AlertDialog(
            key="help-dialog", modal=False, on_dismiss=lambda e: set_open(False),
            title=ft.Text(t("Need help?"), size=theme.TITLE),
            content=ft.Column(help_contacts(i18n, guided.helper_name, guided.helper_phone, contacts),
                              spacing=12, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            actions=[ft.TextButton(t("Close"), key="help-close", on_click=lambda e: set_open(False))])
    ft.use_dialog(dialog)
    return ft.IconButton(ft.Icons.SUPPORT_AGENT, key="help", tooltip=t("Help: who to call"), on_click=show,
                         icon_color=theme.ON_PRIMARY, icon_size=32,
                         style=ft.ButtonStyle(padding=12))


@ft.component
def ReadAloud(text: str):
    """The sentence shown large and read aloud once when it appears, with "Nghe lại" to hear it again."""
    services, i18n = use_services(), use_i18n()
    vm, _ = ft.use_state(services.read_aloud_vm)

    async def read_first_time():
        await vm.play_once(text, i18n.lang)

    ft.use_effect(read_first_time, [text, i18n.lang])
    return read_aloud_card(i18n, vm, text)


def read_aloud_card(i18n: I18n, vm: ReadAloudViewModel, text: str) -> ft.Control:
    """Where the device cannot play, the words alone are the read-aloud."""
    t = i18n.t
    status = {
        "loading": t("Reading aloud…"),
        "unavailable": t("This device cannot read aloud: please read the sentence above."),
        "failed": t("Could not read aloud. Please read the sentence above, or try again."),
    }.get(vm.state)
    controls: list[ft.Control] = [
        ft.Text(text, size=theme.TITLE, weight=ft.FontWeight.W_600, key="read-aloud-text"),
    ]
    if vm.can_play:
        controls.append(ft.Button(t("Listen again") if vm.played_once else t("Listen"), key="read-aloud-play",
                                  icon=ft.Icons.VOLUME_UP, on_click=vm.play, disabled=vm.state == "loading",
                                  style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=16))))
    if status and vm.can_play:
        controls.append(ft.Text(status, size=theme.BODY, color=theme.MUTED, key="read-aloud-status"))
    return ft.Container(ft.Column(controls, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                        bgcolor=theme.PRIMARY_BG, padding=16, border_radius=12, key="read-aloud")


@ft.component
def GuidedSettings():
    """In Settings: switch guided mode, and choose the family member the help button calls."""
    services, i18n = use_services(), use_i18n()
    guided, _ = ft.use_state(lambda: services.guided)
    name, set_name = ft.use_state(lambda: guided.helper_name)
    phone, set_phone = ft.use_state(lambda: display_phone(guided.helper_phone) if guided.helper_phone else "")
    saved, set_saved = ft.use_state(False)
    t = i18n.t
    errors = {"helper_name_missing": t("Write the name of the person to call."),
              "helper_phone_invalid": t("This is not a Vietnamese mobile number.")}

    async def toggle(e):
        await guided.choose(bool(e.control.value))

    async def save(e=None):
        set_saved(await guided.set_helper(name, phone))

    return ft.Column([
        ft.Text(t("Large text mode"), size=theme.BODY + 2, weight=ft.FontWeight.BOLD),
        ft.Switch(label=t("Large text, stronger colours, one step at a time"), value=guided.on, key="guided-switch",
                  on_change=toggle, label_text_style=ft.TextStyle(size=theme.BODY)),
        ft.Text(t("The help button calls this person:"), size=theme.BODY),
        ft.TextField(label=t("Their name"), value=name, key="guided-helper-name", max_length=60,
                     on_change=lambda e: (set_name(e.data if isinstance(e.data, str) else e.control.value or ""),
                                          set_saved(False)),
                     error=errors.get(guided.helper_error) if guided.helper_error == "helper_name_missing" else None,
                     text_size=theme.BODY),
        ft.TextField(label=t("Their mobile number"), value=phone, key="guided-helper-phone",
                     keyboard_type=ft.KeyboardType.PHONE,
                     on_change=lambda e: (set_phone(e.data if isinstance(e.data, str) else e.control.value or ""),
                                          set_saved(False)),
                     error=errors.get(guided.helper_error) if guided.helper_error == "helper_phone_invalid" else None,
                     text_size=theme.BODY),
        ft.Button(t("Save"), key="guided-helper-save", on_click=save),
        ft.Text(t("Saved."), size=theme.BODY, color=theme.OK, key="guided-helper-saved") if saved else ft.Container(),
    ], spacing=10, key="guided-settings")
