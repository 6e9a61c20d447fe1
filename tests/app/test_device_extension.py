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
                "/accounts/link/bank/VCB", "/settings/pin",
                "/bills/b1/pay/vietqr?from=scan"]
    open_ = ["/", "/bills/b1", "/bills/b1/share", "/notifications", "/notifications/bills/b1", "/settings", "/scan",
             "/r/tok", "/guidance"]
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
    for method in ("request_permission", "get_token"):
        assert f'case "{method}":' in push
    assert 'triggerEvent("token_refresh"' in push and "on_token_refresh" in fdd.PushMessaging.__dataclass_fields__
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
