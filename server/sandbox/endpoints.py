"""A local stand-in for VNPay, MoMo and a bank: same wire protocols, a page where the payer decides.

Mounted at /sandbox only when settings.sandbox_enabled (development, demo, tests).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import secrets
from urllib.parse import quote_plus, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import vietqr
from domain.money import format_vnd
from server.deps import DB
from server.institutions.models import CollectionAccount
from server.payments.endpoints import get_gateways
from server.payments.gateways import Gateways
from server.payments.models import Payment
from server.providers import bankfeed, momo, vnpay
from server.sandbox.delivery import deliver
from server.sandbox.state import Behaviour, Order, SandboxState

router = APIRouter(prefix="/sandbox", tags=["sandbox"], include_in_schema=False)


def state(request: Request) -> SandboxState:
    app = request.app
    if not hasattr(app.state, "sandbox"):
        app.state.sandbox = SandboxState()
    return app.state.sandbox


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;font-size:20px;max-width:32em;margin:1.5em auto;padding:0 1em}}
button{{font-size:20px;padding:.7em 1.4em;margin:.3em .3em 0 0}} .note{{color:#6b4e00;background:#fff4d6;padding:.5em}}
dt{{color:#555}} dd{{margin:0 0 .6em 0;font-weight:600}}</style></head><body>
<p class="note">Môi trường thử nghiệm (sandbox) — không có tiền thật. / Sandbox — no real money.</p>
<h1>{html.escape(title)}</h1>{body}</body></html>""", status_code=status)


def _fields(rows: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows) + "</dl>"


def _decide_form(action: str, order_id: str) -> str:
    oid = html.escape(order_id)
    return (f'<form method="post" action="{action}"><input type="hidden" name="order_id" value="{oid}">'
            '<button name="decision" value="approved">Xác nhận thanh toán</button>'
            '<button name="decision" value="declined">Huỷ giao dịch</button></form>')


def _is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("application/json")


async def _body(request: Request) -> dict:
    """The sandbox's actions take JSON (tests, scripts) or a form (its own pages)."""
    return await request.json() if _is_json(request) else dict(await request.form())


# ---------------------------------------------------------------- behaviour switches
@router.get("", response_class=HTMLResponse)
def index(request: Request):
    b = state(request).behaviour
    options = "".join(f'<button name="mode" value="{m}">{m}</button>' for m in ("normal", "delay", "repeat", "drop"))
    return _page("Sandbox", f"<p>Callbacks: <b>{b.mode}</b> (delay {b.delay_seconds}s, repeat {b.repeat}×)</p>"
                 f'<form method="post" action="/sandbox/behaviour">{options}</form>')


@router.post("/behaviour")
async def set_behaviour(request: Request):
    data = await _body(request)
    mode = data.get("mode", "normal")
    if mode not in ("normal", "delay", "repeat", "drop"):
        return JSONResponse({"error": "mode must be normal, delay, repeat or drop"}, status_code=422)
    b = Behaviour(mode=mode, delay_seconds=float(data.get("delay_seconds", 3.0)), repeat=int(data.get("repeat", 3)))
    state(request).behaviour = b
    return {"mode": b.mode, "delay_seconds": b.delay_seconds, "repeat": b.repeat}


# ---------------------------------------------------------------- VNPay 2.1.0
@router.get("/vnpay/paymentv2/vpcpay.html", response_class=HTMLResponse)
def vnpay_checkout(request: Request, gw: Gateways = Depends(get_gateways)):
    params = dict(request.query_params)
    s = gw.settings
    if not vnpay.verify(params, s.vnpay_hash_secret) or params.get("vnp_TmnCode") != s.vnpay_tmn_code:
        return _page("Sai chữ ký", "<p>Yêu cầu thanh toán không hợp lệ (sai chữ ký hoặc mã website).</p>", 400)
    amount = vnpay.amount_of(params)
    expires = params.get("vnp_ExpireDate", "")
    if amount is None or not expires.isdigit():
        return _page("Yêu cầu sai", "<p>Số tiền hoặc thời hạn không hợp lệ.</p>", 400)
    order = state(request).get("vnpay", params["vnp_TxnRef"])
    if order is None:
        order = Order("vnpay", params["vnp_TxnRef"], amount, params)
        state(request).put(order)
    if order.decision:
        return _page("Giao dịch đã xử lý", f"<p>Giao dịch này đã được {order.decision}.</p>")
    rows = [("Đơn vị nhận", "Đóng Phí – " + s.vnpay_tmn_code), ("Nội dung", params.get("vnp_OrderInfo", "")),
            ("Mã giao dịch", order.order_id), ("Số tiền", format_vnd(amount)),
            ("Phương thức", {"VNBANK": "Thẻ ATM nội địa", "INTCARD": "Thẻ quốc tế"}.get(
                params.get("vnp_BankCode", ""), "VNPay"))]
    return _page("Cổng thanh toán VNPay (thử nghiệm)", _fields(rows) + _decide_form("/sandbox/vnpay/decide",
                                                                                      order.order_id))


