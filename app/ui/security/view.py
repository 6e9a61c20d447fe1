"""Security screens: render the view-models, forward events; no logic here."""

from __future__ import annotations

import flet as ft

from app.ui.core import theme
from app.ui.core.components import (app_bar, card, error_banner, loading, primary_button, screen, section_title,
                                    text_button, typed)
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.services import use_i18n, use_services
from app.ui.security.countdown import use_ticker
from app.ui.security.owner_check import lock_notice, pin_field
from app.ui.security.texts import security_text
from app.ui.security.view_model import LOCK_AFTER_CHOICES, PinResetViewModel

CHANGE_PIN_ROUTE = "/settings/pin"
DEVICES_ROUTE = "/settings/devices"


def _shown(field, e) -> str | None:
    """What the field shows at the tap (Enter sends it with the event): it beats the last change event."""
    if e is not None and getattr(e, "name", "") == "submit" and isinstance(e.data, str):
        return e.data
    control = field.current
    return control.value if control is not None and isinstance(control.value, str) else None


def _plain_view(title: str, controls: list[ft.Control]) -> ft.View:
    return ft.View(route="/", appbar=app_bar(title), padding=20, scroll=ft.ScrollMode.AUTO,
                   controls=[ft.Column(controls, spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)])


@ft.component
def PinSetupScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    t = i18n.t
    vm, _ = ft.use_state(services.security.pin_setup_vm)
    field = ft.use_ref(None)

    async def submit(e=None):
        await vm.next(_shown(field, e))

    repeat = vm.step == "repeat"
    controls: list[ft.Control] = [
        ft.Text(t("Repeat your new PIN") if repeat else t("Choose a 6-digit app PIN"), size=theme.TITLE,
                weight=ft.FontWeight.BOLD, key="pin-setup-title"),
        ft.Text(t("Why a PIN? It keeps your bills and payments safe if someone else picks up your phone."),
                size=theme.BODY + 1, color=theme.MUTED, key="pin-why"),
        pin_field(i18n, "setup-pin", t("Repeat the PIN") if repeat else t("New PIN"), vm.pin,
                  lambda e: vm.set_pin(typed(e)), on_submit=submit, autofocus=True, ref=field),
        primary_button(t("Save PIN") if repeat else t("Next"), submit, key="setup-next", busy=vm.running),
    ]
    if repeat:
        controls.append(text_button(t("Start again"), vm.back, key="setup-back", disabled=vm.running))
    if vm.error is not None:
        controls.append(error_banner(security_text(i18n, vm.error), key="setup-error"))
    controls.append(text_button(t("Sign out"), services.session.sign_out, key="setup-sign-out"))
    return _plain_view(t("Protect the app"), controls)


def _reset_controls(vm: PinResetViewModel, i18n, code_field, new_field, repeat_field,
                    phone: str) -> list[ft.Control]:
    t = i18n.t
    if not vm.code_sent:
        controls = [
            ft.Text(t("We will send a one-time code by SMS to {phone}.", phone=phone), size=theme.BODY,
                    key="reset-phone"),
            primary_button(t("Send me a code"), vm.send_code, key="reset-send-code", busy=vm.running),
        ]
    else:
        async def submit(e=None):
            await vm.reset(_shown(code_field, None), _shown(new_field, None), _shown(repeat_field, e))

        controls = [
            ft.Text(t("Enter the code we sent to {phone} and choose a new PIN.", phone=phone), size=theme.BODY,
                    key="reset-code-sent"),
            ft.TextField(key="reset-code", label=t("6-digit code"), value=vm.code, max_length=6,
                         keyboard_type=ft.KeyboardType.NUMBER, autofill_hints=[ft.AutofillHint.ONE_TIME_CODE],
                         on_change=lambda e: vm.set_code(typed(e)), text_size=theme.BODY + 4, ref=code_field),
            pin_field(i18n, "reset-new-pin", t("New PIN"), vm.new_pin, lambda e: vm.set_new_pin(typed(e)),
                      ref=new_field),
            pin_field(i18n, "reset-repeat-pin", t("Repeat the PIN"), vm.repeat, lambda e: vm.set_repeat(typed(e)),
                      on_submit=submit, ref=repeat_field),
            primary_button(t("Save new PIN"), submit, key="reset-save", busy=vm.running),
            text_button(t("Send a new code"), vm.send_code, key="reset-resend", disabled=vm.running),
        ]
    if vm.error is not None:
        controls.append(error_banner(security_text(i18n, vm.error), key="reset-error"))
    return controls


def _phone(services) -> str:
    from domain.phone import display_phone
    user = services.session.user
    return display_phone(user.phone) if user is not None else ""


