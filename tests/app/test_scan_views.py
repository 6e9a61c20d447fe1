"""Scanning in a headless app session against the real server: what the person is told, and what they can do."""

from __future__ import annotations

import io

import qrcode
from sqlalchemy import select

from domain.scan import bill_link
from domain.vietqr import _tlv, build, crc16_ccitt_false
from server.bills.models import Bill
from tests.app.test_views import sign_in

HOSPITAL = ("970415", "113000123456")  # Bệnh viện Đa khoa Hồng Phúc, registered
GENUINE = build(*HOSPITAL, amount=4_640_000, bill_number="VP-BN00458-2611")
SWAPPED = build("970405", "3300112233", amount=4_640_000, bill_number="VP-BN00458-2611")  # a private account
UNKNOWN = build("970405", "3300112233", amount=250_000, purpose="tien sach")


def vnpay_merchant() -> str:
    body = "".join(_tlv(t, v) for t, v in [
        ("00", "01"), ("01", "11"), ("26", _tlv("00", "A000000775") + _tlv("01", "0102345678")),
        ("53", "704"), ("58", "VN"), ("59", "NHA THUOC AN KHANG"), ("60", "HA NOI")]) + "6304"
    return body + crc16_ccitt_false(body)


async def open_scan(ui, server):
    await sign_in(ui, server)
    await ui.click("home-scan")
    await ui.wait_for(lambda: ui.has("scan-text"))


async def paste(ui, text: str):
    await ui.type("scan-text", text)
    await ui.click("scan-check-text")


def texts(ui) -> str:
    return "\n".join(ui.texts())


async def test_genuine_hospital_qr_is_verified_and_opens_the_familys_bill(ui, server):
    await open_scan(ui, server)
    await paste(ui, GENUINE)
    await ui.wait_for(lambda: ui.has("result-verified"))
    assert ui.text_of("result-institution") == "Bệnh viện Đa khoa Hồng Phúc"
    assert ui.text_of("result-institution-kind") == "Bệnh viện · Bắc Ninh"
    assert "Viện phí nội trú · Nguyễn Văn Hùng" == ui.text_of("result-bill")
    assert not ui.has("result-amount-differs")
    await ui.click("result-pay-bill")
    await ui.wait_for(lambda: ui.has("pay-bill-summary"))
    with server.state.session_factory() as db:
        bill = db.scalars(select(Bill).where(Bill.invoice_code == "VP-BN00458-2611")).one()
    assert ui.page.route == f"/bills/{bill.id}/pay"


async def test_verified_qr_with_another_amount_says_so_before_paying(ui, server):
    await open_scan(ui, server)
    await paste(ui, build(*HOSPITAL, amount=5_000_000, bill_number="VP-BN00458-2611"))
    await ui.wait_for(lambda: ui.has("result-amount-differs"))
    assert "5.000.000\u00a0₫" in ui.text_of("result-amount-differs-text")
    assert "4.640.000\u00a0₫" in ui.text_of("result-amount-differs-text")


async def test_swapped_qr_gets_the_red_stop_with_the_official_hotline_and_can_be_reported(ui, server):
    await open_scan(ui, server)
    await paste(ui, SWAPPED)
    await ui.wait_for(lambda: ui.has("result-mismatch"))
    assert ui.text_of("result-stop") == "Đây không phải tài khoản của Bệnh viện Đa khoa Hồng Phúc"
    assert ui.find("result-call-hotline").url == "tel:02223856789"
    assert not ui.has("result-pay-bill") and not ui.has("result-transfer")
    await ui.click("result-report")
    await ui.wait_for(lambda: ui.has("report-send"))
    await ui.click("report-send")  # where it was seen is required
    assert ui.text_of("report-error-text") == "Hãy chọn nơi bạn thấy mã QR này."
    ui.session.apply_patch(ui.find("report-seen-at")._i, {"value": "institution_premises"})
    await ui.fire("report-seen-at", "change", "institution_premises")
    await ui.type("report-note", "Dán đè lên mã ở quầy thu ngân tầng 1")
    await ui.click("report-send")
    await ui.wait_for(lambda: ui.has("report-sent"))
    from server.fraud.models import FraudReport
    with server.state.session_factory() as db:
        reports = list(db.scalars(select(FraudReport)))
    assert len(reports) == 1
    assert (reports[0].payload, reports[0].seen_at, reports[0].account_number) == (
        SWAPPED, "institution_premises", "3300112233")
    assert reports[0].note == "Dán đè lên mã ở quầy thu ngân tầng 1"


async def test_flagged_account_is_stopped_even_without_a_claim(ui, server):
    await open_scan(ui, server)
    await paste(ui, build("970423", "0566778899", amount=200_000))
    await ui.wait_for(lambda: ui.has("result-mismatch"))
    assert "kẻ gian" in ui.text_of("result-stop-reason")


async def test_unknown_account_needs_two_confirmations_before_the_transfer_details(ui, server):
    await open_scan(ui, server)
    await paste(ui, UNKNOWN)
    await ui.wait_for(lambda: ui.has("brake-pressure-no"))  # the pressure question comes first (issue 7)
    await ui.click("brake-pressure-no")
    await ui.wait_for(lambda: ui.has("result-unknown"))
    assert ui.find("result-continue").disabled
    await ui.click("result-continue")
    assert not ui.has("result-transfer")
    ui.session.apply_patch(ui.find("result-acknowledge")._i, {"value": True})
    await ui.fire("result-acknowledge", "change", "true")
    assert not ui.find("result-continue").disabled
    assert not ui.has("result-transfer")  # ticking is the first step; the button is the second
    await ui.click("result-continue")
    await ui.wait_for(lambda: ui.has("result-transfer"))


