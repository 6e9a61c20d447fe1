"""Paying a bill in a headless app session, against the real server and its provider callbacks."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
from sqlalchemy import select

from app.data.payments import LAST_METHOD_KEY
from app.ui.notifications.view_model import LIVE_TASK
from server.bills.models import Bill
from server.payments.models import Payment
from server.providers import bankfeed
from tests.app.test_views import sign_in
from tests.server.payments_helpers import vnpay_result

HOSPITAL_BILL = "VP-BN00458-2611"  # 4.640.000 ₫ for Nguyễn Văn Hùng at Bệnh viện Đa khoa Hồng Phúc
NBSP = "\u00a0"


# -- helpers: the server side, as a bank or a gateway would act ----------------------------------

def _server_client(transport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport.inner, base_url="http://testserver")


def _payments_of(server, bill_id: str) -> list[Payment]:
    with server.state.session_factory() as db:
        return list(db.scalars(select(Payment).where(Payment.bill_id == bill_id)))


async def bank_transfer(server, transport, payment_id: str, amount: int | None = None) -> None:
    """The institution's bank reports the transfer on its signed feed, as it would after a real one."""
    with server.state.session_factory() as db:
        payment = db.get(Payment, payment_id)
        bill = db.get(Bill, payment.bill_id)
        institution_id, secret = bill.institution_id, bill.institution.feed_secret
        event = {"reference": "FT" + uuid.uuid4().hex[:10].upper(), "account_number": payment.account_number,
                 "bank_bin": payment.account_bin, "amount": payment.amount if amount is None else amount,
                 "content": f"{payment.transfer_content} chuyen tien", "time": "2026-11-22T10:05:00+07:00"}
    raw = json.dumps(event).encode()
    async with _server_client(transport) as client:
        r = await client.post(f"/providers/bankfeed/{institution_id}", content=raw,
                              headers={"content-type": "application/json",
                                       bankfeed.SIGNATURE_HEADER: bankfeed.sign(secret, raw)})
    assert r.status_code == 200, r.text


async def vnpay_ipn(server, transport, payment_id: str, code: str) -> None:
    with server.state.session_factory() as db:
        payment = db.get(Payment, payment_id)
        params = vnpay_result(server.state.settings, {"amount": payment.amount, "reference": payment.reference},
                              code=code)
    async with _server_client(transport) as client:
        r = await client.get("/providers/vnpay/ipn", params=params)
    assert r.status_code == 200 and r.json()["RspCode"] == "00", r.text


