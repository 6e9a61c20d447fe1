"""Security screens in a headless Flet session, wired to the real server app."""

from __future__ import annotations

import pytest_asyncio

from app.data.api import ApiClient
from app.data.auth import AuthRepository
from app.data.security import FakeBiometrics
from app.data.storage import MemorySecretStore, MemorySettingsStore, MemoryTokenStore
from tests.app.conftest import QUIET, latest_code
from tests.app.flet_harness import Harness
from tests.app.test_views import APP_PIN, sign_in

WRONG = "739146"


class Clock:
    def __init__(self, now: float = 10_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


async def start_app(transport, clock, *, tokens=None, secrets=None, biometrics=None, settings=None):
    from app.main import start
    h = Harness()
    h.tokens = tokens or MemoryTokenStore()
    h.settings = settings or MemorySettingsStore({"dongphi.guided_mode": "off"})
    h.secrets, h.clock = secrets or MemorySecretStore(), clock
    h.services = await start(h.page, tokens=h.tokens, settings=h.settings, api_base_url="http://testserver",
                             transport=transport, secrets=h.secrets, biometrics=biometrics, clock=clock, live=QUIET)
    kit = h.services.security
    kit.inactivity.stop()
    kit.inactivity.interval = 0.01  # the watch looks often; the clock says how much time went by
    kit.inactivity.start()
    await h.settle()
    return h


@pytest_asyncio.fixture
async def sui(transport):
    h = await start_app(transport, Clock())
    yield h
    h.services.security.inactivity.stop()
    h.close()


def tr(ui, msgid: str, **values) -> str:
    """What the app shows for a message in its current language (the catalogs translate it later)."""
    return ui.services.i18n.t(msgid, **values)


def warning_open(ui) -> bool:
    """The dialog stays in the page's list, closed, until the client says it is gone."""
    return any(c.key == "inactivity-warning" and c.open for c in ui.controls())


async def lifecycle(ui, state: str):
    await ui.session.dispatch_event(ui.page._i, "app_lifecycle_state_change", {"state": state})
    await ui.settle()


async def background(ui, seconds: float):
    await lifecycle(ui, "hide")
    ui.clock.now += seconds
    await lifecycle(ui, "show")
    await lifecycle(ui, "resume")


async def test_first_sign_in_asks_for_a_pin_before_home(sui, server):
    ui = sui
    await ui.wait_for(lambda: ui.has("phone"))
    await ui.type("phone", "0912 345 678")
    await ui.click("send-code")
    await ui.wait_for(lambda: ui.has("code"))
    await ui.type("code", latest_code(server))
    await ui.click("verify-code")
    await ui.wait_for(lambda: ui.has("setup-pin"))
    assert not ui.has("total-due") and ui.has("pin-why")
    field = ui.find("setup-pin")
    assert field.password and field.keyboard_type.value == "number" and field.label == tr(ui, "New PIN")

    await ui.type("setup-pin", "123456")  # too simple: said at once, before any request
    assert ui.has("setup-error")
    assert ui.text_of("setup-error-text") == tr(
        ui, "This PIN is too easy to guess. Avoid repeats and sequences like 123456.")
    await ui.click("setup-next")
    assert ui.find("setup-pin").label == tr(ui, "New PIN")

    await ui.type("setup-pin", APP_PIN)
    await ui.click("setup-next")
    assert ui.find("setup-pin").label == tr(ui, "Repeat the PIN")
    await ui.type("setup-pin", "480276")
    await ui.click("setup-next")
    assert ui.text_of("setup-error-text") == tr(ui, "The two PINs are not the same. Enter the new PIN again.")
    assert ui.find("setup-pin").label == tr(ui, "New PIN")

    for _ in range(2):
        await ui.type("setup-pin", APP_PIN)
        await ui.click("setup-next")
    await ui.wait_for(lambda: ui.has("total-due"))
    assert ui.services.session.user.has_pin


async def test_lock_after_background_wrong_pin_then_right_pin(sui, server):
    ui = sui
    await sign_in(ui, server)
    await background(ui, 30)  # less than the default minute: no lock
    assert ui.has("total-due") and not ui.has("lock-pin")
    await lifecycle(ui, "inactive")  # a system dialog (a call, the fingerprint prompt) is not the background
    ui.clock.now += 120
    await lifecycle(ui, "resume")
    assert ui.has("total-due")

    await background(ui, 61)
    await ui.wait_for(lambda: ui.has("lock-pin"))
    assert not ui.has("total-due") and ui.has("lock-sign-out") and ui.has("forgot-pin")
    await ui.type("lock-pin", WRONG)
    await ui.click("unlock")
    await ui.wait_for(lambda: ui.has("lock-error"))
    assert ui.text_of("lock-error-text") == tr(ui, "Wrong PIN. You have {left} tries left.", left=4)
    await ui.type("lock-pin", APP_PIN)
    await ui.click("unlock")
    await ui.wait_for(lambda: ui.has("total-due"))


async def test_lock_immediately_when_chosen(sui, server):
    ui = sui
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("lock-after"))
    await ui.type("lock-after", "0")
    assert ui.settings.values["dongphi.lock_after"] == "0"
    await background(ui, 1)
    await ui.wait_for(lambda: ui.has("lock-pin"))


