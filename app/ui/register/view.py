"""Check a phone number or an account before paying: scam (red stop), official (verified), or not listed."""

from __future__ import annotations

import flet as ft

from app.ui.core import theme
from app.ui.core.components import (card, error_banner, labelled, notice_banner, primary_button, screen, text_button,
                                    typed)
from app.ui.core.failures import failure_text
from app.ui.core.i18n import I18n
from app.ui.core.services import use_i18n, use_services
from app.ui.guidance.view_model import CHECKLIST_ROUTE, article_route
from app.ui.register.view_model import CHECK_REPORT_ROUTE, CHECK_ROUTE, CheckResult, CheckViewModel
from app.ui.report.bank_picker import bank_name, bank_picker
from app.ui.report.view import report_problem_text
from app.ui.report.view_model import new_report
from domain.phone import display_phone


def check_problem_text(i18n: I18n, code: str) -> str:
    t = i18n.t
    texts = {
        "check_phone_missing": t("Enter the phone number to check."),
        "check_phone_invalid": t("This is not a phone number we know how to read. Enter it like 0912 345 678, "
                                 "or 024 3856 7890 for a landline."),
        "check_account_missing": t("Choose the bank, then enter the account number."),
    }
    return texts.get(code) or report_problem_text(i18n, code)


def _shown_number(result: CheckResult) -> str:
    if result.kind in ("flagged_account", "verified_account") or result.bank_bin:
        return f"{bank_name(result.bank_bin)} · {result.subject}"
    return display_phone(result.subject) if result.subject.startswith("+84") else result.subject


@ft.component
def CheckScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(lambda: CheckViewModel(registry=services.registry))
    page = ft.context.page
    t = i18n.t
    route = ft.use_view_path() or CHECK_ROUTE

    def report() -> None:
        r = vm.result
        if r is None:
            new_report(services)
        elif r.bank_bin:
            new_report(services, bank_bin=r.bank_bin, account=r.subject,
                       institution_id=r.institution.id if r.institution and r.stop else None)
        else:
            new_report(services, phone=display_phone(r.subject) if r.subject.startswith("+84") else "",
                       seen_at="phone_call", institution_id=r.institution.id if r.institution and r.stop else None)
        page.navigate(CHECK_REPORT_ROUTE)

    if vm.result is None:
        return screen(route, t("Check a phone number or account"), _form(i18n, vm))
    result = vm.result
    body: list[ft.Control] = []
    if result.stale and result.as_of is not None:
        body.append(notice_banner(t("No connection: checked against the warning list saved on this phone, as of "
                                    "{time}.", time=i18n.moment(result.as_of)), key="check-offline"))
    if result.stop:
        body += _stop(i18n, result, page, report)
        title = t("Stop: do not pay")
    elif result.kind in ("verified_account", "official_phone"):
        body += _verified(i18n, result, page)
        title = t("Official number") if result.kind == "official_phone" else t("Official account")
    else:
        body += _not_listed(i18n, result, page, report)
        title = t("Not on the list")
    if result.as_of is not None and not result.stale:
        body.append(ft.Text(t("Checked against the list as of {time}.", time=i18n.moment(result.as_of)),
                            size=theme.BODY - 1, color=theme.MUTED, key="check-as-of"))
    body.append(text_button(t("Check another number"), vm.again, key="check-again"))
    return screen(route, title, body)


def _form(i18n: I18n, vm: CheckViewModel) -> list[ft.Control]:
    t = i18n.t
    problem = check_problem_text(i18n, vm.problem) if vm.problem else None
    body: list[ft.Control] = [
        ft.Text(t("Before you pay or call back, check the number against the list of official school and hospital "
                  "accounts and the numbers confirmed as scammers'. It works without a connection, with the list "
                  "saved on this phone."), size=theme.BODY + 1, key="check-intro"),
        ft.RadioGroup(key="check-mode", value=vm.mode, on_change=lambda e: vm.set_mode(typed(e)),
                      content=ft.Column([
                          ft.Radio(value="phone", label=t("A phone number"), key="check-mode-phone",
                                   label_style=ft.TextStyle(size=theme.BODY + 1)),
                          ft.Radio(value="account", label=t("A bank account"), key="check-mode-account",
                                   label_style=ft.TextStyle(size=theme.BODY + 1)),
                      ])),
    ]
    if vm.mode == "phone":
        body.append(ft.TextField(key="check-phone", label=t("Phone number"), value=vm.phone,
                                 keyboard_type=ft.KeyboardType.PHONE, text_size=theme.BODY + 2,
                                 on_change=lambda e: vm.type_phone(typed(e)), on_submit=vm.check, error=problem))
    else:
        bank_error = problem if vm.problem in ("report_account_incomplete_bank", "report_bank_unknown",
                                               "check_account_missing") else None
        body += bank_picker(i18n, prefix="check", query=vm.bank_query, chosen=vm.bank_bin, on_search=vm.search_bank,
                            on_choose=vm.choose_bank, on_clear=vm.clear_bank, error=bank_error)
        body.append(ft.TextField(key="check-account", label=t("Account number"), value=vm.account,
                                 keyboard_type=ft.KeyboardType.NUMBER, text_size=theme.BODY + 2,
                                 on_change=lambda e: vm.type_account(typed(e)), on_submit=vm.check,
                                 error=problem if problem and not bank_error else None))
    if vm.failure is not None:
        body.append(error_banner(t("The warning list is not on this phone yet, so nothing can be checked. Connect "
                                   "to the internet once and try again.") + " " + failure_text(i18n, vm.failure),
                                 key="check-error"))
    body.append(primary_button(t("Check"), vm.check, key="check-submit", busy=vm.checking))
    return body


