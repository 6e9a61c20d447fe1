"""Scan screens: choose how to read the QR, then what it is and whether the payee is genuine, then report it."""

from __future__ import annotations

import flet as ft

from app.ui.core import theme
from app.ui.core.components import (amount_text, card, error_banner, labelled, loading, notice_banner,
                                    primary_button, screen, section_title, text_button, typed)
from app.ui.core.failures import failure_text
from app.ui.core.i18n import I18n
from app.ui.core.payment_text import amount_words
from app.ui.core.routes import CHECK_ROUTE, SCAN_REPORT_ROUTE, choose_method_route
from app.ui.core.services import use_i18n, use_services
from app.ui.guidance.view_model import CHECKLIST_ROUTE, article_route
from app.ui.report.view_model import new_report
from app.ui.scan.view_model import REPORT_ROUTE, SEEN_AT, ScanViewModel
from domain.banks import bank_by_bin
from domain.brakes import Brake, article_for
from domain.payee import Verdict
from domain.scan import ScanKind

CAMERA_ROUTE = "/scan/camera"


def use_scan() -> ScanViewModel:
    """The session's shared scan task, with this screen subscribed to it."""
    services = use_services()
    vm, _ = ft.use_state(lambda: services.scan)
    return vm


def problem_text(i18n: I18n, code: str) -> str:
    t = i18n.t
    texts = {
        "empty": t("There is nothing to read. Choose a picture or paste the text of a QR code."),
        "not_image": t("This file is not a picture we can open. Choose a photo or a screenshot (JPG or PNG)."),
        "too_large": t("This picture is too large. Choose a smaller photo or a screenshot."),
        "no_qr": t("No QR code was found in this picture. Take the photo closer, with the whole code in view."),
        "several": t("This picture has more than one QR code. Crop it so only one code is left, then try again."),
        "damaged": t("A QR code is there but cannot be read: it is damaged, blurred or covered. Take a sharper "
                     "photo, or ask the institution for a new code."),
        "not_payment": t("This is not a payment QR code. Do not pay with it."),
        "invalid": t("This QR code looks like a bank transfer code but something in it is wrong. Do not pay "
                     "with it; ask the institution for a new code."),
        "bill_not_yours": t("This bill is not in your family's list. If it is your child's or your relative's, "
                            "add them first."),
        "registry_unavailable": t("The list of official accounts could not be loaded, so the payee cannot be "
                                  "checked. Connect to the internet and try again."),
    }
    return texts.get(code, t("Something went wrong. Please try again."))


def _kind_name(i18n: I18n, kind: str) -> str:
    return i18n.t("School") if kind == "school" else i18n.t("Hospital")


def _bank_name(bin_code: str) -> str:
    bank = bank_by_bin(bin_code)
    return bank.short_name if bank else bin_code


def _picker(on_bytes) -> ft.FilePicker:
    """One file picker per screen; the newest handler is used, the service itself is kept."""
    handler = ft.use_ref(None)
    handler.current = on_bytes

    async def on_result(e) -> None:
        files = getattr(e, "files", None) or []
        await handler.current(files[0].bytes if files else None, bool(files))

    picker = ft.use_ref(lambda: ft.FilePicker(on_result=on_result))
    return picker.current


# -- step 1: read the QR -------------------------------------------------------------------------

