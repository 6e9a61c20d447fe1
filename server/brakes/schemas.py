from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class BrakeEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Checked in the service against domain.brakes, so an unknown name gets its own error code.
    brake: str = Field(max_length=40)
    outcome: str = Field(max_length=20)
    context: str = Field(default="scan", max_length=20)


class BrakeEventOut(BaseModel):
    id: str
    brake: str
    outcome: str
    context: str


class BrakeContextOut(BaseModel):
    """What the brakes of domain.brakes need from the server about one payee and this family."""

    paid_before: bool
    usual_amounts: list[int]  # đồng, newest bill first
