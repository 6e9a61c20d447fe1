"""Brake outcomes: validated against the shared names in domain.brakes, then stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from domain.brakes import BRAKES, CONTEXTS, OUTCOMES
from server.brakes.models import BrakeEvent
from server.errors import ApiError


def record(db: Session, user_id: str, brake: str, outcome: str, context: str, now: dt.datetime) -> BrakeEvent:
    if brake not in BRAKES:
        raise ApiError(422, "unknown_brake", f"brake must be one of {', '.join(BRAKES)}")
    if outcome not in OUTCOMES:
        raise ApiError(422, "unknown_brake_outcome", f"outcome must be one of {', '.join(OUTCOMES)}")
    if context not in CONTEXTS:
        raise ApiError(422, "unknown_brake_context", f"context must be one of {', '.join(CONTEXTS)}")
    event = BrakeEvent(user_id=user_id, brake=brake, outcome=outcome, context=context, created_at=now)
    db.add(event)
    db.flush()
    return event
