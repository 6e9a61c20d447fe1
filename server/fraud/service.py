"""Fraud rules: take users' scam reports, let an administrator or the institution concerned confirm
them, and publish what was confirmed (accounts, phone numbers) in the registry every app checks.

The reporter is never exposed: what reaches an institution names the scammer's traces (account,
phone, QR), never the reporter's name, phone, free-text note, pasted message or screenshot (those
may well contain them). Administrators see the evidence, still not who sent it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain import vietqr
from domain.banks import bank_by_bin
from domain.phone import InvalidPhoneNumber, display_phone, normalize_phone
from server.clock import VIETNAM, as_utc
from server.errors import ApiError
from server.fraud.images import decode_image
from server.fraud.models import FlaggedAccount, FlaggedPhone, FraudReport
from server.fraud.schemas import (AdminFraudReport, FraudReportIn, InstitutionFraudReport, MyFraudReport,
                                  ReportStatus)
from server.idempotency import idempotency_key
from server.institutions.models import CollectionAccount, Institution
from server.notifications import texts
from server.notifications.events import Event, notify
from server.notifications.port import Message, NotificationPort, Recipient

SEEN_AT_VI = {
    "institution_premises": "ngay tại cơ sở của đơn vị",
    "chat": "tin nhắn trò chuyện (Zalo, Messenger…)",
    "sms": "tin nhắn SMS",
    "website": "một trang web",
    "phone_call": "một cuộc gọi điện thoại",
    "other": "nơi khác",
}
CONFIRMED_REASON = "confirmed_report"
ADMIN = "admin"  # reviewed_by of a decision taken by staff (admin API or command line)
STATUSES = ("received", "confirmed", "rejected")
LIST_LIMIT = 200
_ACCOUNT_SEPARATORS = str.maketrans("", "", " .-\t")

Decision = Literal["confirmed", "rejected"]


# -- the register -----------------------------------------------------------------------------------

def flag_account(db: Session, bank_bin: str, account: str, reason: str, institution_id: str | None,
                 now: dt.datetime | None = None) -> FlaggedAccount:
    """Publish an account as fraudulent in the registry (once: flagging it again changes nothing)."""
    def existing() -> FlaggedAccount | None:
        return db.scalars(select(FlaggedAccount).where(FlaggedAccount.bank_bin == bank_bin,
                                                       FlaggedAccount.account_number == account)).first()
    return _insert_once(db, existing, lambda: FlaggedAccount(
        bank_bin=bank_bin, account_number=account, reason=reason, institution_id=institution_id,
        flagged_at=now or dt.datetime.now(dt.timezone.utc)))


def flag_phone(db: Session, phone: str, reason: str, institution_id: str | None,
               now: dt.datetime | None = None) -> FlaggedPhone:
    """Publish a scammer's number (any form a person types; stored +84…) in the registry, once."""
    phone = normalize_phone(phone)
    return _insert_once(db, lambda: db.scalars(select(FlaggedPhone).where(FlaggedPhone.phone == phone)).first(),
                        lambda: FlaggedPhone(phone=phone, reason=reason, institution_id=institution_id,
                                             flagged_at=now or dt.datetime.now(dt.timezone.utc)))


def _insert_once(db: Session, existing, make):
    """Two confirmations of the same account at once: the loser's insert hits the unique key in a
    savepoint, and the winner's row is the answer (the caller's transaction goes on)."""
    if (row := existing()) is not None:
        return row
    row = make()
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found
    return row


# -- input checks shared with the brakes -----------------------------------------------------------

def clean_account(bank_bin: str, account: str, prefix: str = "report_") -> tuple[str, str]:
    """A NAPAS bank and 6–19 digits (people type spaces, dots, dashes): (bin, digits) or a specific error."""
    bank_bin = bank_bin.strip()
    if bank_by_bin(bank_bin) is None:
        raise ApiError(422, f"{prefix}bank_unknown", "bank_bin is not a bank in the NAPAS list")
    digits = account.translate(_ACCOUNT_SEPARATORS)
    if not (digits.isascii() and digits.isdigit() and 6 <= len(digits) <= 19):
        raise ApiError(422, f"{prefix}account_invalid", "account_number must be 6 to 19 digits")
    return bank_bin, digits


