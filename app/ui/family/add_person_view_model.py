"""Adding a child or a patient to the family, one step at a time: what kind of person, which institution,
then the code and birth date the institution has on record (and, optionally, the relation)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure
from app.data.family import FamilyRepository
from app.data.registry import RegistryRepository
from app.models import FamilyPerson
from domain.payee import RegisteredInstitution
from domain.text import normalize_for_match

KINDS = {"student": "school", "patient": "hospital"}  # the person's kind -> the institution's kind
STEPS = ("kind", "institution", "details")  # then "done"
# Stored as the family sees them on every phone (the seed's links say "Con", "Bố"); the screen translates.
RELATIONS = ("Con", "Cháu", "Bố", "Mẹ", "Ông", "Bà", "Vợ", "Chồng", "Khác")
VIETNAM = dt.timezone(dt.timedelta(hours=7))
_DATE = re.compile(r"([0-9]{1,2})([/.\-])([0-9]{1,2})\2([0-9]{4})")  # one separator throughout


def parse_date_of_birth(text: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """dd/mm/yyyy (also with - or .) -> (date, None), or (None, problem): date_missing | date_format |
    date_impossible (31/02) | date_future | date_too_old (before 1900)."""
    text = text.strip()
    if not text:
        return None, "date_missing"
    m = _DATE.fullmatch(text)
    if m is None:
        return None, "date_format"
    day, month, year = int(m[1]), int(m[3]), int(m[4])
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None, "date_impossible"
    if value > today:
        return None, "date_future"
    if year < 1900:
        return None, "date_too_old"
    return value, None


def vietnam_today() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


@ft.observable
@dataclass
class AddPersonViewModel:
    family: FamilyRepository
    registry: RegistryRepository
    today: Callable[[], dt.date] = vietnam_today
    step: str = "kind"  # kind | institution | details | done
    kind: str = ""  # student | patient
    # the institutions of the chosen kind, from the registry copy on the device
    institutions: list[RegisteredInstitution] | None = None
    loading: bool = False
    load_error: ApiFailure | None = None
    query: str = ""
    institution: RegisteredInstitution | None = None
    code: str = ""
    date_text: str = ""
    relation: str = ""
    problems: dict[str, str] = field(default_factory=dict)  # field -> a local check's problem code
    sending: bool = False
    error: ApiFailure | None = None
    added: FamilyPerson | None = None

    @property
    def step_number(self) -> int:
        return STEPS.index(self.step) + 1 if self.step in STEPS else len(STEPS)

    # -- step 1: a student or a patient ------------------------------------------------------------
    async def choose_kind(self, kind: str) -> None:
        if kind not in KINDS or self.sending:
            return
        if kind != self.kind:
            self.institution, self.query, self.institutions = None, "", None
        self.kind, self.step, self.error = kind, "institution", None
        await self.load_institutions()

    # -- step 2: the school or hospital -----------------------------------------------------------
    async def load_institutions(self) -> None:
        if self.loading or not self.kind:
            return
        self.loading, self.load_error = True, None
        try:
            copy = await self.registry.current()
            wanted = KINDS[self.kind]
            self.institutions = sorted((i for i in copy.registry.institutions if i.kind == wanted),
                                       key=lambda i: normalize_for_match(i.name))
        except ApiFailure as failure:
            self.load_error = failure
        finally:
            self.loading = False

    def type_query(self, text: str) -> None:
        self.query = text

    @property
    def shown_institutions(self) -> list[RegisteredInstitution]:
        """Those whose name, short name or province holds every word typed, accents and case ignored."""
        words = normalize_for_match(self.query).split()
        out = []
        for inst in self.institutions or []:
            haystack = normalize_for_match(" ".join((inst.name, inst.short_name, inst.province)))
            if all(w in haystack for w in words):
                out.append(inst)
        return out

    def choose_institution(self, institution_id: str) -> None:
        found = next((i for i in self.institutions or [] if i.id == institution_id), None)
        if found is None or self.sending:
            return
        if self.institution is None or found.id != self.institution.id:
            self.error = None
        self.institution, self.step = found, "details"

    # -- step 3: code, date of birth, relation ----------------------------------------------------
    def type_code(self, text: str) -> None:
        self.code = text
        self._clear("code")
        self.error = None  # "does not match" is about what was sent, not what is being corrected

    def type_date(self, text: str) -> None:
        self.date_text = text
        self._clear("date")
        self.error = None

    def choose_relation(self, relation: str) -> None:
        self.relation = relation if relation in RELATIONS else ""

    def _clear(self, name: str) -> None:
        if name in self.problems:
            self.problems = {k: v for k, v in self.problems.items() if k != name}

    def back(self) -> None:
        """The in-screen "Quay lại": one step back (the app bar's arrow leaves the screen)."""
        if self.sending:
            return
        if self.step == "details":
            self.step = "institution"
        elif self.step == "institution":
            self.step = "kind"
        self.error = None

    async def send(self) -> FamilyPerson | None:
        """Checked here first (nothing is sent for a missing code or an impossible date)."""
        if self.sending or self.step != "details" or self.institution is None:
            return None
        code = "".join(self.code.split()).upper()  # codes are printed as "HS 0456" or typed in lower case
        born, date_problem = parse_date_of_birth(self.date_text, self.today())
        problems = {}
        if not code:
            problems["code"] = "code_missing"
        elif len(code) > 32:
            problems["code"] = "code_too_long"
        if date_problem:
            problems["date"] = date_problem
        self.problems, self.error = problems, None
        if problems:
            return None
        self.sending = True
        try:
            self.added = await self.family.add_person(self.kind, self.institution.id, code, born, self.relation)
        except ApiFailure as failure:
            self.error = failure
            return None
        finally:
            self.sending = False
        self.step = "done"
        return self.added

    def again(self) -> None:
        """"Thêm người khác": a fresh form (the registry copy kept)."""
        self.step, self.kind, self.institution, self.query = "kind", "", None, ""
        self.code, self.date_text, self.relation, self.problems, self.error, self.added = "", "", "", {}, None, None
