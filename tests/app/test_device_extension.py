"""Our Flet extension (extensions/flet-dongphi-device): the screen shield on payment and PIN screens, and the
FCM push token, with the services answered through the Flet protocol by the headless client."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import flet_dongphi_device as fdd
from sqlalchemy import select

from app.data.push import FirebasePushTokens
from app.data.screen_shield import FletScreenShield
from app.data.storage import MemorySettingsStore, MemoryTokenStore
from app.ui.core.screen_guard import is_protected
from server.notifications.models import DeviceToken
from tests.app.conftest import QUIET, close_session
from tests.app.flet_harness import Harness
from tests.app.test_payment_views import confirm_with, open_bill, routes

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extensions" / "flet-dongphi-device"
DART = EXTENSION / "src" / "flutter" / "flet_dongphi_device"
FIRST_TOKEN = "fcm-first-token-0123456789abcdef"
NEW_TOKEN = "fcm-refreshed-token-0123456789abcdef"


def shield_on(ui, fail: bool = False) -> list[str]:
    """The device's answers to the shield's calls; returns what it was asked, in order."""
    calls: list[str] = []

    def answer(name):
        def handler(_args):
            calls.append(name)
            if fail:
                raise RuntimeError("PlatformException(screen_protector): no window")
        return handler

    ui.conn.method_handlers.update({"protect": answer("protect"), "release": answer("release")})
    ui.services.screen_guard.shield = FletScreenShield(fdd.ScreenShield())
    return calls


async def test_pin_and_pay_screens_are_shielded_and_released_on_the_way_home(ui, server):
    calls = shield_on(ui)
    bill_id = await open_bill(ui, server)  # signs in: the first sign-in sets the app PIN, on a shielded screen
    assert calls == ["protect", "release"]
    calls.clear()
    await ui.click("pay-bill")
    await ui.wait_for(lambda: ui.has("method-vietqr"))
    assert calls == ["protect"]
    await ui.click("method-vietqr")
    await ui.wait_for(lambda: ui.has("confirm-pay"))
    assert calls == ["protect"]  # still shielded: nothing asked again
    ui.page.navigate("/")
    await ui.wait_for(lambda: routes(ui) == ["/"] and calls == ["protect", "release"])
    assert ui.has("total-due")
    ui.page.navigate(f"/bills/{bill_id}")
    await ui.settle()
    assert calls == ["protect", "release"]  # a bill's own screen is not one of them


async def test_a_failing_shield_does_not_break_the_payment(ui, server):
    calls = shield_on(ui, fail=True)
    await open_bill(ui, server)
    await confirm_with(ui, "vietqr")
    await ui.click("confirm-pay")
    await ui.wait_for(lambda: ui.has("payment-qr"))  # the payment goes on without the shield
    assert calls[-1] == "protect"
    ui.page.navigate("/")
    await ui.wait_for(lambda: ui.has("total-due") and calls[-1] == "release")


def test_which_routes_are_shielded():
    shielded = ["/bills/b1/pay", "/bills/b1/pay/vietqr", "/bills/b1/pay/account/s1", "/bills/b1/payments/p1",
                "/payments/p1", "/notifications/payments/p1", "/r/tok/payments/p1", "/accounts",
                "/accounts/link/bank/VCB", "/settings/pin", "/settings", "/r/tok",
                "/bills/b1/pay/vietqr?from=scan"]
    open_ = ["/", "/bills/b1", "/bills/b1/share", "/notifications", "/notifications/bills/b1", "/settings/devices",
             "/settings/notifications", "/scan", "/guidance"]
    assert all(is_protected("routes", r) for r in shielded)
    assert not any(is_protected("routes", r) for r in open_)
    assert is_protected("pin_setup", "/") and is_protected("lock", "/")
    assert not is_protected("sign_in", "/bills/b1/pay")  # signed out: nothing of the route is shown


# -- push ------------------------------------------------------------------------------------------

def push_device(h: Harness, permission: str = "authorized", token: str | None = FIRST_TOKEN) -> list[str]:
    asked: list[str] = []
    h.conn.method_handlers.update({
        "request_permission": lambda _a: asked.append("request_permission") or permission,
        "get_token": lambda _a: asked.append("get_token") or token,
    })
    return asked


async def test_firebase_tokens_ask_permission_first_then_give_the_token():
    h = Harness()
    try:
        asked = push_device(h)
        source = FirebasePushTokens(fdd.PushMessaging(), "android")
        assert await source.token() == FIRST_TOKEN
        assert asked == ["request_permission", "get_token"]
    finally:
        h.close()


async def test_firebase_tokens_are_none_when_refused_or_unavailable():
    for status in ("denied", "not_determined", "unavailable"):
        h = Harness()
        try:
            asked = push_device(h, permission=status)
            assert await FirebasePushTokens(fdd.PushMessaging(), "android").token() is None
            assert asked == ["request_permission"]  # no token asked for without the permission
        finally:
            h.close()


async def test_a_refreshed_token_is_registered_with_the_server_and_the_old_one_removed(transport, server):
    from app.main import start
    from tests.app.test_views import sign_in
    h = Harness()
    asked = push_device(h)
    messaging = fdd.PushMessaging()
    h.tokens = MemoryTokenStore()
    h.settings = MemorySettingsStore({"dongphi.guided_mode": "off"})
    h.services = await start(h.page, tokens=h.tokens, settings=h.settings, api_base_url="http://testserver",
                             transport=transport, live=QUIET, push=FirebasePushTokens(messaging, "android"))
    try:
        await sign_in(h, server)
        await h.wait_for(lambda: device_tokens(server) == {FIRST_TOKEN: "android"})
        assert asked == ["request_permission", "get_token"]
        await h.session.dispatch_event(messaging._i, "token_refresh", {"token": NEW_TOKEN})  # as the client fires it
        await h.wait_for(lambda: device_tokens(server) == {NEW_TOKEN: "android"})
    finally:
        close_session(h)


async def start_with_push(h, transport, messaging):
    from app.main import start
    h.tokens = MemoryTokenStore()
    h.settings = MemorySettingsStore({"dongphi.guided_mode": "off"})
    h.services = await start(h.page, tokens=h.tokens, settings=h.settings, api_base_url="http://testserver",
                             transport=transport, live=QUIET, push=FirebasePushTokens(messaging, "android"))


def new_bill_note(server, bill_id: str, phone: str = "+84912345678") -> str:
    """A notification about the bill in the user's inbox, as the reminder job would leave it."""
    import datetime as dt
    from server.auth.models import User
    from server.notifications.models import Notification
    with server.state.session_factory() as db:
        user_id = db.scalars(select(User.id).where(User.phone == phone)).one()
        note = Notification(user_id=user_id, kind="due_soon", dedupe_key=f"test:{bill_id}", title="Sắp đến hạn",
                            body="Hoá đơn sắp đến hạn", bill_id=bill_id, created_at=dt.datetime.now(dt.UTC))
        db.add(note)
        db.commit()
        return note.id


