""""Nhờ người thân trả" in a headless app session against the real server: the bill's owner makes a link
(link, QR image, share, copy, expiry, what the relative sees), follows and withdraws it; a relative opens
it in the app, pays by VietQR, and the owner sees who paid."""

from __future__ import annotations

import asyncio

import httpx

from domain.phone import normalize_phone

from server.seed import OTHER_PHONE
from tests.app.conftest import latest_code
from tests.app.test_payment_views import HOSPITAL_BILL, _payments_of, bank_transfer, open_bill, routes
from tests.app.test_views import reach_home

NBSP = "\u00a0"


def _client(transport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport.inner, base_url="http://testserver")


async def api_sign_in(server, transport, phone: str) -> dict:
    """Another person's phone, signed in through the API (the app under test is someone else's)."""
    async with _client(transport) as client:
        assert (await client.post("/auth/code", json={"phone": phone})).status_code == 200
        code = latest_code(server, normalize_phone(phone))
        r = await client.post("/auth/session", json={"phone": phone, "code": code})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


async def sign_in_as(ui, server, phone: str) -> None:
    """The app under test signed in with another number than the demo parent's."""
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", phone)
    await ui.click("send-code")
    await ui.wait_for(lambda: ui.has("code"))
    await ui.type("code", latest_code(server, normalize_phone(phone)))
    await ui.click("verify-code")
    await reach_home(ui)


async def lan_asks_for_the_hospital_bill(server, transport) -> tuple[dict, str, dict]:
    """The owner (Lan) makes a pay request for the hospital bill from her own phone, over the API:
    (her auth headers, the bill id, the request as created)."""
    lan = await api_sign_in(server, transport, "0912345678")
    async with _client(transport) as client:
        outstanding = (await client.get("/bills/outstanding", headers=lan)).json()
        bill_id = next(b["id"] for g in outstanding["groups"] for b in g["bills"] if b["invoice_code"] == HOSPITAL_BILL)
        made = (await client.post(f"/bills/{bill_id}/pay-requests", json={}, headers=lan)).json()
    return lan, bill_id, made


async def open_share(ui, server) -> str:
    bill_id = await open_bill(ui, server)
    await ui.click("ask-relative")
    await ui.wait_for(lambda: ui.has("share-create"))
    return bill_id


async def test_make_a_link_share_it_and_withdraw_it(ui, server, transport):
    bill_id = await open_share(ui, server)
    assert routes(ui)[-1] == f"/bills/{bill_id}/share"
    # Before anything is shared: exactly what the relative will see, and what they will not.
    assert ui.text_of("share-see-institution") == "Bệnh viện Đa khoa Hồng Phúc"
    assert ui.text_of("share-see-name") == "Hùng"
    assert ui.text_of("share-see-amount") == f"4.640.000{NBSP}₫"
    assert ui.text_of("share-see-invoice") == HOSPITAL_BILL
    assert "chẩn đoán" in ui.text_of("share-see-only")
    assert ui.has("share-requests-empty")

    await ui.click("share-create")
    await ui.wait_for(lambda: ui.has("share-link"))
    url = ui.text_of("share-link")
    assert url.startswith("http://testserver/r/")
    assert ui.find("share-qr").src[:8] == b"\x89PNG\r\n\x1a\n"
    assert ui.find("share-qr").semantics_label
    share = ui.find("share-send").action
    assert url in share.text and "Hùng" in share.text and "Nguyễn Văn Hùng" not in share.text
    assert ui.find("share-copy").action.data == url
    await ui.click("share-copy")
    assert ui.text_of("share-copied") == "Đã chép đường dẫn."
    assert ui.text_of("share-expires").startswith("Đường dẫn dùng được đến ")
    [request_key] = [k for k in ui.keys() if k.startswith("request-status-")]
    assert ui.text_of(request_key) == "Đang chờ thanh toán"

    # The public view shows only the five things.
    token = url.rsplit("/", 1)[1]
    async with _client(transport) as client:
        public = (await client.get(f"/pay-requests/{token}")).json()
    assert public["status"] == "open" and public["first_name"] == "Hùng"

    # Withdraw: asked once more, then the link stops working and the list says so.
    await ui.click("share-link-withdraw")
    assert ui.has("share-link-withdraw-question")
    await ui.click("share-link-withdraw-no")
    assert ui.has("share-link")
    await ui.click("share-link-withdraw")
    await ui.click("share-link-withdraw-yes")
    await ui.wait_for(lambda: not ui.has("share-link"))
    assert ui.text_of(request_key) == "Đã thu hồi"
    assert ui.has("share-create")  # another link can be made
    async with _client(transport) as client:
        assert (await client.get(f"/pay-requests/{token}")).json()["status"] == "withdrawn"


