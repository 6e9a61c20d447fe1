"""What the tests need to act as VNPay, MoMo and a bank: the same signing code paths, built by hand."""

from __future__ import annotations

import json
import uuid
from urllib.parse import parse_qsl, urlsplit

from server.providers import bankfeed, momo, vnpay


def bill_id(client, auth, invoice_code: str) -> str:
    data = client.get("/bills/outstanding", headers=auth).json()
    for group in data["groups"]:
        for bill in group["bills"]:
            if bill["invoice_code"] == invoice_code:
                return bill["id"]
    raise AssertionError(f"{invoice_code} is not outstanding")


def outstanding_codes(client, auth) -> set[str]:
    data = client.get("/bills/outstanding", headers=auth).json()
    return {b["invoice_code"] for g in data["groups"] for b in g["bills"]}


def pay(client, auth, bill: str, method: str, key: str | None = None):
    return client.post("/payments", json={"bill_id": bill, "method": method},
                       headers={**auth, "Idempotency-Key": key or str(uuid.uuid4())})


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def vnpay_result(settings, payment: dict, code: str = "00", status: str | None = None, amount: int | None = None,
                 txn: str = "14012345", secret: str | None = None) -> dict[str, str]:
    params = {"vnp_Amount": str((payment["amount"] if amount is None else amount) * 100), "vnp_BankCode": "NCB",
              "vnp_OrderInfo": "Thanh toan", "vnp_PayDate": "20261122100500", "vnp_ResponseCode": code,
              "vnp_TmnCode": settings.vnpay_tmn_code, "vnp_TransactionNo": txn,
              "vnp_TransactionStatus": status or ("00" if code == "00" else "02"),
              "vnp_TxnRef": payment["reference"], "vnp_SecureHashType": "HmacSHA512"}
    params["vnp_SecureHash"] = vnpay.sign(params, secret or settings.vnpay_hash_secret)
    return params


def momo_ipn(settings, payment: dict, result_code: int = 0, amount: int | None = None, trans_id: int = 3012345678,
             secret: str | None = None) -> dict:
    body = {"partnerCode": settings.momo_partner_code, "orderId": payment["reference"], "requestId": "r1",
            "amount": payment["amount"] if amount is None else amount, "orderInfo": "x", "orderType": "momo_wallet",
            "transId": trans_id, "resultCode": result_code, "message": "m", "payType": "qr",
            "responseTime": 1, "extraData": ""}
    body["signature"] = momo.sign(body, momo.IPN_FIELDS, settings.momo_access_key,
                                  secret or settings.momo_secret_key)
    return body


def feed_post(client, institution_id: str, secret: str, event: dict, signature: str | None = None):
    raw = json.dumps(event).encode()
    return client.post(f"/providers/bankfeed/{institution_id}", content=raw,
                       headers={"content-type": "application/json",
                                bankfeed.SIGNATURE_HEADER: signature or bankfeed.sign(secret, raw)})
