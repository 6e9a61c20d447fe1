""""Nhờ người thân trả": the bill owner's screen (make, share, follow and withdraw links) and the
relative's screen (open a link and pay it by VietQR)."""

from __future__ import annotations

import flet as ft

from app.models import BillDetail, PayRequestInfo, PayRequestLink, PayRequestView
from app.ui.core import theme
from app.ui.core.components import (amount_text, card, error_banner, labelled, loading, primary_button, screen,
                                    section_title, text_button)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.qr import qr_png
from app.ui.core.payment_text import fee_text, method_label
from app.ui.core.routes import pay_request_payment_route, pay_request_route, share_bill_route
from app.ui.core.services import use_i18n, use_services
from app.ui.share.view_model import OpenPayRequestViewModel, ShareBillViewModel, first_name

_BUTTON_STYLE = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=16))


def request_status_text(i18n: I18n, status: str) -> str:
    t = i18n.t
    return {
        "open": t("Waiting for payment"),
        "paid": t("Paid"),
        "expired": t("Expired"),
        "withdrawn": t("Withdrawn"),
        "cancelled": t("The bill was cancelled"),
    }.get(status, status)


def share_message(i18n: I18n, bill: BillDetail, link: PayRequestLink) -> str:
    s = bill.summary
    return i18n.t("Please help pay {amount} for {name} at {institution} (invoice {code}), due {due}. "
                  "Open this link to pay: {url}", amount=i18n.money(s.amount_due),
                  name=first_name(bill.person.full_name), institution=bill.institution.name, code=s.invoice_code,
                  due=i18n.date(s.due_date), url=link.url)


@ft.component
def ShareBillScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    bill_id = ft.use_route_params().get("bill_id", "")
    vm, _ = ft.use_state(lambda: services.share_bill_vm(bill_id))
    use_load_when_shown(vm.load, vm.items is not None)
    t = i18n.t

    body: list[ft.Control] = [
        ft.Text(t("Send a relative a link to pay this bill. They can pay in the Đóng Phí app, or by bank transfer "
                  "with the VietQR code the link shows."), size=theme.BODY, key="share-intro"),
    ]
    if vm.bill is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="share-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading…"), key="share-loading"))
        return screen(ft.use_view_path() or share_bill_route(bill_id), t("Ask a relative to pay"), body)

    body.append(_what_they_see(i18n, vm.bill))
    if vm.created is not None:
        body.append(_link_card(i18n, vm, vm.bill, vm.created))
    elif vm.bill.summary.payable:
        body.append(primary_button(t("Create the link"), vm.create, key="share-create", busy=vm.creating,
                                   disabled=vm.busy_id is not None))
    else:
        body.append(ft.Text(t("This bill has nothing left to pay, so no new link can be made."), size=theme.BODY,
                            key="share-not-payable"))
    if vm.action_error is not None:
        body.append(error_banner(failure_text(i18n, vm.action_error), key="share-action-error"))
    if vm.error is not None:
        body.append(error_banner(failure_text(i18n, vm.error), key="share-error", on_retry=vm.load,
                                 retry_text=t("Try again")))
    body += _request_list(i18n, vm)
    return screen(ft.use_view_path() or share_bill_route(bill_id), t("Ask a relative to pay"), body)


def _what_they_see(i18n: I18n, bill: BillDetail) -> ft.Control:
    t, s = i18n.t, bill.summary
    return card([
        section_title(t("What your relative will see")),
        labelled(t("School or hospital"), bill.institution.name, key="share-see-institution"),
        labelled(t("For"), first_name(bill.person.full_name), key="share-see-name"),
        labelled(t("Amount"), i18n.money(s.amount_due), key="share-see-amount"),
        labelled(t("Due date"), i18n.date(s.due_date), key="share-see-due"),
        labelled(t("Invoice code"), s.invoice_code, key="share-see-invoice"),
        ft.Text(t("Only these five things. Not the full name, the bill's items, a diagnosis, a department or class, "
                  "or anything else about your family."), size=theme.BODY - 1, color=theme.MUTED,
                key="share-see-only"),
    ], key="share-preview")


