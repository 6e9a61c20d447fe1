"""Is the account behind a VietQR really the school's or hospital's? Decided offline from the registry.

The registry is what the server publishes (`GET /registry`): every institution with its collection
accounts, the invoice-code format it prints, the accounts flagged as fraudulent and the phone numbers
confirmed as scammers'. A scammer's QR usually still *claims* an institution (its name in the transfer
note, a real-looking invoice code, or simply the place the payer is standing in), so a claim with a
foreign account is a MISMATCH, not merely UNKNOWN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from domain.phone import InvalidPhoneNumber, normalize_phone
from domain.text import normalize_for_match
from domain.vietqr import VietQR


class Verdict(str, Enum):
    VERIFIED = "verified"
    MISMATCH = "mismatch"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RegisteredAccount:
    bank_bin: str
    account_number: str
    holder_name: str


@dataclass(frozen=True)
class RegisteredInstitution:
    id: str
    name: str
    short_name: str
    kind: str  # school | hospital
    province: str
    hotline: str
    accounts: tuple[RegisteredAccount, ...]
    invoice_pattern: str = ""  # a full-match regex for the invoice codes it prints; "" = none known
    support_name: str = ""
    support_phone: str = ""

    def owns(self, bank_bin: str, account: str) -> bool:
        return any(a.bank_bin == bank_bin and _same_account(a.account_number, account) for a in self.accounts)

    def names(self) -> set[str]:
        """The ways its name shows up in ASCII transfer notes: full name, short name, account holder."""
        out = {normalize_for_match(self.name), normalize_for_match(self.short_name)}
        out |= {normalize_for_match(a.holder_name) for a in self.accounts}
        return {n for n in out if len(n) >= 6}  # a bare "bv" or "th" would match anything

    def core_name(self) -> str:
        """The proper name at the end ("hong phuc" of "Bệnh viện Đa khoa Hồng Phúc"): notes abbreviate the rest."""
        return " ".join(normalize_for_match(self.name).split()[-2:])


@dataclass(frozen=True)
class FlaggedAccount:
    bank_bin: str
    account_number: str
    reason: str
    institution_id: str | None = None  # the institution it was used to impersonate, when known


@dataclass(frozen=True)
class FlaggedPhone:
    """A phone number confirmed as a scammer's: the app warns whoever is talking to it."""
    phone: str  # +84…
    reason: str
    institution_id: str | None = None  # the institution it was used to impersonate, when known


@dataclass(frozen=True)
class Registry:
    version: str
    institutions: tuple[RegisteredInstitution, ...]
    flagged: tuple[FlaggedAccount, ...] = ()
    flagged_phones: tuple[FlaggedPhone, ...] = ()

    def institution(self, institution_id: str | None) -> RegisteredInstitution | None:
        return next((i for i in self.institutions if i.id == institution_id), None)

    def owner_of(self, bank_bin: str, account: str) -> RegisteredInstitution | None:
        return next((i for i in self.institutions if i.owns(bank_bin, account)), None)

    def flag_of(self, bank_bin: str, account: str) -> FlaggedAccount | None:
        return next((f for f in self.flagged
                     if f.bank_bin == bank_bin and _same_account(f.account_number, account)), None)

    def phone_flag_of(self, phone: str) -> FlaggedPhone | None:
        """The flag on a number however it was typed ("0888 000 111", "+84888000111"); None if not a phone."""
        try:
            canonical = normalize_phone(phone)
        except InvalidPhoneNumber:
            return None
        return next((f for f in self.flagged_phones if f.phone == canonical), None)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Registry:
        """Build from the server's JSON; raises ValueError on anything malformed (never half a registry)."""
        try:
            institutions = tuple(
                RegisteredInstitution(
                    id=str(i["id"]), name=str(i["name"]), short_name=str(i["short_name"]), kind=str(i["kind"]),
                    province=str(i["province"]), hotline=str(i["hotline"]),
                    invoice_pattern=str(i.get("invoice_pattern") or ""),
                    support_name=str((i.get("support") or {}).get("name", "")),
                    support_phone=str((i.get("support") or {}).get("phone", "")),
                    accounts=tuple(RegisteredAccount(str(a["bank_bin"]), str(a["account_number"]),
                                                     str(a["holder_name"])) for a in i["accounts"]),
                )
                for i in data["institutions"]
            )
            flagged = tuple(FlaggedAccount(str(f["bank_bin"]), str(f["account_number"]), str(f.get("reason", "")),
                                           f.get("institution_id")) for f in data.get("flagged", []))
            # Absent from copies cached before phones were published: those still load, with no phones.
            phones = tuple(FlaggedPhone(_canonical_phone(str(p["phone"])), str(p.get("reason", "")),
                                        p.get("institution_id")) for p in data.get("flagged_phones") or [])
            for inst in institutions:
                if inst.invoice_pattern:
                    re.compile(inst.invoice_pattern)
            return cls(version=str(data["version"]), institutions=institutions, flagged=flagged,
                       flagged_phones=phones)
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise ValueError(f"malformed registry: {exc!r}") from exc


