from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Header, Path, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.config import Settings
from server.deps import DB, Principal, current_principal, get_now, get_settings
from server.guidance import service
from server.guidance.schemas import FeedbackIn, FeedbackOut
from server.registry.service import etag_matches

router = APIRouter(prefix="/guidance", tags=["guidance"])


@router.get("", responses={304: {"description": "the guidance has not changed since that ETag"}})
def guidance(settings: Settings = Depends(get_settings),
             if_none_match: str | None = Header(default=None, alias="If-None-Match")):
    """Public and versioned: the app ships a copy and asks here for a newer one (a 304 costs nothing)."""
    copy = service.published(settings.guidance_file)
    headers = {"ETag": f'"{copy.etag}"', "Cache-Control": "no-cache"}
    if etag_matches(if_none_match, copy.etag):
        return Response(status_code=304, headers=headers)
    return JSONResponse(copy.body, headers=headers)


@router.post("/{article_id}/feedback", response_model=FeedbackOut)
def feedback(body: FeedbackIn, article_id: str = Path(max_length=60), db: Session = DB,
             now: dt.datetime = Depends(get_now), settings: Settings = Depends(get_settings),
             principal: Principal = Depends(current_principal)):
    copy = service.published(settings.guidance_file)
    vote = service.record_feedback(db, copy.guidance, principal.user.id, article_id, body.helpful, now)
    return FeedbackOut(article_id=vote.article_id, helpful=vote.helpful)
