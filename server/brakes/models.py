"""How each brake ended, one row per event (shown, passed, abandoned), so their effect can be measured."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, new_id


class BrakeEvent(Base):
    __tablename__ = "brake_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    brake: Mapped[str] = mapped_column(String(40), index=True)  # domain.brakes.BRAKES
    outcome: Mapped[str] = mapped_column(String(20))  # domain.brakes.OUTCOMES
    context: Mapped[str] = mapped_column(String(20))  # domain.brakes.CONTEXTS
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