async def pay_elsewhere(transport, ui, bill_id: str, method: str = "vietqr") -> str:
    """The same family pays from another phone: a live payment the app did not create."""
    async with _server_client(transport) as client:
        r = await client.post("/payments", json={"bill_id": bill_id, "method": method},
                              headers={"Authorization": f"Bearer {await ui.tokens.read()}",
                                       "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.text
    return r.json()["id"]


# -- helpers: the payer ------------------------------------------------------------------------

async def open_bill(ui, server, invoice: str = HOSPITAL_BILL) -> str:
    await sign_in(ui, server)
    await ui.click(f"bill-{invoice}")
    await ui.wait_for(lambda: ui.has("pay-bill"))
    return ui.page.route.split("/")[2]


async def confirm_with(ui, method: str) -> None:
    await ui.click("pay-bill")
    await ui.wait_for(lambda: ui.has(f"method-{method}"))
    await ui.click(f"method-{method}")
    await ui.wait_for(lambda: ui.has("confirm-pay"))


def routes(ui) -> list[str]:
    return [v.route for v in ui.views()]


def poll_tasks() -> list[asyncio.Task]:
    """Screens following a payment (the session's notification updates run all along)."""
    return [t for t in asyncio.all_tasks() if t.get_name().startswith("dongphi.poll") and not t.done()
            and t.get_name() != LIVE_TASK]


# -- the paths ---------------------------------------------------------------------------------

async def test_pay_by_vietqr_from_bill_to_receipt(ui, server, transport):
    bill_id = await open_bill(ui, server)
    assert ui.find("pay-bill").content == "Thanh toán"

    await ui.click("pay-bill")
    await ui.wait_for(lambda: ui.has("method-vietqr"))
    assert routes(ui) == ["/", f"/bills/{bill_id}", f"/bills/{bill_id}/pay"]
    for method in ("vietqr", "atm_card", "intl_card", "momo"):
        assert ui.text_of(f"fee-{method}") == "Miễn phí"  # the fee is shown before choosing
    assert "Chuyển khoản VietQR" in ui.texts()

    await ui.click("method-vietqr")
    await ui.wait_for(lambda: ui.has("confirm-pay"))
    assert ui.text_of("confirm-institution") == "Bệnh viện Đa khoa Hồng Phúc"
    assert ui.text_of("confirm-payer") == "Nguyễn Thị Lan"
    assert ui.text_of("confirm-beneficiary") == "Nguyễn Văn Hùng"
    assert ui.text_of("confirm-invoice") == HOSPITAL_BILL
    assert ui.text_of("confirm-amount") == f"4.640.000{NBSP}₫"
    assert ui.text_of("confirm-amount-words") == "Bằng chữ: Bốn triệu sáu trăm bốn mươi nghìn đồng"
    assert ui.text_of("confirm-method") == "Chuyển khoản VietQR · Miễn phí"
    assert ui.find("confirm-pay").content == "Xác nhận và thanh toán"

    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("payment-qr"))
    [payment] = _payments_of(server, bill_id)
    # Above the bill, not above the confirm screen: Back can never lead to "Confirm and pay" again.
    assert routes(ui) == ["/", f"/bills/{bill_id}", f"/bills/{bill_id}/payments/{payment.id}"]
    assert ui.text_of("payment-status") == "Đang chờ bạn thanh toán"
    qr = ui.find("payment-qr")
    assert qr.src[:8] == b"\x89PNG\r\n\x1a\n" and "4.640.000" in qr.semantics_label
    assert ui.text_of("pay-account") == payment.account_number
    assert ui.text_of("pay-holder") == "BENH VIEN DA KHOA HONG PHUC"
    assert ui.text_of("pay-content") == payment.transfer_content
    assert ui.find("copy-account").action.data == payment.account_number
    assert ui.find("copy-content").action.data == payment.transfer_content
    await ui.click("copy-account")
    assert ui.text_of("copied-notice") == "Đã sao chép số tài khoản."
    await ui.click("open-bank-app")
    assert ui.conn.launched == [f"http://testserver/sandbox/bank?payment={payment.id}"]
    assert ui.settings.values[LAST_METHOD_KEY] == "vietqr"

    await bank_transfer(server, transport, payment.id)
    await ui.wait_for(lambda: ui.text_of("payment-status") == "Đã thanh toán")
    assert ui.text_of("receipt-reference") == payment.reference
    assert ui.text_of("receipt-time") == "22/11/2026 10:00"  # the server's clock, in Vietnam time
    assert ui.text_of("receipt-invoice") == HOSPITAL_BILL
    assert ui.text_of("receipt-payer") == "Nguyễn Thị Lan"
    assert ui.text_of("receipt-method") == "Chuyển khoản VietQR"
    assert ui.text_of("receipt-amount") == f"4.640.000{NBSP}₫"
    assert not ui.has("receipt-shortfall") and not ui.has("receipt-refund")
    await ui.wait_for(lambda: not poll_tasks())  # settled: nothing left to ask

    await ui.back()  # Back after paying lands on the bill, now paid, with nothing to pay
    await ui.wait_for(lambda: ui.text_of("bill-amount-due") == f"0{NBSP}₫")
    assert routes(ui) == ["/", f"/bills/{bill_id}"]
    assert not ui.has("pay-bill")
    assert len(_payments_of(server, bill_id)) == 1


async def test_a_paid_bill_offers_no_way_to_pay_again(ui, server, transport):
    bill_id = await open_bill(ui, server)
    await confirm_with(ui, "vietqr")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("payment-qr"))
    [payment] = _payments_of(server, bill_id)
    await bank_transfer(server, transport, payment.id)
    await ui.wait_for(lambda: ui.has("done"))
    # A browser's Back (or an old link) to the confirm screen of this bill:
    ui.page.navigate(f"/bills/{bill_id}/pay/vietqr")
    await ui.wait_for(lambda: ui.has("confirm-already-paid"))
    assert not ui.has("confirm-pay")
    ui.page.navigate(f"/bills/{bill_id}/pay")
    await ui.wait_for(lambda: ui.has("choose-already-paid"))
    on_screen = ui.keys()
    assert not any(k.startswith("method-") for k in on_screen)
    await ui.click("choose-back-to-bill")
    await ui.wait_for(lambda: routes(ui) == ["/", f"/bills/{bill_id}"])
    assert len(_payments_of(server, bill_id)) == 1


