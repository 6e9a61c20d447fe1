"""What a payer reads about methods, fees and outcomes, in one place so every screen agrees."""

from __future__ import annotations

from app.models import Payment
from app.ui.core.i18n import I18n
from domain.words import amount_in_words, amount_in_words_en


def method_label(i18n: I18n, method: str) -> str:
    t = i18n.t
    labels = {
        "vietqr": t("VietQR bank transfer"),
        "atm_card": t("Domestic ATM card / internet banking"),
        "intl_card": t("International card"),
        "momo": t("MoMo e-wallet"),
        "linked": t("Linked account"),
    }
    return labels.get(method, method)


def method_hint(i18n: I18n, method: str) -> str:
    t = i18n.t
    hints = {
        "vietqr": t("Any bank app, or Mobile Money: Viettel Money, VNPT Money"),
        "atm_card": t("Through VNPay, with the card of any Vietnamese bank"),
        "intl_card": t("Visa, Mastercard or JCB, through VNPay"),
        "momo": t("Pay in the MoMo app"),
    }
    return hints.get(method, "")


def fee_text(i18n: I18n, fee: int) -> str:
    return i18n.t("Free") if fee == 0 else i18n.t("Fee {amount}", amount=i18n.money(fee))


def amount_words(i18n: I18n, amount: int) -> str:
    """"Một triệu năm trăm nghìn đồng": capitalised, as on an invoice."""
    words = amount_in_words_en(amount) if i18n.lang == "en" else amount_in_words(amount)
    return words[:1].upper() + words[1:]


def failure_reason(i18n: I18n, payment: Payment) -> str:
    """The provider's answer in plain words (VNPay response codes, MoMo result codes)."""
    t = i18n.t
    reasons = {
        # VNPay
        "24": t("You cancelled the payment."),
        "51": t("Your account does not have enough money for this payment."),
        "11": t("The time to pay ran out."),
        "09": t("Your card or account is not registered for internet banking. Ask your bank to turn it on."),
        "10": t("The card or account details were entered wrongly more than 3 times."),
        "65": t("Your account has reached its payment limit for today."),
        "75": t("Your bank is under maintenance. Please try again later or choose another method."),
        "79": t("The payment password was entered wrongly too many times."),
        "07": t("Your bank took the money but flagged the payment as unusual and is checking it. "
                "Do not pay again; call the institution's support number if it is not settled soon."),
        # MoMo
        "1006": t("You declined the payment in MoMo."),
        "1005": t("The MoMo payment expired before it was confirmed."),
        # Linked accounts (token charge)
        "insufficient_funds": t("Your account does not have enough money for this payment."),
        "declined": t("Your bank or wallet declined the payment."),
        "token_revoked": t("This account is no longer linked. Link it again, or choose another way to pay."),
        # Ours
        "expired": t("The time to pay ran out."),
        "cancelled": t("The payment was cancelled."),
    }
    code = payment.failure_code or ""
    if code in reasons:
        return reasons[code]
    if payment.state == "expired":
        return reasons["expired"]
    if payment.state == "cancelled":
        return reasons["cancelled"]
    return t("The payment did not go through.")


def receipt_text(i18n: I18n, p: Payment) -> str:
    """The receipt as a plain message for a relative: the four fields and the reference, never a link."""
    t = i18n.t
    lines = [
        t("Đóng Phí receipt"),
        t("Paid {amount} to {institution}", amount=i18n.money(p.received_amount if p.received_amount is not None
                                                               else p.total), institution=p.institution_name),
        t("Payer: {name}", name=p.payer_name),
        t("Beneficiary: {name}", name=p.beneficiary_name),
        t("Reason: {reason}", reason=p.reason),
        t("Invoice code: {code}", code=p.invoice_code),
        t("Reference number: {reference}", reference=p.reference),
    ]
    if p.settled_at is not None:
        lines.append(t("Time: {time}", time=i18n.moment(p.settled_at)))
    return "\n".join(lines)