async def test_five_wrong_pins_lock_with_a_countdown(sui, server):
    ui = sui
    await sign_in(ui, server)
    await background(ui, 120)
    await ui.wait_for(lambda: ui.has("lock-pin"))
    for _ in range(5):
        await ui.type("lock-pin", WRONG)
        await ui.click("unlock")
    countdown = "Too many wrong PINs. Try again in {seconds} s."
    await ui.wait_for(lambda: ui.text_of("lock-error-text") == tr(ui, countdown, seconds=60))
    assert ui.find("lock-pin").disabled and ui.find("unlock").disabled
    ui.clock.now += 2
    await ui.wait_for(lambda: ui.text_of("lock-error-text") == tr(ui, countdown, seconds=58))
    assert ui.has("lock-sign-out")


async def test_forgot_pin_reset_with_the_sms_code(sui, server):
    ui = sui
    await sign_in(ui, server)
    await background(ui, 120)
    await ui.wait_for(lambda: ui.has("forgot-pin"))
    await ui.click("forgot-pin")
    assert "0912 345 678" in ui.text_of("reset-phone")
    await ui.click("reset-send-code")
    await ui.wait_for(lambda: ui.has("reset-code"))
    await ui.type("reset-code", latest_code(server))
    await ui.type("reset-new-pin", "615284")
    await ui.type("reset-repeat-pin", "615284")
    await ui.click("reset-save")
    await ui.wait_for(lambda: ui.has("total-due"))
    # The new PIN is the one that unlocks now.
    await background(ui, 120)
    await ui.wait_for(lambda: ui.has("lock-pin"))
    await ui.type("lock-pin", "615284")
    await ui.click("unlock")
    await ui.wait_for(lambda: ui.has("total-due"))


async def test_sign_out_from_the_lock_screen(sui, server):
    ui = sui
    await sign_in(ui, server)
    await background(ui, 120)
    await ui.wait_for(lambda: ui.has("lock-sign-out"))
    await ui.click("lock-sign-out")
    await ui.wait_for(lambda: ui.has("phone"))
    assert await ui.tokens.read() is None


async def test_a_restored_session_opens_on_the_lock_screen(transport, server):
    tokens = MemoryTokenStore()
    first = await start_app(transport, Clock(), tokens=tokens)
    try:
        await sign_in(first, server)
    finally:
        first.services.security.inactivity.stop()
        first.close()
    again = await start_app(transport, Clock(), tokens=tokens)
    try:
        await again.wait_for(lambda: again.has("lock-pin"))
        await again.type("lock-pin", APP_PIN)
        await again.click("unlock")
        await again.wait_for(lambda: again.has("total-due"))
    finally:
        again.services.security.inactivity.stop()
        again.close()


async def test_inactivity_warns_then_stay_signed_in_or_be_signed_out(sui, server, transport):
    ui = sui
    await sign_in(ui, server)
    ui.clock.now += 9 * 60 + 31  # 29 s before the 10 minutes
    await ui.wait_for(lambda: warning_open(ui))
    warning = "You will be signed out in {seconds} s"
    assert ui.text_of("inactivity-seconds") == tr(ui, warning, seconds=29)
    ui.clock.now += 4
    await ui.wait_for(lambda: ui.text_of("inactivity-seconds") == tr(ui, warning, seconds=25))
    before = len(transport.requests)
    await ui.click("stay-signed-in")
    await ui.wait_for(lambda: not warning_open(ui))
    assert "GET /auth/me" in transport.requests[before:]
    assert ui.has("total-due") and await ui.tokens.read()

    ui.clock.now += 10 * 60 + 1
    await ui.wait_for(lambda: ui.has("phone"))
    assert ui.text_of("session-notice-text") == tr(
        ui, "You were signed out because the app was not used for a while. Please sign in again.")
    assert await ui.tokens.read() is None


async def test_activity_puts_the_sign_out_off(sui, server):
    ui = sui
    await sign_in(ui, server)
    ui.clock.now += 9 * 60
    await ui.click("open-settings")  # a route change
    ui.clock.now += 2 * 60
    await ui.settle()
    assert not warning_open(ui) and ui.has("lock-after")
    await ui.session.dispatch_event(ui.page._i, "keyboard_event",
                                    {"key": "A", "shift": False, "ctrl": False, "alt": False, "meta": False})
    ui.clock.now += 9 * 60
    await ui.settle()
    assert not warning_open(ui)


