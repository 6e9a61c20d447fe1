"""The notification port: areas say who should hear what; how it reaches them is not their concern.

`OutboxPort` only queues: it inserts into `outbound_messages` inside the caller's transaction, so a
message exists exactly when the change that caused it was committed. Delivery channels (push, SMS,
email) come in a later issue as a worker that reads the queue; until then messages wait there.
`create_app(notifications=...)` and `app.state.notifications` replace the port (tests, other backends).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from server.notifications.models import OutboundMessage


@dataclass(frozen=True)
class Recipient:
    kind: str  # institution_support | ...
    ref: str  # the id of the institution (or person) addressed
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Message:
    kind: str  # fraud_report | ...
    subject: str
    body: str  # Vietnamese, plain text, no links
    ref_type: str = ""  # what it is about, e.g. fraud_report + the report's id
    ref_id: str = ""


class NotificationPort(Protocol):
    def queue(self, db: Session, recipient: Recipient, message: Message, now: dt.datetime) -> None: ...


class OutboxPort:
    def queue(self, db: Session, recipient: Recipient, message: Message, now: dt.datetime) -> None:
        db.add(OutboundMessage(
            recipient_kind=recipient.kind, recipient_ref=recipient.ref, address_phone=recipient.phone,
            address_email=recipient.email, kind=message.kind, subject=message.subject, body=message.body,
            ref_type=message.ref_type, ref_id=message.ref_id, status="queued", created_at=now,
        ))