def _link_card(i18n: I18n, vm: ShareBillViewModel, bill: BillDetail, link: PayRequestLink) -> ft.Control:
    t = i18n.t
    message = share_message(i18n, bill, link)
    rows: list[ft.Control] = [
        section_title(t("The link is ready")),
        ft.Text(link.url, size=theme.BODY, selectable=True, key="share-link"),
        ft.Container(
            ft.Image(src=qr_png(link.url), width=240, height=240, key="share-qr",
                     semantics_label=t("QR code of the link to pay this bill")),
            alignment=ft.Alignment.CENTER, bgcolor=theme.SURFACE, padding=8),
        ft.Text(t("A relative can scan this code with their phone's camera."), size=theme.BODY - 1,
                color=theme.MUTED),
    ]
    if link.expires_at is not None:
        rows.append(ft.Text(t("The link works until {time}.", time=i18n.moment(link.expires_at)), size=theme.BODY,
                            key="share-expires"))
    rows.append(ft.Row([
        ft.Button(t("Share the link"), key="share-send", icon=ft.Icons.SHARE, style=_BUTTON_STYLE,
                  action=ft.ShareText(message, subject=t("Please help pay this bill"))),
        ft.OutlinedButton(t("Copy the link"), key="share-copy", icon=ft.Icons.COPY, style=_BUTTON_STYLE,
                          action=ft.CopyToClipboard(link.url), on_click=vm.mark_copied),
    ], wrap=True, spacing=8))
    if vm.copied:
        rows.append(ft.Text(t("Link copied."), size=theme.BODY - 1, color=theme.OK, key="share-copied"))
    rows.append(ft.Text(t("Share or copy it now: the link is shown only this once. You can always make a new one."),
                        size=theme.BODY - 1, color=theme.MUTED, key="share-once"))

    async def withdraw():
        await vm.withdraw(link.id)

    busy = vm.busy_id == link.id
    listed = next((r for r in vm.items or [] if r.id == link.id), None)
    if listed is not None and listed.status != "open":  # paid (or the bill cancelled) meanwhile
        rows.append(ft.Text(request_status_text(i18n, listed.status), size=theme.BODY + 1,
                            weight=ft.FontWeight.W_600, key="share-link-status"))
    elif vm.confirm_withdraw_id == link.id:
        rows += [
            ft.Text(t("Withdraw this link? It stops working at once; a payment already started is not stopped."),
                    size=theme.BODY, weight=ft.FontWeight.W_600, key="share-link-withdraw-question"),
            ft.Row([text_button(t("Yes, withdraw it"), withdraw, key="share-link-withdraw-yes", disabled=busy),
                    text_button(t("Keep it"), lambda: vm.ask_withdraw(None), key="share-link-withdraw-no")],
                   wrap=True),
        ]
    else:
        rows.append(text_button(t("Withdraw"), lambda: vm.ask_withdraw(link.id), key="share-link-withdraw",
                                disabled=busy))
    return card(rows, key="share-link-card")


def _request_list(i18n: I18n, vm: ShareBillViewModel) -> list[ft.Control]:
    t = i18n.t
    if vm.items is None:
        return []
    out: list[ft.Control] = [section_title(t("Links for this bill"))]
    if not vm.items:
        out.append(ft.Text(t("No link has been made for this bill yet."), size=theme.BODY, color=theme.MUTED,
                           key="share-requests-empty"))
    for r in vm.items:
        out.append(_request_row(i18n, vm, r))
    return out


