"""Scam reports, sent to the server's fraud queue: a suspicious QR from the scan, or a phone number,
an account, a message and a screenshot from the "Report a scam" screen; and the user's own reports."""

from __future__ import annotations

import base64
import datetime as dt

from app.data.api import ApiClient, read_answer
from app.models import FiledReport

QR_SEEN_AT = ("institution_premises", "chat", "sms", "website", "other")  # where a QR code was seen
SEEN_AT = ("phone_call", "sms", "chat", "website", "institution_premises", "other")  # where a scam happened
MESSAGE_MAX = 2000
NOTE_MAX = 500
IMAGE_MAX_BYTES = 3 * 1024 * 1024


class ReportsRepository:
    def __init__(self, api: ApiClient):
        self._api = api

    async def report_qr(self, *, payload: str | None, image: bytes | None, seen_at: str, note: str,
                        institution_id: str | None, idempotency_key: str) -> str:
        """Returns the report's id; the same key on a retry never files it twice."""
        return await self.report(payload=payload, image=image, seen_at=seen_at, note=note,
                                 institution_id=institution_id, idempotency_key=idempotency_key)

    async def report(self, *, idempotency_key: str, seen_at: str, phone: str | None = None,
                     bank_bin: str | None = None, account_number: str | None = None, message_text: str | None = None,
                     image: bytes | None = None, note: str = "", institution_id: str | None = None,
                     payload: str | None = None) -> str:
        """Files one report and returns its id; the same key on a retry (after a lost answer) never files twice."""
        body = {"payload": payload, "seen_at": seen_at, "note": note, "institution_id": institution_id,
                "image_base64": base64.b64encode(image).decode() if image else None}
        extra = {"phone": phone, "bank_bin": bank_bin, "account_number": account_number, "message_text": message_text}
        body.update({k: v for k, v in extra.items() if v})  # only what was given: a QR report stays as it was
        answer = await self._api.post("/fraud-reports", body, idempotency_key=idempotency_key)
        return read_answer(lambda a: str(a["id"]), answer)

    async def mine(self) -> list[FiledReport]:
        """The reports this user filed, newest first. Not cached: the repository outlives a sign-out, and
        another user's list must never show from a cache."""
        body = await self._api.get("/fraud-reports/mine")
        items = body.get("reports", body.get("items")) if isinstance(body, dict) else body
        reports = read_answer(lambda b: [FiledReport.from_json(r) for r in b], items)
        return sorted(reports, key=lambda r: r.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
