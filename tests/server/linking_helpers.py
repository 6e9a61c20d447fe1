"""What the linked-account tests share: start a link, answer the sandbox consent page, confirm with a PIN,
make bills and earlier payments in the test database, and sign callbacks by hand."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from server.auth.models import User
from server.bills.models import Bill
from server.db import session_scope
from server.payments.models import Payment
from server.people.models import FamilyMember, Person
from server.providers import linking
from server.seed import DEMO_PHONE

PIN = "482915"
VCB = "970436"
BANK_NUMBER = "0011 2233 6789"
NO_FUNDS_NUMBER = "0011 2233 0002"
WALLET_PHONE = "0903 123 456"


def err(r) -> str:
    return r.json()["error"]["code"]


def start_link(client, auth, kind="bank", provider=VCB, number=BANK_NUMBER, key: str | None = None):
    headers = {**auth, **({"Idempotency-Key": key} if key else {})}
    return client.post("/accounts/links", json={"kind": kind, "provider": provider, "account_number": number},
                       headers=headers)


def provider_link_id(link: dict) -> str:
    return link["approve_url"].rsplit("/", 1)[1]


def decide(client, link: dict, decision="approved", otp="123456", holder: str | None = None):
    body = {"link_id": provider_link_id(link), "decision": decision, "otp": otp}
    if holder is not None:
        body["holder_name"] = holder
    return client.post("/sandbox/link/decide", json=body)


def link_account(client, auth, kind="bank", provider=VCB, number=BANK_NUMBER, holder: str | None = None) -> dict:
    """Start, approve on the consent page, read back the source."""
    r = start_link(client, auth, kind, provider, number)
    assert r.status_code == 201, r.text
    link = r.json()
    r = decide(client, link, holder=holder)
    assert r.status_code == 200, r.text
    r = client.get(f"/accounts/links/{link['id']}", headers=auth)
    assert r.json()["state"] == "approved", r.text
    return r.json()["source"]


def confirmation(client, auth) -> str:
    """The owner's step-up confirmation, through the PIN endpoints (the PIN is set on first use)."""
    if not client.get("/auth/me", headers=auth).json().get("has_pin"):
        r = client.put("/auth/pin", json={"pin": PIN}, headers=auth)
        assert r.status_code == 204, r.text
    r = client.post("/auth/pin/verify", json={"pin": PIN}, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()["confirmation"]


def pay_linked(client, auth, bill: str, source_id: str | None, confirmation: str | None, key: str | None = None):
    body = {"bill_id": bill, "method": "linked", "source_id": source_id, "confirmation": confirmation}
    return client.post("/payments", json=body, headers={**auth, "Idempotency-Key": key or str(uuid.uuid4())})


def make_bill(app, total: int, code: str | None = None, phone: str = DEMO_PHONE, now: dt.datetime | None = None) -> str:
    """A bill of exactly `total` for a person in the payer's family."""
    for db in session_scope(app.state.session_factory):
        user = db.scalars(select(User).where(User.phone == phone)).one()
        person = db.scalars(select(Person).join(FamilyMember, FamilyMember.person_id == Person.id)
                            .where(FamilyMember.user_id == user.id).order_by(Person.code)).first()
        bill = Bill(institution_id=person.institution_id, person_id=person.id,
                    invoice_code=code or "T" + uuid.uuid4().hex[:10].upper(), kind="tuition", title="Học phí thử",
                    period="Năm học 2026–2027", due_date=dt.date(2026, 12, 1), total=total,
                    issued_at=now or dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
        db.add(bill)
        db.flush()
        bill_id = bill.id
    return bill_id  # after the loop: session_scope commits only when its generator runs to the end


def earlier_payment(app, amount: int, at: dt.datetime, state: str = "succeeded", phone: str = DEMO_PHONE) -> None:
    """A payment the payer made earlier (on its own bill), as it would stand in the database."""
    bill_id = make_bill(app, amount, phone=phone)
    for db in session_scope(app.state.session_factory):
        user = db.scalars(select(User).where(User.phone == phone)).one()
        db.add(Payment(bill_id=bill_id, user_id=user.id, idempotency_key=str(uuid.uuid4()), method="vietqr",
                       provider="vietqr", state=state, amount=amount, payer_name="x", beneficiary_name="y",
                       reason="r", invoice_code="INV", reference="DP" + uuid.uuid4().hex[:10].upper(),
                       live_bill_id=bill_id if state in ("created", "awaiting_payer", "unknown") else None,
                       created_at=at, updated_at=at, expires_at=at + dt.timedelta(minutes=15)))


def ipn(settings, **fields) -> dict:
    body = {"partnerCode": settings.link_partner_code, "requestId": "", "linkId": "", "event": "linked",
            "token": "", "tokenRef": "", "holderName": "", "accountSuffix": "", "tokenExpiresAt": ""}
    body |= fields
    return linking.signed(body, linking.IPN_FIELDS, settings.link_secret_key)