@ft.component
def ScanScreen() -> ft.View:
    i18n = use_i18n()
    vm = use_scan()
    page = ft.context.page
    t = i18n.t
    ft.use_effect(vm.load_places, [])
    pasted, set_pasted = ft.use_state("")
    field = ft.use_ref(None)

    async def picked(data: bytes | None, chosen: bool) -> None:
        if not chosen:
            return  # the person closed the picker: nothing to say
        route = await vm.read_image(data)
        if route:
            page.navigate(route)

    picker = _picker(picked)

    async def check_pasted(e=None) -> None:
        shown = field.current.value if field.current is not None else pasted
        route = await vm.read_text(shown if isinstance(shown, str) else pasted)
        if route:
            page.navigate(route)

    body: list[ft.Control] = [
        ft.Text(t("Scan the QR code printed on the bill or shown at the school office or the hospital's "
                  "cash desk. We tell you whether the account really belongs to the institution before "
                  "you pay."), size=theme.BODY),
    ]
    if vm.institutions:
        # Flutter web does not give the dropdown its label as a name: the Semantics node does.
        body.append(ft.Semantics(label=t("Where are you? (optional)"), button=True, content=ft.Dropdown(
            key="scan-place", label=t("Where are you? (optional)"), value=vm.place_id or "",
            options=[ft.DropdownOption(key="", text=t("Not at a school or hospital"))]
            + [ft.DropdownOption(key=i.id, text=i.name) for i in vm.institutions],
            on_select=lambda e: vm.set_place(e.control.value), expand=True,
        )))
    if page.platform.is_mobile() and not page.web:
        body.append(primary_button(t("Scan with the camera"), lambda: page.navigate(CAMERA_ROUTE),
                                   key="scan-camera"))
    body.append(ft.Button(
        t("Choose a photo or screenshot"), key="scan-pick-image", icon=ft.Icons.IMAGE,
        action=ft.PickFiles(picker, file_type=ft.FilePickerFileType.IMAGE, with_data=True),
        disabled=vm.reading,
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=16),
                             text_style=ft.TextStyle(size=theme.BODY + 1, weight=ft.FontWeight.W_600)),
    ))
    body += [
        section_title(t("Or paste the text of the QR code")),
        ft.TextField(key="scan-text", label=t("QR code text"), value=pasted, multiline=True, min_lines=2,
                     max_lines=4, on_change=lambda e: set_pasted(typed(e)),
                     ref=field, text_size=theme.BODY),
        primary_button(t("Check this code"), check_pasted, key="scan-check-text", busy=vm.reading),
    ]
    if vm.reading:
        body.append(loading(t("Reading the QR code…"), key="scan-reading"))
    if vm.problem:
        body.append(error_banner(problem_text(i18n, vm.problem), key="scan-problem"))
    if vm.failure is not None:
        body.append(error_banner(failure_text(i18n, vm.failure), key="scan-failure"))
    body.append(text_button(t("No QR code? Check a phone number or account"), lambda: page.navigate(CHECK_ROUTE),
                            key="scan-open-check"))
    return screen(ft.use_view_path() or "/scan", t("Scan a QR code"), body)


# -- step 2: what it is, and whether the payee is genuine --------------------------------------

@ft.component
def ScanResultScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm = use_scan()
    guidance, _ = ft.use_state(services.guidance_vm)  # the checklist of the first-large-payment pause
    page = ft.context.page
    t = i18n.t
    o = vm.outcome
    ft.use_effect(vm.brakes_shown, [])
    checklist = guidance.guidance.checklist.items(i18n.lang)

    def report_scam() -> None:
        """The "Report a scam" form, with the account, the QR and its picture already in it."""
        qr = vm.outcome.scanned.vietqr if vm.outcome else None
        check = vm.outcome.check if vm.outcome else None
        new_report(services, bank_bin=qr.bin if qr else "", account=qr.account if qr else "",
                   payload=vm.outcome.scanned.text if vm.outcome else None, image=vm.image,
                   institution_id=(check.institution.id if check and check.institution else None) or vm.place_id)
        page.navigate(SCAN_REPORT_ROUTE)
    if o is None:  # opened directly (a reload): nothing was read in this session
        body = [ft.Text(t("Nothing has been scanned yet."), size=theme.BODY),
                primary_button(t("Scan a QR code"), lambda: page.navigate("/scan"), key="result-scan-again")]
        title = t("Scan a QR code")
    elif o.scanned.kind is ScanKind.MERCHANT:
        body, title = _merchant(i18n, vm), t("Payment QR of another service")
    elif o.check.verdict is Verdict.VERIFIED:
        body, title = _verified(i18n, vm, page, checklist), t("Official account")
    elif o.check.verdict is Verdict.MISMATCH:
        body, title = _mismatch(i18n, vm, page, report_scam), t("Stop: do not pay")
    else:
        body = _unknown(i18n, vm, page, checklist, report_scam)
        title = t("Stop: do not pay") if vm.pressure == "yes" else t("Payee not verified")
    if o is not None and o.registry_as_of is not None:
        body.insert(0, notice_banner(t("No connection: checked against the list of official accounts as of "
                                       "{time}.", time=i18n.moment(o.registry_as_of)), key="result-offline"))
    return screen(ft.use_view_path() or "/scan/result", title, body)


