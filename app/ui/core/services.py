"""What views may reach: view-model factories and the shared observables, passed by context."""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import flet as ft

from app.data.accounts import AccountsRepository
from app.data.auth import AuthRepository
from app.data.bills import BillsRepository
from app.data.brakes import BrakesRepository
from app.data.guidance import GuidanceRepository
from app.data.notifications import NotificationsRepository
from app.data.payments import PaymentsRepository
from app.data.registry import RegistryRepository
from app.data.reports import ReportsRepository
from app.data.contacts import official_lines
from app.data.family import FamilyRepository, PayRequestsRepository
from app.data.speech import NoSpeechPlayer, SpeechPlayer, SpeechRepository
from app.data.storage import SettingsStore
from app.data.student import StudentRepository
from app.ui.accounts.view_model import (AccountNumberViewModel, AccountsViewModel, ChooseProviderViewModel,
                                        LinkProgressViewModel)
from app.ui.bill.view_model import BillViewModel
from app.ui.core.i18n import I18n
from app.ui.core.screen_guard import ScreenGuard
from app.ui.family.add_person_view_model import VIETNAM, AddPersonViewModel
from app.ui.family.view_model import FamilyViewModel, ReceivedInvitationsViewModel
from app.ui.guided.mode import GuidedMode
from app.ui.guided.read_aloud import ReadAloudViewModel
from app.ui.guidance.view_model import ArticleViewModel, GuidanceViewModel
from app.ui.home.view_model import HomeViewModel
from app.ui.notifications.view_model import InboxViewModel, NotificationCenter, NotificationSettingsViewModel
from app.ui.pay.view_model import ChooseMethodViewModel, ConfirmLinkedViewModel, ConfirmPaymentViewModel
from app.ui.payment.view_model import POLL_INTERVAL, PaymentViewModel
from app.ui.scan.camera_view_model import CameraViewModel
from app.ui.scan.view_model import ScanViewModel
from app.ui.security.kit import SecurityKit
from app.ui.session.view_model import SessionViewModel
from app.ui.settings.view_model import SettingsViewModel
from app.ui.share.view_model import OpenPayRequestViewModel, ShareBillViewModel
from app.ui.sign_in.view_model import SignInViewModel
from app.ui.student.view_model import StudentViewModel


