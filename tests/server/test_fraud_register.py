"""Issue 7, the shared register: "Report a scam" (phone, account, message, screenshot), the user's own
reports, confirmation by an administrator or by the institution concerned, and what confirmation
publishes — the account and phone in /registry, where every app checks them. Never who reported.
"""

from __future__ import annotations

import base64
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from domain import vietqr
from domain.payee import Registry, Verdict, check_payee
from server.__main__ import main as cli
from server.auth.models import User
from server.fraud.models import FlaggedAccount, FlaggedPhone, FraudReport
from server.institutions.models import Institution
from server.notifications.models import Notification, OutboundMessage
from server.providers import bankfeed
from server.seed import DEMO_PHONE, OTHER_PHONE
from tests.server.conftest import sign_in

ADMIN_TOKEN = "test-admin-token-7f3a9c"
SCAM_PHONE = "0888 123 456"  # as a person types it
SCAM_PHONE_E164 = "+84888123456"
SCAM_BIN, SCAM_ACCOUNT = "970432", "1903 4455.6677"  # VPBank; spaces and dots as people copy them
SCAM_DIGITS = "190344556677"
MESSAGE = "Cô Mai đây, phụ huynh chuyển học phí vào tài khoản cá nhân của cô trước 17h nhé."
REPORTER_TRACES = ("+84912345678", "0912345678", "912345678", "Nguyễn Thị Lan", "NGUYEN THI LAN")


@pytest.fixture
def settings(settings):
    settings.admin_token = ADMIN_TOKEN
    return settings


ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def report(client, auth, key: str | None = None, **body):
    body.setdefault("seen_at", "phone_call")
    return client.post("/fraud-reports", json=body, headers={**auth, **({"Idempotency-Key": key} if key else {})})


