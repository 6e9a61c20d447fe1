from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class AddPerson(BaseModel):
    """The same three facts a school office or hospital desk asks for."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    institution_id: str = Field(min_length=1, max_length=36)
    code: str = Field(min_length=1, max_length=32)
    date_of_birth: dt.date
    relation: str = Field(default="", max_length=40)


class PersonOut(BaseModel):
    id: str
    kind: str
    full_name: str
    code: str
    group_label: str
    institution_id: str
    institution_name: str
    role: str
    relation: str
