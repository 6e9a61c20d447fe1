"""App factory: wires settings, database, clock, SMS and notification ports, then mounts each area's router."""

from __future__ import annotations

import contextlib
import logging

import httpx
from fastapi import FastAPI

from server.accounts.endpoints import install as install_accounts
from server.admin.endpoints import router as admin_router
from server.auth.endpoints import router as auth_router
from server.auth.sms import OutboxSms, SmsSender
from server.brakes.endpoints import router as brakes_router
from server.bills.endpoints import router as bills_router
from server.clock import Clock, system_clock
from server.config import Settings
from server.db import make_engine, make_session_factory
from server.errors import install_error_handlers
from server.fraud.endpoints import router as fraud_router
from server.fraud.images import MAX_REPORT_BODY_BYTES
from server.guidance.endpoints import router as guidance_router
from server.institutions.endpoints import router as institutions_router
from server.institutions.integration import router as institution_api_router
from server.limits import BodySizeLimit
from server.notifications.endpoints import router as notifications_router
from server.notifications.port import NotificationPort, OutboxPort
from server.payments.callback_endpoints import router as callbacks_router
from server.payments.endpoints import router as payments_router
from server.people.endpoints import router as people_router
from server.registry.endpoints import router as registry_router
from server.speech.endpoints import install as install_speech, router as speech_router


def create_app(settings: Settings | None = None, clock: Clock | None = None,
               sms: SmsSender | None = None, http: httpx.Client | None = None,
               notifications: NotificationPort | None = None, jobs: bool = False) -> FastAPI:
    """`http` is the outbound client for payment providers (tests pass one bound to this app);
    `jobs` runs reminders and push/SMS delivery in the background (`serve` does)."""
    settings = settings or Settings()
    logging.basicConfig(level=logging.INFO)
    app = FastAPI(title="Đóng Phí API", version="0.1.0")
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.session_factory = make_session_factory(app.state.engine)
    app.state.clock = clock or system_clock
    app.state.sms = sms or OutboxSms(settings.sms_outbox)
    app.state.http = http or httpx.Client(timeout=settings.provider_timeout_seconds)
    app.state.notifications = notifications or OutboxPort()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       per_path={"/fraud-reports": max(settings.max_body_bytes, MAX_REPORT_BODY_BYTES)})

    @app.get("/health", tags=["meta"])
    def health():
        return {"status": "ok"}

    for router in (auth_router, institutions_router, registry_router, people_router, bills_router,
                   payments_router, callbacks_router, fraud_router, notifications_router, institution_api_router,
                   guidance_router, brakes_router, admin_router, speech_router):
        app.include_router(router)
    install_accounts(app, settings)
    install_speech(app, settings)  # linked accounts, their callbacks and sandbox provider
    if settings.sandbox_enabled:
        from server.sandbox.endpoints import router as sandbox_router
        app.include_router(sandbox_router)
    if jobs:
        from server.notifications.jobs import Jobs, push_channel
        runner = Jobs(settings, app.state.session_factory, app.state.clock, app.state.sms, push_channel(settings),
                      http=app.state.http)

        @contextlib.asynccontextmanager
        async def lifespan(_app):
            runner.start()
            yield
            runner.stop()

        app.router.lifespan_context = lifespan
    return app
