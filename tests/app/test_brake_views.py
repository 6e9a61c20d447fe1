"""The brakes of issue 7 on the scan "unknown" screen, in a headless app session against the real server."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from domain.vietqr import build
from server.brakes.models import BrakeEvent
from tests.app.test_scan_views import GENUINE, HOSPITAL, UNKNOWN, open_scan, paste

URGENT = build("970405", "3300112233", amount=3_000_000, purpose="TIEN CAP CUU")


def events(server) -> list[tuple[str, str, str]]:
    with server.state.session_factory() as db:
        rows = db.scalars(select(BrakeEvent).order_by(BrakeEvent.created_at, BrakeEvent.id))
        return sorted((e.brake, e.outcome, e.context) for e in rows)


async def test_unknown_payee_asks_the_pressure_question_before_anything_else(ui, server):
    await open_scan(ui, server)
    await paste(ui, UNKNOWN)
    await ui.wait_for(lambda: ui.has("brake-pressure-question"))
    assert ui.text_of("brake-pressure-question") == (
        "Có ai đang gọi điện hoặc nhắn tin giục bạn chuyển tiền ngay lúc này không?")
    assert ui.find("brake-pressure-yes").content == "Có, có người đang giục tôi"
    assert ui.find("brake-pressure-no").content == "Không, tôi tự đóng tiền"
    assert not ui.has("result-transfer") and not ui.has("result-continue") and not ui.has("brake-urgent")
    await ui.wait_for(lambda: events(server) == [("pressure_question", "shown", "scan")])


async def test_yes_leads_to_the_stop_screen_and_the_matching_article(ui, server):
    await open_scan(ui, server)
    await paste(ui, UNKNOWN)
    await ui.wait_for(lambda: ui.has("brake-pressure-yes"))
    await ui.click("brake-pressure-yes")
    await ui.wait_for(lambda: ui.has("brake-stop"))
    assert ui.text_of("brake-stop") == "Dừng lại. Đừng chuyển tiền."
    assert "Cúp máy" in ui.text_of("brake-stop-hang-up")
    assert not ui.has("result-transfer") and not ui.has("result-continue") and not ui.has("brake-pressure")
    # The QR names nobody to call back: one tap calls the family's own school or hospital on its official line.
    await ui.wait_for(lambda: ui.has("stop-call-0"))
    calls = {ui.find(k).content: ui.find(k).url for k in ui.keys() if k.startswith("stop-call-")}
    assert calls["Gọi lại cho BVĐK Hồng Phúc – Phòng Tài chính – Kế toán (chị Hoa): 02223856790"] == "tel:02223856790"
    assert len(calls) == 3  # the family's three institutions, and no one else
    await ui.wait_for(lambda: ("pressure_question", "abandoned", "scan") in events(server))
    assert events(server) == [("pressure_question", "abandoned", "scan"), ("pressure_question", "shown", "scan")]
    await ui.click("brake-article")
    await ui.wait_for(lambda: ui.page.route == "/guidance/fake-teacher")


async def test_no_leads_to_the_amber_checks_and_is_recorded_as_passed(ui, server):
    await open_scan(ui, server)
    await paste(ui, UNKNOWN)
    await ui.wait_for(lambda: ui.has("brake-pressure-no"))
    await ui.click("brake-pressure-no")
    await ui.wait_for(lambda: ui.has("result-unknown"))
    assert ui.find("result-continue").disabled and not ui.has("result-transfer")
    await ui.wait_for(lambda: ("pressure_question", "passed", "scan") in events(server))


async def test_urgent_words_show_the_hospital_warning_and_yes_opens_the_emergency_article(ui, server):
    await open_scan(ui, server)
    await paste(ui, URGENT)
    await ui.wait_for(lambda: ui.has("brake-urgent"))
    assert ui.text_of("brake-urgent") == "Bệnh viện không giữ việc cấp cứu để đòi tiền trước"
    assert ui.has("brake-pressure-question")
    await ui.click("brake-pressure-yes")
    await ui.wait_for(lambda: ui.has("brake-stop"))
    assert ui.has("brake-urgent")
    await ui.wait_for(lambda: ("urgent_words", "abandoned", "scan") in events(server))
    assert ("urgent_words", "shown", "scan") in events(server)
    await ui.click("brake-article")
    await ui.wait_for(lambda: ui.page.route == "/guidance/emergency-call")


async def test_urgent_words_passed_when_the_payer_goes_on(ui, server):
    await open_scan(ui, server)
    await paste(ui, URGENT)
    await ui.wait_for(lambda: ui.has("brake-pressure-no"))
    await ui.click("brake-pressure-no")
    await ui.wait_for(lambda: ui.has("result-unknown"))
    assert ui.has("brake-urgent")  # the warning stays with the amber checks
    ui.session.apply_patch(ui.find("result-acknowledge")._i, {"value": True})
    await ui.fire("result-acknowledge", "change", "true")
    await ui.click("result-continue")
    await ui.wait_for(lambda: ui.has("result-transfer"))
    await ui.wait_for(lambda: ("urgent_words", "passed", "scan") in events(server))


async def test_a_verified_open_bill_is_never_braked(ui, server):
    await open_scan(ui, server)
    await paste(ui, GENUINE)
    await ui.wait_for(lambda: ui.has("result-verified"))
    assert not ui.has("brake-pressure") and not ui.has("brake-urgent") and ui.has("result-pay-bill")
    assert events(server) == []


async def test_a_failed_record_does_not_block_the_payer(ui, server, transport):
    await open_scan(ui, server)
    await paste(ui, GENUINE)  # keeps a copy of the registry on the device
    await ui.wait_for(lambda: ui.has("result-verified"))
    await ui.back()
    transport.online = False
    await paste(ui, UNKNOWN)
    await ui.wait_for(lambda: ui.has("brake-pressure-no"))
    await ui.click("brake-pressure-no")
    await ui.wait_for(lambda: ui.has("result-unknown"))
    await ui.wait_for(lambda: ui.services.scan.brake_failures >= 2)  # shown and passed, both lost
    assert events(server) == []


# -- the amount brakes (first large payment, unusual amount) ----------------------------------------------
# The demo family's bills are 3,584,520 / 450,000 / 350,000 / 2,220,000 / 4,640,000 đ: the median is 2,220,000,
# so above 6,660,000 is "unusual"; nobody has paid anything yet, so every account is paid for the first time.

SCHOOL = ("970436", "0011004123456")  # Trường Tiểu học Hoa Sen, registered
LARGE_UNKNOWN = build("970405", "3300112233", amount=6_000_000, purpose="dong tien sach")
HUGE_AT_SCHOOL = build(*SCHOOL, amount=20_000_000, purpose="dong gop xay dung")  # verified, not a family bill


def held_pause(ui):
    """The pause's seconds pass only when the test says so."""
    ticks: asyncio.Queue = asyncio.Queue()

    async def sleep(_seconds):
        await ticks.get()

    ui.services.scan.pause_sleep = sleep
    return ticks