def _qr_facts(i18n: I18n, vm: ScanViewModel) -> list[ft.Control]:
    qr = vm.outcome.scanned.vietqr
    t = i18n.t
    rows = [labelled(t("Bank"), _bank_name(qr.bin), key="result-bank"),
            labelled(t("Account number"), qr.account, key="result-account")]
    if qr.amount is not None:
        rows += [ft.Text(t("Amount in the QR code"), size=theme.BODY - 2, color=theme.MUTED),
                 amount_text(i18n, qr.amount, key="result-amount"),
                 ft.Text(amount_words(i18n, qr.amount), size=theme.BODY - 1, color=theme.MUTED, key="result-amount-words")]
    if qr.purpose or qr.bill_number:
        rows.append(labelled(t("Transfer content"), " ".join(x for x in (qr.bill_number, qr.purpose) if x),
                             key="result-content"))
    return rows


def _transfer_details(i18n: I18n, vm: ScanViewModel) -> ft.Control:
    """How to pay in the bank app: the details to check there, each copyable."""
    t = i18n.t
    qr = vm.outcome.scanned.vietqr
    controls: list[ft.Control] = [
        section_title(t("Pay in your bank app")),
        ft.Text(t("Open your bank app, scan the same QR code (or choose this picture from your photos), and "
                  "check that the beneficiary name the bank shows is the one above before you confirm."),
                size=theme.BODY, key="result-transfer-help"),
    ]
    if qr is not None:
        controls += [
            ft.Row([labelled(t("Account number"), qr.account, key="transfer-account")]),
            ft.Button(t("Copy the account number"), key="copy-account", action=ft.CopyToClipboard(qr.account)),
        ]
    return card(controls, key="result-transfer")


def _verified(i18n: I18n, vm: ScanViewModel, page, checklist) -> list[ft.Control]:
    t = i18n.t
    o = vm.outcome
    inst = o.check.institution
    badge = ft.Container(ft.Row([
        ft.Icon(ft.Icons.VERIFIED, color=theme.OK, size=36),
        ft.Text(t("Verified: this is an official collection account of"), size=theme.BODY + 1,
                weight=ft.FontWeight.W_600, color=theme.OK, expand=True),
    ]), bgcolor=theme.OK_BG, padding=12, border_radius=12, key="result-verified")
    controls: list[ft.Control] = [
        badge,
        card([ft.Text(inst.name, size=theme.TITLE, weight=ft.FontWeight.BOLD, key="result-institution"),
              ft.Text(f"{_kind_name(i18n, inst.kind)} · {inst.province}", size=theme.BODY, color=theme.MUTED,
                      key="result-institution-kind"),
              *_qr_facts(i18n, vm)], key="result-facts"),
    ]
    if o.bill is not None:
        controls.append(card([
            ft.Text(t("This QR code is for a bill in your family:"), size=theme.BODY),
            ft.Text(f"{o.bill.title} · {o.bill_person}", size=theme.BODY + 1, weight=ft.FontWeight.W_600,
                    key="result-bill"),
            labelled(t("Invoice code"), o.bill.invoice_code),
            ft.Text(t("Left to pay"), size=theme.BODY - 2, color=theme.MUTED),
            amount_text(i18n, o.bill.amount_due, key="result-bill-due"),
        ], key="result-bill-card"))
        if o.amount_differs:
            controls.append(notice_banner(t(
                "The amount in the QR code ({qr}) is not what is left to pay on the bill ({due}). If you pay "
                "the bill here, you pay {due}.", qr=i18n.money(o.scanned.vietqr.amount),
                due=i18n.money(o.bill.amount_due)), key="result-amount-differs"))
        controls.append(primary_button(t("Pay this bill"), lambda: page.navigate(choose_method_route(o.bill.id)),
                                       key="result-pay-bill"))
    else:  # not a bill of the family: the amount brakes may stand before the transfer details
        controls += _gate(i18n, vm, page, checklist)
    return controls


