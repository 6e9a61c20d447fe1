"""VNPay payment gateway, API 2.1.0: signed pay URL, IPN checks, querydr.

Amounts cross this edge ×100 (VNPay's unit); inside Đóng Phí money is int đồng.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import quote_plus, urlencode

from server.providers.signing import hmac_hex, same

VERSION = "2.1.0"
HASH_FIELDS = {"vnp_SecureHash", "vnp_SecureHashType"}
VN_TZ = dt.timezone(dt.timedelta(hours=7))

# IPN replies (RspCode) from the 2.1.0 documentation.
RSP_CONFIRMED, RSP_NOT_FOUND, RSP_ALREADY, RSP_BAD_AMOUNT, RSP_BAD_CHECKSUM, RSP_UNKNOWN = (
    "00", "01", "02", "04", "97", "99")
RSP_MESSAGES = {RSP_CONFIRMED: "Confirm Success", RSP_NOT_FOUND: "Order not found",
                RSP_ALREADY: "Order already confirmed", RSP_BAD_AMOUNT: "Invalid amount",
                RSP_BAD_CHECKSUM: "Invalid signature", RSP_UNKNOWN: "Unknown error"}


def canonical(params: dict[str, str]) -> str:
    """Every vnp_* field but the hash ones, sorted, URL-encoded with '+' for spaces, joined by '&'."""
    items = sorted((k, str(v)) for k, v in params.items()
                   if k.startswith("vnp_") and k not in HASH_FIELDS and v is not None and str(v) != "")
    return "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in items)


def sign(params: dict[str, str], secret: str) -> str:
    return hmac_hex(secret, canonical(params), hashlib.sha512)


def verify(params: dict[str, str], secret: str) -> bool:
    return same(sign(params, secret), params.get("vnp_SecureHash"))


def vn_time(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def pay_url(base_url: str, *, tmn_code: str, secret: str, txn_ref: str, amount: int, order_info: str,
            return_url: str, ip_addr: str, created: dt.datetime, expires: dt.datetime,
            bank_code: str | None = None, locale: str = "vn") -> str:
    params = {
        "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": tmn_code,
        "vnp_Amount": str(amount * 100), "vnp_CurrCode": "VND", "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info, "vnp_OrderType": "billpayment", "vnp_Locale": locale,
        "vnp_ReturnUrl": return_url, "vnp_IpAddr": ip_addr,
        "vnp_CreateDate": vn_time(created), "vnp_ExpireDate": vn_time(expires),
    }
    if bank_code:
        params["vnp_BankCode"] = bank_code
    params["vnp_SecureHash"] = sign(params, secret)
    return f"{base_url}?{urlencode(params, quote_via=quote_plus)}"


def succeeded(params: dict[str, str]) -> bool:
    return params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"


def amount_of(params: dict[str, str]) -> int | None:
    """vnp_Amount/100 as int đồng, or None when it is not a whole number of đồng."""
    raw = params.get("vnp_Amount", "")
    if not raw.isdigit() or int(raw) % 100:
        return None
    return int(raw) // 100


QUERY_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERY_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")


def pipe_hash(values: dict[str, str], fields: tuple[str, ...], secret: str) -> str:
    """querydr/refund checksums: HMAC-SHA512 over the listed fields joined by '|'."""
    return hmac_hex(secret, "|".join(str(values.get(f, "")) for f in fields), hashlib.sha512)


def querydr_request(*, tmn_code: str, secret: str, request_id: str, txn_ref: str, transaction_date: str,
                    now: dt.datetime, ip_addr: str, order_info: str) -> dict[str, str]:
    body = {"vnp_RequestId": request_id, "vnp_Version": VERSION, "vnp_Command": "querydr",
            "vnp_TmnCode": tmn_code, "vnp_TxnRef": txn_ref, "vnp_OrderInfo": order_info,
            "vnp_TransactionDate": transaction_date, "vnp_CreateDate": vn_time(now), "vnp_IpAddr": ip_addr}
    body["vnp_SecureHash"] = pipe_hash(body, QUERY_FIELDS, secret)
    return body


def verify_query_response(body: dict[str, str], secret: str) -> bool:
    return same(pipe_hash(body, QUERY_RESPONSE_FIELDS, secret), body.get("vnp_SecureHash"))