def mask_account(account: str | None) -> str | None:
    """The last four digits: enough to recognise, not to copy from a glance at someone's screen."""
    if not account:
        return None
    return "•" * max(len(account) - 4, 0) + account[-4:]


# -- reports ----------------------------------------------------------------------------------------

def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Stored UTC; SQLite returns it naive, PostgreSQL in the session's zone: always answer in UTC."""
    return as_utc(value).astimezone(dt.timezone.utc) if value is not None else None


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _fingerprint(body: FraudReportIn, image: bytes | None, phone: str | None, account: tuple[str, str] | None,
                 message: str | None) -> str:
    parts = {"payload": body.payload, "image": hashlib.sha256(image).hexdigest() if image else None,
             "seen_at": body.seen_at, "note": body.note, "institution_id": body.institution_id}
    # Only when sent: a repeat of a report filed before these fields existed keeps its fingerprint.
    extra = {"phone": phone, "account": list(account) if account else None, "message_text": message}
    parts.update({k: v for k, v in extra.items() if v is not None})
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


def _reported_phone(raw: str | None, reporter_phone: str) -> str | None:
    if _blank(raw):
        return None
    try:
        phone = normalize_phone(raw)
    except InvalidPhoneNumber:
        raise ApiError(422, "report_phone_invalid", "phone is not a Vietnamese mobile number") from None
    if phone == reporter_phone:
        # Confirmed, it would put the reporter's own number on everyone's warning list.
        raise ApiError(422, "report_phone_own", "phone is your own number; enter the scammer's number")
    return phone


def _reported_account(bank_bin: str | None, account: str | None) -> tuple[str, str] | None:
    if _blank(bank_bin) and _blank(account):
        return None
    if _blank(bank_bin) or _blank(account):
        raise ApiError(422, "report_account_incomplete", "send both bank_bin and account_number, or neither")
    return clean_account(bank_bin, account)


def create_report(db: Session, notifications: NotificationPort, user_id: str, reporter_phone: str,
                  body: FraudReportIn, key: str | None, now: dt.datetime) -> tuple[FraudReport, bool]:
    """Returns (report, created). Everything is checked before anything is written."""
    key = idempotency_key(key, required=False)
    payload = None if _blank(body.payload) else body.payload
    message = None if _blank(body.message_text) else body.message_text.strip()
    phone = _reported_phone(body.phone, reporter_phone)
    account = _reported_account(body.bank_bin, body.account_number)
    image, image_type = decode_image(body.image_base64) if body.image_base64 else (None, None)
    if payload is None and image is None and phone is None and account is None and message is None:
        raise ApiError(422, "report_empty", "send at least one of: the QR text, a screenshot, the phone number, "
                                            "the account or the message")
    fingerprint = _fingerprint(body, image, phone, account, message)
    if (existing := _replay(db, user_id, key, fingerprint)) is not None:
        return existing, False
    institution = None
    if body.institution_id is not None:
        institution = db.get(Institution, body.institution_id)
        if institution is None:
            raise ApiError(422, "unknown_institution", "no institution with that id")

    bank_bin, account_number = account if account else _account_of(payload)
    report = FraudReport(user_id=user_id, institution_id=body.institution_id, payload=payload, image=image,
                         image_type=image_type, seen_at=body.seen_at, note=body.note, bank_bin=bank_bin,
                         account_number=account_number, phone=phone, message_text=message, status="received",
                         idempotency_key=key, request_fingerprint=fingerprint, created_at=now)
    db.add(report)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()  # the same key sent twice at once: the twin's report is the answer
        if (existing := _replay(db, user_id, key, fingerprint)) is not None:
            return existing, False
        raise
    if institution is not None:
        recipient = Recipient("institution_support", institution.id, institution.support_phone,
                              institution.support_email)
        notifications.queue(db, recipient, _notice(report, institution, from_qr=account is None), now)
    return report, True


