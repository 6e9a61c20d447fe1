"""Payments over loopback HTTP against a real server process, on SQLite and on PostgreSQL.

    .venv/bin/python bench/payments.py [--bills 400] [--workers 8] [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]

Prints, per database: p50/p99 latency of POST /payments, and how many VNPay IPN callbacks per
second the server verifies and applies (each on its own payment, sent by concurrent clients).
A figure to watch, not a test: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from server.auth.sms import read_outbox  # noqa: E402
from server.bills.models import Bill  # noqa: E402
from server.config import Settings  # noqa: E402
from server.db import make_engine, make_session_factory, session_scope  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.people.models import Person  # noqa: E402
from server.providers import vnpay  # noqa: E402
from server.seed import DEMO_PHONE  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add_bills(url: str, count: int) -> None:
    """Extra open bills for the demo child, so every payment has a bill of its own."""
    engine = make_engine(url)
    for db in session_scope(make_session_factory(engine)):
        an = db.scalars(select(Person).where(Person.code == "HS0123")).one()
        now = dt.datetime.now(dt.timezone.utc)
        for i in range(count):
            db.add(Bill(institution_id=an.institution_id, person_id=an.id, invoice_code=f"BENCH-{i:05d}",
                        kind="tuition", title="Bench", period="2026", due_date=now.date() + dt.timedelta(days=9),
                        total=100_000 + i, amount_paid=0, issued_at=now))
    engine.dispose()


def run(label: str, url: str, bills: int, workers: int) -> None:
    work = Path(tempfile.mkdtemp())
    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, DONGPHI_SMS_OUTBOX=str(work / "outbox.jsonl"),
               DONGPHI_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "-m", "server", "seed", "--reset"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    add_bills(url, bills)
    server = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as c:
            for _ in range(200):
                try:
                    c.get("/health")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            c.post("/auth/code", json={"phone": DEMO_PHONE})
            code = read_outbox(work / "outbox.jsonl")[-1]["text"].split(":")[1].split(".")[0].strip()
            auth = {"Authorization": "Bearer " + c.post("/auth/session",
                                                        json={"phone": DEMO_PHONE, "code": code}).json()["token"]}
            ids = [b["id"] for g in c.get("/bills/outstanding", headers=auth).json()["groups"]
                   for b in g["bills"] if b["invoice_code"].startswith("BENCH-")]
            created, latencies = [], []
            for bill_id in ids:
                t0 = time.perf_counter()
                r = c.post("/payments", json={"bill_id": bill_id, "method": "atm_card"},
                           headers={**auth, "Idempotency-Key": str(uuid.uuid4())})
                latencies.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 201, r.text
                created.append(r.json())
        secret = Settings().vnpay_hash_secret
        urls = []
        for i, p in enumerate(created):
            params = {"vnp_Amount": str(p["amount"] * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": "bench",
                      "vnp_PayDate": "20261122100000", "vnp_ResponseCode": "00", "vnp_TmnCode": Settings().vnpay_tmn_code,
                      "vnp_TransactionNo": str(20_000_000 + i), "vnp_TransactionStatus": "00",
                      "vnp_TxnRef": p["reference"]}
            params["vnp_SecureHash"] = vnpay.sign(params, secret)
            urls.append("/providers/vnpay/ipn?" + urllib.parse.urlencode(params))
        with httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=workers)) as c:
            t0 = time.perf_counter()
            with ThreadPoolExecutor(workers) as pool:
                codes = list(pool.map(lambda u: c.get(u).json()["RspCode"], urls))
            elapsed = time.perf_counter() - t0
        assert codes.count("00") == len(urls), f"not all applied: {sorted(set(codes))}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
    latencies.sort()
    p99 = latencies[max(int(len(latencies) * 0.99) - 1, 0)]
    print(f"{label:10} create payment: n={len(latencies)} p50={statistics.median(latencies):.1f} ms "
          f"p99={p99:.1f} ms | callbacks applied: {len(urls) / elapsed:.0f}/s "
          f"({len(urls)} IPNs, {workers} concurrent clients)")


def pg_database(admin_url: str) -> str | None:
    """A throwaway database next to the given one; None when PostgreSQL is not reachable."""
    try:
        engine = make_engine(admin_url)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("DROP DATABASE IF EXISTS dongphi_bench"))
            conn.execute(text("CREATE DATABASE dongphi_bench"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - report and carry on with SQLite
        print(f"PostgreSQL skipped: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
        return None
    return admin_url.rsplit("/", 1)[0] + "/dongphi_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bills", type=int, default=400)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    sqlite_url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    upgrade(sqlite_url)
    run("SQLite", sqlite_url, args.bills, args.workers)
    if (pg := pg_database(args.pg_url)) is not None:
        upgrade(pg)
        run("PostgreSQL", pg, args.bills, args.workers)


if __name__ == "__main__":
    main()
