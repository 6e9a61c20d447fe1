"""Provider-facing endpoints: IPNs and the bank feed change state; return pages only display."""

from __future__ import annotations

import html

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from server.deps import DB
from server.payments import callbacks
from server.payments.callbacks import CallbackRejected
from server.payments.endpoints import get_gateways
from server.payments.gateways import Gateways
from server.providers import bankfeed, momo, vnpay

router = APIRouter(prefix="/providers", tags=["provider callbacks"])


@router.get("/vnpay/ipn")
def vnpay_ipn(request: Request, db: Session = DB, gw: Gateways = Depends(get_gateways)):
    try:
        return callbacks.vnpay_ipn(db, gw, dict(request.query_params))
    except Exception:  # VNPay documents 99 for anything we could not process; it will retry
        callbacks.log.exception("VNPay IPN failed")
        db.rollback()
        return {"RspCode": vnpay.RSP_UNKNOWN, "Message": vnpay.RSP_MESSAGES[vnpay.RSP_UNKNOWN]}


@router.post("/momo/ipn", status_code=204)
async def momo_ipn(request: Request, db: Session = DB, gw: Gateways = Depends(get_gateways)):
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"message": "body is not JSON"}, status_code=400)
    if not isinstance(body, dict):
        return JSONResponse({"message": "body must be an object"}, status_code=400)
    try:
        await run_in_threadpool(callbacks.momo_ipn, db, gw, body)  # keep blocking I/O off the loop
    except CallbackRejected as exc:
        return JSONResponse({"message": exc.reason}, status_code=exc.status)
    return Response(status_code=204)


@router.post("/bankfeed/{institution_id}")
async def bank_feed(institution_id: str, request: Request, db: Session = DB, gw: Gateways = Depends(get_gateways),
                    signature: str | None = Header(default=None, alias=bankfeed.SIGNATURE_HEADER)):
    raw = await request.body()
    try:
        return await run_in_threadpool(callbacks.bank_feed, db, gw, institution_id, raw, signature)
    except CallbackRejected as exc:
        return JSONResponse({"status": "rejected", "reason": exc.reason}, status_code=exc.status)


_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đóng Phí</title>
<style>body{{font-family:sans-serif;font-size:20px;max-width:32em;margin:2em auto;padding:0 1em}}</style></head>
<body><h1>{title}</h1><p>{body}</p><p>Quay lại ứng dụng Đóng Phí để xem kết quả. / Return to the Đóng Phí app
to see the result.</p></body></html>"""


def _return_page(valid: bool, ok: bool) -> HTMLResponse:
    if not valid:
        return HTMLResponse(_PAGE.format(title="Không xác minh được", body=html.escape(
            "Trang này không đến từ cổng thanh toán. Không có gì thay đổi.")), status_code=400)
    title = "Đã gửi thanh toán" if ok else "Thanh toán chưa thành công"
    body = ("Đóng Phí đang chờ xác nhận từ cổng thanh toán." if ok
            else "Cổng thanh toán báo giao dịch không thành công.")
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=html.escape(body)))


@router.get("/vnpay/return", response_class=HTMLResponse)
def vnpay_return(request: Request, gw: Gateways = Depends(get_gateways)):
    params = dict(request.query_params)  # displays only: the IPN is what changes the payment
    return _return_page(vnpay.verify(params, gw.settings.vnpay_hash_secret), vnpay.succeeded(params))


@router.get("/momo/return", response_class=HTMLResponse)
def momo_return(request: Request, gw: Gateways = Depends(get_gateways)):
    params = dict(request.query_params)
    for name in ("amount", "resultCode"):
        if params.get(name, "").lstrip("-").isdigit():
            params[name] = int(params[name])
    s = gw.settings
    valid = momo.verify(params, momo.IPN_FIELDS, s.momo_access_key, s.momo_secret_key)
    return _return_page(valid, params.get("resultCode") == 0)
