"""Paying a bill, steps 3 to 5 on one screen whose content follows the payment's state:
hand-off to the bank or wallet, waiting for the answer, then the receipt or the reason it failed."""

from __future__ import annotations

from urllib.parse import quote

import flet as ft

from app.models import Payment
from app.ui.core import theme
from app.ui.core.components import (app_bar, amount_text, words_in_guided_mode, card, error_banner, icon_button, labelled, loading,
                                    notice_banner, primary_button, text_button)
from app.ui.core.failures import NOT_FOUND, failure_text
from app.ui.core.i18n import I18n
from app.ui.core.payment_text import failure_reason, method_label, receipt_text
from app.ui.core.qr import qr_png
from app.ui.core.routes import bill_route, choose_method_route
from app.ui.core.services import use_i18n, use_services
from app.ui.payment.view_model import PaymentViewModel


@ft.component
def PaymentScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    payment_id = ft.use_route_params().get("payment_id", "")
    vm, _ = ft.use_state(lambda: services.payment_vm(payment_id))
    # Follow the payment while this screen is shown; the cleanup stops it when the screen goes away.
    ft.use_effect(vm.start, [], cleanup=vm.stop)
    page = ft.context.page
    t = i18n.t
    p = vm.payment

    body: list[ft.Control] = []
    title = t("Payment")
    if p is None:
        if vm.error is not None:
            retry = None if vm.error.code in NOT_FOUND else vm.check_now
            body.append(error_banner(failure_text(i18n, vm.error), key="payment-error", on_retry=retry,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading the payment…"), key="payment-loading"))
    else:
        if vm.error is not None:
            body.append(notice_banner(t("No connection. The state below may be out of date."), key="payment-offline",
                                      on_retry=vm.check_now, retry_text=t("Check again")))
        if p.paid:
            title = t("Receipt")
            body += _receipt(i18n, p, lambda: page.navigate("/"), services.guided)
        elif p.failed:
            body += _failure(i18n, p, page)
        else:
            body += _waiting(i18n, vm, p)
        if vm.action_error is not None:
            body.append(error_banner(failure_text(i18n, vm.action_error), key="payment-action-error"))

    return ft.View(
        route=ft.use_view_path() or f"/payments/{payment_id}",
        appbar=app_bar(title),
        controls=[ft.Column(body, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def _status(text: str, icon, colour: str, busy: bool = False) -> ft.Control:
    lead: ft.Control = ft.ProgressRing(width=24, height=24, stroke_width=3) if busy else ft.Icon(icon, color=colour,
                                                                                                 size=32)
    return ft.Row([lead, ft.Text(text, size=theme.TITLE, weight=ft.FontWeight.BOLD, color=colour, expand=True,
                                 key="payment-status")], vertical_alignment=ft.CrossAxisAlignment.CENTER)


def _what(i18n: I18n, p: Payment) -> ft.Control:
    t = i18n.t
    return card([
        labelled(t("Pay to"), p.institution_name, key="payment-institution"),
        labelled(t("Invoice code"), p.invoice_code, key="payment-invoice"),
        labelled(t("Method"), method_label(i18n, p.method), key="payment-method"),
        ft.Text(t("Amount"), size=theme.BODY - 2, color=theme.MUTED),
        amount_text(i18n, p.total, key="payment-amount"),
        *words_in_guided_mode(i18n, p.total, "payment-amount-words"),
    ], key="payment-what")


# -- waiting (with the hand-off while the payer is expected to pay) -------------------------------

def _waiting(i18n: I18n, vm: PaymentViewModel, p: Payment) -> list[ft.Control]:
    t = i18n.t
    controls: list[ft.Control] = []
    if p.state == "unknown":
        controls.append(_status(t("Checking with the bank…"), None, theme.PRIMARY, busy=True))
        controls.append(ft.Text(t("We are waiting for the bank's answer. This can take a few minutes. "
                                  "Please do not pay again."), size=theme.BODY, key="payment-status-detail"))
        controls.append(_what(i18n, p))
    else:
        controls.append(_status(t("Waiting for you to pay"), None, theme.PRIMARY, busy=True))
        if p.expires_at is not None:
            controls.append(ft.Text(t("Please pay before {time}.", time=i18n.moment(p.expires_at)), size=theme.BODY,
                                    key="payment-expires"))
        controls += _vietqr(i18n, vm, p) if p.qr_payload else _redirect(i18n, vm, p)
        controls.append(ft.Text(t("This screen updates by itself as soon as the payment arrives."),
                                size=theme.BODY - 1, color=theme.MUTED))
        controls.append(text_button(t("Cancel this payment"), vm.cancel, key="cancel-payment",
                                    disabled=vm.cancelling))
    if not vm.following:
        controls.append(primary_button(t("Check again"), vm.check_now, key="check-again", busy=vm.checking))
    return controls


def _copy(i18n: I18n, vm: PaymentViewModel, what: str, label: str, value: str) -> ft.Control:
    """Copies on the device inside the tap (browsers allow nothing later); the tap also shows "Copied"."""
    return icon_button(ft.Icons.COPY, label, lambda: vm.mark_copied(what), key=f"copy-{what}",
                       action=ft.CopyToClipboard(value))


def _vietqr(i18n: I18n, vm: PaymentViewModel, p: Payment) -> list[ft.Control]:
    t = i18n.t
    account = p.account
    holder = account.holder_name if account else p.institution_name
    rows: list[ft.Control] = [
        ft.Text(t("Scan this code with any bank app, Viettel Money or VNPT Money. The amount and the transfer "
                  "content are filled in for you."), size=theme.BODY),
        ft.Container(
            ft.Image(src=qr_png(p.qr_payload), width=260, height=260, key="payment-qr",
                     semantics_label=t("VietQR code to pay {amount} to {holder}", amount=i18n.money(p.total),
                                       holder=holder)),
            alignment=ft.Alignment.CENTER, bgcolor=theme.SURFACE, padding=8),
        ft.Text(t("Or transfer by hand to this account:"), size=theme.BODY, weight=ft.FontWeight.W_600),
    ]
    if account is not None:
        bank = account.bank_name or account.bank_bin
        rows += [
            labelled(t("Account holder"), account.holder_name, key="pay-holder",
                     trailing=_copy(i18n, vm, "holder", t("Copy the account holder's name"), account.holder_name)),
            labelled(t("Bank"), bank, key="pay-bank", trailing=_copy(i18n, vm, "bank", t("Copy the bank's name"), bank)),
            labelled(t("Account number"), account.account_number, key="pay-account",
                     trailing=_copy(i18n, vm, "account", t("Copy the account number"), account.account_number)),
        ]
    rows.append(labelled(t("Amount"), i18n.money(p.total), key="pay-amount",
                         trailing=_copy(i18n, vm, "amount", t("Copy the amount"), str(p.total))))
    if p.transfer_content:
        rows.append(labelled(t("Transfer content"), p.transfer_content, key="pay-content",
                             trailing=_copy(i18n, vm, "content", t("Copy the transfer content"), p.transfer_content)))
        rows.append(ft.Text(t("Type the transfer content exactly as shown: it is how the school or hospital "
                              "knows the money is for this bill."), size=theme.BODY - 1, color=theme.WARNING_TEXT))
    copied = {"holder": t("the account holder's name"), "bank": t("the bank's name"),
              "account": t("the account number"), "amount": t("the amount"),
              "content": t("the transfer content")}
    if vm.copied in copied:
        rows.append(ft.Text(t("Copied {what}.", what=copied[vm.copied]), size=theme.BODY - 1, color=theme.OK,
                            key="copied-notice"))
    controls: list[ft.Control] = [card(rows, key="vietqr-card")]
    if p.bank_app_url:
        controls.append(primary_button(t("Open my bank app"), vm.open_bank_app, key="open-bank-app",
                                       busy=vm.opening))
    controls.append(_what(i18n, p))
    return controls


def _redirect(i18n: I18n, vm: PaymentViewModel, p: Payment) -> list[ft.Control]:
    t = i18n.t
    where = "MoMo" if p.method == "momo" else "VNPay"  # brand names are not translated
    controls: list[ft.Control] = [
        ft.Text(t("Finish paying on the {where} page. Come back here when you are done.", where=where),
                size=theme.BODY, key="redirect-text"),
    ]
    if p.pay_url:
        controls.append(primary_button(t("Open the payment page again"), vm.open_pay_page, key="open-pay-page",
                                       busy=vm.opening))
    controls.append(_what(i18n, p))
    return controls


# -- outcomes -----------------------------------------------------------------------------------

def _all_done(i18n: I18n) -> ft.Control:
    """Guided mode: the outcome first, in a few very large words."""
    return ft.Container(ft.Column([
        ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK, size=96),
        ft.Text(i18n.t("Paid, all done"), size=theme.TITLE + 8, weight=ft.FontWeight.BOLD, color=theme.OK,
                text_align=ft.TextAlign.CENTER, key="guided-done"),
    ], horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=8), bgcolor=theme.OK_BG, padding=24,
        border_radius=16)


def _send_receipt(i18n: I18n, p: Payment, guided) -> list[ft.Control]:
    """To the family member chosen for help by text message, or to anyone through the share sheet."""
    t, text = i18n.t, receipt_text(i18n, p)
    out: list[ft.Control] = []
    if guided is not None and guided.helper_phone:
        out.append(ft.Button(t("Send the receipt to {name}", name=guided.helper_name), key="sms-receipt",
                             icon=ft.Icons.SMS, url=f"sms:{guided.helper_phone}?body={quote(text)}",
                             style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=16))))
    out.append(ft.OutlinedButton(t("Send the receipt to a family member"), key="share-receipt", icon=ft.Icons.SHARE,
                                 action=ft.ShareText(text, subject=t("Đóng Phí receipt")),
                                 style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=16))))
    return out


