"""The register of confirmed scam accounts and phone numbers, and what payers report to fill it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, new_id


class FlaggedAccount(Base):
    """Published in the registry, so the app warns before anyone pays it."""

    __tablename__ = "flagged_accounts"
    __table_args__ = (UniqueConstraint("bank_bin", "account_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    bank_bin: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(String(19))
    reason: Mapped[str] = mapped_column(String(40))  # e.g. reported_scam
    # The institution it was used to impersonate, when known.
    institution_id: Mapped[str | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL"), nullable=True, index=True)
    flagged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FlaggedPhone(Base):
    """A scammer's phone number, confirmed: published in the registry like a flagged account."""

    __tablename__ = "flagged_phones"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # +84…, domain.phone.normalize_phone
    reason: Mapped[str] = mapped_column(String(40))
    institution_id: Mapped[str | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL"), nullable=True, index=True)
    flagged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FraudReport(Base):
    """A user's report of a scam: a QR's text, a screenshot, the scammer's phone, account or message.

    The reporter (user_id) stays on our side: no listing for an institution or an administrator shows it.
    """

    __tablename__ = "fraud_reports"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    institution_id: Mapped[str | None] = mapped_column(ForeignKey("institutions.id"), nullable=True, index=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    image_type: Mapped[str | None] = mapped_column(String(20), nullable=True)  # image/png | image/jpeg
    # institution_premises | chat | sms | website | phone_call | other
    seen_at: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(500), default="")
    # As the reporter typed it, else read from the payload when it is a sound VietQR.
    bank_bin: Mapped[str | None] = mapped_column(String(6), nullable=True)
    account_number: Mapped[str | None] = mapped_column(String(19), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(16), nullable=True)  # the scammer's, +84…
    message_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # the scam message, as pasted
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)  # received | confirmed | rejected
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(36), nullable=True)  # "admin" or an institution id
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
