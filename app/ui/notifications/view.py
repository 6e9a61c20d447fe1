"""Notifications: the bell, the inbox grouped by day, the banner while the app is open, and settings.
Render and forward events only; the view-models decide."""

from __future__ import annotations

import flet as ft

from app.models import Notification
from app.ui.core import theme
from app.ui.core.components import (app_bar, error_banner, icon_button, loading, notice_banner, primary_button,
                                    section_title, text_button)
from app.ui.core.failures import failure_text
from app.ui.core.hooks import use_load_when_shown
from app.ui.core.i18n import VIETNAM_TIME, I18n
from app.ui.core.routes import NOTIFICATION_SETTINGS_ROUTE, NOTIFICATIONS_ROUTE
from app.ui.core.services import use_i18n, use_services
from app.ui.notifications.view_model import DayGroup, InboxViewModel, NotificationCenter, NotificationSettingsViewModel
from domain.notifications import SMS_KINDS, bypasses_quiet_hours

# Icon and the theme colour's name, looked up when drawn (guided mode has its own palette).
_ICONS = {
    "new_bill": (ft.Icons.RECEIPT_LONG, "PRIMARY"),
    "due_soon": (ft.Icons.EVENT, "WARNING_TEXT"),
    "overdue": (ft.Icons.WARNING_AMBER, "DANGER"),
    "payment_succeeded": (ft.Icons.CHECK_CIRCLE, "OK"),
    "payment_failed": (ft.Icons.ERROR_OUTLINE, "DANGER"),
    "payment_resolved": (ft.Icons.TASK_ALT, "PRIMARY"),
    "bill_cleared": (ft.Icons.DONE_ALL, "OK"),
    "refund": (ft.Icons.CURRENCY_EXCHANGE, "PRIMARY"),
    "institution_alert": (ft.Icons.GPP_MAYBE, "DANGER"),
    "institution_announcement": (ft.Icons.CAMPAIGN, "PRIMARY"),
    "report_update": (ft.Icons.SHIELD_OUTLINED, "PRIMARY"),
    "family_invitation": (ft.Icons.FAMILY_RESTROOM, "PRIMARY"),
    "please_pay": (ft.Icons.VOLUNTEER_ACTIVISM, "WARNING_TEXT"),
}


def _icon(kind: str) -> tuple:
    icon, colour = _ICONS.get(kind, (ft.Icons.NOTIFICATIONS, "PRIMARY"))
    return icon, getattr(theme, colour)


def kind_label(i18n: I18n, kind: str) -> str:
    t = i18n.t
    labels = {
        "new_bill": t("New bills"),
        "due_soon": t("Bills due soon"),
        "overdue": t("Overdue bills"),
        "payment_succeeded": t("Successful payments"),
        "payment_failed": t("Failed payments"),
        "payment_resolved": t("Payments confirmed by the bank later"),
        "bill_cleared": t("Bills closed by the school or hospital"),
        "refund": t("Refunds"),
        "institution_alert": t("Warnings from schools and hospitals"),
        "institution_announcement": t("Announcements from schools and hospitals"),
        "report_update": t("Answers to my scam reports"),
        "family_invitation": t("Invitations to a family"),
        "please_pay": t("Requests to pay from my children"),
    }
    return labels.get(kind, kind)


def bell_label(i18n: I18n, unread: int) -> str:
    t = i18n.t
    return t("Notifications ({count} unread)", count=unread) if unread else t("Notifications")


def bell_button(i18n: I18n, unread: int, on_click) -> ft.Control:
    """The home screen's bell: the unread count on it and in its accessible name."""
    badge = ft.Badge(label="99+" if unread > 99 else str(unread), bgcolor=theme.DANGER, text_color=theme.ON_PRIMARY,
                     label_visible=unread > 0)
    return ft.Semantics(
        content=ft.IconButton(ft.Icons.NOTIFICATIONS, tooltip=bell_label(i18n, unread), key="open-notifications",
                              on_click=on_click, icon_color=theme.ON_PRIMARY, badge=badge),
        label=bell_label(i18n, unread), button=True, identifier="open-notifications",
    )


