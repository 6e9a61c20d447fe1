"""Reporting a suspicious QR: what is stored, who is told (never who reported it), and every refusal."""

from __future__ import annotations

import base64
import io
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from sqlalchemy import func, select

from domain import vietqr
from server.fraud.images import MAX_IMAGE_BYTES
from server.fraud.models import FraudReport
from server.institutions.models import Institution
from server.notifications.models import OutboundMessage
from server.seed import DEMO_PHONE, OTHER_PHONE
from tests.server.conftest import sign_in

SCAM_QR = vietqr.build("970423", "0566778899", 4_640_000, purpose="VP-BN00458-2611")
REPORTER_TRACES = ("+84912345678", "0912345678", "912345678", "Nguyễn Thị Lan", "NGUYEN THI LAN")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(out, format="JPEG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def report(client, auth, key: str | None = None, **body):
    body.setdefault("seen_at", "chat")
    headers = {**auth, **({"Idempotency-Key": key} if key else {})}
    return client.post("/fraud-reports", json=body, headers=headers)


def hospital_id(app) -> str:
    with app.state.session_factory() as db:
        return db.scalars(select(Institution.id).where(Institution.short_name == "BVĐK Hồng Phúc")).one()


def rows(app, model) -> list:
    with app.state.session_factory() as db:
        return list(db.scalars(select(model)))


def counts(app) -> tuple[int, int]:
    """(fraud reports, outbound messages) in the database."""
    with app.state.session_factory() as db:
        return (db.scalar(select(func.count()).select_from(FraudReport)),
                db.scalar(select(func.count()).select_from(OutboundMessage)))


def test_payload_report_is_stored_and_the_institution_told_without_the_reporter(app, client, auth):
    hospital = hospital_id(app)
    note = "Tôi là Nguyễn Thị Lan, 0912345678; người gửi tự xưng là kế toán bệnh viện"
    r = report(client, auth, payload=SCAM_QR, seen_at="chat", note=note, institution_id=hospital)
    assert r.status_code == 201, r.text
    assert r.json() == {"id": r.json()["id"], "status": "received", "institution_id": hospital}
    [saved] = rows(app, FraudReport)
    assert (saved.id, saved.payload, saved.bank_bin, saved.account_number) == (
        r.json()["id"], SCAM_QR, "970423", "0566778899")
    assert (saved.seen_at, saved.note, saved.status, saved.image) == ("chat", note, "received", None)
    [message] = rows(app, OutboundMessage)
    assert (message.recipient_kind, message.recipient_ref, message.kind, message.status) == (
        "institution_support", hospital, "fraud_report", "queued")
    assert (message.address_phone, message.address_email) == ("02223856790", "taichinh@bvhongphuc.vn")
    assert (message.ref_type, message.ref_id) == ("fraud_report", saved.id)
    assert "mã QR đáng ngờ" in message.subject and "Hồng Phúc" in message.subject
    assert "0566778899" in message.body and "TPBank" in message.body and "Nơi thấy mã: tin nhắn" in message.body
    everything = " ".join(str(getattr(message, c.key)) for c in OutboundMessage.__table__.columns)
    for trace in REPORTER_TRACES:
        assert trace not in everything


@pytest.mark.parametrize("make,mime", [(png_bytes, "image/png"), (jpeg_bytes, "image/jpeg")])
def test_image_only_report(app, client, auth, make, mime):
    image = make()
    r = report(client, auth, image_base64=b64(image), seen_at="institution_premises")
    assert r.status_code == 201, r.text
    assert r.json()["institution_id"] is None
    [saved] = rows(app, FraudReport)
    assert (saved.image, saved.image_type, saved.payload, saved.bank_bin) == (image, mime, None, None)
    assert rows(app, OutboundMessage) == []  # no institution named: nobody to tell yet


def test_unreadable_payload_is_kept_and_the_message_says_no_account(app, client, auth):
    r = report(client, auth, payload="00020101021238 broken", institution_id=hospital_id(app), seen_at="sms")
    assert r.status_code == 201, r.text
    [saved] = rows(app, FraudReport)
    assert (saved.payload, saved.bank_bin, saved.account_number) == ("00020101021238 broken", None, None)
    [message] = rows(app, OutboundMessage)
    assert "Không đọc được tài khoản" in message.body


def test_image_wrapped_in_lines_is_accepted(app, client, auth):
    text = b64(png_bytes())
    wrapped = "\n".join(text[i:i + 76] for i in range(0, len(text), 76))
    assert report(client, auth, image_base64=wrapped).status_code == 201


@pytest.mark.parametrize("body,status,code", [
    ({}, 422, "report_empty"),
    ({"payload": "   ", "image_base64": ""}, 422, "report_empty"),
    ({"image_base64": "not base64 at all!"}, 422, "report_image_invalid"),
    ({"image_base64": "iVBORw0KGgo"}, 422, "report_image_invalid"),  # missing padding
    ({"image_base64": "ảnh"}, 422, "report_image_invalid"),
    ({"image_base64": base64.b64encode(b"GIF89a" + bytes(40)).decode()}, 422, "report_image_type"),
    ({"image_base64": base64.b64encode(b"%PDF-1.7 not an image").decode()}, 422, "report_image_type"),
    ({"image_base64": base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(MAX_IMAGE_BYTES - 7)).decode()},
     413, "report_image_too_large"),
    ({"payload": SCAM_QR, "institution_id": "no-such-institution"}, 422, "unknown_institution"),
    ({"payload": SCAM_QR, "seen_at": "street"}, 422, "validation_error"),
    ({"payload": "x" * 1025}, 422, "validation_error"),
    ({"payload": SCAM_QR, "note": "x" * 501}, 422, "validation_error"),
])
def test_bad_reports_get_specific_errors_and_write_nothing(app, client, auth, body, status, code):
    r = report(client, auth, **body)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert counts(app) == (0, 0)


