"""Payment view-models against small fake repositories; the repository against HTTP stand-ins."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
from dataclasses import replace

import httpx
import pytest

from app.data.api import ApiClient, NetworkFailure, NotFoundFailure, RequestFailure, ServerFailure
from app.data.bills import Fetched
from app.data.payments import LAST_METHOD_KEY, PaymentsRepository
from app.data.storage import MemorySettingsStore
from app.models import BillDetail, Payment, PaymentMethod
from app.ui.core.hooks import run_to_completion
from app.ui.core.i18n import I18n
from app.ui.core.payment_text import amount_words, failure_reason, fee_text
from app.ui.core.polling import Poller
from app.ui.core.qr import qr_matrix, qr_png
from app.ui.home.view_model import HomeViewModel
from app.ui.pay.view_model import ChooseMethodViewModel, ConfirmPaymentViewModel
from app.ui.payment.view_model import PaymentViewModel

NOW = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)
METHODS = [PaymentMethod("vietqr", 0), PaymentMethod("atm_card", 0), PaymentMethod("intl_card", 0),
           PaymentMethod("momo", 0)]


def bill_json(amount_due=4_640_000, status="open") -> dict:
    return {"id": "b1", "invoice_code": "VP-BN00458-2611", "kind": "hospital", "title": "Viện phí nội trú",
            "period": "Tháng 11/2026", "institution_name": "Bệnh viện Đa khoa Hồng Phúc", "due_date": "2026-11-30",
            "total": 4_640_000, "amount_paid": 4_640_000 - amount_due, "amount_due": amount_due, "status": status,
            "overdue": False, "person": {"id": "p1", "full_name": "Nguyễn Văn Hùng", "kind": "patient"},
            "institution": {"id": "i1", "name": "Bệnh viện Đa khoa Hồng Phúc", "short_name": "BVĐK Hồng Phúc",
                            "kind": "hospital", "province": "Bắc Ninh", "hotline": "02223856789",
                            "support": {"name": "chị Hoa", "phone": "02223856790"}},
            "items": [{"label": "Viện phí", "amount": 4_640_000}]}


def payment_json(**over) -> dict:
    d = {"id": "pay1", "bill_id": "b1", "method": "vietqr", "provider": "vietqr", "state": "awaiting_payer",
         "amount": 4_640_000, "fee": 0, "payer_name": "Nguyễn Thị Lan",
         "beneficiary_name": "Bệnh viện Đa khoa Hồng Phúc",
         "reason": "Viện phí nội trú – Tháng 11/2026", "invoice_code": "VP-BN00458-2611",
         "institution_name": "Bệnh viện Đa khoa Hồng Phúc", "reference": "DPABCDEFGHJK", "provider_txn": None,
         "pay_url": None, "deeplink": None, "qr_payload": "000201010212", "transfer_content": "VP-BN00458-2611",
         "account": {"bank_bin": "970415", "bank_name": "VietinBank", "account_number": "113000123456",
                     "holder_name": "BENH VIEN DA KHOA HONG PHUC"},
         "bank_app_url": None, "created_at": "2026-11-22T03:00:00Z", "expires_at": "2026-11-22T03:15:00Z",
         "settled_at": None, "received_amount": None, "refund_amount": 0, "failure_code": None,
         "nothing_debited": False, "live": True, "history": []}
    d.update(over)
    return d


def payment(**over) -> Payment:
    return Payment.from_json(payment_json(**over))


class FakeBills:
    def __init__(self, detail: dict | None = None):
        self.detail = BillDetail.from_json(detail or bill_json())
        self.fail: Exception | None = None

    async def bill(self, bill_id: str) -> Fetched:
        if self.fail:
            raise self.fail
        return Fetched(self.detail, NOW)


class FakePayments:
    """Answers like PaymentsRepository; `script` lists what successive gets return (or raise)."""

    def __init__(self):
        self.created: list[tuple[str, str, str]] = []
        self.create_fails: list[Exception] = []
        self.cancelled: list[str] = []
        self.cancel_fails: Exception | None = None
        self.script: list[Payment | Exception] = []
        self.gets = 0
        self.live: list[Payment] = []
        self.last: str | None = None
        self.opened_once: set[str] = set()
        self._cache: dict[str, Payment] = {}

    async def methods(self):
        return list(METHODS)

    async def last_method(self):
        return self.last

    async def active(self):
        return list(self.live)

    async def create(self, bill_id, method, key):
        await asyncio.sleep(0)  # a real request yields to the loop: a second tap can arrive meanwhile
        self.created.append((bill_id, method, key))
        if self.create_fails:
            raise self.create_fails.pop(0)
        return payment(method=method)

    async def cancel(self, payment_id):
        if self.cancel_fails:
            raise self.cancel_fails
        self.cancelled.append(payment_id)
        return payment(id=payment_id, state="cancelled", live=False, nothing_debited=True, failure_code="cancelled")

    async def get(self, payment_id):
        self.gets += 1
        answer = self.script[min(self.gets, len(self.script)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def cached(self, payment_id):
        return self._cache.get(payment_id)

    def take_auto_open(self, payment_id):
        if payment_id in self.opened_once:
            self.opened_once.discard(payment_id)
            return True
        return False


async def until(predicate, timeout=2.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.005)


# -- confirm: one payment per visit, whatever the taps and the network do --------------------------

async def confirm_vm(payments=None, bills=None, method="vietqr") -> ConfirmPaymentViewModel:
    vm = ConfirmPaymentViewModel(bills=bills or FakeBills(), payments=payments or FakePayments(), bill_id="b1",
                                 method=method, payer_name="Nguyễn Thị Lan")
    await vm.load()
    return vm


async def test_double_tap_on_confirm_creates_one_payment():
    payments = FakePayments()
    vm = await confirm_vm(payments)
    results = await asyncio.gather(vm.pay(), vm.pay(), vm.pay())
    assert len(payments.created) == 1
    assert results[0] is not None and results[0].id == "pay1"
    assert await vm.pay() is vm.payment and len(payments.created) == 1  # after it exists: nothing more


async def test_a_retry_after_a_failure_reuses_the_visit_key():
    payments = FakePayments()
    payments.create_fails = [NetworkFailure("timeout")]
    vm = await confirm_vm(payments)
    await vm.pay()
    assert vm.error.code == "timeout" and vm.payment is None and not vm.running
    await vm.pay()
    assert vm.payment is not None
    assert payments.created[0][2] == payments.created[1][2] == vm.idempotency_key
    other_visit = await confirm_vm(payments)
    assert other_visit.idempotency_key != vm.idempotency_key


async def test_a_payment_in_progress_is_offered_to_continue_or_cancel():
    payments = FakePayments()
    payments.create_fails = [RequestFailure("payment_in_progress", status=409,
                                            details={"payment_id": "other", "method": "momo"})]
    vm = await confirm_vm(payments)
    await vm.pay()
    assert vm.in_progress_id == "other" and vm.error is None and vm.payment is None
    await vm.pay()  # the button is gone; even a stray tap asks nothing
    assert len(payments.created) == 1
    payments.cancel_fails = RequestFailure("payment_not_cancellable", status=409)
    assert await vm.cancel_in_progress() is False
    assert vm.error.code == "payment_not_cancellable" and vm.in_progress_id == "other"
    payments.cancel_fails = None
    assert await vm.cancel_in_progress() is True
    assert payments.cancelled == ["other"] and vm.in_progress_id is None and not vm.cancelling


async def test_bill_already_paid_refreshes_the_bill_and_offers_nothing():
    bills = FakeBills()
    payments = FakePayments()
    payments.create_fails = [RequestFailure("bill_already_paid", status=409)]
    vm = await confirm_vm(payments, bills)
    assert vm.payable
    bills.detail = BillDetail.from_json(bill_json(amount_due=0, status="paid"))
    await vm.pay()
    assert not vm.payable and vm.error.code == "bill_already_paid"
    await vm.pay()
    assert len(payments.created) == 1


async def test_a_paid_bill_is_not_payable_and_a_method_not_offered_is_an_error():
    vm = await confirm_vm(bills=FakeBills(bill_json(amount_due=0, status="paid")))
    assert not vm.payable
    await vm.pay()
    vm2 = await confirm_vm(method="zalopay")
    assert not vm2.payable and vm2.error.code == "method_not_available"
    await vm2.pay()
    assert vm.payments.created == [] and vm2.payments.created == []


async def test_confirm_load_offline_is_an_error_with_retry():
    bills = FakeBills()
    bills.fail = NetworkFailure("network")
    vm = await confirm_vm(bills=bills)
    assert vm.detail is None and vm.error.code == "network" and not vm.loading
    bills.fail = None
    await vm.load()
    assert vm.detail is not None and vm.error is None and vm.amount == 4_640_000


# -- choose ---------------------------------------------------------------------------------------

async def test_the_last_method_comes_first_and_a_live_payment_is_found():
    payments = FakePayments()
    payments.last = "momo"
    vm = ChooseMethodViewModel(bills=FakeBills(), payments=payments, bill_id="b1")
    await vm.load()
    assert [m.id for m in vm.ordered_methods] == ["momo", "vietqr", "atm_card", "intl_card"]
    assert vm.payable and vm.in_progress_id is None
    payments.live = [payment(id="live1"), payment(id="elsewhere", bill_id="b2")]
    await vm.load()
    assert vm.in_progress_id == "live1"
    assert await vm.cancel_in_progress() and vm.in_progress_id is None


class SlowBills(FakeBills):
    """The bill arrives when the test says so: a screen can be re-shown while its load is in flight."""

    def __init__(self):
        super().__init__()
        self.release = asyncio.Event()

    async def bill(self, bill_id: str) -> Fetched:
        await self.release.wait()
        return await super().bill(bill_id)


async def _effect_reruns_while_loading(load_runner) -> ChooseMethodViewModel:
    """What Flet's scheduler does when an effect runs again: cancel the first task, start another."""
    bills = SlowBills()
    vm = ChooseMethodViewModel(bills=bills, payments=FakePayments(), bill_id="b1")
    first = asyncio.create_task(load_runner(vm.load))
    await until(lambda: vm.loading)
    first.cancel()
    second = asyncio.create_task(load_runner(vm.load))
    bills.release.set()
    await asyncio.gather(first, second, return_exceptions=True)
    await asyncio.sleep(0.01)
    return vm


async def test_a_screen_shown_again_mid_load_still_gets_its_bill():
    async def bare(load):  # the effect awaiting the load itself: cut in half, the screen loads for ever
        await load()
    stuck = await _effect_reruns_while_loading(bare)
    assert stuck.detail is None and stuck.error is None and not stuck.loading

    vm = await _effect_reruns_while_loading(run_to_completion)
    assert vm.detail is not None and vm.methods and vm.error is None and not vm.loading


# -- following a payment --------------------------------------------------------------------------

def payment_vm(payments, **kw) -> PaymentViewModel:
    opened: list[str] = []

    async def open_url(url):
        opened.append(url)
    vm = PaymentViewModel(payments=payments, payment_id="pay1", open_url=kw.pop("open_url", open_url),
                          interval=kw.pop("interval", 0.01), **kw)
    object.__setattr__(vm, "opened", opened)  # a plain list: an observable would copy it
    return vm


async def test_following_stops_when_the_payment_settles():
    payments = FakePayments()
    payments.script = [payment(), payment(state="unknown"), payment(state="succeeded", live=False)]
    vm = payment_vm(payments)
    vm.start()
    await until(lambda: not vm.following)
    assert vm.payment.paid and payments.gets == 3
    await asyncio.sleep(0.05)
    assert payments.gets == 3


async def test_stop_ends_the_questions_at_once():
    payments = FakePayments()
    payments.script = [payment()]
    vm = payment_vm(payments)
    vm.start()
    vm.start()  # a second start is the same follow-up, not a second one
    await until(lambda: payments.gets >= 3)
    vm.stop()
    seen = payments.gets
    await asyncio.sleep(0.05)
    assert payments.gets == seen and not vm.following


async def test_a_dropped_network_keeps_the_last_state_and_keeps_asking():
    payments = FakePayments()
    payments.script = [payment(), NetworkFailure("network"), NetworkFailure("network"),
                       payment(state="succeeded", live=False)]
    vm = payment_vm(payments)
    vm.start()
    await until(lambda: vm.error is not None)
    assert vm.payment.state == "awaiting_payer"
    await until(lambda: not vm.following)
    assert vm.payment.paid and vm.error is None


async def test_a_payment_that_does_not_exist_is_not_asked_about_again():
    payments = FakePayments()
    payments.script = [NotFoundFailure("payment_not_found", status=404)]
    vm = payment_vm(payments)
    vm.start()
    await until(lambda: not vm.following)
    await asyncio.sleep(0.03)
    assert payments.gets == 1 and vm.payment is None and vm.error.code == "payment_not_found"


async def test_following_gives_up_after_a_while_and_can_be_restarted_by_hand():
    payments = FakePayments()
    payments.script = [payment()]
    vm = payment_vm(payments, max_duration=0.05)
    vm.start()
    await until(lambda: not vm.following)
    assert vm.payment.pending  # still waiting: the screen offers "Check again"
    payments.script = [payment(state="succeeded", live=False)]
    payments.gets = 0
    await vm.check_now()
    assert vm.payment.paid and not vm.checking


async def test_the_pay_page_opens_by_itself_once_and_never_while_the_bank_is_asked():
    payments = FakePayments()
    card = payment(method="atm_card", provider="vnpay", qr_payload=None, account=None, pay_url="https://vnpay/x")
    payments.script = [card]
    payments.opened_once = {"pay1"}
    vm = payment_vm(payments)
    vm.start()
    await until(lambda: payments.gets >= 3)
    vm.stop()
    assert vm.opened == ["https://vnpay/x"] and vm.redirect and vm.can_pay
    payments.script = [replace(card, state="unknown")]
    payments.opened_once = {"pay1"}
    vm = payment_vm(payments)
    vm.start()
    await until(lambda: vm.payment is not None)
    vm.stop()
    assert vm.opened == [] and not vm.can_pay
    await vm.cancel()  # nor can it be cancelled while the bank is being asked
    assert payments.cancelled == []


async def test_a_page_that_cannot_be_opened_is_said_not_raised():
    async def broken(_url):
        raise RuntimeError("no browser")
    payments = FakePayments()
    payments.script = [payment(pay_url="https://vnpay/x", qr_payload=None)]
    vm = payment_vm(payments, open_url=broken)
    await vm.refresh()
    await vm.open_pay_page()
    assert vm.action_error.code == "launch_failed" and not vm.opening


async def test_cancel_that_lost_a_race_shows_the_true_state():
    payments = FakePayments()
    payments.script = [payment(), payment(state="succeeded", live=False)]
    payments.cancel_fails = RequestFailure("payment_not_cancellable", status=409)
    vm = payment_vm(payments)
    await vm.refresh()
    await vm.cancel()
    assert vm.action_error.code == "payment_not_cancellable" and vm.payment.paid


async def test_a_bug_in_one_tick_does_not_end_following():
    calls = []

    async def tick():
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("boom")
        return len(calls) < 3
    ended = []
    poller = Poller(tick, interval=0.005, max_duration=5, on_end=lambda: ended.append(1))
    poller.start()
    await until(lambda: ended)
    assert len(calls) == 3 and not poller.running


# -- home ---------------------------------------------------------------------------------------

async def test_home_lists_live_payments_and_keeps_them_when_offline():
    class Bills:
        async def outstanding(self):
            raise NetworkFailure("network")
    payments = FakePayments()
    payments.live = [payment(), payment(id="done", state="succeeded", live=False)]
    home = HomeViewModel(bills=Bills(), payments=payments)
    await home.load()
    assert [p.id for p in home.active] == ["pay1"] and home.error.code == "network"

    async def offline():
        raise NetworkFailure("network")
    payments.active = offline
    await home.load_active()
    assert [p.id for p in home.active] == ["pay1"]


# -- what the payer reads -------------------------------------------------------------------------