@router.post("/vnpay/decide")
def vnpay_decide(request: Request, order_id: str = Form(), decision: str = Form(),
                 gw: Gateways = Depends(get_gateways)):
    sandbox = state(request)
    order = sandbox.get("vnpay", order_id)
    if order is None or decision not in ("approved", "declined"):
        return _page("Không tìm thấy", "<p>Không có giao dịch này.</p>", 404)
    s = gw.settings
    if order.decision is None:
        order.decision = decision
        order.transaction_no = str(secrets.randbelow(90_000_000) + 10_000_000)
        ok = decision == "approved"
        result = {
            "vnp_Amount": str(order.amount * 100), "vnp_BankCode": order.request.get("vnp_BankCode") or "NCB",
            "vnp_CardType": "ATM", "vnp_OrderInfo": order.request.get("vnp_OrderInfo", ""),
            "vnp_PayDate": vnpay.vn_time(gw.now), "vnp_ResponseCode": "00" if ok else "24",
            "vnp_TmnCode": s.vnpay_tmn_code, "vnp_TransactionNo": order.transaction_no if ok else "0",
            "vnp_TransactionStatus": "00" if ok else "02", "vnp_TxnRef": order.order_id,
        }
        result["vnp_SecureHashType"] = "HmacSHA512"
        result["vnp_SecureHash"] = vnpay.sign(result, s.vnpay_hash_secret)
        order.result = result
        ipn = s.url("/providers/vnpay/ipn") + "?" + urlencode(result, quote_via=quote_plus)
        deliver(sandbox.behaviour, lambda: gw.http.get(ipn, timeout=s.provider_timeout_seconds))
    back = order.request.get("vnp_ReturnUrl", s.url("/providers/vnpay/return"))
    return RedirectResponse(back + "?" + urlencode(order.result, quote_via=quote_plus), status_code=303)


@router.post("/vnpay/merchant_webapi/api/transaction")
async def vnpay_api(request: Request, gw: Gateways = Depends(get_gateways)):
    body = await request.json()
    s = gw.settings
    if body.get("vnp_Command") != "querydr":
        return JSONResponse({"vnp_ResponseCode": "02", "vnp_Message": "only querydr is simulated"})
    if vnpay.pipe_hash(body, vnpay.QUERY_FIELDS, s.vnpay_hash_secret) != body.get("vnp_SecureHash"):
        answer = {"vnp_ResponseCode": "97", "vnp_Message": "Invalid checksum"}
    else:
        order = state(request).get("vnpay", body.get("vnp_TxnRef", ""))
        answer = {"vnp_ResponseCode": "00" if order else "91", "vnp_Message": "ok" if order else "not found",
                  "vnp_TxnRef": body.get("vnp_TxnRef", "")}
        if order:
            status = {"approved": "00", "declined": "02", None: "01"}[order.decision]
            answer |= {"vnp_Amount": str(order.amount * 100), "vnp_TransactionStatus": status,
                       "vnp_TransactionNo": order.transaction_no or "", "vnp_BankCode": "NCB",
                       "vnp_TransactionType": "01", "vnp_OrderInfo": order.request.get("vnp_OrderInfo", "")}
    answer |= {"vnp_ResponseId": secrets.token_hex(8), "vnp_Command": "querydr", "vnp_TmnCode": s.vnpay_tmn_code}
    answer["vnp_SecureHash"] = vnpay.pipe_hash(answer, vnpay.QUERY_RESPONSE_FIELDS, s.vnpay_hash_secret)
    return answer


# ---------------------------------------------------------------- MoMo v2
def _momo_signed(body: dict, fields, gw: Gateways) -> dict:
    s = gw.settings
    body["signature"] = momo.sign(body, fields, s.momo_access_key, s.momo_secret_key)
    return body


