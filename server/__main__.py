"""Server command line: `python -m server {serve,migrate,seed}`."""

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
    if args.command in ("reminders", "deliver"):
        _run_job(settings, args.command)
    return 0


def _run_job(settings: Settings, command: str) -> None:
    from server.auth.sms import OutboxSms
    from server.db import make_engine, make_session_factory
    from server.notifications.jobs import Jobs, push_channel
    engine = make_engine(settings.database_url)
    jobs = Jobs(settings, make_session_factory(engine), system_clock, OutboxSms(settings.sms_outbox),
                push_channel(settings))
    if command == "reminders":
        print(f"{jobs.remind()} reminders created")
    else:
        print(jobs.deliver())
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
