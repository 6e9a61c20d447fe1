"""Sign-in screens: render the view-model, forward events; no logic here."""

from __future__ import annotations

import flet as ft

from app.data.api import ApiFailure
from app.ui.core import theme
from app.ui.core.components import app_bar, error_banner, primary_button, text_button, typed
from app.ui.core.failures import failure_text
from app.ui.core.services import use_i18n, use_services
from app.ui.sign_in.view_model import SignInViewModel


@ft.component
def SignInScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.sign_in_vm)
    session = services.session
    t = i18n.t

    controls: list[ft.Control] = [
        ft.Text(t("Pay tuition and hospital bills, without cash."), size=theme.BODY, color=theme.MUTED),
    ]
    if session.notice:
        controls.append(error_banner(failure_text(i18n, ApiFailure(session.notice)), key="session-notice"))
    field = ft.use_ref(None)  # the live text field: what the person sees is what gets submitted
    if vm.step == "phone":
        controls += _phone_step(vm, i18n, field)
    else:
        controls += _code_step(vm, i18n, field)
    if vm.error is not None:
        controls.append(error_banner(failure_text(i18n, vm.error), key="sign-in-error"))

    return ft.View(
        route="/",
        appbar=app_bar(t("Sign in to Đóng Phí")),
        controls=[ft.Column(controls, spacing=16, tight=True)],
        padding=20,
        scroll=ft.ScrollMode.AUTO,
    )


def _phone_step(vm: SignInViewModel, i18n, field) -> list[ft.Control]:
    t = i18n.t

    async def submit(e=None) -> None:
        await vm.submit_phone(_shown(field, e))

    return [
        ft.Text(t("Enter your mobile number. We will send you a 6-digit code by SMS."), size=theme.BODY),
        ft.TextField(
            key="phone", label=t("Mobile number"), value=vm.phone, hint_text="0912 345 678",
            keyboard_type=ft.KeyboardType.PHONE, autofill_hints=[ft.AutofillHint.TELEPHONE_NUMBER],
            on_change=lambda e: vm.set_phone(typed(e)), on_submit=submit,
            text_size=theme.BODY + 2, autofocus=True, ref=field,
        ),
        # Never disabled while typing: a disabled button says nothing, and its state hung on a re-render
        # per keystroke that Flutter web sometimes missed. Tapping early gets a specific error instead.
        primary_button(t("Send me a code"), submit, key="send-code", busy=vm.running),
    ]


def _code_step(vm: SignInViewModel, i18n, field) -> list[ft.Control]:
    t = i18n.t

    async def submit(e=None) -> None:
        await vm.submit_code(_shown(field, e))

    controls: list[ft.Control] = [
        ft.Text(t("We sent a 6-digit code to {phone}. It is valid for 5 minutes.", phone=vm.display_phone),
                size=theme.BODY, key="code-sent-to"),
        ft.Text(t("Never give this code to anyone, even someone who says they are from a school, a hospital "
                  "or a bank."), size=theme.BODY - 1, color=theme.WARNING_TEXT),
        ft.TextField(
            key="code", label=t("6-digit code"), value=vm.code, max_length=6,
            keyboard_type=ft.KeyboardType.NUMBER, autofill_hints=[ft.AutofillHint.ONE_TIME_CODE],
            on_change=lambda e: vm.set_code(typed(e)), on_submit=submit,
            text_size=theme.BODY + 4, autofocus=True, ref=field,
        ),
        primary_button(t("Sign in"), submit, key="verify-code", busy=vm.running),
        ft.Row([
            text_button(t("Send a new code"), vm.resend, key="resend-code", disabled=vm.running),
            text_button(t("Change number"), vm.change_phone, key="change-phone", disabled=vm.running),
        ], wrap=True),
    ]
    return controls


def _shown(field, e) -> str | None:
    """The text the field shows when the person submits.

    Flutter web now and then loses the last change event of fast typing, while the client still patches
    the control's value; Enter sends the text with the event. Either beats the view-model's copy.
    """
    if e is not None and getattr(e, "name", "") == "submit" and isinstance(e.data, str):
        return e.data
    control = field.current
    return control.value if control is not None and isinstance(control.value, str) else None