def _notice(report: FraudReport, institution: Institution, from_qr: bool) -> Message:
    """What the institution's support contact reads: the scammer's traces, never who reported them."""
    qr = report.payload is not None
    lines = []
    if report.account_number:
        bank = bank_by_bin(report.bank_bin or "")
        bank_name = bank.short_name if bank else f"BIN {report.bank_bin}"
        where = "trong mã QR" if from_qr else "được báo cáo"
        lines.append(f"Tài khoản nhận tiền {where}: {report.account_number} ({bank_name}).")
    elif qr:
        lines.append("Không đọc được tài khoản nhận tiền từ mã QR; báo cáo có kèm nội dung hoặc ảnh chụp mã.")
    if report.phone:
        lines.append(f"Số điện thoại kẻ gian dùng: {display_phone(report.phone)}.")
    if not lines:
        lines.append("Báo cáo kèm ảnh chụp màn hình hoặc nội dung tin nhắn; Đóng Phí đang xem xét.")
    what = "một mã QR đáng ngờ" if qr else "một vụ lừa đảo"
    body = "\n".join([
        f"Kính gửi {institution.support_name},",
        f"Một người dùng ứng dụng Đóng Phí vừa báo cáo {what} mang danh {institution.name}.",
        f"Nơi thấy{' mã' if qr else ''}: {SEEN_AT_VI.get(report.seen_at, 'nơi khác')}.",
        *lines,
        "Nếu tài khoản hoặc số điện thoại này không phải của đơn vị, xin cảnh báo phụ huynh/người bệnh và xác nhận "
        "báo cáo qua hệ thống kết nối với Đóng Phí (hoặc liên hệ Đóng Phí) để mọi người dùng được cảnh báo.",
        f"Mã báo cáo: {report.id}",
    ])
    subject = "Báo cáo mã QR đáng ngờ" if qr else "Báo cáo lừa đảo"
    return Message(kind="fraud_report", subject=f"{subject} mang danh {institution.short_name}", body=body,
                   ref_type="fraud_report", ref_id=report.id)


def my_reports(db: Session, user_id: str) -> list[MyFraudReport]:
    rows = db.scalars(select(FraudReport).where(FraudReport.user_id == user_id)
                      .order_by(FraudReport.created_at.desc(), FraudReport.id.desc()).limit(LIST_LIMIT))
    return [MyFraudReport(id=r.id, status=r.status, created_at=_utc(r.created_at), phone=r.phone,
                          bank_bin=r.bank_bin, account_masked=mask_account(r.account_number),
                          institution_id=r.institution_id) for r in rows]


# -- review by an administrator or the institution concerned ---------------------------------------

def check_status(status: str | None) -> str | None:
    """None lists every status."""
    if status is None or status == "all":
        return None
    if status not in STATUSES:
        raise ApiError(422, "report_status_invalid", f"status must be one of {', '.join(STATUSES)} or all")
    return status


def _listed(db: Session, status: str | None, institution_id: str | None = None) -> list[FraudReport]:
    query = select(FraudReport)
    if status is not None:
        query = query.where(FraudReport.status == status)
    if institution_id is not None:
        query = query.where(FraudReport.institution_id == institution_id)
    return list(db.scalars(query.order_by(FraudReport.created_at.desc(), FraudReport.id.desc()).limit(LIST_LIMIT)))


def _institution_view(r: FraudReport) -> dict:
    bank = bank_by_bin(r.bank_bin) if r.bank_bin else None
    return dict(id=r.id, status=r.status, created_at=_utc(r.created_at), reviewed_at=_utc(r.reviewed_at),
                seen_at=r.seen_at, phone=r.phone,
                bank_bin=r.bank_bin, bank_name=bank.short_name if bank else None, account_number=r.account_number,
                payload=r.payload)


def institution_view(r: FraudReport) -> InstitutionFraudReport:
    return InstitutionFraudReport(**_institution_view(r))


