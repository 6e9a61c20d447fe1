from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from server.clock import as_utc
from server.notifications.models import Notification


class NotificationOut(BaseModel):
    id: str
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    read: bool
    bill_id: str | None
    payment_id: str | None
    person_id: str | None
    institution_id: str | None
    institution_name: str | None
    verified: bool

    @classmethod
    def of(cls, n: Notification, institution_name: str | None = None) -> NotificationOut:
        return cls(id=n.id, kind=n.kind, title=n.title, body=n.body, created_at=as_utc(n.created_at),
                   read=n.read_at is not None, bill_id=n.bill_id, payment_id=n.payment_id, person_id=n.person_id,
                   institution_id=n.institution_id, institution_name=institution_name, verified=n.verified)


class InboxOut(BaseModel):
    items: list[NotificationOut]
    next_before: str | None
    unread: int


class UnreadOut(BaseModel):
    unread: int


class ReadAllOut(BaseModel):
    marked: int
    unread: int


class KindChoice(BaseModel):
    kind: str = Field(max_length=40)
    push: bool
    sms: bool


class PersonMuteOut(BaseModel):
    id: str
    full_name: str
    muted: bool


class PreferencesOut(BaseModel):
    kinds: list[KindChoice]
    quiet_start: str
    quiet_end: str
    people: list[PersonMuteOut]


class PreferencesIn(BaseModel):
    kinds: list[KindChoice] | None = Field(default=None, max_length=20)
    quiet_start: str | None = Field(default=None, max_length=5)
    quiet_end: str | None = Field(default=None, max_length=5)
    muted_people: list[str] | None = Field(default=None, max_length=50)


class DeviceIn(BaseModel):
    token: str = Field(min_length=20, max_length=255, pattern=r"^[A-Za-z0-9_:\-\.]+$")
    platform: Literal["android", "ios", "web"]


class DeviceOut(BaseModel):
    registered: bool
