"""Guidance in a headless app session against the real server: offline reading, search, newer copies, votes."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from app.data.api import ApiClient
from app.data.guidance import CACHE_KEY, GuidanceRepository
from app.data.storage import MemorySettingsStore
from app.ui.guidance.view_model import ArticleViewModel
from domain.guidance import bundled, bundled_text
from server.guidance.models import GuidanceFeedback
from tests.app.conftest import app_session, close_session
from tests.app.test_views import sign_in


async def open_guidance(ui, server, *, offline_after_sign_in=False, transport=None):
    await sign_in(ui, server)
    if offline_after_sign_in:
        transport.online = False
    await ui.click("home-guidance")
    await ui.wait_for(lambda: ui.has("guidance-search"))


def shown_articles(ui) -> list[str]:
    return [k.removeprefix("guidance-article-") for k in ui.keys() if k.startswith("guidance-article-")]


async def test_every_article_and_the_checklist_render_offline_in_both_languages(ui, server, transport):
    await open_guidance(ui, server, offline_after_sign_in=True, transport=transport)
    assert ui.find("guidance-search").label == "Tìm trong hướng dẫn"
    for lang in ("vi", "en"):
        ui.services.i18n.set_lang(lang)
        await ui.settle()
        assert shown_articles(ui) == [a.id for a in bundled().articles]
        for article in bundled().articles:
            text = article.texts[lang]
            await ui.click(f"guidance-article-{article.id}")
            await ui.wait_for(lambda: ui.has("article-title"))
            assert ui.text_of("article-title") == text.title and ui.text_of("article-summary") == text.summary
            assert ui.has(f"article-block-{len(text.body) - 1}") and ui.has("feedback-yes")
            assert ui.has("hotline-970436") == article.hotlines
            await ui.back()
            await ui.wait_for(lambda: ui.has("guidance-search"))
        await ui.click("guidance-checklist")
        await ui.wait_for(lambda: ui.has("checklist-title"))
        assert ui.text_of("checklist-title") == bundled().checklist.title(lang)
        assert ui.has(f"checklist-item-{len(bundled().checklist.items(lang)) - 1}")
        await ui.back()
        await ui.wait_for(lambda: ui.has("guidance-search"))


async def test_search_finds_articles_with_and_without_diacritics(ui, server):
    await open_guidance(ui, server)
    await ui.type("guidance-search", "otp")
    assert shown_articles(ui)[0] == "otp-phishing" and "emergency-call" not in shown_articles(ui)
    await ui.type("guidance-search", "cap cuu")
    assert shown_articles(ui) == ["emergency-call"]
    await ui.type("guidance-search", "cấp cứu")
    assert shown_articles(ui) == ["emergency-call"]
    await ui.type("guidance-search", "xyzzy")
    assert shown_articles(ui) == [] and ui.has("guidance-no-results")
    await ui.type("guidance-search", "OTP")
    await ui.click("guidance-article-otp-phishing")
    await ui.wait_for(lambda: ui.has("article-title"))
    assert ui.text_of("article-title") == "Lừa lấy mã OTP"


async def test_scammed_article_lists_bank_hotlines_to_call(ui, server):
    await open_guidance(ui, server)
    await ui.click("guidance-article-if-scammed")
    await ui.wait_for(lambda: ui.has("hotline-970436"))
    button = ui.find("hotline-970436")
    assert button.url == "tel:1900545413" and "Vietcombank" in button.content and "1900 545413" in button.content


def newer_document(version: int) -> dict:
    doc = json.loads(bundled_text())
    doc["version"] = version
    doc["articles"][0]["vi"]["title"] = "Bản mới: giáo viên giả đòi tiền"
    return doc


async def test_a_newer_server_version_replaces_the_bundled_one_and_is_kept_offline(server, transport, tmp_path):
    path = tmp_path / "guidance.json"
    path.write_text(json.dumps(newer_document(bundled().version + 1), ensure_ascii=False), encoding="utf-8")
    server.state.settings = server.state.settings.model_copy(update={"guidance_file": path})
    ui = await app_session(transport)
    try:
        await open_guidance(ui, server)
        await ui.wait_for(lambda: "Bản mới: giáo viên giả đòi tiền" in ui.texts())
        saved = json.loads(await ui.settings.get(CACHE_KEY))
        assert saved["body"]["version"] == bundled().version + 1 and saved["etag"]
        settings = ui.settings
    finally:
        close_session(ui)
    # Next start, offline: the kept copy, not the bundled one.
    transport.online = False
    api = ApiClient("http://testserver", lambda: asyncio.sleep(0, None), transport=transport, backoff=0)
    repo = GuidanceRepository(api, settings)
    copy = await repo.current()
    assert copy.guidance.version == bundled().version + 1 and copy.failure is not None
    # Online again and unchanged: a 304, nothing downloaded twice.
    transport.online = True
    before = len(transport.requests)
    assert (await repo.current()).guidance.version == bundled().version + 1
    assert transport.requests[before:] == ["GET /guidance"]
    await api.aclose()


async def test_an_older_or_broken_server_copy_never_replaces_a_newer_one(server, transport):
    api = ApiClient("http://testserver", lambda: asyncio.sleep(0, None), transport=transport, backoff=0)
    store = MemorySettingsStore({CACHE_KEY: json.dumps({"etag": "x", "body": newer_document(bundled().version + 5)})})
    repo = GuidanceRepository(api, store)
    copy = await repo.current()  # the server serves the bundled version: older than the one kept
    assert copy.guidance.version == bundled().version + 5 and copy.failure is None
    store_broken = MemorySettingsStore({CACHE_KEY: "{not json"})
    assert (await GuidanceRepository(api, store_broken).current()).guidance.version == bundled().version
    await api.aclose()


async def test_was_this_helpful_is_stored_and_a_failure_can_be_retried(ui, server, transport):
    await open_guidance(ui, server)
    await ui.click("guidance-article-otp-phishing")
    await ui.wait_for(lambda: ui.has("feedback-question"))
    assert ui.text_of("feedback-question") == "Bài này có giúp ích không?"
    assert ui.find("feedback-yes").content == "Có" and ui.find("feedback-no").content == "Không"
    transport.online = False
    await ui.click("feedback-no")
    await ui.wait_for(lambda: ui.has("feedback-error"))
    assert not ui.has("feedback-thanks")
    transport.online = True
    await ui.click("feedback-error-retry")
    await ui.wait_for(lambda: ui.has("feedback-thanks"))
    await ui.click("feedback-yes")  # changing the answer updates the one vote
    with server.state.session_factory() as db:
        votes = db.scalars(select(GuidanceFeedback)).all()
    assert [(v.article_id, v.helpful) for v in votes] == [("otp-phishing", True)]


async def test_double_taps_send_one_vote(ui, server, transport):
    await sign_in(ui, server)
    vm = ui.services.article_vm("qr-stickers")
    before = len(transport.keys)
    await asyncio.gather(vm.send(True), vm.send(True), vm.send(False))
    assert len(transport.keys) - before == 1 and vm.vote is True and not vm.sending
    unknown = ArticleViewModel(repository=ui.services.guidance, guidance=bundled(), article_id="nope")
    await unknown.send(True)
    assert len(transport.keys) - before == 1


async def test_settings_opens_the_guidance_too(ui, server):
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("open-guidance"))
    await ui.click("open-guidance")
    await ui.wait_for(lambda: ui.has("guidance-search"))
    assert ui.page.route == "/guidance"
