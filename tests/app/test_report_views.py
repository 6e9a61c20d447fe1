"""Report a scam, in a headless app session against the real server: each field, the checks before
sending, a retry after a lost answer, the thank-you, "My reports", and a confirmed report reaching the register."""

from __future__ import annotations

import base64
import io

import qrcode
from sqlalchemy import select

from domain.vietqr import build
from server.fraud.models import FraudReport
from tests.app.test_register_views import check_phone
from tests.app.test_scan_views import open_scan, paste
from tests.app.test_views import sign_in


def png(text: str = "screenshot") -> bytes:
    out = io.BytesIO()
    qrcode.make(text).get_image().save(out, "PNG")
    return out.getvalue()


def reports(server) -> list[FraudReport]:
    with server.state.session_factory() as db:
        return list(db.scalars(select(FraudReport).order_by(FraudReport.created_at)))


async def open_report(ui, server):
    await sign_in(ui, server)
    await ui.click("home-guidance")
    await ui.wait_for(lambda: ui.has("guidance-report"))
    await ui.click("guidance-report")
    await ui.wait_for(lambda: ui.has("report-send"))
    assert ui.page.route == "/report"


async def pick(ui, data: bytes, name: str = "tin-nhan.png"):
    """What the client sends after the person chose a screenshot in the picker."""
    picker = ui.find("report-pick-image").action.file_picker
    await ui.session.dispatch_event(picker._i, "result",
                                    {"files": [{"id": 0, "name": name, "size": len(data), "bytes": data}]})
    await ui.settle()


async def where(ui, value: str):
    ui.session.apply_patch(ui.find("report-where")._i, {"value": value})
    await ui.fire("report-where", "change", value)


async def choose_bank(ui, query: str, bank_bin: str):
    await ui.type("report-bank-search", query)
    await ui.click(f"report-bank-{bank_bin}")


async def test_report_with_every_field_and_a_screenshot(ui, server):
    await open_report(ui, server)
    assert ui.text_of("report-private") == "Người bị bạn báo cáo không bao giờ biết ai đã báo cáo."
    await ui.type("report-phone", "0977 111 222")
    await choose_bank(ui, "vpbank", "970432")
    assert ui.text_of("report-bank-chosen") == "VPBank · BIN 970432"
    await ui.type("report-account", "1234 5678 90")
    await ui.type("report-message", "Cô giáo lớp 2A đây, phụ huynh chuyển học phí vào tài khoản này giúp cô nhé.")
    shot = png()
    await pick(ui, shot)
    assert ui.text_of("report-image-chosen").startswith("Đã đính kèm ảnh: tin-nhan.png")
    await where(ui, "chat")
    await ui.type("report-note", "Họ nhắn qua Zalo tối qua")
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-thanks"))
    assert ui.text_of("report-anonymous") == "Người bị bạn báo cáo không bao giờ biết ai đã báo cáo."
    assert "danh sách cảnh báo" in ui.text_of("report-next")
    [r] = reports(server)
    assert (r.phone, r.bank_bin, r.account_number, r.seen_at, r.status) == (
        "+84977111222", "970432", "1234567890", "chat", "received")
    assert r.message_text.startswith("Cô giáo lớp 2A") and r.image == shot and r.note == "Họ nhắn qua Zalo tối qua"
    await ui.click("report-if-scammed")
    await ui.wait_for(lambda: ui.page.route == "/guidance/if-scammed")


async def test_checks_before_sending_say_what_is_wrong(ui, server):
    await open_report(ui, server)
    await ui.click("report-send")
    assert ui.text_of("report-problem-text").startswith("Hãy nhập ít nhất một thông tin")
    await ui.type("report-phone", "12345")
    await ui.type("report-account", "0566778899")
    await ui.type("report-message", "x" * 2001)
    await ui.click("report-send")
    assert ui.find("report-phone").error == "Đây không phải số di động Việt Nam. Hãy kiểm tra lại các chữ số, ví dụ 0912 345 678."
    assert ui.find("report-bank-search").error == "Hãy chọn ngân hàng của tài khoản này."
    assert ui.find("report-message").error.startswith("Nội dung quá dài.")
    await ui.type("report-message", "Gọi bảo con bị tai nạn")
    await ui.type("report-phone", "0888 000 111")
    await choose_bank(ui, "tp", "970423")
    await ui.type("report-account", "05667")
    await ui.click("report-send")
    assert ui.find("report-account").error == "Số tài khoản có từ 6 đến 19 chữ số. Hãy kiểm tra lại."
    await ui.type("report-account", "0566778899")
    await ui.click("report-send")
    assert ui.text_of("report-problem-text") == "Hãy chọn nơi xảy ra chuyện này."
    assert reports(server) == []
    await pick(ui, b"not a picture at all")
    assert ui.text_of("report-image-error") == "Tệp này không phải ảnh gửi được. Hãy chọn một ảnh chụp màn hình (PNG hoặc JPG)."
    await pick(ui, b"\x89PNG\r\n\x1a\n" + b"\0" * (3 * 1024 * 1024))
    assert ui.text_of("report-image-error") == "Ảnh này lớn hơn 3 MB. Hãy chọn ảnh chụp màn hình nhỏ hơn."
    assert not ui.has("report-image-chosen")
    await where(ui, "phone_call")
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-thanks"))
    [r] = reports(server)
    assert (r.phone, r.bank_bin, r.account_number, r.image) == ("+84888000111", "970423", "0566778899", None)


