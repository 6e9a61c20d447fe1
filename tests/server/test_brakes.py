"""Brake outcomes over HTTP: signed-in only, names checked against domain.brakes, one row per event."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.brakes import BRAKES, OUTCOMES
from server.brakes.models import BrakeEvent
from tests.server.conftest import sign_in


def test_recording_needs_sign_in(client, demo):
    r = client.post("/brakes/events", json={"brake": "pressure_question", "outcome": "shown", "context": "scan"})
    assert r.status_code == 401


def test_each_outcome_is_stored_for_its_user(app, client, settings, auth):
    for outcome in OUTCOMES:
        r = client.post("/brakes/events", json={"brake": "pressure_question", "outcome": outcome, "context": "scan"},
                        headers=auth)
        assert r.status_code == 201
        assert {k: r.json()[k] for k in ("brake", "outcome", "context")} == {
            "brake": "pressure_question", "outcome": outcome, "context": "scan"}
    other = sign_in(client, settings, "0987654321")
    r = client.post("/brakes/events", json={"brake": "urgent_words", "outcome": "passed", "context": "pay"},
                    headers=other)
    assert r.status_code == 201
    with app.state.session_factory() as db:
        events = list(db.scalars(select(BrakeEvent).order_by(BrakeEvent.created_at, BrakeEvent.id)))
    assert sorted(e.outcome for e in events if e.brake == "pressure_question") == sorted(OUTCOMES)
    assert len({e.user_id for e in events}) == 2
    assert all(e.created_at is not None for e in events)


@pytest.mark.parametrize("brake", BRAKES)
def test_every_brake_name_is_accepted(client, auth, brake):
    r = client.post("/brakes/events", json={"brake": brake, "outcome": "shown", "context": "pay"}, headers=auth)
    assert r.status_code == 201


@pytest.mark.parametrize("body,code", [
    ({"brake": "hand_brake", "outcome": "shown", "context": "scan"}, "unknown_brake"),
    ({"brake": "pressure_question", "outcome": "ignored", "context": "scan"}, "unknown_brake_outcome"),
    ({"brake": "pressure_question", "outcome": "shown", "context": "home"}, "unknown_brake_context"),
    ({"brake": "pressure_question"}, "validation_error"),
    ({"brake": "pressure_question", "outcome": "shown", "extra": 1}, "validation_error"),
])
def test_unknown_names_are_refused_with_a_specific_code(app, client, auth, body, code):
    r = client.post("/brakes/events", json=body, headers=auth)
    assert r.status_code == 422 and r.json()["error"]["code"] == code
    with app.state.session_factory() as db:
        assert list(db.scalars(select(BrakeEvent))) == []
