"""A student's own screens (issue 8): name, school and class; each term's fees paid, due and overdue; "ask my
parents to pay" for a fee still open; and settings (language, large text, sign out). Nothing to pay with,
nothing of the family: the student's route set (STUDENT_ROUTES in app/ui/app.py) has no other screen."""

from __future__ import annotations

import flet as ft

from app.data.api import ApiFailure
from app.ui.core import theme
from app.ui.core.components import (amount_text, app_bar, card, error_banner, icon_button, loading, primary_button,
                                    section_title, status_chip)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.services import use_i18n, use_services
from app.ui.guided.view import GuidedSettings
from app.ui.student.view_model import StudentViewModel

STUDENT_SETTINGS_ROUTE = "/settings"


@ft.component
def StudentHomeScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.student_vm)
    use_load_when_shown(vm.load, vm.fees is not None)
    t = i18n.t
    page = ft.context.page

    body: list[ft.Control] = []
    if vm.fees is None:
        if vm.error is not None:
            body.append(error_banner(student_failure_text(i18n, vm.error), key="student-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading your fees…"), key="student-loading"))
    else:
        if vm.error is not None:
            body.append(error_banner(student_failure_text(i18n, vm.error), key="student-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        body.extend(_student_fees(i18n, vm, vm.fees))

    return ft.View(
        route="/",
        appbar=app_bar(t("My school fees"), actions=[
            icon_button(ft.Icons.REFRESH, t("Reload"), vm.load, key="student-reload", disabled=vm.loading,
                        color=theme.ON_PRIMARY),
            icon_button(ft.Icons.SETTINGS, t("Settings"), lambda: page.navigate(STUDENT_SETTINGS_ROUTE),
                        key="open-settings", color=theme.ON_PRIMARY),
        ]),
        controls=[ft.Column(body, spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def _student_fees(i18n: I18n, vm: StudentViewModel, fees) -> list[ft.Control]:
    t = i18n.t
    person = fees.person
    who = [ft.Text(person.full_name, size=theme.TITLE, weight=ft.FontWeight.BOLD, key="student-name")]
    if person.institution_name:
        who.append(ft.Text(person.institution_name, size=theme.BODY, key="student-school"))
    if person.group_label:
        who.append(ft.Text(person.group_label, size=theme.BODY, color=theme.MUTED, key="student-class"))
    out: list[ft.Control] = [ft.Column(who, spacing=4, key="student-who")]
    out.append(card([
        ft.Text(t("Total to pay"), size=theme.BODY, color=theme.MUTED),
        amount_text(i18n, fees.total_due, size=28, key="student-total-due"),
        ft.Text(t("As of {date}", date=i18n.date(fees.as_of)), size=theme.BODY - 2, color=theme.MUTED,
                key="student-as-of"),
    ], key="student-total-card"))
    if not fees.terms:
        out.append(ft.Text(t("No fees yet."), size=theme.BODY, key="student-empty"))
    for index, term in enumerate(fees.terms):
        out.append(_term(i18n, vm, index, term))
    return out


def _figure(label: str, amount: str, key: str, color: str | None = None) -> ft.Control:
    return ft.Row([ft.Text(label, size=theme.BODY, color=color, expand=True),
                   ft.Text(amount, size=theme.BODY + 1, weight=ft.FontWeight.BOLD, color=color, key=key)],
                  vertical_alignment=ft.CrossAxisAlignment.START)


def _term(i18n: I18n, vm: StudentViewModel, index: int, term) -> ft.Control:
    t = i18n.t
    key = f"term-{index}"
    rows: list[ft.Control] = [
        section_title(term.period),
        _figure(t("Paid"), i18n.money(term.paid), f"{key}-paid", theme.OK),
        _figure(t("Still to pay"), i18n.money(term.due), f"{key}-due"),
    ]
    if term.overdue:
        rows.append(_figure(t("Overdue"), i18n.money(term.overdue), f"{key}-overdue", theme.DANGER))
    rows.append(ft.Divider())
    for fee in term.fees:
        rows.append(_fee(i18n, vm, fee))
    return card(rows, key=key)


def _fee(i18n: I18n, vm: StudentViewModel, fee) -> ft.Control:
    t = i18n.t
    key = f"fee-{fee.invoice_code}"
    overdue = fee.status == "overdue"
    if fee.unpaid:
        when = ft.Text(t("Overdue since {date}", date=i18n.date(fee.due_date)) if overdue
                       else t("Due {date}", date=i18n.date(fee.due_date)),
                       size=theme.BODY - 1, color=theme.DANGER if overdue else theme.MUTED,
                       weight=ft.FontWeight.W_600 if overdue else None)
    else:
        when = ft.Text(t("Paid in full: {amount}", amount=i18n.money(fee.total)), size=theme.BODY - 1,
                       color=theme.MUTED)
    rows: list[ft.Control] = [
        ft.Row([ft.Text(fee.title, size=theme.BODY + 1, weight=ft.FontWeight.W_600, expand=True),
                status_chip(i18n, fee.status, key=f"{key}-status")],
               vertical_alignment=ft.CrossAxisAlignment.START),
        ft.Text(fee.invoice_code, size=theme.BODY - 2, color=theme.MUTED),
        when,
    ]
    if fee.unpaid:
        rows.append(amount_text(i18n, fee.amount_due, size=theme.BODY + 2, key=f"{key}-due"))
        if fee.amount_paid:
            rows.append(ft.Text(t("Already paid {amount}", amount=i18n.money(fee.amount_paid)),
                                size=theme.BODY - 1, color=theme.MUTED))
        rows.extend(_please_pay(i18n, vm, fee))
    return ft.Container(ft.Column(rows, spacing=6), key=key, padding=ft.Padding.symmetric(vertical=6))


def _please_pay(i18n: I18n, vm: StudentViewModel, fee) -> list[ft.Control]:
    t = i18n.t
    key = f"please-pay-{fee.invoice_code}"
    if fee.id in vm.sent:
        count = vm.sent[fee.id]
        text = (t("Sent to your parents ({count})", count=count) if count
                else t("Sent to your parents earlier today"))
        return [ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK),
                        ft.Text(text, size=theme.BODY, color=theme.OK, expand=True, key=f"{key}-sent")])]

    async def ask():
        await vm.please_pay(fee.id)

    out: list[ft.Control] = [primary_button(t("Ask my parents to pay"), ask, key=key, busy=fee.id in vm.sending)]
    failure = vm.failed.get(fee.id)
    if failure is not None:
        out.append(error_banner(student_failure_text(i18n, failure), key=f"{key}-error"))
    return out


def student_failure_text(i18n: I18n, failure: ApiFailure) -> str:
    """What a student reads; the family's wording ("in your family") does not fit a student's own login."""
    t = i18n.t
    if failure.code == "not_a_student":
        return t("This login is no longer a student account. Ask your parents to set it up again.")
    if failure.code == "bill_not_found":
        return t("This fee was not found. Tap Reload to see your fees as they are now.")
    return failure_text(i18n, failure)


@ft.component
def StudentSettingsScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.settings_vm)
    t = i18n.t
    user = services.session.user

    from app.ui.settings.view import account_section, language_section  # the family's settings share these
    controls: list[ft.Control] = [*language_section(i18n, vm), ft.Divider(), GuidedSettings(), ft.Divider(),
                                  *account_section(i18n, vm, user, services.session.running)]
    return ft.View(
        route=ft.use_view_path() or STUDENT_SETTINGS_ROUTE,
        appbar=app_bar(t("Settings")),
        controls=[ft.Column(controls, spacing=12)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )
