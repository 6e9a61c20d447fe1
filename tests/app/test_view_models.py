"""View-models and repositories against the real server app (no Flet client involved)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.data.api import ApiClient, AuthFailure, NetworkFailure, RequestFailure, ServerFailure
from app.ui.home.view_model import HomeViewModel
from app.ui.session.view_model import SessionViewModel
from app.ui.sign_in.view_model import SignInViewModel
from tests.app.conftest import latest_code


async def signed_in(auth_repo, bills_repo, server) -> SessionViewModel:
    session = SessionViewModel(auth=auth_repo, bills=bills_repo)
    vm = SignInViewModel(auth=auth_repo, session=session)
    vm.set_phone("+84 912 345 678")
    await vm.submit_phone()
    vm.set_code(latest_code(server))
    await vm.submit_code()
    return session


async def test_sign_in_two_steps(auth_repo, bills_repo, server, tokens):
    session = await signed_in(auth_repo, bills_repo, server)
    assert session.status == "signed_in" and session.user.full_name == "Nguyễn Thị Lan"
    assert await tokens.read()


async def test_pasted_code_with_spaces_is_accepted(auth_repo, bills_repo, server):
    session = SessionViewModel(auth=auth_repo, bills=bills_repo)
    vm = SignInViewModel(auth=auth_repo, session=session)
    vm.set_phone("0912345678")
    await vm.submit_phone()
    code = latest_code(server)
    vm.set_code(f" {code[:3]} {code[3:]} ")
    assert vm.code == code
    await vm.submit_code()
    assert session.status == "signed_in"


async def test_double_tap_sends_one_code(auth_repo, bills_repo, server):
    vm = SignInViewModel(auth=auth_repo, session=SessionViewModel(auth=auth_repo, bills=bills_repo))
    vm.set_phone("0912345678")
    await asyncio.gather(vm.submit_phone(), vm.submit_phone())
    from server.auth.sms import read_outbox
    assert len(read_outbox(server.state.settings.sms_outbox)) == 1
    assert vm.error is None and vm.step == "code"


async def test_throttled_resend_keeps_the_user_on_the_code_step(auth_repo, bills_repo, server):
    vm = SignInViewModel(auth=auth_repo, session=SessionViewModel(auth=auth_repo, bills=bills_repo))
    vm.set_phone("0912345678")
    await vm.submit_phone()
    await vm.resend()
    assert vm.step == "code" and vm.error.code == "otp_resend_too_soon"
    assert vm.error.details["retry_after"] > 0


async def test_code_must_be_six_digits_before_asking_the_server(auth_repo, bills_repo, server):
    vm = SignInViewModel(auth=auth_repo, session=SessionViewModel(auth=auth_repo, bills=bills_repo))
    vm.set_phone("0912345678")
    await vm.submit_phone()
    vm.set_code("123")
    await vm.submit_code()
    assert vm.error.code == "code_format"


async def test_home_loads_and_keeps_last_list_when_offline(auth_repo, bills_repo, server, transport):
    await signed_in(auth_repo, bills_repo, server)
    home = HomeViewModel(bills=bills_repo)
    await home.load()
    assert home.outstanding.total_due == 9_894_520 and not home.stale
    transport.online = False
    await home.load()
    assert home.stale and home.outstanding.total_due == 9_894_520
    assert isinstance(home.error, NetworkFailure)
    assert home.fetched_at.strftime("%H:%M") == "10:32"


async def test_home_offline_without_cache_is_an_error_with_retry(auth_repo, bills_repo, server, transport):
    await signed_in(auth_repo, bills_repo, server)
    transport.online = False
    home = HomeViewModel(bills=bills_repo)
    await home.load()
    assert home.outstanding is None and isinstance(home.error, NetworkFailure)
    transport.online = True
    await home.load()
    assert home.outstanding is not None and home.error is None


async def test_sign_out_forgets_cached_bills(auth_repo, bills_repo, server, tokens):
    session = await signed_in(auth_repo, bills_repo, server)
    await bills_repo.outstanding()
    await session.sign_out()
    assert session.status == "signed_out" and await tokens.read() is None
    with pytest.raises(AuthFailure):
        await bills_repo.outstanding()


async def test_restore_with_a_revoked_token_signs_out(auth_repo, bills_repo, tokens):
    await tokens.write("not-valid")
    session = SessionViewModel(auth=auth_repo, bills=bills_repo)
    await session.restore()
    assert session.status == "signed_out" and await tokens.read() is None


async def test_restore_offline_keeps_the_session(auth_repo, bills_repo, tokens, transport):
    await tokens.write("some-token")
    transport.online = False
    session = SessionViewModel(auth=auth_repo, bills=bills_repo)
    await session.restore()
    assert session.status == "signed_in"


# -- the API client's failure typing, against small real HTTP stand-ins ------------------------

def _client(handler, **kw) -> ApiClient:
    async def token():
        return "t"
    return ApiClient("http://x", token, transport=httpx.MockTransport(handler), backoff=0, **kw)


async def test_get_retries_on_503_then_succeeds():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(503) if len(calls) < 3 else httpx.Response(200, json={"ok": True})
    assert await _client(handler).get("/a") == {"ok": True}
    assert len(calls) == 3


async def test_post_is_not_repeated_after_a_timeout_but_carries_an_idempotency_key():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ReadTimeout("slow", request=request)
    with pytest.raises(NetworkFailure) as info:
        await _client(handler).post("/pay", {"a": 1})
    assert info.value.code == "timeout" and len(calls) == 1
    assert calls[0].headers["Idempotency-Key"]


async def test_error_body_becomes_a_typed_failure():
    def handler(request):
        return httpx.Response(409, json={"error": {"code": "person_already_added", "message": "m"}})
    with pytest.raises(RequestFailure) as info:
        await _client(handler).post("/family/students", {})
    assert info.value.code == "person_already_added" and info.value.status == 409


async def test_non_json_success_is_a_server_failure():
    with pytest.raises(ServerFailure):
        await _client(lambda r: httpx.Response(200, text="<html>")).get("/a")


async def test_unauthorized_calls_the_hook():
    hit = []

    async def hook():
        hit.append(1)
    client = _client(lambda r: httpx.Response(401, json={"error": {"code": "unauthorized"}}), on_unauthorized=hook)
    with pytest.raises(AuthFailure):
        await client.get("/a")
    assert hit == [1]


def test_money_from_the_api_must_be_int():
    from app.models import BillSummary
    with pytest.raises(TypeError):
        BillSummary.from_json({"id": "1", "invoice_code": "X", "kind": "tuition", "title": "t", "period": "p",
                               "institution_name": "i", "due_date": "2026-11-22", "total": 10.5,
                               "amount_paid": 0, "amount_due": 10, "status": "open", "overdue": False})