def _hotline(i18n: I18n, inst, key: str) -> ft.Control:
    label = i18n.t("Call {name}'s official hotline: {phone}", name=inst.short_name or inst.name, phone=inst.hotline)
    return ft.Button(label, key=key, icon=ft.Icons.CALL, url=f"tel:{inst.hotline}",
                     style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=16)))


def _stop(i18n: I18n, result: CheckResult, page, report) -> list[ft.Control]:
    t = i18n.t
    phone = result.kind == "flagged_phone"
    headline = t("Stop. This number belongs to scammers.") if phone else \
        t("Stop. This account was confirmed as used by scammers.")
    first = t("Hang up, or stop replying, now. Do not transfer any money.") if phone else \
        t("Do not transfer any money to this account.")
    lines: list[ft.Control] = [
        ft.Icon(ft.Icons.DANGEROUS, color=theme.DANGER, size=56),
        ft.Text(headline, size=theme.TITLE, weight=ft.FontWeight.BOLD, color=theme.DANGER, key="check-stop"),
        ft.Text(_shown_number(result), size=theme.BODY + 2, weight=ft.FontWeight.W_600, key="check-subject"),
        ft.Text(first, size=theme.BODY + 2, weight=ft.FontWeight.W_600, color=theme.DANGER, key="check-stop-first"),
        ft.Text(t("Schools and hospitals never ask you to pay into a person's account during a call or a chat. "
                  "If you are unsure whether you owe anything, call the institution back yourself, on its official "
                  "number."), size=theme.BODY + 1),
    ]
    if result.institution is not None:
        lines.append(ft.Text(t("It was used to pretend to be {name}.", name=result.institution.name),
                             size=theme.BODY + 1, key="check-impersonated"))
    controls: list[ft.Control] = [
        ft.Container(ft.Column(lines, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
                     bgcolor=theme.DANGER_BG, padding=16, border_radius=12, key="check-stop-card"),
    ]
    if result.institution is not None and result.institution.hotline:
        controls.append(_hotline(i18n, result.institution, "check-call-hotline"))
    controls += [
        primary_button(t("Read how this scam works"), lambda: page.navigate(article_route(result.article)),
                       key="check-article"),
        ft.OutlinedButton(t("Report it: they called or wrote to me"), key="check-report", icon=ft.Icons.FLAG,
                          on_click=report,
                          style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14))),
        text_button(t("I already paid: what to do now"), lambda: page.navigate(article_route("if-scammed")),
                    key="check-if-scammed"),
    ]
    return controls


def _verified(i18n: I18n, result: CheckResult, page) -> list[ft.Control]:
    t = i18n.t
    inst = result.institution
    phone = result.kind == "official_phone"
    badge = t("Verified: this is an official number of") if phone else \
        t("Verified: this is an official collection account of")
    rows: list[ft.Control] = [
        ft.Text(inst.name, size=theme.TITLE, weight=ft.FontWeight.BOLD, key="check-institution"),
        ft.Text(f"{t('School') if inst.kind == 'school' else t('Hospital')} · {inst.province}", size=theme.BODY,
                color=theme.MUTED),
        labelled(t("Phone number") if phone else t("Account"), _shown_number(result), key="check-subject"),
    ]
    controls: list[ft.Control] = [
        ft.Container(ft.Row([
            ft.Icon(ft.Icons.VERIFIED, color=theme.OK, size=36),
            ft.Text(badge, size=theme.BODY + 1, weight=ft.FontWeight.W_600, color=theme.OK, expand=True),
        ]), bgcolor=theme.OK_BG, padding=12, border_radius=12, key="check-verified"),
        card(rows, key="check-facts"),
    ]
    if phone:
        controls.append(ft.Text(t("A caller can fake the number shown on your phone. If the call asks for money, "
                                  "hang up and call this number back yourself."), size=theme.BODY + 1,
                                key="check-verified-help"))
    else:
        controls.append(ft.Text(t("In your bank app, check that the beneficiary name is the one above before you "
                                  "confirm."), size=theme.BODY + 1, key="check-verified-help"))
    if inst.hotline:
        controls.append(_hotline(i18n, inst, "check-call-hotline"))
    controls.append(text_button(t("Before you transfer: the checklist"), lambda: page.navigate(CHECKLIST_ROUTE),
                                key="check-checklist"))
    return controls


def _not_listed(i18n: I18n, result: CheckResult, page, report) -> list[ft.Control]:
    t = i18n.t
    return [
        ft.Container(ft.Column([
            ft.Row([ft.Icon(ft.Icons.HELP_OUTLINE, color=theme.WARNING_TEXT, size=36),
                    ft.Text(t("Not on the list"), size=theme.TITLE - 2, weight=ft.FontWeight.BOLD,
                            color=theme.WARNING_TEXT, expand=True, key="check-not-listed")]),
            ft.Text(_shown_number(result), size=theme.BODY + 2, weight=ft.FontWeight.W_600, key="check-subject"),
            ft.Text(t("This number is neither an official number of a school or hospital we know, nor on the list of "
                      "confirmed scams. That does not prove it is safe: new scam numbers appear every day."),
                    size=theme.BODY + 1, key="check-not-listed-help"),
        ], spacing=10), bgcolor=theme.WARNING_BG, padding=16, border_radius=12, key="check-not-listed-card"),
        primary_button(t("Before you transfer: the checklist"), lambda: page.navigate(CHECKLIST_ROUTE),
                       key="check-checklist"),
        text_button(t("Report it: they called or wrote to me"), report, key="check-report"),
    ]
