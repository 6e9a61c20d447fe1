"""How fast the home screen's data comes back: GET /bills/outstanding for a signed-in parent.

    .venv/bin/python bench/outstanding_bills.py [--requests 300] [--database-url URL]

Prints p50/p95/max in milliseconds. A figure to watch, not a test (shared machines are noisy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402

from server.auth.sms import read_outbox  # noqa: E402
from server.config import Settings  # noqa: E402
from server.db import Base, session_scope  # noqa: E402
from server.main import create_app  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.seed import DEMO_PHONE, seed_demo  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    upgrade(url)
    now = dt.datetime.now(dt.timezone.utc)
    app = create_app(Settings(database_url=url, sms_outbox=tmp / "outbox.jsonl"), clock=lambda: now)
    for db in session_scope(app.state.session_factory):
        for table in reversed(Base.metadata.sorted_tables):
            db.execute(table.delete())
        seed_demo(db, now)
    with TestClient(app) as client:
        client.post("/auth/code", json={"phone": DEMO_PHONE})
        code = read_outbox(tmp / "outbox.jsonl")[-1]["text"].split(":")[1].split(".")[0].strip()
        token = client.post("/auth/session", json={"phone": DEMO_PHONE, "code": code}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(20):  # warm up
            client.get("/bills/outstanding", headers=headers)
        samples = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            r = client.get("/bills/outstanding", headers=headers)
            samples.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"GET /bills/outstanding on {url.split(':')[0]}: n={len(samples)} "
          f"p50={statistics.median(samples):.1f} ms p95={p95:.1f} ms max={samples[-1]:.1f} ms")


if __name__ == "__main__":
    main()
