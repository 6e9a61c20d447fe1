"""Invitations to join a person's family, addressed to a phone number (the invitee may not have signed up yet)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import Base, new_id
from server.people.models import Person

ROLES = ("payer", "viewer")
# pending -> accepted | declined | withdrawn | expired ("expired" is also derived from expires_at when read).
STATES = ("pending", "accepted", "declined", "withdrawn", "expired")


class FamilyInvitation(Base):
    __tablename__ = "family_invitations"
    # One open invitation per person and phone, enforced by the database: pending_key holds
    # "<person_id>:<phone>" only while pending (NULLs never collide), as payments' live_bill_id does.
    __table_args__ = (UniqueConstraint("pending_key"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    inviter_user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)  # canonical +84…
    role: Mapped[str] = mapped_column(String(16))
    relation: Mapped[str] = mapped_column(String(40), default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    pending_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    answered_by_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                            nullable=True)

    person: Mapped[Person] = relationship()