def full_report(client, auth, app, **extra):
    body = dict(phone=SCAM_PHONE, bank_bin=SCAM_BIN, account_number=SCAM_ACCOUNT, message_text=MESSAGE,
                image_base64=base64.b64encode(png()).decode(), institution_id=inst(app, "TH Hoa Sen"),
                note="Gọi lúc 9 giờ sáng", **extra)
    r = report(client, auth, **body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def inst(app, short_name: str) -> str:
    with app.state.session_factory() as db:
        return db.scalars(select(Institution.id).where(Institution.short_name == short_name)).one()


def secret_of(app, institution_id: str) -> str:
    with app.state.session_factory() as db:
        return db.get(Institution, institution_id).feed_secret


def user_id(app, phone: str = DEMO_PHONE) -> str:
    with app.state.session_factory() as db:
        return db.scalars(select(User.id).where(User.phone == phone)).one()


def count(app, model) -> int:
    with app.state.session_factory() as db:
        return db.scalar(select(func.count()).select_from(model))


def the_report(app, report_id: str) -> FraudReport:
    with app.state.session_factory() as db:
        return db.get(FraudReport, report_id)


def signed(client, app, method: str, institution_id: str, path: str, body: bytes = b"", secret: str | None = None):
    signature = bankfeed.sign(secret or secret_of(app, institution_id), body)
    return client.request(method, f"/institution-api/{institution_id}{path}", content=body,
                          headers={bankfeed.SIGNATURE_HEADER: signature, "content-type": "application/json"})


def assert_no_reporter(app, text: str) -> None:
    for trace in (*REPORTER_TRACES, user_id(app)):
        assert trace not in text


def report_updates(app, phone: str = DEMO_PHONE) -> list[Notification]:
    with app.state.session_factory() as db:
        return list(db.scalars(select(Notification).where(Notification.user_id == user_id(app, phone),
                                                          Notification.kind == "report_update")
                               .order_by(Notification.created_at)))


# -- filing ------------------------------------------------------------------------------------------

def test_a_report_with_phone_account_message_and_screenshot(app, client, auth):
    school = inst(app, "TH Hoa Sen")
    report_id = full_report(client, auth, app)
    saved = the_report(app, report_id)
    assert (saved.phone, saved.bank_bin, saved.account_number) == (SCAM_PHONE_E164, SCAM_BIN, SCAM_DIGITS)
    assert (saved.message_text, saved.image, saved.image_type, saved.seen_at) == (MESSAGE, png(), "image/png",
                                                                                  "phone_call")
    assert (saved.status, saved.reviewed_at, saved.reviewed_by, saved.payload) == ("received", None, None, None)
    with app.state.session_factory() as db:
        [message] = db.scalars(select(OutboundMessage)).all()
    assert (message.recipient_ref, message.kind) == (school, "fraud_report")
    assert SCAM_DIGITS in message.body and "VPBank" in message.body and "0888 123 456" in message.body
    assert "Báo cáo lừa đảo mang danh TH Hoa Sen" == message.subject
    everything = message.subject + message.body
    assert_no_reporter(app, everything)
    assert MESSAGE not in everything and "Gọi lúc" not in everything  # free text may name the reporter


@pytest.mark.parametrize("body", [
    {"phone": "+84 888 123 456"},
    {"bank_bin": SCAM_BIN, "account_number": SCAM_ACCOUNT},
    {"message_text": MESSAGE},
    {"image_base64": base64.b64encode(png()).decode(), "seen_at": "chat"},
])
def test_any_one_trace_is_a_report_without_any_payment(app, client, auth, body):
    r = report(client, auth, **body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "received" and count(app, FraudReport) == 1


@pytest.mark.parametrize("body,code", [
    ({"phone": "12345"}, "report_phone_invalid"),
    ({"phone": "0241 234 5678"}, "report_phone_invalid"),  # a landline is not a mobile number
    ({"phone": "0912 345 678"}, "report_phone_own"),  # the reporter's own number
    ({"bank_bin": "999999", "account_number": "123456789"}, "report_bank_unknown"),
    ({"bank_bin": SCAM_BIN, "account_number": "12345"}, "report_account_invalid"),
    ({"bank_bin": SCAM_BIN, "account_number": "1" * 20}, "report_account_invalid"),
    ({"bank_bin": SCAM_BIN, "account_number": "12AB5678"}, "report_account_invalid"),
    ({"bank_bin": SCAM_BIN, "account_number": "١٢٣٤٥٦٧٨"}, "report_account_invalid"),  # digits, but not ASCII
    ({"bank_bin": SCAM_BIN}, "report_account_incomplete"),
    ({"account_number": SCAM_ACCOUNT, "bank_bin": " "}, "report_account_incomplete"),
    ({"phone": " ", "message_text": "   ", "bank_bin": "", "account_number": "", "payload": ""}, "report_empty"),
    ({"message_text": "x" * 2001}, "validation_error"),
    ({"phone": SCAM_PHONE, "seen_at": "street"}, "validation_error"),
    ({"phone": SCAM_PHONE, "institution_id": "no-such-institution"}, "unknown_institution"),
])
def test_each_bad_input_has_its_code_and_writes_nothing(app, client, auth, body, code):
    r = report(client, auth, **body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == code
    assert (count(app, FraudReport), count(app, OutboundMessage)) == (0, 0)


def test_the_longest_message_is_accepted(client, auth):
    assert report(client, auth, message_text="ạ" * 2000).status_code == 201


def test_idempotency_key_covers_the_new_fields(app, client, auth):
    first = report(client, auth, key="k-7", phone=SCAM_PHONE, message_text=MESSAGE)
    again = report(client, auth, key="k-7", phone="+84888123456", message_text=MESSAGE)  # same number, other form
    assert (first.status_code, again.status_code) == (201, 200) and again.json() == first.json()
    other = report(client, auth, key="k-7", phone="0888 123 457", message_text=MESSAGE)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert count(app, FraudReport) == 1


def test_my_reports_newest_first_masked_and_only_mine(app, client, auth, settings, clock):
    older = report(client, auth, phone=SCAM_PHONE).json()["id"]
    clock.advance(minutes=5)
    newer = report(client, auth, bank_bin=SCAM_BIN, account_number=SCAM_ACCOUNT,
                   institution_id=inst(app, "BVĐK Hồng Phúc")).json()["id"]
    r = client.get("/fraud-reports/mine", headers=auth)
    assert r.status_code == 200
    assert r.json() == [
        {"id": newer, "status": "received", "created_at": "2026-11-22T03:05:00Z", "phone": None,
         "bank_bin": SCAM_BIN, "account_masked": "••••••••6677", "institution_id": inst(app, "BVĐK Hồng Phúc")},
        {"id": older, "status": "received", "created_at": "2026-11-22T03:00:00Z", "phone": SCAM_PHONE_E164,
         "bank_bin": None, "account_masked": None, "institution_id": None},
    ]
    assert client.get("/fraud-reports/mine", headers=sign_in(client, settings, OTHER_PHONE)).json() == []
    assert client.get("/fraud-reports/mine").status_code == 401
    client.post(f"/admin/fraud-reports/{older}/confirm", headers=ADMIN)
    assert [x["status"] for x in client.get("/fraud-reports/mine", headers=auth).json()] == ["received", "confirmed"]


# -- the administrators' API ---------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [("GET", "/admin/fraud-reports"),
                                         ("POST", "/admin/fraud-reports/x/confirm"),
                                         ("POST", "/admin/fraud-reports/x/reject"),
                                         ("GET", "/admin/fraud-reports/x/image")])
def test_admin_api_needs_the_token_and_is_absent_without_one(app, client, auth, method, path):
    report_id = report(client, auth, phone=SCAM_PHONE).json()["id"]
    path = path.replace("/x/", f"/{report_id}/")
    missing = client.request(method, path)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    for headers in ({"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {ADMIN_TOKEN}x"},
                    {"Authorization": f"Basic {ADMIN_TOKEN}"}, auth):  # a user's session is no admin token
        r = client.request(method, path, headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] in ("admin_token_invalid", "unauthorized"), r.text
    app.state.settings.admin_token = None  # not configured: the API does not exist
    off = client.request(method, path, headers=ADMIN)
    assert off.status_code == 404 and off.json()["error"]["code"] == "not_found"
    assert the_report(app, report_id).status == "received" and count(app, FlaggedPhone) == 1  # the seeded one


def test_admin_queue_shows_the_evidence_but_never_the_reporter(app, client, auth, settings):
    report_id = full_report(client, auth, app)
    other = report(client, sign_in(client, settings, OTHER_PHONE), message_text="Tin nhắn lạ").json()["id"]
    r = client.get("/admin/fraud-reports", headers=ADMIN)
    assert r.status_code == 200
    items = {i["id"]: i for i in r.json()}
    assert set(items) == {report_id, other}
    mine = items[report_id]
    assert mine == {"id": report_id, "status": "received", "created_at": "2026-11-22T03:00:00Z", "reviewed_at": None,
                    "reviewed_by": None, "seen_at": "phone_call", "phone": SCAM_PHONE_E164, "bank_bin": SCAM_BIN,
                    "bank_name": "VPBank", "account_number": SCAM_DIGITS, "payload": None,
                    "institution_id": inst(app, "TH Hoa Sen"), "message_text": MESSAGE, "note": "Gọi lúc 9 giờ sáng",
                    "has_image": True, "image_type": "image/png"}
    assert_no_reporter(app, r.text)
    assert user_id(app, OTHER_PHONE) not in r.text and "+84987654321" not in r.text
    image = client.get(f"/admin/fraud-reports/{report_id}/image", headers=ADMIN)
    assert image.status_code == 200 and image.content == png() and image.headers["content-type"] == "image/png"
    none = client.get(f"/admin/fraud-reports/{other}/image", headers=ADMIN)
    assert none.status_code == 404 and none.json()["error"]["code"] == "report_image_missing"
    bad = client.get("/admin/fraud-reports?status=maybe", headers=ADMIN)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "report_status_invalid"
    assert client.get("/admin/fraud-reports?status=confirmed", headers=ADMIN).json() == []
    assert len(client.get("/admin/fraud-reports?status=all", headers=ADMIN).json()) == 2


def test_admin_confirmation_publishes_account_and_phone_and_tells_the_reporter(app, client, auth, clock):
    school = inst(app, "TH Hoa Sen")
    report_id = full_report(client, auth, app)
    before = client.get("/registry").json()
    scam_qr = vietqr.parse(vietqr.build(SCAM_BIN, SCAM_DIGITS, 1_500_000, purpose="HOC PHI"))
    assert check_payee(scam_qr, Registry.from_json(before)).verdict is Verdict.UNKNOWN
    clock.advance(hours=1)
    r = client.post(f"/admin/fraud-reports/{report_id}/confirm", headers=ADMIN)
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["reviewed_by"], r.json()["reviewed_at"]) == (
        "confirmed", "admin", "2026-11-22T04:00:00Z")
    after = client.get("/registry").json()
    assert after["version"] != before["version"]
    assert {"bank_bin": SCAM_BIN, "account_number": SCAM_DIGITS, "reason": "confirmed_report",
            "institution_id": school} in after["flagged"]
    assert {"phone": SCAM_PHONE_E164, "reason": "confirmed_report", "institution_id": school} in after["flagged_phones"]
    registry = Registry.from_json(after)
    check = check_payee(scam_qr, registry)  # scanning or paying it now ends on the red stop screen
    assert (check.verdict, check.reason, check.institution.id) == (Verdict.MISMATCH, "flagged_account", school)
    assert registry.phone_flag_of("0888 123 456").institution_id == school
    assert registry.phone_flag_of("0888 123 457") is None
    [note] = report_updates(app)
    assert note.title == "Báo cáo lừa đảo của bạn đã được xác nhận"
    assert "22/11/2026" in note.body and "VPBank 190344556677" in note.body and "0888 123 456" in note.body
    # Again: nothing changes, nobody is told twice; the opposite decision is refused.
    clock.advance(hours=1)
    again = client.post(f"/admin/fraud-reports/{report_id}/confirm", headers=ADMIN)
    assert again.status_code == 200 and again.json()["reviewed_at"] == "2026-11-22T04:00:00Z"
    flip = client.post(f"/admin/fraud-reports/{report_id}/reject", headers=ADMIN)
    assert flip.status_code == 409 and flip.json()["error"]["code"] == "report_already_confirmed"
    assert client.get("/registry").json()["version"] == after["version"] and len(report_updates(app)) == 1
    assert client.get("/admin/fraud-reports", headers=ADMIN).json() == []  # the queue is empty