def _gate(i18n: I18n, vm: ScanViewModel, page, checklist) -> list[ft.Control]:
    """The transfer details, or the amount brake standing before them, or "you stopped"."""
    if vm.brake_stopped:
        return [_stopped(i18n, page)]
    if vm.pending_brake is Brake.FIRST_LARGE_PAYMENT:
        return [_pause(i18n, vm, checklist)]
    if vm.pending_brake is Brake.UNUSUAL_AMOUNT:
        return [_unusual(i18n, vm)]
    return [_transfer_details(i18n, vm)] if vm.may_pay_outside else []


def _brake_buttons(i18n: I18n, vm: ScanViewModel, go_on: str, key: str, disabled: bool) -> list[ft.Control]:
    t = i18n.t
    return [
        primary_button(go_on, vm.pass_amount_brake, key=key, disabled=disabled),
        ft.OutlinedButton(t("Stop, I will not transfer"), key="brake-abandon", icon=ft.Icons.BACK_HAND,
                          on_click=vm.stop_at_amount_brake,
                          style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                                               text_style=ft.TextStyle(size=theme.BODY + 1))),
    ]


def _pause(i18n: I18n, vm: ScanViewModel, checklist) -> ft.Control:
    """A first, large payment to this account: a few seconds with the checklist before going on."""
    t = i18n.t
    waiting = vm.pause_left > 0
    countdown = t("You can continue in {seconds} seconds.", seconds=vm.pause_left) if waiting else \
        t("If every line is true, you can continue.")
    rows: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.HOURGLASS_TOP, color=theme.WARNING_TEXT, size=32),
                ft.Text(t("Take a moment: this is your first large payment to this account"), size=theme.TITLE - 2,
                        weight=ft.FontWeight.BOLD, color=theme.WARNING_TEXT, expand=True, key="brake-pause-title")]),
        ft.Text(t("You have never paid this account through Đóng Phí, and the amount is large. Read the checklist "
                  "before you transfer:"), size=theme.BODY + 1),
    ]
    for n, item in enumerate(checklist):
        rows.append(ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=theme.PRIMARY, size=26),
                            ft.Text(item, size=theme.BODY + 2, expand=True)],
                           vertical_alignment=ft.CrossAxisAlignment.START, key=f"brake-checklist-{n}"))
    rows.append(ft.Text(countdown, size=theme.BODY + 2, weight=ft.FontWeight.W_600, key="brake-pause-countdown"))
    rows += _brake_buttons(i18n, vm, t("I have checked, continue"), "brake-pause-continue", waiting)
    return ft.Container(ft.Column(rows, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                        bgcolor=theme.WARNING_BG, padding=16, border_radius=12, key="brake-pause")


def _unusual(i18n: I18n, vm: ScanViewModel) -> ft.Control:
    """Far above what the family usually pays: one more explicit confirmation."""
    t = i18n.t
    amount = vm.outcome.scanned.vietqr.amount or 0
    rows: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, color=theme.WARNING_TEXT, size=32),
                ft.Text(t("This amount is much higher than what you usually pay"), size=theme.TITLE - 2,
                        weight=ft.FontWeight.BOLD, color=theme.WARNING_TEXT, expand=True, key="brake-unusual-title")]),
        ft.Text(t("Your family's bills are usually about {usual}. This QR code asks for {amount}. Scammers often ask "
                  "for an unusually large sum and push you to pay at once.", usual=i18n.money(vm.usual_amount),
                  amount=i18n.money(amount)), size=theme.BODY + 1, key="brake-unusual-help"),
        ft.Text(t("Pay only if you know exactly what this amount is for."), size=theme.BODY + 1,
                weight=ft.FontWeight.W_600),
    ]
    rows += _brake_buttons(i18n, vm, t("Yes, I am sure this amount is right"), "brake-unusual-confirm", False)
    return ft.Container(ft.Column(rows, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                        bgcolor=theme.WARNING_BG, padding=16, border_radius=12, key="brake-unusual")


def _stopped(i18n: I18n, page) -> ft.Control:
    t = i18n.t
    return card([
        ft.Text(t("You stopped. That is the safe choice."), size=theme.TITLE - 2, weight=ft.FontWeight.BOLD,
                color=theme.OK, key="brake-stopped"),
        ft.Text(t("If someone is pushing you to pay, call the school or hospital back yourself, on its official "
                  "number, and ask whether you really owe anything."), size=theme.BODY + 1),
        text_button(t("Before you transfer: the checklist"), lambda: page.navigate(CHECKLIST_ROUTE),
                    key="brake-stopped-checklist"),
        text_button(t("Back to the home screen"), lambda: page.navigate("/"), key="brake-stopped-home"),
    ], key="brake-stopped-card")


def _report_scam_button(i18n: I18n, report_scam) -> ft.Control:
    return ft.OutlinedButton(i18n.t("Report a scam (phone number, account)"), key="result-report-scam",
                             icon=ft.Icons.FLAG, on_click=report_scam,
                             style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                                                  text_style=ft.TextStyle(size=theme.BODY + 1)))