async def test_double_tap_makes_one_link(ui, server, transport):
    bill_id = await open_share(ui, server)
    button = ui.find("share-create")
    await asyncio.gather(ui.session.dispatch_event(button._i, "click", None),
                         ui.session.dispatch_event(button._i, "click", None))
    await ui.wait_for(lambda: ui.has("share-link"))
    async with _client(transport) as client:
        r = await client.get(f"/bills/{bill_id}/pay-requests",
                             headers={"Authorization": f"Bearer {await ui.tokens.read()}"})
    assert len(r.json()) == 1


async def test_a_relative_opens_the_link_pays_by_vietqr_and_the_owner_sees_who_paid(ui, server, transport):
    # The owner (Lan) makes the link from her phone; the app under test is the relative's (Bảo).
    lan, bill_id, made = await lan_asks_for_the_hospital_bill(server, transport)
    token = made["token"]

    await sign_in_as(ui, server, OTHER_PHONE)
    ui.page.navigate(f"/r/{token}")
    await ui.wait_for(lambda: ui.has("request-pay"))
    assert ui.text_of("request-institution") == "Bệnh viện Đa khoa Hồng Phúc"
    assert ui.text_of("request-name") == "Hùng"
    assert ui.text_of("request-amount") == f"4.640.000{NBSP}₫"
    assert ui.text_of("request-invoice") == HOSPITAL_BILL
    shown = " ".join(ui.texts())
    assert "Nguyễn Văn Hùng" not in shown and "Khoa Nội" not in shown and "Xét nghiệm" not in shown

    await ui.click("request-pay")
    await ui.wait_for(lambda: ui.has("payment-qr"), timeout=10)
    [payment] = _payments_of(server, bill_id)
    assert routes(ui)[-1] == f"/r/{token}/payments/{payment.id}"
    assert payment.method == "vietqr"
    await bank_transfer(server, transport, payment.id)
    await ui.wait_for(lambda: ui.has("receipt-reference"), timeout=10)

    # Back on the request: paid, nothing more to pay.
    await ui.back()
    await ui.wait_for(lambda: ui.has("request-status"))
    assert not ui.has("request-pay")
    assert "đã được thanh toán" in ui.text_of("request-status")

    # The owner's list says who paid.
    async with _client(transport) as client:
        [listed] = (await client.get(f"/bills/{bill_id}/pay-requests", headers=lan)).json()
    assert listed["status"] == "paid" and listed["paid_by_name"] == "Phạm Quốc Bảo"


async def test_the_owner_sees_paid_by_on_the_share_screen(ui, server, transport):
    bill_id = await open_share(ui, server)
    await ui.click("share-create")
    await ui.wait_for(lambda: ui.has("share-link"))
    token = ui.text_of("share-link").rsplit("/", 1)[1]
    bao = await api_sign_in(server, transport, OTHER_PHONE)
    async with _client(transport) as client:
        r = await client.post(f"/pay-requests/{token}/payments", json={"method": "vietqr"},
                              headers={**bao, "Idempotency-Key": "k-1"})
    assert r.status_code == 201, r.text
    await bank_transfer(server, transport, r.json()["id"])
    await ui.back()  # to the bill, then the share screen again: it reloads
    await ui.wait_for(lambda: ui.has("ask-relative") or ui.has("bill-status"))
    ui.page.navigate(f"/bills/{bill_id}/share")
    await ui.wait_for(lambda: any(k.startswith("request-paid-by-") for k in ui.keys()))
    [key] = [k for k in ui.keys() if k.startswith("request-paid-by-")]
    assert ui.text_of(key) == "Phạm Quốc Bảo đã trả"
    assert ui.has("share-not-payable") and not ui.has("share-create")  # nothing left to ask for