def test_failure_reasons_and_the_amount_in_words():
    vi, en = I18n("vi"), I18n("en")
    assert failure_reason(vi, payment(state="failed", failure_code="24")) == "Bạn đã huỷ giao dịch."
    assert failure_reason(vi, payment(state="failed", failure_code="51")).startswith("Tài khoản của bạn không đủ")
    assert failure_reason(vi, payment(state="failed", failure_code="1006")) == "Bạn đã từ chối thanh toán trong MoMo."
    assert failure_reason(vi, payment(state="expired", failure_code=None)) == "Đã hết thời gian thanh toán."
    assert failure_reason(vi, payment(state="failed", failure_code="99")) == "Thanh toán không thành công."
    assert failure_reason(en, payment(state="cancelled", failure_code="cancelled")) == "The payment was cancelled."
    for code in ("24", "51", "11", "09", "10", "65", "75", "79", "07", "1006", "1005", "expired", "cancelled"):
        assert failure_reason(vi, payment(state="failed", failure_code=code)) != "Thanh toán không thành công."
    assert amount_words(vi, 1_500_000) == "Một triệu năm trăm nghìn đồng"
    assert amount_words(en, 1_500_000) == "One million five hundred thousand dong"
    assert fee_text(vi, 0) == "Miễn phí" and fee_text(vi, 3_300) == "Phí 3.300\u00a0₫"


def test_payment_json_is_read_once_and_money_must_be_int():
    p = payment(state="succeeded", received_amount=4_000_000, settled_at="2026-11-22T03:05:00+00:00")
    assert p.paid and p.shortfall == 640_000 and p.settled_at.tzinfo is not None
    assert I18n("vi").moment(p.settled_at) == "22/11/2026 10:05"
    assert payment(state="failed").failed and payment(state="unknown").pending
    with pytest.raises(TypeError):
        payment(amount=10.5)


def test_the_qr_image_is_a_png_of_the_payload():
    from PIL import Image
    payload = ("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA53037045406180000"
               "5802VN62340107NPS68690819thanh toan don hang63042E2E")
    png = qr_png(payload, scale=4)
    image = Image.open(io.BytesIO(png))
    matrix = qr_matrix(payload)
    assert image.size == (len(matrix) * 4, len(matrix) * 4) and image.mode == "L"
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            assert image.getpixel((x * 4 + 1, y * 4 + 1)) == (0 if dark else 255)


# -- the repository, against HTTP stand-ins ---------------------------------------------------------

def repo(handler, settings=None) -> PaymentsRepository:
    async def token():
        return "t"
    api = ApiClient("http://x", token, transport=httpx.MockTransport(handler), backoff=0)
    return PaymentsRepository(api, settings or MemorySettingsStore())


async def test_create_sends_the_key_and_remembers_the_method():
    seen = []

    def handler(request):
        seen.append((request.headers["Idempotency-Key"], json.loads(request.content)))
        return httpx.Response(201, json=payment_json(method="momo"))
    settings = MemorySettingsStore()
    r = repo(handler, settings)
    p = await r.create("b1", "momo", "key-1")
    assert seen == [("key-1", {"bill_id": "b1", "method": "momo"})]
    assert settings.values[LAST_METHOD_KEY] == "momo" and await r.last_method() == "momo"
    assert r.cached(p.id) == p
    assert r.take_auto_open(p.id) and not r.take_auto_open(p.id)


async def test_an_unreadable_answer_is_a_server_failure_not_a_crash():
    r = repo(lambda request: httpx.Response(200, json={"id": "x"}))
    with pytest.raises(ServerFailure) as info:
        await r.get("x")
    assert info.value.code == "bad_response"


async def test_methods_keep_the_last_good_list_when_offline():
    online = [True]

    def handler(request):
        if not online[0]:
            raise httpx.ConnectError("down", request=request)
        return httpx.Response(200, json={"methods": [{"id": "vietqr", "fee": 0}]})
    r = repo(handler)
    assert await r.methods() == [PaymentMethod("vietqr", 0)]
    online[0] = False
    assert await r.methods() == [PaymentMethod("vietqr", 0)]
    r.forget()
    with pytest.raises(NetworkFailure):
        await r.methods()
