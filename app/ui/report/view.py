"""Report a scam (phone, account, message, screenshot, where it happened), the thank-you, and "My reports"."""

from __future__ import annotations

import flet as ft

from app.data.api import ApiFailure, NetworkFailure
from app.models import FiledReport
from app.ui.core import theme
from app.ui.core.components import (error_banner, loading, notice_banner, primary_button, screen, section_title,
                                    text_button, typed)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.services import use_i18n, use_services
from app.ui.guidance.view_model import article_route
from app.ui.report.bank_picker import bank_name, bank_picker
from app.ui.report.view_model import (MESSAGE_MAX, MY_REPORTS_ROUTE, NOTE_MAX, REPORT_ROUTE, SEEN_AT,
                                      MyReportsViewModel, ScamReportViewModel, fresh_report, report_draft)
from domain.phone import display_phone

IF_SCAMMED = "if-scammed"  # the guidance article "what to do if you have been scammed"


def report_problem_text(i18n: I18n, code: str | None) -> str:
    """The report's own checks and the server's refusals, in plain words; anything else as everywhere."""
    if not code:
        return ""
    t = i18n.t
    texts = {
        "report_empty": t("Enter at least one thing: the phone number, the account number, the message, or a "
                          "screenshot."),
        "report_phone_invalid": t("This is not a Vietnamese mobile number. Check the digits, for example "
                                  "0912 345 678."),
        "report_phone_own": t("This is your own phone number. Enter the number of the person who called or "
                              "texted you."),
        "report_bank_unknown": t("This bank is not on the NAPAS list. Choose the bank from the list."),
        "report_account_incomplete_bank": t("Choose the bank of this account."),
        "report_account_incomplete_number": t("Enter the account number at this bank."),
        "report_account_incomplete": t("Enter both the bank and the account number."),
        "report_account_invalid": t("An account number has 6 to 19 digits. Check it again."),
        "report_message_too_long": t("The message is too long. Keep the most important part (at most 2,000 "
                                     "characters)."),
        "report_image_type": t("This file is not a picture we can send. Choose a screenshot (PNG or JPG)."),
        "report_image_invalid": t("This file is not a picture we can send. Choose a screenshot (PNG or JPG)."),
        "report_image_too_large": t("This picture is larger than 3 MB. Choose a smaller screenshot."),
        "report_where_missing": t("Choose where it happened."),
        "report_seen_at_missing": t("Choose where it happened."),
        "idempotency_key_reused": t("Your earlier report arrived before you changed it. Tap \u201cSend the "
                                    "report\u201d again to send the changed one as a new report."),
    }
    return texts.get(code) or failure_text(i18n, ApiFailure(code))


def _failure_text(i18n: I18n, failure: ApiFailure) -> str:
    if isinstance(failure, NetworkFailure):
        return i18n.t("No answer from Đóng Phí. Your report is kept here: tap \u201cSend the report\u201d again "
                      "when you are connected. It will not be filed twice.")
    if failure.code.startswith("report_") or failure.code == "idempotency_key_reused":
        return report_problem_text(i18n, failure.code)
    return failure_text(i18n, failure)


def where_labels(i18n: I18n) -> dict[str, str]:
    t = i18n.t
    return {"phone_call": t("In a phone call"), "sms": t("In a text message (SMS)"),
            "chat": t("In Zalo, Messenger or another chat"), "website": t("On a website or social network"),
            "institution_premises": t("At the school or hospital"), "other": t("Somewhere else")}


def _screenshot_picker(on_file) -> ft.FilePicker:
    """One file picker per screen (the approach of the scan screen); the newest handler is used."""
    handler = ft.use_ref(None)
    handler.current = on_file

    def on_result(e) -> None:
        files = getattr(e, "files", None) or []
        if files:
            handler.current(files[0].bytes, files[0].name or "")

    picker = ft.use_ref(lambda: ft.FilePicker(on_result=on_result))
    return picker.current


@ft.component
def ScamReportScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, set_vm = ft.use_state(lambda: report_draft(services))
    page = ft.context.page
    t = i18n.t
    picker = _screenshot_picker(lambda data, name: vm.attach(data, name))
    route = ft.use_view_path() or REPORT_ROUTE

    if vm.report_id is not None:
        return screen(route, t("Report a scam"), _sent(i18n, page, lambda: set_vm(fresh_report(services))))
    return screen(route, t("Report a scam"), _form(i18n, vm, picker, page))


def _field_error(i18n: I18n, vm: ScamReportViewModel, name: str) -> str | None:
    code = vm.problems.get(name)
    return report_problem_text(i18n, code) if code else None