def _request_row(i18n: I18n, vm: ShareBillViewModel, r: PayRequestInfo) -> ft.Control:
    t = i18n.t
    colour = {"paid": theme.OK, "open": theme.PRIMARY}.get(r.status, theme.MUTED)
    rows: list[ft.Control] = [
        ft.Text(request_status_text(i18n, r.status), size=theme.BODY + 1, weight=ft.FontWeight.W_600, color=colour,
                key=f"request-status-{r.id}"),
    ]
    if r.created_at is not None:
        rows.append(ft.Text(t("Made by {name} on {time}", name=r.created_by_name, time=i18n.moment(r.created_at)),
                            size=theme.BODY - 1, color=theme.MUTED))
    if r.paid_by_name:
        rows.append(ft.Text(t("Paid by {name}", name=r.paid_by_name), size=theme.BODY, color=theme.OK,
                            key=f"request-paid-by-{r.id}"))
    elif r.status == "open" and r.expires_at is not None:
        rows.append(ft.Text(t("Works until {time}", time=i18n.moment(r.expires_at)), size=theme.BODY - 1,
                            key=f"request-expires-{r.id}"))
    created_here = vm.created is not None and vm.created.id == r.id
    if r.status == "open" and not created_here:  # the link made just now is withdrawn from its card above
        busy = vm.busy_id == r.id

        async def withdraw():
            await vm.withdraw(r.id)

        if vm.confirm_withdraw_id == r.id:
            rows += [
                ft.Text(t("Withdraw this link? It stops working at once; a payment already started is not stopped."),
                        size=theme.BODY, weight=ft.FontWeight.W_600, key=f"request-withdraw-question-{r.id}"),
                ft.Row([text_button(t("Yes, withdraw it"), withdraw, key=f"request-withdraw-yes-{r.id}", disabled=busy),
                        text_button(t("Keep it"), lambda: vm.ask_withdraw(None), key=f"request-withdraw-no-{r.id}")],
                       wrap=True),
            ]
        else:
            rows.append(text_button(t("Withdraw"), lambda: vm.ask_withdraw(r.id), key=f"request-withdraw-{r.id}",
                                    disabled=busy))
    return card(rows, key=f"request-{r.id}")


# -- the relative's side --------------------------------------------------------------------------

@ft.component
def PayRequestScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    token = ft.use_route_params().get("token", "")
    vm, _ = ft.use_state(lambda: services.open_pay_request_vm(token))
    use_load_when_shown(vm.load, vm.view is not None)
    page = ft.context.page
    t = i18n.t

    async def pay():
        payment = await vm.pay()
        if payment is not None:
            page.navigate(pay_request_payment_route(token, payment.id))

    body: list[ft.Control] = []
    if vm.view is None:
        if vm.error is not None:
            retry = None if vm.error.code == "pay_request_not_found" else vm.load
            body.append(error_banner(failure_text(i18n, vm.error), key="request-error", on_retry=retry,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading…"), key="request-loading"))
    else:
        body += _request_view(i18n, vm.view)
        if vm.payable:
            body.append(ft.Text(t("Only pay if you know who sent you this link. You pay in your own name, and the "
                                  "family sees that you paid."), size=theme.BODY - 1, color=theme.MUTED))
            if len(vm.methods) > 1:
                body.append(ft.RadioGroup(key="request-method", value=vm.method,
                                          on_change=lambda e: vm.choose(e.control.value), content=ft.Column([
                                              ft.Radio(value=m.id, key=f"request-method-{m.id}",
                                                       label=f"{method_label(i18n, m.id)} · {fee_text(i18n, m.fee)}")
                                              for m in vm.methods])))
            body.append(primary_button(t("Pay with {method}", method=method_label(i18n, vm.method)), pay,
                                       key="request-pay", busy=vm.paying))
        if vm.pay_error is not None:
            body.append(error_banner(failure_text(i18n, vm.pay_error), key="request-pay-error"))
    return screen(ft.use_view_path() or pay_request_route(token), t("Payment request"), body)


def _request_view(i18n: I18n, v: PayRequestView) -> list[ft.Control]:
    t = i18n.t
    out: list[ft.Control] = [card([
        labelled(t("School or hospital"), v.institution_name, key="request-institution"),
        labelled(t("For"), v.first_name, key="request-name"),
        ft.Text(t("Amount"), size=theme.BODY - 2, color=theme.MUTED),
        amount_text(i18n, v.amount_due, key="request-amount"),
        labelled(t("Due date"), i18n.date(v.due_date), key="request-due"),
        labelled(t("Invoice code"), v.invoice_code, key="request-invoice"),
    ], key="request-card")]
    notes = {
        "paid": t("This bill has been paid. There is nothing more to pay."),
        "expired": t("This request has expired. Ask your relative for a new link."),
        "withdrawn": t("The family withdrew this request. There is nothing to pay through it."),
        "cancelled": t("This bill was cancelled by the institution. There is nothing to pay."),
    }
    if v.status in notes:
        out.append(ft.Text(notes[v.status], size=theme.BODY + 1, weight=ft.FontWeight.W_600,
                           color=theme.OK if v.status == "paid" else theme.WARNING_TEXT, key="request-status"))
    elif v.expires_at is not None:
        out.append(ft.Text(t("This request is open until {time}.", time=i18n.moment(v.expires_at)),
                           size=theme.BODY, key="request-expires"))
    return out