def _hotline_button(i18n: I18n, inst) -> ft.Control:
    label = i18n.t("Call {name}'s official hotline: {phone}", name=inst.short_name or inst.name, phone=inst.hotline)
    return ft.Button(label, key="result-call-hotline", icon=ft.Icons.CALL, url=f"tel:{inst.hotline}",
                     style=ft.ButtonStyle(bgcolor=theme.DANGER, color=theme.ON_PRIMARY,
                                          padding=ft.Padding.symmetric(horizontal=20, vertical=16)))


def _mismatch(i18n: I18n, vm: ScanViewModel, page, report_scam) -> list[ft.Control]:
    t = i18n.t
    check = vm.outcome.check
    inst = check.institution
    if inst is not None:
        headline = t("This is not the account of {name}", name=inst.name)
    else:
        headline = t("This account has been reported as a scam")
    reasons = {
        "flagged_account": t("This account was reported and confirmed as used by scammers."),
        "other_institution_account": t("This account belongs to {owner}, not to the institution the QR code "
                                       "claims.", owner=check.owner.name if check.owner else ""),
        "not_institution_account": t("The QR code claims to be for this institution, but the money would go to "
                                     "an account that is not one of its registered accounts."),
    }
    controls: list[ft.Control] = [
        ft.Container(ft.Column([
            ft.Icon(ft.Icons.DANGEROUS, color=theme.DANGER, size=56),
            ft.Text(headline, size=theme.TITLE, weight=ft.FontWeight.BOLD, color=theme.DANGER, key="result-stop"),
            ft.Text(t("Do not pay with this QR code."), size=theme.BODY + 2, weight=ft.FontWeight.W_600,
                    color=theme.DANGER),
            ft.Text(reasons.get(check.reason, ""), size=theme.BODY, key="result-stop-reason"),
            ft.Text(t("Someone may have stuck their own code over the real one, or sent it to you pretending to be "
                      "the institution. Schools and hospitals only collect into accounts in their own name."),
                    size=theme.BODY),
        ], spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            bgcolor=theme.DANGER_BG, padding=16, border_radius=12, key="result-mismatch"),
        card(_qr_facts(i18n, vm), key="result-facts"),
    ]
    if inst is not None:
        controls.append(_hotline_button(i18n, inst))
    controls.append(primary_button(t("Report this QR code"), lambda: page.navigate(REPORT_ROUTE), key="result-report"))
    controls.append(_report_scam_button(i18n, report_scam))
    # A code claiming an institution is the pasted-over sticker; a flagged account sent on its own, the fake
    # teacher's or the emergency call's.
    article = "qr-stickers" if check.claim is not None else article_for([Brake.PRESSURE_QUESTION],
                                                                         inst.kind if inst else None)
    controls.append(text_button(t("Read how this scam works"), lambda: page.navigate(article_route(article)),
                                key="result-article"))
    return controls


def _urgent_warning(i18n: I18n, vm: ScanViewModel) -> ft.Control:
    """Urgent or medical words in the note: hospitals do not hold emergency care for payment."""
    t = i18n.t
    inst = vm.outcome.check.institution
    controls: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.LOCAL_HOSPITAL, color=theme.DANGER, size=32),
                ft.Text(t("Hospitals do not hold emergency care for payment"), size=theme.BODY + 2,
                        weight=ft.FontWeight.BOLD, color=theme.DANGER, expand=True, key="brake-urgent")]),
        ft.Text(t("The transfer content talks about an emergency, an accident or urgent surgery. A hospital treats "
                  "an emergency first and settles the bill later, at its own cash desk or into its own official "
                  "account. A call or message saying a relative needs money right now is a common scam."),
                size=theme.BODY, key="brake-urgent-help"),
    ]
    if inst is not None and inst.kind == "hospital":
        controls.append(_hotline_button(i18n, inst))
    else:
        controls.append(ft.Text(t("Call the hospital on the number on its official website or papers, not the "
                                  "number that contacted you."), size=theme.BODY))
    return ft.Container(ft.Column(controls, spacing=10), bgcolor=theme.DANGER_BG, padding=16, border_radius=12,
                        key="brake-urgent-card")


