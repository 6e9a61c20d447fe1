"""People on an institution's register (students, patients) and the payers whose family they are in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, new_id
from server.institutions.models import Institution


class Person(Base):
    """A student or patient as the institution knows them; payers link to these, never create them."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("institution_id", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institutions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # student | patient
    code: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    group_label: Mapped[str] = mapped_column(String(60), default="")  # class or department

    institution: Mapped[Institution] = relationship()


class FamilyMember(Base):
    """Links a user to a person; both parents can link the same child, relatives join by invitation.

    `added_by_user_id` is empty for a member who proved the link (code and birth date) and names the
    inviter otherwise: who may remove whom follows from it (server/family).
    """

    __tablename__ = "family_members"
    __table_args__ = (UniqueConstraint("user_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="payer")  # payer | viewer
    relation: Mapped[str] = mapped_column(String(40), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    added_by_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                         nullable=True)

    person: Mapped[Person] = relationship()
