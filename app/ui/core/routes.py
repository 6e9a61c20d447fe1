"""Where each screen lives (see ROUTES in app/ui/app.py)."""

from __future__ import annotations


def bill_route(bill_id: str) -> str:
    return f"/bills/{bill_id}"


def choose_method_route(bill_id: str) -> str:
    return f"/bills/{bill_id}/pay"


def confirm_route(bill_id: str, method: str) -> str:
    return f"/bills/{bill_id}/pay/{method}"


def payment_route(bill_id: str, payment_id: str) -> str:
    """Above its bill on the stack: Back from a payment shows the bill as it is now."""
    return f"/bills/{bill_id}/payments/{payment_id}"


ACCOUNTS_ROUTE = "/accounts"


def choose_provider_route(kind: str) -> str:
    return f"{ACCOUNTS_ROUTE}/link/{kind}"


def account_number_route(kind: str, provider: str) -> str:
    return f"{ACCOUNTS_ROUTE}/link/{kind}/{provider}"


def link_progress_route(link_id: str) -> str:
    return f"{ACCOUNTS_ROUTE}/links/{link_id}"


def confirm_linked_route(bill_id: str, source_id: str) -> str:
    """Paying with a linked account: its own confirm screen (the owner's PIN comes last)."""
    return f"/bills/{bill_id}/pay/account/{source_id}"


NOTIFICATIONS_ROUTE = "/notifications"
NOTIFICATION_SETTINGS_ROUTE = "/settings/notifications"

REPORT_ROUTE = "/report"  # report a scam (phone, account, message, screenshot)
MY_REPORTS_ROUTE = "/report/mine"
CHECK_ROUTE = "/check"  # check a phone number or account against the register
CHECK_REPORT_ROUTE = "/check/report"  # the report form above the check's result (Back returns to it)
SCAN_REPORT_ROUTE = "/scan/result/scam-report"  # the report form above the scan's stop screens


def share_bill_route(bill_id: str) -> str:
    """"Nhờ người thân trả": above its bill, so Back returns to the bill."""
    return f"/bills/{bill_id}/share"


ADD_PERSON_ROUTE = "/family/add"  # "Thêm con hoặc người thân" (not in a student's own route set)


def family_route(person_id: str) -> str:
    return f"/family/{person_id}"


def pay_request_route(token: str) -> str:
    """A relative's pay request opened in the app (the same path as the link's web page)."""
    return f"/r/{token}"


def pay_request_payment_route(token: str, payment_id: str) -> str:
    """Above the request on the stack: Back shows the request as it is now."""
    return f"/r/{token}/payments/{payment_id}"
