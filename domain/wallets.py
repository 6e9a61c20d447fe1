"""E-wallets and Mobile Money a payer can link; the ones with a NAPAS BIN carry it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wallet:
    id: str
    name: str
    bin: str | None = None  # NAPAS BIN where the wallet has one (Mobile Money, MoMo)
    mobile_money: bool = False


WALLETS: tuple[Wallet, ...] = (
    Wallet("momo", "MoMo", "971025"),
    Wallet("zalopay", "ZaloPay"),
    Wallet("viettelmoney", "Viettel Money", "971005", mobile_money=True),
    Wallet("vnptmoney", "VNPT Money", "971011", mobile_money=True),
)


def wallet_by_id(wallet_id: str) -> Wallet | None:
    return next((w for w in WALLETS if w.id == wallet_id), None)
