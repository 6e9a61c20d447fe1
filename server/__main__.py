"""Server command line: `python -m server {serve,migrate,seed,reminders,deliver,fraud-reports,fraud-confirm,
fraud-reject}`."""

from __future__ import annotations

import argparse
import sys

from server.clock import system_clock
from server.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server", description="Đóng Phí backend")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="migrate and seed the demo data first")
    sub.add_parser("migrate", help="upgrade the database schema to the newest migration")
    seed = sub.add_parser("seed", help="insert the demo data (once)")
    seed.add_argument("--reset", action="store_true", help="delete everything first")
    sub.add_parser("reminders", help="create due reminders once (cron); safe to run concurrently")
    sub.add_parser("deliver", help="send queued push and SMS once (cron); safe to run concurrently")
    sub.add_parser("sweep", help="ask providers about expired or unknown payments and retry unconfirmed token "
                                 "revocations, once (cron); safe to run concurrently")
    sub.add_parser("fraud-reports", help="list the scam reports waiting for a decision")
    for name, verb in (("fraud-confirm", "confirm"), ("fraud-reject", "reject")):
        decide = sub.add_parser(name, help=f"{verb} a scam report (as an administrator)")
        decide.add_argument("report_id")
    args = parser.parse_args(argv)
    settings = Settings()

    if args.command in ("migrate", "seed") or getattr(args, "demo", False):
        from server.migrate import upgrade
        upgrade(settings.database_url)
        print(f"database ready: {_redact(settings.database_url)}")
    if args.command == "seed" or getattr(args, "demo", False):
        _seed(settings, reset=getattr(args, "reset", False))
    if args.command == "serve":
        import uvicorn

        from server.main import create_app
        uvicorn.run(create_app(settings, jobs=True), host=args.host, port=args.port, log_level="info")
    if args.command in ("reminders", "deliver", "sweep"):
        _run_job(settings, args.command)
    if args.command.startswith("fraud-"):
        return _fraud(settings, args.command, getattr(args, "report_id", None))
    return 0


def _fraud(settings: Settings, command: str, report_id: str | None) -> int:
    """The admin API's queue and decisions for staff at a shell: same rules, reviewed_by "admin"."""
    from server.db import make_engine, make_session_factory, session_scope
    from server.errors import ApiError
    from server.fraud import service
    engine = make_engine(settings.database_url)
    try:
        for db in session_scope(make_session_factory(engine)):
            if command == "fraud-reports":
                reports = service.reports_for_admin(db, "received")
                for r in reports:
                    account = f"{r.bank_name or r.bank_bin} {r.account_number}" if r.account_number else "-"
                    print(f"{r.id}  {r.created_at:%Y-%m-%d %H:%M} UTC  {r.seen_at:<20}  phone {r.phone or '-'}  "
                          f"account {account}  institution {r.institution_id or '-'}  "
                          f"image {'yes' if r.has_image else 'no'}")
                print(f"{len(reports)} report(s) waiting")
            else:
                decision = "confirmed" if command == "fraud-confirm" else "rejected"
                report = service.review(db, report_id, decision, service.ADMIN, system_clock())
                print(f"report {report.id}: {report.status}")
    except ApiError as exc:
        print(f"{exc.code}: {exc.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _run_job(settings: Settings, command: str) -> None:
    import httpx

    from server.auth.sms import OutboxSms
    from server.db import make_engine, make_session_factory
    from server.notifications.jobs import Jobs, push_channel
    engine = make_engine(settings.database_url)
    http = httpx.Client(timeout=settings.provider_timeout_seconds)
    jobs = Jobs(settings, make_session_factory(engine), system_clock, OutboxSms(settings.sms_outbox),
                push_channel(settings), http=http)
    if command == "reminders":
        print(f"{jobs.remind()} reminders created")
    elif command == "sweep":
        print(f"{jobs.sweep()} payments asked about, {jobs.revoke()} token revocations tried")
    else:
        print(jobs.deliver())
    http.close()
    engine.dispose()


def _seed(settings: Settings, reset: bool) -> None:
    from server.db import make_engine, make_session_factory, session_scope
    from server.seed import DEMO_PHONE, reset as wipe, seed_demo
    engine = make_engine(settings.database_url)
    for db in session_scope(make_session_factory(engine)):
        if reset:
            wipe(db)
        created = seed_demo(db, system_clock())
    engine.dispose()
    print("demo data " + ("created" if created else "already present") + f"; demo phone {DEMO_PHONE}")
    print(f"one-time codes are written to {settings.sms_outbox}")


def _redact(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


if __name__ == "__main__":
    sys.exit(main())
