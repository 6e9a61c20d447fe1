"""Check a phone number or an account against the register, in a headless app session against the real server.

Demo data: +84888000111 is a confirmed scam number (posing as Trường Tiểu học Hoa Sen's teacher), TPBank
(970423) 0566778899 a confirmed scam account; 970436 / 0011004123456 is Hoa Sen's collection account and
024 3825 1234 its hotline.
"""

from __future__ import annotations

from tests.app.test_views import sign_in


async def open_check(ui, server):
    await sign_in(ui, server)
    await ui.click("home-check")
    await ui.wait_for(lambda: ui.has("check-phone"))


async def check_phone(ui, phone: str):
    await ui.type("check-phone", phone)
    await ui.click("check-submit")


async def choose_mode(ui, mode: str):
    ui.session.apply_patch(ui.find("check-mode")._i, {"value": mode})
    await ui.fire("check-mode", "change", mode)


async def check_account(ui, bank_query: str, bank_bin: str, account: str):
    await choose_mode(ui, "account")
    await ui.wait_for(lambda: ui.has("check-bank-search"))
    await ui.type("check-bank-search", bank_query)
    await ui.click(f"check-bank-{bank_bin}")
    await ui.type("check-account", account)
    await ui.click("check-submit")


async def test_a_confirmed_scam_number_gets_the_red_stop(ui, server):
    await open_check(ui, server)
    assert ui.find("check-phone").label == "Số điện thoại"
    await check_phone(ui, "0888 000 111")
    await ui.wait_for(lambda: ui.has("check-stop"))
    assert ui.text_of("check-stop") == "Dừng lại! Đây là số điện thoại của kẻ lừa đảo."
    assert ui.text_of("check-subject") == "0888 000 111"
    assert "Cúp máy" in ui.text_of("check-stop-first")
    assert ui.text_of("check-impersonated") == "Kẻ gian đã dùng số này để giả danh Trường Tiểu học Hoa Sen."
    assert ui.find("check-call-hotline").url == "tel:02438251234"
    assert ui.has("check-as-of") and not ui.has("check-offline")
    await ui.click("check-article")
    await ui.wait_for(lambda: ui.page.route == "/guidance/fake-teacher")


async def test_the_stop_leads_to_a_report_with_the_number_filled_in(ui, server):
    await open_check(ui, server)
    await check_phone(ui, "+84888000111")
    await ui.wait_for(lambda: ui.has("check-report"))
    await ui.click("check-report")
    await ui.wait_for(lambda: ui.has("report-send"))
    assert ui.page.route == "/check/report"
    assert ui.find("report-phone").value == "0888 000 111"
    assert ui.find("report-where").value == "phone_call"
    await ui.back()
    await ui.wait_for(lambda: ui.has("check-stop"))  # the result is still there


async def test_a_flagged_account_gets_the_red_stop(ui, server):
    await open_check(ui, server)
    await check_account(ui, "tpbank", "970423", "0566 778 899")
    await ui.wait_for(lambda: ui.has("check-stop"))
    assert ui.text_of("check-stop") == "Dừng lại! Tài khoản này đã được xác nhận là của kẻ lừa đảo."
    assert ui.text_of("check-subject") == "TPBank · 0566778899"
    assert "Bệnh viện Đa khoa Hồng Phúc" in ui.text_of("check-impersonated")
    await ui.click("check-article")
    await ui.wait_for(lambda: ui.page.route == "/guidance/emergency-call")


async def test_an_institution_account_is_shown_as_verified(ui, server):
    await open_check(ui, server)
    await check_account(ui, "970436", "970436", "0011004123456")
    await ui.wait_for(lambda: ui.has("check-verified"))
    assert ui.text_of("check-institution") == "Trường Tiểu học Hoa Sen"
    assert not ui.has("check-stop") and not ui.has("check-not-listed")


async def test_an_institution_hotline_is_shown_as_official(ui, server):
    await open_check(ui, server)
    await check_phone(ui, "024 3825 1234")
    await ui.wait_for(lambda: ui.has("check-verified"))
    assert ui.text_of("check-institution") == "Trường Tiểu học Hoa Sen"
    assert "giả mạo số" in ui.text_of("check-verified-help")


