"""Fraud rules: flag accounts for the registry; take payers' reports and tell the institution concerned.

The reporter is never exposed: what goes to the institution names the QR's account, never the
payer's name, phone or free-text note (a note may well contain them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import vietqr
from domain.banks import bank_by_bin
from server.errors import ApiError
from server.idempotency import idempotency_key
from server.fraud.images import decode_image
from server.fraud.models import FlaggedAccount, FraudReport
from server.fraud.schemas import FraudReportIn
from server.institutions.models import Institution
from server.notifications.port import Message, NotificationPort, Recipient

SEEN_AT_VI = {
    "institution_premises": "ngay tại cơ sở của đơn vị",
    "chat": "tin nhắn trò chuyện (Zalo, Messenger…)",
    "sms": "tin nhắn SMS",
    "website": "một trang web",
    "other": "nơi khác",
}


def flag_account(db: Session, bank_bin: str, account: str, reason: str, institution_id: str | None,
                 now: dt.datetime | None = None) -> FlaggedAccount:
    """Publish an account as fraudulent in the registry (once: flagging it again changes nothing)."""
    existing = db.scalars(select(FlaggedAccount).where(FlaggedAccount.bank_bin == bank_bin,
                                                       FlaggedAccount.account_number == account)).first()
    if existing is not None:
        return existing
    flag = FlaggedAccount(bank_bin=bank_bin, account_number=account, reason=reason, institution_id=institution_id,
                          flagged_at=now or dt.datetime.now(dt.timezone.utc))
    db.add(flag)
    db.flush()
    return flag


def _fingerprint(body: FraudReportIn, image: bytes | None) -> str:
    parts = {"payload": body.payload, "image": hashlib.sha256(image).hexdigest() if image else None,
             "seen_at": body.seen_at, "note": body.note, "institution_id": body.institution_id}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _replay(db: Session, user_id: str, key: str | None, fingerprint: str) -> FraudReport | None:
    if key is None:
        return None
    existing = db.scalars(select(FraudReport).where(FraudReport.user_id == user_id,
                                                    FraudReport.idempotency_key == key)).first()
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used for a different report")
    return existing


def _account_of(payload: str | None) -> tuple[str | None, str | None]:
    if not payload:
        return None, None
    try:
        qr = vietqr.parse(payload)
    except vietqr.VietQRError:
        return None, None  # a damaged or foreign QR is still worth reporting; staff read the raw text
    return qr.bin, qr.account


def create_report(db: Session, notifications: NotificationPort, user_id: str, body: FraudReportIn, key: str | None,
                  now: dt.datetime) -> tuple[FraudReport, bool]:
    """Returns (report, created). Everything is checked before anything is written."""
    key = idempotency_key(key, required=False)
    payload = body.payload if body.payload and body.payload.strip() else None
    image, image_type = decode_image(body.image_base64) if body.image_base64 else (None, None)
    if payload is None and image is None:
        raise ApiError(422, "report_empty", "send the scanned QR text, a photo of it, or both")
    fingerprint = _fingerprint(body, image)
    if (existing := _replay(db, user_id, key, fingerprint)) is not None:
        return existing, False
    institution = None
    if body.institution_id is not None:
        institution = db.get(Institution, body.institution_id)
        if institution is None:
            raise ApiError(422, "unknown_institution", "no institution with that id")

    bank_bin, account = _account_of(payload)
    report = FraudReport(user_id=user_id, institution_id=body.institution_id, payload=payload, image=image,
                         image_type=image_type, seen_at=body.seen_at, note=body.note, bank_bin=bank_bin,
                         account_number=account, status="received", idempotency_key=key,
                         request_fingerprint=fingerprint, created_at=now)
    db.add(report)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()  # the same key sent twice at once: the twin's report is the answer
        if (existing := _replay(db, user_id, key, fingerprint)) is not None:
            return existing, False
        raise
    if institution is not None:
        notifications.queue(db, Recipient("institution_support", institution.id, institution.support_phone,
                                          institution.support_email), _notice(report, institution), now)
    return report, True


def _notice(report: FraudReport, institution: Institution) -> Message:
    """What the institution's support contact reads: the suspicious account, never who reported it."""
    if report.account_number:
        bank = bank_by_bin(report.bank_bin or "")
        bank_name = bank.short_name if bank else f"BIN {report.bank_bin}"
        account = f"Tài khoản nhận tiền trong mã QR: {report.account_number} ({bank_name})."
    else:
        account = "Không đọc được tài khoản nhận tiền từ mã QR; báo cáo có kèm nội dung hoặc ảnh chụp mã."
    body = "\n".join([
        f"Kính gửi {institution.support_name},",
        f"Một người nộp tiền qua ứng dụng Đóng Phí vừa báo cáo một mã QR đáng ngờ mang danh {institution.name}.",
        f"Nơi thấy mã: {SEEN_AT_VI.get(report.seen_at, 'nơi khác')}.",
        account,
        "Nếu tài khoản này không phải của đơn vị, xin cảnh báo phụ huynh/người bệnh và liên hệ Đóng Phí "
        "để đánh dấu tài khoản lừa đảo.",
        f"Mã báo cáo: {report.id}",
    ])
    return Message(kind="fraud_report", subject=f"Báo cáo mã QR đáng ngờ mang danh {institution.short_name}", body=body,
                   ref_type="fraud_report", ref_id=report.id)