def admin_view(r: FraudReport) -> AdminFraudReport:
    return AdminFraudReport(**_institution_view(r), reviewed_by=r.reviewed_by, institution_id=r.institution_id,
                            message_text=r.message_text, note=r.note, has_image=r.image is not None,
                            image_type=r.image_type)


def reports_for_admin(db: Session, status: str | None) -> list[AdminFraudReport]:
    return [admin_view(r) for r in _listed(db, check_status(status))]


def reports_for_institution(db: Session, institution_id: str, status: str | None) -> list[InstitutionFraudReport]:
    return [institution_view(r) for r in _listed(db, check_status(status), institution_id)]


def report_image(db: Session, report_id: str) -> tuple[bytes, str]:
    report = db.get(FraudReport, report_id)
    if report is None:
        raise ApiError(404, "report_not_found", "no such report")
    if report.image is None:
        raise ApiError(404, "report_image_missing", "this report has no image")
    return report.image, report.image_type or "application/octet-stream"


def review(db: Session, report_id: str, decision: Decision, reviewer: str, now: dt.datetime,
           institution_id: str | None = None) -> FraudReport:
    """Confirm or reject a received report. The same decision again is a no-op; the opposite one is a
    409 (a confirmed account is on every phone already: undoing it is a separate, deliberate act).
    `institution_id` limits the reviewer to reports naming that institution; others look absent."""
    report = db.get(FraudReport, report_id)
    if report is None or (institution_id is not None and report.institution_id != institution_id):
        raise ApiError(404, "report_not_found", "no such report")
    if report.status == decision:
        return report
    if report.status != "received":
        raise _decided(report.status)
    if decision == "confirmed" and report.account_number and db.scalars(select(CollectionAccount.id).where(
            CollectionAccount.bank_bin == report.bank_bin,
            CollectionAccount.account_number == report.account_number)).first() is not None:
        raise ApiError(409, "report_account_registered",
                       "the account is an institution's registered collection account; remove it from the "
                       "institution first if it really was taken over")
    # Compare-and-set: of two reviewers deciding at once, exactly one moves the report.
    moved = db.execute(update(FraudReport).where(FraudReport.id == report.id, FraudReport.status == "received")
                       .values(status=decision, reviewed_at=now, reviewed_by=reviewer)
                       .execution_options(synchronize_session=False)).rowcount
    db.refresh(report)
    if moved != 1:
        if report.status == decision:
            return report
        raise _decided(report.status)
    if decision == "confirmed":
        if report.account_number and report.bank_bin:
            flag_account(db, report.bank_bin, report.account_number, CONFIRMED_REASON, report.institution_id, now)
        if report.phone:
            flag_phone(db, report.phone, CONFIRMED_REASON, report.institution_id, now)
    _tell_reporter(db, report, now)
    return report


def _decided(status: str) -> ApiError:
    return ApiError(409, f"report_already_{status}", f"this report was already {status}")


def _tell_reporter(db: Session, report: FraudReport, now: dt.datetime) -> None:
    """The reporter hears the outcome once, in their language (notification kind report_update)."""
    day = texts.date(as_utc(report.created_at).astimezone(VIETNAM).date())
    bank = bank_by_bin(report.bank_bin or "")
    account = f"{bank.short_name if bank else report.bank_bin} {report.account_number}" \
        if report.account_number else ""
    phone = display_phone(report.phone) if report.phone else ""
    what = tuple(k for k, v in (("account", account), ("phone", phone)) if v)

    def render(lang: str) -> tuple[str, str]:
        if report.status == "confirmed":
            flagged = texts.t(lang, texts.REPORT_FLAGGED[what], account=account, phone=phone)
            return texts.render(lang, "report_confirmed", date=day, flagged=flagged)
        return texts.render(lang, "report_rejected", date=day)

    notify(db, [report.user_id], Event(kind="report_update", dedupe_key=f"fraud_report:{report.id}:{report.status}",
                                       render=render), now)