def verified_badge(i18n: I18n, key: str | None = None) -> ft.Control:
    return ft.Container(ft.Row([ft.Icon(ft.Icons.VERIFIED, color=theme.OK, size=18),
                                ft.Text(i18n.t("Verified institution"), color=theme.OK, size=theme.BODY - 2,
                                        weight=ft.FontWeight.W_600)], tight=True, spacing=4),
                        bgcolor=theme.OK_BG, padding=ft.Padding.symmetric(horizontal=8, vertical=4), border_radius=12,
                        key=key)


# -- the banner while the app is open ---------------------------------------------------------------

def notification_banner(i18n: I18n, center: NotificationCenter, on_open, on_dismiss) -> ft.Banner | None:
    """Non-modal, at the top, no focus taken; it goes away by itself (the centre's timer) or on "Close"."""
    n = center.banner
    if n is None:
        return None
    t = i18n.t
    icon, colour = _icon(n.kind)
    lines: list[ft.Control] = [ft.Text(n.title, size=theme.BODY + 1, weight=ft.FontWeight.BOLD,
                                       key="notification-banner-title")]
    if n.body:
        lines.append(ft.Text(n.body, size=theme.BODY, key="notification-banner-body"))
    if n.verified:
        lines.append(verified_badge(i18n))
    actions: list[ft.Control] = []
    if n.bill_id or n.payment_id:
        actions.append(text_button(t("Open"), on_open, key="notification-banner-open", disabled=center.opening))
    actions.append(text_button(t("Close"), on_dismiss, key="notification-banner-close"))
    return ft.Banner(key="notification-banner", leading=ft.Icon(icon, color=colour, size=32),
                     content=ft.Column(lines, spacing=4, tight=True), actions=actions, bgcolor=theme.PRIMARY_BG,
                     on_dismiss=lambda _e, n=n: center.dismissed(n))


# -- the inbox -----------------------------------------------------------------------------------------

