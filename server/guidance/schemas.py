from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictBool


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    helpful: StrictBool  # "yes" or 1 is a client bug, not a vote


class FeedbackOut(BaseModel):
    article_id: str
    helpful: bool