def test_largest_image_is_accepted_and_a_larger_body_refused_before_reading(app, client, auth):
    image = b"\x89PNG\r\n\x1a\n" + bytes(MAX_IMAGE_BYTES - 8)
    assert report(client, auth, image_base64=b64(image)).status_code == 201
    huge = report(client, auth, image_base64="A" * (5 * 1024 * 1024))
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "body_too_large"
    assert counts(app) == (1, 0)
    # Other endpoints keep the small limit.
    big = client.post("/family/students", json={"note": "x" * (100 * 1024)}, headers=auth)
    assert big.status_code == 413


def test_signed_in_users_only(app, client, demo):
    r = client.post("/fraud-reports", json={"payload": SCAM_QR, "seen_at": "chat"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert counts(app) == (0, 0)


def test_same_key_returns_the_same_report_once(app, client, auth, settings):
    hospital = hospital_id(app)
    first = report(client, auth, key="r-1", payload=SCAM_QR, institution_id=hospital)
    again = report(client, auth, key="r-1", payload=SCAM_QR, institution_id=hospital)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert counts(app) == (1, 1)  # one report, one message to the hospital
    reused = report(client, auth, key="r-1", payload=SCAM_QR, institution_id=hospital, note="khác")
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
    other = sign_in(client, settings, OTHER_PHONE)  # keys belong to one user
    theirs = report(client, other, key="r-1", payload=SCAM_QR, institution_id=hospital)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    without_key = [report(client, auth, payload=SCAM_QR).status_code for _ in range(2)]
    assert without_key == [201, 201]  # the key is optional; without one every post is a new report
    assert counts(app) == (4, 2)
    bad_key = report(client, auth, key="x" * 65, payload=SCAM_QR)
    assert bad_key.status_code == 400 and bad_key.json()["error"]["code"] == "idempotency_key_invalid"
    assert counts(app) == (4, 2)


def test_the_notification_port_is_replaceable(app, client, auth):
    class Recording:
        def __init__(self):
            self.sent = []

        def queue(self, db, recipient, message, now):
            self.sent.append((recipient, message))

    port = app.state.notifications = Recording()
    hospital = hospital_id(app)
    r = report(client, auth, key=str(uuid.uuid4()), payload=SCAM_QR, institution_id=hospital)
    assert r.status_code == 201
    [(recipient, message)] = port.sent
    assert (recipient.kind, recipient.ref, recipient.phone) == ("institution_support", hospital, "02223856790")
    assert message.kind == "fraud_report" and message.ref_id == r.json()["id"]
    assert DEMO_PHONE not in message.body
    assert rows(app, OutboundMessage) == []


def test_a_double_tap_with_one_key_files_one_report(app, client, auth):
    hospital, key = hospital_id(app), str(uuid.uuid4())
    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(lambda _: report(client, auth, key=key, payload=SCAM_QR, institution_id=hospital),
                                range(5)))
    assert sorted(r.status_code for r in results) == [200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in results}) == 1
    assert counts(app) == (1, 1)
