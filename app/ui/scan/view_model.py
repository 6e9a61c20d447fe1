"""Scan a QR (camera frame, picked image, or pasted text), say what it is, and check the payee.

One instance per signed-in session (Services.scan): the scan, result and report screens are steps of
one task, and Back between them must not lose what was read.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure, NotFoundFailure
from app.data.bills import BillsRepository
from app.data.qr_image import decode_image
from app.data.registry import RegistryRepository
from app.data.reports import SEEN_AT, ReportsRepository
from app.models import BillSummary
from app.ui.core.routes import bill_route
from domain.payee import PayeeCheck, RegisteredInstitution, Verdict, check_payee
from domain.scan import Scanned, ScanKind, classify
from domain.text import fold_ascii

RESULT_ROUTE = "/scan/result"
REPORT_ROUTE = "/scan/result/report"


@dataclass(frozen=True)
class Outcome:
    scanned: Scanned
    check: PayeeCheck | None = None
    bill: BillSummary | None = None  # the family's open bill this verified QR is for
    bill_person: str = ""
    registry_as_of: dt.datetime | None = None  # set when the check used a copy kept from before (offline)

    @property
    def amount_differs(self) -> bool:
        qr = self.scanned.vietqr
        return bool(self.bill and qr and qr.amount is not None and qr.amount != self.bill.amount_due)


@ft.observable
@dataclass
class ScanViewModel:
    registry: RegistryRepository
    bills: BillsRepository
    reports: ReportsRepository
    reading: bool = False
    problem: str | None = None  # why the last read gave nothing to act on (see SCAN_PROBLEMS in the view)
    failure: ApiFailure | None = None
    outcome: Outcome | None = None
    image: bytes | None = None  # the picture the QR came from, offered with a report
    place_id: str | None = None  # "I am at ..." — a claim the QR must agree with
    institutions: tuple[RegisteredInstitution, ...] = ()
    acknowledged: bool = False  # unknown payee: "I checked the beneficiary name in my bank app"
    confirmed: bool = False  # unknown payee / other scheme: the explicit second confirmation
    sending: bool = False
    report_failure: ApiFailure | None = None
    reported: bool = False
    _report_key: str = ""

    async def load_places(self) -> None:
        """Fill the "where are you" list; quietly empty when offline with no copy (it is optional)."""
        try:
            copy = await self.registry.current()
        except ApiFailure:
            return
        self.institutions = tuple(sorted(copy.registry.institutions, key=lambda i: fold_ascii(i.name)))

    def set_place(self, institution_id: str | None) -> None:
        self.place_id = institution_id or None

    async def read_image(self, data: bytes | None) -> str | None:
        """Decode a picked photo or camera frame; returns the route to show next, if any."""
        if self.reading:
            return None
        if not data:
            self.problem = "empty"
            return None
        self.reading, self.problem, self.failure = True, None, None
        try:
            decoded = await asyncio.to_thread(decode_image, data)  # OpenCV takes ~0.1 s: keep the UI live
            if decoded.status != "ok":
                self.problem = decoded.status
                return None
            self.image = data
            return await self._interpret(decoded.text)
        finally:
            self.reading = False

    async def read_text(self, text: str | None) -> str | None:
        if self.reading:
            return None
        self.reading, self.problem, self.failure, self.image = True, None, None, None
        try:
            return await self._interpret(text or "")
        finally:
            self.reading = False

    async def _interpret(self, text: str) -> str | None:
        scanned = classify(text)
        self.acknowledged = self.confirmed = self.reported = False
        self.report_failure, self._report_key = None, str(uuid.uuid4())
        if scanned.kind is ScanKind.BILL_LINK:
            try:
                await self.bills.bill(scanned.bill_id)
            except NotFoundFailure:
                self.problem = "bill_not_yours"
                return None
            except ApiFailure as failure:
                self.failure = failure
                return None
            return bill_route(scanned.bill_id)
        if scanned.kind is ScanKind.MERCHANT:
            self.outcome = Outcome(scanned)
            return RESULT_ROUTE
        if scanned.kind is not ScanKind.VIETQR:
            self.problem = "empty" if scanned.error_code == "empty" else scanned.kind.value
            return None
        try:
            copy = await self.registry.current()
        except ApiFailure:
            self.problem = "registry_unavailable"
            return None
        check = check_payee(scanned.vietqr, copy.registry, at_institution_id=self.place_id)
        bill, person = (await self._matching_bill(scanned, check)) if check.verdict is Verdict.VERIFIED else (None, "")
        self.outcome = Outcome(scanned, check, bill, person, copy.fetched_at if copy.stale else None)
        return RESULT_ROUTE

    async def _matching_bill(self, scanned: Scanned, check: PayeeCheck) -> tuple[BillSummary | None, str]:
        """The family's open bill at that institution whose invoice code the QR carries."""
        qr = scanned.vietqr
        words = {w.upper() for t in (qr.bill_number, qr.purpose) if t for w in [t.strip(), *t.split()]}
        try:
            outstanding = (await self.bills.outstanding()).value
        except ApiFailure:
            return None, ""
        for group in outstanding.groups:
            for bill in group.bills:
                if (bill.amount_due > 0 and bill.institution_name == check.institution.name
                        and fold_ascii(bill.invoice_code).upper() in words):
                    return bill, group.person.full_name
        return None, ""

    def acknowledge(self, value: bool) -> None:
        self.acknowledged = bool(value)

    def confirm(self) -> None:
        """The second, explicit step before showing how to pay an unchecked payee."""
        if self.acknowledged or (self.outcome and self.outcome.scanned.kind is ScanKind.MERCHANT):
            self.confirmed = True

    @property
    def may_pay_outside(self) -> bool:
        """Transfer details are shown only for a verified payee, or after both confirmations."""
        o = self.outcome
        if o is None:
            return False
        if o.check is not None and o.check.verdict is Verdict.VERIFIED:
            return True
        if o.check is not None and o.check.verdict is Verdict.MISMATCH:
            return False
        return self.confirmed

    async def send_report(self, seen_at: str, note: str) -> None:
        if self.sending or self.outcome is None or self.reported:
            return
        if seen_at not in SEEN_AT:
            self.report_failure = ApiFailure("report_seen_at_missing")
            return
        check = self.outcome.check
        institution = (check.institution.id if check and check.institution else None) or self.place_id
        self.sending, self.report_failure = True, None
        try:
            await self.reports.report_qr(payload=self.outcome.scanned.text or None, image=self.image,
                                         seen_at=seen_at, note=note.strip()[:500], institution_id=institution,
                                         idempotency_key=self._report_key)
            self.reported = True
        except ApiFailure as failure:
            self.report_failure = failure
        finally:
            self.sending = False
