"""One bill: what it is for, line by line, who issued it, and who helps with it."""

from __future__ import annotations

import flet as ft

from app.models import BillDetail
from app.ui.core import theme
from app.ui.core.components import (app_bar, amount_text, words_in_guided_mode, error_banner, loading, notice_banner, primary_button, section_title,
                                    status_chip)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.routes import choose_method_route, share_bill_route
from app.ui.core.services import use_i18n, use_services
from app.ui.guided.view import big_back, step_header


@ft.component
def BillScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    bill_id = ft.use_route_params().get("bill_id", "")
    vm, _ = ft.use_state(lambda: services.bill_vm(bill_id))
    use_load_when_shown(vm.load, vm.detail is not None)
    page = ft.context.page
    t = i18n.t

    body: list[ft.Control] = []
    if vm.detail is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="bill-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading the bill…"), key="bill-loading"))
    else:
        if vm.stale and vm.fetched_at is not None:
            body.append(notice_banner(t("No connection. Showing bills as of {time}.", time=i18n.time(vm.fetched_at)),
                                      key="bill-stale", on_retry=vm.load, retry_text=t("Try again")))
        body += _detail(i18n, vm.detail, services.open_url)
        if vm.payable:
            body.insert(len(body) - 1, primary_button(t("Pay"), lambda: page.navigate(choose_method_route(bill_id)),
                                                      key="pay-bill"))
            body.insert(len(body) - 1, ft.OutlinedButton(
                t("Ask a relative to pay"), icon=ft.Icons.SHARE, key="ask-relative",
                on_click=lambda: page.navigate(share_bill_route(bill_id)),
                style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=16),
                                     text_style=ft.TextStyle(size=theme.BODY + 1))))

    title = vm.detail.summary.title if vm.detail else t("Bill")
    header, back = step_header(i18n, 1, 3, t("Check the bill")), big_back(i18n, lambda: page.navigate("/"), key="guided-back-1")
    body = ([header] if header else []) + body + ([back] if back else [])
    return ft.View(
        route=ft.use_view_path() or f"/bills/{bill_id}",
        appbar=app_bar(title),
        controls=[ft.Column(body, spacing=14)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def _labelled(label: str, value: str, key: str | None = None) -> ft.Control:
    return ft.Column([ft.Text(label, size=theme.BODY - 2, color=theme.MUTED),
                      ft.Text(value, size=theme.BODY + 1, key=key)], spacing=0)


def _detail(i18n: I18n, bill: BillDetail, open_url) -> list[ft.Control]:
    t, s, inst = i18n.t, bill.summary, bill.institution
    due_label = t("Overdue since {date}", date=i18n.date(s.due_date)) if s.overdue else \
        t("Due {date}", date=i18n.date(s.due_date))
    header = ft.Column([
        ft.Row([ft.Text(bill.person.full_name, size=theme.TITLE, weight=ft.FontWeight.BOLD, expand=True,
                        key="bill-person"),
                status_chip(i18n, s.status, key="bill-status")],
               vertical_alignment=ft.CrossAxisAlignment.START),
        ft.Text(s.period, size=theme.BODY, color=theme.MUTED),
        ft.Text(due_label, size=theme.BODY, color=theme.DANGER if s.overdue else theme.MUTED,
                weight=ft.FontWeight.W_600 if s.overdue else None, key="bill-due"),
        _labelled(t("Invoice code"), s.invoice_code, key="invoice-code"),
        _labelled(t("Issued by"), inst.name, key="institution-name"),
    ], spacing=6)

    items: list[ft.Control] = [section_title(t("Items"))]
    for n, item in enumerate(bill.items):
        items.append(ft.Row([ft.Text(item.label, size=theme.BODY, expand=True),
                             ft.Text(i18n.money(item.amount), size=theme.BODY)], key=f"item-{n}",
                            vertical_alignment=ft.CrossAxisAlignment.START))
    items.append(ft.Divider())
    items.append(ft.Row([ft.Text(t("Total"), size=theme.BODY, expand=True),
                         ft.Text(i18n.money(s.total), size=theme.BODY, key="bill-total")]))
    if s.amount_paid:
        items.append(ft.Row([ft.Text(t("Already paid"), size=theme.BODY, expand=True),
                             ft.Text(i18n.money(s.amount_paid), size=theme.BODY, key="bill-paid")]))
    items.append(ft.Row([ft.Text(t("Left to pay"), size=theme.BODY + 1, weight=ft.FontWeight.BOLD, expand=True),
                         amount_text(i18n, s.amount_due, key="bill-amount-due")]))
    items += words_in_guided_mode(i18n, s.amount_due, "bill-amount-words")

    support = inst.support

    def dial(number: str):
        async def handler():
            await open_url(f"tel:{number}")
        return handler

    help_rows: list[ft.Control] = [
        section_title(t("Need help with this bill?")),
        ft.Text(support.name, size=theme.BODY, key="support-name"),
        ft.TextButton(t("Call {who}: {phone}", who=t("support"), phone=support.phone), icon=ft.Icons.PHONE,
                      key="call-support", on_click=dial(support.phone)),
        ft.TextButton(t("Call {who}: {phone}", who=t("the hotline"), phone=inst.hotline), icon=ft.Icons.PHONE,
                      key="call-hotline", on_click=dial(inst.hotline)),
    ]
    if support.email:
        help_rows.append(ft.Text(support.email, size=theme.BODY, key="support-email"))
    help_rows.append(ft.Text(t("Only call the numbers shown here or on the institution's official papers."),
                             size=theme.BODY - 2, color=theme.MUTED))
    return [
        header,
        ft.Card(ft.Container(ft.Column(items, spacing=8), padding=16)),
        ft.Card(ft.Container(ft.Column(help_rows, spacing=4), padding=16), key="support-card"),
    ]
