"""Composition root: build storage, API client, repositories and view-models; start the UI."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable

import flet as ft

from app.config import load_config
from app.data.accounts import AccountsRepository
from app.data.api import ApiClient
from app.data.auth import AuthRepository
from app.data.bills import BillsRepository
from app.data.brakes import BrakesRepository
from app.data.guidance import GuidanceRepository
from app.data.notifications import (LiveSource, LiveUpdates, NotificationsRepository, PollingUpdates,
                                    SseUpdates)
from app.data.push import FirebasePushTokens, NoPushTokens, PushTokenSource
from app.data.screen_shield import FletScreenShield, NoScreenShield, ScreenShield
from app.data.payments import PaymentsRepository
from app.data.registry import RegistryRepository
from app.data.reports import ReportsRepository
from app.data.security import LocalAuthBiometrics, SecurityRepository
from app.data.storage import (MemorySecretStore, MemoryTokenStore, SecretStore, SecureStorageSecretStore,
                              SecureStorageTokenStore, SettingsStore, SharedPreferencesStore, TokenStore,
                              keyring_available, KeyringTokenStore)
from app.ui.app import App
from app.ui.core import flet_fixes
from app.ui.core.i18n import BABEL, I18n
from app.ui.core.screen_guard import ScreenGuard
from app.ui.core.services import Services
from app.data.family import FamilyRepository, PayRequestsRepository
from app.data.speech import FletAudioPlayer, NoSpeechPlayer, SpeechRepository
from app.data.student import StudentRepository
from app.ui.core import theme
from app.ui.guided.mode import GuidedMode
from app.ui.security.view_model import WARNING_SECONDS

GUIDED_WARNING_SECONDS = 120
from app.ui.notifications.view_model import NotificationCenter
from app.ui.security.kit import SecurityKit
from app.ui.session.view_model import SessionViewModel
from app.ui.settings.view_model import LANG_KEY

log = logging.getLogger("dongphi.app")


def _token_store(page: ft.Page) -> TokenStore:
    """Secure storage where the built app carries the extension (phones, `flet build web`);
    keyring on desktops; memory for the development web server, whose stock client lacks extensions."""
    if page.platform.is_mobile() or sys.platform == "emscripten":
        import flet_secure_storage as fss
        return SecureStorageTokenStore(fss.SecureStorage())
    if not page.web and keyring_available():
        return KeyringTokenStore()
    log.warning("session token kept in memory only: it ends when the app or browser tab closes")
    return MemoryTokenStore()


def _on_phone(page: ft.Page) -> bool:
    """Built phone apps carry the secure-storage and local-auth extensions; the stock web client does not."""
    return page.platform.is_mobile() and not page.web


def _secret_store(page: ft.Page) -> SecretStore:
    if _on_phone(page):
        import flet_secure_storage as fss
        return SecureStorageSecretStore(fss.SecureStorage())
    return MemorySecretStore()


def _biometrics(page: ft.Page):
    if _on_phone(page):
        import flet_local_auth as fla
        return LocalAuthBiometrics(fla.LocalAuthentication())
    return None


def _speech_player(page: ft.Page):
    """flet-audio is in the phone builds only; the stock web and desktop clients would never answer."""
    if page.platform.is_mobile() and not page.web:
        return FletAudioPlayer()
    return NoSpeechPlayer()


def _permission_handler(page: ft.Page):
    """Camera permission on phones only: the stock web and desktop clients do not carry the extension."""
    if page.platform.is_mobile() and not page.web:
        import flet_permission_handler as fph
        return fph.PermissionHandler()
    return None


def _screen_shield(page: ft.Page) -> ScreenShield:
    """Our extension (flet-dongphi-device) is in the phone builds only; desktop and web cannot stop captures."""
    if _on_phone(page):
        import flet_dongphi_device as fdd
        return FletScreenShield(fdd.ScreenShield())
    return NoScreenShield()


def _push_tokens(page: ft.Page, firebase: dict[str, str]) -> PushTokenSource:
    """FCM on phones, configured from flet.toml ([environments.<env>.firebase]); no push elsewhere."""
    if not _on_phone(page):
        return NoPushTokens()
    import flet_dongphi_device as fdd
    platform = "ios" if page.platform == ft.PagePlatform.IOS else "android"
    options = None
    if firebase.get(f"{platform}_app_id") and firebase.get(f"{platform}_api_key"):
        options = fdd.FirebaseOptions(api_key=firebase[f"{platform}_api_key"], app_id=firebase[f"{platform}_app_id"],
                                      messaging_sender_id=firebase.get("messaging_sender_id", ""),
                                      project_id=firebase.get("project_id", ""),
                                      ios_bundle_id=firebase.get("ios_bundle_id") or None)
    return FirebasePushTokens(fdd.PushMessaging(firebase_options=options), platform)


def locale_of(lang: str) -> ft.Locale:
    language, country = BABEL[lang].split("_")
    return ft.Locale(language, country)


def live_updates(api: ApiClient, repository: NotificationsRepository) -> LiveSource:
    """Server-sent events over the real connection, polling when the stream fails or is not there."""
    return LiveUpdates(sse=SseUpdates(api), polling=PollingUpdates(repository))


async def start(page: ft.Page, *, tokens: TokenStore | None = None, settings: SettingsStore | None = None,
                api_base_url: str | None = None, transport=None, secrets: SecretStore | None = None,
                biometrics=None, clock=None,
                live: Callable[[ApiClient, NotificationsRepository], LiveSource] = live_updates,
                push: PushTokenSource | None = None, screen_shield: ScreenShield | None = None) -> Services:
    """Builds everything for one page (one user session) and renders it; tests pass memory stores and
    `live` (polling: the in-process test transport cannot stream)."""
    flet_fixes.apply()
    config = load_config()
    tokens = tokens or _token_store(page)
    settings = settings or SharedPreferencesStore(ft.SharedPreferences())
    i18n = I18n(lang=config.default_locale)

    session_ref: list[SessionViewModel] = []

    async def on_unauthorized():
        await session_ref[0].expired(api.last_unauthorized_code)

    api = ApiClient(api_base_url or config.api_base_url, tokens.read, on_unauthorized=on_unauthorized,
                    transport=transport)
    auth = AuthRepository(api, tokens, device_name=f"Đóng Phí ({page.platform.value})")
    bills = BillsRepository(api)
    payments = PaymentsRepository(api, settings)
    accounts = AccountsRepository(api)
    notifications_repo = NotificationsRepository(api)
    notifications = NotificationCenter(repository=notifications_repo, live=live(api, notifications_repo),
                                       push=push or _push_tokens(page, config.firebase))
    session = SessionViewModel(auth=auth, bills=bills, payments=payments, accounts=accounts)
    session_ref.append(session)
    launcher = ft.UrlLauncher()
    permissions = _permission_handler(page)

    def apply_locale(lang: str) -> None:
        page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[locale_of(code) for code in BABEL], current_locale=locale_of(lang))
        page.update()

    async def open_url(url: str) -> None:
        await launcher.launch_url(url)

    services = Services(i18n=i18n, session=session, auth=auth, bills=bills, settings_store=settings,
                        apply_locale=apply_locale, open_url=open_url, payments=payments,
                        registry=RegistryRepository(api, settings), reports=ReportsRepository(api),
                        permissions=permissions, accounts=accounts, notifications=notifications,
                        guidance=GuidanceRepository(api, settings), brakes=BrakesRepository(api),
                        speech=SpeechRepository(api), speech_player=_speech_player(page),
                        family=FamilyRepository(api), pay_requests=PayRequestsRepository(api),
                        students=StudentRepository(api),
                        screen_guard=ScreenGuard(screen_shield or _screen_shield(page), route=page.route))

    def apply_guided(on: bool) -> None:
        theme.set_guided(page, on)
        # No timer that hurries: in guided mode the app waits twice as long before signing out for
        # inactivity, and gives two minutes, not thirty seconds, to answer "Bạn vẫn đang dùng chứ?".
        kit.inactivity.timeout = config.inactivity_minutes * 60 * (2 if on else 1)
        kit.inactivity.warning_seconds = GUIDED_WARNING_SECONDS if on else WARNING_SECONDS
        page.update()
        # Every screen reads the language context: nudging it re-renders them all in the new size.
        i18n.notify()

    services.guided = GuidedMode(store=settings, apply=apply_guided)
    secrets = secrets or _secret_store(page)
    biometrics = biometrics if biometrics is not None else _biometrics(page)
    kit = services.security = SecurityKit(security=SecurityRepository(api, secrets), auth=auth, session=session,
                                          settings_store=settings, biometrics=biometrics,
                                          inactivity_minutes=config.inactivity_minutes,
                                          **({"clock": clock} if clock is not None else {}))

    def on_signed_out() -> None:
        services.reset_scan()
        services.report_draft = None
        notifications.forget()
        asyncio.get_running_loop().create_task(kit.forget_device_key())  # the key was this session's

    notifications.navigate = page.navigate
    session.on_signed_out = on_signed_out
    session.before_sign_out = notifications.before_sign_out
    _watch_the_owner(page, kit, api)
    _follow_routes(page, services.screen_guard)
    page.data = {"services": services, "keep": [tokens, settings, launcher, api, permissions, secrets,
                                                biometrics]}  # keep referenced
    page.on_close = lambda _e: (services.stop_background(), kit.inactivity.stop())
    page.title = "Đóng Phí"
    page.theme = theme.app_theme()
    page.theme_mode = ft.ThemeMode.LIGHT
    apply_locale(i18n.lang)
    # Render first: nothing the device is asked for may keep the first screen from appearing.
    page.render_views(App, services, session, i18n)
    saved = await settings.get(LANG_KEY)
    if saved in BABEL and saved != i18n.lang:
        i18n.set_lang(saved)
        apply_locale(saved)
    await services.guided.load()  # before the session: the first-launch question comes first
    await kit.load()  # lock-after choice, biometrics: the lock screen a restored session opens on needs them
    await session.restore()
    kit.inactivity.start()
    await notifications.open_launch_message()  # a tap on a notification started the app: its bill or receipt
    return services


# Control events only a person causes; lifecycle, resize and services' own events (a token refresh,
# audio state) are not someone using the app.
USER_EVENTS = frozenset({"change", "submit", "click", "tap", "long_press", "focus", "select", "view_pop"})


def _watch_the_owner(page: ft.Page, kit: SecurityKit, api: ApiClient) -> None:
    """Lock after time in the background (app lifecycle); count route changes, keys, typing and taps and
    the user's requests as activity for the inactivity sign-out."""
    page.on_app_lifecycle_state_change = lambda e: kit.autolock.on_lifecycle(e.state)
    page.on_keyboard_event = lambda _e: kit.inactivity.touch()
    api.on_activity = kit.inactivity.touch
    # The Router owns page.on_route_change (and does not chain), so route changes are seen here.
    before_event = page.before_event

    def watching_before_event(e):
        if isinstance(e, ft.RouteChangeEvent):
            kit.inactivity.touch()
        return before_event(e)

    object.__setattr__(page, "before_event", watching_before_event)
    # Typing, taps and Back reach the server as control events (typing sends no request of its own).
    session = page.session
    dispatch = session.dispatch_event

    async def watching_dispatch(control_id, event_name, event_data):
        # Services fire events of the same names (secure storage's "change"): only controls on screen count.
        if event_name in USER_EVENTS and not isinstance(session.index.get(control_id), ft.Service):
            kit.inactivity.touch()
        return await dispatch(control_id, event_name, event_data)

    object.__setattr__(session, "dispatch_event", watching_dispatch)


