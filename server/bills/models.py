"""Bills issued by institutions; status is derived (domain.bills), amounts are int đồng."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, new_id
from server.institutions.models import Institution
from server.people.models import Person


class Bill(Base):
    __tablename__ = "bills"
    __table_args__ = (
        UniqueConstraint("institution_id", "invoice_code"),
        CheckConstraint("total > 0", name="total_positive"),
        CheckConstraint("amount_paid >= 0", name="paid_not_negative"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    invoice_code: Mapped[str] = mapped_column(String(25))
    kind: Mapped[str] = mapped_column(String(16))  # tuition | hospital
    title: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(60))  # term, month or visit
    due_date: Mapped[dt.date] = mapped_column(Date)
    total: Mapped[int] = mapped_column(BigInteger)
    amount_paid: Mapped[int] = mapped_column(BigInteger, default=0)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    institution: Mapped[Institution] = relationship()
    person: Mapped[Person] = relationship()
    items: Mapped[list[BillItem]] = relationship(order_by="BillItem.position", cascade="all, delete-orphan")


class BillItem(Base):
    __tablename__ = "bill_items"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    bill_id: Mapped[str] = mapped_column(ForeignKey("bills.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)