async def test_double_tap_on_confirm_asks_once(ui, server):
    bill_id = await open_bill(ui, server)
    await confirm_with(ui, "vietqr")
    button = ui.find("confirm-pay")
    await asyncio.gather(ui.session.dispatch_event(button._i, "click", None),
                         ui.session.dispatch_event(button._i, "click", None))
    await ui.wait_for(lambda: ui.has("payment-qr"))
    assert len(_payments_of(server, bill_id)) == 1
    assert ui.conn.crashes() == []


async def test_card_payment_opens_the_gateway_once_and_explains_a_refusal(ui, server, transport):
    bill_id = await open_bill(ui, server)
    await confirm_with(ui, "atm_card")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: len(ui.conn.launched) == 1)  # the VNPay page opens by itself, once
    [payment] = _payments_of(server, bill_id)
    assert ui.conn.launched[0] == payment.pay_url and "vnp_BankCode=VNBANK" in payment.pay_url
    assert ui.text_of("payment-status") == "Đang chờ bạn thanh toán"
    await ui.click("open-pay-page")
    assert ui.conn.launched == [payment.pay_url] * 2

    await vnpay_ipn(server, transport, payment.id, "51")
    await ui.wait_for(lambda: ui.has("failure-reason"))
    assert ui.text_of("payment-status") == "Thanh toán không thành công"
    assert ui.text_of("failure-reason") == "Tài khoản của bạn không đủ số dư để thanh toán."
    assert ui.text_of("nothing-debited") == "Chưa có tiền nào bị trừ."
    assert ui.text_of("bill-still-open") == "Hoá đơn vẫn chưa được thanh toán: bạn có thể thanh toán lại."
    assert len(ui.conn.launched) == 2  # following the payment never reopens the page

    await ui.click("try-again")
    await ui.wait_for(lambda: ui.has("method-atm_card"))
    assert routes(ui) == ["/", f"/bills/{bill_id}", f"/bills/{bill_id}/pay"]
    assert ui.text_of("last-used-atm_card") == "Dùng lần trước"
    on_screen = ui.keys()
    assert next(k for k in on_screen if k.startswith("method-")) == "method-atm_card"  # last used first


async def test_a_payment_in_progress_elsewhere_can_be_continued_or_cancelled(ui, server, transport):
    bill_id = await open_bill(ui, server)
    await confirm_with(ui, "vietqr")
    other = await pay_elsewhere(transport, ui, bill_id, "momo")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("confirm-in-progress-text"))
    assert ui.text_of("confirm-in-progress-text") == "Hoá đơn này đang có một khoản thanh toán chưa hoàn tất."
    assert not ui.has("confirm-pay")

    await ui.click("confirm-cancel-in-progress")
    await ui.wait_for(lambda: routes(ui)[-1] == f"/bills/{bill_id}/pay" and ui.has("method-vietqr"))
    with server.state.session_factory() as db:
        assert db.get(Payment, other).state == "cancelled"

    # Now a live one found while choosing: continue it instead.
    other = await pay_elsewhere(transport, ui, bill_id, "vietqr")
    await ui.back()
    await ui.click("pay-bill")
    await ui.wait_for(lambda: ui.has("choose-in-progress-text"))
    assert not ui.has("method-vietqr")
    await ui.click("choose-continue-in-progress")
    await ui.wait_for(lambda: ui.has("payment-qr"))
    assert routes(ui)[-1] == f"/bills/{bill_id}/payments/{other}"