def test_rejection_flags_nothing_and_tells_the_reporter_in_their_language(app, client, auth):
    report_id = full_report(client, auth, app)
    with app.state.session_factory.begin() as db:
        db.execute(update(User).where(User.phone == DEMO_PHONE).values(locale="en"))
    version = client.get("/registry").json()["version"]
    r = client.post(f"/admin/fraud-reports/{report_id}/reject", headers=ADMIN)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert client.get("/registry").json()["version"] == version
    assert (count(app, FlaggedAccount), count(app, FlaggedPhone)) == (1, 1)  # the seeded ones only
    assert client.post(f"/admin/fraud-reports/{report_id}/reject", headers=ADMIN).status_code == 200
    flip = client.post(f"/admin/fraud-reports/{report_id}/confirm", headers=ADMIN)
    assert flip.status_code == 409 and flip.json()["error"]["code"] == "report_already_rejected"
    assert client.get("/registry").json()["version"] == version
    [note] = report_updates(app)
    assert note.title == "Your scam report was reviewed" and "could not confirm a scam" in note.body


def test_decisions_on_unknown_reports_and_registered_accounts_are_refused(app, client, auth):
    missing = client.post("/admin/fraud-reports/00000000-0000-0000-0000-000000000000/confirm", headers=ADMIN)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "report_not_found"
    # Someone reports the hospital's real account: confirming it would stop every genuine payment.
    report_id = report(client, auth, bank_bin="970415", account_number="113000123456").json()["id"]
    version = client.get("/registry").json()["version"]
    r = client.post(f"/admin/fraud-reports/{report_id}/confirm", headers=ADMIN)
    assert r.status_code == 409 and r.json()["error"]["code"] == "report_account_registered"
    assert the_report(app, report_id).status == "received" and client.get("/registry").json()["version"] == version
    assert report_updates(app) == []


