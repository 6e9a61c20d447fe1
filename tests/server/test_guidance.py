"""Guidance over HTTP: the public, versioned content with ETags, and one "helpful" vote per user and article."""

from __future__ import annotations

import json

from sqlalchemy import select

from domain.guidance import bundled, bundled_text
from server.db import session_scope
from server.guidance.models import GuidanceFeedback
from tests.server.conftest import sign_in


def test_guidance_is_public_and_answers_304_while_unchanged(client):
    r = client.get("/guidance")
    assert r.status_code == 200 and r.json()["version"] == bundled().version
    assert {a["id"] for a in r.json()["articles"]} == {a.id for a in bundled().articles}
    etag = r.headers["ETag"]
    assert etag.startswith('"') and client.get("/guidance", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/guidance", headers={"If-None-Match": f"W/{etag}, \"other\""}).status_code == 304
    assert client.get("/guidance", headers={"If-None-Match": '"1-stale"'}).status_code == 200


def _newer(folder, version: int):
    doc = json.loads(bundled_text())
    doc["version"] = version
    doc["articles"][0]["vi"]["title"] = "Tiêu đề mới"
    folder.mkdir(exist_ok=True)
    path = folder / "guidance.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_newer_file_is_served_and_an_older_or_broken_one_is_not(app, client, settings, tmp_path):
    old_etag = client.get("/guidance").headers["ETag"]
    app.state.settings = settings.model_copy(update={"guidance_file": _newer(tmp_path, bundled().version + 1)})
    r = client.get("/guidance", headers={"If-None-Match": old_etag})
    assert r.status_code == 200 and r.json()["version"] == bundled().version + 1
    assert r.json()["articles"][0]["vi"]["title"] == "Tiêu đề mới" and r.headers["ETag"] != old_etag

    app.state.settings = settings.model_copy(update={"guidance_file": _newer(tmp_path / "same", bundled().version)})
    assert client.get("/guidance").json()["articles"][0]["vi"]["title"] != "Tiêu đề mới"  # not newer: bundled
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 99, "articles": []}', encoding="utf-8")
    app.state.settings = settings.model_copy(update={"guidance_file": broken})
    assert client.get("/guidance").json()["version"] == bundled().version


def test_feedback_needs_sign_in(client, demo):
    assert client.post("/guidance/otp-phishing/feedback", json={"helpful": True}).status_code == 401


def test_one_vote_per_user_and_article_changing_it_updates_it(app, client, settings, auth):
    r = client.post("/guidance/otp-phishing/feedback", json={"helpful": True}, headers=auth)
    assert r.status_code == 200 and r.json() == {"article_id": "otp-phishing", "helpful": True}
    r = client.post("/guidance/otp-phishing/feedback", json={"helpful": False}, headers=auth)
    assert r.status_code == 200 and r.json()["helpful"] is False
    other = sign_in(client, settings, "0987654321")
    assert client.post("/guidance/otp-phishing/feedback", json={"helpful": True}, headers=other).status_code == 200
    assert client.post("/guidance/qr-stickers/feedback", json={"helpful": True}, headers=auth).status_code == 200
    for db in session_scope(app.state.session_factory):
        votes = db.scalars(select(GuidanceFeedback)).all()
        assert len(votes) == 3
        mine = [v for v in votes if v.article_id == "otp-phishing" and v.helpful is False]
        assert len(mine) == 1


def test_unknown_article_is_404_and_bad_input_422(client, auth):
    r = client.post("/guidance/no-such-article/feedback", json={"helpful": True}, headers=auth)
    assert r.status_code == 404 and r.json()["error"]["code"] == "article_not_found"
    for body in ({}, {"helpful": "yes"}, {"helpful": 1}, {"helpful": True, "extra": 1}, []):
        r = client.post("/guidance/otp-phishing/feedback", json=body, headers=auth)
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "validation_error"
    assert client.post("/guidance/" + "x" * 61 + "/feedback", json={"helpful": True}, headers=auth).status_code == 422
