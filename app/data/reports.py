"""Reports of suspicious QR codes, sent to the server's fraud queue."""

from __future__ import annotations

import base64

from app.data.api import ApiClient

SEEN_AT = ("institution_premises", "chat", "sms", "website", "other")


class ReportsRepository:
    def __init__(self, api: ApiClient):
        self._api = api

    async def report_qr(self, *, payload: str | None, image: bytes | None, seen_at: str, note: str,
                        institution_id: str | None, idempotency_key: str) -> str:
        """Returns the report's id; the same key on a retry never files it twice."""
        body = {"payload": payload, "seen_at": seen_at, "note": note, "institution_id": institution_id,
                "image_base64": base64.b64encode(image).decode() if image else None}
        answer = await self._api.post("/fraud-reports", body, idempotency_key=idempotency_key)
        return answer["id"]
