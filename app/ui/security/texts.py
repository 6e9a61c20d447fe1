"""Plain sentences for the security screens' failures (PIN, biometrics, devices)."""

from __future__ import annotations

import math

from app.data.api import ApiFailure
from app.ui.core.failures import failure_text
from app.ui.core.i18n import I18n


def lock_seconds(failure: ApiFailure) -> int | None:
    """How long a locked PIN stays locked, from the answer's details or its Retry-After header."""
    value = failure.details.get("retry_after", failure.retry_after)
    try:
        return max(int(math.ceil(float(value))), 0) if value is not None else None
    except (TypeError, ValueError):
        return None


def security_text(i18n: I18n, failure: ApiFailure | None) -> str:
    if failure is None:
        return ""
    t, code = i18n.t, failure.code
    if code == "pin_format":
        return t("The PIN has 6 digits.")
    if code == "pin_too_simple":
        return t("This PIN is too easy to guess. Avoid repeats and sequences like 123456.")
    if code == "pin_mismatch":
        return t("The two PINs are not the same. Enter the new PIN again.")
    if code == "pin_current_required":
        return t("Enter your current PIN.")
    if code == "pin_wrong":
        left = failure.details.get("attempts_left")
        if left is not None:
            return t("Wrong PIN. You have {left} tries left.", left=left)
        return t("Wrong PIN.")
    if code == "pin_locked":
        return t("Too many wrong PINs. Try again later.")
    if code == "pin_reset_required":
        return t("Your PIN is blocked after too many wrong tries. Reset it with a code sent by SMS.")
    if code == "pin_not_set":
        return t("You have not set an app PIN yet.")
    if code == "biometric_key_invalid":
        return t("Fingerprint or face unlock is no longer set up on this device. Use your PIN.")
    if code == "biometric_failed":
        return t("Fingerprint or face was not recognised. Try again or use your PIN.")
    if code == "biometric_unavailable":
        return t("Fingerprint or face unlock is not available on this device.")
    if code == "session_not_found":
        return t("This device is already signed out.")
    return failure_text(i18n, failure)