def _receipt(i18n: I18n, p: Payment, done, guided=None) -> list[ft.Control]:
    t = i18n.t
    partly = p.shortfall > 0
    controls: list[ft.Control] = [_all_done(i18n)] if theme.is_guided() and not partly else []
    controls += [
        _status(t("Paid in part") if partly else t("Payment complete"), ft.Icons.CHECK_CIRCLE,
                theme.WARNING_TEXT if partly else theme.OK),
        amount_text(i18n, p.received_amount if p.received_amount is not None else p.total, size=28,
                    key="receipt-amount"),
        *words_in_guided_mode(i18n, p.received_amount if p.received_amount is not None else p.total,
                              "receipt-amount-words"),
    ]
    if partly:
        controls.append(notice_banner(
            t("{received} was received, less than the {amount} asked. {left} is still to pay on this bill.",
              received=i18n.money(p.received_amount or 0), amount=i18n.money(p.amount), left=i18n.money(p.shortfall)),
            key="receipt-shortfall"))
    if p.refund_amount > 0:
        controls.append(notice_banner(
            t("You paid {extra} more than the bill. The extra will be refunded to you.",
              extra=i18n.money(p.refund_amount)), key="receipt-refund"))
    rows: list[ft.Control] = [
        labelled(t("Reference number"), p.reference, key="receipt-reference"),
    ]
    if p.settled_at is not None:
        rows.append(labelled(t("Time"), i18n.moment(p.settled_at), key="receipt-time"))
    rows += [
        labelled(t("Paid to"), p.institution_name, key="receipt-institution"),
        labelled(t("Payer"), p.payer_name, key="receipt-payer"),
        labelled(t("Beneficiary"), p.beneficiary_name, key="receipt-beneficiary"),
        labelled(t("Reason"), p.reason, key="receipt-reason"),
        labelled(t("Invoice code"), p.invoice_code, key="receipt-invoice"),
        labelled(t("Method"), method_label(i18n, p.method), key="receipt-method"),
    ]
    if p.provider_txn:
        rows.append(labelled(t("Transaction number at the bank or wallet"), p.provider_txn, key="receipt-provider-txn"))
    if p.fee:
        rows.append(labelled(t("Fee"), i18n.money(p.fee), key="receipt-fee"))
    controls.append(card(rows, key="receipt-card"))
    controls.append(ft.Text(t("Keep the reference number in case you need to ask about this payment."),
                            size=theme.BODY - 1, color=theme.MUTED))
    controls += _send_receipt(i18n, p, guided)
    controls.append(primary_button(t("Done"), done, key="done"))
    return controls


def _failure(i18n: I18n, p: Payment, page) -> list[ft.Control]:
    t = i18n.t
    controls: list[ft.Control] = [
        _status(t("The payment did not go through"), ft.Icons.ERROR_OUTLINE, theme.DANGER),
        ft.Text(failure_reason(i18n, p), size=theme.BODY + 1, key="failure-reason"),
    ]
    if p.nothing_debited:
        controls.append(ft.Text(t("No money was taken."), size=theme.BODY + 1, weight=ft.FontWeight.W_600,
                                color=theme.OK, key="nothing-debited"))
    else:
        controls.append(ft.Text(t("If money was taken from your account, keep the reference number {reference} and "
                                  "call the institution's support number shown on the bill.", reference=p.reference),
                                size=theme.BODY, key="failure-support"))
    controls.append(ft.Text(t("The bill is still open: you can pay it again."), size=theme.BODY,
                            key="bill-still-open"))
    controls.append(primary_button(t("Try again"), lambda: page.navigate(choose_method_route(p.bill_id)),
                                   key="try-again"))
    controls.append(text_button(t("Back to the bill"), lambda: page.navigate(bill_route(p.bill_id)),
                                key="back-to-bill"))
    controls.append(_what(i18n, p))
    return controls