async def test_typing_counts_as_activity(sui, server, transport):
    """Someone writing a long scam report for minutes is using the app, although no request is made."""
    ui = sui
    await sign_in(ui, server)
    await ui.click("open-scan")
    await ui.wait_for(lambda: ui.has("scan-text"))
    before = len(transport.requests)
    for _ in range(3):  # three times 9 minutes of typing, each alone past the 10-minute mark together
        ui.clock.now += 9 * 60
        await ui.type("scan-text", "0002010102")
        await ui.settle()
        assert not warning_open(ui) and ui.has("scan-text")
    assert transport.requests[before:] == []  # nothing but the typing happened
    ui.clock.now += 9 * 60 + 31
    await ui.wait_for(lambda: warning_open(ui))


async def test_devices_list_and_signing_out_another_device(sui, server, transport):
    ui = sui
    # Another phone signs in to the same account first.
    other_tokens = MemoryTokenStore()
    other_api = ApiClient("http://testserver", other_tokens.read, transport=transport, backoff=0)
    other = AuthRepository(other_api, other_tokens, device_name="Đóng Phí (android)")
    await other.request_code("+84912345678")
    await other.verify_code("+84912345678", latest_code(server))
    await sign_in(ui, server)

    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("open-devices"))
    await ui.click("open-devices")
    await ui.wait_for(lambda: any(k.startswith("device-current-") for k in ui.keys()))
    names = [ui.text_of(k) for k in ui.keys() if k.startswith("device-name-")]
    assert "Đóng Phí (android)" in names and len(names) == 2
    [other_button] = [k for k in ui.keys() if k.startswith("device-sign-out-")]
    device_id = other_button.removeprefix("device-sign-out-")
    assert any(k.startswith("device-last-used-") for k in ui.keys())
    await ui.click(other_button)
    await ui.wait_for(lambda: ui.has(f"device-confirm-{device_id}"))
    await ui.click(f"device-cancel-{device_id}")  # changed their mind: nothing happens
    assert ui.has(other_button)
    await ui.click(other_button)
    await ui.click(f"device-confirm-{device_id}")
    await ui.wait_for(lambda: not ui.has(f"device-{device_id}"))
    assert len([k for k in ui.keys() if k.startswith("device-name-")]) == 1
    try:
        await other.current_user()
        raise AssertionError("the other device is still signed in")
    except Exception as exc:  # noqa: BLE001
        assert getattr(exc, "status", None) == 401
    await other_api.aclose()


async def test_biometrics_switch_asks_the_pin_then_unlocks_with_a_fingerprint(transport, server):
    fake = FakeBiometrics()
    ui = await start_app(transport, Clock(), biometrics=fake)
    try:
        await sign_in(ui, server)
        await ui.click("open-settings")
        await ui.wait_for(lambda: ui.has("biometric-switch"))
        await ui.type("biometric-switch", True)
        await ui.wait_for(lambda: ui.has("biometric-pin"))
        await ui.type("biometric-pin", APP_PIN)
        await ui.click("biometric-confirm")
        await ui.wait_for(lambda: not ui.has("biometric-pin"))
        assert ui.find("biometric-switch").value is True
        assert ui.secrets.values.get("biometric_key") and not any("biometric" in k for k in ui.conn.prefs)
        await background(ui, 120)
        await ui.wait_for(lambda: ui.has("unlock-biometrics"))
        await ui.click("unlock-biometrics")
        await ui.wait_for(lambda: ui.has("total-due"))
        assert fake.reasons
    finally:
        ui.services.security.inactivity.stop()
        ui.close()


async def test_no_biometric_switch_where_biometrics_are_missing(sui, server):
    ui = sui
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("lock-after"))
    assert not ui.has("biometric-switch") and ui.has("open-change-pin") and ui.has("open-devices")


async def test_change_pin_in_settings(sui, server):
    ui = sui
    await sign_in(ui, server)
    await ui.click("open-settings")
    await ui.wait_for(lambda: ui.has("open-change-pin"))
    await ui.click("open-change-pin")
    await ui.wait_for(lambda: ui.has("current-pin"))
    await ui.type("current-pin", WRONG)
    await ui.type("new-pin", "615284")
    await ui.type("repeat-pin", "615284")
    await ui.click("change-pin-save")
    await ui.wait_for(lambda: ui.has("change-pin-error"))
    assert ui.text_of("change-pin-error-text") == tr(ui, "Wrong PIN. You have {left} tries left.", left=4)
    await ui.type("current-pin", APP_PIN)
    await ui.click("change-pin-save")
    await ui.wait_for(lambda: ui.has("change-pin-done"))
