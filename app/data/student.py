"""A student's own login (issue 8): the student's name, school and class, own fees per term, and asking
the parents to pay. Parsed from the API at this edge; nothing else of the family is ever asked for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.data.api import ApiClient, read_answer


@dataclass(frozen=True)
class StudentPerson:
    full_name: str
    first_name: str
    institution_name: str
    group_label: str

    @classmethod
    def from_json(cls, d: dict) -> StudentPerson:
        return cls(full_name=d["full_name"], first_name=d.get("first_name") or d["full_name"],
                   institution_name=d.get("institution_name", ""), group_label=d.get("group_label", ""))


@dataclass(frozen=True)
class StudentFee:
    id: str
    title: str
    invoice_code: str
    due_date: dt.date
    total: int
    amount_paid: int
    amount_due: int
    status: str  # open | partially_paid | paid | overdue

    @property
    def unpaid(self) -> bool:
        return self.amount_due > 0 and self.status != "paid"

    @classmethod
    def from_json(cls, d: dict) -> StudentFee:
        return cls(id=d["id"], title=d["title"], invoice_code=d["invoice_code"],
                   due_date=dt.date.fromisoformat(d["due_date"]), total=int(d["total"]),
                   amount_paid=int(d["amount_paid"]), amount_due=int(d["amount_due"]), status=d["status"])


@dataclass(frozen=True)
class StudentTerm:
    period: str
    fees: tuple[StudentFee, ...]
    total: int
    paid: int
    due: int
    overdue: int  # how much of `due` is past its date

    @classmethod
    def from_json(cls, d: dict) -> StudentTerm:
        return cls(period=d["period"], fees=tuple(StudentFee.from_json(f) for f in d["fees"]),
                   total=int(d["total"]), paid=int(d["paid"]), due=int(d["due"]), overdue=int(d["overdue"]))


@dataclass(frozen=True)
class StudentFees:
    as_of: dt.date
    person: StudentPerson
    terms: tuple[StudentTerm, ...]
    total_due: int

    @classmethod
    def from_json(cls, d: dict) -> StudentFees:
        return cls(as_of=dt.date.fromisoformat(d["as_of"]), person=StudentPerson.from_json(d["person"]),
                   terms=tuple(StudentTerm.from_json(t) for t in d["terms"]), total_due=int(d["total_due"]))


class StudentRepository:
    """Only the /students/me routes: a student's login may not see or do anything else."""

    def __init__(self, api: ApiClient):
        self._api = api

    async def fees(self) -> StudentFees:
        return read_answer(StudentFees.from_json, await self._api.get("/students/me/fees"))

    async def please_pay(self, bill_id: str) -> int:
        """Asks the student's parents to pay this fee; how many were told (0: they were already today)."""
        body = await self._api.post("/students/me/please-pay", {"bill_id": bill_id})
        return read_answer(lambda d: int(d["sent_to"]), body)