@router.post("/momo/v2/gateway/api/create")
async def momo_create(request: Request, gw: Gateways = Depends(get_gateways)):
    body = await request.json()
    s = gw.settings
    base = {"partnerCode": body.get("partnerCode"), "orderId": body.get("orderId"),
            "requestId": body.get("requestId"), "amount": body.get("amount"),
            "responseTime": int(gw.now.timestamp() * 1000)}
    if not momo.verify(body, momo.CREATE_FIELDS, s.momo_access_key, s.momo_secret_key):
        return base | {"resultCode": 11, "message": "Truy cập bị từ chối: sai chữ ký"}
    amount = body.get("amount")
    if not isinstance(amount, int) or not 1_000 <= amount <= 50_000_000:
        return base | {"resultCode": 22, "message": "Số tiền không hợp lệ"}
    if state(request).get("momo", body["orderId"]):
        return base | {"resultCode": 41, "message": "orderId đã tồn tại"}
    state(request).put(Order("momo", body["orderId"], amount, body))
    pay_url = s.url(f"/sandbox/momo/pay/{body['orderId']}")
    answer = base | {"resultCode": 0, "message": "Thành công.", "payUrl": pay_url,
                     "deeplink": f"momo://app?action=payWithApp&sandbox=1&orderId={body['orderId']}",
                     "qrCodeUrl": pay_url}
    return _momo_signed(answer, momo.CREATE_RESPONSE_FIELDS, gw)


@router.get("/momo/pay/{order_id}", response_class=HTMLResponse)
def momo_page(order_id: str, request: Request):
    order = state(request).get("momo", order_id)
    if order is None:
        return _page("Không tìm thấy", "<p>Không có đơn hàng này.</p>", 404)
    if order.decision:
        return _page("Đơn hàng đã xử lý", f"<p>Đơn hàng này đã được {order.decision}.</p>")
    rows = [("Nội dung", order.request.get("orderInfo", "")), ("Mã đơn hàng", order.order_id),
            ("Số tiền", format_vnd(order.amount))]
    return _page("Ví MoMo (thử nghiệm)", _fields(rows) + _decide_form("/sandbox/momo/decide", order.order_id))


def _momo_result(order: Order, gw: Gateways) -> dict:
    ok = order.decision == "approved"
    r = order.request
    body = {"partnerCode": r["partnerCode"], "orderId": order.order_id, "requestId": r["requestId"],
            "amount": order.amount, "orderInfo": r.get("orderInfo", ""), "orderType": "momo_wallet",
            "transId": int(order.transaction_no or 0), "resultCode": 0 if ok else 1006,
            "message": "Thành công." if ok else "Giao dịch bị từ chối bởi người dùng.", "payType": "qr",
            "responseTime": int(gw.now.timestamp() * 1000), "extraData": r.get("extraData", "")}
    return _momo_signed(body, momo.IPN_FIELDS, gw)


@router.post("/momo/decide")
def momo_decide(request: Request, order_id: str = Form(), decision: str = Form(),
                gw: Gateways = Depends(get_gateways)):
    sandbox = state(request)
    order = sandbox.get("momo", order_id)
    if order is None or decision not in ("approved", "declined"):
        return _page("Không tìm thấy", "<p>Không có đơn hàng này.</p>", 404)
    if order.decision is None:
        order.decision = decision
        order.transaction_no = str(secrets.randbelow(9_000_000_000) + 1_000_000_000)
        order.result = _momo_result(order, gw)
        result, ipn = order.result, order.request["ipnUrl"]
        deliver(sandbox.behaviour, lambda: gw.http.post(ipn, json=result, timeout=gw.settings.provider_timeout_seconds))
    query = {k: v for k, v in order.result.items()}
    return RedirectResponse(order.request["redirectUrl"] + "?" + urlencode(query, quote_via=quote_plus),
                            status_code=303)