def _pressure_question(i18n: I18n, vm: ScanViewModel) -> list[ft.Control]:
    t = i18n.t
    big = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=20),
                         text_style=ft.TextStyle(size=theme.BODY + 2, weight=ft.FontWeight.W_600))

    async def yes(e=None) -> None:
        await vm.answer_pressure(True)

    async def no(e=None) -> None:
        await vm.answer_pressure(False)

    return [
        ft.Container(ft.Column([
            ft.Icon(ft.Icons.PHONE_IN_TALK, color=theme.WARNING_TEXT, size=40),
            ft.Text(t("Is someone calling or messaging you right now, telling you to transfer money?"),
                    size=theme.TITLE, weight=ft.FontWeight.BOLD, key="brake-pressure-question"),
            ft.Text(t("We cannot confirm who receives this money. Answer honestly: this question protects you."),
                    size=theme.BODY),
        ], spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            bgcolor=theme.WARNING_BG, padding=16, border_radius=12, key="brake-pressure"),
        ft.Button(t("Yes, someone is pushing me"), key="brake-pressure-yes", icon=ft.Icons.PHONE_IN_TALK,
                  on_click=yes,
                  style=ft.ButtonStyle(bgcolor=theme.DANGER, color=theme.ON_PRIMARY, padding=big.padding,
                                       text_style=big.text_style)),
        ft.Button(t("No, I am paying on my own"), key="brake-pressure-no", icon=ft.Icons.PERSON,
                  on_click=no, style=big),
    ]


def _pressure_stop(i18n: I18n, vm: ScanViewModel, page, report_scam) -> list[ft.Control]:
    t = i18n.t
    inst = vm.outcome.check.institution
    controls: list[ft.Control] = [
        ft.Container(ft.Column([
            ft.Icon(ft.Icons.DANGEROUS, color=theme.DANGER, size=56),
            ft.Text(t("Stop. Do not transfer the money."), size=theme.TITLE, weight=ft.FontWeight.BOLD,
                    color=theme.DANGER, key="brake-stop"),
            ft.Text(t("Hang up the call, or stop replying to the messages, now."), size=theme.BODY + 2,
                    weight=ft.FontWeight.W_600, color=theme.DANGER, key="brake-stop-hang-up"),
            ft.Text(t("Schools and hospitals never push you to transfer money into an account during a call or a "
                      "chat. Scammers do: they pretend to be a teacher, a doctor or an official and make you hurry."),
                    size=theme.BODY),
            ft.Text(t("Call the institution back yourself, on its official number, and ask whether you really owe "
                      "anything."), size=theme.BODY, key="brake-stop-call-back"),
        ], spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
            bgcolor=theme.DANGER_BG, padding=16, border_radius=12, key="brake-stop-card"),
    ]
    if Brake.URGENT_WORDS in vm.due_brakes:
        controls.append(_urgent_warning(i18n, vm))
    elif inst is not None:
        controls.append(_hotline_button(i18n, inst))
    for i, (name, phone) in enumerate(vm.official_lines if inst is None else ()):
        controls.append(ft.Button(t("Call {name} back: {phone}", name=name, phone=phone), key=f"stop-call-{i}",
                                  icon=ft.Icons.CALL, url=f"tel:{phone.replace(' ', '')}",
                                  style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=16))))
    controls += [
        primary_button(t("Read how this scam works"), lambda: page.navigate(article_route(vm.brake_article)),
                       key="brake-article"),
        _report_scam_button(i18n, report_scam),
        text_button(t("Report this QR code"), lambda: page.navigate(REPORT_ROUTE), key="result-report"),
    ]
    return controls


