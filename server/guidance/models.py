"""Whether readers found an article helpful: one vote per user per article, the latest answer kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, new_id


class GuidanceFeedback(Base):
    __tablename__ = "guidance_feedback"
    __table_args__ = (UniqueConstraint("user_id", "article_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Article ids live in the content (domain/data/guidance.json), not in a table: no foreign key.
    article_id: Mapped[str] = mapped_column(String(60), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
