"""The sandbox's token-linking provider (server/providers/linking.py): a consent page where the
account's owner agrees with an OTP, signed callbacks, and charges on the tokens it issued.

Test hooks: account numbers ending in "0002" have no money (1001); `POST /sandbox/link/revoke`
{tokenRef} and `POST /sandbox/link/expire` {linkId} send `revoked` / `expired` callbacks.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import threading
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from domain.banks import bank_by_bin
from domain.wallets import wallet_by_id
from server.payments.gateways import Gateways
from server.payments.endpoints import get_gateways
from server.providers import linking
from server.sandbox.delivery import deliver
from server.sandbox.endpoints import _body, _fields, _is_json, _page, state
from server.sandbox.state import Order

router = APIRouter(prefix="/sandbox/link", tags=["sandbox"], include_in_schema=False)

SANDBOX_OTP = "123456"
NO_FUNDS_SUFFIX = "0002"


@dataclass
class Offer:
    """A link request the provider received: waiting for its owner on the consent page."""
    link_id: str
    request: dict
    state: str = "pending"  # pending | linked | declined | expired
    token_ref: str | None = None


@dataclass
class IssuedToken:
    token: str
    token_ref: str
    link_id: str
    account_number: str
    expires_at: dt.datetime
    revoked: bool = False


@dataclass
class LinkSandbox:
    offers: dict[str, Offer] = field(default_factory=dict)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)  # token -> issued token
    charges: dict[str, Order] = field(default_factory=dict)  # orderId -> the charge
    lock: threading.Lock = field(default_factory=threading.Lock)

    def by_ref(self, token_ref: str) -> IssuedToken | None:
        with self.lock:
            return next((t for t in self.tokens.values() if t.token_ref == token_ref), None)


def link_state(request: Request) -> LinkSandbox:
    app = request.app
    if not hasattr(app.state, "link_sandbox"):
        app.state.link_sandbox = LinkSandbox()
    return app.state.link_sandbox


def _signed(body: dict, fields, gw: Gateways) -> dict:
    return linking.signed(body, fields, gw.settings.link_secret_key)


def _name_of(request_body: dict) -> str:
    code = str(request_body.get("providerCode", ""))
    if request_body.get("sourceType") == "wallet":
        wallet = wallet_by_id(code)
        return wallet.name if wallet else code
    bank = bank_by_bin(code)
    return bank.short_name if bank else code


def _masked(number: str) -> str:
    return "•••• " + number[-4:]


# ---------------------------------------------------------------- partner API
@router.post("/v1/link/create")
async def create(request: Request, gw: Gateways = Depends(get_gateways)):
    body = await request.json()
    s = gw.settings
    base = {"partnerCode": body.get("partnerCode"), "requestId": body.get("requestId")}
    if (not linking.verify(body, linking.CREATE_FIELDS, s.link_secret_key)
            or body.get("partnerCode") != s.link_partner_code):
        return _signed(base | {"resultCode": 11, "message": "Sai chữ ký", "linkId": "", "approveUrl": ""},
                       linking.CREATE_RESPONSE_FIELDS, gw)
    link_id = "LNK" + secrets.token_hex(8).upper()
    sandbox = link_state(request)
    with sandbox.lock:
        sandbox.offers[link_id] = Offer(link_id, body)
    approve_url = s.url(f"/sandbox/link/approve/{link_id}")
    return _signed(base | {"resultCode": 0, "message": "Thành công", "linkId": link_id, "approveUrl": approve_url},
                   linking.CREATE_RESPONSE_FIELDS, gw)


def _pay_answer(order_id: str, request_id, amount, code: int, trans_id: str, gw: Gateways) -> dict:
    body = {"partnerCode": gw.settings.link_partner_code, "requestId": request_id, "orderId": order_id,
            "amount": amount, "resultCode": code, "transId": trans_id}
    return _signed(body, linking.PAY_RESPONSE_FIELDS, gw)


@router.post("/v1/token/pay")
async def pay(request: Request, gw: Gateways = Depends(get_gateways)):
    body = await request.json()
    s = gw.settings
    order_id, amount = str(body.get("orderId", "")), body.get("amount")
    if not linking.verify(body, linking.PAY_FIELDS, s.link_secret_key):
        return _pay_answer(order_id, body.get("requestId"), amount, 11, "", gw)
    sandbox = link_state(request)
    with sandbox.lock:
        if order_id in sandbox.charges:  # the same order twice: its first answer, never a second charge
            return dict(sandbox.charges[order_id].result)
        issued = sandbox.tokens.get(str(body.get("token", "")))
        if issued is None or issued.revoked or issued.expires_at <= gw.now:
            code = linking.TOKEN_INVALID
        elif not isinstance(amount, int) or amount <= 0:
            code = 22
        elif issued.account_number.endswith(NO_FUNDS_SUFFIX):
            code = linking.INSUFFICIENT_FUNDS
        else:
            code = linking.SUCCESS
        trans_id = str(secrets.randbelow(9_000_000_000) + 1_000_000_000) if code == 0 else ""
        answer = _pay_answer(order_id, body.get("requestId"), amount, code, trans_id, gw)
        sandbox.charges[order_id] = Order("token", order_id, amount if isinstance(amount, int) else 0, body,
                                          decision="approved" if code == 0 else "declined",
                                          transaction_no=trans_id, result=answer)
    return answer


@router.post("/v1/token/query")
async def query(request: Request, gw: Gateways = Depends(get_gateways)):
    body = await request.json()
    order_id = str(body.get("orderId", ""))
    if not linking.verify(body, linking.QUERY_FIELDS, gw.settings.link_secret_key):
        return _pay_answer(order_id, body.get("requestId"), 0, 11, "", gw)
    charge = link_state(request).charges.get(order_id)
    if charge is None:
        return _pay_answer(order_id, body.get("requestId"), 0, linking.NOT_FOUND, "", gw)
    r = charge.result
    return _pay_answer(order_id, body.get("requestId"), r.get("amount"), r.get("resultCode"), r.get("transId"), gw)


@router.post("/v1/token/revoke")
async def revoke(request: Request, gw: Gateways = Depends(get_gateways)):
    body = await request.json()
    base = {"partnerCode": gw.settings.link_partner_code, "requestId": body.get("requestId")}
    if not linking.verify(body, linking.REVOKE_FIELDS, gw.settings.link_secret_key):
        return _signed(base | {"resultCode": 11}, linking.REVOKE_RESPONSE_FIELDS, gw)
    sandbox = link_state(request)
    with sandbox.lock:
        issued = sandbox.tokens.get(str(body.get("token", "")))
        if issued is not None:
            issued.revoked = True
    return _signed(base | {"resultCode": 0 if issued else 4001}, linking.REVOKE_RESPONSE_FIELDS, gw)


# ---------------------------------------------------------------- callbacks
def _callback(offer: Offer, event: str, gw: Gateways, *, issued: IssuedToken | None = None,
              holder_name: str = "", token_ref: str = "") -> dict:
    r = offer.request if offer else {}
    number = str(r.get("accountNumber", "")) if offer else (issued.account_number if issued else "")
    body = {"partnerCode": gw.settings.link_partner_code, "requestId": r.get("requestId", ""),
            "linkId": offer.link_id if offer else "", "event": event,
            "token": issued.token if (issued and event == "linked") else "",
            "tokenRef": token_ref or (issued.token_ref if issued else ""), "holderName": holder_name,
            "accountSuffix": number[-4:], "tokenExpiresAt": issued.expires_at.isoformat() if issued else ""}
    return _signed(body, linking.IPN_FIELDS, gw)


def _send(request: Request, body: dict, ipn_url: str, gw: Gateways) -> None:
    deliver(state(request).behaviour,
            lambda: gw.http.post(ipn_url, json=body, timeout=gw.settings.provider_timeout_seconds))


def _ipn_url(offer: Offer | None, gw: Gateways) -> str:
    return (offer.request.get("ipnUrl") if offer else None) or gw.settings.url("/providers/link/ipn")


# ---------------------------------------------------------------- the consent page
def _consent_form(offer: Offer, error: str = "", holder: str | None = None) -> str:
    r = offer.request
    name = html.escape(holder if holder is not None else str(r.get("customerName", "")))
    lid = html.escape(offer.link_id)
    warn = f'<p role="alert" style="color:#b00020">{html.escape(error)}</p>' if error else ""
    return (_fields([("Ngân hàng / ví", _name_of(r)), ("Tài khoản", _masked(str(r.get("accountNumber", "")))),
                     ("Đơn vị yêu cầu", "Đóng Phí")]) + warn +
            f'<form method="post" action="/sandbox/link/decide"><input type="hidden" name="link_id" value="{lid}">'
            f'<p><label for="holder">Tên chủ tài khoản</label><br><input id="holder" name="holder_name" '
            f'value="{name}" style="font-size:20px"></p>'
            f'<p><label for="otp">Mã OTP</label><br><input id="otp" name="otp" inputmode="numeric" '
            f'autocomplete="one-time-code" style="font-size:20px"></p>'
            f'<p class="note">Mã OTP thử nghiệm: {SANDBOX_OTP}</p>'
            '<button name="decision" value="approved">Đồng ý liên kết</button>'
            '<button name="decision" value="declined">Từ chối</button></form>')


@router.get("/approve/{link_id}", response_class=HTMLResponse)
def approve_page(link_id: str, request: Request):
    offer = link_state(request).offers.get(link_id)
    if offer is None:
        return _page("Không tìm thấy", "<p>Không có yêu cầu liên kết này.</p>", 404)
    if offer.state != "pending":
        return _page("Yêu cầu đã xử lý", f"<p>Yêu cầu liên kết này đã {html.escape(_STATE_VI[offer.state])}.</p>")
    return _page("Liên kết tài khoản với Đóng Phí (thử nghiệm)", _consent_form(offer))


_STATE_VI = {"linked": "được đồng ý", "declined": "bị từ chối", "expired": "hết hạn", "pending": "đang chờ"}


@router.post("/decide")
async def decide(request: Request, gw: Gateways = Depends(get_gateways)):
    data = await _body(request)
    as_json = _is_json(request)
    result = await run_in_threadpool(_decide, request, data, gw)
    status, outcome, message, offer = result
    if as_json:
        return JSONResponse({"status": outcome, "message": message}, status_code=status)
    if outcome == "wrong_otp":
        return _page("Liên kết tài khoản với Đóng Phí (thử nghiệm)",
                     _consent_form(offer, message, str(data.get("holder_name", ""))), status)
    title = {"linked": "Đã liên kết", "declined": "Đã từ chối liên kết"}.get(outcome, "Không thực hiện được")
    return _page(title, f"<p>{html.escape(message)}</p>", status)


def _decide(request: Request, data: dict, gw: Gateways):
    sandbox = link_state(request)
    link_id, decision = str(data.get("link_id", "")), str(data.get("decision", ""))
    with sandbox.lock:
        offer = sandbox.offers.get(link_id)
        if offer is None or decision not in ("approved", "declined"):
            return 404, "not_found", "Không có yêu cầu liên kết này.", offer
        if offer.state != "pending":
            return 409, offer.state, f"Yêu cầu liên kết này đã {_STATE_VI[offer.state]}.", offer
        if decision == "approved" and str(data.get("otp", "")).strip() != SANDBOX_OTP:
            return 400, "wrong_otp", "Mã OTP không đúng. Vui lòng nhập lại.", offer
        issued = None
        if decision == "approved":
            issued = IssuedToken(token="tok_" + secrets.token_urlsafe(32),
                                 token_ref="TR" + secrets.token_hex(8).upper(),
                                 link_id=link_id, account_number=str(offer.request.get("accountNumber", "")),
                                 expires_at=gw.now + dt.timedelta(days=365))
            sandbox.tokens[issued.token] = issued
            offer.state, offer.token_ref = "linked", issued.token_ref
        else:
            offer.state = "declined"
        holder = str(data.get("holder_name", "") or offer.request.get("customerName", "")).strip()
        body = _callback(offer, "linked" if issued else "declined", gw, issued=issued, holder_name=holder)
    _send(request, body, _ipn_url(offer, gw), gw)
    if issued:
        return 200, "linked", "Đã liên kết. Quay lại ứng dụng Đóng Phí.", offer
    return 200, "declined", "Đã từ chối liên kết. Quay lại ứng dụng Đóng Phí.", offer


# ---------------------------------------------------------------- test-only actions
@router.post("/revoke")
async def revoke_by_owner(request: Request, gw: Gateways = Depends(get_gateways)):
    """The owner revokes the link in the bank's app: the provider tells us with a `revoked` callback."""
    data = await _body(request)
    sandbox = link_state(request)
    issued = sandbox.by_ref(str(data.get("tokenRef", "")))
    if issued is None:
        return JSONResponse({"status": "not_found"}, status_code=404)
    with sandbox.lock:
        issued.revoked = True
        offer = sandbox.offers.get(issued.link_id)
        body = _callback(offer, "revoked", gw, issued=issued)
    await run_in_threadpool(_send, request, body, _ipn_url(offer, gw), gw)
    return {"status": "revoked"}


@router.post("/expire")
async def expire(request: Request, gw: Gateways = Depends(get_gateways)):
    """The consent page timed out at the provider: an `expired` callback for the link request."""
    data = await _body(request)
    sandbox = link_state(request)
    with sandbox.lock:
        offer = sandbox.offers.get(str(data.get("linkId", "")))
        if offer is None or offer.state != "pending":
            return JSONResponse({"status": "not_pending"}, status_code=409 if offer else 404)
        offer.state = "expired"
        body = _callback(offer, "expired", gw)
    await run_in_threadpool(_send, request, body, _ipn_url(offer, gw), gw)
    return {"status": "expired"}
