"""Guided mode for older users, headless against the real server: the first-launch question, larger and
stronger look for this session only, "Bước k/3" with a big Back on each pay step, the help button, the
payee and amount read aloud (espeak-ng on the server), and "all done" with the receipt to send."""

from __future__ import annotations

import shutil

import pytest

from app.data.storage import MemorySettingsStore
from app.ui.core import theme
from tests.app.conftest import app_session, close_session
from tests.app.test_payment_views import _payments_of, bank_transfer, routes
from tests.app.test_views import sign_in

HOSPITAL_BILL = "VP-BN00458-2611"


class RecordingPlayer:
    """The device's audio player (flet-audio on phones): records what it was given to play."""
    available = True

    def __init__(self):
        self.played: list[bytes] = []

    async def play(self, wav: bytes) -> bool:
        self.played.append(wav)
        return True


async def test_first_launch_asks_once_and_remembers_the_answer(transport):
    store = MemorySettingsStore()
    ui = await app_session(transport, settings=store)
    try:
        await ui.wait_for(lambda: ui.has("guided-question"))
        assert not ui.has("phone")  # nothing else before the answer
        assert ui.find("guided-question").size >= 28
        await ui.click("guided-yes")
        await ui.wait_for(lambda: ui.has("phone"))
        assert store.values["dongphi.guided_mode"] == "on"
        assert theme.is_guided(ui.page)
        assert ui.page.theme.text_theme.body_medium.size == theme.GUIDED["BODY"]
    finally:
        close_session(ui)
    again = await app_session(transport, settings=store)  # the next launch on this phone
    try:
        await again.wait_for(lambda: again.has("phone"))
        assert not again.has("guided-question") and theme.is_guided(again.page)
    finally:
        close_session(again)


async def test_no_keeps_the_usual_screens(transport):
    store = MemorySettingsStore()
    ui = await app_session(transport, settings=store)
    try:
        await ui.wait_for(lambda: ui.has("guided-no"))
        await ui.click("guided-no")
        await ui.wait_for(lambda: ui.has("phone"))
        assert store.values["dongphi.guided_mode"] == "off" and not theme.is_guided(ui.page)
    finally:
        close_session(ui)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (CI installs it)")
async def test_a_guided_payment_step_by_step_read_aloud_and_all_done(transport, server):
    store = MemorySettingsStore({"dongphi.guided_mode": "on",
                                 "dongphi.guided_helper": '{"name": "Con gái Lan", "phone": "+84987654321"}'})
    player = RecordingPlayer()
    other = await app_session(transport)  # another person on the same server, not in guided mode
    ui = await app_session(transport, settings=store)
    ui.services.speech_player = player
    try:
        await sign_in(ui, server)
        assert theme.is_guided(ui.page) and not theme.is_guided(other.page)

        await ui.click(f"bill-{HOSPITAL_BILL}")
        await ui.wait_for(lambda: ui.has("guided-step-1") and ui.has("pay-bill"))
        assert ui.text_of("guided-step-1") == "Bước 1/3"
        assert ui.text_of("bill-amount-words") == "Bốn triệu sáu trăm bốn mươi nghìn đồng"  # figures and words
        assert ui.has("guided-back-1") and ui.has("help")  # the big Back, and help in the same place
        bill_id = ui.page.route.split("/")[2]

        await ui.click("pay-bill")
        await ui.wait_for(lambda: ui.has("method-vietqr"))
        assert ui.text_of("guided-step-2") == "Bước 2/3"
        await ui.click("guided-back-2")  # the big Back goes one step back, nothing else
        await ui.wait_for(lambda: routes(ui)[-1] == f"/bills/{bill_id}")
        await ui.click("pay-bill")
        await ui.wait_for(lambda: ui.has("method-vietqr"))
        await ui.click("method-vietqr")

        await ui.wait_for(lambda: ui.has("read-aloud-text") and ui.has("confirm-pay"))
        assert ui.text_of("guided-step-3") == "Bước 3/3"
        sentence = ui.text_of("read-aloud-text")
        assert "bốn triệu sáu trăm bốn mươi nghìn đồng" in sentence
        assert "Bệnh viện Đa khoa Hồng Phúc" in sentence
        await ui.wait_for(lambda: len(player.played) == 1)  # read once, unasked
        assert player.played[0].startswith(b"RIFF")
        asked = transport.requests.count("POST /speech")
        await ui.click("read-aloud-play")  # "Nghe lại"
        await ui.wait_for(lambda: len(player.played) == 2)
        assert transport.requests.count("POST /speech") == asked  # heard again without asking again
        assert ui.find("confirm-amount-words") is not None  # figures and words, as everywhere

        await ui.click("confirm-pay")
        await ui.wait_for(lambda: ui.has("payment-qr"))
        [payment] = _payments_of(server, bill_id)
        await bank_transfer(server, transport, payment.id)
        await ui.wait_for(lambda: ui.has("guided-done"), timeout=10)
        assert ui.text_of("guided-done") == "Đã thanh toán xong"
        assert ui.text_of("receipt-amount-words") == "Bốn triệu sáu trăm bốn mươi nghìn đồng"
        sms = ui.find("sms-receipt")
        assert sms.url.startswith("sms:+84987654321?body=") and "http" not in sms.url.split("body=")[1]
        share = ui.find("share-receipt")
        assert payment.reference in share.action.text and "4.640.000" in share.action.text
    finally:
        close_session(ui)
        close_session(other)


