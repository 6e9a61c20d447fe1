"""The events of the issue, as notifications: what happened, to whom it goes, what it says.

Recipients are the users whose family holds the bill's person (both parents see a child's payment),
plus the payer. Dedupe keys name the event, so the same event twice is one notification. A payer outside
the family (a relative paying through a pay request) learns no more than the request showed them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from domain.bills import amount_due
from domain.phone import mask_phone
from server.bills.models import Bill
from server.clock import VIETNAM, as_utc, local_today
from server.notifications import texts
from server.notifications.events import Event, notify
from server.notifications.models import Notification
from server.people.models import FamilyMember
from server.people.service import given_name

RESOLVED_FROM = ("unknown",)


def family_users(db: Session, person_id: str) -> list[str]:
    return list(db.scalars(select(FamilyMember.user_id).where(FamilyMember.person_id == person_id)
                           .order_by(FamilyMember.added_at, FamilyMember.id)))


def _bill(db: Session, bill_id: str) -> Bill:
    return db.scalars(select(Bill).where(Bill.id == bill_id)
                      .options(joinedload(Bill.person), joinedload(Bill.institution))).one()


def _bill_values(lang: str, bill: Bill, outsider: bool = False) -> dict:
    """`outsider`: for a relative outside the family — the first name and the invoice code, as on the request."""
    values = dict(person=bill.person.full_name, institution=bill.institution.name, title=bill.title,
                  period=bill.period, invoice=bill.invoice_code, due=texts.date(bill.due_date),
                  amount=texts.money(lang, amount_due(bill.total, bill.amount_paid)))
    if outsider:
        values.update(person=given_name(bill.person.full_name), title=bill.invoice_code, period="")
    return values


def _sms_values(bill: Bill) -> dict:
    """Short names and plain figures: an SMS is read on any phone, in 160 characters if we can."""
    return dict(person=bill.person.full_name, institution=bill.institution.short_name or bill.institution.name,
                title=bill.title, due=texts.date(bill.due_date),
                amount=f"{amount_due(bill.total, bill.amount_paid):,}".replace(",", ".") + " VND")


def payment_moved(db: Session, payment, before: str | None, to_state: str, now: dt.datetime) -> list[Notification]:
    """A payment's result: success to the whole family, failure and refunds to the payer."""
    if to_state not in ("succeeded", "failed", "expired", "refund_pending"):
        return []  # steps on the way (awaiting the payer, unknown) are shown live by the app, not announced
    bill = _bill(db, payment.bill_id)
    resolved = before in RESOLVED_FROM
    family = family_users(db, bill.person_id)
    outsider = payment.user_id is not None and payment.user_id not in family

    def values(lang: str, hide: bool = False) -> dict:
        debited = texts.t(lang, texts.DEBITED[bool(payment.nothing_debited)])
        return {**_bill_values(lang, bill, hide),
                "amount": texts.money(lang, payment.received_amount or payment.amount),
                "payer": payment.payer_name or "—", "debited": debited, "reference": payment.reference}

    common = dict(bill_id=bill.id, payment_id=payment.id, person_id=bill.person_id, institution_id=bill.institution_id,
                  payer_id=payment.user_id)

    def to_payer(kind: str, dedupe_key: str, key: str) -> list[Notification]:
        ids = {k: v for k, v in common.items() if not outsider or k not in ("bill_id", "person_id")}
        event = Event(kind=kind, dedupe_key=dedupe_key, **ids,
                      render=lambda lang: texts.render(lang, key, **values(lang, hide=outsider)))
        return notify(db, [payment.user_id], event, now)

    if to_state == "succeeded":
        key = "resolved_succeeded" if resolved else "payment_succeeded"
        kind, dedupe_key = ("payment_resolved" if resolved else "payment_succeeded"), f"payment:{payment.id}:succeeded"
        event = Event(kind=kind, dedupe_key=dedupe_key, render=lambda lang: texts.render(lang, key, **values(lang)),
                      **common)
        if not outsider:
            return notify(db, [payment.user_id, *family], event, now)
        return to_payer(kind, dedupe_key, key) + notify(db, family, event, now)
    if to_state == "failed" or (to_state == "expired" and resolved):
        key = "resolved_failed" if resolved else "payment_failed"
        return to_payer("payment_resolved" if resolved else "payment_failed", f"payment:{payment.id}:failed", key)
    if to_state == "refund_pending":
        return refund_due(db, payment, now)
    return []