@ft.component
def PinResetPanel() -> ft.Control:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.security.pin_reset_vm)
    code_field, new_field, repeat_field = ft.use_ref(None), ft.use_ref(None), ft.use_ref(None)
    controls = _reset_controls(vm, i18n, code_field, new_field, repeat_field, _phone(services))
    if vm.done:
        controls = [ft.Text(i18n.t("Your new PIN is saved."), size=theme.BODY, color=theme.OK, key="reset-done")]
    return ft.Column(controls, spacing=14, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, key="pin-reset")


@ft.component
def LockScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    t = i18n.t
    vm, _ = ft.use_state(services.security.lock_vm)
    field = ft.use_ref(None)
    use_ticker(vm.locked)

    async def unlock(e=None):
        await vm.unlock_with_pin(_shown(field, e))

    async def biometrics(_e=None):
        await vm.unlock_with_biometrics(t("Unlock Đóng Phí"))

    user = services.session.user
    controls: list[ft.Control] = []
    if user is not None and user.full_name:
        controls.append(ft.Text(t("Hello, {name}", name=user.full_name), size=theme.TITLE,
                                weight=ft.FontWeight.BOLD, key="lock-greeting"))
    if vm.resetting:
        controls.append(section_title(t("Reset your PIN")))
        if vm.reset_required:
            controls.append(error_banner(security_text(i18n, vm.error), key="lock-error"))
        controls.append(PinResetPanel())
        if not vm.reset_required:
            controls.append(text_button(t("Back to PIN"), vm.back_to_pin, key="lock-back-to-pin"))
    else:
        blocked = vm.locked or vm.reset_required
        controls += [
            ft.Text(t("Enter your app PIN to continue."), size=theme.BODY + 1),
            pin_field(i18n, "lock-pin", t("App PIN"), vm.pin, lambda e: vm.set_pin(typed(e)), on_submit=unlock,
                      disabled=blocked or vm.running, autofocus=True, ref=field),
            primary_button(t("Unlock"), unlock, key="unlock", disabled=blocked, busy=vm.running),
        ]
        if vm.biometric_enabled and vm.biometrics is not None:
            controls.append(text_button(t("Use fingerprint or face"), biometrics, key="unlock-biometrics",
                                        disabled=vm.running))
        notice = lock_notice(i18n, vm, "lock-error")
        if notice is not None:
            controls.append(notice)
        controls.append(text_button(t("Forgot PIN?"), vm.forgot, key="forgot-pin", disabled=vm.running))
    controls.append(ft.Divider())
    controls.append(text_button(t("Sign out"), vm.sign_out, key="lock-sign-out"))
    return _plain_view(t("Đóng Phí is locked"), controls)


@ft.component
def ChangePinScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    t = i18n.t
    vm, _ = ft.use_state(services.security.change_pin_vm)
    forgot, set_forgot = ft.use_state(False)
    current, new, repeat = ft.use_ref(None), ft.use_ref(None), ft.use_ref(None)
    use_ticker(vm.locked)

    async def save(e=None):
        await vm.save(_shown(current, None), _shown(new, None), _shown(repeat, e))

    blocked = vm.locked or vm.reset_required
    if forgot or vm.reset_required:
        body: list[ft.Control] = []
        if vm.reset_required:
            body.append(error_banner(security_text(i18n, vm.error), key="change-pin-error"))
        body.append(PinResetPanel())
    else:
        body = [
            pin_field(i18n, "current-pin", t("Current PIN"), vm.current, lambda e: vm.set_current(typed(e)),
                      disabled=blocked, ref=current),
            pin_field(i18n, "new-pin", t("New PIN"), vm.new_pin, lambda e: vm.set_new_pin(typed(e)),
                      disabled=blocked, ref=new),
            pin_field(i18n, "repeat-pin", t("Repeat the PIN"), vm.repeat, lambda e: vm.set_repeat(typed(e)),
                      on_submit=save, disabled=blocked, ref=repeat),
            primary_button(t("Change PIN"), save, key="change-pin-save", disabled=blocked, busy=vm.running),
        ]
        if vm.done:
            body.append(ft.Text(t("Your new PIN is saved."), size=theme.BODY, color=theme.OK, key="change-pin-done"))
        notice = lock_notice(i18n, vm, "change-pin-error")
        if notice is not None:
            body.append(notice)
        body.append(text_button(t("Forgot PIN?"), lambda: set_forgot(True), key="change-forgot-pin"))
    return screen(ft.use_view_path() or CHANGE_PIN_ROUTE, t("Change PIN"), body)


