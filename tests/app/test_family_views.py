"""Families in a headless app session against the real server: a person's members (role, masked phone),
inviting by phone as payer or viewer, withdrawing an invitation, removing a member; and, for the invitee,
the home screen's invitation card whose "Đồng ý" brings the person's bills."""

from __future__ import annotations

import asyncio

import httpx

from server.seed import OTHER_PHONE
from tests.app.test_pay_request_views import api_sign_in, sign_in_as
from tests.app.test_payment_views import HOSPITAL_BILL
from tests.app.test_views import sign_in


def _client(transport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport.inner, base_url="http://testserver")


async def hung_id(headers, transport) -> str:
    async with _client(transport) as client:
        groups = (await client.get("/bills/outstanding", headers=headers)).json()["groups"]
    return next(g["person"]["id"] for g in groups if g["person"]["full_name"] == "Nguyễn Văn Hùng")


async def lan_invites_bao(server, transport, role: str) -> tuple[dict, str, dict]:
    lan = await api_sign_in(server, transport, "0912345678")
    person = await hung_id(lan, transport)
    async with _client(transport) as client:
        r = await client.post("/family/invitations", headers=lan,
                              json={"person_id": person, "phone": "0987654321", "role": role, "relation": "Con rể"})
    assert r.status_code == 201, r.text
    return lan, person, r.json()


async def open_family(ui, person_id: str) -> None:
    await ui.wait_for(lambda: ui.has(f"person-family-{person_id}"))
    await ui.click(f"person-family-{person_id}")
    await ui.wait_for(lambda: any(k.startswith("member-name-") for k in ui.keys()))


async def test_members_then_invite_by_phone_with_a_role_and_withdraw(ui, server, transport):
    await sign_in(ui, server)
    person = await hung_id({"Authorization": f"Bearer {await ui.tokens.read()}"}, transport)
    await open_family(ui, person)
    assert ui.views()[-1].route == f"/family/{person}"
    assert ui.text_of("family-person") == "Nguyễn Văn Hùng"
    [name_key] = [k for k in ui.keys() if k.startswith("member-name-")]
    member = name_key.removeprefix("member-name-")
    assert ui.text_of(name_key) == "Nguyễn Thị Lan (bạn)"
    assert ui.text_of(f"member-role-{member}") == "Người trả tiền · Bố"
    assert "•" in ui.text_of(f"member-phone-{member}") and "345" not in ui.text_of(f"member-phone-{member}")
    assert ui.find("invite-role-payer").label.startswith("Người trả tiền: xem và trả")
    assert ui.find("invite-role-viewer").label.startswith("Chỉ xem:")

    # Checked here first: a number that is not a Vietnamese mobile, then no role chosen.
    await ui.type("invite-phone", "12345")
    await ui.click("invite-send")
    assert ui.find("invite-phone").error.startswith("Số điện thoại chưa đúng")
    await ui.type("invite-phone", "0987 654 321")
    await ui.click("invite-send")
    assert ui.text_of("invite-role-problem") == "Hãy chọn người thân được làm gì."
    ui.session.apply_patch(ui.find("invite-role")._i, {"value": "viewer"})
    await ui.fire("invite-role", "change", "viewer")
    await ui.type("invite-relation", "Con rể")
    await ui.click("invite-send")
    await ui.wait_for(lambda: ui.has("invite-sent"))
    assert ui.text_of("invite-sent").startswith("Đã gửi lời mời đến ")
    [inv_key] = [k for k in ui.keys() if k.startswith("invitation-phone-")]
    invitation = inv_key.removeprefix("invitation-phone-")
    assert ui.find("invite-phone").value == ""

    # The same number again: the server's refusal, in plain Vietnamese.
    await ui.type("invite-phone", "0987654321")
    ui.session.apply_patch(ui.find("invite-role")._i, {"value": "payer"})
    await ui.fire("invite-role", "change", "payer")
    await ui.click("invite-send")
    await ui.wait_for(lambda: ui.has("invite-error"))
    assert ui.text_of("invite-error-text") == "Số này đã được mời và chưa trả lời."

    # Withdraw, asked once more.
    await ui.click(f"invitation-withdraw-{invitation}")
    assert ui.has(f"invitation-withdraw-question-{invitation}")
    await ui.click(f"invitation-withdraw-yes-{invitation}")
    await ui.wait_for(lambda: not ui.has(f"invitation-{invitation}"))
    lan = {"Authorization": f"Bearer {await ui.tokens.read()}"}
    async with _client(transport) as client:
        assert (await client.get(f"/family/people/{person}/invitations", headers=lan)).json() == []


