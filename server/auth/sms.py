"""The SMS port. Production plugs a real SMS gateway in; development writes to log and an outbox."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Protocol

log = logging.getLogger("dongphi.sms")


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class OutboxSms:
    """Development sink: one JSON line per message, so the README and tests can read the code."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        log.warning("SMS to %s: %s", phone, text)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"to": phone, "text": text}, ensure_ascii=False) + "\n")


def read_outbox(path: Path) -> list[dict]:
    if not Path(path).exists():
        return []
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