@router.post("/momo/v2/gateway/api/query")
async def momo_query(request: Request, gw: Gateways = Depends(get_gateways)):
    body = await request.json()
    s = gw.settings
    if not momo.verify(body, momo.QUERY_FIELDS, s.momo_access_key, s.momo_secret_key):
        return {"resultCode": 11, "message": "sai chữ ký", "orderId": body.get("orderId")}
    order = state(request).get("momo", body.get("orderId", ""))
    if order is None:
        answer = {"partnerCode": s.momo_partner_code, "orderId": body.get("orderId"), "requestId": body.get("requestId"),
                  "amount": 0, "orderInfo": "", "orderType": "", "transId": 0, "resultCode": 42,
                  "message": "Không tìm thấy đơn hàng", "payType": "", "responseTime": 0, "extraData": ""}
        return _momo_signed(answer, momo.QUERY_RESPONSE_FIELDS, gw)
    if order.decision is None:
        pending = {**_momo_result(order, gw), "resultCode": 1000, "message": "Đang chờ người dùng xác nhận",
                   "transId": 0}
        return _momo_signed(pending, momo.QUERY_RESPONSE_FIELDS, gw)
    return _momo_signed(dict(order.result), momo.QUERY_RESPONSE_FIELDS, gw)


# ---------------------------------------------------------------- a bank and its transaction feed
@router.get("/bank", response_class=HTMLResponse)
def bank_page(payment: str, db: Session = DB):
    p = db.get(Payment, payment)
    if p is None or not p.qr_payload:
        return _page("Không tìm thấy", "<p>Không có lệnh chuyển khoản này.</p>", 404)
    qr = vietqr.parse(p.qr_payload)
    rows = [("Người nhận", p.account_holder or ""), ("Ngân hàng (BIN)", qr.bin), ("Số tài khoản", qr.account),
            ("Số tiền", format_vnd(qr.amount or 0)), ("Nội dung", qr.purpose or "")]
    form = (f'<form method="post" action="/sandbox/bank/transfer"><input type="hidden" name="qr_payload" '
            f'value="{html.escape(p.qr_payload)}"><button>Chuyển khoản</button></form>')
    return _page("Ngân hàng thử nghiệm", _fields(rows) + form)


@router.post("/bank/transfer")
async def bank_transfer(request: Request, db: Session = DB, gw: Gateways = Depends(get_gateways)):
    """Pay a VietQR like a bank app would, then post the signed feed event to the institution's webhook."""
    data = await _body(request)
    # Blocking work (database, the webhook call back into this server) runs off the event loop.
    result = await run_in_threadpool(_transfer, data, db, gw, state(request))
    if isinstance(result, JSONResponse):
        return result
    event, amount = result
    if _is_json(request) or "json" in request.headers.get("accept", ""):
        return {"status": "sent", "reference": event["reference"], "amount": amount}
    return _page("Đã chuyển khoản", f"<p>Đã chuyển {html.escape(format_vnd(amount))}. "
                 "Quay lại ứng dụng Đóng Phí để xem kết quả.</p>")


def _transfer(data: dict, db: Session, gw: Gateways, sandbox: SandboxState):
    try:
        qr = vietqr.parse(str(data.get("qr_payload", "")))
    except vietqr.VietQRError as exc:
        return JSONResponse({"status": "rejected", "reason": str(exc)}, status_code=422)
    raw_amount = str(data.get("amount") or qr.amount or 0)
    if not raw_amount.isdigit():
        return JSONResponse({"status": "rejected", "reason": "amount must be whole đồng"}, status_code=422)
    amount = int(raw_amount)
    content = str(data.get("content") or qr.purpose or qr.bill_number or "")
    account = db.scalars(select(CollectionAccount).where(CollectionAccount.bank_bin == qr.bin,
                                                         CollectionAccount.account_number == qr.account)).first()
    if account is None or amount <= 0:
        return JSONResponse({"status": "rejected", "reason": "unknown account or no amount"}, status_code=422)
    event = {"reference": str(data.get("reference") or "FT" + secrets.token_hex(6).upper()),
             "account_number": qr.account, "bank_bin": qr.bin, "amount": amount, "content": content,
             "time": gw.now.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat()}
    raw = json.dumps(event, ensure_ascii=False).encode()
    secret = account.institution.feed_secret
    url = gw.settings.url(f"/providers/bankfeed/{account.institution_id}")
    headers = {"content-type": "application/json", bankfeed.SIGNATURE_HEADER: bankfeed.sign(secret, raw)}
    db.commit()  # release our read transaction before the webhook writes
    deliver(sandbox.behaviour,
            lambda: gw.http.post(url, content=raw, headers=headers, timeout=gw.settings.provider_timeout_seconds))
    return event, amount
