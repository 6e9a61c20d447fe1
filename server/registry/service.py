"""The registry the app checks scanned QRs against, offline: institutions, their accounts, flagged accounts
and the phone numbers confirmed as scammers'.

`version` is a hash of the content itself, so any change (an account added, one flagged) changes
it, every API process computes the same value without coordination, and it serves as the ETag.
Sorting happens here, not in SQL, so the order (and the hash) does not depend on the database's collation.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from server.fraud.models import FlaggedAccount, FlaggedPhone
from server.institutions.models import Institution
from server.institutions.service import institution_out
from server.registry.schemas import RegistryFlagged, RegistryFlaggedPhone, RegistryInstitution, RegistryOut


def _institutions(db: Session) -> list[RegistryInstitution]:
    out = []
    for inst in db.scalars(select(Institution).options(selectinload(Institution.accounts))):
        base = institution_out(inst)
        accounts = sorted(base.accounts, key=lambda a: (a.bank_bin, a.account_number))
        out.append(RegistryInstitution(**base.model_dump(exclude={"accounts"}), accounts=accounts,
                                       invoice_pattern=inst.invoice_pattern))
    return sorted(out, key=lambda i: (i.name, i.id))


def _flagged(db: Session) -> list[RegistryFlagged]:
    rows = [RegistryFlagged(bank_bin=f.bank_bin, account_number=f.account_number, reason=f.reason,
                            institution_id=f.institution_id) for f in db.scalars(select(FlaggedAccount))]
    return sorted(rows, key=lambda f: (f.bank_bin, f.account_number))


def _flagged_phones(db: Session) -> list[RegistryFlaggedPhone]:
    rows = [RegistryFlaggedPhone(phone=f.phone, reason=f.reason, institution_id=f.institution_id)
            for f in db.scalars(select(FlaggedPhone))]
    return sorted(rows, key=lambda f: f.phone)


def content_version(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def registry(db: Session) -> RegistryOut:
    institutions, flagged, phones = _institutions(db), _flagged(db), _flagged_phones(db)
    content = {"institutions": [i.model_dump() for i in institutions], "flagged": [f.model_dump() for f in flagged],
               "flagged_phones": [p.model_dump() for p in phones]}
    return RegistryOut(version=content_version(content), institutions=institutions, flagged=flagged,
                       flagged_phones=phones)


def etag_matches(if_none_match: str | None, version: str) -> bool:
    """RFC 9110 If-None-Match: a list of tags, quoted or (leniently) bare, weak W/ forms compare equal, `*` matches."""
    if not if_none_match:
        return False
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        if tag[:2] in ("W/", "w/"):
            tag = tag[2:]
        if tag.strip('"') == version:
            return True
    return False
