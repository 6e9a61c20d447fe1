from __future__ import annotations

from pydantic import BaseModel


class SupportContact(BaseModel):
    name: str
    phone: str
    email: str


class AccountOut(BaseModel):
    bank_bin: str
    bank_name: str
    account_number: str
    holder_name: str


class InstitutionOut(BaseModel):
    id: str
    name: str
    short_name: str
    kind: str
    province: str
    hotline: str
    support: SupportContact
    accounts: list[AccountOut]
