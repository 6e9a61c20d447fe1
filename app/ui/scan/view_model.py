"""Scan a QR (camera frame, picked image, or pasted text), say what it is, and check the payee.

One instance per signed-in session (Services.scan): the scan, result and report screens are steps of
one task, and Back between them must not lose what was read.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure, NotFoundFailure
from app.data.bills import BillsRepository
from app.data.brakes import BrakesRepository
from app.data.qr_image import decode_image
from app.data.registry import RegistryRepository
from app.data.reports import SEEN_AT, ReportsRepository
from app.models import BillSummary
from app.ui.core.routes import bill_route
from domain.brakes import Brake, article_for, brakes_for
from domain.payee import PayeeCheck, RegisteredInstitution, Verdict, check_payee
from domain.scan import Scanned, ScanKind, classify
from domain.text import fold_ascii

RESULT_ROUTE = "/scan/result"
REPORT_ROUTE = "/scan/result/report"
log = logging.getLogger("dongphi.scan")


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
    brakes: BrakesRepository | None = None
    pressure: str | None = None  # unknown payee: the answer to "is someone pushing you to pay?" (yes / no)
    brake_failures: int = 0  # outcomes that could not be recorded (never shown to the payer, never blocking)
    report_failure: ApiFailure | None = None
    reported: bool = False
    _report_key: str = ""
    _brakes_shown_for: Outcome | None = None
    _urgent_passed: bool = False

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
        self.pressure, self._brakes_shown_for, self._urgent_passed = None, None, False
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

    # -- brakes (issue 7): only the scan "unknown" flow uses them so far ---------------------------

    @property
    def due_brakes(self) -> list[Brake]:
        """The brakes before paying an unverified payee (a mismatch is already a stop; a verified bill is never braked)."""
        o = self.outcome
        if o is None or o.check is None or o.check.verdict is not Verdict.UNKNOWN:
            return []
        qr = o.scanned.vietqr
        inst = o.check.institution
        note = " ".join(x for x in (qr.bill_number, qr.purpose, qr.merchant_name) if x)
        # paid_before=True, no history: the first-large-payment and unusual-amount brakes belong to the pay flow.
        return [b for b in brakes_for(verdict=o.check.verdict, open_bill=o.bill is not None,
                                      hospital=bool(inst and inst.kind == "hospital"), note=note, amount=qr.amount,
                                      paid_before=True) if b in (Brake.PRESSURE_QUESTION, Brake.URGENT_WORDS)]

    @property
    def brake_article(self) -> str:
        inst = self.outcome.check.institution if self.outcome and self.outcome.check else None
        return article_for(self.due_brakes, inst.kind if inst else None)

    async def brakes_shown(self) -> None:
        """Called when the result screen appears; each outcome's brakes are recorded as shown once."""
        if self.outcome is None or self._brakes_shown_for is self.outcome:
            return
        self._brakes_shown_for = self.outcome
        for brake in self.due_brakes:
            await self._record(brake, "shown")

    async def answer_pressure(self, someone_pushing: bool) -> None:
        """Yes: the stop screen (the payment is abandoned). No: on to the amber checks."""
        if self.pressure is not None or Brake.PRESSURE_QUESTION not in self.due_brakes:
            return
        self.pressure = "yes" if someone_pushing else "no"  # the screen changes now; recording follows
        await self._record(Brake.PRESSURE_QUESTION, "abandoned" if someone_pushing else "passed")
        if someone_pushing and Brake.URGENT_WORDS in self.due_brakes:
            await self._record(Brake.URGENT_WORDS, "abandoned")

    async def continue_anyway(self) -> None:
        """The unknown payee's second confirmation; going on past an urgent-words warning is recorded."""
        self.confirm()
        if self.confirmed and not self._urgent_passed and Brake.URGENT_WORDS in self.due_brakes:
            self._urgent_passed = True
            await self._record(Brake.URGENT_WORDS, "passed")

    async def _record(self, brake: Brake, outcome: str) -> None:
        if self.brakes is None:
            return
        try:
            await self.brakes.record(brake, outcome, "scan")
        except ApiFailure as failure:  # measuring must never stand in the payer's way
            self.brake_failures += 1
            log.warning("brake %s %s not recorded: %s", brake.value, outcome, failure)

    def acknowledge(self, value: bool) -> None:
        self.acknowledged = bool(value)

    def confirm(self) -> None:
        """The second, explicit step before showing how to pay an unchecked payee."""
        if Brake.PRESSURE_QUESTION in self.due_brakes and self.pressure != "no":
            return  # the pressure question comes first
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
