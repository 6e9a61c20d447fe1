"""Schools and hospitals, their named support contact and their collection accounts."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, new_id


class Institution(Base):
    __tablename__ = "institutions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))  # school | hospital
    province: Mapped[str] = mapped_column(String(60))
    hotline: Mapped[str] = mapped_column(String(20))
    support_name: Mapped[str] = mapped_column(String(120))
    support_phone: Mapped[str] = mapped_column(String(20))
    support_email: Mapped[str] = mapped_column(String(120), default="")
    # A full-match regex of the invoice codes it prints: the app tells its bills from look-alikes.
    invoice_pattern: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # Shared with the institution's bank/aggregator: signs its transaction feed (HMAC-SHA256).
    feed_secret: Mapped[str] = mapped_column(String(128), default="")

    accounts: Mapped[list[CollectionAccount]] = relationship(
        back_populates="institution", order_by="CollectionAccount.account_number"
    )


class CollectionAccount(Base):
    __tablename__ = "collection_accounts"
    __table_args__ = (UniqueConstraint("bank_bin", "account_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    bank_bin: Mapped[str] = mapped_column(String(6))
    account_number: Mapped[str] = mapped_column(String(19))
    holder_name: Mapped[str] = mapped_column(String(120))

    institution: Mapped[Institution] = relationship(back_populates="accounts")
