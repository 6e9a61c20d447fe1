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
