"""The outbox: every message to a person or an institution, queued in the transaction that caused it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, new_id


class OutboundMessage(Base):
    __tablename__ = "outbound_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    recipient_kind: Mapped[str] = mapped_column(String(30))  # e.g. institution_support
    recipient_ref: Mapped[str] = mapped_column(String(36))  # e.g. the institution's id
    address_phone: Mapped[str] = mapped_column(String(20), default="")
    address_email: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(40))  # e.g. fraud_report
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Vietnamese, plain text
    ref_type: Mapped[str] = mapped_column(String(30), default="")
    ref_id: Mapped[str] = mapped_column(String(36), default="")
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
