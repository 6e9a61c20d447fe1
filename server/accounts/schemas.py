from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CreateLink(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    kind: Literal["bank", "wallet"]
    provider: str = Field(min_length=1, max_length=16)  # bank BIN or wallet id
    account_number: str = Field(min_length=1, max_length=40)


class SourceOut(BaseModel):
    id: str
    kind: Literal["bank", "wallet"]
    provider: str
    provider_name: str
    account_masked: str
    holder_name: str
    linked_at: dt.datetime
    status: str  # active | needs_name_confirmation | expired | revoked
    is_default: bool
    name_matches: bool


class SourcesOut(BaseModel):
    sources: list[SourceOut]


class LinkOut(BaseModel):
    id: str
    kind: Literal["bank", "wallet"]
    provider: str
    provider_name: str
    account_masked: str
    state: Literal["pending", "approved", "declined", "expired"]
    approve_url: str | None
    expires_at: dt.datetime
    failure_code: str | None
    source: SourceOut | None


class FaceCheckOut(BaseModel):
    reason: Literal["single_over_limit", "daily_over_limit"] | None
    paid_today: int
    single_limit: int
    daily_limit: int