async def test_the_invitee_accepts_on_home_and_sees_the_bills(ui, server, transport):
    _lan, person, invitation = await lan_invites_bao(server, transport, "viewer")
    await sign_in_as(ui, server, OTHER_PHONE)
    inv = invitation["id"]
    await ui.wait_for(lambda: ui.has(f"received-invitation-{inv}"))
    assert ui.text_of(f"received-invitation-text-{inv}") == \
        "Nguyễn Thị Lan mời bạn vào gia đình của Nguyễn Văn Hùng"
    assert ui.text_of(f"received-invitation-role-{inv}").startswith("Chỉ xem:")
    assert not ui.has(f"bill-{HOSPITAL_BILL}")
    button = ui.find(f"invitation-accept-{inv}")
    await asyncio.gather(ui.session.dispatch_event(button._i, "click", None),
                         ui.session.dispatch_event(button._i, "click", None))  # a double tap answers once
    await ui.wait_for(lambda: ui.has(f"bill-{HOSPITAL_BILL}"))
    assert not ui.has(f"received-invitation-{inv}")
    assert ui.conn.crashes() == []

    # As a viewer: the family is shown, but no invitations, and the only removal is leaving.
    await open_family(ui, person)
    assert ui.has("family-viewer-note") and not ui.has("invite-send")
    me = next(k.removeprefix("member-name-") for k in ui.keys()
              if k.startswith("member-name-") and ui.text_of(k).endswith("(bạn)"))
    assert ui.find(f"member-remove-{me}").content == "Rời khỏi gia đình"
    assert sum(k.startswith("member-remove-") for k in ui.keys()) == 1

    # Leaving, asked once more, goes home, where the person's bills are gone.
    await ui.click(f"member-remove-{me}")
    assert "Rời khỏi gia đình này?" in ui.text_of(f"member-remove-question-{me}")
    await ui.click(f"member-remove-yes-{me}")
    await ui.wait_for(lambda: ui.views()[-1].route == "/" and ui.has("total-due"))
    await ui.wait_for(lambda: not ui.has(f"bill-{HOSPITAL_BILL}"))


async def test_declining_hides_the_card_and_brings_no_bills(ui, server, transport):
    _lan, _person, invitation = await lan_invites_bao(server, transport, "payer")
    await sign_in_as(ui, server, OTHER_PHONE)
    inv = invitation["id"]
    await ui.wait_for(lambda: ui.has(f"invitation-decline-{inv}"))
    await ui.click(f"invitation-decline-{inv}")
    await ui.wait_for(lambda: not ui.has(f"received-invitation-{inv}"))
    assert not ui.has(f"bill-{HOSPITAL_BILL}")


async def test_an_invitation_withdrawn_meanwhile_says_so(ui, server, transport):
    lan, _person, invitation = await lan_invites_bao(server, transport, "payer")
    await sign_in_as(ui, server, OTHER_PHONE)
    inv = invitation["id"]
    await ui.wait_for(lambda: ui.has(f"invitation-accept-{inv}"))
    async with _client(transport) as client:
        assert (await client.delete(f"/family/invitations/{inv}", headers=lan)).status_code == 204
    await ui.click(f"invitation-accept-{inv}")
    await ui.wait_for(lambda: ui.has("received-invitation-error"))
    assert ui.text_of("received-invitation-error-text") == "Người gửi đã thu hồi lời mời này."
    assert not ui.has(f"received-invitation-{inv}")


async def test_the_payer_who_invited_removes_the_member(ui, server, transport):
    _lan, person, invitation = await lan_invites_bao(server, transport, "payer")
    bao = await api_sign_in(server, transport, OTHER_PHONE)
    async with _client(transport) as client:
        assert (await client.post(f"/family/invitations/{invitation['id']}/accept", headers=bao)).status_code == 200
    await sign_in(ui, server)
    await open_family(ui, person)
    bao_key = next(k for k in ui.keys() if k.startswith("member-name-") and ui.text_of(k) == "Phạm Quốc Bảo")
    member = bao_key.removeprefix("member-name-")
    assert ui.text_of(f"member-role-{member}") == "Người trả tiền · Con rể"
    await ui.click(f"member-remove-{member}")
    assert "Phạm Quốc Bảo" in ui.text_of(f"member-remove-question-{member}")
    await ui.click(f"member-remove-no-{member}")
    assert not ui.has(f"member-remove-question-{member}")
    await ui.click(f"member-remove-{member}")
    await ui.click(f"member-remove-yes-{member}")
    await ui.wait_for(lambda: not ui.has(f"member-{member}"))
    async with _client(transport) as client:
        groups = (await client.get("/bills/outstanding", headers=bao)).json()["groups"]
    assert all(g["person"]["id"] != person for g in groups)


async def test_a_payer_makes_and_removes_a_students_own_login(ui, server, transport):
    from sqlalchemy import select

    from server.students.models import StudentAccount
    await sign_in(ui, server)
    auth = {"Authorization": f"Bearer {await ui.tokens.read()}"}
    async with _client(transport) as client:
        groups = (await client.get("/bills/outstanding", headers=auth)).json()["groups"]
    an = next(g["person"]["id"] for g in groups if g["person"]["full_name"] == "Trần Minh An")
    hung = next(g["person"]["id"] for g in groups if g["person"]["full_name"] == "Nguyễn Văn Hùng")
    await open_family(ui, an)
    await ui.wait_for(lambda: ui.has("student-account-create"))
    await ui.type("student-account-new-phone", "0123")
    await ui.click("student-account-create")
    await ui.wait_for(lambda: ui.find("student-account-new-phone").error == "Đây không phải số di động Việt Nam.")
    await ui.type("student-account-new-phone", "0377 222 333")
    await ui.click("student-account-create")
    await ui.wait_for(lambda: ui.has("student-account-phone"))
    assert ui.text_of("student-account-phone").endswith("333")
    with server.state.session_factory() as db:
        assert db.scalars(select(StudentAccount.phone)).all() == ["+84377222333"]
    await ui.click("student-account-remove")
    await ui.click("student-account-remove-yes")
    await ui.wait_for(lambda: ui.has("student-account-create"))
    with server.state.session_factory() as db:
        assert db.scalars(select(StudentAccount)).all() == []
    await ui.back()
    await open_family(ui, hung)  # a patient has no login of their own
    assert not ui.has("student-account")