class Claim(str, Enum):
    """How a QR points at an institution, strongest first."""
    PLACE = "place"  # the payer said where they are (the school office, the hospital's cash desk)
    BILL_NUMBER = "bill_number"  # object 62/01 or the note has an invoice code in that institution's format
    NAME = "name"  # the institution's name in the merchant name or the transfer note


@dataclass(frozen=True)
class PayeeCheck:
    verdict: Verdict
    reason: str  # registered_account | flagged_account | other_institution_account | not_institution_account | not_in_registry
    institution: RegisteredInstitution | None = None  # verified: the owner; mismatch: the one claimed
    owner: RegisteredInstitution | None = None  # mismatch: whose account it really is, if anyone's
    claim: Claim | None = None
    flag: FlaggedAccount | None = None
    claims: tuple[tuple[Claim, str], ...] = field(default=())  # every (claim, institution id) found


def claims_of(qr: VietQR, registry: Registry, at_institution_id: str | None = None) -> list[tuple[Claim, str]]:
    """Every institution the QR (or the payer's stated place) points at, strongest claim first."""
    found: list[tuple[Claim, str]] = []
    if registry.institution(at_institution_id) is not None:
        found.append((Claim.PLACE, at_institution_id))
    codes = [c for c in (qr.bill_number, qr.purpose) if c]
    for inst in registry.institutions:
        if inst.invoice_pattern and any(_mentions_code(inst.invoice_pattern, c) for c in codes):
            found.append((Claim.BILL_NUMBER, inst.id))
    text = normalize_for_match(" ".join(t for t in (qr.merchant_name, qr.purpose, qr.bill_number) if t))
    padded = f" {text} "
    words = set(text.split())
    for inst in registry.institutions:
        full = any(f" {name} " in padded for name in inst.names())
        # "VIEN PHI BV HONG PHUC": the proper name plus a word of the institution's kind; the proper name
        # alone ("Tôn Hoa Sen") is too common to count.
        core = f" {inst.core_name()} " in padded and (
            bool(words & _KIND_WORDS.get(inst.kind, set()))
            or any(f" {p} " in padded for p in _KIND_PHRASES.get(inst.kind, ())))
        if full or core:
            found.append((Claim.NAME, inst.id))
    seen: set[tuple[Claim, str]] = set()
    return [c for c in found if not (c in seen or seen.add(c))]


def check_payee(qr: VietQR, registry: Registry, at_institution_id: str | None = None) -> PayeeCheck:
    """VERIFIED only for a registered, unflagged account that nothing contradicts."""
    claims = tuple(claims_of(qr, registry, at_institution_id))
    owner = registry.owner_of(qr.bin, qr.account)
    flag = registry.flag_of(qr.bin, qr.account)
    if flag is not None:
        claim = claims[0] if claims else None
        claimed = registry.institution(claim[1]) if claim else registry.institution(flag.institution_id)
        return PayeeCheck(Verdict.MISMATCH, "flagged_account", institution=claimed, owner=None,
                          claim=claim[0] if claim else None, flag=flag, claims=claims)
    # A name or code that matches the owner too is not evidence against it (formats and names can overlap).
    owner_kinds = {c for c, i in claims if owner is not None and i == owner.id}
    foreign = next(((c, i) for c, i in claims
                    if owner is None or (i != owner.id and (c is Claim.PLACE or c not in owner_kinds))), None)
    if owner is not None:
        if foreign is not None:  # e.g. a school's real account printed as "the hospital's" QR
            return PayeeCheck(Verdict.MISMATCH, "other_institution_account",
                              institution=registry.institution(foreign[1]), owner=owner, claim=foreign[0],
                              claims=claims)
        return PayeeCheck(Verdict.VERIFIED, "registered_account", institution=owner, owner=owner, claims=claims)
    if foreign is not None:
        return PayeeCheck(Verdict.MISMATCH, "not_institution_account", institution=registry.institution(foreign[1]),
                          claim=foreign[0], claims=claims)
    return PayeeCheck(Verdict.UNKNOWN, "not_in_registry", claims=claims)


_KIND_WORDS = {"school": {"truong", "th", "thcs", "thpt", "mn"},
               "hospital": {"bv", "bvdk", "bvda", "benhvien", "vienphi"}}
_KIND_PHRASES = {"school": ("hoc phi", "tieu hoc", "mam non", "trung hoc"),
                 "hospital": ("benh vien", "vien phi", "kham benh", "da khoa")}


def _canonical_phone(text: str) -> str:
    """A number this version cannot read is kept as sent (it matches nothing) rather than failing the registry."""
    try:
        return normalize_phone(text)
    except InvalidPhoneNumber:
        return text


def _same_account(a: str, b: str) -> bool:
    return a.strip().upper() == b.strip().upper()


def _mentions_code(pattern: str, text: str) -> bool:
    """The invoice code alone, or as one word of a note ("HP VP-BN00458-2611 NGUYEN VAN HUNG")."""
    rx = re.compile(pattern)
    return any(rx.fullmatch(word) for word in [text.strip(), *text.split()])
