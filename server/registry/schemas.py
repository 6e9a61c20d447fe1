from __future__ import annotations

from pydantic import BaseModel

from server.institutions.schemas import AccountOut, SupportContact


class RegistryInstitution(BaseModel):
    id: str
    name: str
    short_name: str
    kind: str
    province: str
    hotline: str
    invoice_pattern: str
    support: SupportContact
    accounts: list[AccountOut]


class RegistryFlagged(BaseModel):
    bank_bin: str
    account_number: str
    reason: str
    institution_id: str | None


class RegistryOut(BaseModel):
    version: str
    institutions: list[RegistryInstitution]
    flagged: list[RegistryFlagged]
