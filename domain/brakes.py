"""The "brakes" of issue 7: moments the app slows a payment down because it looks like a scam in progress.

Pure rules, shared by the app (which shows them) and the server (which records how each one ended):
- `pressure_question`: the payee is not a verified collection account, so first ask whether someone is
  on the phone or in a chat pushing the payer to pay right now;
- `urgent_words`: the note reads like an emergency ("cấp cứu", "phẫu thuật gấp", "tai nạn"…) and the money
  does not go to a verified hospital account — hospitals never hold emergency care for payment;
- `first_large_payment`: a payee never paid before, above a threshold: a pause with the checklist;
- `unusual_amount`: far above what this family usually pays: one more confirmation.
A verified payment of the family's open bill is never braked.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from enum import Enum

from domain.payee import Verdict
from domain.text import normalize_for_match


class Brake(str, Enum):
    PRESSURE_QUESTION = "pressure_question"
    URGENT_WORDS = "urgent_words"
    FIRST_LARGE_PAYMENT = "first_large_payment"
    UNUSUAL_AMOUNT = "unusual_amount"


BRAKES = tuple(b.value for b in Brake)
OUTCOMES = ("shown", "passed", "abandoned")  # the brake appeared / the payer went on / the payer stopped
CONTEXTS = ("scan", "pay")  # where it appeared: the scan result, the bill's pay flow

FIRST_PAYMENT_THRESHOLD = 5_000_000  # đồng
UNUSUAL_FACTOR = 3  # "far above": more than three times the family's median bill

# Accent-, case- and space-insensitive (see normalize_for_match); matched as whole words, so "gap" alone
# ("gặp", "gấp" in an ordinary note) never fires — only inside these phrases.
URGENT_PHRASES = (
    "cap cuu", "capcuu", "phau thuat gap", "mo gap", "tai nan", "tainan", "nguy kich", "khan cap", "khancap",
    "hoi suc", "nhap vien gap", "chuyen vien gap", "nguy hiem tinh mang", "cuu nguoi",
)


def urgent_words(text: str | None) -> tuple[str, ...]:
    """The urgent or medical-emergency phrases a note contains, normalized, in the order of URGENT_PHRASES."""
    if not text:
        return ()
    padded = f" {' '.join(''.join(c if c.isalnum() else ' ' for c in normalize_for_match(text)).split())} "
    return tuple(p for p in URGENT_PHRASES if f" {p} " in padded)


def brakes_for(*, verdict: Verdict | str, open_bill: bool, hospital: bool, note: str | None, amount: int | None,
               paid_before: bool, usual_amounts: Iterable[int] = (),
               threshold: int = FIRST_PAYMENT_THRESHOLD) -> list[Brake]:
    """The brakes that apply to this payment, in the order they are shown.

    `verdict` is the payee check's; `open_bill` whether it pays an open bill of the family; `hospital`
    whether the (verified) payee is a hospital; `note` the QR's purpose/transfer text; `amount` in đồng
    (None when the QR leaves it to the payer); `paid_before` whether the user has paid this payee before;
    `usual_amounts` the family's past bill amounts.
    """
    verdict = Verdict(verdict)
    verified = verdict is Verdict.VERIFIED
    if verified and open_bill:
        return []  # the brakes never stand between a family and its own bill at a verified account
    out: list[Brake] = []
    if not verified:
        out.append(Brake.PRESSURE_QUESTION)
    if urgent_words(note) and not (verified and hospital):
        out.append(Brake.URGENT_WORDS)
    if amount is not None and not paid_before and amount > threshold:
        out.append(Brake.FIRST_LARGE_PAYMENT)
    history = [a for a in usual_amounts if a > 0]
    if amount is not None and history and amount > UNUSUAL_FACTOR * statistics.median(history):
        out.append(Brake.UNUSUAL_AMOUNT)
    return out


def article_for(brakes: Iterable[Brake], institution_kind: str | None = None) -> str:
    """The guidance article that matches a stopped payment (ids of domain/data/guidance.json)."""
    if Brake.URGENT_WORDS in set(brakes) or institution_kind == "hospital":
        return "emergency-call"
    return "fake-teacher"
