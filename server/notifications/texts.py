"""What a notification says, in the user's language, from the gettext catalog `notifications.po`.

English msgids are the English text; `locales/vi/LC_MESSAGES/notifications.po` holds the Vietnamese
(`python scripts/i18n.py extract` keeps both in step). SMS texts are folded to ASCII (cheap, readable
on every phone) and must never carry a link: `sms_safe` refuses one, whatever the data brought in.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from domain.money import format_vnd
from domain.text import fold_ascii

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
LANGS = ("vi", "en")
_BABEL = {"vi": "vi_VN", "en": "en_US"}
# Anything a phone would turn into a link: a scheme, www., or a word.tld shape.
LINK = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://|\bwww\.|\b[a-z0-9-]+\.(vn|com|net|org|info|xyz|top|me|io|app|link|ly)\b)")


def _(msgid: str) -> str:
    """Marks a message for extraction; the text is looked up per user when rendered."""
    return msgid


@lru_cache(maxsize=None)
def _catalog(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "notifications.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=_BABEL[lang])
    return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}


def lang_of(locale: str | None) -> str:
    return locale if locale in LANGS else "vi"


def t(lang: str, msgid: str, **values) -> str:
    text = _catalog(lang_of(lang)).get(msgid, msgid)
    return text.format(**values) if values else text


def money(lang: str, amount: int) -> str:
    return format_vnd(amount, lang_of(lang))


def date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def sms_safe(text: str) -> str:
    """Plain ASCII, one line, no link: scammers imitate links in SMS, so we never send one."""
    flat = " ".join(fold_ascii(text).split())
    if LINK.search(flat):
        raise ValueError("an SMS must not contain a link")
    return flat[:320]


# Titles and bodies by kind. Placeholders are filled from the bill, the payment or the institution.
TEXTS = {
    "new_bill": (_("New bill for {person}"),
                 _("{institution}: {title} ({period}), {amount}, due {due}.")),
    "due_soon": (_("Due in {days} days: {title}"),
                 _("{person} at {institution}: {amount} left to pay, due {due}.")),
    "due_today": (_("Due today: {title}"),
                  _("{person} at {institution}: {amount} left to pay, due today {due}.")),
    "overdue": (_("Overdue: {title}"),
                _("{person} at {institution}: {amount} was due on {due}. Please pay or contact the institution.")),
    "payment_succeeded": (_("Paid {amount}"),
                          _("{title} for {person} at {institution}, invoice {invoice}. Paid by {payer}.")),
    "payment_failed": (_("Payment not completed"),
                       _("{title} for {person}: {amount} was not paid. {debited}")),
    "resolved_succeeded": (_("Payment confirmed: {amount} paid"),
                           _("The payment we could not confirm earlier went through: {title} for {person}, "
                             "invoice {invoice}.")),
    "resolved_failed": (_("Payment result: not paid"),
                        _("The payment we could not confirm earlier did not go through: {title} for {person}. "
                          "{debited}")),
    "bill_cleared": (_("{institution} closed a bill"),
                     _("{title} ({period}) for {person}: {reason}")),
    "refund": (_("{amount} will be refunded"),
               _("Your payment {reference} for {title} arrived after the bill was already paid. "
                 "The institution will return {amount} to you.")),
    "family_invitation": (_("{inviter} invited you to {person}'s family"),
                          _("{institution}. Open Đóng Phí to accept or decline by {expires}.")),
    "please_pay": (_("{student} asks you to pay: {title}"),
                   _("{institution}: {amount} left to pay, due {due}, invoice {invoice}.")),
    "report_confirmed": (_("Your scam report was confirmed"),
                         _("Your report of {date} was checked: it is a scam. {flagged}")),
    "report_rejected": (_("Your scam report was reviewed"),
                        _("We checked your report of {date} but could not confirm a scam, so nothing was added to "
                          "the warning list. If you still have doubts, do not transfer money: call the school or "
                          "hospital on its official number.")),
}
# What a confirmed report put on the warning list (kind report_update), by what the report named.
REPORT_FLAGGED = {
    ("account", "phone"): _("The account {account} and the number {phone} are now on the warning list shown to "
                            "everyone who uses Đóng Phí. Thank you for protecting other families."),
    ("account",): _("The account {account} is now on the warning list shown to everyone who uses Đóng Phí. "
                    "Thank you for protecting other families."),
    ("phone",): _("The number {phone} is now on the warning list shown to everyone who uses Đóng Phí. "
                  "Thank you for protecting other families."),
    (): _("Thank you for protecting other families."),
}
DEBITED = {True: _("No money was taken."),
           False: _("If money left your account, the bank returns it; contact the institution if it does not.")}
CLEARED_REASONS = {"paid_at_counter": _("paid at the institution's counter."),
                   "waived": _("the fee was waived."),
                   "cancelled": _("the bill was cancelled; there is nothing to pay.")}
SMS = {
    "due_soon": _("DONGPHI: {title} for {person} at {institution}: {amount} due {due}. "
                  "Open the Dong Phi app to pay."),
    "overdue": _("DONGPHI: {title} for {person} at {institution}: {amount} was due {due}. "
                 "Open the Dong Phi app to pay or contact the institution."),
}


def render(lang: str, key: str, **values) -> tuple[str, str]:
    title, body = TEXTS[key]
    return t(lang, title, **values), t(lang, body, **values)


def render_sms(lang: str, kind: str, **values) -> str:
    return sms_safe(t(lang, SMS[kind], **values))
