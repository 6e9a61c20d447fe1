"""Linking bank accounts and wallets through the sandbox provider's consent page, over HTTP on a real database."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from server.accounts.models import LinkRequest, PaymentSource
from server.db import session_scope
from server.seed import OTHER_PHONE
from tests.server.conftest import sign_in
from tests.server.linking_helpers import (VCB, WALLET_PHONE, decide, err, ipn, link_account, provider_link_id,
                                          start_link)


def counts(app) -> tuple[int, int]:
    for db in session_scope(app.state.session_factory):
        return (db.scalar(select(func.count()).select_from(PaymentSource)),
                db.scalar(select(func.count()).select_from(LinkRequest)))


def sources(client, auth) -> list[dict]:
    r = client.get("/accounts", headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["sources"]


def test_link_a_bank_account_through_the_consent_page(client, auth, clock):
    assert sources(client, auth) == []
    r = start_link(client, auth)
    assert r.status_code == 201, r.text
    link = r.json()
    assert link["state"] == "pending" and link["source"] is None and link["failure_code"] is None
    assert (link["kind"], link["provider"], link["provider_name"]) == ("bank", VCB, "Vietcombank")
    assert link["account_masked"] == "•••• 6789"
    assert "0011" not in r.text  # the full number is never echoed back

    page = client.get("/sandbox/link/approve/" + provider_link_id(link))
    assert page.status_code == 200
    for text in ("Vietcombank", "•••• 6789", "Tên chủ tài khoản", 'value="Nguyen Thi Lan"', "Mã OTP",
                 "Mã OTP thử nghiệm: 123456", "Đồng ý liên kết", "Từ chối"):
        assert text in page.text, text

    # The consent page's own form: approve with the right OTP.
    r = client.post("/sandbox/link/decide", data={"link_id": provider_link_id(link), "decision": "approved",
                                                  "otp": "123456", "holder_name": "Nguyen Thi Lan"})
    assert r.status_code == 200 and "Đã liên kết. Quay lại ứng dụng Đóng Phí." in r.text

    link = client.get(f"/accounts/links/{link['id']}", headers=auth).json()
    assert link["state"] == "approved"
    source = link["source"]
    assert source["status"] == "active" and source["name_matches"] is True and source["is_default"] is True
    assert source["holder_name"] == "Nguyen Thi Lan" and source["account_masked"] == "•••• 6789"
    assert set(source) == {"id", "kind", "provider", "provider_name", "account_masked", "holder_name", "linked_at",
                           "status", "is_default", "name_matches"}
    assert sources(client, auth) == [source]


def test_link_a_wallet_by_its_phone_number(client, auth):
    r = start_link(client, auth, kind="wallet", provider="momo", number=WALLET_PHONE)
    assert r.status_code == 201, r.text
    assert r.json()["provider_name"] == "MoMo" and r.json()["account_masked"] == "•••• 3456"
    assert decide(client, r.json()).json()["status"] == "linked"
    [source] = sources(client, auth)
    assert (source["kind"], source["provider"], source["status"]) == ("wallet", "momo", "active")


def test_wrong_otp_changes_nothing_then_decline(client, auth):
    link = start_link(client, auth).json()
    r = client.post("/sandbox/link/decide", data={"link_id": provider_link_id(link), "decision": "approved",
                                                  "otp": "000000"})
    assert r.status_code == 400 and "Mã OTP không đúng" in r.text
    assert client.get(f"/accounts/links/{link['id']}", headers=auth).json()["state"] == "pending"

    r = client.post("/sandbox/link/decide", data={"link_id": provider_link_id(link), "decision": "declined"})
    assert r.status_code == 200
    link = client.get(f"/accounts/links/{link['id']}", headers=auth).json()
    assert (link["state"], link["failure_code"], link["source"]) == ("declined", "declined", None)
    assert sources(client, auth) == []


def test_a_pending_request_expires_by_time_and_late_consent_is_refused(client, app, auth, clock, settings):
    link = start_link(client, auth).json()
    clock.advance(seconds=settings.link_request_ttl_seconds + 1)
    link = client.get(f"/accounts/links/{link['id']}", headers=auth).json()
    assert (link["state"], link["failure_code"]) == ("expired", "expired")
    # The owner approves anyway at the provider: the callback is refused and the token revoked there.
    assert decide(client, link).status_code == 200
    assert client.get(f"/accounts/links/{link['id']}", headers=auth).json()["state"] == "expired"
    assert sources(client, auth) == []
    [issued] = app.state.link_sandbox.tokens.values()
    assert issued.revoked is True


def test_a_pending_request_expires_by_callback(client, auth):
    link = start_link(client, auth).json()
    r = client.post("/sandbox/link/expire", json={"linkId": provider_link_id(link)})
    assert r.status_code == 200, r.text
    link = client.get(f"/accounts/links/{link['id']}", headers=auth).json()
    assert (link["state"], link["failure_code"]) == ("expired", "expired")
    assert decide(client, link).status_code == 409  # the provider's page is closed too


def test_an_account_is_linked_once(client, app, auth):
    link_account(client, auth)
    r = start_link(client, auth, number="001122336789")  # the same number, typed without spaces
    assert r.status_code == 409 and err(r) == "source_already_linked"
    assert counts(app) == (1, 1)


def test_same_idempotency_key_gives_the_same_link_request(client, app, auth):
    first = start_link(client, auth, key="link-1")
    again = start_link(client, auth, key="link-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    other = start_link(client, auth, number="0011223344", key="link-1")
    assert other.status_code == 422 and err(other) == "idempotency_key_reused"
    assert counts(app) == (0, 1)


@pytest.mark.parametrize("kind,provider,number,code", [
    ("bank", "999999", "0011223344", "unknown_bank"),
    ("bank", "971025", "0011223344", "unknown_bank"),  # MoMo's BIN is a wallet, not a bank
    ("bank", VCB, "12345", "account_number_invalid"),
    ("bank", VCB, "12345678901234567890", "account_number_invalid"),
    ("bank", VCB, "0011-2233", "account_number_invalid"),
    ("bank", VCB, "１２３４５６７", "account_number_invalid"),  # full-width digits
    ("wallet", "paypal", WALLET_PHONE, "unknown_wallet"),
    ("wallet", "momo", "0123", "wallet_phone_invalid"),
    ("wallet", "momo", "0212345678", "wallet_phone_invalid"),  # a landline
])
def test_bad_requests_get_specific_codes_and_store_nothing(client, app, auth, kind, provider, number, code):
    r = start_link(client, auth, kind, provider, number)
    assert r.status_code == 422 and err(r) == code, r.text
    assert counts(app) == (0, 0)


def test_provider_unreachable_leaves_nothing_pending(client, app, auth):
    class Down(httpx.Client):
        def post(self, *a, **k):
            raise httpx.ConnectError("down")

    app.state.http = Down()
    r = start_link(client, auth)
    assert r.status_code == 502 and err(r) == "provider_unavailable"
    assert counts(app) == (0, 0)


def test_name_mismatch_needs_confirmation(client, auth):
    source = link_account(client, auth, holder="TRAN VAN MINH")
    assert (source["status"], source["name_matches"], source["holder_name"]) == (
        "needs_name_confirmation", False, "TRAN VAN MINH")
    r = client.post(f"/accounts/{source['id']}/confirm-name", headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "active" and r.json()["name_matches"] is False


def test_revoked_at_the_bank_then_linked_again(client, app, auth):
    source = link_account(client, auth)
    [issued] = app.state.link_sandbox.tokens.values()
    r = client.post("/sandbox/link/revoke", json={"tokenRef": issued.token_ref})
    assert r.status_code == 200, r.text
    [revoked] = sources(client, auth)
    assert revoked["status"] == "revoked"
    for db in session_scope(app.state.session_factory):
        assert db.get(PaymentSource, source["id"]).token_cipher is None
    # While linked, relink is refused; once revoked it starts a new consent with the stored number.
    r = client.post(f"/accounts/{source['id']}/relink", headers=auth)
    assert r.status_code == 201, r.text
    link = r.json()
    assert link["account_masked"] == "•••• 6789" and link["state"] == "pending"
    assert decide(client, link).status_code == 200
    [again] = sources(client, auth)
    assert again["id"] == source["id"] and again["status"] == "active"
    r = client.post(f"/accounts/{source['id']}/relink", headers=auth)
    assert r.status_code == 409 and err(r) == "source_not_relinkable"


def test_default_switches_and_unlink(client, app, auth):
    first = link_account(client, auth)
    second = link_account(client, auth, kind="wallet", provider="zalopay", number=WALLET_PHONE)
    assert first["is_default"] and not second["is_default"]
    r = client.post(f"/accounts/{second['id']}/default", headers=auth)
    assert r.status_code == 200 and r.json()["is_default"] is True
    listed = sources(client, auth)
    assert [s["id"] for s in listed] == [second["id"], first["id"]]
    assert [s["is_default"] for s in listed] == [True, False]

    r = client.delete(f"/accounts/{second['id']}", headers=auth)
    assert r.status_code == 204
    [left] = sources(client, auth)
    assert left["id"] == first["id"] and left["is_default"] is True
    revoked = [t for t in app.state.link_sandbox.tokens.values() if t.revoked]
    assert len(revoked) == 1  # the unlinked wallet's token was revoked at the provider
    assert client.delete(f"/accounts/{second['id']}", headers=auth).status_code == 404


def test_bad_callback_signature_is_refused_and_not_logged_with_its_token(client, app, auth, settings, caplog):
    link = start_link(client, auth).json()
    body = ipn(settings, linkId=provider_link_id(link), requestId=link["id"], token="tok_SECRET_" + "x" * 30,
               tokenRef="TRFAKE", holderName="Nguyen Thi Lan")
    body["holderName"] = "Someone Else"  # tampered after signing
    r = client.post("/providers/link/ipn", json=body)
    assert r.status_code == 400
    assert "tok_SECRET_" not in caplog.text and "bad signature" in caplog.text
    assert client.get(f"/accounts/links/{link['id']}", headers=auth).json()["state"] == "pending"
    assert counts(app) == (0, 1)


def test_a_repeated_callback_changes_nothing(client, app, auth, settings):
    link = start_link(client, auth).json()
    body = ipn(settings, linkId=provider_link_id(link), requestId=link["id"], token="tok_" + "a" * 40,
               tokenRef="TR1", holderName="NGUYEN THI LAN", accountSuffix="6789",
               tokenExpiresAt="2027-11-22T03:00:00+00:00")
    assert client.post("/providers/link/ipn", json=body).json()["status"] == "applied"
    assert client.post("/providers/link/ipn", json=body).json()["status"] == "duplicate"
    assert counts(app) == (1, 1)


def test_another_user_cannot_see_or_touch_a_source(client, app, auth, settings):
    source = link_account(client, auth)
    link_id = start_link(client, auth, number="5566778899").json()["id"]
    other = sign_in(client, settings, OTHER_PHONE)
    assert sources(client, other) == []
    for method, path in [("post", f"/accounts/{source['id']}/confirm-name"),
                         ("post", f"/accounts/{source['id']}/default"),
                         ("post", f"/accounts/{source['id']}/relink"), ("delete", f"/accounts/{source['id']}")]:
        r = getattr(client, method)(path, headers=other)
        assert r.status_code == 404 and err(r) == "source_not_found", path
    r = client.get(f"/accounts/links/{link_id}", headers=other)
    assert r.status_code == 404 and err(r) == "source_not_found"
    # Linking the same account as someone else is a different link (their own consent), not a clash.
    assert start_link(client, other).status_code == 201
    assert sources(client, auth)[0]["status"] == "active"


def test_face_check_endpoint(client, auth):
    r = client.get("/accounts/face-check", params={"amount": 10_000_001}, headers=auth)
    assert r.json() == {"reason": "single_over_limit", "paid_today": 0, "single_limit": 10_000_000,
                        "daily_limit": 20_000_000}
    assert client.get("/accounts/face-check", params={"amount": 10_000_000}, headers=auth).json()["reason"] is None


def test_production_refuses_to_start_without_a_token_key(tmp_path):
    from cryptography.fernet import Fernet

    from server.accounts import crypto
    from server.config import Settings
    from server.main import create_app

    url = f"sqlite:///{tmp_path / 'p.db'}"
    with pytest.raises(crypto.MissingEncryptionKey):
        create_app(Settings(database_url=url, environment="production", token_encryption_key=""))
    with pytest.raises(crypto.MissingEncryptionKey):
        create_app(Settings(database_url=url, environment="production", token_encryption_key="not-a-key"))
    key = Fernet.generate_key().decode()
    settings = Settings(database_url=url, environment="production", token_encryption_key=key)
    create_app(settings).state.engine.dispose()
    cipher = crypto.encrypt(settings, "tok_abc")
    assert "tok_abc" not in cipher and crypto.decrypt(settings, cipher) == "tok_abc"
    assert crypto.decrypt(Settings(database_url=url), cipher) is None  # another key cannot read it
    assert crypto.fingerprint(settings, "0011") != crypto.fingerprint(Settings(database_url=url), "0011")
