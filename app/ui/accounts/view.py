"""Linked accounts: the list, choosing a bank or wallet, its number, and waiting for the consent."""

from __future__ import annotations

import flet as ft

from app.data.api import ApiFailure
from app.models import PaymentSource
from app.ui.accounts.view_model import provider_name
from app.ui.core import theme
from app.ui.core.components import (card, error_banner, labelled, loading, notice_banner, primary_button, screen,
                                    text_button, typed)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import I18n
from app.ui.core.routes import (ACCOUNTS_ROUTE, account_number_route, choose_provider_route, link_progress_route)
from app.ui.core.services import use_i18n, use_services


def source_title(i18n: I18n, source: PaymentSource) -> str:
    """"Vietcombank •••• 6789": what the payer recognises, and all the app ever knows of the number."""
    return f"{source.provider_name} {source.account_masked}".strip()


def _status_line(i18n: I18n, source: PaymentSource) -> ft.Control | None:
    t = i18n.t
    texts = {
        "needs_name_confirmation": (t("The name on this account is not yours: confirm it before paying with it."),
                                    theme.WARNING_TEXT),
        "expired": (t("The link has expired. Link it again to pay with it."), theme.WARNING_TEXT),
        "revoked": (t("The bank or wallet ended this link. Link it again to pay with it."), theme.DANGER),
    }
    if source.status in texts:
        text, color = texts[source.status]
        return ft.Text(text, size=theme.BODY - 1, color=color, key=f"source-status-{source.id}")
    if source.is_default:
        return ft.Text(t("Used first when you pay"), size=theme.BODY - 1, color=theme.OK,
                       key=f"source-default-{source.id}")
    return None


def _source_card(i18n: I18n, vm, source: PaymentSource, page) -> ft.Control:
    t = i18n.t
    busy = vm.busy_id == source.id
    rows: list[ft.Control] = [
        ft.Row([ft.Icon(ft.Icons.ACCOUNT_BALANCE if source.kind == "bank" else ft.Icons.ACCOUNT_BALANCE_WALLET,
                        color=theme.PRIMARY),
                ft.Text(source_title(i18n, source), size=theme.BODY + 1, weight=ft.FontWeight.W_600, expand=True,
                        key=f"source-title-{source.id}")]),
        labelled(t("Account holder"), source.holder_name or "—", key=f"source-holder-{source.id}"),
    ]
    if source.linked_at is not None:
        rows.append(ft.Text(t("Linked on {date}", date=i18n.moment(source.linked_at)), size=theme.BODY - 1,
                            color=theme.MUTED))
    if (status := _status_line(i18n, source)) is not None:
        rows.append(status)

    async def relink():
        link = await vm.relink(source.id)
        if link is not None:
            page.navigate(link_progress_route(link.id))

    # Real coroutine functions: Flet awaits only handlers that are async themselves.
    async def confirm_name():
        await vm.confirm_name(source.id)

    async def make_default():
        await vm.make_default(source.id)

    async def unlink():
        await vm.unlink(source.id)

    actions: list[ft.Control] = []
    if source.status == "needs_name_confirmation":
        actions.append(text_button(t("It is my account"), confirm_name,
                                   key=f"source-confirm-name-{source.id}", disabled=busy))
    if source.needs_relink:
        actions.append(text_button(t("Link again"), relink, key=f"source-relink-{source.id}", disabled=busy))
    if source.usable and not source.is_default:
        actions.append(text_button(t("Use first"), make_default,
                                   key=f"source-default-btn-{source.id}", disabled=busy))
    if vm.confirm_unlink_id == source.id:
        rows.append(ft.Text(t("Remove {account}? You can link it again later.", account=source_title(i18n, source)),
                            size=theme.BODY, weight=ft.FontWeight.W_600, key=f"source-unlink-question-{source.id}"))
        actions += [text_button(t("Yes, remove it"), unlink, key=f"source-unlink-yes-{source.id}",
                                disabled=busy),
                    text_button(t("Keep it"), lambda: vm.ask_unlink(None), key=f"source-unlink-no-{source.id}")]
    else:
        actions.append(text_button(t("Remove"), lambda: vm.ask_unlink(source.id), key=f"source-unlink-{source.id}",
                                   disabled=busy))
    rows.append(ft.Row(actions, wrap=True, spacing=4))
    return card(rows, key=f"source-{source.id}")


