"""What the app shows, parsed from the API's JSON once, at the repository edge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.money import require_dong


@dataclass(frozen=True)
class User:
    id: str
    phone: str
    full_name: str

    @classmethod
    def from_json(cls, d: dict) -> User:
        return cls(id=d["id"], phone=d["phone"], full_name=d.get("full_name", ""))


@dataclass(frozen=True)
class Person:
    id: str
    full_name: str
    kind: str  # student | patient
    group_label: str

    @classmethod
    def from_json(cls, d: dict) -> Person:
        return cls(id=d["id"], full_name=d["full_name"], kind=d["kind"], group_label=d.get("group_label", ""))


@dataclass(frozen=True)
class BillSummary:
    id: str
    invoice_code: str
    kind: str
    title: str
    period: str
    institution_name: str
    due_date: dt.date
    total: int
    amount_paid: int
    amount_due: int
    status: str
    overdue: bool

    @classmethod
    def from_json(cls, d: dict) -> BillSummary:
        return cls(
            id=d["id"], invoice_code=d["invoice_code"], kind=d["kind"], title=d["title"], period=d["period"],
            institution_name=d["institution_name"], due_date=dt.date.fromisoformat(d["due_date"]),
            total=require_dong(d["total"]), amount_paid=require_dong(d["amount_paid"]),
            amount_due=require_dong(d["amount_due"]), status=d["status"], overdue=bool(d["overdue"]),
        )


@dataclass(frozen=True)
class PersonBills:
    person: Person
    institution_name: str
    bills: tuple[BillSummary, ...]
    total_due: int

    @classmethod
    def from_json(cls, d: dict) -> PersonBills:
        return cls(person=Person.from_json(d["person"]), institution_name=d["institution_name"],
                   bills=tuple(BillSummary.from_json(b) for b in d["bills"]), total_due=require_dong(d["total_due"]))


@dataclass(frozen=True)
class Outstanding:
    as_of: dt.date
    groups: tuple[PersonBills, ...]
    total_due: int
    overdue_count: int

    @classmethod
    def from_json(cls, d: dict) -> Outstanding:
        return cls(as_of=dt.date.fromisoformat(d["as_of"]), groups=tuple(PersonBills.from_json(g) for g in d["groups"]),
                   total_due=require_dong(d["total_due"]), overdue_count=int(d["overdue_count"]))


@dataclass(frozen=True)
class SupportContact:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    short_name: str
    kind: str
    province: str
    hotline: str
    support: SupportContact

    @classmethod
    def from_json(cls, d: dict) -> Institution:
        s = d["support"]
        return cls(id=d["id"], name=d["name"], short_name=d["short_name"], kind=d["kind"], province=d["province"],
                   hotline=d["hotline"], support=SupportContact(s["name"], s["phone"], s.get("email", "")))


@dataclass(frozen=True)
class BillItem:
    label: str
    amount: int


@dataclass(frozen=True)
class BillDetail:
    summary: BillSummary
    person: Person
    institution: Institution
    items: tuple[BillItem, ...]

    @classmethod
    def from_json(cls, d: dict) -> BillDetail:
        return cls(summary=BillSummary.from_json(d), person=Person.from_json(d["person"]),
                   institution=Institution.from_json(d["institution"]),
                   items=tuple(BillItem(i["label"], require_dong(i["amount"])) for i in d["items"]))