def _follow_routes(page: ft.Page, guard: ScreenGuard) -> None:
    """The screen guard hears every route change (the Router owns page.on_route_change)."""
    before_event = page.before_event

    def guarding_before_event(e):
        if isinstance(e, ft.RouteChangeEvent):
            guard.route_changed(e.route)
        return before_event(e)

    object.__setattr__(page, "before_event", guarding_before_event)


async def main(page: ft.Page) -> None:
    try:
        await start(page)
    except Exception:  # Flet drops a session's failure silently: leave a trace for whoever reads the log
        log.exception("the app could not start")
        raise


def run() -> None:
    """Desktop window where there is a display, otherwise a local web server (no CDN: works offline)."""
    port = int(os.environ.get("DONGPHI_APP_PORT", "8550"))
    web = os.environ.get("DONGPHI_APP_WEB") == "1" or not (os.environ.get("DISPLAY") or os.name == "nt"
                                                           or os.uname().sysname == "Darwin")
    assets = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets")
    if web:
        if os.environ.get("DONGPHI_OPEN_BROWSER") != "1":
            os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")  # serve only; never try to open a browser
        print(f"Đóng Phí app: open http://127.0.0.1:{port} in a browser", flush=True)
        ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=port, assets_dir=assets, no_cdn=True)
    else:
        ft.run(main, assets_dir=assets)