async def _past_the_pressure_question(ui):
    await ui.wait_for(lambda: ui.has("brake-pressure-no"))
    await ui.click("brake-pressure-no")
    await ui.wait_for(lambda: ui.has("result-acknowledge"))
    ui.session.apply_patch(ui.find("result-acknowledge")._i, {"value": True})
    await ui.fire("result-acknowledge", "change", "true")
    await ui.click("result-continue")


async def test_first_large_payment_pauses_with_the_checklist_before_the_transfer_details(ui, server):
    await open_scan(ui, server)
    ticks = held_pause(ui)
    await paste(ui, LARGE_UNKNOWN)
    await _past_the_pressure_question(ui)
    await ui.wait_for(lambda: ui.has("brake-pause"))
    assert ui.text_of("brake-pause-title") == "Khoan đã: đây là lần đầu bạn chuyển một khoản lớn vào tài khoản này"
    assert ui.has("brake-checklist-0") and not ui.has("result-transfer")
    assert ui.text_of("brake-pause-countdown") == "Bạn có thể tiếp tục sau 5 giây."
    assert ui.find("brake-pause-continue").disabled
    await ui.click("brake-pause-continue")  # too early: nothing happens
    assert ui.has("brake-pause") and not ui.has("result-transfer")
    for _ in range(4):
        ticks.put_nowait(None)
    await ui.wait_for(lambda: ui.text_of("brake-pause-countdown") == "Bạn có thể tiếp tục sau 1 giây.")
    assert ui.find("brake-pause-continue").disabled
    ticks.put_nowait(None)
    await ui.wait_for(lambda: not ui.find("brake-pause-continue").disabled)
    await ui.click("brake-pause-continue")
    await ui.wait_for(lambda: ui.has("result-transfer"))
    assert not ui.has("brake-unusual")  # 6,000,000 is not three times the family's usual bill
    await ui.wait_for(lambda: ("first_large_payment", "passed", "scan") in events(server))
    assert ("first_large_payment", "shown", "scan") in events(server)