def _unknown(i18n: I18n, vm: ScanViewModel, page, checklist, report_scam) -> list[ft.Control]:
    t = i18n.t
    due = vm.due_brakes
    if Brake.PRESSURE_QUESTION in due and vm.pressure is None:
        return ([_urgent_warning(i18n, vm)] if Brake.URGENT_WORDS in due else []) + _pressure_question(i18n, vm)
    if vm.pressure == "yes":
        return _pressure_stop(i18n, vm, page, report_scam)
    controls: list[ft.Control] = [_urgent_warning(i18n, vm)] if Brake.URGENT_WORDS in due else []
    controls += [
        ft.Container(ft.Column([
            ft.Row([ft.Icon(ft.Icons.WARNING_AMBER, color=theme.WARNING_TEXT, size=36),
                    ft.Text(t("We cannot confirm who receives this money"), size=theme.TITLE - 2,
                            weight=ft.FontWeight.BOLD, color=theme.WARNING_TEXT, expand=True, key="result-unknown")]),
            ft.Text(t("This account is not on the list of official accounts of the schools and hospitals we know. "
                      "Schools and hospitals collect only into accounts in their own name, never into a "
                      "person's account."), size=theme.BODY),
            ft.Text(t("In your bank app, before you confirm, read the beneficiary name the bank shows. If it is a "
                      "person's name, or not the name of the school or hospital, stop."), size=theme.BODY,
                    key="result-unknown-help"),
        ], spacing=10), bgcolor=theme.WARNING_BG, padding=16, border_radius=12, key="result-unknown-card"),
        card(_qr_facts(i18n, vm), key="result-facts"),
    ]
    if vm.confirmed:
        controls += _gate(i18n, vm, page, checklist)
    else:
        controls += [
            ft.Checkbox(key="result-acknowledge", value=vm.acknowledged, on_change=lambda e: vm.acknowledge(e.control.value is True),
                        label=t("I will check the beneficiary name in my bank app, and I understand the money "
                                "may not reach the institution."), label_style=ft.TextStyle(size=theme.BODY)),
            primary_button(t("Continue anyway"), vm.continue_anyway, key="result-continue",
                           disabled=not vm.acknowledged),
        ]
    controls.append(text_button(t("Report this QR code"), lambda: page.navigate(REPORT_ROUTE), key="result-report"))
    return controls