async def test_an_unknown_number_is_not_in_the_register_which_proves_nothing(ui, server):
    await open_check(ui, server)
    await check_phone(ui, "0977 123 456")
    await ui.wait_for(lambda: ui.has("check-not-listed"))
    assert "không chứng minh là an toàn" in ui.text_of("check-not-listed-help")
    await ui.click("check-again")
    await ui.wait_for(lambda: ui.has("check-phone"))
    assert ui.find("check-phone").value == "0977 123 456"  # kept, to correct a digit
    await choose_mode(ui, "account")
    await ui.type("check-bank-search", "vietcombank")
    await ui.click("check-bank-970436")
    await ui.type("check-account", "1234567890")
    await ui.click("check-submit")
    await ui.wait_for(lambda: ui.has("check-not-listed"))
    await ui.click("check-checklist")
    await ui.wait_for(lambda: ui.page.route == "/guidance/checklist")


async def test_typing_mistakes_are_explained_before_checking(ui, server):
    await open_check(ui, server)
    await ui.click("check-submit")
    assert ui.find("check-phone").error == "Hãy nhập số điện thoại cần kiểm tra."
    await check_phone(ui, "12345")
    assert ui.find("check-phone").error.startswith("Đây không phải số điện thoại hợp lệ.")
    await choose_mode(ui, "account")
    await ui.wait_for(lambda: ui.has("check-account"))
    await ui.type("check-account", "0566778899")
    await ui.click("check-submit")
    assert ui.find("check-bank-search").error == "Hãy chọn ngân hàng của tài khoản này."
    await ui.type("check-bank-search", "zzzz")
    assert ui.has("check-bank-none")
    await ui.type("check-bank-search", "tpbank")
    await ui.click("check-bank-970423")
    assert ui.text_of("check-bank-chosen") == "TPBank · BIN 970423"
    await ui.type("check-account", "12ab")
    await ui.click("check-submit")
    assert ui.find("check-account").error == "Số tài khoản có từ 6 đến 19 chữ số. Hãy kiểm tra lại."
    assert not ui.has("check-stop")


async def test_offline_the_copy_on_the_phone_is_used_and_its_age_shown(ui, server, transport):
    await open_check(ui, server)
    await check_phone(ui, "0977 123 456")  # the register is fetched and kept on the device
    await ui.wait_for(lambda: ui.has("check-not-listed"))
    await ui.click("check-again")
    transport.online = False
    await ui.type("check-phone", "0888000111")
    await ui.click("check-submit")
    await ui.wait_for(lambda: ui.has("check-stop"))
    assert ui.text_of("check-offline-text").startswith("Không có kết nối: đã kiểm tra theo danh sách cảnh báo")
    assert "2026" in ui.text_of("check-offline-text")


async def test_offline_with_no_copy_says_so(ui, server, transport):
    await open_check(ui, server)
    ui.services.registry._copy = None
    ui.settings.values.pop("dongphi.registry", None)
    transport.online = False
    await check_phone(ui, "0888 000 111")
    await ui.wait_for(lambda: ui.has("check-error"))
    assert "Máy chưa có danh sách cảnh báo" in ui.text_of("check-error-text")
    assert not ui.has("check-stop")


async def test_reachable_from_the_guidance_and_the_scan_screen(ui, server):
    await sign_in(ui, server)
    await ui.click("home-guidance")
    await ui.wait_for(lambda: ui.has("guidance-check"))
    await ui.click("guidance-check")
    await ui.wait_for(lambda: ui.has("check-phone"))
    assert ui.page.route == "/check"
    await ui.back()
    await ui.wait_for(lambda: ui.has("home-scan"))
    await ui.click("home-scan")
    await ui.wait_for(lambda: ui.has("scan-open-check"))
    await ui.click("scan-open-check")
    await ui.wait_for(lambda: ui.has("check-phone"))
