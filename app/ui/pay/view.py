"""Paying a bill, steps 1 and 2: choose how, then read everything once more and confirm."""

from __future__ import annotations

import flet as ft

from app.data.api import ApiFailure
from app.models import BillDetail, PaymentMethod
from app.ui.core import theme
from app.ui.core.components import (app_bar, amount_text, card, error_banner, labelled, loading, notice_banner,
                                    primary_button, section_title, text_button)
from app.ui.core.failures import NETWORK, SERVER, failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.payment_text import amount_words, fee_text, method_hint, method_label
from app.ui.core.routes import (bill_route, choose_method_route, confirm_linked_route, confirm_route,
                                payment_route)
from app.ui.core.services import use_i18n, use_services
from app.ui.guided.read_aloud import confirmation_sentence
from app.ui.guided.view import ReadAloud, big_back, step_header
from app.ui.pay.view_model import bill_payable

FACE_CHECK_OVER = 10_000_000  # SBV Decision 2345: banks ask for a face scan above this per transfer

METHOD_ICONS = {
    "vietqr": ft.Icons.QR_CODE_2,
    "atm_card": ft.Icons.CREDIT_CARD,
    "intl_card": ft.Icons.PAYMENT,
    "momo": ft.Icons.ACCOUNT_BALANCE_WALLET,
}


def _bill_header(i18n: I18n, bill: BillDetail) -> ft.Control:
    s = bill.summary
    return card([
        ft.Text(s.title, size=theme.BODY + 2, weight=ft.FontWeight.BOLD),
        ft.Text(f"{bill.person.full_name} · {s.period}", size=theme.BODY, color=theme.MUTED),
        ft.Row([ft.Text(i18n.t("Left to pay"), size=theme.BODY, expand=True),
                amount_text(i18n, s.amount_due, key="pay-amount-due")]),
    ], key="pay-bill-summary")


def _already_paid(i18n: I18n, bill: BillDetail, page, prefix: str) -> list[ft.Control]:
    """Nothing to pay: the screen offers no way to pay (Back after paying must never pay again)."""
    t, bill_id = i18n.t, bill.summary.id
    text = t("This bill was cancelled by the institution. There is nothing to pay.") \
        if bill.summary.status == "cancelled" else t("This bill has already been paid. There is nothing more to pay.")
    return [
        ft.Text(text, size=theme.BODY + 1, key=f"{prefix}-already-paid"),
        primary_button(t("Back to the bill"), lambda: page.navigate(bill_route(bill_id)), key=f"{prefix}-back-to-bill"),
    ]


def _in_progress(i18n: I18n, vm, bill_id: str, page, prefix: str) -> ft.Control:
    """Another payment of this bill is still waiting: continue it, or cancel it and choose again."""
    t = i18n.t

    async def cancel_then_choose():
        if await vm.cancel_in_progress():
            page.navigate(choose_method_route(bill_id))

    return card([
        ft.Text(t("There is already a payment in progress for this bill."), size=theme.BODY + 1,
                weight=ft.FontWeight.W_600, color=theme.WARNING_TEXT, key=f"{prefix}-in-progress-text"),
        ft.Text(t("Finish it, or cancel it before paying another way. Paying twice is never needed."),
                size=theme.BODY),
        primary_button(t("Continue it"), lambda: page.navigate(payment_route(bill_id, vm.in_progress_id)),
                       key=f"{prefix}-continue-in-progress", disabled=vm.cancelling),
        text_button(t("Cancel it and choose another method"), cancel_then_choose, key=f"{prefix}-cancel-in-progress",
                    disabled=vm.cancelling),
    ], key=f"{prefix}-in-progress", bgcolor=theme.WARNING_BG)


def _problem(i18n: I18n, failure, key: str, retry) -> ft.Control:
    if failure.code in NETWORK or failure.code in SERVER or (failure.status or 0) >= 500:
        return error_banner(failure_text(i18n, failure), key=key, on_retry=retry, retry_text=i18n.t("Try again"))
    return error_banner(failure_text(i18n, failure), key=key)