async def test_an_unknown_or_withdrawn_link_says_so_in_vietnamese(ui, server, transport):
    await sign_in_as(ui, server, OTHER_PHONE)
    ui.page.navigate("/r/" + "x" * 43)
    await ui.wait_for(lambda: ui.has("request-error"))
    assert "không tồn tại" in ui.text_of("request-error-text")
    assert not ui.has("request-error-retry")


async def test_paying_a_link_withdrawn_meanwhile_is_refused_plainly(ui, server, transport):
    lan, bill_id, made = await lan_asks_for_the_hospital_bill(server, transport)
    await sign_in_as(ui, server, OTHER_PHONE)
    ui.page.navigate(f"/r/{made['token']}")
    await ui.wait_for(lambda: ui.has("request-pay"))
    async with _client(transport) as client:
        assert (await client.delete(f"/bills/{bill_id}/pay-requests/{made['id']}", headers=lan)).status_code == 204
    await ui.click("request-pay")
    await ui.wait_for(lambda: ui.has("request-pay-error"))
    assert "rút lại" in ui.text_of("request-pay-error-text")
    assert not ui.has("request-pay") and ui.has("request-status")
    assert _payments_of(server, bill_id) == []


async def test_scanning_or_pasting_the_link_opens_the_request(ui, server, transport):
    _, _, made = await lan_asks_for_the_hospital_bill(server, transport)
    await sign_in_as(ui, server, OTHER_PHONE)
    await ui.click("home-scan")
    await ui.wait_for(lambda: ui.has("scan-text"))
    await ui.type("scan-text", made["url"])  # what the QR on the request holds
    await ui.click("scan-check-text")
    await ui.wait_for(lambda: ui.has("request-pay"))
    assert ui.page.route == f"/r/{made['token']}"
    assert ui.text_of("request-invoice") == HOSPITAL_BILL


async def test_the_relative_chooses_another_method_and_the_gateway_page_opens(ui, server, transport):
    from tests.app.test_payment_views import _payments_of
    _, bill_id, made = await lan_asks_for_the_hospital_bill(server, transport)
    await sign_in_as(ui, server, OTHER_PHONE)
    ui.page.navigate(f"/r/{made['token']}")
    await ui.wait_for(lambda: ui.has("request-method-momo"))
    from app.ui.core.i18n import catalog
    vi = catalog("vi")
    assert ui.find("request-pay").content == f"Trả bằng {vi['VietQR bank transfer']}"  # VietQR first
    ui.session.apply_patch(ui.find("request-method")._i, {"value": "atm_card"})
    await ui.fire("request-method", "change", "atm_card")
    await ui.wait_for(lambda: ui.find("request-pay").content
                      == f"Trả bằng {vi['Domestic ATM card / internet banking']}")
    await ui.click("request-pay")
    await ui.wait_for(lambda: ui.has("open-pay-page"))  # the gateway's page, as for the family's own payments
    [payment] = _payments_of(server, bill_id)
    assert payment.method == "atm_card"


async def test_a_link_opened_before_signing_in_is_shown_after_signing_in(ui, server, transport):
    _, _, made = await lan_asks_for_the_hospital_bill(server, transport)
    await ui.wait_for(lambda: ui.has("phone"))
    ui.page.navigate(f"/r/{made['token']}")  # the link tapped in a message opens the app here
    await ui.settle()
    assert ui.has("phone")  # signing in comes first
    await sign_in_as(ui, server, OTHER_PHONE)
    await ui.wait_for(lambda: ui.has("request-pay"))
    assert ui.text_of("request-invoice") == HOSPITAL_BILL