async def test_vnpay_merchant_qr_is_named_and_not_checkable(ui, server):
    await open_scan(ui, server)
    await paste(ui, vnpay_merchant())
    await ui.wait_for(lambda: ui.has("result-merchant"))
    assert ui.text_of("result-merchant") == "Đây là mã QR thanh toán cho cửa hàng của VNPay."
    assert ui.text_of("result-merchant-name") == "NHA THUOC AN KHANG"
    assert not ui.has("result-transfer-help")
    await ui.click("result-continue")
    await ui.wait_for(lambda: ui.has("result-transfer-help"))


async def test_garbage_and_damaged_payloads_get_a_clear_message(ui, server):
    await open_scan(ui, server)
    await paste(ui, "xin chào, chuyển khoản cho tôi nhé")
    assert ui.text_of("scan-problem-text") == "Đây không phải mã QR thanh toán. Đừng dùng mã này để trả tiền."
    await paste(ui, GENUINE[:-1] + ("0" if GENUINE[-1] != "0" else "1"))
    assert "bị hỏng" in ui.text_of("scan-problem-text")
    await paste(ui, "")
    assert ui.text_of("scan-problem-text") == "Chưa có gì để đọc. Hãy chọn một ảnh hoặc dán nội dung mã QR."


async def test_our_bill_link_opens_the_bill_and_a_strangers_bill_is_refused(ui, server):
    with server.state.session_factory() as db:
        ours = db.scalars(select(Bill).where(Bill.invoice_code == "HS0123-HK1-2627")).one().id
        theirs = db.scalars(select(Bill).where(Bill.invoice_code == "HS0789-HK1-2627")).one().id
    await open_scan(ui, server)
    await paste(ui, bill_link(theirs))
    assert "không có trong danh sách" in ui.text_of("scan-problem-text")
    await paste(ui, bill_link(ours))
    await ui.wait_for(lambda: ui.page.route == f"/bills/{ours}")


def _png(text: str) -> bytes:
    out = io.BytesIO()
    qrcode.make(text).get_image().save(out, "PNG")
    return out.getvalue()


async def _pick(ui, data: bytes | None):
    """What the client sends after the person chose a file in the picker (or closed it)."""
    from flet import FilePicker
    picker = next(c for c in ui.session._Session__index.values() if isinstance(c, FilePicker))
    files = [] if data is None else [{"id": 0, "name": "qr.png", "size": len(data), "bytes": data}]
    await ui.session.dispatch_event(picker._i, "result", {"files": files})
    await ui.settle()


async def test_picked_image_is_decoded_on_the_device_and_checked(ui, server):
    await open_scan(ui, server)
    await _pick(ui, None)
    assert not ui.has("scan-problem")
    await _pick(ui, b"definitely not a picture")
    assert "không phải ảnh" in ui.text_of("scan-problem-text")
    await _pick(ui, _png(SWAPPED))
    await ui.wait_for(lambda: ui.has("result-mismatch"))
    assert ui.services.scan.image is not None  # offered with the report


async def test_place_claim_turns_a_foreign_account_into_a_stop(ui, server):
    await open_scan(ui, server)
    await ui.wait_for(lambda: ui.has("scan-place"))
    hospital = next(i for i in ui.services.scan.institutions if i.name == "Bệnh viện Đa khoa Hồng Phúc")
    ui.services.scan.set_place(hospital.id)
    await paste(ui, build("970436", "0011004123456", amount=100_000))  # the school's real account
    await ui.wait_for(lambda: ui.has("result-mismatch"))
    assert "Trường Tiểu học Hoa Sen" in ui.text_of("result-stop-reason")


async def test_registry_copy_on_the_device_checks_offline(ui, server, transport):
    await open_scan(ui, server)
    await paste(ui, GENUINE)
    await ui.wait_for(lambda: ui.has("result-verified"))
    await ui.back()
    transport.online = False
    await paste(ui, SWAPPED)
    await ui.wait_for(lambda: ui.has("result-mismatch"))
    assert ui.has("result-offline")


async def test_registry_unavailable_with_no_copy_says_so(ui, server, transport):
    await open_scan(ui, server)
    ui.services.registry._copy = None
    transport.online = False
    ui.settings.values.pop("dongphi.registry", None)
    await paste(ui, GENUINE)
    assert "Chưa tải được danh sách" in ui.text_of("scan-problem-text")


async def test_camera_permission_explained_then_denied_leads_to_settings(ui, server):
    import flet_permission_handler as fph
    statuses = {"get_status": "denied", "request": "permanentlyDenied"}
    opened = []
    ui.conn.method_handlers.update({"get_status": lambda a: statuses["get_status"],
                                    "request": lambda a: statuses["request"],
                                    "open_app_settings": lambda a: opened.append(True) or True})
    ui.services.permissions = fph.PermissionHandler()
    await sign_in(ui, server)
    ui.page.navigate("/scan/camera")
    await ui.wait_for(lambda: ui.has("camera-explain"))
    await ui.click("camera-allow")
    await ui.wait_for(lambda: ui.has("camera-denied"))
    await ui.click("camera-open-settings")
    assert opened == [True]
    assert ui.has("camera-other-ways")