@dataclass
class Services:
    i18n: I18n
    session: SessionViewModel
    auth: AuthRepository
    bills: BillsRepository
    settings_store: SettingsStore
    apply_locale: Callable[[str], None]
    open_url: Callable[[str], Awaitable[None]]
    payments: PaymentsRepository
    registry: RegistryRepository
    reports: ReportsRepository
    permissions: object = None  # flet_permission_handler.PermissionHandler where the client has it
    accounts: AccountsRepository = None
    poll_interval: float = POLL_INTERVAL
    scan: ScanViewModel = None  # one scan task per session: its screens share what was read
    security: SecurityKit = None  # PIN, lock, biometrics, inactivity, devices (app/ui/security/kit.py)
    notifications: NotificationCenter = None  # one per session: unread count, live updates, banner
    guidance: GuidanceRepository = None  # anti-scam guidance: bundled, newest copy from the server kept
    brakes: BrakesRepository = None  # issue 7: how each brake ended, recorded on the server
    wall_clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)  # "today" in the inbox; tests set it
    family: FamilyRepository = None  # issue 8: members and invitations
    pay_requests: PayRequestsRepository = None  # "Nhờ người thân trả"
    students: StudentRepository = None  # a student's own login
    report_draft: object = None  # the scam report being written (app/ui/report/view_model.py); gone on sign-out
    guided: GuidedMode = None  # issue 8: large text, one step per screen, help button, read-aloud
    speech: SpeechRepository = None
    speech_player: SpeechPlayer = field(default_factory=NoSpeechPlayer)
    screen_guard: ScreenGuard = field(default_factory=ScreenGuard)  # no captures of payments and PINs
    _followers: weakref.WeakSet = field(default_factory=weakref.WeakSet, repr=False)

    def __post_init__(self) -> None:
        self.reset_scan()

    def reset_scan(self) -> None:
        """A new session starts with nothing scanned (nothing of the previous user stays)."""
        self.scan = ScanViewModel(registry=self.registry, bills=self.bills, reports=self.reports, brakes=self.brakes)

    def camera_vm(self) -> CameraViewModel:
        return CameraViewModel(permissions=self.permissions)

    def sign_in_vm(self) -> SignInViewModel:
        return SignInViewModel(auth=self.auth, session=self.session)

    def home_vm(self) -> HomeViewModel:
        return HomeViewModel(bills=self.bills, payments=self.payments, notifications=self.notifications)

    def inbox_vm(self) -> InboxViewModel:
        return InboxViewModel(repository=self.notifications.repository, center=self.notifications,
                              clock=self.wall_clock)

    def notification_settings_vm(self) -> NotificationSettingsViewModel:
        return NotificationSettingsViewModel(repository=self.notifications.repository)

    def bill_vm(self, bill_id: str) -> BillViewModel:
        return BillViewModel(bills=self.bills, bill_id=bill_id)

    def choose_method_vm(self, bill_id: str) -> ChooseMethodViewModel:
        return ChooseMethodViewModel(bills=self.bills, payments=self.payments, bill_id=bill_id,
                                     accounts=self.accounts)

    def confirm_payment_vm(self, bill_id: str, method: str) -> ConfirmPaymentViewModel:
        user = self.session.user
        return ConfirmPaymentViewModel(bills=self.bills, payments=self.payments, bill_id=bill_id, method=method,
                                       payer_name=(user.full_name or user.phone) if user else "")

    def confirm_linked_vm(self, bill_id: str, source_id: str) -> ConfirmLinkedViewModel:
        user = self.session.user
        return ConfirmLinkedViewModel(bills=self.bills, payments=self.payments, accounts=self.accounts,
                                      bill_id=bill_id, source_id=source_id,
                                      payer_name=(user.full_name or user.phone) if user else "")

    def payment_vm(self, payment_id: str) -> PaymentViewModel:
        vm = PaymentViewModel(payments=self.payments, payment_id=payment_id, open_url=self.open_url,
                              interval=self.poll_interval)
        self._followers.add(vm)
        return vm

    def accounts_vm(self) -> AccountsViewModel:
        return AccountsViewModel(accounts=self.accounts)

    def choose_provider_vm(self, kind: str) -> ChooseProviderViewModel:
        return ChooseProviderViewModel(kind=kind)

    def account_number_vm(self, kind: str, provider: str) -> AccountNumberViewModel:
        return AccountNumberViewModel(accounts=self.accounts, kind=kind, provider=provider)

    def link_progress_vm(self, link_id: str) -> LinkProgressViewModel:
        vm = LinkProgressViewModel(accounts=self.accounts, link_id=link_id, open_url=self.open_url,
                                   interval=self.poll_interval)
        self._followers.add(vm)
        return vm

    def stop_background(self) -> None:
        """When the page closes: screens that follow a payment stop asking."""
        for vm in list(self._followers):
            vm.stop()
        if self.notifications is not None:
            self.notifications.stop()

    def guidance_vm(self) -> GuidanceViewModel:
        return GuidanceViewModel(repository=self.guidance, guidance=self.guidance.cached())

    def article_vm(self, article_id: str) -> ArticleViewModel:
        return ArticleViewModel(repository=self.guidance, guidance=self.guidance.cached(), article_id=article_id)

    def read_aloud_vm(self) -> ReadAloudViewModel:
        return ReadAloudViewModel(speech=self.speech, player=self.speech_player)

    async def help_contacts(self) -> list[tuple[str, str]]:
        """What the help button offers besides the chosen relative (app/data/contacts.py)."""
        return await official_lines(self.bills, self.registry)

    def settings_vm(self) -> SettingsViewModel:
        return SettingsViewModel(i18n=self.i18n, store=self.settings_store, session=self.session,
                                 apply_locale=self.apply_locale)

    # -- issue 8: families, "Nhờ người thân trả", the student's own view -----------------------------

    def share_bill_vm(self, bill_id: str) -> ShareBillViewModel:
        return ShareBillViewModel(requests=self.pay_requests, bills=self.bills, bill_id=bill_id)

    def open_pay_request_vm(self, token: str) -> OpenPayRequestViewModel:
        return OpenPayRequestViewModel(requests=self.pay_requests, token=token, payments=self.payments)

    def family_vm(self, person_id: str) -> FamilyViewModel:
        return FamilyViewModel(family=self.family, bills=self.bills, person_id=person_id)

    def add_person_vm(self) -> AddPersonViewModel:
        """"Thêm con hoặc người thân": "today" (no birth date after it) is Vietnam's, by the app's clock."""
        return AddPersonViewModel(family=self.family, registry=self.registry,
                                  today=lambda: self.wall_clock().astimezone(VIETNAM).date())

    def received_invitations_vm(self) -> ReceivedInvitationsViewModel:
        return ReceivedInvitationsViewModel(family=self.family)

    def student_vm(self) -> StudentViewModel:
        """A student's own login (issue 8): only the /students/me routes, over the session's client."""
        return StudentViewModel(students=self.students)


ServicesContext = ft.create_context(None)
I18nContext = ft.create_context(I18n())


def use_services() -> Services:
    return ft.use_context(ServicesContext)


def use_i18n() -> I18n:
    """Subscribes the calling component to language changes."""
    return ft.use_context(I18nContext)
