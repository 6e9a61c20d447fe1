from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from server.clock import as_utc
from server.payments.models import LIVE_STATES, Payment
from server.payments.service import bank_name


class CreatePayment(BaseModel):
    bill_id: str = Field(min_length=1, max_length=36)
    method: Literal["vietqr", "atm_card", "intl_card", "momo", "linked"]
    # method "linked": the payer's linked account, and the PIN/biometric confirmation given just before.
    source_id: str | None = Field(default=None, max_length=36)
    confirmation: str | None = Field(default=None, max_length=200)


class MethodOut(BaseModel):
    id: str
    fee: int


class MethodsOut(BaseModel):
    methods: list[MethodOut]


class AccountOut(BaseModel):
    bank_bin: str
    bank_name: str | None
    account_number: str
    holder_name: str


class HistoryOut(BaseModel):
    at: dt.datetime
    state: str
    cause: str


class PaymentOut(BaseModel):
    id: str
    bill_id: str
    method: str
    provider: str
    state: str
    live: bool
    amount: int
    fee: int
    payer_name: str
    beneficiary_name: str
    reason: str
    invoice_code: str
    institution_name: str
    reference: str
    provider_txn: str | None
    pay_url: str | None
    deeplink: str | None
    qr_payload: str | None
    transfer_content: str | None
    account: AccountOut | None
    bank_app_url: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    settled_at: dt.datetime | None
    received_amount: int | None
    refund_amount: int
    failure_code: str | None
    nothing_debited: bool
    history: list[HistoryOut]
    source_id: str | None = None

    @classmethod
    def of(cls, p: Payment) -> PaymentOut:
        account = None
        if p.account_bin and p.account_number and p.provider == "vietqr" and p.qr_payload:
            account = AccountOut(bank_bin=p.account_bin, bank_name=bank_name(p.account_bin),
                                 account_number=p.account_number, holder_name=p.account_holder or "")
        is_vietqr = p.provider == "vietqr"
        return cls(
            id=p.id, bill_id=p.bill_id, method=p.method, provider=p.provider, state=p.state,
            live=p.state in LIVE_STATES, amount=p.amount, fee=p.fee, payer_name=p.payer_name,
            beneficiary_name=p.beneficiary_name, reason=p.reason, invoice_code=p.invoice_code,
            institution_name=p.bill.institution.name, reference=p.reference, provider_txn=p.provider_txn,
            pay_url=None if is_vietqr else p.pay_url, deeplink=p.deeplink, qr_payload=p.qr_payload,
            transfer_content=p.transfer_content, account=account, bank_app_url=p.pay_url if is_vietqr else None,
            created_at=as_utc(p.created_at), expires_at=as_utc(p.expires_at),
            settled_at=as_utc(p.settled_at) if p.settled_at else None, received_amount=p.received_amount,
            refund_amount=p.refund_amount, failure_code=p.failure_code, nothing_debited=p.nothing_debited,
            history=[HistoryOut(at=as_utc(e.at), state=e.to_state, cause=e.cause) for e in p.events],
            source_id=p.source_id,
        )


class PaymentsOut(BaseModel):
    payments: list[PaymentOut]