def read_at(server, note_id: str):
    from server.notifications.models import Notification
    with server.state.session_factory() as db:
        return db.get(Notification, note_id).read_at


async def test_tapping_a_system_notification_opens_its_bill_and_marks_it_read(transport, server):
    from tests.app.test_views import sign_in
    h = Harness()
    push_device(h)
    messaging = fdd.PushMessaging()
    await start_with_push(h, transport, messaging)
    try:
        await sign_in(h, server)
        await h.click("bill-HS0123-HK1-2627")
        await h.wait_for(lambda: h.has("pay-bill"))
        bill_id = h.page.route.split("/")[2]
        h.page.navigate("/")
        await h.wait_for(lambda: routes(h) == ["/"])
        note_id = new_bill_note(server, bill_id)
        # The client fires the event when the tap brings the app back from the background.
        await h.session.dispatch_event(messaging._i, "message_opened", {"payload": {
            "notification_id": note_id, "kind": "due_soon", "bill_id": bill_id, "payment_id": ""}})
        await h.wait_for(lambda: routes(h) == ["/", f"/bills/{bill_id}"] and h.has("pay-bill"))
        await h.wait_for(lambda: read_at(server, note_id) is not None)
        # A crafted message cannot steer the app: only ids are followed.
        await h.session.dispatch_event(messaging._i, "message_opened", {"payload": {"bill_id": "../settings/pin"}})
        await h.settle()
        assert routes(h) == ["/", f"/bills/{bill_id}"]
    finally:
        close_session(h)


async def test_a_notification_that_launched_the_app_opens_its_bill_after_signing_in(transport, server):
    from server.bills.models import Bill
    from tests.app.test_views import sign_in
    with server.state.session_factory() as db:
        bill_id = db.scalars(select(Bill.id).where(Bill.invoice_code == "HS0123-HK1-2627")).one()
    h = Harness()
    push_device(h)
    h.conn.method_handlers["initial_message"] = lambda _a: {"bill_id": bill_id, "kind": "due_soon"}
    await start_with_push(h, transport, fdd.PushMessaging())
    try:
        await h.wait_for(lambda: h.has("phone"))  # signed out: signing in comes first
        await sign_in(h, server, home=False)
        await h.wait_for(lambda: routes(h) == ["/", f"/bills/{bill_id}"] and h.has("pay-bill"))
    finally:
        close_session(h)


def test_only_ids_in_push_data_lead_anywhere():
    from app.ui.notifications.view_model import push_route
    assert push_route({"bill_id": "b-1", "payment_id": "p-1"}) == "/bills/b-1/payments/p-1"
    assert push_route({"bill_id": "b-1", "payment_id": ""}) == "/bills/b-1"
    assert push_route({"payment_id": "p-1"}) == "/payments/p-1"
    for bad in ({"bill_id": "../settings"}, {"bill_id": "b/1"}, {"bill_id": "x" * 65}, {}, None,
                {"bill_id": 7}, {"kind": "institution_announcement"}):
        assert push_route(bad) is None


def device_tokens(server) -> dict[str, str]:
    with server.state.session_factory() as db:
        return {row.token: row.platform for row in db.scalars(select(DeviceToken))}


# -- the package `flet build` installs ----------------------------------------------------------------