@ft.component
def InboxScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.inbox_vm)
    center, _ = ft.use_state(lambda: services.notifications)
    use_load_when_shown(vm.load, vm.items is not None)
    ft.use_effect(lambda: vm.merge(center.recent), [center.received])
    page = ft.context.page
    t = i18n.t

    async def open_one(n: Notification):
        route = await vm.open(n)
        if route:
            page.navigate(route)

    body: list[ft.Control] = []
    if vm.items is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="inbox-error", on_retry=vm.load,
                                     retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading your notifications…"), key="inbox-loading"))
    else:
        if vm.stale and vm.fetched_at is not None:
            body.append(notice_banner(
                t("No connection. Showing notifications as of {time}.", time=i18n.time(vm.fetched_at)),
                key="inbox-stale", on_retry=vm.load, retry_text=t("Try again")))
        if not vm.items:
            body.append(ft.Text(t("No notifications yet. Payment results, new bills and reminders will appear "
                                  "here."), size=theme.BODY, key="inbox-empty"))
        if vm.any_unread:
            body.append(ft.Row([text_button(t("Mark all as read"), vm.mark_all_read, key="mark-all-read",
                                            disabled=vm.marking_all)], alignment=ft.MainAxisAlignment.END))
        for group in vm.groups:
            body.append(_day(i18n, group, vm, open_one))
        if vm.action_error is not None:
            body.append(error_banner(failure_text(i18n, vm.action_error), key="inbox-action-error"))
        if vm.next_before:
            body.append(primary_button(t("Show older notifications"), vm.load_more, key="inbox-more",
                                       busy=vm.loading_more))

    return ft.View(
        route=ft.use_view_path() or NOTIFICATIONS_ROUTE,
        appbar=app_bar(t("Notifications"), actions=[
            icon_button(ft.Icons.SETTINGS, t("Notification settings"),
                        lambda: page.navigate(NOTIFICATION_SETTINGS_ROUTE), key="inbox-settings",
                        color=theme.ON_PRIMARY)]),
        controls=[ft.Column(body, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def _day_title(i18n: I18n, group: DayGroup) -> str:
    if group.when == "today":
        return i18n.t("Today")
    if group.when == "yesterday":
        return i18n.t("Yesterday")
    return i18n.date(group.day)


def _day(i18n: I18n, group: DayGroup, vm: InboxViewModel, open_one) -> ft.Control:
    rows: list[ft.Control] = [ft.Text(_day_title(i18n, group), size=theme.BODY + 2, weight=ft.FontWeight.BOLD,
                                      key=f"day-{group.day.isoformat()}")]
    rows += [_tile(i18n, n, vm, open_one) for n in group.items]
    return ft.Column(rows, spacing=4, key=f"day-group-{group.day.isoformat()}")


def _tile(i18n: I18n, n: Notification, vm: InboxViewModel, open_one) -> ft.Control:
    t = i18n.t
    icon, colour = _icon(n.kind)
    when = i18n.time(n.created_at.astimezone(VIETNAM_TIME))
    details: list[ft.Control] = []
    if n.body:
        details.append(ft.Text(n.body, size=theme.BODY, key=f"notification-{n.id}-body"))
    meta = " · ".join(x for x in (when, n.institution_name or "") if x)
    details.append(ft.Text(meta, size=theme.BODY - 2, color=theme.MUTED))
    if n.verified:
        details.append(verified_badge(i18n, key=f"notification-{n.id}-verified"))
    if not n.read:
        details.append(ft.Text(t("Unread"), size=theme.BODY - 2, color=theme.PRIMARY, weight=ft.FontWeight.W_600,
                               key=f"notification-{n.id}-unread"))

    async def tap():
        await open_one(n)

    return ft.ListTile(
        key=f"notification-{n.id}",
        leading=ft.Icon(icon, color=colour, size=28),
        title=ft.Text(n.title, size=theme.BODY + 1,
                      weight=ft.FontWeight.BOLD if not n.read else ft.FontWeight.NORMAL,
                      key=f"notification-{n.id}-title"),
        subtitle=ft.Column(details, spacing=2, tight=True),
        on_click=tap,
        disabled=vm.opening is not None,
        min_height=theme.MIN_TOUCH + 24,
        bgcolor=theme.PRIMARY_BG if not n.read else None,
    )


# -- settings ----------------------------------------------------------------------------------------

@ft.component
def NotificationSettingsScreen() -> ft.View:
    services = use_services()
    i18n = use_i18n()
    vm, _ = ft.use_state(services.notification_settings_vm)
    use_load_when_shown(vm.load, vm.prefs is not None)
    t = i18n.t

    body: list[ft.Control] = []
    if vm.prefs is None:
        if vm.error is not None:
            body.append(error_banner(failure_text(i18n, vm.error), key="notification-settings-error",
                                     on_retry=vm.load, retry_text=t("Try again")))
        else:
            body.append(loading(t("Loading…"), key="notification-settings-loading"))
    else:
        body += _settings(i18n, vm)

    return ft.View(
        route=ft.use_view_path() or NOTIFICATION_SETTINGS_ROUTE,
        appbar=app_bar(t("Notification settings")),
        controls=[ft.Column(body, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)],
        padding=16,
        scroll=ft.ScrollMode.AUTO,
    )


def _settings(i18n: I18n, vm: NotificationSettingsViewModel) -> list[ft.Control]:
    t = i18n.t
    prefs = vm.prefs
    controls: list[ft.Control] = []
    if vm.stale:
        controls.append(notice_banner(t("No connection. These settings may be out of date."),
                                      key="notification-settings-stale", on_retry=vm.load, retry_text=t("Try again")))
    controls.append(ft.Text(t("Every notification is always in the app's inbox. Choose which ones also come as a "
                              "phone notification or an SMS."), size=theme.BODY, key="notification-settings-intro"))
    controls.append(section_title(t("What to send")))
    for k in prefs.kinds:
        kind = k.kind

        def on_push(e, kind=kind):
            vm.set_push(kind, _checked(e))

        def on_sms(e, kind=kind):
            vm.set_sms(kind, _checked(e))

        label = kind_label(i18n, kind)
        switches: list[ft.Control] = [
            ft.Switch(key=f"push-{kind}", label=t("Phone notification: {what}", what=label), value=k.push,
                      on_change=on_push, disabled=vm.saving, label_text_style=ft.TextStyle(size=theme.BODY))]
        if kind in SMS_KINDS or k.sms:
            switches.append(ft.Switch(key=f"sms-{kind}", label=t("SMS: {what}", what=label), value=k.sms,
                                      on_change=on_sms, disabled=vm.saving,
                                      label_text_style=ft.TextStyle(size=theme.BODY)))
        controls.append(ft.Column(switches, spacing=4, key=f"kind-{kind}"))
    controls.append(ft.Divider())
    controls.append(section_title(t("Quiet hours")))
    controls.append(ft.Text(t("No phone notifications or SMS between these times. Payment results still come at "
                              "once.") if any(bypasses_quiet_hours(k.kind) for k in prefs.kinds) else
                            t("No phone notifications or SMS between these times."), size=theme.BODY))
    choices = vm.quiet_choices()
    controls.append(ft.Row([
        ft.Dropdown(key="quiet-start", label=t("From"), value=prefs.quiet_start,
                    options=[ft.DropdownOption(key=c, text=c) for c in choices],
                    on_select=lambda e: vm.set_quiet_start(e.control.value), disabled=vm.saving, expand=True),
        ft.Dropdown(key="quiet-end", label=t("Until"), value=prefs.quiet_end,
                    options=[ft.DropdownOption(key=c, text=c) for c in choices],
                    on_select=lambda e: vm.set_quiet_end(e.control.value), disabled=vm.saving, expand=True),
    ], spacing=12))
    if prefs.people:
        controls.append(ft.Divider())
        controls.append(section_title(t("About whom")))
        for p in prefs.people:
            def on_person(e, person_id=p.id):
                vm.set_person_notified(person_id, _checked(e))

            controls.append(ft.Switch(key=f"notify-person-{p.id}",
                                      label=t("Notifications about {name}", name=p.full_name), value=not p.muted, on_change=on_person, disabled=vm.saving,
                                      label_text_style=ft.TextStyle(size=theme.BODY)))
    if vm.action_error is not None:
        controls.append(error_banner(_settings_failure(i18n, vm.action_error),
                                     key="notification-settings-save-error"))
    if vm.saved and not vm.changed:
        controls.append(ft.Text(t("Saved."), size=theme.BODY, color=theme.OK, key="notification-settings-saved"))
    controls.append(primary_button(t("Save"), vm.save, key="save-notification-settings", busy=vm.saving,
                                   disabled=not vm.changed))
    return controls


def _checked(e) -> bool:
    """The switch's new state as the client sent it with the change."""
    data = e.data
    if isinstance(data, bool):
        return data
    if isinstance(data, str) and data in ("true", "false"):
        return data == "true"
    return bool(e.control.value)


def _settings_failure(i18n: I18n, failure) -> str:
    t = i18n.t
    if failure.code == "quiet_hours_invalid":
        return t("These quiet hours cannot be used. Choose a start and an end time.")
    if failure.code == "person_not_in_family":
        return t("This person is no longer in your family. Reload the settings.")
    if failure.code == "unknown_kind":
        return t("These settings are out of date. Reload them and try again.")
    return failure_text(i18n, failure)