async def test_the_servers_refusal_is_shown_next_to_the_field(ui, server):
    await open_report(ui, server)
    await ui.type("report-phone", "0912 345 678")  # the reporter's own number
    await where(ui, "phone_call")
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.find("report-phone").error is not None)
    assert ui.find("report-phone").error.startswith("Đây là số điện thoại của chính bạn.")
    assert reports(server) == []


async def test_a_lost_answer_retried_files_the_report_once(ui, server, transport):
    await open_report(ui, server)
    await ui.type("report-phone", "0966 555 444")
    await where(ui, "sms")
    transport.lose_answers = 1
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-error"))
    assert "sẽ không bị gửi trùng" in ui.text_of("report-error-text")
    assert len(reports(server)) == 1  # it did arrive
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-thanks"))
    assert len(reports(server)) == 1
    posts = [k for r, k in zip([r for r in transport.requests if r.startswith("POST")], transport.keys)
             if r == "POST /fraud-reports"]
    assert len(posts) == 2 and posts[0] == posts[1]


async def test_offline_the_report_is_kept_and_sent_later(ui, server, transport):
    await open_report(ui, server)
    await ui.type("report-message", "Tin nhắn: ngân hàng khóa tài khoản, bấm vào link để mở")
    await where(ui, "sms")
    transport.online = False
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-error"))
    assert ui.find("report-message").value.startswith("Tin nhắn: ngân hàng")
    transport.online = True
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-thanks"))
    assert len(reports(server)) == 1


async def test_my_reports_lists_statuses_and_a_confirmed_number_reaches_the_register(ui, server):
    from server.fraud.service import review
    from tests.app.conftest import NOW
    await open_report(ui, server)
    await ui.click("report-open-mine")
    await ui.wait_for(lambda: ui.has("my-reports-empty"))
    await ui.back()
    await ui.type("report-phone", "0939 876 543")
    await choose_bank(ui, "mb", "970422")
    await ui.type("report-account", "9988776655")
    await where(ui, "phone_call")
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-mine"))
    await ui.click("report-mine")
    [r] = reports(server)
    await ui.wait_for(lambda: ui.has(f"my-report-{r.id}"))
    assert ui.text_of(f"my-report-status-{r.id}") == "Đã nhận, đang xem xét"
    assert ui.text_of(f"my-report-what-{r.id}") == "0939 876 543 · MBBank ••••••6655"
    with server.state.session_factory() as db:
        review(db, r.id, "confirmed", "admin", NOW)
        db.commit()
    await ui.back()  # the thank-you again
    await ui.click("report-mine")
    await ui.wait_for(lambda: ui.text_of(f"my-report-status-{r.id}").startswith("Đã xác nhận là lừa đảo"))
    ui.page.navigate("/check")
    await ui.wait_for(lambda: ui.has("check-phone"))
    await check_phone(ui, "0939876543")
    await ui.wait_for(lambda: ui.has("check-stop"))
    # Scanning a QR for the confirmed account is stopped too, before any transfer details.
    from domain.vietqr import build
    ui.page.navigate("/scan")
    await ui.wait_for(lambda: ui.has("scan-text"))
    await ui.type("scan-text", build("970422", "9988776655", amount=1_500_000, purpose="hoc phi"))
    await ui.click("scan-check-text")
    await ui.wait_for(lambda: ui.has("result-mismatch") or ui.has("result-report-scam"))
    assert not ui.has("result-transfer")


async def test_report_another_starts_a_blank_draft(ui, server):
    await open_report(ui, server)
    await ui.type("report-phone", "0966 555 444")
    await where(ui, "sms")
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-another"))
    await ui.click("report-another")
    await ui.wait_for(lambda: ui.has("report-send"))
    assert ui.find("report-phone").value == "" and not ui.find("report-where").value


async def test_reachable_from_settings(ui, server):
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("open-report"))
    await ui.click("open-report")
    await ui.wait_for(lambda: ui.has("report-send"))


async def test_from_the_scans_red_stop_the_account_and_the_qr_are_filled_in(ui, server):
    flagged = build("970423", "0566778899", amount=2_000_000, purpose="vien phi")
    await open_scan(ui, server)
    await paste(ui, flagged)
    await ui.wait_for(lambda: ui.has("result-mismatch"))
    await ui.click("result-report-scam")
    await ui.wait_for(lambda: ui.has("report-send"))
    assert ui.page.route == "/scan/result/scam-report"
    assert ui.text_of("report-bank-chosen") == "TPBank · BIN 970423"
    assert ui.find("report-account").value == "0566778899"
    await ui.type("report-phone", "0888 000 111")
    await where(ui, "chat")
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-thanks"))
    [r] = reports(server)
    assert (r.payload, r.account_number, r.phone) == (flagged, "0566778899", "+84888000111")
    await ui.back()
    await ui.wait_for(lambda: ui.has("result-mismatch"))


async def test_from_the_pressure_stop_too(ui, server):
    await open_scan(ui, server)
    await paste(ui, build("970405", "3300112233", amount=250_000, purpose="tien sach"))
    await ui.wait_for(lambda: ui.has("brake-pressure-yes"))
    await ui.click("brake-pressure-yes")
    await ui.wait_for(lambda: ui.has("result-report-scam"))
    await ui.click("result-report-scam")
    await ui.wait_for(lambda: ui.has("report-send"))
    assert ui.find("report-account").value == "3300112233"


def test_screenshot_is_sent_as_base64_png():
    assert base64.b64decode(base64.b64encode(png())).startswith(b"\x89PNG")