def test_the_app_depends_on_the_extension_and_flet_build_finds_it_here():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(re.match(r"flet-dongphi-device\b", d) for d in project["project"]["dependencies"])
    path = project["tool"]["flet"]["dev_packages"]["flet-dongphi-device"]
    extension = ROOT / project["tool"]["flet"]["app"]["path"] / path
    assert (extension / "pyproject.toml").is_file()
    assert tomllib.loads((extension / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"] \
        == "flet-dongphi-device"
    assert "extensions" in project["tool"]["flet"]["app"]["exclude"]  # not bundled as app code
    assert project["tool"]["flet"]["android"]["permission"]["android.permission.POST_NOTIFICATIONS"] is True
    assert project["tool"]["flet"]["ios"]["info"]["UIBackgroundModes"] == ["remote-notification"]


def test_the_built_package_carries_the_flutter_extension(tmp_path):
    """What the wheel packs (build_py): serious_python finds site-packages/flutter/<name>/pubspec.yaml."""
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                    "--build-lib", str(tmp_path)], cwd=EXTENSION, check=True, capture_output=True)
    built = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert {"flet_dongphi_device/__init__.py", "flet_dongphi_device/screen_shield.py",
            "flet_dongphi_device/push_messaging.py", "flutter/flet_dongphi_device/pubspec.yaml",
            "flutter/flet_dongphi_device/lib/flet_dongphi_device.dart",
            "flutter/flet_dongphi_device/lib/src/extension.dart",
            "flutter/flet_dongphi_device/lib/src/screen_shield.dart",
            "flutter/flet_dongphi_device/lib/src/push_messaging.dart"} <= built
    pubspec = (tmp_path / "flutter/flet_dongphi_device/pubspec.yaml").read_text(encoding="utf-8")
    assert re.search(r"^name: flet_dongphi_device$", pubspec, re.M)
    for plugin in ("screen_protector", "firebase_core", "firebase_messaging", "flet"):
        assert re.search(rf"^  {plugin}: \S", pubspec, re.M), plugin


def test_dart_and_python_agree_on_names():
    """The Dart side is compiled only by `flet build`: at least its names must match the Python side's."""
    extension = (DART / "lib/src/extension.dart").read_text(encoding="utf-8")
    shield = (DART / "lib/src/screen_shield.dart").read_text(encoding="utf-8")
    push = (DART / "lib/src/push_messaging.dart").read_text(encoding="utf-8")
    for python_type in (fdd.ScreenShield, fdd.PushMessaging):
        control_type = re.search(r'@control\("(\w+)"\)', Path(sys.modules[python_type.__module__].__file__)
                                 .read_text(encoding="utf-8"))[1]
        assert f'case "{control_type}":' in extension
    for method in ("protect", "release"):
        assert f'case "{method}":' in shield
    for method in ("request_permission", "get_token", "initial_message"):
        assert f'case "{method}":' in push
    for event in ("token_refresh", "message_opened"):
        assert f'triggerEvent("{event}"' in push and f"on_{event}" in fdd.PushMessaging.__dataclass_fields__
    statuses = set(re.findall(r'(?:return|=>) "(\w+)"', push))
    assert statuses == {s.value for s in fdd.PermissionStatus}
    assert "class Extension extends FletExtension" in extension
    assert (DART / "lib/flet_dongphi_device.dart").read_text(encoding="utf-8").count("show Extension") == 1


# -- the composition root's choice -------------------------------------------------------------------

FIREBASE_TOML = """
[app]
environment = "production"
[environments.production]
api_base_url = "https://api.dongphi.vn"
[environments.production.firebase]
project_id = "dongphi-prod"
messaging_sender_id = "123456789012"
android_app_id = "1:123456789012:android:abc"
android_api_key = "AIza-android"
ios_app_id = "1:123456789012:ios:def"
ios_api_key = "AIza-ios"
"""


async def test_phones_get_the_extension_configured_from_flet_toml(tmp_path):
    from app.config import load_config
    from app.data.push import NoPushTokens
    from app.data.screen_shield import NoScreenShield
    from app.main import _push_tokens, _screen_shield
    (tmp_path / "flet.toml").write_text(FIREBASE_TOML, encoding="utf-8")
    firebase = load_config(tmp_path / "flet.toml", env={}).firebase
    h = Harness()
    try:
        assert isinstance(_push_tokens(h.page, firebase), NoPushTokens)  # the web client has no extension
        assert isinstance(_screen_shield(h.page), NoScreenShield)
        for platform, key in (("android", "AIza-android"), ("ios", "AIza-ios")):
            h.session.apply_page_patch({"web": False, "platform": platform})
            push = _push_tokens(h.page, firebase)
            assert isinstance(push, FirebasePushTokens) and push.platform == platform
            options = push._messaging.firebase_options
            assert (options.api_key, options.project_id, options.messaging_sender_id) == \
                (key, "dongphi-prod", "123456789012")
            assert isinstance(_screen_shield(h.page), FletScreenShield)
        assert load_config(env={}).firebase == {}  # the repository's flet.toml: no push configured
    finally:
        h.close()
