"""Sends callbacks the way real providers misbehave: on time, late, several times, or never."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from server.sandbox.state import Behaviour

log = logging.getLogger("dongphi.sandbox")


def deliver(behaviour: Behaviour, send: Callable[[], object]) -> None:
    def attempt():
        try:
            send()
        except Exception as exc:  # a provider logs and retries later; the sandbox logs
            log.warning("sandbox callback failed: %s", exc)

    if behaviour.mode == "drop":
        log.info("sandbox: callback dropped on purpose")
    elif behaviour.mode == "delay":
        threading.Timer(behaviour.delay_seconds, attempt).start()
    elif behaviour.mode == "repeat":
        for _ in range(max(behaviour.repeat, 1)):
            attempt()
    else:
        attempt()