@ft.component
def AccountsScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.accounts_vm)
    use_load_when_shown(vm.load, vm.sources is not None)
    page = ft.context.page
    t = i18n.t

    body: list[ft.Control] = [
        ft.Text(t("Pay in one step with an account you link here. You approve the link on your bank's or wallet's "
                  "own page; Đóng Phí never sees your password or OTP, and never holds your money."),
                size=theme.BODY),
    ]
    if vm.error is not None:
        body.append(error_banner(failure_text(i18n, vm.error), key="accounts-error", on_retry=vm.load,
                                 retry_text=t("Try again")))
    if vm.sources is None:
        if vm.error is None:
            body.append(loading(t("Loading your linked accounts…"), key="accounts-loading"))
    elif not vm.sources:
        body.append(ft.Text(t("No account is linked yet."), size=theme.BODY, key="accounts-empty"))
    else:
        body += [_source_card(i18n, vm, s, page) for s in vm.sources]
    body += [
        primary_button(t("Link a bank account"), lambda: page.navigate(choose_provider_route("bank")),
                       key="link-bank"),
        primary_button(t("Link an e-wallet"), lambda: page.navigate(choose_provider_route("wallet")),
                       key="link-wallet"),
    ]
    return screen(ft.use_view_path() or ACCOUNTS_ROUTE, t("Linked accounts"), body)


@ft.component
def ChooseProviderScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    kind = ft.use_route_params().get("kind", "bank")
    vm, _ = ft.use_state(lambda: services.choose_provider_vm(kind))
    page = ft.context.page
    t = i18n.t

    def go(provider: str):
        page.navigate(account_number_route(kind, provider))

    body: list[ft.Control] = [ft.TextField(
        key="provider-search", label=t("Search by name or BIN") if kind == "bank" else t("Search"),
        value=vm.query, on_change=lambda e: vm.search(typed(e)), prefix_icon=ft.Icons.SEARCH,
        text_size=theme.BODY + 1, autofocus=True)]
    if kind == "wallet":
        items = [(w.id, w.name, t("Mobile Money") if w.mobile_money else t("E-wallet")) for w in vm.wallets]
    else:
        items = [(b.bin, b.short_name, f"{b.code} · BIN {b.bin}") for b in vm.banks]
    if not items:
        body.append(ft.Text(t("Nothing matches \u201c{query}\u201d.", query=vm.query), size=theme.BODY,
                            key="provider-none"))
    body += [ft.ListTile(key=f"provider-{pid}", title=ft.Text(name, size=theme.BODY + 1, weight=ft.FontWeight.W_600),
                         subtitle=ft.Text(sub, size=theme.BODY - 1, color=theme.MUTED),
                         trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), on_click=lambda _e, pid=pid: go(pid),
                         min_height=theme.MIN_TOUCH)
             for pid, name, sub in items[:80]]
    title = t("Choose your bank") if kind == "bank" else t("Choose your e-wallet")
    return screen(ft.use_view_path() or choose_provider_route(kind), title, body)


@ft.component
def AccountNumberScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    params = ft.use_route_params()
    kind, provider = params.get("kind", "bank"), params.get("provider", "")
    vm, _ = ft.use_state(lambda: services.account_number_vm(kind, provider))
    page = ft.context.page
    t = i18n.t
    name = provider_name(kind, provider)

    async def start():
        link = await vm.start()
        if link is not None:
            page.navigate(link_progress_route(link.id))

    wallet = kind == "wallet"
    label = t("Phone number of your {wallet} wallet", wallet=name) if wallet else t("Account number at {bank}",
                                                                                      bank=name)
    body: list[ft.Control] = [
        ft.Text(name, size=theme.BODY + 4, weight=ft.FontWeight.BOLD, key="link-provider-name"),
        ft.TextField(key="link-number", label=label, value=vm.number, on_change=lambda e: vm.type_number(typed(e)),
                     on_submit=start, keyboard_type=ft.KeyboardType.PHONE if wallet else ft.KeyboardType.NUMBER,
                     text_size=theme.BODY + 2, autofocus=True,
                     error=failure_text(i18n, ApiFailure(vm.problem)) if vm.problem else None),
        ft.Text(t("Next, {provider} shows its own page to approve the link, usually with a one-time code. "
                  "Never tell that code to anyone, including Đóng Phí staff.", provider=name),
                size=theme.BODY - 1, color=theme.MUTED),
    ]
    if vm.error is not None:
        body.append(error_banner(failure_text(i18n, vm.error), key="link-error"))
    body.append(primary_button(t("Continue to {provider}", provider=name), start, key="link-start", busy=vm.running))
    return screen(ft.use_view_path() or account_number_route(kind, provider), t("Link an account"), body)


