"""MoMo e-wallet, API v2 (captureWallet): signed create and query requests, IPN verification."""

from __future__ import annotations

from server.providers.signing import hmac_hex, same

CREATE_FIELDS = ("accessKey", "amount", "extraData", "ipnUrl", "orderId", "orderInfo", "partnerCode",
                 "redirectUrl", "requestId", "requestType")
CREATE_RESPONSE_FIELDS = ("accessKey", "amount", "message", "orderId", "partnerCode", "payUrl", "requestId",
                          "responseTime", "resultCode")
IPN_FIELDS = ("accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType", "partnerCode",
              "payType", "requestId", "responseTime", "resultCode", "transId")
QUERY_FIELDS = ("accessKey", "orderId", "partnerCode", "requestId")
QUERY_RESPONSE_FIELDS = ("accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType",
                         "partnerCode", "payType", "requestId", "responseTime", "resultCode", "transId")

SUCCESS, AUTHORISED = 0, 9000
IN_PROGRESS = {1000, 7000, 7002, 8000}


def raw_signature(values: dict, fields: tuple[str, ...], access_key: str) -> str:
    merged = {**values, "accessKey": access_key}
    return "&".join(f"{f}={'' if merged.get(f) is None else merged.get(f)}" for f in fields)


def sign(values: dict, fields: tuple[str, ...], access_key: str, secret_key: str) -> str:
    return hmac_hex(secret_key, raw_signature(values, fields, access_key))


def verify(values: dict, fields: tuple[str, ...], access_key: str, secret_key: str) -> bool:
    return same(sign(values, fields, access_key, secret_key), values.get("signature"))


def create_request(*, partner_code: str, access_key: str, secret_key: str, request_id: str, order_id: str,
                   amount: int, order_info: str, redirect_url: str, ipn_url: str, lang: str = "vi",
                   extra_data: str = "") -> dict:
    body = {"partnerCode": partner_code, "accessKey": access_key, "requestId": request_id, "amount": amount,
            "orderId": order_id, "orderInfo": order_info, "redirectUrl": redirect_url, "ipnUrl": ipn_url,
            "requestType": "captureWallet", "extraData": extra_data, "lang": lang}
    body["signature"] = sign(body, CREATE_FIELDS, access_key, secret_key)
    return body


def query_request(*, partner_code: str, access_key: str, secret_key: str, request_id: str, order_id: str,
                  lang: str = "vi") -> dict:
    body = {"partnerCode": partner_code, "accessKey": access_key, "requestId": request_id,
            "orderId": order_id, "lang": lang}
    body["signature"] = sign(body, QUERY_FIELDS, access_key, secret_key)
    return body


def outcome(result_code: int) -> str:
    """succeeded | pending | failed, from MoMo's resultCode."""
    if result_code in (SUCCESS, AUTHORISED):
        return "succeeded"
    if result_code in IN_PROGRESS:
        return "pending"
    return "failed"