async def test_verified_account_that_is_not_a_family_bill_gets_the_pause_then_the_unusual_amount_question(ui, server):
    await open_scan(ui, server)
    ticks = held_pause(ui)
    await paste(ui, HUGE_AT_SCHOOL)
    await ui.wait_for(lambda: ui.has("brake-pause"))
    assert ui.has("result-verified") and not ui.has("brake-pressure") and not ui.has("result-transfer")
    for _ in range(5):
        ticks.put_nowait(None)
    await ui.wait_for(lambda: not ui.find("brake-pause-continue").disabled)
    assert ui.text_of("brake-pause-countdown") == "Nếu mọi dòng trên đều đúng, bạn có thể tiếp tục."
    await ui.click("brake-pause-continue")
    await ui.wait_for(lambda: ui.has("brake-unusual"))
    assert ui.text_of("brake-unusual-title") == "Số tiền này cao hơn nhiều so với các khoản bạn thường đóng"
    assert "2.220.000\u00a0₫" in ui.text_of("brake-unusual-help")
    assert "20.000.000\u00a0₫" in ui.text_of("brake-unusual-help")
    assert not ui.has("result-transfer")
    await ui.click("brake-unusual-confirm")
    await ui.wait_for(lambda: ui.has("result-transfer"))
    await ui.wait_for(lambda: ("unusual_amount", "passed", "scan") in events(server))
    assert events(server) == [("first_large_payment", "passed", "scan"), ("first_large_payment", "shown", "scan"),
                              ("unusual_amount", "passed", "scan"), ("unusual_amount", "shown", "scan")]


async def test_stopping_at_the_unusual_amount_is_recorded_as_abandoned(ui, server):
    await open_scan(ui, server)
    ui.services.scan.pause_seconds = 0
    await paste(ui, HUGE_AT_SCHOOL)
    await ui.wait_for(lambda: ui.has("brake-pause-continue") and not ui.find("brake-pause-continue").disabled)
    await ui.click("brake-pause-continue")
    await ui.wait_for(lambda: ui.has("brake-unusual"))
    await ui.click("brake-abandon")
    await ui.wait_for(lambda: ui.has("brake-stopped"))
    assert not ui.has("result-transfer") and not ui.has("brake-unusual")
    await ui.wait_for(lambda: ("unusual_amount", "abandoned", "scan") in events(server))


async def test_scanning_another_code_while_the_pause_shows_counts_it_as_abandoned(ui, server):
    await open_scan(ui, server)
    held_pause(ui)
    await paste(ui, HUGE_AT_SCHOOL)
    await ui.wait_for(lambda: ui.has("brake-pause"))
    await ui.back()
    await paste(ui, GENUINE)
    await ui.wait_for(lambda: ui.has("result-verified") and ui.has("result-pay-bill"))
    await ui.wait_for(lambda: ("first_large_payment", "abandoned", "scan") in events(server))


async def test_no_history_answer_is_the_safe_side(ui, server, transport):
    """The context cannot be fetched (offline): treated as a first payment, the pause shows; nothing breaks."""
    await open_scan(ui, server)
    await paste(ui, GENUINE)  # keeps a copy of the registry on the device
    await ui.wait_for(lambda: ui.has("result-verified"))
    await ui.back()
    transport.online = False
    held_pause(ui)
    await paste(ui, build(*SCHOOL, amount=5_500_000))
    await ui.wait_for(lambda: ui.has("brake-pause"))
    assert ui.has("result-offline") and not ui.has("brake-unusual")


async def test_a_large_verified_open_bill_is_never_braked(ui, server):
    await open_scan(ui, server)
    await paste(ui, build(*HOSPITAL, amount=40_000_000, bill_number="VP-BN00458-2611"))
    await ui.wait_for(lambda: ui.has("result-pay-bill"))
    assert not any(ui.has(k) for k in ("brake-pause", "brake-unusual", "brake-pressure", "brake-urgent"))
    assert events(server) == []
