"""Student accounts: a phone number that, once signed in, is the student and nobody's payer."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, new_id
from server.people.models import Person


class StudentAccount(Base):
    __tablename__ = "student_accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # canonical +84…; the user may come later
    created_by_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                           nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship()
