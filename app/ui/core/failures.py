"""Turn a typed failure into one plain sentence in the user's language."""

from __future__ import annotations

from app.data.api import ApiFailure
from app.ui.core.i18n import I18n

NETWORK = {"network", "timeout"}
SERVER = {"server_unavailable", "internal_error", "bad_response", "http_error"}


def failure_text(i18n: I18n, failure: ApiFailure | None) -> str:
    if failure is None:
        return ""
    t, code = i18n.t, failure.code
    if code == "invalid_phone":
        return t("This is not a Vietnamese mobile number. Enter it like 0912 345 678.")
    if code == "code_format":
        return t("The code has 6 digits.")
    if code == "otp_wrong":
        left = failure.details.get("attempts_left")
        if left is not None:
            return t("The code is not right. You have {left} tries left.", left=left)
        return t("The code is not right.")
    if code == "otp_expired":
        return t("The code has expired. Tap \u201cSend a new code\u201d.")
    if code == "otp_too_many_attempts":
        return t("Too many wrong codes. Ask for a new code.")
    if code == "otp_not_requested":
        return t("This code is no longer valid. Ask for a new code.")
    if code == "otp_resend_too_soon":
        seconds = failure.details.get("retry_after") or failure.retry_after or 60
        return t("Please wait {seconds} seconds before asking for a new code.", seconds=seconds)
    if code == "otp_too_many_requests":
        return t("Too many codes were requested. Please try again in an hour.")
    if code in ("session_expired", "unauthorized"):
        return t("Your session has ended. Please sign in again.")
    if code == "bill_not_found":
        return t("This bill was not found in your family.")
    if code in NETWORK:
        return t("Cannot reach Đóng Phí. Check your connection and try again.")
    if code in SERVER or (failure.status or 0) >= 500:
        return t("The service is busy. Please try again in a few minutes.")
    return t("Something went wrong. Please try again.")