def _merchant(i18n: I18n, vm: ScanViewModel) -> list[ft.Control]:
    t = i18n.t
    m = vm.outcome.scanned.merchant
    what = t("This is a VNPay merchant QR code.") if m.scheme == "VNPay" else \
        t("This is a merchant payment QR code of another payment service.")
    controls: list[ft.Control] = [
        ft.Container(ft.Column([
            ft.Text(what, size=theme.BODY + 2, weight=ft.FontWeight.W_600, key="result-merchant"),
            ft.Text(t("It names a shop or merchant, not a bank account, so Đóng Phí cannot check who receives the "
                      "money. Schools and hospitals on Đóng Phí collect by VietQR into their own accounts."),
                    size=theme.BODY),
        ], spacing=8), bgcolor=theme.WARNING_BG, padding=16, border_radius=12),
    ]
    facts: list[ft.Control] = []
    if m.merchant_name:
        facts.append(labelled(t("Name in the QR code"), m.merchant_name, key="result-merchant-name"))
    if m.amount is not None:
        facts.append(amount_text(i18n, m.amount, key="result-amount"))
    if facts:
        controls.append(card(facts))
    if vm.confirmed:
        controls.append(card([ft.Text(t("Open your bank app and scan the same QR code. Check the name the bank "
                                        "shows before you confirm."), size=theme.BODY, key="result-transfer-help")]))
    else:
        controls.append(primary_button(t("I understand, pay with my bank app"), vm.confirm, key="result-continue"))
    return controls


# -- report --------------------------------------------------------------------------------------

@ft.component
def ReportScreen() -> ft.View:
    i18n = use_i18n()
    vm = use_scan()
    page = ft.context.page
    t = i18n.t
    seen_at, set_seen_at = ft.use_state("")
    note, set_note = ft.use_state("")
    labels = {"institution_premises": t("Stuck up at the school or hospital"),
              "chat": t("Sent to me in Zalo, Messenger or another chat"), "sms": t("In a text message (SMS)"),
              "website": t("On a website or social network"), "other": t("Somewhere else")}

    async def send() -> None:
        await vm.send_report(seen_at, note)

    body: list[ft.Control]
    if vm.outcome is None:
        body = [ft.Text(t("Nothing has been scanned yet."), size=theme.BODY)]
    elif vm.reported:
        body = [ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK, size=48),
                ft.Text(t("Thank you. Your report was sent to the institution and to Đóng Phí. Your name and phone "
                          "number are not shown to anyone you reported."), size=theme.BODY + 1, key="report-sent"),
                primary_button(t("Back to the home screen"), lambda: page.navigate("/"), key="report-home")]
    else:
        inst = vm.outcome.check.institution if vm.outcome.check else None
        body = [
            ft.Text(t("We send the QR code{picture} to {to}. Your name and phone number are never shown to the "
                      "people you report.", picture=t(" and the picture") if vm.image else "",
                      to=inst.name if inst else "Đóng Phí"), size=theme.BODY),
            section_title(t("Where did you see this QR code?")),
            ft.RadioGroup(key="report-seen-at", value=seen_at, on_change=lambda e: set_seen_at(typed(e)),
                          content=ft.Column([ft.Radio(value=v, label=labels[v], key=f"report-seen-{v}")
                                             for v in SEEN_AT])),
            ft.TextField(key="report-note", label=t("Anything else we should know? (optional)"), value=note,
                         multiline=True, max_length=500, on_change=lambda e: set_note(typed(e))),
            primary_button(t("Send the report"), send, key="report-send", busy=vm.sending),
        ]
        if vm.report_failure is not None:
            body.append(error_banner(failure_text(i18n, vm.report_failure), key="report-error"))
    return screen(ft.use_view_path() or REPORT_ROUTE, t("Report this QR code"), body)