async def test_help_lists_the_chosen_relative_and_the_family_institutions(transport, server):
    store = MemorySettingsStore({"dongphi.guided_mode": "on",
                                 "dongphi.guided_helper": '{"name": "Con trai Minh", "phone": "+84987654321"}'})
    ui = await app_session(transport, settings=store)
    try:
        await sign_in(ui, server)
        await ui.click("help")
        await ui.wait_for(lambda: ui.has("help-dialog") and ui.has("help-call-helper"))
        assert ui.find("help-call-helper").url == "tel:+84987654321"
        calls = [ui.find(k) for k in ui.keys() if k.startswith("help-call-") and k != "help-call-helper"]
        assert calls and all(c.url.startswith("tel:") for c in calls)
        await ui.click("help-close")
        await ui.wait_for(lambda: not ui.find("help-dialog").open if ui.has("help-dialog") else True)
    finally:
        close_session(ui)


async def test_the_helper_must_be_a_name_and_a_vietnamese_mobile_number():
    from app.ui.guided.mode import GuidedMode
    store = MemorySettingsStore()
    mode = GuidedMode(store=store)
    assert not await mode.set_helper("Lan", "12345") and mode.helper_error == "helper_phone_invalid"
    assert not await mode.set_helper("", "0987654321") and mode.helper_error == "helper_name_missing"
    assert store.values == {}  # bad input leaves what was saved untouched
    assert await mode.set_helper(" Con gái  Lan ", "0987 654 321")
    assert (mode.helper_name, mode.helper_phone) == ("Con gái Lan", "+84987654321")
    assert await mode.set_helper("", "") and mode.helper_phone == ""


async def test_settings_switch_guided_mode_and_choose_who_to_call(ui, server):
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("guided-switch"))
    assert ui.find("guided-switch").value is False and not theme.is_guided(ui.page)
    await ui.type("guided-switch", True)
    await ui.wait_for(lambda: theme.is_guided(ui.page))
    assert ui.settings.values["dongphi.guided_mode"] == "on"
    await ui.wait_for(lambda: ui.has("help"))  # every screen now has the help button
    inactivity = ui.services.security.inactivity
    assert (inactivity.timeout, inactivity.warning_seconds) == (2 * 600, 120)  # no timer that hurries

    await ui.type("guided-helper-name", "Con gái Lan")
    await ui.type("guided-helper-phone", "12345")
    await ui.click("guided-helper-save")
    await ui.wait_for(lambda: ui.find("guided-helper-phone").error == "Đây không phải số di động Việt Nam.")
    assert "dongphi.guided_helper" not in ui.settings.values
    await ui.type("guided-helper-phone", "0987 654 321")
    await ui.click("guided-helper-save")
    await ui.wait_for(lambda: ui.has("guided-helper-saved"))
    assert '"+84987654321"' in ui.settings.values["dongphi.guided_helper"]

    await ui.type("guided-switch", False)
    await ui.wait_for(lambda: not theme.is_guided(ui.page))
    assert ui.settings.values["dongphi.guided_mode"] == "off"
    assert (inactivity.timeout, inactivity.warning_seconds) == (600, 30)
