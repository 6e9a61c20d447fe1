"""Scan a QR (camera frame, picked image, or pasted text), say what it is, and check the payee.

One instance per signed-in session (Services.scan): the scan, result and report screens are steps of
one task, and Back between them must not lose what was read.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import statistics
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure, NotFoundFailure
from app.data.bills import BillsRepository
from app.data.contacts import official_lines
from app.data.brakes import BrakesRepository
from app.data.qr_image import decode_image
from app.data.registry import RegistryRepository
from app.data.reports import QR_SEEN_AT, ReportsRepository
from app.models import BillSummary, BrakeContext
from app.ui.core.routes import bill_route, pay_request_route
from domain.brakes import Brake, article_for, brakes_for
from domain.payee import PayeeCheck, RegisteredInstitution, Verdict, check_payee
from domain.scan import Scanned, ScanKind, classify
from domain.text import fold_ascii

RESULT_ROUTE = "/scan/result"
REPORT_ROUTE = "/scan/result/report"
SEEN_AT = QR_SEEN_AT  # where a scanned QR code was seen (the QR report's choices)
PAUSE_SECONDS = 5  # the first-large-payment pause
PAUSE_TASK = "dongphi.watch.brake-pause"  # a waiting loop, not UI work (the test harness does not wait for it)
AMOUNT_BRAKES = (Brake.FIRST_LARGE_PAYMENT, Brake.UNUSUAL_AMOUNT)
log = logging.getLogger("dongphi.scan")
_background: set[asyncio.Task] = set()  # strong references to recordings that must not delay the screen


@dataclass(frozen=True)
class Outcome:
    scanned: Scanned
    check: PayeeCheck | None = None
    bill: BillSummary | None = None  # the family's open bill this verified QR is for
    bill_person: str = ""
    registry_as_of: dt.datetime | None = None  # set when the check used a copy kept from before (offline)
    history: BrakeContext = BrakeContext(paid_before=True)  # the family's history with this payee (brakes)

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
    official_lines: list = field(default_factory=list)  # (name, phone) to call back, on the stop screen
    pressure: str | None = None  # unknown payee: the answer to "is someone pushing you to pay?" (yes / no)
    brake_failures: int = 0  # outcomes that could not be recorded (never shown to the payer, never blocking)
    report_failure: ApiFailure | None = None
    reported: bool = False
    _report_key: str = ""
    _brakes_shown_for: Outcome | None = None
    _urgent_passed: bool = False
    # The amount brakes (first large payment, unusual amount), shown before the transfer details.
    pause_seconds: int = PAUSE_SECONDS
    pause_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep  # tests make the pause theirs
    pause_left: int = 0  # seconds until "continue" becomes active on the first-large-payment pause
    brake_stopped: bool = False  # the payer chose to stop at an amount brake
    _amount_shown: frozenset = frozenset()
    _amount_passed: frozenset = frozenset()
    _pause_task: asyncio.Task | None = None

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
        self._leave_amount_brake()
        self.acknowledged = self.confirmed = self.reported = self.brake_stopped = False
        self.pressure, self._brakes_shown_for, self._urgent_passed = None, None, False
        self.official_lines = []
        self._amount_shown = self._amount_passed = frozenset()
        self.pause_left = 0
        self.report_failure, self._report_key = None, str(uuid.uuid4())
        if scanned.kind is ScanKind.PAY_REQUEST:
            return pay_request_route(scanned.token)  # that screen asks the server and explains any refusal
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
        history = BrakeContext(paid_before=True)  # a mismatch is a stop, a verified open bill never braked
        if check.verdict is Verdict.UNKNOWN or (check.verdict is Verdict.VERIFIED and bill is None):
            history = await self._history(scanned.vietqr.bin, scanned.vietqr.account)
        self.outcome = Outcome(scanned, check, bill, person, copy.fetched_at if copy.stale else None, history)
        return RESULT_ROUTE

    async def _history(self, bank_bin: str, account: str) -> BrakeContext:
        """Has the family paid this account before? Not knowing (offline, an error) counts as "never, no
        history": the safe side, the pause is shown and nothing is called unusual."""
        if self.brakes is None:
            return BrakeContext()
        try:
            return await self.brakes.context(bank_bin, account)
        except ApiFailure as failure:
            log.info("brake context unavailable, assuming a first payment: %s", failure)
            return BrakeContext()

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

    # -- brakes (issue 7) ---------------------------------------------------------------------------

    @property
    def due_brakes(self) -> list[Brake]:
        """The brakes before paying this payee: for an unverified one all that apply; for a verified account
        the QR is not an open bill of the family for, the amount brakes. A mismatch is already a stop; a
        verified open bill is never braked."""
        o = self.outcome
        if o is None or o.check is None or o.check.verdict is Verdict.MISMATCH:
            return []
        verified = o.check.verdict is Verdict.VERIFIED
        if verified and o.bill is not None:
            return []
        qr = o.scanned.vietqr
        inst = o.check.institution
        note = " ".join(x for x in (qr.bill_number, qr.purpose, qr.merchant_name) if x)
        found = brakes_for(verdict=o.check.verdict, open_bill=o.bill is not None,
                           hospital=bool(inst and inst.kind == "hospital"), note=note, amount=qr.amount,
                           paid_before=o.history.paid_before, usual_amounts=o.history.usual_amounts)
        return [b for b in found if b in AMOUNT_BRAKES] if verified else found

    @property
    def pending_brake(self) -> Brake | None:
        """The amount brake standing before the transfer details now, if any (after the confirmations)."""
        o = self.outcome
        if o is None or o.check is None or self.brake_stopped:
            return None
        if o.check.verdict is Verdict.UNKNOWN and not self.confirmed:
            return None
        return next((b for b in self.due_brakes if b in AMOUNT_BRAKES and b not in self._amount_passed), None)

    @property
    def usual_amount(self) -> int:
        """What the family usually pays (the median of its bills), for the unusual-amount question."""
        history = [a for a in (self.outcome.history.usual_amounts if self.outcome else ()) if a > 0]
        return int(statistics.median(history)) if history else 0

    async def _enter_amount_brake(self) -> None:
        """The next amount brake appears: the pause starts counting; each is recorded as shown once."""
        brake = self.pending_brake
        if brake is None or brake in self._amount_shown:
            return
        self._amount_shown = self._amount_shown | {brake}
        if brake is Brake.FIRST_LARGE_PAYMENT:
            self._start_pause()
        await self._record(brake, "shown")

    def _start_pause(self) -> None:
        if self._pause_task is not None:
            self._pause_task.cancel()
        outcome, self.pause_left = self.outcome, max(int(self.pause_seconds), 0)

        async def count_down() -> None:
            while self.pause_left > 0 and self.outcome is outcome:
                await self.pause_sleep(1)
                if self.outcome is not outcome:
                    return
                self.pause_left -= 1

        self._pause_task = asyncio.get_running_loop().create_task(count_down(), name=PAUSE_TASK)

    async def pass_amount_brake(self) -> None:
        """The payer goes on: past the pause (once it has run out) or the unusual-amount question."""
        brake = self.pending_brake
        if brake is None or (brake is Brake.FIRST_LARGE_PAYMENT and self.pause_left > 0):
            return
        self._amount_passed = self._amount_passed | {brake}
        await self._record(brake, "passed")
        await self._enter_amount_brake()

    async def stop_at_amount_brake(self) -> None:
        """The payer stops here: recorded as abandoned; the transfer details never show."""
        brake = self.pending_brake
        if brake is None:
            return
        self.brake_stopped = True
        await self._record(brake, "abandoned")

    def _leave_amount_brake(self) -> None:
        """A new scan replaces a result whose amount brake was on screen, unanswered: that brake was abandoned."""
        if self._pause_task is not None:
            self._pause_task.cancel()
            self._pause_task = None
        brake = self.pending_brake
        if brake is not None and brake in self._amount_shown:
            task = asyncio.get_running_loop().create_task(self._record(brake, "abandoned"))
            _background.add(task)
            task.add_done_callback(_background.discard)

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
            if brake not in AMOUNT_BRAKES:  # those are recorded when they appear (after the confirmations)
                await self._record(brake, "shown")
        await self._enter_amount_brake()

    async def answer_pressure(self, someone_pushing: bool) -> None:
        """Yes: the stop screen (the payment is abandoned). No: on to the amber checks."""
        if self.pressure is not None or Brake.PRESSURE_QUESTION not in self.due_brakes:
            return
        self.pressure = "yes" if someone_pushing else "no"  # the screen changes now; recording follows
        await self._record(Brake.PRESSURE_QUESTION, "abandoned" if someone_pushing else "passed")
        if someone_pushing and Brake.URGENT_WORDS in self.due_brakes:
            await self._record(Brake.URGENT_WORDS, "abandoned")
        if someone_pushing and (self.outcome.check is None or self.outcome.check.institution is None):
            # Nobody to call back is named by the QR: offer the lines of the family's own schools and hospitals.
            self.official_lines = await official_lines(self.bills, self.registry)

    async def continue_anyway(self) -> None:
        """The unknown payee's second confirmation; going on past an urgent-words warning is recorded."""
        self.confirm()
        if self.confirmed and not self._urgent_passed and Brake.URGENT_WORDS in self.due_brakes:
            self._urgent_passed = True
            await self._record(Brake.URGENT_WORDS, "passed")
        if self.confirmed:
            await self._enter_amount_brake()

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
            return o.bill is not None or (self.pending_brake is None and not self.brake_stopped)
        if o.check is not None and o.check.verdict is Verdict.MISMATCH:
            return False
        return self.confirmed and self.pending_brake is None and not self.brake_stopped

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
