"""Token linking (bank accounts and wallets), in the style of MoMo's and NAPAS' tokenization APIs.

Wire format only: JSON bodies signed with HMAC-SHA256 (hex) over `key=value&...` of a fixed field
list, in the field order below. The provider sends the payer to its consent page (approveUrl); once
the owner agrees it posts a signed `linked` callback carrying the token. The token then pays
without a checkout page (`/v1/token/pay`), and an unanswered pay is settled by `/v1/token/query`.

Endpoints under settings.link_api: /v1/link/create, /v1/token/pay, /v1/token/query, /v1/token/revoke.
"""

from __future__ import annotations

from server.providers.signing import hmac_hex, same

CREATE_FIELDS = ("accountNumber", "customerName", "ipnUrl", "partnerCode", "providerCode", "redirectUrl",
                 "requestId", "sourceType")
CREATE_RESPONSE_FIELDS = ("approveUrl", "linkId", "partnerCode", "requestId", "resultCode")
PAY_FIELDS = ("amount", "orderId", "orderInfo", "partnerCode", "requestId", "token")
PAY_RESPONSE_FIELDS = ("amount", "orderId", "partnerCode", "requestId", "resultCode", "transId")
QUERY_FIELDS = ("orderId", "partnerCode", "requestId")
QUERY_RESPONSE_FIELDS = PAY_RESPONSE_FIELDS
REVOKE_FIELDS = ("partnerCode", "requestId", "token")
REVOKE_RESPONSE_FIELDS = ("partnerCode", "requestId", "resultCode")
IPN_FIELDS = ("accountSuffix", "event", "holderName", "linkId", "partnerCode", "requestId", "token",
              "tokenExpiresAt", "tokenRef")

EVENTS = ("linked", "declined", "expired", "revoked")

SUCCESS = 0
IN_PROGRESS = 1000
INSUFFICIENT_FUNDS = 1001
DECLINED = 1006
TOKEN_INVALID = 4001  # revoked or expired: the token will never pay again
NOT_FOUND = 42

# resultCode -> our payment failure_code
FAILURE_CODES = {INSUFFICIENT_FUNDS: "insufficient_funds", DECLINED: "declined", TOKEN_INVALID: "token_invalid"}


def raw_signature(values: dict, fields: tuple[str, ...]) -> str:
    return "&".join(f"{f}={'' if values.get(f) is None else values.get(f)}" for f in fields)


def sign(values: dict, fields: tuple[str, ...], secret_key: str) -> str:
    return hmac_hex(secret_key, raw_signature(values, fields))


def verify(values: dict, fields: tuple[str, ...], secret_key: str) -> bool:
    return same(sign(values, fields, secret_key), values.get("signature"))


def signed(body: dict, fields: tuple[str, ...], secret_key: str) -> dict:
    body["signature"] = sign(body, fields, secret_key)
    return body


def create_request(*, partner_code: str, secret_key: str, request_id: str, source_type: str, provider_code: str,
                   account_number: str, customer_name: str, redirect_url: str, ipn_url: str) -> dict:
    body = {"partnerCode": partner_code, "requestId": request_id, "sourceType": source_type,
            "providerCode": provider_code, "accountNumber": account_number, "customerName": customer_name,
            "redirectUrl": redirect_url, "ipnUrl": ipn_url}
    return signed(body, CREATE_FIELDS, secret_key)


def pay_request(*, partner_code: str, secret_key: str, request_id: str, order_id: str, token: str, amount: int,
                order_info: str) -> dict:
    body = {"partnerCode": partner_code, "requestId": request_id, "orderId": order_id, "token": token,
            "amount": amount, "orderInfo": order_info}
    return signed(body, PAY_FIELDS, secret_key)


def query_request(*, partner_code: str, secret_key: str, request_id: str, order_id: str) -> dict:
    body = {"partnerCode": partner_code, "requestId": request_id, "orderId": order_id}
    return signed(body, QUERY_FIELDS, secret_key)


def revoke_request(*, partner_code: str, secret_key: str, request_id: str, token: str) -> dict:
    body = {"partnerCode": partner_code, "requestId": request_id, "token": token}
    return signed(body, REVOKE_FIELDS, secret_key)


def outcome(result_code: int) -> str:
    """succeeded | pending | failed, from a pay or query resultCode."""
    if result_code == SUCCESS:
        return "succeeded"
    if result_code == IN_PROGRESS:
        return "pending"
    return "failed"


def failure_code(result_code: int) -> str:
    return FAILURE_CODES.get(result_code, str(result_code))


def redacted(body: dict) -> dict:
    """A callback or request safe to store or log: the token itself is never kept."""
    return {k: ("<redacted>" if k == "token" and v else v) for k, v in body.items()}
