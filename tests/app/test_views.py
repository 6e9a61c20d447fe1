"""Views in a headless Flet session, wired to the real server app."""

from __future__ import annotations

from tests.app.conftest import QUIET, latest_code


async def sign_in(ui, server, phone="0912 345 678", home=True):
    """`home=False`: the routed screen shown after signing in need not be home (a link opened first)."""
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", phone)
    await ui.click("send-code")
    await ui.wait_for(lambda: ui.has("code"))
    await ui.type("code", latest_code(server))
    await ui.click("verify-code")
    await reach_home(ui, home=home)


APP_PIN = "480275"


async def reach_home(ui, pin: str = APP_PIN, home: bool = True):
    """After sign-in: a first-time user chooses the app PIN (twice), then sees the home screen."""
    await ui.wait_for(lambda: ui.has("total-due") or ui.has("setup-pin"))
    if ui.has("setup-pin"):
        for _ in range(2):
            await ui.type("setup-pin", pin)
            await ui.click("setup-next")
    if home:
        await ui.wait_for(lambda: ui.has("total-due"))


async def test_sign_in_screen_is_vietnamese_and_labelled(ui):
    await ui.wait_for(lambda: ui.has("phone"))
    assert ui.find("phone").label == "Số điện thoại"
    assert ui.find("send-code").content == "Nhận mã xác thực"


async def test_invalid_phone_shows_a_specific_message_without_calling_the_server(ui, server):
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", "0212345678")  # a landline: ten digits, not a mobile
    await ui.click("send-code")
    assert "Số điện thoại chưa đúng" in ui.text_of("sign-in-error-text")
    assert not server.state.settings.sms_outbox.exists()


async def test_submit_uses_what_the_field_shows_when_the_last_change_event_was_lost(ui, server):
    """Flutter web can drop a change event yet still patch the value: the tap must send the shown text."""
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", "0912 345 67")
    ui.session.apply_patch(ui.find("phone")._i, {"value": "0912 345 678"})  # no change event follows
    await ui.click("send-code")
    await ui.wait_for(lambda: ui.has("code"))
    assert "0912 345 678" in ui.text_of("code-sent-to")
    code = latest_code(server)
    await ui.type("code", code[:5])
    ui.session.apply_patch(ui.find("code")._i, {"value": code})
    await ui.click("verify-code")
    await reach_home(ui)


async def test_enter_submits_the_text_sent_with_it(ui, server):
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", "0912")
    await ui.fire("phone", "submit", "0912345678")
    await ui.wait_for(lambda: ui.has("code"))


async def test_wrong_code_says_how_many_tries_are_left(ui, server):
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", "0912345678")
    await ui.click("send-code")
    await ui.wait_for(lambda: ui.has("code"))
    assert "0912 345 678" in ui.text_of("code-sent-to")
    wrong = "000000" if latest_code(server) != "000000" else "111111"
    await ui.type("code", wrong)
    await ui.click("verify-code")
    await ui.wait_for(lambda: ui.has("sign-in-error-text"))
    assert ui.text_of("sign-in-error-text") == "Mã chưa đúng. Bạn còn 4 lần thử."


async def test_family_bills_grouped_with_total_and_overdue(ui, server):
    await sign_in(ui, server)
    assert ui.text_of("total-due") == "9.894.520\u00a0₫"
    assert ui.text_of("overdue-count") == "1 hoá đơn quá hạn"
    assert ui.text_of("greeting") == "Xin chào, Nguyễn Thị Lan"
    texts = ui.texts()
    for name in ("Trần Minh An", "Trần Bảo Ngọc", "Nguyễn Văn Hùng"):
        assert name in texts
    assert "Quá hạn từ 19/11/2026" in texts
    assert "Đã đóng 1.000.000\u00a0₫" in texts
    # Tokens go to the token store, never to preferences.
    assert await ui.tokens.read() and not any("token" in k for k in ui.conn.prefs)


async def test_open_a_bill_then_go_back(ui, server):
    await sign_in(ui, server)
    await ui.click("bill-VP-BN00458-2611")
    await ui.wait_for(lambda: ui.has("invoice-code"))
    assert [v.route for v in ui.views()] == ["/", f"/bills/{ui.page.route.split('/')[-1]}"]
    assert ui.text_of("invoice-code") == "VP-BN00458-2611"
    assert ui.text_of("institution-name") == "Bệnh viện Đa khoa Hồng Phúc"
    assert ui.text_of("bill-amount-due") == "4.640.000\u00a0₫"
    assert ui.text_of("support-name") == "Phòng Tài chính – Kế toán (chị Hoa)"
    await ui.click("call-support")
    assert ui.conn.launched == ["tel:02223856790"]
    await ui.back()
    assert [v.route for v in ui.views()] == ["/"]


async def test_offline_shows_last_list_with_its_time_and_a_retry(ui, server, transport):
    await sign_in(ui, server)
    transport.online = False
    await ui.click("reload")
    await ui.wait_for(lambda: ui.has("stale-notice"))
    assert ui.text_of("stale-notice-text").startswith("Không có kết nối. Đang hiển thị dữ liệu cập nhật lúc ")
    assert ui.text_of("total-due") == "9.894.520\u00a0₫"
    transport.online = True
    await ui.click("stale-notice-retry")
    await ui.wait_for(lambda: not ui.has("stale-notice"))
    assert ui.has("updated-at")


async def test_switch_to_english_and_sign_out(ui, server):
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("language"))
    await ui.type("language", "en")  # what the client does: set the value, then fire change
    await ui.wait_for(lambda: ui.find("sign-out").content == "Sign out")
    assert ui.settings.values["dongphi.lang"] == "en"
    assert ui.page.locale_configuration.current_locale.language_code == "en"
    await ui.click("sign-out")
    await ui.wait_for(lambda: ui.has("phone"))
    assert ui.find("phone").label == "Mobile number"
    assert await ui.tokens.read() is None


async def test_expired_session_returns_to_sign_in_with_a_reason(ui, server):
    await sign_in(ui, server)
    await ui.tokens.write("revoked-or-expired")
    await ui.click("reload")
    await ui.wait_for(lambda: ui.has("session-notice"))
    assert ui.text_of("session-notice-text") == "Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại."


async def test_saved_language_is_used_at_start(transport):
    from app.data.storage import MemorySettingsStore, MemoryTokenStore
    from app.main import start
    from tests.app.flet_harness import Harness
    h = Harness()
    try:
        await start(h.page, tokens=MemoryTokenStore(), settings=MemorySettingsStore({"dongphi.lang": "en", "dongphi.guided_mode": "off"}),
                    api_base_url="http://testserver", transport=transport, live=QUIET)
        await h.wait_for(lambda: h.has("phone"))
        assert h.find("phone").label == "Mobile number"
        assert h.page.locale_configuration.current_locale.language_code == "en"
    finally:
        h.close()
