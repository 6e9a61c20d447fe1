"""Linked accounts in a headless app session against the real server and its sandbox provider:
link a bank (consent on the provider's page), pay a bill with it after the PIN, decline, name mismatch,
face-check routing, unlink."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from app.ui.core.routes import ACCOUNTS_ROUTE
from server.payments.models import Payment
from tests.app.test_payment_views import HOSPITAL_BILL, routes
from tests.app.test_views import APP_PIN, sign_in

VCB = "970436"


async def sandbox_decide(transport, approve_url: str, decision="approved", otp="123456", holder=None) -> None:
    """The payer on the bank's consent page (a browser tab in real life)."""
    body = {"link_id": approve_url.rsplit("/", 1)[1], "decision": decision, "otp": otp}
    if holder is not None:
        body["holder_name"] = holder
    async with httpx.AsyncClient(transport=transport.inner, base_url="http://testserver") as client:
        r = await client.post("/sandbox/link/decide", json=body)
    assert r.status_code == 200, r.text


async def start_bank_link(ui, number="0011 2233 6789", search="vietcom"):
    ui.page.navigate(ACCOUNTS_ROUTE)
    await ui.wait_for(lambda: ui.has("link-bank"))
    await ui.click("link-bank")
    await ui.wait_for(lambda: ui.has("provider-search"))
    await ui.type("provider-search", search)
    await ui.wait_for(lambda: ui.has(f"provider-{VCB}"))
    await ui.click(f"provider-{VCB}")
    await ui.wait_for(lambda: ui.has("link-number"))
    assert ui.text_of("link-provider-name") == "Vietcombank"
    await ui.type("link-number", number)
    await ui.click("link-start")
    await ui.wait_for(lambda: ui.has("link-waiting"))
    await ui.wait_for(lambda: len(ui.conn.launched) >= 1)  # the provider's consent page opened by itself
    return ui.conn.launched[-1]


async def link_bank(ui, transport, **kw) -> None:
    approve_url = await start_bank_link(ui, **kw)
    await sandbox_decide(transport, approve_url)
    await ui.wait_for(lambda: ui.has("link-done"), timeout=10)


async def test_link_a_bank_then_pay_a_bill_with_it_after_the_pin(ui, server, transport):
    await sign_in(ui, server)
    approve_url = await start_bank_link(ui)
    assert approve_url.startswith("http://testserver/sandbox/link/approve/")
    assert ui.text_of("link-progress-account") == "Vietcombank •••• 6789"
    await sandbox_decide(transport, approve_url)
    await ui.wait_for(lambda: ui.has("link-done"), timeout=10)
    assert ui.text_of("link-holder-name").upper() == "NGUYEN THI LAN"  # as the bank holds it
    await ui.click("link-finish")
    await ui.wait_for(lambda: any(k.startswith("source-title-") for k in ui.keys()))
    [title_key] = [k for k in ui.keys() if k.startswith("source-title-")]
    source_id = title_key.removeprefix("source-title-")
    assert ui.text_of(title_key) == "Vietcombank •••• 6789"
    assert ui.has(f"source-default-{source_id}")  # the first account is used first

    # Pay the hospital bill: the linked account comes first, the PIN confirms, one charge.
    ui.page.navigate("/")
    await ui.wait_for(lambda: ui.has(f"bill-{HOSPITAL_BILL}"))
    bill_id = await open_bill_from_home(ui)
    await ui.click("pay-bill")
    await ui.wait_for(lambda: ui.has(f"pay-source-{source_id}"))
    keys = ui.keys()
    assert keys.index(f"pay-source-{source_id}") < keys.index("method-vietqr")
    await ui.click(f"pay-source-{source_id}")
    await ui.wait_for(lambda: ui.has("confirm-pay"))
    assert ui.text_of("confirm-source").upper() == "VIETCOMBANK •••• 6789 · NGUYEN THI LAN"
    assert ui.text_of("confirm-amount-words") == "Bằng chữ: Bốn triệu sáu trăm bốn mươi nghìn đồng"
    assert ui.text_of("confirm-institution") == "Bệnh viện Đa khoa Hồng Phúc"
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("owner-pin"))
    await ui.type("owner-pin", "111222")  # wrong: nothing is charged, tries are counted
    await ui.click("owner-confirm")
    await ui.wait_for(lambda: ui.has("owner-error") or any("4" in t for t in ui.texts() if "lần" in t))
    assert _payments(server, bill_id) == []
    await ui.type("owner-pin", APP_PIN)
    await ui.click("owner-confirm")
    await ui.wait_for(lambda: ui.has("receipt-reference"), timeout=10)
    [payment] = _payments(server, bill_id)
    assert (payment.method, payment.state, payment.source_id) == ("linked", "succeeded", source_id)
    assert routes(ui)[-1] == f"/bills/{bill_id}/payments/{payment.id}"
    assert ui.text_of("receipt-reference") == payment.reference
    # Nothing secret went into the device's preferences (plain storage): not the session token, not the PIN.
    secrets = [await ui.tokens.read(), APP_PIN]
    assert all(s and s not in value for s in secrets for value in ui.settings.values.values())

    # Unlink, with one more question first.
    ui.page.navigate(ACCOUNTS_ROUTE)
    await ui.wait_for(lambda: ui.has(f"source-unlink-{source_id}"))
    await ui.click(f"source-unlink-{source_id}")
    await ui.wait_for(lambda: ui.has(f"source-unlink-yes-{source_id}"))
    await ui.click(f"source-unlink-yes-{source_id}")
    await ui.wait_for(lambda: ui.has("accounts-empty"))


