from __future__ import annotations

from pydantic import BaseModel

from server.institutions.schemas import InstitutionOut


class RegistryInstitution(InstitutionOut):
    invoice_pattern: str  # a full-match regex of the invoice codes it prints


class RegistryFlagged(BaseModel):
    bank_bin: str
    account_number: str
    reason: str
    institution_id: str | None


class RegistryFlaggedPhone(BaseModel):
    phone: str  # +84…
    reason: str
    institution_id: str | None


class RegistryOut(BaseModel):
    version: str
    institutions: list[RegistryInstitution]
    flagged: list[RegistryFlagged]
    flagged_phones: list[RegistryFlaggedPhone]