@ft.component
def LinkProgressScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    link_id = ft.use_route_params().get("link_id", "")
    vm, _ = ft.use_state(lambda: services.link_progress_vm(link_id))
    ft.use_effect(vm.start, [], cleanup=vm.stop)
    page = ft.context.page
    t = i18n.t
    link = vm.link

    async def remove():
        if await vm.remove():
            page.navigate(ACCOUNTS_ROUTE)

    body: list[ft.Control] = []
    if link is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="link-progress-error", on_retry=vm.refresh,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading…"), key="link-progress-loading"))
        return screen(ft.use_view_path() or link_progress_route(link_id), t("Link an account"), body)

    body.append(ft.Text(f"{link.provider_name} {link.account_masked}", size=theme.BODY + 3,
                        weight=ft.FontWeight.BOLD, key="link-progress-account"))
    if vm.error is not None:
        body.append(notice_banner(failure_text(i18n, vm.error), key="link-progress-offline", on_retry=vm.refresh,
                                  retry_text=t("Check again")))
    if link.pending:
        body += [
            loading(t("Waiting for {provider} to confirm…", provider=link.provider_name), key="link-waiting"),
            ft.Text(t("Approve the link on {provider}'s page that has opened, then come back here.",
                      provider=link.provider_name), size=theme.BODY),
            primary_button(t("Open {provider}'s page again", provider=link.provider_name), vm.open_consent,
                           key="link-open-consent"),
            text_button(t("Check now"), vm.refresh, key="link-check-now"),
        ]
    elif link.state == "approved" and link.source is not None:
        source = link.source
        if vm.needs_name_confirmation:
            user = services.session.user
            body += [
                card([
                    ft.Text(t("The name on this account is different from yours"), size=theme.BODY + 1,
                            weight=ft.FontWeight.BOLD, color=theme.WARNING_TEXT, key="link-name-mismatch"),
                    labelled(t("Name at {provider}", provider=link.provider_name), source.holder_name,
                             key="link-holder-name"),
                    labelled(t("Your name in Đóng Phí"), (user.full_name if user else "") or "—"),
                    ft.Text(t("Only link an account that is yours or that its owner lets you use. "
                              "If someone asked you to link their account, stop: this is a common scam."),
                            size=theme.BODY),
                ], key="link-mismatch-card", bgcolor=theme.WARNING_BG),
                primary_button(t("It is my account, use it"), vm.confirm_name, key="link-confirm-name",
                               busy=vm.confirming),
                text_button(t("Not mine: remove it"), remove, key="link-not-mine", disabled=vm.confirming),
            ]
        else:
            body += [
                ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE, color=theme.OK, size=36),
                        ft.Text(t("Linked"), size=theme.BODY + 4, weight=ft.FontWeight.BOLD, color=theme.OK,
                                key="link-done")]),
                labelled(t("Account holder"), source.holder_name, key="link-holder-name"),
                ft.Text(t("You can now pay bills with this account in one step, after your PIN."), size=theme.BODY),
                primary_button(t("Done"), lambda: page.navigate(ACCOUNTS_ROUTE), key="link-finish"),
            ]
    else:
        text = {"declined": t("The link was declined on {provider}'s page. Nothing was linked.",
                              provider=link.provider_name),
                "expired": t("The time to approve the link ran out. Nothing was linked. You can start again.")}
        body += [
            ft.Row([ft.Icon(ft.Icons.ERROR_OUTLINE, color=theme.DANGER, size=32),
                    ft.Text(text.get(link.state, t("The link did not go through.")), size=theme.BODY + 1,
                            color=theme.DANGER, expand=True, key="link-failed")]),
            primary_button(t("Back to linked accounts"), lambda: page.navigate(ACCOUNTS_ROUTE), key="link-back"),
        ]
    return screen(ft.use_view_path() or link_progress_route(link_id), t("Link an account"), body)