def _form(i18n: I18n, vm: ScamReportViewModel, picker: ft.FilePicker, page) -> list[ft.Control]:
    t = i18n.t

    async def send(e=None) -> None:
        await vm.send()

    body: list[ft.Control] = [
        ft.Text(t("Tell Đóng Phí about a scam: the phone number, the account, the message. You do not need to pay "
                  "anything to report. Fill in what you know; every part is optional."), size=theme.BODY + 1,
                key="report-intro"),
        ft.Container(ft.Row([
            ft.Icon(ft.Icons.LOCK_OUTLINE, color=theme.PRIMARY),
            ft.Text(t("The person you report never learns who reported them."), size=theme.BODY, expand=True,
                    weight=ft.FontWeight.W_600, key="report-private"),
        ]), bgcolor=theme.PRIMARY_BG, padding=12, border_radius=8),
        section_title(t("The phone number that called or texted you")),
        ft.TextField(key="report-phone", label=t("Phone number (if you have it)"), value=vm.phone,
                     keyboard_type=ft.KeyboardType.PHONE, text_size=theme.BODY + 1,
                     on_change=lambda e: vm.type_phone(typed(e)), error=_field_error(i18n, vm, "phone")),
        section_title(t("The account they asked you to pay into")),
        *bank_picker(i18n, prefix="report", query=vm.bank_query, chosen=vm.bank_bin, on_search=vm.search_bank,
                     on_choose=vm.choose_bank, on_clear=vm.clear_bank, error=_field_error(i18n, vm, "bank")),
        ft.TextField(key="report-account", label=t("Account number (if you have it)"), value=vm.account,
                     keyboard_type=ft.KeyboardType.NUMBER, text_size=theme.BODY + 1,
                     on_change=lambda e: vm.type_account(typed(e)), error=_field_error(i18n, vm, "account")),
        section_title(t("What they wrote or said")),
        ft.TextField(key="report-message", label=t("The message, or what they said (if you want)"), value=vm.message,
                     multiline=True, min_lines=3, max_lines=8, max_length=MESSAGE_MAX, text_size=theme.BODY + 1,
                     on_change=lambda e: vm.type_message(typed(e)), error=_field_error(i18n, vm, "message")),
        section_title(t("A screenshot (optional)")),
    ]
    if vm.image is not None:
        body.append(ft.Row([
            ft.Icon(ft.Icons.IMAGE, color=theme.OK),
            ft.Text(t("Picture attached: {name} ({size} KB)", name=vm.image_name or "", size=max(len(vm.image) // 1024, 1)),
                    size=theme.BODY, expand=True, key="report-image-chosen"),
            text_button(t("Remove the picture"), vm.remove_image, key="report-remove-image"),
        ], vertical_alignment=ft.CrossAxisAlignment.CENTER))
    else:
        body.append(ft.Button(
            t("Choose a screenshot"), key="report-pick-image", icon=ft.Icons.ADD_PHOTO_ALTERNATE,
            action=ft.PickFiles(picker, file_type=ft.FilePickerFileType.IMAGE, with_data=True),
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=16),
                                 text_style=ft.TextStyle(size=theme.BODY + 1, weight=ft.FontWeight.W_600))))
    if (image_error := _field_error(i18n, vm, "image")) is not None:
        body.append(ft.Text(image_error, color=theme.DANGER, size=theme.BODY, key="report-image-error"))
    labels = where_labels(i18n)
    body += [
        section_title(t("Where did it happen?")),
        ft.RadioGroup(key="report-where", value=vm.seen_at, on_change=lambda e: vm.choose_where(typed(e)),
                      content=ft.Column([ft.Radio(value=v, label=labels[v], key=f"report-where-{v}",
                                                  label_style=ft.TextStyle(size=theme.BODY + 1))
                                         for v in SEEN_AT])),
        ft.TextField(key="report-note", label=t("Anything else we should know? (optional)"), value=vm.note,
                     multiline=True, max_length=NOTE_MAX, on_change=lambda e: vm.type_note(typed(e))),
    ]
    if vm.problem:
        body.append(error_banner(report_problem_text(i18n, vm.problem), key="report-problem"))
    if vm.failure is not None:
        body.append(error_banner(_failure_text(i18n, vm.failure), key="report-error"))
    if vm.problems and not vm.problem:
        body.append(error_banner(t("Check the fields marked in red."), key="report-problem"))
    body += [
        primary_button(t("Send the report"), send, key="report-send", busy=vm.sending),
        text_button(t("My reports"), lambda: page.navigate(MY_REPORTS_ROUTE), key="report-open-mine"),
    ]
    return body


