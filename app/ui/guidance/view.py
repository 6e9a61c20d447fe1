"""Anti-scam guidance: a searchable list, one article per screen in large type, and the checklist."""

from __future__ import annotations

import flet as ft

from app.ui.core import theme
from app.ui.core.components import error_banner, screen, section_title, text_button, typed
from app.ui.core.failures import failure_text
from app.ui.core.i18n import I18n
from app.ui.core.routes import CHECK_ROUTE, REPORT_ROUTE
from app.ui.core.services import use_i18n, use_services
from app.ui.guidance.view_model import CHECKLIST_ROUTE, article_route
from domain.guidance import Article, bank_hotlines

def read_size() -> int:
    """Article text: larger than the rest of the app, for reading without glasses (and larger still in
    guided mode: the theme answers for the session being drawn, so this is asked at render time)."""
    return theme.BODY + 4


def heading_size() -> int:
    return theme.TITLE + 4


def _illustration(src: str, size: int) -> ft.Control:
    return ft.Image(src=src, width=size, height=size, fit=ft.BoxFit.CONTAIN, exclude_from_semantics=True)


@ft.component
def GuidanceScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.guidance_vm)
    ft.use_effect(vm.load, [])
    page = ft.context.page
    t = i18n.t
    results = vm.results(i18n.lang)

    body: list[ft.Control] = [
        ft.Text(t("Scammers pretend to be schools, hospitals and banks. Read how to recognise them, in a few "
                  "minutes. This works without an internet connection."), size=read_size() - 2),
        ft.TextField(key="guidance-search", label=t("Search the guidance"), value=vm.query,
                     prefix_icon=ft.Icons.SEARCH, text_size=read_size() - 2,
                     on_change=lambda e: vm.set_query(typed(e))),
        ft.ListTile(key="guidance-checklist", leading=_illustration(vm.guidance.checklist.illustration, 48),
                    title=ft.Text(vm.guidance.checklist.title(i18n.lang), size=read_size() - 2, weight=ft.FontWeight.W_600),
                    subtitle=ft.Text(t("A short list to read before every transfer"), size=theme.BODY),
                    trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), min_height=theme.MIN_TOUCH + 24,
                    bgcolor=theme.PRIMARY_BG, on_click=lambda: page.navigate(CHECKLIST_ROUTE)),
        ft.ListTile(key="guidance-check", leading=ft.Icon(ft.Icons.PLAGIARISM_OUTLINED, color=theme.PRIMARY, size=40),
                    title=ft.Text(t("Check an account or phone number"), size=read_size() - 2, weight=ft.FontWeight.W_600),
                    subtitle=ft.Text(t("Before you pay or call back: is it on the scam list?"), size=theme.BODY),
                    trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), min_height=theme.MIN_TOUCH + 24,
                    on_click=lambda: page.navigate(CHECK_ROUTE)),
        ft.ListTile(key="guidance-report", leading=ft.Icon(ft.Icons.FLAG_OUTLINED, color=theme.DANGER, size=40),
                    title=ft.Text(t("Report a scam"), size=read_size() - 2, weight=ft.FontWeight.W_600),
                    subtitle=ft.Text(t("A phone number, an account or a message: warn everyone else"),
                                     size=theme.BODY),
                    trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), min_height=theme.MIN_TOUCH + 24,
                    on_click=lambda: page.navigate(REPORT_ROUTE)),
    ]
    if vm.query.strip():
        body.append(ft.Text(t("{count} article(s) found", count=len(results)), size=theme.BODY,
                            color=theme.MUTED, key="guidance-result-count"))
    if not results:
        body.append(ft.Text(t("No article matches these words. Try fewer words, for example \u201cOTP\u201d."),
                            size=read_size() - 2, key="guidance-no-results"))
    for article in results:
        body.append(_article_tile(i18n, article, lambda a: page.navigate(article_route(a.id))))
    return screen(ft.use_view_path() or "/guidance", t("Beware of scams"), body)


def _article_tile(i18n: I18n, article: Article, open_article) -> ft.Control:
    text = article.text(i18n.lang)
    return ft.ListTile(
        key=f"guidance-article-{article.id}",
        leading=_illustration(article.illustration, 48),
        title=ft.Text(text.title, size=read_size() - 2, weight=ft.FontWeight.W_600),
        subtitle=ft.Text(text.summary, size=theme.BODY),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        min_height=theme.MIN_TOUCH + 24,
        on_click=lambda: open_article(article),
    )


def _blocks(article: Article, lang: str) -> list[ft.Control]:
    out: list[ft.Control] = []
    for n, block in enumerate(article.text(lang).body):
        if isinstance(block, str):
            out.append(ft.Text(block, size=read_size(), key=f"article-block-{n}"))
            continue
        out.append(ft.Column([
            ft.Row([ft.Text("\u2022", size=read_size(), weight=ft.FontWeight.BOLD),
                    ft.Text(item, size=read_size(), expand=True)], vertical_alignment=ft.CrossAxisAlignment.START)
            for item in block], spacing=8, key=f"article-block-{n}"))
    return out