def test_two_reports_of_the_same_scammer_flag_it_once(app, client, auth, settings):
    first = full_report(client, auth, app)
    second = report(client, sign_in(client, settings, OTHER_PHONE), phone="+84888123456", bank_bin=SCAM_BIN,
                    account_number=SCAM_DIGITS).json()["id"]
    for report_id in (first, second):
        assert client.post(f"/admin/fraud-reports/{report_id}/confirm", headers=ADMIN).status_code == 200
    assert (count(app, FlaggedAccount), count(app, FlaggedPhone)) == (2, 2)  # seeded + this one, once each
    assert len(report_updates(app)) == 1 and len(report_updates(app, OTHER_PHONE)) == 1


def test_a_double_tap_on_confirm_decides_once(app, client, auth):
    report_id = full_report(client, auth, app)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: client.post(f"/admin/fraud-reports/{report_id}/confirm", headers=ADMIN),
                                range(4)))
    assert [r.status_code for r in results] == [200] * 4
    assert (count(app, FlaggedAccount), count(app, FlaggedPhone)) == (2, 2)
    assert len(report_updates(app)) == 1


# -- the institutions' signed API -----------------------------------------------------------------------

def test_an_institution_sees_and_decides_only_its_own_reports_never_the_reporter(app, client, auth):
    school, hospital = inst(app, "TH Hoa Sen"), inst(app, "BVĐK Hồng Phúc")
    ours = full_report(client, auth, app)
    theirs = report(client, auth, phone="0888 999 000", institution_id=hospital).json()["id"]
    report(client, auth, phone="0888 999 001")  # names no institution: nobody's but the administrators'

    listing = signed(client, app, "GET", school, "/fraud-reports")
    assert listing.status_code == 200, listing.text
    assert [i["id"] for i in listing.json()] == [ours]
    assert set(listing.json()[0]) == {"id", "status", "created_at", "reviewed_at", "seen_at", "phone", "bank_bin",
                                      "bank_name", "account_number", "payload"}
    assert listing.json()[0]["account_number"] == SCAM_DIGITS and listing.json()[0]["phone"] == SCAM_PHONE_E164
    assert_no_reporter(app, listing.text)
    assert MESSAGE not in listing.text and "Gọi lúc" not in listing.text

    # Another institution's report looks absent, listed or decided.
    for action in ("confirm", "reject"):
        r = signed(client, app, "POST", school, f"/fraud-reports/{theirs}/{action}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "report_not_found"
    assert the_report(app, theirs).status == "received"
    # Signed with the other institution's key, or not at all.
    forged = signed(client, app, "GET", school, "/fraud-reports", secret=secret_of(app, hospital))
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "bad_signature"
    unsigned = client.get(f"/institution-api/{school}/fraud-reports")
    assert unsigned.status_code == 401 and unsigned.json()["error"]["code"] == "bad_signature"
    forged = signed(client, app, "POST", school, f"/fraud-reports/{ours}/confirm", secret="guess")
    assert forged.status_code == 401 and the_report(app, ours).status == "received"
    nobody = signed(client, app, "GET", "no-such-institution", "/fraud-reports", secret="x")
    assert nobody.status_code == 404 and nobody.json()["error"]["code"] == "institution_not_found"
    odd = signed(client, app, "POST", school, f"/fraud-reports/{ours}/confirm", body=b'{"flag": "all"}')
    assert odd.status_code == 422 and odd.json()["error"]["code"] == "validation_error"

    confirmed = signed(client, app, "POST", school, f"/fraud-reports/{ours}/confirm", body=b"{}")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert_no_reporter(app, confirmed.text)
    assert the_report(app, ours).reviewed_by == school
    registry = Registry.from_json(client.get("/registry").json())
    assert registry.flag_of(SCAM_BIN, SCAM_DIGITS).institution_id == school
    assert registry.phone_flag_of(SCAM_PHONE).reason == "confirmed_report"
    assert signed(client, app, "POST", school, f"/fraud-reports/{ours}/confirm").status_code == 200  # no-op
    assert signed(client, app, "GET", school, "/fraud-reports").json() == []  # nothing left to decide
    done = signed(client, app, "GET", school, "/fraud-reports?status=confirmed").json()
    assert [i["id"] for i in done] == [ours] and done[0]["reviewed_at"] == "2026-11-22T03:00:00Z"

    rejected = signed(client, app, "POST", hospital, f"/fraud-reports/{theirs}/reject")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert Registry.from_json(client.get("/registry").json()).phone_flag_of("0888 999 000") is None
    assert sorted(n.title for n in report_updates(app)) == ["Báo cáo lừa đảo của bạn đã được xem xét",
                                                             "Báo cáo lừa đảo của bạn đã được xác nhận"]


# -- the command line ---------------------------------------------------------------------------------

def test_staff_decide_from_the_command_line(app, client, auth, settings, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    keep = full_report(client, auth, app)
    drop = report(client, auth, message_text="Tin nhắn trúng thưởng").json()["id"]
    assert cli(["fraud-reports"]) == 0
    out = capsys.readouterr().out
    assert keep in out and drop in out and "2 report(s) waiting" in out and SCAM_PHONE_E164 in out
    assert_no_reporter(app, out)
    assert cli(["fraud-confirm", keep]) == 0 and cli(["fraud-reject", drop]) == 0
    assert capsys.readouterr().out.splitlines() == [f"report {keep}: confirmed", f"report {drop}: rejected"]
    assert (the_report(app, keep).reviewed_by, the_report(app, drop).status) == ("admin", "rejected")
    assert Registry.from_json(client.get("/registry").json()).phone_flag_of(SCAM_PHONE) is not None
    assert cli(["fraud-confirm", drop]) == 1
    assert "report_already_rejected" in capsys.readouterr().err
    assert cli(["fraud-reject", "nope"]) == 1 and "report_not_found" in capsys.readouterr().err
    assert cli(["fraud-reports"]) == 0 and "0 report(s) waiting" in capsys.readouterr().out


def test_registry_json_round_trip_of_phones(client, demo):
    data = client.get("/registry").json()
    assert json.loads(json.dumps(data)) == data
    registry = Registry.from_json(data)
    assert registry.phone_flag_of("0888 000 111") is not None  # the seeded impersonator of a teacher
