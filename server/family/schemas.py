from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Invite(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    person_id: str = Field(min_length=1, max_length=36)
    phone: str = Field(min_length=1, max_length=20)
    role: Literal["payer", "viewer"]
    relation: str = Field(default="", max_length=40)


class InvitationOut(BaseModel):
    """What an invitee needs to decide: who asks, for whom, with which role."""

    id: str
    person_id: str
    person_name: str
    person_kind: str
    institution_name: str
    role: str
    relation: str
    state: str  # pending | accepted | declined | withdrawn | expired
    phone_masked: str  # the invited number
    inviter_name: str
    inviter_phone_masked: str
    created_at: dt.datetime
    expires_at: dt.datetime
    can_withdraw: bool = False


class MemberOut(BaseModel):
    id: str
    name: str
    phone_masked: str
    role: str
    relation: str
    added_at: dt.datetime
    added_by_name: str | None  # None: linked the person with code and birth date
    is_me: bool
    can_remove: bool