def _hotlines(i18n: I18n) -> list[ft.Control]:
    t = i18n.t
    out: list[ft.Control] = [section_title(t("Bank hotlines: call to block your account"))]
    for line in bank_hotlines():
        out.append(ft.Button(t("Call {bank}: {phone}", bank=line.bank.short_name, phone=line.hotline),
                             key=f"hotline-{line.bank.bin}", icon=ft.Icons.CALL, url=f"tel:{line.dial}",
                             style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                                                  text_style=ft.TextStyle(size=theme.BODY + 1))))
    out.append(ft.Text(t("Your bank's number is also printed on the back of your card."), size=theme.BODY,
                       color=theme.MUTED))
    return out


@ft.component
def ArticleScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    article_id = ft.use_route_params().get("article_id", "")
    vm, _ = ft.use_state(lambda: services.article_vm(article_id))
    ft.use_effect(vm.load, [])
    page = ft.context.page
    t = i18n.t
    route = ft.use_view_path() or article_route(article_id)
    article = vm.article
    if article is None:
        return screen(route, t("Beware of scams"), [
            ft.Text(t("This article is not available. Go back to the list of articles."), size=read_size(),
                    key="article-missing")])
    text = article.text(i18n.lang)
    body: list[ft.Control] = [
        ft.Row([_illustration(article.illustration, 120)], alignment=ft.MainAxisAlignment.CENTER),
        ft.Text(text.title, size=heading_size(), weight=ft.FontWeight.BOLD, key="article-title"),
        ft.Text(text.summary, size=read_size(), weight=ft.FontWeight.W_600, color=theme.PRIMARY, key="article-summary"),
        *_blocks(article, i18n.lang),
    ]
    if article.hotlines:
        body += _hotlines(i18n)
    body.append(text_button(t("Before you transfer: the checklist"), lambda: page.navigate(CHECKLIST_ROUTE),
                            key="article-open-checklist"))
    body.append(ft.Divider())
    body += _feedback(i18n, vm)
    return screen(route, t("Beware of scams"), body)


def _feedback(i18n: I18n, vm) -> list[ft.Control]:
    t = i18n.t

    def answer(helpful: bool):
        async def handler(_e=None):
            await vm.send(helpful)
        return handler

    style = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=28, vertical=14),
                           text_style=ft.TextStyle(size=theme.BODY + 1, weight=ft.FontWeight.W_600))
    out: list[ft.Control] = [
        ft.Text(t("Was this article helpful?"), size=read_size(), weight=ft.FontWeight.W_600, key="feedback-question"),
        ft.Row([
            ft.OutlinedButton(t("Yes"), key="feedback-yes", icon=ft.Icons.THUMB_UP, on_click=answer(True),
                              disabled=vm.sending, style=style),
            ft.OutlinedButton(t("No"), key="feedback-no", icon=ft.Icons.THUMB_DOWN, on_click=answer(False),
                              disabled=vm.sending, style=style),
        ], wrap=True, spacing=16),
    ]
    if vm.sending:
        out.append(ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(t("Sending…"), size=theme.BODY)],
                          key="feedback-sending"))
    if vm.vote is not None and vm.failure is None:
        out.append(ft.Text(t("Thank you. Your answer helps us improve this guidance."), size=theme.BODY,
                           color=theme.OK, key="feedback-thanks"))
    if vm.failure is not None:
        out.append(error_banner(t("Your answer was not sent.") + " " + failure_text(i18n, vm.failure),
                                key="feedback-error", on_retry=vm.retry, retry_text=t("Try again")))
    return out


@ft.component
def ChecklistScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.guidance_vm)
    ft.use_effect(vm.load, [])
    t = i18n.t
    checklist = vm.guidance.checklist
    body: list[ft.Control] = [
        ft.Row([_illustration(checklist.illustration, 120)], alignment=ft.MainAxisAlignment.CENTER),
        ft.Text(checklist.title(i18n.lang), size=heading_size(), weight=ft.FontWeight.BOLD, key="checklist-title"),
        ft.Text(t("Check every line. If one is not true, stop and do not transfer."), size=read_size(),
                color=theme.DANGER, weight=ft.FontWeight.W_600),
    ]
    for n, item in enumerate(checklist.items(i18n.lang)):
        body.append(ft.Row([ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=theme.PRIMARY, size=28),
                            ft.Text(item, size=read_size(), expand=True)],
                           vertical_alignment=ft.CrossAxisAlignment.START, key=f"checklist-item-{n}"))
    return screen(ft.use_view_path() or CHECKLIST_ROUTE, t("Before you transfer"), body)