def _sent(i18n: I18n, page, another) -> list[ft.Control]:
    t = i18n.t
    return [
        ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK, size=56),
        ft.Text(t("Thank you. Your report has reached Đóng Phí."), size=theme.TITLE, weight=ft.FontWeight.BOLD,
                key="report-thanks"),
        ft.Text(t("What happens next: our team and the school or hospital concerned look at it. When it is "
                  "confirmed, the phone number or account goes on the warning list, and everyone using Đóng Phí "
                  "is stopped before paying it. You can follow it in \u201cMy reports\u201d."), size=theme.BODY + 1,
                key="report-next"),
        ft.Text(t("The person you report never learns who reported them."), size=theme.BODY + 1,
                weight=ft.FontWeight.W_600, key="report-anonymous"),
        primary_button(t("If you have already paid a scammer: what to do now"),
                       lambda: page.navigate(article_route(IF_SCAMMED)), key="report-if-scammed"),
        ft.OutlinedButton(t("See my reports"), key="report-mine", icon=ft.Icons.LIST_ALT,
                          on_click=lambda: page.navigate(MY_REPORTS_ROUTE),
                          style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14))),
        text_button(t("Report another scam"), another, key="report-another"),
        text_button(t("Back to the home screen"), lambda: page.navigate("/"), key="report-home"),
    ]


# -- my reports ----------------------------------------------------------------------------------

def status_text(i18n: I18n, status: str) -> tuple[str, str, str]:
    t = i18n.t
    return {
        "received": (t("Received, being checked"), theme.WARNING_TEXT, theme.WARNING_BG),
        "confirmed": (t("Confirmed as a scam: on the warning list"), theme.OK, theme.OK_BG),
        "rejected": (t("Not confirmed"), theme.MUTED, theme.NEUTRAL_BG),
    }.get(status, (status, theme.MUTED, theme.NEUTRAL_BG))


def _what(i18n: I18n, report: FiledReport) -> str:
    parts = []
    if report.phone:
        parts.append(display_phone(report.phone) if report.phone.startswith("+84") else report.phone)
    if report.bank_bin or report.account:
        parts.append(" ".join(x for x in (bank_name(report.bank_bin), report.account or "") if x))
    return " · ".join(parts) or i18n.t("A message or a screenshot")


def _report_tile(i18n: I18n, report: FiledReport) -> ft.Control:
    text, fg, bg = status_text(i18n, report.status)
    rows: list[ft.Control] = [
        ft.Text(_what(i18n, report), size=theme.BODY + 1, weight=ft.FontWeight.W_600, key=f"my-report-what-{report.id}"),
    ]
    if report.created_at is not None:
        rows.append(ft.Text(i18n.t("Sent on {date}", date=i18n.moment(report.created_at)), size=theme.BODY - 1,
                            color=theme.MUTED))
    rows.append(ft.Container(ft.Text(text, color=fg, size=theme.BODY - 1, weight=ft.FontWeight.W_600,
                                     key=f"my-report-status-{report.id}"),
                             bgcolor=bg, padding=ft.Padding.symmetric(horizontal=8, vertical=4), border_radius=12))
    return ft.Card(ft.Container(ft.Column(rows, spacing=6), padding=14), key=f"my-report-{report.id}")


@ft.component
def MyReportsScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(lambda: MyReportsViewModel(reports=services.reports))
    use_load_when_shown(vm.load, vm.items is not None)
    page = ft.context.page
    t = i18n.t
    body: list[ft.Control] = []
    if vm.error is not None:
        banner = notice_banner if vm.items is not None else error_banner
        body.append(banner(failure_text(i18n, vm.error), key="my-reports-error", on_retry=vm.load,
                           retry_text=t("Try again")))
    if vm.items is None:
        if vm.error is None:
            body.append(loading(t("Loading your reports…"), key="my-reports-loading"))
    elif not vm.items:
        body.append(ft.Text(t("You have not reported anything yet."), size=theme.BODY + 1, key="my-reports-empty"))
    else:
        body.append(ft.Text(t("The people you reported never learn who reported them."), size=theme.BODY,
                            color=theme.MUTED))
        body += [_report_tile(i18n, r) for r in vm.items]
    body.append(primary_button(t("Report a scam"), lambda: page.navigate(REPORT_ROUTE), key="my-reports-new"))
    return screen(ft.use_view_path() or MY_REPORTS_ROUTE, t("My reports"), body)
