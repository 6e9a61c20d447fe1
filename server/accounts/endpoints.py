"""Linked bank accounts and wallets: /accounts for the payer, /providers/link for the provider."""

from __future__ import annotations

import html

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import Session

from server.accounts import crypto, service
from server.accounts.schemas import CreateLink, FaceCheckOut, LinkOut, SourceOut, SourcesOut
from server.accounts.service import CallbackRejected
from server.config import Settings
from server.deps import DB, Principal, current_principal
from server.students.access import refuse_student
from server.payments.endpoints import get_gateways
from server.payments.gateways import Gateways

router = APIRouter(prefix="/accounts", tags=["linked accounts"])
callback_router = APIRouter(prefix="/providers/link", tags=["provider callbacks"])

SourceId = Path(max_length=36)


@router.get("", response_model=SourcesOut)
def list_sources(db: Session = DB, gw: Gateways = Depends(get_gateways),
                 principal: Principal = Depends(current_principal)):
    return {"sources": [service.source_out(s) for s in service.list_sources(db, principal.user.id, gw.now)]}


@router.get("/face-check", response_model=FaceCheckOut)
def face_check(amount: int = Query(ge=0), db: Session = DB, gw: Gateways = Depends(get_gateways),
               principal: Principal = Depends(current_principal)):
    return service.face_check(db, gw.settings, principal.user.id, amount, gw.now)


@router.post("/links", response_model=LinkOut, status_code=201)
def create_link(body: CreateLink, response: Response, db: Session = DB, gw: Gateways = Depends(get_gateways),
                principal: Principal = Depends(current_principal),
                idempotency_key: str | None = Header(default=None, alias="Idempotency-Key")):
    refuse_student(db, principal.user, "student_cannot_link")
    lr, created = service.create_link(db, gw, principal.user, body.kind, body.provider, body.account_number,
                                      idempotency_key)
    if not created:
        response.status_code = 200
    return service.link_out(db, lr)


@router.get("/links/{link_id}", response_model=LinkOut)
def get_link(link_id: str = Path(max_length=36), db: Session = DB, gw: Gateways = Depends(get_gateways),
             principal: Principal = Depends(current_principal)):
    return service.link_out(db, service.get_link(db, principal.user.id, link_id, gw.now))


@router.post("/{source_id}/confirm-name", response_model=SourceOut)
def confirm_name(source_id: str = SourceId, db: Session = DB, gw: Gateways = Depends(get_gateways),
                 principal: Principal = Depends(current_principal)):
    return service.source_out(service.confirm_name(db, principal.user.id, source_id, gw.now))


@router.post("/{source_id}/default", response_model=SourceOut)
def make_default(source_id: str = SourceId, db: Session = DB, gw: Gateways = Depends(get_gateways),
                 principal: Principal = Depends(current_principal)):
    return service.source_out(service.make_default(db, principal.user.id, source_id, gw.now))


@router.post("/{source_id}/relink", response_model=LinkOut, status_code=201)
def relink(response: Response, source_id: str = SourceId, db: Session = DB, gw: Gateways = Depends(get_gateways),
           principal: Principal = Depends(current_principal),
           idempotency_key: str | None = Header(default=None, alias="Idempotency-Key")):
    lr, created = service.relink(db, gw, principal.user, source_id, idempotency_key)
    if not created:
        response.status_code = 200
    return service.link_out(db, lr)


@router.delete("/{source_id}", status_code=204)
def unlink(source_id: str = SourceId, db: Session = DB, gw: Gateways = Depends(get_gateways),
           principal: Principal = Depends(current_principal)):
    service.unlink(db, gw, principal.user.id, source_id)
    return Response(status_code=204)


@callback_router.post("/ipn")
async def link_ipn(request: Request, db: Session = DB, gw: Gateways = Depends(get_gateways)):
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"message": "body is not JSON"}, status_code=400)
    if not isinstance(body, dict):
        return JSONResponse({"message": "body must be an object"}, status_code=400)
    try:
        status, reply = await run_in_threadpool(service.handle_ipn, db, gw, body)
    except CallbackRejected as exc:
        return JSONResponse({"message": exc.reason}, status_code=exc.status)
    return JSONResponse(reply, status_code=status)


@callback_router.get("/return", response_class=HTMLResponse)
def link_return():
    """Where the consent page sends the payer back: display only (the callback does the linking)."""
    return HTMLResponse("""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đóng Phí</title></head>
<body style="font-family:sans-serif;font-size:20px;max-width:32em;margin:2em auto;padding:0 1em">
<h1>%s</h1></body></html>""" % html.escape("Quay lại ứng dụng Đóng Phí để xem kết quả liên kết."))


def install(app: FastAPI, settings: Settings) -> None:
    """Mount linked accounts (and their sandbox provider); refuse to start without a usable token key."""
    crypto.check(settings)
    app.include_router(router)
    app.include_router(callback_router)
    if settings.sandbox_enabled:
        from server.sandbox.linking import router as sandbox_link_router
        app.include_router(sandbox_link_router)