async def open_bill_from_home(ui) -> str:
    await ui.click(f"bill-{HOSPITAL_BILL}")
    await ui.wait_for(lambda: ui.has("pay-bill"))
    return ui.page.route.split("/")[2]


def _payments(server, bill_id: str) -> list[Payment]:
    with server.state.session_factory() as db:
        return list(db.scalars(select(Payment).where(Payment.bill_id == bill_id)))


async def test_declined_on_the_consent_page_links_nothing(ui, server, transport):
    await sign_in(ui, server)
    approve_url = await start_bank_link(ui)
    await sandbox_decide(transport, approve_url, decision="declined")
    await ui.wait_for(lambda: ui.has("link-failed"), timeout=10)
    assert "từ chối" in ui.text_of("link-failed")
    await ui.click("link-back")
    await ui.wait_for(lambda: ui.has("accounts-empty"))


async def test_a_holder_name_not_the_payers_needs_confirmation(ui, server, transport):
    await sign_in(ui, server)
    approve_url = await start_bank_link(ui)
    await sandbox_decide(transport, approve_url, holder="TRAN VAN KHAC")
    await ui.wait_for(lambda: ui.has("link-name-mismatch"), timeout=10)
    assert ui.text_of("link-holder-name") == "TRAN VAN KHAC"
    await ui.click("link-confirm-name")
    await ui.wait_for(lambda: ui.has("link-done"))


async def test_not_mine_removes_the_account_at_once(ui, server, transport):
    await sign_in(ui, server)
    approve_url = await start_bank_link(ui)
    await sandbox_decide(transport, approve_url, holder="TRAN VAN KHAC")
    await ui.wait_for(lambda: ui.has("link-not-mine"), timeout=10)
    await ui.click("link-not-mine")
    await ui.wait_for(lambda: ui.has("accounts-empty"))


async def test_the_same_account_twice_is_refused_with_a_clear_message(ui, server, transport):
    await sign_in(ui, server)
    await link_bank(ui, transport)
    await start_bank_link_expect_error(ui)
    assert ui.text_of("link-error-text") == "Tài khoản này đã được liên kết."


async def start_bank_link_expect_error(ui, number="0011 2233 6789"):
    ui.page.navigate(ACCOUNTS_ROUTE)
    await ui.wait_for(lambda: ui.has("link-bank"))
    await ui.click("link-bank")
    await ui.wait_for(lambda: ui.has("provider-search"))
    await ui.click(f"provider-{VCB}")
    await ui.wait_for(lambda: ui.has("link-number"))
    await ui.type("link-number", number)
    await ui.click("link-start")
    await ui.wait_for(lambda: ui.has("link-error"))


async def test_a_face_check_amount_is_sent_to_the_bank_app(ui, server, transport):
    from tests.server.linking_helpers import make_bill
    await sign_in(ui, server)
    await link_bank(ui, transport)
    make_bill(server, 12_000_000, code="VP-BIG-1126")
    ui.page.navigate("/")
    await ui.wait_for(lambda: ui.has("bill-VP-BIG-1126"))
    await ui.click("bill-VP-BIG-1126")
    await ui.wait_for(lambda: ui.has("pay-bill"))
    await ui.click("pay-bill")
    await ui.wait_for(lambda: ui.has("linked-face-check"))
    assert "10.000.000" in ui.text_of("linked-face-check") or "10,000,000" in ui.text_of("linked-face-check")
    tile = next(k for k in ui.keys() if k.startswith("pay-source-"))
    assert ui.find(tile).disabled
    assert not ui.find("method-vietqr").disabled  # the bank's own app can take the face scan
