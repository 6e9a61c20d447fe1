"""Security view-models against the real server app (no Flet client involved)."""

from __future__ import annotations

import asyncio

import pytest

from app.data.api import RequestFailure
from app.data.security import FakeBiometrics, SecurityRepository
from app.data.storage import MemorySecretStore
from app.ui.security.owner_check import OwnerCheckViewModel
from tests.app.conftest import latest_code

PIN = "480275"


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def secrets():
    return MemorySecretStore()


@pytest.fixture
def security(api, secrets):
    return SecurityRepository(api, secrets)


async def sign_in_with_pin(auth_repo, server, security, pin: str | None = PIN, phone="+84912345678"):
    await auth_repo.request_code(phone)
    user = await auth_repo.verify_code(phone, latest_code(server, phone))
    if pin is not None:
        await security.set_pin(pin)
    return user


async def test_a_new_user_has_no_pin_until_one_is_set(auth_repo, server, security):
    user = await sign_in_with_pin(auth_repo, server, security, pin=None)
    assert user.has_pin is False
    await security.set_pin(PIN)
    assert (await auth_repo.current_user()).has_pin is True


async def test_owner_check_gives_a_confirmation_usable_once(auth_repo, server, security, secrets):
    await sign_in_with_pin(auth_repo, server, security)
    vm = OwnerCheckViewModel(security, None, False)
    token = await vm.with_pin(PIN)
    assert token and vm.error is None and not vm.running
    await security.enable_biometrics(token)  # spends it
    assert await secrets.get("biometric_key")
    with pytest.raises(RequestFailure) as spent:
        await security.enable_biometrics(token)
    assert spent.value.code == "confirmation_invalid"


async def test_owner_check_wrong_pin_counts_down_then_locks(auth_repo, server, security):
    await sign_in_with_pin(auth_repo, server, security)
    clock = Clock()
    vm = OwnerCheckViewModel(security, None, False, clock=clock)
    assert await vm.with_pin("12") is None and vm.error.code == "pin_format"
    assert await vm.with_pin("111111") is None
    assert vm.error.code == "pin_wrong" and vm.attempts_left == 4
    for _ in range(4):
        await vm.with_pin("111111")
    assert vm.locked and vm.error.code == "pin_locked" and 0 < vm.lock_seconds_left <= 60
    assert await vm.with_pin(PIN) is None  # locked: not even asked
    clock.now += 61
    assert not vm.locked  # the app asks again; the test server's clock stands still, so it is still locked
    assert await vm.with_pin(PIN) is None and vm.error.code == "pin_locked" and vm.locked


async def test_owner_check_blocks_double_taps(auth_repo, server, security, transport):
    await sign_in_with_pin(auth_repo, server, security)
    vm = OwnerCheckViewModel(security, None, False)
    before = len(transport.requests)
    first, second = await asyncio.gather(vm.with_pin(PIN), vm.with_pin(PIN))
    assert first and second is None
    assert len(transport.requests) - before == 1


async def test_owner_check_with_biometrics(auth_repo, server, security, secrets):
    await sign_in_with_pin(auth_repo, server, security)
    await security.enable_biometrics((await security.verify_pin(PIN)).token)
    fake = FakeBiometrics()
    vm = OwnerCheckViewModel(security, fake, True)
    assert await vm.with_biometrics("Confirm the payment")
    assert fake.reasons == ["Confirm the payment"]
    fake.answer = False
    assert await vm.with_biometrics("Confirm the payment") is None and vm.error.code == "biometric_failed"
    await secrets.set("biometric_key", "forged")
    fake.answer = True
    assert await vm.with_biometrics("Confirm the payment") is None
    assert vm.error.code == "biometric_key_invalid" and not vm.biometric_enabled
    assert await secrets.get("biometric_key") is None
