from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class CreateStudentAccount(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    phone: str = Field(min_length=1, max_length=20)


class StudentAccountOut(BaseModel):
    person_id: str
    phone_masked: str
    created_at: dt.datetime


class StudentPerson(BaseModel):
    full_name: str
    first_name: str
    institution_name: str
    group_label: str


class StudentMe(BaseModel):
    role: str  # "student"
    person: StudentPerson


class FeeOut(BaseModel):
    id: str
    title: str
    invoice_code: str
    due_date: dt.date
    total: int
    amount_paid: int
    amount_due: int
    status: str  # open | partially_paid | paid | overdue


class TermOut(BaseModel):
    period: str
    fees: list[FeeOut]
    total: int
    paid: int
    due: int
    overdue: int  # how much of `due` is past its date


class StudentFees(BaseModel):
    as_of: dt.date
    person: StudentPerson
    terms: list[TermOut]
    total_due: int


class PleasePay(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bill_id: str = Field(min_length=1, max_length=36)


class PleasePaySent(BaseModel):
    sent_to: int  # how many payers were notified (0 if they already were today)