def refund_due(db: Session, payment, now: dt.datetime) -> list[Notification]:
    """Money the institution must return: a late success on a paid bill, or the excess of an overpayment."""
    bill = _bill(db, payment.bill_id)
    outsider = payment.user_id is not None and payment.user_id not in family_users(db, bill.person_id)

    def render(lang: str) -> tuple[str, str]:
        return texts.render(lang, "refund", **{**_bill_values(lang, bill, outsider), "reference": payment.reference,
                                               "amount": texts.money(lang, payment.refund_amount or 0)})
    family_ids = {} if outsider else dict(bill_id=bill.id, person_id=bill.person_id)
    event = Event(kind="refund", dedupe_key=f"payment:{payment.id}:refund", render=render, payment_id=payment.id,
                  institution_id=bill.institution_id, payer_id=payment.user_id, **family_ids)
    return notify(db, [payment.user_id], event, now)


def new_bill(db: Session, bill: Bill, user_ids: list[str], now: dt.datetime) -> list[Notification]:
    event = Event(kind="new_bill", dedupe_key=f"bill:{bill.id}:new",
                  render=lambda lang: texts.render(lang, "new_bill", **_bill_values(lang, bill)),
                  bill_id=bill.id, person_id=bill.person_id, institution_id=bill.institution_id)
    return notify(db, user_ids, event, now)


def reminder(db: Session, bill: Bill, stage: str, today: dt.date, user_ids: list[str],
             now: dt.datetime) -> list[Notification]:
    """`stage` is domain.notifications.reminder_stage(): due_7 / due_3 / due_1 / overdue."""
    days = (bill.due_date - today).days
    overdue = stage == "overdue"
    key = "overdue" if overdue else ("due_today" if days == 0 else "due_soon")
    event = Event(kind="overdue" if overdue else "due_soon", dedupe_key=f"bill:{bill.id}:{stage}",
                  render=lambda lang: texts.render(lang, key, days=days, **_bill_values(lang, bill)),
                  sms=lambda lang: texts.render_sms(lang, "overdue" if overdue else "due_soon", **_sms_values(bill)),
                  bill_id=bill.id, person_id=bill.person_id, institution_id=bill.institution_id)
    return notify(db, user_ids, event, now)


def bill_cleared(db: Session, bill: Bill, reason: str, now: dt.datetime) -> list[Notification]:
    def render(lang: str) -> tuple[str, str]:
        return texts.render(lang, "bill_cleared", reason=texts.t(lang, texts.CLEARED_REASONS[reason]),
                            **_bill_values(lang, bill))
    event = Event(kind="bill_cleared", dedupe_key=f"bill:{bill.id}:cleared", render=render, bill_id=bill.id,
                  person_id=bill.person_id, institution_id=bill.institution_id)
    return notify(db, family_users(db, bill.person_id), event, now)


def institution_message(db: Session, institution, kind: str, message_id: str, title: str, body: str,
                        user_ids: list[str], now: dt.datetime) -> list[Notification]:
    """Fraud alerts and announcements come only from registered institutions: shown as verified."""
    event = Event(kind=kind, dedupe_key=f"institution:{institution.id}:{message_id}",
                  render=lambda lang: (title, body), institution_id=institution.id, verified=True)
    return notify(db, user_ids, event, now)


def _registered(kind: str) -> bool:
    """Family kinds (issue 8) are sent once domain.notifications and texts know them; until then, inbox-less."""
    from domain.notifications import KINDS
    return kind in KINDS and kind in texts.TEXTS


def family_invitation(db: Session, invitation, invitee_id: str, inviter, now: dt.datetime) -> list[Notification]:
    """An invitation to a person's family, to the invitee who already has an account."""
    if not _registered("family_invitation"):
        return []
    person = invitation.person

    expires = as_utc(invitation.expires_at).astimezone(VIETNAM).date()

    def render(lang: str) -> tuple[str, str]:
        return texts.render(lang, "family_invitation", inviter=inviter.full_name or mask_phone(inviter.phone),
                            person=person.full_name, institution=person.institution.name,
                            expires=texts.date(expires))
    event = Event(kind="family_invitation", dedupe_key=f"invitation:{invitation.id}", render=render,
                  institution_id=person.institution_id)
    return notify(db, [invitee_id], event, now)


def please_pay(db: Session, bill: Bill, student_name: str, parent_ids: list[str], now: dt.datetime,
               ) -> list[Notification]:
    """A student asks the payers to pay one of their bills; once per bill and day."""
    if not _registered("please_pay"):
        return []
    event = Event(kind="please_pay", dedupe_key=f"bill:{bill.id}:please_pay:{local_today(now).isoformat()}",
                  render=lambda lang: texts.render(lang, "please_pay", student=student_name,
                                                   **_bill_values(lang, bill)),
                  bill_id=bill.id, person_id=bill.person_id, institution_id=bill.institution_id)
    return notify(db, parent_ids, event, now)
