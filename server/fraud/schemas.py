from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SeenAt = Literal["institution_premises", "chat", "sms", "website", "other"]


class FraudReportIn(BaseModel):
    """What the payer saw: the scanned text, a photo of the QR (base64 PNG/JPEG), or both."""

    payload: str | None = Field(default=None, max_length=1024)
    image_base64: str | None = None  # its size is checked after decoding (server.fraud.images)
    seen_at: SeenAt
    note: str = Field(default="", max_length=500)
    institution_id: str | None = Field(default=None, max_length=36)


class FraudReportOut(BaseModel):
    id: str
    status: str
    institution_id: str | None
