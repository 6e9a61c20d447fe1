"""The brakes of issue 7 on the scan "unknown" screen, in a headless app session against the real server."""

from __future__ import annotations

from sqlalchemy import select

from domain.vietqr import build
from server.brakes.models import BrakeEvent
from tests.app.test_scan_views import GENUINE, UNKNOWN, open_scan, paste

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
