"""Which guidance copy to publish, and recording votes.

The bundled file is the default; `guidance_file` (DONGPHI_GUIDANCE_FILE) lets operators publish a newer
version without a release. The newest valid version wins, so a stale or broken file never replaces
the bundled content. The ETag is a hash of the exact document, so it changes with any edit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.guidance import Guidance, GuidanceError, bundled, bundled_text, parse_guidance_json
from server.errors import ApiError
from server.guidance.models import GuidanceFeedback

log = logging.getLogger("dongphi.guidance")


@dataclass(frozen=True)
class Published:
    guidance: Guidance
    body: dict
    etag: str


def _published(text: str, guidance: Guidance) -> Published:
    body = json.loads(text)
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    etag = f"{guidance.version}-{hashlib.sha256(canonical.encode('utf-8')).hexdigest()[:24]}"
    return Published(guidance, body, etag)


_cache: dict[tuple, Published] = {}


def published(guidance_file: Path | None) -> Published:
    """The newest valid copy; the file is re-read when it changes (mtime), so no restart is needed."""
    key: tuple = (None,)
    if guidance_file is not None:
        try:
            key = (str(guidance_file), guidance_file.stat().st_mtime_ns)
        except OSError:
            log.warning("guidance file %s is missing: serving the bundled copy", guidance_file)
    if key in _cache:
        return _cache[key]
    best = _published(bundled_text(), bundled())
    if key[0] is not None:
        try:
            text = Path(key[0]).read_text(encoding="utf-8")
            candidate = parse_guidance_json(text)
        except (OSError, GuidanceError) as exc:
            log.error("guidance file %s refused, serving the bundled copy: %s", key[0], exc)
        else:
            if candidate.version > best.guidance.version:
                best = _published(text, candidate)
    _cache.clear()
    _cache[key] = best
    return best


def record_feedback(db: Session, guidance: Guidance, user_id: str, article_id: str, helpful: bool,
                    now: dt.datetime) -> GuidanceFeedback:
    """One vote per user and article: a second answer replaces the first (people change their mind)."""
    if guidance.article(article_id) is None:
        raise ApiError(404, "article_not_found", "no guidance article with that id")
    for attempt in range(2):
        vote = db.scalar(select(GuidanceFeedback).where(GuidanceFeedback.user_id == user_id,
                                                        GuidanceFeedback.article_id == article_id))
        if vote is not None:
            vote.helpful, vote.updated_at = helpful, now
            db.flush()
            return vote
        vote = GuidanceFeedback(user_id=user_id, article_id=article_id, helpful=helpful, created_at=now,
                                updated_at=now)
        db.add(vote)
        try:
            db.flush()
            return vote
        except IntegrityError:
            db.rollback()  # two taps at once: the twin's insert won; update it on the next turn
            if attempt:
                raise
    raise AssertionError("unreachable")