@ft.component
def ChooseMethodScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    bill_id = ft.use_route_params().get("bill_id", "")
    vm, _ = ft.use_state(lambda: services.choose_method_vm(bill_id))
    use_load_when_shown(vm.load, vm.detail is not None)
    page = ft.context.page
    t = i18n.t

    body: list[ft.Control] = []
    if vm.detail is None or vm.methods is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="choose-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading the ways to pay…"), key="choose-loading"))
    else:
        if vm.stale and vm.fetched_at is not None:
            body.append(notice_banner(t("No connection. Showing bills as of {time}.", time=i18n.time(vm.fetched_at)),
                                      key="choose-stale", on_retry=vm.load, retry_text=t("Try again")))
        body.append(_bill_header(i18n, vm.detail))
        if not vm.payable:
            body += _already_paid(i18n, vm.detail, page, "choose")
        elif vm.in_progress_id:
            body.append(_in_progress(i18n, vm, bill_id, page, "choose"))
            if vm.error is not None:
                body.append(error_banner(failure_text(i18n, vm.error), key="choose-error"))
        else:
            if vm.sources:
                body += _linked_section(i18n, vm, lambda source_id: page.navigate(
                    confirm_linked_route(bill_id, source_id)))
            body.append(section_title(t("Other ways to pay") if vm.sources else t("How do you want to pay?")))
            body += [_method_tile(i18n, m, m.id == vm.last_method,
                                  lambda method_id: page.navigate(confirm_route(bill_id, method_id)))
                     for m in vm.ordered_methods]
            if not vm.methods:
                body.append(ft.Text(t("No way to pay is available right now. Please try again later."),
                                    size=theme.BODY, key="no-methods"))
            body.append(ft.Text(t("The money goes straight to the institution's account through a licensed bank "
                                  "or wallet. Đóng Phí never holds it."), size=theme.BODY - 1, color=theme.MUTED))

    body = _guided_step(i18n, 2, t("Choose how to pay"), body, lambda: page.navigate(bill_route(bill_id)))
    return ft.View(
        route=ft.use_view_path() or choose_method_route(bill_id),
        appbar=app_bar(t("Choose how to pay")),
        controls=[ft.Column(body, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def face_check_text(i18n: I18n, reason: str | None) -> str:
    t = i18n.t
    if reason == "daily_over_limit":
        return t("With this bill, your payments today pass 20,000,000 đ. From there your bank asks for a face scan, "
                 "which only its own app can do, so a linked account cannot pay it. Pay by VietQR or card "
                 "checkout below: your bank app will ask for the scan. This is the State Bank's rule.")
    return t("Above 10,000,000 đ your bank asks for a face scan, which only its own app can do, so a linked "
             "account cannot pay this bill. Pay by VietQR or card checkout below: your bank app will ask for "
             "the scan. This is the State Bank's rule.")


def _linked_section(i18n: I18n, vm, choose) -> list[ft.Control]:
    """Linked accounts first: one confirmed step. A face-check amount goes through the bank's own app."""
    t = i18n.t
    blocked = vm.linked_blocked
    controls: list[ft.Control] = [section_title(t("Your linked accounts"))]
    if blocked:
        controls.append(card([ft.Text(face_check_text(i18n, blocked), size=theme.BODY, key="linked-face-check")],
                             key="linked-blocked", bgcolor=theme.WARNING_BG))
    for source in vm.sources:
        title = f"{source.provider_name} {source.account_masked}".strip()
        controls.append(ft.Card(ft.ListTile(
            key=f"pay-source-{source.id}",
            leading=ft.Icon(ft.Icons.ACCOUNT_BALANCE if source.kind == "bank" else ft.Icons.ACCOUNT_BALANCE_WALLET,
                            color=theme.MUTED if blocked else theme.PRIMARY, size=32),
            title=ft.Text(title, size=theme.BODY + 1, weight=ft.FontWeight.W_600),
            subtitle=ft.Text(t("Pay in one step, confirmed with your PIN"), size=theme.BODY - 1, color=theme.MUTED),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
            on_click=(lambda _e, sid=source.id: choose(sid)), disabled=bool(blocked),
            min_height=theme.MIN_TOUCH + 24,
        )))
    return controls


def _method_tile(i18n: I18n, method: PaymentMethod, last: bool, choose) -> ft.Control:
    t = i18n.t
    subtitle: list[ft.Control] = []
    hint = method_hint(i18n, method.id)
    if hint:
        subtitle.append(ft.Text(hint, size=theme.BODY - 1, color=theme.MUTED))
    subtitle.append(ft.Text(fee_text(i18n, method.fee), size=theme.BODY - 1, weight=ft.FontWeight.W_600,
                            color=theme.OK if method.fee == 0 else theme.WARNING_TEXT, key=f"fee-{method.id}"))
    if last:
        subtitle.append(ft.Text(t("Used last time"), size=theme.BODY - 2, color=theme.PRIMARY,
                                key=f"last-used-{method.id}"))
    return ft.Card(ft.ListTile(
        key=f"method-{method.id}",
        leading=ft.Icon(METHOD_ICONS.get(method.id, ft.Icons.PAYMENTS), color=theme.PRIMARY, size=32),
        title=ft.Text(method_label(i18n, method.id), size=theme.BODY + 1, weight=ft.FontWeight.W_600),
        subtitle=ft.Column(subtitle, spacing=2, tight=True),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda: choose(method.id),
        min_height=theme.MIN_TOUCH + 24,
    ))


@ft.component
def ConfirmPaymentScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    params = ft.use_route_params()
    bill_id, method = params.get("bill_id", ""), params.get("method", "")
    vm, _ = ft.use_state(lambda: services.confirm_payment_vm(bill_id, method))
    ft.use_effect(vm.load, [])
    page = ft.context.page
    t = i18n.t

    async def confirm():
        payment = await vm.pay()
        if payment is not None:
            page.navigate(payment_route(payment.bill_id, payment.id))

    body, ready = _confirm_start(i18n, vm, page, bill_id, vm.offered is not None, "method_not_available")
    if ready:
        body += _summary(i18n, vm)
        body += _read_aloud(i18n, vm)
        body += _confirm_problems(i18n, vm, page, bill_id)
        if not vm.in_progress_id:
            body.append(primary_button(t("Confirm and pay"), confirm, key="confirm-pay", busy=vm.running,
                                       disabled=vm.cancelling))
            body.append(ft.Text(t("Check the institution's name and the invoice code against your paper bill "
                                  "before you pay."), size=theme.BODY - 1, color=theme.MUTED))

    body = _guided_step(i18n, 3, t("Check and confirm"), body, lambda: page.navigate(choose_method_route(bill_id)))
    return _confirm_view(i18n, ft.use_view_path() or confirm_route(bill_id, method), body)


def _confirm_start(i18n: I18n, vm, page, bill_id: str, usable: bool, unusable_code: str) -> tuple[list, bool]:
    """What both confirm screens show before the summary: loading, a failure, nothing to pay, or a way
    to pay that cannot be used. `ready` is True when the summary and the confirm step may follow."""
    t = i18n.t
    if vm.detail is None:
        if vm.error is not None:
            return [error_banner(failure_text(i18n, vm.error), key="confirm-error", on_retry=vm.load,
                                 retry_text=t("Try again"))], False
        return [loading(t("Loading the bill…"), key="confirm-loading")], False
    if not bill_payable(vm.detail):
        return _already_paid(i18n, vm.detail, page, "confirm"), False
    if not usable:
        return [_problem(i18n, vm.error or ApiFailure(unusable_code), "confirm-error", vm.load),
                primary_button(t("Choose another method"), lambda: page.navigate(choose_method_route(bill_id)),
                               key="confirm-choose-again")], False
    if vm.stale and vm.fetched_at is not None:
        return [notice_banner(t("No connection. Showing bills as of {time}.", time=i18n.time(vm.fetched_at)),
                              key="confirm-stale", on_retry=vm.load, retry_text=t("Try again"))], True
    return [], True


def _confirm_problems(i18n: I18n, vm, page, bill_id: str) -> list[ft.Control]:
    body = []
    if vm.in_progress_id:
        body.append(_in_progress(i18n, vm, bill_id, page, "confirm"))
    if vm.error is not None:
        body.append(error_banner(failure_text(i18n, vm.error), key="confirm-error"))
    return body


def _guided_step(i18n: I18n, step: int, title: str, body: list[ft.Control], back) -> list[ft.Control]:
    """Guided mode: "Bước k/3" above, the big Back below; the usual screens are left as they are."""
    header, back_button = step_header(i18n, step, 3, title), big_back(i18n, back, key=f"guided-back-{step}")
    return ([header] if header else []) + body + ([back_button] if back_button else [])


def _read_aloud(i18n: I18n, vm) -> list[ft.Control]:
    """Guided mode: the payee's official name and the amount, in words, read aloud once and on request."""
    if not theme.is_guided() or vm.detail is None:
        return []
    text = confirmation_sentence(i18n, vm.detail.institution.name, vm.amount + vm.fee, vm.detail.summary.invoice_code)
    return [ReadAloud(text)]


def _confirm_view(i18n: I18n, route: str, body: list[ft.Control]) -> ft.View:
    return ft.View(
        route=route,
        appbar=app_bar(i18n.t("Confirm the payment")),
        controls=[ft.Column(body, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def _summary(i18n: I18n, vm, method_text: str | None = None) -> list[ft.Control]:
    """`method_text` replaces the method line (a linked account is named by its bank and masked number)."""
    t, bill = i18n.t, vm.detail
    s = bill.summary
    rows: list[ft.Control] = [
        labelled(t("Pay to"), bill.institution.name, key="confirm-institution"),
        labelled(t("Payer"), vm.payer_name or "—", key="confirm-payer"),
        labelled(t("Beneficiary"), bill.person.full_name, key="confirm-beneficiary"),
        labelled(t("Reason"), f"{s.title} – {s.period}" if s.period else s.title, key="confirm-reason"),
        labelled(t("Invoice code"), s.invoice_code, key="confirm-invoice"),
        labelled(t("Pay from"), method_text, key="confirm-source") if method_text else
        labelled(t("Method"), f"{method_label(i18n, vm.method)} · {fee_text(i18n, vm.fee)}", key="confirm-method"),
        ft.Divider(),
        ft.Text(t("Amount"), size=theme.BODY - 2, color=theme.MUTED),
        amount_text(i18n, vm.amount + vm.fee, size=28, key="confirm-amount"),
        ft.Text(t("In words: {words}", words=amount_words(i18n, vm.amount + vm.fee)), size=theme.BODY,
                italic=True, key="confirm-amount-words"),
    ]
    if vm.fee:
        rows.insert(-2, ft.Text(t("Bill {amount} + fee {fee}", amount=i18n.money(vm.amount), fee=i18n.money(vm.fee)),
                                size=theme.BODY - 1, color=theme.MUTED, key="confirm-fee"))
    controls: list[ft.Control] = [card(rows, key="confirm-card")]
    if vm.amount + vm.fee > FACE_CHECK_OVER and vm.method in ("vietqr", "atm_card"):
        controls.append(notice_banner(t("Above 10 million đồng your bank will ask you to confirm with a face scan "
                                        "in its app. This is normal."), key="face-check"))
    return controls


@ft.component
def ConfirmLinkedScreen() -> ft.View:
    """Paying with a linked account: read everything once more, then the owner's PIN or biometrics."""
    from app.ui.security.owner_check import OwnerCheckPanel

    services = use_services()
    i18n = use_i18n()
    params = ft.use_route_params()
    bill_id, source_id = params.get("bill_id", ""), params.get("source_id", "")
    vm, _ = ft.use_state(lambda: services.confirm_linked_vm(bill_id, source_id))
    owner, _ = ft.use_state(services.security.owner_check_vm)
    ft.use_effect(vm.load, [])
    page = ft.context.page
    t = i18n.t

    async def confirmed(confirmation: str):
        payment = await vm.pay(confirmation)
        if payment is not None:
            page.navigate(payment_route(payment.bill_id, payment.id))

    usable = vm.source is not None and vm.source.usable
    body, ready = _confirm_start(i18n, vm, page, bill_id, usable, "source_not_active")
    if ready:
        body += _summary(i18n, vm, method_text=f"{vm.source.provider_name} {vm.source.account_masked} · "
                                                   f"{vm.source.holder_name}")
        body += _read_aloud(i18n, vm)
        body += _confirm_problems(i18n, vm, page, bill_id)
        if vm.blocked:
            body += [
                card([ft.Text(face_check_text(i18n, vm.blocked), size=theme.BODY, key="confirm-face-check")],
                     key="confirm-blocked", bgcolor=theme.WARNING_BG),
                primary_button(t("Pay by VietQR in my bank app"), lambda: page.navigate(confirm_route(bill_id, "vietqr")),
                               key="confirm-use-vietqr"),
            ]
        elif not vm.in_progress_id:
            if vm.asking_owner:
                body.append(section_title(t("Confirm it is you")))
                body.append(OwnerCheckPanel(owner, confirmed))
                body.append(text_button(t("Back"), vm.back_to_summary, key="confirm-owner-back",
                                        disabled=vm.running))
                if vm.running:
                    body.append(loading(t("Paying…"), key="confirm-paying"))
            else:
                body.append(primary_button(t("Confirm and pay"), vm.accept_summary, key="confirm-pay"))
                body.append(ft.Text(t("Check the institution's name and the invoice code against your paper bill "
                                      "before you pay."), size=theme.BODY - 1, color=theme.MUTED))

    body = _guided_step(i18n, 3, t("Check and confirm"), body, lambda: page.navigate(choose_method_route(bill_id)))
    return _confirm_view(i18n, ft.use_view_path() or confirm_linked_route(bill_id, source_id), body)
