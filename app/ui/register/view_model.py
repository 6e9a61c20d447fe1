"""Check a phone number or an account against the register before paying or calling back.

The register is the copy of GET /registry the app keeps (app/data/registry.py): institutions with their
official accounts and hotlines, and the accounts and phone numbers confirmed as scammers'. It works
offline with the copy on the device, and says how old that copy is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.data.registry import RegistryRepository
from app.ui.core.routes import CHECK_REPORT_ROUTE, CHECK_ROUTE  # noqa: F401 - the screens' routes
from domain.banks import bank_by_bin
from domain.brakes import Brake, article_for
from domain.payee import RegisteredInstitution, Registry
from domain.phone import InvalidPhoneNumber, normalize_phone

MODES = ("phone", "account")

_DIGITS = re.compile(r"[\s.\-()]")
_LANDLINE = re.compile(r"^0[2-9]\d{8,9}$|^1[89]00\d{4,6}$")  # 02x… landlines, 1800/1900 service numbers


def phone_digits(text: str) -> str | None:
    """A mobile number in its +84 form, a landline or 1900 number as its digits, or None if it is neither."""
    try:
        return normalize_phone(text)
    except InvalidPhoneNumber:
        pass
    digits = _DIGITS.sub("", text.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits if _LANDLINE.match(digits) else None


def _national(number: str) -> str:
    digits = _DIGITS.sub("", number or "")
    return "0" + digits[3:] if digits.startswith("+84") else digits


def account_problem(bank_bin: str, account: str) -> str | None:
    """The same checks as the report form and the server: a known bank, 6 to 19 digits."""
    digits = "".join(account.split())
    if not bank_bin and not digits:
        return "check_account_missing"
    if not bank_bin:
        return "report_account_incomplete_bank"
    if bank_by_bin(bank_bin) is None:
        return "report_bank_unknown"
    if not digits:
        return "report_account_incomplete_number"
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 19):
        return "report_account_invalid"
    return None


@dataclass(frozen=True)
class CheckResult:
    kind: str  # flagged_phone | flagged_account | verified_account | official_phone | not_listed
    subject: str  # what was checked, as the person typed it (cleaned): the phone, or the account number
    bank_bin: str = ""
    institution: RegisteredInstitution | None = None  # verified: the owner; flagged: the one impersonated
    as_of: dt.datetime | None = None  # when the register copy was fetched
    stale: bool = False  # the server could not be asked: the copy on the device was used

    @property
    def stop(self) -> bool:
        return self.kind in ("flagged_phone", "flagged_account")

    @property
    def article(self) -> str:
        kind = self.institution.kind if self.institution else None
        return article_for([Brake.PRESSURE_QUESTION], kind)


def check_in(registry: Registry, mode: str, phone: str = "", bank_bin: str = "", account: str = "",
             ) -> tuple[str, RegisteredInstitution | None]:
    """The verdict for one phone number or account, decided offline from a register copy."""
    if mode == "phone":
        flag = registry.phone_flag_of(phone)
        if flag is not None:
            return "flagged_phone", registry.institution(flag.institution_id)
        national = _national(phone)
        owner = next((i for i in registry.institutions
                      if national in {_national(i.hotline), _national(i.support_phone)} - {""}), None)
        return ("official_phone", owner) if owner else ("not_listed", None)
    flag = registry.flag_of(bank_bin, account)
    if flag is not None:
        return "flagged_account", registry.institution(flag.institution_id)
    owner = registry.owner_of(bank_bin, account)
    return ("verified_account", owner) if owner else ("not_listed", None)


@ft.observable
@dataclass
class CheckViewModel:
    registry: RegistryRepository
    mode: str = "phone"
    phone: str = ""
    bank_query: str = ""
    bank_bin: str = ""
    account: str = ""
    problem: str | None = None  # why the typed number cannot be checked (a code, see the view)
    checking: bool = False
    failure: ApiFailure | None = None  # no register copy at all (offline on first use)
    result: CheckResult | None = None

    def set_mode(self, mode: str) -> None:
        if mode in MODES:
            self.mode, self.problem, self.failure = mode, None, None

    def type_phone(self, text: str) -> None:
        self.phone, self.problem = text, None

    def search_bank(self, text: str) -> None:
        self.bank_query = text
        if self.problem in ("report_account_incomplete_bank", "report_bank_unknown", "check_account_missing"):
            self.problem = None

    def choose_bank(self, bank_bin: str) -> None:
        self.bank_bin, self.bank_query = bank_bin, ""
        if self.problem in ("report_account_incomplete_bank", "report_bank_unknown", "check_account_missing"):
            self.problem = None

    def clear_bank(self) -> None:
        self.bank_bin = ""

    def type_account(self, text: str) -> None:
        self.account, self.problem = text, None

    def _validate(self) -> str | None:
        if self.mode == "phone":
            if not self.phone.strip():
                return "check_phone_missing"
            return None if phone_digits(self.phone) else "check_phone_invalid"
        return account_problem(self.bank_bin, self.account)

    async def check(self) -> None:
        if self.checking:
            return
        self.problem, self.failure = self._validate(), None
        if self.problem:
            return
        self.checking = True
        try:
            copy = await self.registry.current()
        except ApiFailure as failure:
            self.failure = failure
            return
        finally:
            self.checking = False
        if self.mode == "phone":
            subject = phone_digits(self.phone) or self.phone.strip()
            kind, inst = check_in(copy.registry, "phone", phone=subject)
            self.result = CheckResult(kind, subject, institution=inst, as_of=copy.fetched_at, stale=copy.stale)
        else:
            number = "".join(self.account.split())
            kind, inst = check_in(copy.registry, "account", bank_bin=self.bank_bin, account=number)
            self.result = CheckResult(kind, number, bank_bin=self.bank_bin, institution=inst, as_of=copy.fetched_at,
                                      stale=copy.stale)

    def again(self) -> None:
        """Back to the form, with what was typed still there (to correct one digit)."""
        self.result = None
