"""Linked-account view-models: checks made on the device, then the whole link and pay flow against the
real server app and its sandbox provider (consent page, callbacks, token charge)."""

from __future__ import annotations

import pytest

from app.data.api import ApiFailure
from app.ui.accounts.view_model import AccountNumberViewModel, ChooseProviderViewModel


class NoCalls:
    """A repository that must not be reached: the device's own checks stop bad input first."""

    def __getattr__(self, name):
        raise AssertionError(f"the server was asked ({name}) although the input was bad")


def test_bank_search_by_name_short_name_or_bin_and_no_wallets():
    vm = ChooseProviderViewModel(kind="bank")
    vm.search("vietcom")
    assert vm.banks[0].short_name == "Vietcombank"
    vm.search("970436")
    assert [b.short_name for b in vm.banks] == ["Vietcombank"]
    vm.search("VCB")
    assert vm.banks[0].bin == "970436"
    vm.search("")
    assert all(not b.is_wallet for b in vm.banks) and len(vm.banks) > 50
    vm.search("momo")
    assert vm.banks == []  # a wallet is linked as a wallet, not as a bank


def test_wallet_search_accent_insensitive():
    vm = ChooseProviderViewModel(kind="wallet")
    assert [w.id for w in vm.wallets] == ["momo", "zalopay", "viettelmoney", "vnptmoney"]
    vm.search("viettel")
    assert [w.id for w in vm.wallets] == ["viettelmoney"]


@pytest.mark.parametrize("kind, provider, number, problem", [
    ("bank", "970436", "12345", "account_number_invalid"),
    ("bank", "970436", "1234 5678 9012 3456 7890", "account_number_invalid"),  # 20 digits
    ("bank", "970436", "12345a789", "account_number_invalid"),
    ("bank", "970436", "", "account_number_invalid"),
    ("bank", "999999", "0123456789", "unknown_bank"),
    ("bank", "971025", "0123456789", "unknown_bank"),  # MoMo's BIN is a wallet
    ("wallet", "momo", "12345", "wallet_phone_invalid"),
    ("wallet", "paypal", "0912345678", "unknown_wallet"),
])
async def test_bad_numbers_are_caught_on_the_device(kind, provider, number, problem):
    vm = AccountNumberViewModel(accounts=NoCalls(), kind=kind, provider=provider)
    vm.type_number(number)
    assert await vm.start() is None
    assert vm.problem == problem
    vm.type_number("1")
    assert vm.problem is None  # typing again clears the message


class RecordingAccounts:
    def __init__(self, fail: ApiFailure | None = None):
        self.calls, self.fail = [], fail

    async def start_link(self, kind, provider, number, key):
        self.calls.append((kind, provider, number, key))
        if self.fail:
            raise self.fail
        from app.models import LinkRequest
        return LinkRequest(id="l1", kind=kind, provider=provider, provider_name="x", account_masked="•••• 6789",
                           state="pending", approve_url="http://x", expires_at=None, failure_code=None, source=None)


async def test_spaces_are_removed_and_a_retry_reuses_the_key():
    accounts = RecordingAccounts(fail=ApiFailure("network"))
    vm = AccountNumberViewModel(accounts=accounts, kind="bank", provider="970436")
    vm.type_number(" 0011 0012 3456 789 ")
    assert await vm.start() is None and vm.error.code == "network"
    accounts.fail = None
    link = await vm.start()
    assert link is not None and link.id == "l1"
    assert [c[2] for c in accounts.calls] == ["001100123456789"] * 2
    assert accounts.calls[0][3] == accounts.calls[1][3]  # the same Idempotency-Key: one link request
    assert await vm.start() is link and len(accounts.calls) == 2  # a second tap asks nothing
