"""shares area: pay requests. Mounted by server/people/endpoints.py.

GET /pay-requests/{token} and the page /r/{token} are public: the token is the only credential, so they
are never cached and never passed on as a referrer.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated
import html

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Depends, Header, Path, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from domain.banks import bank_by_bin
from domain.money import format_vnd
from server.config import Settings
from server.deps import DB, Principal, current_principal, get_now, get_settings
from server.errors import ApiError
from server.payments.endpoints import get_gateways, payment_out
from server.payments.gateways import Gateways
from server.payments.schemas import PaymentOut
from server.shares import service
from server.shares.schemas import (CreatePayRequest, PayRequestCreated, PayRequestOut, PayRequestPublic,
                                   PayThroughRequest)

router = APIRouter(tags=["pay requests"])
Id = Annotated[str, Path(min_length=1, max_length=36)]
Token = Annotated[str, Path(min_length=1, max_length=64)]
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


@router.post("/bills/{bill_id}/pay-requests", response_model=PayRequestCreated, status_code=201)
def create(response: Response, bill_id: Id, body: CreatePayRequest | None = None, db: Session = DB,
           now: dt.datetime = Depends(get_now), settings: Settings = Depends(get_settings),
           principal: Principal = Depends(current_principal)):
    ttl = (body.expires_in_days if body and body.expires_in_days
           else getattr(settings, "pay_request_ttl_days", service.TTL_DAYS))
    pr, token = service.create(db, principal.user, bill_id, now, ttl)
    response.headers.update(PRIVATE)
    return PayRequestCreated(id=pr.id, bill_id=pr.bill_id, token=token, url=service.url(settings, token),
                             status=service.status_of(pr, pr.bill, now), expires_at=pr.expires_at,
                             vietqr=service.transfer_qr(pr.bill))


@router.get("/bills/{bill_id}/pay-requests", response_model=list[PayRequestOut])
def list_for_bill(bill_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
                  principal: Principal = Depends(current_principal)):
    return service.for_bill(db, principal.user, bill_id, now)


@router.delete("/bills/{bill_id}/pay-requests/{request_id}", status_code=204)
def withdraw(bill_id: Id, request_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
             principal: Principal = Depends(current_principal)):
    service.withdraw(db, principal.user, bill_id, request_id, now)
    return Response(status_code=204)


@router.get("/pay-requests/{token}", response_model=PayRequestPublic)
def public_view(response: Response, token: Token, db: Session = DB, now: dt.datetime = Depends(get_now)):
    response.headers.update(PRIVATE)
    return service.public_view(db, token, now)


@router.post("/pay-requests/{token}/payments", response_model=PaymentOut, status_code=201)
def pay(body: PayThroughRequest, response: Response, token: Token, db: Session = DB,
        gw: Gateways = Depends(get_gateways), principal: Principal = Depends(current_principal),
        idempotency_key: str | None = Header(default=None, alias="Idempotency-Key")):
    payment, created = service.pay(db, gw, principal.user, token, body, idempotency_key, principal.session.id)
    if not created:
        response.status_code = 200
    return payment_out(db, principal.user.id, payment)


# --- the link itself, for a relative without the app: a page with the VietQR to scan in a bank app ---

_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>Đóng Phí – Nhờ thanh toán</title>
<style>body{{font-family:sans-serif;font-size:20px;max-width:32em;margin:1.5em auto;padding:0 1em;line-height:1.4}}
dt{{color:#444}}dd{{margin:0 0 .6em;font-weight:bold}}.qr svg{{width:16em;height:16em}}</style></head>
<body><h1>Nhờ thanh toán <small lang="en">/ Payment request</small></h1>{body}</body></html>"""

_STATUS = {
    "paid": ("Hóa đơn này đã được thanh toán.", "This bill has been paid."),
    "expired": ("Yêu cầu này đã hết hạn. Hãy nhờ người thân gửi yêu cầu mới.",
                "This request has expired. Ask your relative for a new one."),
    "withdrawn": ("Gia đình đã rút lại yêu cầu này.", "The family withdrew this request."),
    "cancelled": ("Cơ sở đã hủy hóa đơn này, không cần thanh toán.",
                  "The institution cancelled this bill; there is nothing to pay."),
}


def _qr_svg(payload: str) -> str:
    return qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=10).to_string(
        encoding="unicode")


@router.get("/r/{token}", response_class=HTMLResponse, include_in_schema=False)
def page(token: Token, db: Session = DB, now: dt.datetime = Depends(get_now)):
    try:
        pr = service.by_token(db, token)
    except ApiError:
        body = ("<p>Không tìm thấy yêu cầu thanh toán này.</p>"
                "<p lang=\"en\">This payment request does not exist.</p>")
        return HTMLResponse(_PAGE.format(body=body), status_code=404, headers=PRIVATE)
    view = service.view_of(pr, now)
    e = html.escape
    rows = [("Cơ sở / Institution", view.institution_name), ("Cho / For", view.first_name),
            ("Số tiền / Amount", format_vnd(view.amount_due)), ("Hạn nộp / Due", view.due_date.strftime("%d/%m/%Y")),
            ("Mã hóa đơn / Invoice", view.invoice_code)]
    body = "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows) + "</dl>"
    if view.status == "open" and view.vietqr:
        account = pr.bill.institution.accounts[0]
        bank = bank_by_bin(account.bank_bin)
        body += (f'<div class="qr" role="img" aria-label="VietQR">{_qr_svg(view.vietqr)}</div>'
                 "<p>Quét mã bằng ứng dụng ngân hàng, hoặc chuyển khoản đúng số tiền với nội dung là mã hóa đơn.</p>"
                 "<p lang=\"en\">Scan with your bank app, or transfer the exact amount with the invoice code as "
                 "the note.</p><dl>"
                 + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in [
                     ("Ngân hàng / Bank", bank.short_name if bank else account.bank_bin),
                     ("Số tài khoản / Account", account.account_number),
                     ("Chủ tài khoản / Account holder", account.holder_name),
                     ("Nội dung / Note", view.invoice_code)]) + "</dl>")
    else:
        vi, en = _STATUS[view.status]
        body += f"<p><strong>{e(vi)}</strong></p><p lang=\"en\">{e(en)}</p>"
    return HTMLResponse(_PAGE.format(body=body), headers=PRIVATE)
