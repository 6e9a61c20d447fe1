"""The outbox: every message to a person or an institution, queued in the transaction that caused it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class Notification(Base):
    """One line of a user's inbox. `dedupe_key` makes each event reach each user once, whoever creates it."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_user_created", "user_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    bill_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    payment_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    person_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    institution_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Delivery(Base):
    """A notification on its way through push or SMS: retried with back-off, every outcome recorded."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "channel", "target"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    notification_id: Mapped[str] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # push | sms
    target: Mapped[str] = mapped_column(String(255))  # device token or phone number
    text: Mapped[str] = mapped_column(Text, default="")  # SMS only: the exact text, checked for links
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | sending | sent | failed | dropped
    claim: Mapped[str | None] = mapped_column(String(36), nullable=True)  # the worker sending it now
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class DeviceToken(Base):
    """A phone's push token (FCM). Dropped when FCM says it is no longer registered."""

    __tablename__ = "device_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(255), unique=True)
    platform: Mapped[str] = mapped_column(String(10))
    # Signing that session out (here or from another device) removes the token: a phone handed on
    # must not keep receiving its former owner's bills. Idle or expired sessions keep it (reminders).
    session_id: Mapped[str | None] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"),
                                                   nullable=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class NotificationPreference(Base):
    """A user's choice for one kind; without a row the kind's defaults apply (domain.notifications)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    push: Mapped[bool] = mapped_column(Boolean)
    sms: Mapped[bool] = mapped_column(Boolean)


class NotificationSettings(Base):
    """Quiet hours in minutes after local midnight (Vietnam time); start > end spans midnight."""

    __tablename__ = "notification_settings"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    quiet_start: Mapped[int] = mapped_column(Integer)
    quiet_end: Mapped[int] = mapped_column(Integer)


class PersonMute(Base):
    """No push or SMS about this family member (the inbox still has everything)."""

    __tablename__ = "notification_mutes"
    __table_args__ = (UniqueConstraint("user_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
