"""How long the reminder job takes for many families, and how fast the delivery worker drains SMS.

    .venv/bin/python bench/reminders.py [--families 500] [--database-url URL]

Each family has one parent and one child with three open bills (due in 3 days, 7 days, overdue), so
a run creates 3 reminders per family with an SMS each. Prints the run time, notifications per second,
the time of a second run (all duplicates: the cost of exactly-once), and SMS deliveries per second.
A figure to watch, not a test (shared machines are noisy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import server.models  # noqa: E402,F401
from server.auth.models import User  # noqa: E402
from server.bills.models import Bill  # noqa: E402
from server.clock import local_today  # noqa: E402
from server.db import Base, make_engine, make_session_factory  # noqa: E402
from server.institutions.models import Institution  # noqa: E402
from server.migrate import upgrade  # noqa: E402
from server.notifications.delivery import run_deliveries  # noqa: E402
from server.notifications.reminders import run_reminders  # noqa: E402
from server.people.models import FamilyMember, Person  # noqa: E402


class NullSms:
    def send(self, phone: str, text: str) -> None:
        pass


def seed(factory, families: int, now: dt.datetime) -> None:
    today = local_today(now)
    with factory() as db:
        for table in reversed(Base.metadata.sorted_tables):
            db.execute(table.delete())
        school = Institution(name="Trường Tiểu học Bench", short_name="TH Bench", kind="school",
                             province="Hà Nội", hotline="02400000000", support_name="Văn phòng",
                             support_phone="02400000000", feed_secret="bench")
        db.add(school)
        db.flush()
        for n in range(families):
            user = User(phone=f"+8490{n:07d}", full_name=f"Phụ huynh {n}", created_at=now - dt.timedelta(days=60))
            child = Person(institution_id=school.id, kind="student", code=f"B{n:06d}", full_name=f"Học sinh {n}",
                           date_of_birth=dt.date(2018, 1, 1))
            db.add_all([user, child])
            db.flush()
            db.add(FamilyMember(user_id=user.id, person_id=child.id, added_at=now - dt.timedelta(days=60)))
            for k, days in enumerate((3, 7, -2)):
                db.add(Bill(institution_id=school.id, person_id=child.id, invoice_code=f"B{n:06d}-{k}",
                            kind="tuition", title="Học phí", period="HK I", due_date=today + dt.timedelta(days=days),
                            total=1_500_000, amount_paid=0, issued_at=now - dt.timedelta(days=45)))
        db.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=500)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    now = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.timezone.utc)  # 10:00 in Hà Nội: outside quiet hours
    seed(factory, args.families, now)
    t0 = time.perf_counter()
    created = run_reminders(factory, now)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = run_reminders(factory, now)
    second = time.perf_counter() - t0
    t0 = time.perf_counter()
    sent = 0
    while batch := run_deliveries(factory, now, push=None, sms=NullSms(), batch=500).get("sent", 0):
        sent += batch
    drain = time.perf_counter() - t0
    kind = url.split(":")[0]
    print(f"reminders on {kind}: {created} created in {first:.2f} s ({created / first:.0f}/s); "
          f"second run {again} created in {second:.2f} s")
    print(f"SMS delivery on {kind}: {sent} sent in {drain:.2f} s ({sent / max(drain, 1e-9):.0f}/s)")
    engine.dispose()


if __name__ == "__main__":
    main()
