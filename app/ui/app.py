"""The root component: signed out -> the sign-in screen; signed in -> the routed screens."""

from __future__ import annotations

import flet as ft

from app.ui.accounts.view import AccountNumberScreen, AccountsScreen, ChooseProviderScreen, LinkProgressScreen
from app.ui.bill.view import BillScreen
from app.ui.core.hooks import use_passing_dialog
from app.ui.core.i18n import I18n
from app.ui.core.services import I18nContext, Services, ServicesContext
from app.ui.family.add_person import AddPersonScreen
from app.ui.family.view import FamilyScreen
from app.ui.guided.view import GuidedChoiceScreen
from app.ui.guidance.view import ArticleScreen, ChecklistScreen, GuidanceScreen
from app.ui.home.view import HomeScreen
from app.ui.notifications.view import InboxScreen, NotificationSettingsScreen, notification_banner
from app.ui.register.view import CheckScreen
from app.ui.report.view import MyReportsScreen, ScamReportScreen
from app.ui.pay.view import ChooseMethodScreen, ConfirmLinkedScreen, ConfirmPaymentScreen
from app.ui.payment.view import PaymentScreen
from app.ui.session.view_model import SessionViewModel
from app.ui.scan.camera_view import CameraScreen
from app.ui.scan.view import ReportScreen, ScanResultScreen, ScanScreen
from app.ui.security.view import ChangePinScreen, DevicesScreen, LockScreen, PinSetupScreen, inactivity_dialog
from app.ui.settings.view import SettingsScreen
from app.ui.share.view import PayRequestScreen, ShareBillScreen
from app.ui.sign_in.view import SignInScreen
from app.ui.student.view import StudentHomeScreen, StudentSettingsScreen

# Each level is a view on the stack, so Back walks up the path: a payment sits above its bill
# (not above the confirm screen), so Back after paying lands on the bill, never on "Confirm and pay".
ROUTES = [
    ft.Route(path="/", component=HomeScreen, children=[
        ft.Route(path="bills/:bill_id", component=BillScreen, children=[
            ft.Route(path="pay", component=ChooseMethodScreen, children=[
                ft.Route(path="account/:source_id", component=ConfirmLinkedScreen),
                ft.Route(path=":method", component=ConfirmPaymentScreen),
            ]),
            ft.Route(path="payments/:payment_id", component=PaymentScreen),
            ft.Route(path="share", component=ShareBillScreen),  # "Nhờ người thân trả"
        ]),
        ft.Route(path="payments/:payment_id", component=PaymentScreen),  # a link to a payment alone
        ft.Route(path="family/add", component=AddPersonScreen),  # before family/:person_id, which would take it
        ft.Route(path="family/:person_id", component=FamilyScreen),
        ft.Route(path="r/:token", component=PayRequestScreen, children=[  # a relative's pay request link
            ft.Route(path="payments/:payment_id", component=PaymentScreen),
        ]),
        ft.Route(path="notifications", component=InboxScreen, children=[  # opened from the inbox: Back returns to it
            ft.Route(path="bills/:bill_id", component=BillScreen),
            ft.Route(path="payments/:payment_id", component=PaymentScreen),
        ]),
        ft.Route(path="settings", component=SettingsScreen, children=[
            ft.Route(path="notifications", component=NotificationSettingsScreen),
            ft.Route(path="pin", component=ChangePinScreen),
            ft.Route(path="devices", component=DevicesScreen),
        ]),
        ft.Route(path="accounts", component=AccountsScreen, children=[
            ft.Route(path="link/:kind", component=ChooseProviderScreen, children=[
                ft.Route(path=":provider", component=AccountNumberScreen),
            ]),
            ft.Route(path="links/:link_id", component=LinkProgressScreen),
        ]),
        ft.Route(path="guidance", component=GuidanceScreen, children=[
            ft.Route(path="checklist", component=ChecklistScreen),
            ft.Route(path=":article_id", component=ArticleScreen),
        ]),
        ft.Route(path="scan", component=ScanScreen, children=[
            ft.Route(path="camera", component=CameraScreen),
            ft.Route(path="result", component=ScanResultScreen, children=[
                ft.Route(path="report", component=ReportScreen),
                ft.Route(path="scam-report", component=ScamReportScreen),  # Back returns to the stop screen
            ]),
        ]),
        ft.Route(path="report", component=ScamReportScreen, children=[
            ft.Route(path="mine", component=MyReportsScreen),
        ]),
        ft.Route(path="check", component=CheckScreen, children=[
            ft.Route(path="report", component=ScamReportScreen),
        ]),
    ]),
]

# A student's own login (issue 8) has its own small route set: no bills, payments, accounts or family screens
# exist in it, so no link or typed address can reach them (the server refuses them to students as well).
STUDENT_ROUTES = [
    ft.Route(path="/", component=StudentHomeScreen, children=[
        ft.Route(path="settings", component=StudentSettingsScreen),
    ]),
]


def which_screen(guided, session: SessionViewModel) -> str:
    """What the app shows instead of, or as, the routed screens."""
    if guided is not None and guided.asked is False:
        return "guided_choice"
    if session.status == "signed_in":
        if session.user is not None and not session.user.has_pin:
            return "pin_setup"
        if session.locked:
            return "lock"
        if session.user is not None and session.user.is_student:
            return "student"
        return "routes"
    return "starting" if session.status == "starting" else "sign_in"


@ft.component
def App(services: Services, session: SessionViewModel, i18n: I18n):
    inactivity, _ = ft.use_state(lambda: services.security.inactivity)
    ft.use_dialog(inactivity_dialog(i18n, inactivity))
    center, _ = ft.use_state(lambda: services.notifications)
    guided, _ = ft.use_state(lambda: services.guided)  # switching it re-renders every screen in the new look
    # New notifications are followed while someone is signed in and the app is unlocked (a banner on the
    # lock screen would tell anyone holding the phone about the family's payments).
    following = (session.status == "signed_in" and not session.locked
                 and (session.user is None or session.user.has_pin))
    ft.use_effect(lambda: center.follow(following), [following])

    async def open_banner():
        route = await center.open_banner()
        if route:
            ft.context.page.navigate(route)

    use_passing_dialog(notification_banner(i18n, center, open_banner, center.dismiss_banner) if following else None)

    screen = which_screen(guided, session)
    # Payment details and PINs stay out of screenshots (app/ui/core/screen_guard.py decides which).
    ft.use_effect(lambda: services.screen_guard.show(screen), [screen])

    def tree():
        if screen == "guided_choice":
            return [GuidedChoiceScreen()]  # the very first launch: large text and one step at a time?
        if screen == "pin_setup":
            return [PinSetupScreen()]  # the first sign-in: a PIN before anything else
        if screen == "lock":
            return [LockScreen()]
        if screen == "student":
            return ft.Router(STUDENT_ROUTES, manage_views=True, not_found=StudentHomeScreen)
        if screen == "routes":
            return ft.Router(ROUTES, manage_views=True, not_found=HomeScreen)
        if screen == "starting":
            return [ft.View(route="/", controls=[ft.ProgressRing(key="starting")],
                            vertical_alignment=ft.MainAxisAlignment.CENTER,
                            horizontal_alignment=ft.CrossAxisAlignment.CENTER)]
        return [SignInScreen()]

    return ServicesContext(services, lambda: I18nContext(i18n, tree))