@ft.component
def DevicesScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    t = i18n.t
    vm, _ = ft.use_state(services.security.devices_vm)
    use_load_when_shown(vm.load, vm.devices is not None)

    body: list[ft.Control] = []
    if vm.devices is None and vm.loading:
        body.append(loading(t("Loading…")))
    for device in vm.devices or []:
        rows: list[ft.Control] = [
            ft.Row([ft.Text(device.device_name or t("Unknown device"), size=theme.BODY + 1,
                            weight=ft.FontWeight.W_600, expand=True, key=f"device-name-{device.id}")]
                   + ([ft.Container(ft.Text(t("This device"), color=theme.OK, size=theme.BODY - 2,
                                            weight=ft.FontWeight.W_600),
                                    bgcolor=theme.OK_BG, padding=ft.Padding.symmetric(horizontal=8, vertical=4),
                                    border_radius=12, key=f"device-current-{device.id}")] if device.current else [])),
        ]
        if device.last_used_at is not None:
            rows.append(ft.Text(t("Last used {when}", when=i18n.moment(device.last_used_at)), size=theme.BODY,
                                color=theme.MUTED, key=f"device-last-used-{device.id}"))
        if not device.current:
            if vm.confirming == device.id:
                rows += [
                    ft.Text(t("Sign out {name}? It will need the SMS code to sign in again.",
                              name=device.device_name or t("Unknown device")), size=theme.BODY),
                    ft.Row([
                        primary_button(t("Sign out this device"), vm.sign_out_device,
                                       key=f"device-confirm-{device.id}", busy=vm.running),
                        text_button(t("Cancel"), vm.cancel, key=f"device-cancel-{device.id}",
                                    disabled=vm.running),
                    ], wrap=True),
                ]
            else:
                rows.append(text_button(t("Sign out this device"), _asker(vm, device.id),
                                        key=f"device-sign-out-{device.id}", disabled=vm.running))
        body.append(card(rows, key=f"device-{device.id}"))
    if vm.error is not None:
        body.append(error_banner(security_text(i18n, vm.error), key="devices-error", on_retry=vm.load,
                                 retry_text=t("Try again")))
    return screen(ft.use_view_path() or DEVICES_ROUTE, t("Signed-in devices"), body)


def _asker(vm, session_id: str):
    def ask():  # no parameter: Flet would pass the event into a defaulted one
        vm.ask(session_id)
    return ask


@ft.component
def SecuritySettings() -> ft.Control:
    """The security part of Settings: change PIN, lock after, biometrics (where available), devices."""
    services = use_services()
    i18n = use_i18n()
    t = i18n.t
    vm, _ = ft.use_state(services.security.security_settings_vm)
    biometric, _ = ft.use_state(lambda: services.security.biometric)
    page = ft.context.page
    field = ft.use_ref(None)
    use_ticker(vm.locked)

    async def choose(e):
        await vm.choose_lock_after(e.control.value)

    async def toggle(e):
        await vm.toggle_biometrics(bool(e.control.value))

    async def confirm(e=None):
        await vm.confirm_pin(_shown(field, e))

    labels = {0: t("Immediately"), 60: t("1 minute"), 300: t("5 minutes")}
    controls: list[ft.Control] = [
        section_title(t("Security")),
        text_button(t("Change PIN"), lambda: page.navigate(CHANGE_PIN_ROUTE), key="open-change-pin"),
        ft.Text(t("Lock after"), size=theme.BODY, weight=ft.FontWeight.W_600),
        ft.RadioGroup(key="lock-after", value=str(vm.lock_after), on_change=choose, content=ft.Column([
            ft.Radio(value=str(s), label=labels[s], key=f"lock-after-{s}") for s in LOCK_AFTER_CHOICES])),
    ]
    if biometric.available:
        controls.append(ft.Switch(key="biometric-switch", label=t("Unlock with fingerprint or face"),
                                  value=biometric.enabled or vm.asking_pin, on_change=toggle,
                                  disabled=vm.running))
        if vm.asking_pin:
            controls += [
                ft.Text(t("Enter your app PIN to turn this on."), size=theme.BODY),
                pin_field(i18n, "biometric-pin", t("App PIN"), vm.pin, lambda e: vm.set_pin(typed(e)),
                          on_submit=confirm, disabled=vm.locked or vm.running, ref=field),
                ft.Row([primary_button(t("Turn on"), confirm, key="biometric-confirm", disabled=vm.locked,
                                       busy=vm.running),
                        text_button(t("Cancel"), vm.cancel_pin, key="biometric-cancel")], wrap=True),
            ]
            notice = lock_notice(i18n, vm, "biometric-error")
            if notice is not None:
                controls.append(notice)
    controls.append(text_button(t("Signed-in devices"), lambda: page.navigate(DEVICES_ROUTE), key="open-devices"))
    return ft.Column(controls, spacing=12, key="security-settings")


def inactivity_dialog(i18n, vm) -> ft.AlertDialog | None:
    if vm.warning_left is None:
        return None
    t = i18n.t
    return ft.AlertDialog(
        key="inactivity-warning", modal=True,
        title=ft.Text(t("Are you still there?")),
        content=ft.Text(t("You will be signed out in {seconds} s", seconds=vm.warning_left), size=theme.BODY + 1,
                        key="inactivity-seconds"),
        actions=[primary_button(t("Stay signed in"), vm.stay, key="stay-signed-in", busy=vm.running),
                 text_button(t("Sign out"), vm.sign_out_now, key="inactivity-sign-out")],
    )
