"""Payments, their audit trail, idempotency and the provider callbacks already applied."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.bills.models import Bill
from server.db import Base, new_id

LIVE_STATES = ("created", "awaiting_payer", "unknown")
FINAL_STATES = ("succeeded", "failed", "expired", "cancelled", "refund_pending")


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key"),
        # At most one live payment per bill, enforced by the database: live_bill_id holds the bill's
        # id only while the payment is live (NULLs never collide), so a racing second insert fails.
        UniqueConstraint("live_bill_id"),
        UniqueConstraint("reference"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    bill_id: Mapped[str] = mapped_column(ForeignKey("bills.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    live_bill_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    method: Mapped[str] = mapped_column(String(16))  # vietqr | atm_card | intl_card | momo
    provider: Mapped[str] = mapped_column(String(16))  # vietqr | vnpay | momo
    state: Mapped[str] = mapped_column(String(16), default="created")
    amount: Mapped[int] = mapped_column(BigInteger)
    fee: Mapped[int] = mapped_column(BigInteger, default=0)
    # The four fields every payment must carry (provincial cashless-payment plans).
    payer_name: Mapped[str] = mapped_column(String(120))
    beneficiary_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(200))
    invoice_code: Mapped[str] = mapped_column(String(25))
    reference: Mapped[str] = mapped_column(String(20))  # our order id at the provider (VNPay TxnRef, MoMo orderId)
    provider_txn: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pay_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    deeplink: Mapped[str | None] = mapped_column(Text, nullable=True)
    qr_payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    transfer_content: Mapped[str | None] = mapped_column(String(25), nullable=True)
    account_bin: Mapped[str | None] = mapped_column(String(6), nullable=True)
    account_number: Mapped[str | None] = mapped_column(String(19), nullable=True)
    account_holder: Mapped[str | None] = mapped_column(String(120), nullable=True)
    received_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    refund_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    failure_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    nothing_debited: Mapped[bool] = mapped_column(Boolean, default=False)
    # The linked account (server/accounts) a "linked" payment was charged on; kept after unlinking.
    source_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    bill: Mapped[Bill] = relationship()
    events: Mapped[list[PaymentEvent]] = relationship(order_by="PaymentEvent.seq", cascade="all, delete-orphan",
                                                      back_populates="payment")


class PaymentEvent(Base):
    """The audit trail: every state change (and every flag) with its time and cause."""

    __tablename__ = "payment_events"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True, autoincrement=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))  # app | vnpay | momo | bankfeed | system
    cause: Mapped[str] = mapped_column(String(300))

    payment: Mapped[Payment] = relationship(back_populates="events")


class ProviderEvent(Base):
    """Each inbound provider event once: a repeat hits the unique key and changes nothing."""

    __tablename__ = "provider_events"
    __table_args__ = (UniqueConstraint("provider", "event_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    provider: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(String(120))
    payment_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
