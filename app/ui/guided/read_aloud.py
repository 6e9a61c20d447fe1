"""Reading the payee and the amount aloud before the final confirmation (guided mode)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.data.speech import SpeechPlayer, SpeechRepository
from app.ui.core.i18n import I18n
from app.ui.core.payment_text import amount_words


def confirmation_sentence(i18n: I18n, payee: str, amount: int, invoice_code: str) -> str:
    """Words, not figures: "4.640.000" read by a synthesizer is easy to mishear; "bốn triệu sáu trăm…" is not."""
    return i18n.t("You are about to pay {words} to {payee}, for invoice {code}.",
                  words=amount_words(i18n, amount).lower(), payee=payee, code=" ".join(invoice_code))


@ft.observable
@dataclass
class ReadAloudViewModel:
    speech: SpeechRepository
    player: SpeechPlayer
    text: str = ""
    lang: str = "vi"
    state: str = "idle"  # idle | loading | played | unavailable | failed
    played_once: bool = False

    @property
    def can_play(self) -> bool:
        return self.player.available

    async def play(self) -> None:
        if self.state == "loading" or not self.text:
            return
        if not self.player.available:
            self.state = "unavailable"
            return
        self.state = "loading"
        try:
            audio = await self.speech.wav(self.text, self.lang)
        except ApiFailure:
            self.state = "failed"
            return
        self.state = "played" if await self.player.play(audio) else "failed"
        self.played_once = True

    async def play_once(self, text: str, lang: str) -> None:
        """When a confirmation appears (or changes): read it once, unasked; again only when the payer asks."""
        if (text, lang) != (self.text, self.lang):
            self.text, self.lang, self.played_once, self.state = text, lang, False, "idle"
        if not self.played_once and self.player.available:
            await self.play()
