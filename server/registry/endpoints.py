from __future__ import annotations

from fastapi import APIRouter, Header, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.deps import DB
from server.registry import service
from server.registry.schemas import RegistryOut

router = APIRouter(tags=["registry"])


@router.get("/registry", response_model=RegistryOut,
            responses={304: {"description": "the registry has not changed since that ETag"}})
def registry(db: Session = DB, if_none_match: str | None = Header(default=None, alias="If-None-Match")):
    """Public, like the bill it is printed on: the app refreshes it before a scan and checks payees offline."""
    data = service.registry(db)
    headers = {"ETag": f'"{data.version}"', "Cache-Control": "no-cache"}
    if service.etag_matches(if_none_match, data.version):
        return Response(status_code=304, headers=headers)
    return JSONResponse(data.model_dump(), headers=headers)
