"""Home: the family's outstanding bills grouped by person, with the total to pay."""

from __future__ import annotations

import flet as ft

from app.models import BillSummary, Payment, PersonBills
from app.ui.core import theme
from app.ui.core.components import (amount_text, app_bar, error_banner, icon_button, loading, notice_banner,
                                    primary_button, section_title, status_chip, text_button)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.routes import (ADD_PERSON_ROUTE, CHECK_ROUTE, NOTIFICATIONS_ROUTE, bill_route, family_route,
                                payment_route)
from app.ui.core.services import use_i18n, use_services
from app.ui.family.view import ReceivedInvitations
from app.ui.guidance.view_model import GUIDANCE_ROUTE
from app.ui.notifications.view import bell_button


@ft.component
def HomeScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.home_vm)
    center, _ = ft.use_state(lambda: services.notifications)
    use_load_when_shown(vm.load, vm.outstanding is not None)
    t = i18n.t
    page = ft.context.page

    body: list[ft.Control] = []
    user = services.session.user
    if user and user.full_name:
        body.append(ft.Text(t("Hello, {name}", name=user.full_name), size=theme.BODY + 2, key="greeting"))
    body.append(ReceivedInvitations(on_accepted=vm.load))  # "… invites you into the family of …"
    for payment in vm.active:  # a payment left waiting (the app was closed, or Back was pressed)
        body.append(_active_payment(i18n, payment, lambda p: page.navigate(payment_route(p.bill_id, p.id))))

    if vm.outstanding is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="home-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading your bills…"), key="home-loading"))
    else:
        if vm.stale and vm.fetched_at is not None:
            body.append(notice_banner(
                t("No connection. Showing bills as of {time}.", time=i18n.time(vm.fetched_at)) + " "
                + failure_text(i18n, vm.error), key="stale-notice", on_retry=vm.load, retry_text=t("Try again")))
        body.append(_total_card(i18n, vm.outstanding.total_due, vm.outstanding.overdue_count))
        body.append(ft.OutlinedButton(
            t("Scan a school or hospital QR code"), icon=ft.Icons.QR_CODE_SCANNER, key="home-scan",
            on_click=lambda: page.navigate("/scan"),
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                                 text_style=ft.TextStyle(size=theme.BODY))))
        if vm.empty and vm.outstanding.groups:  # with nobody in the family, the hint to add someone says it
            body.append(ft.Text(t("Nothing to pay. Every bill of your family is settled."), size=theme.BODY,
                                key="home-empty"))
        for group in vm.outstanding.groups:
            body.append(_person_section(i18n, group, lambda bill_id: page.navigate(bill_route(bill_id)),
                                        lambda person_id: page.navigate(family_route(person_id))))
        # A new user's family is empty until they add someone: then it is the first thing to do.
        body.append(_add_person_button(i18n, lambda: page.navigate(ADD_PERSON_ROUTE),
                                       prominent=not vm.outstanding.groups))
        if vm.fetched_at is not None and not vm.stale:
            body.append(ft.Text(t("Updated at {time}", time=i18n.time(vm.fetched_at)), size=theme.BODY - 2,
                                color=theme.MUTED, key="updated-at"))

    # Always there, even when the bills cannot load: the check and the guidance work offline.
    body.append(ft.OutlinedButton(
        t("Check an account or phone number before paying"), icon=ft.Icons.PLAGIARISM_OUTLINED, key="home-check",
        on_click=lambda: page.navigate(CHECK_ROUTE),
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                             text_style=ft.TextStyle(size=theme.BODY))))
    body.append(ft.OutlinedButton(
        t("Beware of scams: how to recognise them"), icon=ft.Icons.SHIELD_OUTLINED, key="home-guidance",
        on_click=lambda: page.navigate(GUIDANCE_ROUTE),
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                             text_style=ft.TextStyle(size=theme.BODY))))

    return ft.View(
        route="/",
        appbar=app_bar(
            t("Your family's bills"),
            actions=[
                bell_button(i18n, center.unread, lambda: page.navigate(NOTIFICATIONS_ROUTE)),
                icon_button(ft.Icons.QR_CODE_SCANNER, t("Scan a QR code"), lambda: page.navigate("/scan"),
                            key="open-scan", color=theme.ON_PRIMARY),
                icon_button(ft.Icons.REFRESH, t("Reload"), vm.load, key="reload", disabled=vm.loading,
                            color=theme.ON_PRIMARY),
                icon_button(ft.Icons.SETTINGS, t("Settings"), lambda: page.navigate("/settings"),
                            key="open-settings", color=theme.ON_PRIMARY),
            ],
        ),
        controls=[ft.Column(body, spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def _add_person_button(i18n: I18n, on_click, prominent: bool) -> ft.Control:
    text = i18n.t("Add a child or relative")
    if prominent:
        return ft.Column([
            ft.Text(i18n.t("Add your child or relative with the code from their school or hospital to see their "
                           "bills here."), size=theme.BODY, key="home-add-person-hint"),
            primary_button(text, on_click, key="home-add-person"),
        ], spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    return ft.OutlinedButton(text, icon=ft.Icons.PERSON_ADD_ALT_1, key="home-add-person", on_click=on_click,
                             style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                                                  text_style=ft.TextStyle(size=theme.BODY)))


def _active_payment(i18n: I18n, payment: Payment, open_payment) -> ft.Control:
    t = i18n.t
    return ft.Container(ft.Row([
        ft.Icon(ft.Icons.HOURGLASS_TOP, color=theme.WARNING_TEXT),
        ft.Text(t("You have a payment waiting: {invoice}", invoice=payment.invoice_code), size=theme.BODY,
                color=theme.WARNING_TEXT, expand=True, key=f"active-payment-{payment.id}-text"),
        text_button(t("Continue"), lambda: open_payment(payment), key=f"continue-payment-{payment.id}"),
    ], vertical_alignment=ft.CrossAxisAlignment.CENTER), bgcolor=theme.WARNING_BG, padding=12, border_radius=8,
        key=f"active-payment-{payment.id}")


def _total_card(i18n: I18n, total: int, overdue_count: int) -> ft.Control:
    t = i18n.t
    rows: list[ft.Control] = [
        ft.Text(t("Total to pay"), size=theme.BODY, color=theme.MUTED),
        amount_text(i18n, total, size=28, key="total-due"),
    ]
    if overdue_count:
        rows.append(ft.Text(t("{count} overdue bill(s)", count=overdue_count), color=theme.DANGER,
                            size=theme.BODY, weight=ft.FontWeight.W_600, key="overdue-count"))
    return ft.Card(ft.Container(ft.Column(rows, spacing=4), padding=16), key="total-card")


def _person_section(i18n: I18n, group: PersonBills, open_bill, open_family=None) -> ft.Control:
    t = i18n.t
    person = group.person
    subtitle = " · ".join(x for x in (person.group_label, group.institution_name) if x)
    title: ft.Control = section_title(person.full_name)
    if open_family is not None:
        title = ft.Row([ft.Container(title, expand=True),
                        icon_button(ft.Icons.GROUP, t("Family members of {name}", name=person.full_name),
                                    lambda: open_family(person.id), key=f"person-family-{person.id}",
                                    color=theme.PRIMARY)],
                       vertical_alignment=ft.CrossAxisAlignment.CENTER)
    rows: list[ft.Control] = [
        title,
        ft.Text(subtitle, size=theme.BODY - 1, color=theme.MUTED),
    ]
    if not group.bills:
        rows.append(ft.Text(t("No bills to pay."), size=theme.BODY, color=theme.MUTED))
    for bill in group.bills:
        rows.append(_bill_tile(i18n, bill, open_bill))
    if group.bills:
        rows.append(ft.Row([ft.Text(t("Subtotal"), size=theme.BODY), amount_text(i18n, group.total_due, size=theme.BODY + 1)],
                           alignment=ft.MainAxisAlignment.SPACE_BETWEEN))
    return ft.Container(ft.Column(rows, spacing=6), key=f"person-{person.id}")


def _bill_tile(i18n: I18n, bill: BillSummary, open_bill) -> ft.Control:
    t = i18n.t
    if bill.overdue:
        due = ft.Text(t("Overdue since {date}", date=i18n.date(bill.due_date)), color=theme.DANGER,
                      size=theme.BODY - 1, weight=ft.FontWeight.W_600)
    else:
        due = ft.Text(t("Due {date}", date=i18n.date(bill.due_date)), size=theme.BODY - 1, color=theme.MUTED)
    details: list[ft.Control] = [ft.Text(bill.period, size=theme.BODY - 1, color=theme.MUTED), due]
    if bill.amount_paid:
        details.append(ft.Text(t("Already paid {amount}", amount=i18n.money(bill.amount_paid)),
                               size=theme.BODY - 1, color=theme.MUTED))
    return ft.ListTile(
        key=f"bill-{bill.invoice_code}",
        title=ft.Text(bill.title, size=theme.BODY + 1, weight=ft.FontWeight.W_600),
        subtitle=ft.Column(details, spacing=2, tight=True),
        trailing=ft.Column([amount_text(i18n, bill.amount_due, size=theme.BODY + 1),
                            status_chip(i18n, bill.status)],
                           horizontal_alignment=ft.CrossAxisAlignment.END, tight=True, spacing=4),
        on_click=lambda: open_bill(bill.id),
        min_height=theme.MIN_TOUCH + 24,
        bgcolor=theme.DANGER_BG if bill.overdue else None,
    )
