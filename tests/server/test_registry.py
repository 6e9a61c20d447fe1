"""The public registry the app checks scanned QRs against: shape, the domain parser, ETag and version."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from domain import vietqr
from domain.payee import Registry, Verdict, check_payee
from server.bills.models import Bill
from server.db import session_scope
from server.fraud.service import flag_account
from server.institutions.models import CollectionAccount, Institution
from server.registry.service import content_version

INSTITUTION_KEYS = {"id", "name", "short_name", "kind", "province", "hotline", "invoice_pattern", "support",
                    "accounts"}


def db_of(app):
    return session_scope(app.state.session_factory)


def institution_id(app, short_name: str) -> str:
    with app.state.session_factory() as db:
        return db.scalars(select(Institution.id).where(Institution.short_name == short_name)).one()


def test_registry_is_public_complete_and_sorted(client, demo):
    r = client.get("/registry")  # no Authorization header: it is printed on the bills
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(data) == {"version", "institutions", "flagged", "flagged_phones"}
    assert r.headers["etag"] == f'"{data["version"]}"' and r.headers["cache-control"] == "no-cache"
    assert re.fullmatch(r"[0-9a-f]{32}", data["version"])
    assert data["version"] == content_version({"institutions": data["institutions"], "flagged": data["flagged"],
                                               "flagged_phones": data["flagged_phones"]})
    names = [i["name"] for i in data["institutions"]]
    assert names == sorted(names) and len(names) == 4
    for inst in data["institutions"]:
        assert set(inst) == INSTITUTION_KEYS  # no feed secret, nothing internal
        assert set(inst["support"]) == {"name", "phone", "email"}
        keys = [(a["bank_bin"], a["account_number"]) for a in inst["accounts"]]
        assert keys == sorted(keys)
        for a in inst["accounts"]:
            assert set(a) == {"bank_bin", "bank_name", "account_number", "holder_name"}
    hongphuc = next(i for i in data["institutions"] if i["short_name"] == "BVĐK Hồng Phúc")
    assert hongphuc["invoice_pattern"] == r"VP-BN\d{5}-\d{4}"
    assert hongphuc["support"] == {"name": "Phòng Tài chính – Kế toán (chị Hoa)", "phone": "02223856790",
                                   "email": "taichinh@bvhongphuc.vn"}
    assert data["flagged"] == [{"bank_bin": "970423", "account_number": "0566778899", "reason": "reported_scam",
                                "institution_id": hongphuc["id"]}]
    hoasen = next(i for i in data["institutions"] if i["short_name"] == "TH Hoa Sen")
    assert data["flagged_phones"] == [{"phone": "+84888000111", "reason": "reported_scam",
                                       "institution_id": hoasen["id"]}]
    assert client.get("/registry").json() == data  # same content, same bytes, same version


def test_domain_parser_reads_the_endpoint_and_decides_payees(client, demo):
    data = client.get("/registry").json()
    registry = Registry.from_json(data)
    assert registry.version == data["version"] and len(registry.institutions) == 4
    hongphuc = registry.owner_of("970415", "113000123456")
    assert hongphuc is not None and hongphuc.short_name == "BVĐK Hồng Phúc"
    assert hongphuc.support_phone == "02223856790" and hongphuc.invoice_pattern == r"VP-BN\d{5}-\d{4}"
    genuine = vietqr.parse(vietqr.build("970415", "113000123456", 4_640_000, purpose="VP-BN00458-2611"))
    assert check_payee(genuine, registry).verdict is Verdict.VERIFIED
    scam = vietqr.parse(vietqr.build("970423", "0566778899", 4_640_000, purpose="VP-BN00458-2611"))
    check = check_payee(scam, registry)
    assert (check.verdict, check.reason) == (Verdict.MISMATCH, "flagged_account")
    assert check.institution is not None and check.institution.id == hongphuc.id


def test_registry_of_an_empty_database(client):
    data = client.get("/registry").json()
    assert (data["institutions"], data["flagged"], data["flagged_phones"]) == ([], [], [])
    assert Registry.from_json(data).institutions == ()


@pytest.mark.parametrize("header", ['"{v}"', "{v}", 'W/"{v}"', 'w/"{v}"', '"0000", "{v}"', '"0000",W/"{v}"', "*"])
def test_unchanged_registry_answers_304_without_a_body(client, demo, header):
    first = client.get("/registry")
    version = first.json()["version"]
    r = client.get("/registry", headers={"If-None-Match": header.format(v=version)})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["etag"] == first.headers["etag"]


@pytest.mark.parametrize("header", ['"0000"', "", 'W/"0000", "1111"'])
def test_another_etag_gets_the_full_registry(client, demo, header):
    r = client.get("/registry", headers={"If-None-Match": header})
    assert r.status_code == 200 and r.json()["institutions"]


def test_version_changes_when_an_account_is_flagged_or_added(app, client, demo, clock):
    v1 = client.get("/registry").json()["version"]
    haan = institution_id(app, "BV Nhi Hà An")
    for db in db_of(app):
        flag_account(db, "970403", "123456789", "reported_scam", haan, clock())
    r = client.get("/registry", headers={"If-None-Match": f'"{v1}"'})
    assert r.status_code == 200
    v2 = r.json()["version"]
    assert v2 != v1
    assert {"bank_bin": "970403", "account_number": "123456789", "reason": "reported_scam",
            "institution_id": haan} in r.json()["flagged"]
    for db in db_of(app):  # flagging it again changes nothing
        flag_account(db, "970403", "123456789", "reported_scam", haan, clock())
    assert client.get("/registry", headers={"If-None-Match": f'"{v2}"'}).status_code == 304
    for db in db_of(app):
        db.add(CollectionAccount(institution_id=haan, bank_bin="970436", account_number="0451000999888",
                                 holder_name="BENH VIEN NHI HA AN"))
    v3 = client.get("/registry").json()["version"]
    assert v3 not in (v1, v2)
    registry = Registry.from_json(client.get("/registry").json())
    assert registry.owner_of("970436", "0451000999888").id == haan
    assert registry.flag_of("970403", "123456789").institution_id == haan


def test_every_demo_invoice_code_matches_its_institutions_pattern(app, demo):
    with app.state.session_factory() as db:
        rows = db.execute(select(Bill.invoice_code, Institution.invoice_pattern, Institution.short_name)
                          .join(Institution, Institution.id == Bill.institution_id)).all()
        patterns = dict(db.execute(select(Institution.short_name, Institution.invoice_pattern)).all())
    assert len(rows) == 7
    for code, pattern, short_name in rows:
        assert pattern and re.fullmatch(pattern, code), (short_name, code, pattern)
    # Codes of one institution are never taken for another's.
    for code, _, short_name in rows:
        assert [n for n, p in patterns.items() if re.fullmatch(p, code)] == [short_name], code
    assert re.fullmatch(patterns["BV Nhi Hà An"], "NHA-123456")
