"""Background jobs of `python -m server serve`: reminders, push/SMS delivery, expired payments and
unconfirmed token revocations, on a thread.

Every API process may run them: all are safe concurrently (see reminders.py, delivery.py and
server/payments/sweeper.py, which resolves expired and unknown payments so their results are told).
`python -m server reminders` and `python -m server deliver` run each once, for cron instead.
"""

from __future__ import annotations

import datetime as dt

import logging
import threading
import time

from server.accounts.revocations import retry_revocations
from server.clock import Clock
from server.config import Settings
from server.notifications.delivery import run_deliveries
from server.notifications.reminders import run_reminders
from server.payments.sweeper import Backoff, sweep_payments

log = logging.getLogger("dongphi.jobs")


def push_channel(settings: Settings, http=None):
    """FCM when a service account is configured; otherwise None (push deliveries wait in the queue)."""
    if not settings.fcm_service_account_file:
        return None
    from server.notifications.fcm import FcmConfig, FcmPush
    config = FcmConfig.from_service_account_file(settings.fcm_service_account_file,
                                                 api_base=settings.fcm_api_base or None)
    return FcmPush(config, http=http)


class Jobs:
    def __init__(self, settings: Settings, factory, clock: Clock, sms, push=None, http=None):
        self.settings, self.factory, self.clock, self.sms, self.push = settings, factory, clock, sms, push
        self.http = http  # the providers' client: expired and unknown payments are asked about
        self.backoff = Backoff()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def remind(self) -> int:
        return run_reminders(self.factory, self.clock(), clock=self.clock)

    def sweep(self) -> int:
        if self.http is None:
            return 0
        return sweep_payments(self.factory, self.settings, self.http, self.clock(), backoff=self.backoff)

    def revoke(self) -> int:
        """Tokens whose revocation the provider did not confirm when their owner unlinked them."""
        if self.http is None:
            return 0
        return retry_revocations(self.factory, self.settings, self.http, self.clock)

    def deliver(self) -> dict[str, int]:
        return run_deliveries(self.factory, self.clock(), push=self.push, sms=self.sms,
                              give_up_after=dt.timedelta(hours=self.settings.delivery_give_up_hours),
                              clock=self.clock)

    def run_once(self) -> None:
        self.sweep()
        self.revoke()
        self.remind()
        self.deliver()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="dongphi-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        next_reminders = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() >= next_reminders:
                    self.remind()
                    next_reminders = time.monotonic() + self.settings.reminder_interval_seconds
                self.sweep()
                self.revoke()
                self.deliver()
            except Exception:  # a bad run must not end the jobs; the next run retries
                log.exception("background job failed")
            self._stop.wait(self.settings.delivery_interval_seconds)
