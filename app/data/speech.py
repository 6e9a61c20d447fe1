"""Read-aloud for guided mode: the server speaks (espeak-ng, POST /speech), the device plays.

Playing needs flet-audio, which only the built phone apps carry (the stock web and desktop clients
do not): elsewhere the player says it cannot play and the screen keeps the same words large instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Protocol

from app.data.api import ApiClient

log = logging.getLogger("dongphi.speech")
PLAY_DEADLINE = 5.0  # a client without the extension never answers


class SpeechRepository:
    def __init__(self, api: ApiClient, keep: int = 8):
        self._api, self._keep = api, keep
        self._cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()  # "Nghe lại" must not ask again

    async def wav(self, text: str, lang: str) -> bytes:
        key = (lang, text)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        audio = await self._api.post_for_bytes("/speech", {"text": text, "lang": lang})
        self._cache[key] = audio
        while len(self._cache) > self._keep:
            self._cache.popitem(last=False)
        return audio


class SpeechPlayer(Protocol):
    available: bool

    async def play(self, wav: bytes) -> bool: ...


class NoSpeechPlayer:
    """Web and desktop: nothing to play with."""
    available = False

    async def play(self, wav: bytes) -> bool:
        return False


class FletAudioPlayer:
    available = True

    def __init__(self):
        self._current = None  # kept referenced while it plays, or Flet drops the service

    async def play(self, wav: bytes) -> bool:
        import flet_audio as fta
        if self._current is not None:
            try:
                await asyncio.wait_for(self._current.release(), PLAY_DEADLINE)
            except Exception:  # the old one is gone either way
                pass
        self._current = fta.Audio(src=wav)
        try:
            await asyncio.wait_for(self._current.play(), PLAY_DEADLINE)
        except Exception as exc:
            log.warning("could not play speech: %s", exc)
            return False
        return True
