from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

SeenAt = Literal["institution_premises", "chat", "sms", "website", "phone_call", "other"]
ReportStatus = Literal["received", "confirmed", "rejected"]


class FraudReportIn(BaseModel):
    """What the user saw: a QR's text, a screenshot or photo (base64 PNG/JPEG), the scammer's phone,
    account or message — at least one of them. Phone and account are checked in the service, so each
    mistake gets its own error code."""

    payload: str | None = Field(default=None, max_length=1024)
    image_base64: str | None = None  # its size is checked after decoding (server.fraud.images)
    phone: str | None = Field(default=None, max_length=30)
    bank_bin: str | None = Field(default=None, max_length=10)
    account_number: str | None = Field(default=None, max_length=40)
    message_text: str | None = Field(default=None, max_length=2000)
    seen_at: SeenAt
    note: str = Field(default="", max_length=500)
    institution_id: str | None = Field(default=None, max_length=36)


class FraudReportOut(BaseModel):
    id: str
    status: str
    institution_id: str | None


class MyFraudReport(BaseModel):
    """The reporter's own view: enough to recognise the report, the account masked (a shared phone)."""

    id: str
    status: ReportStatus
    created_at: dt.datetime
    phone: str | None
    bank_bin: str | None
    account_masked: str | None
    institution_id: str | None


class InstitutionFraudReport(BaseModel):
    """What an institution may read: the scammer's traces, never the reporter's (no note, message or
    screenshot: those may name the reporter or their child)."""

    id: str
    status: ReportStatus
    created_at: dt.datetime
    reviewed_at: dt.datetime | None
    seen_at: str
    phone: str | None
    bank_bin: str | None
    bank_name: str | None
    account_number: str | None
    payload: str | None


class AdminFraudReport(InstitutionFraudReport):
    """Staff see the evidence too, but still not who reported it."""

    reviewed_by: str | None
    institution_id: str | None
    message_text: str | None
    note: str
    has_image: bool
    image_type: str | None
