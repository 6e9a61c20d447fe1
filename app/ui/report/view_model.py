"""Report a scam: the phone number, the account (bank and number), the message, a screenshot, where it happened.

One draft per signed-in session: the form is opened from the guidance, Settings, the check screen and the
scan's stop screens, and Back must not lose what was typed. Each draft has one Idempotency-Key, so a
retry after a lost answer names the same report and the server never files it twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import flet as ft

from app.data.api import ApiFailure, RequestFailure
from app.data.reports import IMAGE_MAX_BYTES, MESSAGE_MAX, NOTE_MAX, SEEN_AT, ReportsRepository
from app.models import FiledReport
from app.ui.core.routes import MY_REPORTS_ROUTE, REPORT_ROUTE, SCAN_REPORT_ROUTE  # noqa: F401 - the screens' routes
from app.ui.register.view_model import account_problem
from domain.phone import InvalidPhoneNumber, normalize_phone
from app.ui.core.fetching import load_fresh


# Where a code shows: next to its field, or above the send button.
FIELD_OF = {
    "report_phone_invalid": "phone", "report_phone_own": "phone",
    "report_bank_unknown": "bank", "report_account_incomplete_bank": "bank",
    "report_account_invalid": "account", "report_account_incomplete_number": "account",
    "report_account_incomplete": "account",
    "report_message_too_long": "message",
    "report_image_type": "image", "report_image_invalid": "image", "report_image_too_large": "image",
    "report_seen_at_missing": "where", "report_where_missing": "where",
}


def picture_problem(data: bytes | None) -> str | None:
    """A PNG or JPEG screenshot of at most 3 MB, as the server accepts."""
    if not data:
        return "report_image_invalid"
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        return "report_image_type"
    if len(data) > IMAGE_MAX_BYTES:
        return "report_image_too_large"
    return None


@ft.observable
@dataclass
class ScamReportViewModel:
    reports: ReportsRepository
    owner: str | None = None  # the signed-in user the draft belongs to (another user gets a new one)
    phone: str = ""
    bank_query: str = ""
    bank_bin: str = ""
    account: str = ""
    message: str = ""
    image: bytes | None = None
    image_name: str = ""
    seen_at: str = ""
    note: str = ""
    institution_id: str | None = None  # when it came from a scan that named an institution
    payload: str | None = None  # the scanned QR text, when it came from a scan
    problems: dict[str, str] = field(default_factory=dict)  # field -> code, from the checks or the server
    problem: str | None = None  # what concerns the whole report (nothing to report, where it happened)
    sending: bool = False
    failure: ApiFailure | None = None  # the server's or the network's answer, when not about one field
    report_id: str | None = None  # filed: the thank-you screen shows
    resent_as_new: bool = False  # an earlier version already arrived; the next send files the edited one anew
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))

    # -- typing --------------------------------------------------------------------------------

    def _clear(self, *names: str) -> None:
        if any(n in self.problems for n in names):
            self.problems = {k: v for k, v in self.problems.items() if k not in names}
        if self.problem == "report_empty":
            self.problem = None

    def type_phone(self, text: str) -> None:
        self.phone = text
        self._clear("phone")

    def search_bank(self, text: str) -> None:
        self.bank_query = text

    def choose_bank(self, bank_bin: str) -> None:
        self.bank_bin, self.bank_query = bank_bin, ""
        self._clear("bank")

    def clear_bank(self) -> None:
        self.bank_bin = ""

    def type_account(self, text: str) -> None:
        self.account = text
        self._clear("account")

    def type_message(self, text: str) -> None:
        self.message = text
        self._clear("message")

    def type_note(self, text: str) -> None:
        self.note = text

    def choose_where(self, seen_at: str) -> None:
        if seen_at in SEEN_AT:
            self.seen_at = seen_at
            if self.problem in ("report_where_missing", "report_seen_at_missing"):
                self.problem = None

    def attach(self, data: bytes | None, name: str = "") -> None:
        """A picked screenshot: kept only if the server will take it; otherwise say why next to the button."""
        problem = picture_problem(data)
        if problem:
            self.problems = {**self.problems, "image": problem}
            return
        self.image, self.image_name = data, name
        self._clear("image")

    def remove_image(self) -> None:
        self.image, self.image_name = None, ""
        self._clear("image")

    # -- state -----------------------------------------------------------------------------------

    @property
    def touched(self) -> bool:
        return any((self.phone.strip(), self.bank_bin, self.account.strip(), self.message.strip(), self.image,
                    self.note.strip()))

    def prefill(self, *, phone: str = "", bank_bin: str = "", account: str = "", payload: str | None = None,
                image: bytes | None = None, institution_id: str | None = None, seen_at: str = "") -> None:
        """What the screen it came from already knows; never overwrites what the person typed."""
        self.phone = self.phone or phone
        if not self.bank_bin and not self.account.strip() and (bank_bin or account):
            self.bank_bin, self.account = bank_bin, account
        self.payload = self.payload or payload
        if self.image is None and image is not None and picture_problem(image) is None:
            self.image, self.image_name = image, "QR"
        self.institution_id = self.institution_id or institution_id
        self.seen_at = self.seen_at or (seen_at if seen_at in SEEN_AT else "")

    def _validate(self) -> tuple[dict[str, str], str | None]:
        problems: dict[str, str] = {}
        if self.phone.strip():
            try:
                normalize_phone(self.phone)
            except InvalidPhoneNumber:
                problems["phone"] = "report_phone_invalid"
        if self.bank_bin or self.account.strip():
            code = account_problem(self.bank_bin, self.account)
            if code:
                problems["bank" if code in ("report_account_incomplete_bank", "report_bank_unknown") else "account"] = code
        if len(self.message) > MESSAGE_MAX:
            problems["message"] = "report_message_too_long"
        anything = self.phone.strip() or self.bank_bin or self.account.strip() or self.message.strip() or self.image \
            or (self.payload or "").strip()
        if not anything:
            return problems, "report_empty"
        if not self.seen_at:
            return problems, "report_where_missing"
        return problems, None

    async def send(self) -> str | None:
        """Checks everything first; sends once; a second tap while sending, or after it arrived, does nothing."""
        if self.sending or self.report_id is not None:
            return self.report_id
        self.problems, self.problem = self._validate()
        self.failure = None
        if self.problems or self.problem:
            return None
        self.sending = True
        phone = normalize_phone(self.phone) if self.phone.strip() else None
        account = "".join(self.account.split()) or None
        try:
            self.report_id = await self.reports.report(
                idempotency_key=self.idempotency_key, seen_at=self.seen_at, phone=phone,
                bank_bin=self.bank_bin or None, account_number=account, message_text=self.message.strip() or None,
                image=self.image, note=self.note.strip()[:NOTE_MAX], institution_id=self.institution_id,
                payload=self.payload)
            self.resent_as_new = False
        except RequestFailure as failure:
            if failure.code == "idempotency_key_reused":
                # The first version arrived although its answer was lost, and the report was edited since:
                # say so; the next tap files the edited version as a new report.
                self.idempotency_key, self.resent_as_new = str(uuid.uuid4()), True
                self.failure = failure
            elif failure.code in FIELD_OF and FIELD_OF[failure.code] not in ("where",):
                self.problems = {**self.problems, FIELD_OF[failure.code]: failure.code}
            else:
                self.failure = failure
        except ApiFailure as failure:  # no answer (offline, timed out): the same key is used on the retry
            self.failure = failure
        finally:
            self.sending = False
        return self.report_id


@ft.observable
@dataclass
class MyReportsViewModel:
    reports: ReportsRepository
    items: list[FiledReport] | None = None
    loading: bool = False
    error: ApiFailure | None = None

    async def load(self) -> None:
        await load_fresh(self, self.reports.mine, lambda value: setattr(self, "items", value))


# -- one draft per session ------------------------------------------------------------------------

def _user_id(services) -> str | None:
    user = services.session.user if services.session is not None else None
    return user.id if user is not None else None


def _put(services, vm: ScamReportViewModel) -> ScamReportViewModel:
    services.report_draft = vm  # kept by the session (Services): it goes when the page closes or on sign-out
    return vm


def _blank(services) -> ScamReportViewModel:
    return ScamReportViewModel(reports=services.reports, owner=_user_id(services))


def report_draft(services) -> ScamReportViewModel:
    """This session's draft; a new one after sign-in as someone else (nothing of theirs stays)."""
    vm = services.report_draft
    if vm is None or vm.owner != _user_id(services):
        vm = _put(services, _blank(services))
    return vm


def new_report(services, **prefill) -> ScamReportViewModel:
    """A report started from a stop screen: a fresh draft with what that screen knows, unless the person
    has a draft they are still writing (it is kept, and gets the missing facts)."""
    vm = report_draft(services)
    if vm.report_id is not None or not vm.touched:
        vm = _put(services, _blank(services))
    vm.prefill(**prefill)
    return vm


def fresh_report(services) -> ScamReportViewModel:
    """"Report another one": an empty draft with a new key."""
    return _put(services, _blank(services))
