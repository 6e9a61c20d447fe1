from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# open -> paid | expired | withdrawn; "cancelled" when the institution cancelled the bill.
Status = Literal["open", "paid", "expired", "withdrawn", "cancelled"]


class CreatePayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expires_in_days: int | None = Field(default=None, ge=1, le=30)  # default: the server's setting (7 days)


class PayRequestCreated(BaseModel):
    """Shown once: only the token's hash is kept, so the link cannot be read back from the database."""

    id: str
    bill_id: str
    token: str
    url: str
    status: Status
    expires_at: dt.datetime
    vietqr: str


class PayRequestOut(BaseModel):
    """A request as the bill's family sees it: its state, and who paid through it."""

    id: str
    bill_id: str
    status: Status
    created_at: dt.datetime
    expires_at: dt.datetime
    withdrawn_at: dt.datetime | None
    created_by_name: str
    payment_id: str | None
    payment_state: str | None
    paid_by_name: str | None


class PayRequestPublic(BaseModel):
    """Everything a token shows, to anyone holding it. Nothing else of the bill or the family, ever:
    no items, diagnosis, department or class, full name, birth date, person code or payer."""

    status: Status
    institution_name: str
    institution_kind: str
    first_name: str
    amount_due: int
    due_date: dt.date
    invoice_code: str
    expires_at: dt.datetime
    vietqr: str | None  # only while open: a transfer to the institution's account naming the invoice


class PayThroughRequest(BaseModel):
    """The same methods as the bill's owner has; the bill is the request's, never named by the caller."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["vietqr", "atm_card", "intl_card", "momo", "linked"]
    source_id: str | None = Field(default=None, max_length=36)
    confirmation: str | None = Field(default=None, max_length=200)
