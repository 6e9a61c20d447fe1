"""Linked bank accounts and wallets (payment sources) and the consent requests that create them.

Nothing secret is stored in clear: the provider's token and the account number are encrypted
(server.accounts.crypto); duplicates are found by a keyed fingerprint of the number.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, new_id

SOURCE_STATUSES = ("active", "needs_name_confirmation", "expired", "revoked")
LINKED_STATUSES = ("active", "needs_name_confirmation")  # the account counts as linked
LINK_STATES = ("pending", "approved", "declined", "expired")


class PaymentSource(Base):
    __tablename__ = "payment_sources"
    __table_args__ = (UniqueConstraint("user_id", "kind", "provider", "account_fingerprint"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # bank | wallet
    provider: Mapped[str] = mapped_column(String(16))  # bank BIN or wallet id
    account_fingerprint: Mapped[str] = mapped_column(String(64))
    account_last4: Mapped[str] = mapped_column(String(4))
    account_cipher: Mapped[str] = mapped_column(Text)
    holder_name: Mapped[str] = mapped_column(String(120), default="")
    token_cipher: Mapped[str | None] = mapped_column(Text, nullable=True)
    token_ref: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(24), default="active")
    name_matches: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    token_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LinkRequest(Base):
    __tablename__ = "link_requests"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    provider: Mapped[str] = mapped_column(String(16))
    account_fingerprint: Mapped[str] = mapped_column(String(64))
    account_last4: Mapped[str] = mapped_column(String(4))
    account_cipher: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    provider_link_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    approve_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("payment_sources.id", ondelete="SET NULL"),
                                                  nullable=True)
    failure_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


class TokenRevocation(Base):
    """A token whose owner unlinked it while the provider could not be reached: it stays valid there
    until revoked, so it is kept (encrypted) and revoking is retried until the provider confirms or the
    token has expired on its own."""

    __tablename__ = "token_revocations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    token_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    token_cipher: Mapped[str | None] = mapped_column(Text, nullable=True)  # cleared once done
    token_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)  # revoked | expired
