"""Turn a typed failure into one plain sentence in the user's language."""

from __future__ import annotations

from app.data.api import ApiFailure
from app.ui.core.i18n import I18n

NETWORK = {"network", "timeout"}
NOT_FOUND = {"not_found", "bill_not_found", "payment_not_found", "pay_request_not_found"}
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
    if code == "session_idle":
        return t("You were signed out because the app was not used for a while. Please sign in again.")
    if code in ("session_expired", "unauthorized"):
        return t("Your session has ended. Please sign in again.")
    if code == "bill_not_found":
        return t("This bill was not found in your family.")
    if code == "bill_cancelled":
        return t("This bill was cancelled by the institution. There is nothing to pay.")
    if code == "bill_already_paid":
        return t("This bill has already been paid. There is nothing more to pay.")
    if code == "payment_in_progress":
        return t("There is already a payment in progress for this bill.")
    if code == "payment_not_found":
        return t("This payment was not found.")
    if code == "payment_not_cancellable":
        return t("This payment can no longer be cancelled: it may have just gone through. "
                 "Open it to see where it stands.")
    if code == "provider_unavailable":
        return t("The payment service is not answering right now. Please try again in a few minutes "
                 "or choose another method.")
    if code in ("idempotency_key_reused", "idempotency_key_required", "idempotency_key_invalid"):
        return t("This payment request could not be used. Go back to the bill and start again.")
    if code in ("method_not_available", "unknown_method"):
        return t("This way of paying is not available right now. Please choose another.")
    if code == "launch_failed":
        return t("The page could not be opened. Tap the button to try again.")
    if code == "report_empty":
        return t("Add the QR code or a picture of it to the report.")
    if code in ("report_image_type", "report_image_invalid"):
        return t("The picture could not be attached. Use a JPG or PNG photo.")
    if code == "report_image_too_large":
        return t("The picture is too large to send. Send the report without it, or use a smaller photo.")
    if code == "report_seen_at_missing":
        return t("Choose where you saw this QR code.")
    if code == "unknown_institution":
        return t("This school or hospital is not on our list.")
    if code == "unknown_bank":
        return t("This bank is not on the NAPAS list. Choose your bank from the list.")
    if code == "unknown_wallet":
        return t("This e-wallet cannot be linked. Choose one from the list.")
    if code == "account_number_invalid":
        return t("An account number has 6 to 19 digits. Check it against your bank app or card.")
    if code == "wallet_phone_invalid":
        return t("Enter the mobile number your e-wallet is registered to, like 0912 345 678.")
    if code == "source_already_linked":
        return t("This account is already linked.")
    if code == "source_not_found":
        return t("This linked account no longer exists. It may have been removed on another device.")
    if code == "source_not_active":
        return t("This linked account cannot be used now. Link it again, or choose another way to pay.")
    if code == "face_check_required":
        return t("Your bank asks for a face scan for this payment, so it must be made in your bank or wallet "
                 "app. Choose VietQR or card checkout.")
    if code in ("confirmation_required", "confirmation_invalid"):
        return t("Your confirmation has run out. Enter your PIN again.")
    if code == "source_not_relinkable":
        return t("This account is still linked: there is nothing to link again.")
    if code == "provider_refused":
        return t("Your bank or wallet refused the request. Check the details, or try again later.")
    # -- issue 8: families and "Nhờ người thân trả" --
    if code == "person_not_found":
        return t("This person is not in your family (any more).")
    if code == "family_payer_only":
        return t("Only a payer of this person can do this. You can see the bills but not act on them.")
    if code == "member_not_found":
        return t("This member is no longer in the family. The list has been refreshed.")
    if code == "family_cannot_remove":
        return t("Only the family member who added this person, or who invited this member, can remove them.")
    if code == "family_last_payer":
        return t("This is the only payer left: invite another payer before removing them.")
    if code == "already_family_member":
        return t("This number is already in this person's family.")
    if code == "phone_is_student_account":
        return t("This number is a student's own login and cannot be invited into a family.")
    if code == "invitation_already_pending":
        return t("This number has already been invited and has not answered yet.")
    if code == "too_many_invitations":
        return t("Too many invitations are waiting. Withdraw one before inviting someone else.")
    if code == "invitation_not_found":
        return t("This invitation was not found.")
    if code == "invitation_withdrawn":
        return t("This invitation was withdrawn by the person who sent it.")
    if code == "invitation_expired":
        return t("This invitation has expired. Ask for a new one.")
    if code == "invitation_already_answered":
        return t("This invitation has already been answered.")
    if code == "student_not_allowed":
        return t("A student's account cannot do this.")
    if code == "institution_has_no_account":
        return t("This school or hospital has no account to pay into yet. Please contact them.")
    if code == "too_many_pay_requests":
        return t("Too many links are open for this bill. Withdraw one before making another.")
    if code == "pay_request_not_found":
        return t("This payment request does not exist. Check the link, or ask your relative for a new one.")
    if code == "pay_request_withdrawn":
        return t("The family withdrew this payment request. There is nothing to pay through it.")
    if code == "pay_request_expired":
        return t("This payment request has expired. Ask your relative for a new link.")
    if code in NETWORK:
        return t("Cannot reach Đóng Phí. Check your connection and try again.")
    if code in SERVER or (failure.status or 0) >= 500:
        return t("The service is busy. Please try again in a few minutes.")
    return t("Something went wrong. Please try again.")
