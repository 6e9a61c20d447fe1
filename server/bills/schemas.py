from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from server.institutions.schemas import InstitutionOut


class BillItemOut(BaseModel):
    label: str
    amount: int


class PersonRef(BaseModel):
    id: str
    full_name: str
    kind: str
    group_label: str


class BillSummary(BaseModel):
    id: str
    invoice_code: str
    kind: str
    title: str
    period: str
    institution_id: str
    institution_name: str
    due_date: dt.date
    total: int
    amount_paid: int
    amount_due: int
    status: str
    overdue: bool


class PersonBills(BaseModel):
    person: PersonRef
    institution_name: str
    bills: list[BillSummary]
    total_due: int


class OutstandingBills(BaseModel):
    as_of: dt.date
    groups: list[PersonBills]
    total_due: int
    overdue_count: int


class BillDetail(BillSummary):
    person: PersonRef
    institution: InstitutionOut
    items: list[BillItemOut]