async def test_home_offers_to_continue_a_waiting_payment_and_polling_stops_with_the_screen(ui, server, transport):
    bill_id = await open_bill(ui, server)
    await confirm_with(ui, "vietqr")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("payment-qr"))
    [payment] = _payments_of(server, bill_id)
    asks = f"GET /payments/{payment.id}"
    await ui.wait_for(lambda: transport.requests.count(asks) >= 3)  # it keeps asking while shown
    assert poll_tasks()

    await ui.back()
    await ui.back()
    await ui.wait_for(lambda: ui.has(f"active-payment-{payment.id}"))
    assert not poll_tasks()
    seen = transport.requests.count(asks)
    await asyncio.sleep(0.3)  # six intervals: no question about it while no screen shows it
    assert transport.requests.count(asks) == seen
    assert ui.text_of(f"active-payment-{payment.id}-text") == \
        f"Bạn có một khoản thanh toán đang chờ: {HOSPITAL_BILL}"
    assert ui.find(f"continue-payment-{payment.id}").content == "Tiếp tục"

    await ui.click(f"continue-payment-{payment.id}")
    await ui.wait_for(lambda: ui.has("payment-qr"))
    assert routes(ui) == ["/", f"/bills/{bill_id}", f"/bills/{bill_id}/payments/{payment.id}"]
    await ui.wait_for(lambda: transport.requests.count(asks) > seen)


async def test_waiting_screen_survives_a_dropped_network(ui, server, transport):
    bill_id = await open_bill(ui, server)
    await confirm_with(ui, "vietqr")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("payment-qr"))
    transport.online = False
    await ui.wait_for(lambda: ui.has("payment-offline"))
    assert ui.has("payment-qr")  # the last known state stays on screen
    [payment] = _payments_of(server, bill_id)
    await bank_transfer(server, transport, payment.id)
    transport.online = True
    await ui.wait_for(lambda: ui.has("done"))
    assert not ui.has("payment-offline")


async def test_a_lost_answer_then_retry_pays_once_with_the_same_key(ui, server, transport):
    bill_id = await open_bill(ui, server)
    await confirm_with(ui, "vietqr")
    transport.online = False  # the request never leaves the phone
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("confirm-error"))
    assert ui.text_of("confirm-error-text") == "Không kết nối được Đóng Phí. Hãy kiểm tra mạng rồi thử lại."
    transport.online = True
    transport.lose_answers = 1  # the server creates the payment, but its answer never arrives
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("confirm-error"))
    assert len(_payments_of(server, bill_id)) == 1
    await ui.click("confirm-pay")  # the payer taps again: the server answers the same payment
    await ui.wait_for(lambda: ui.has("payment-qr"))
    assert len(_payments_of(server, bill_id)) == 1
    posts = [k for r, k in zip([r for r in transport.requests if r.startswith("POST")], transport.keys)
             if r == "POST /payments"]
    assert len(posts) == 2 and posts[0] == posts[1]


async def test_payment_screens_in_english(ui, server, transport):
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("language"))
    await ui.type("language", "en")
    await ui.back()
    await ui.click(f"bill-{HOSPITAL_BILL}")
    await ui.wait_for(lambda: ui.has("pay-bill"))
    await confirm_with(ui, "intl_card")
    assert ui.text_of("confirm-amount-words") == "In words: Four million six hundred forty thousand dong"
    assert ui.text_of("confirm-method") == "International card · Free"
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("open-pay-page"))
    assert ui.text_of("payment-status") == "Waiting for you to pay"
