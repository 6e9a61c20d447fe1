"""POST /speech: a short text spoken as WAV, for the guided mode's "read it to me" before paying."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import OrderedDict
from threading import Lock
from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, field_validator

from server.deps import Principal, current_principal
from server.errors import ApiError
from server.speech.synth import EspeakSpeaker, Speaker, SpeechUnavailable

router = APIRouter(tags=["speech"])
MAX_CACHED = 64  # the same confirmation is heard again and again ("nghe lại"): synthesize it once


class SpeechIn(BaseModel):
    text: str = Field(min_length=1, max_length=400)
    lang: Literal["vi", "en"] = "vi"

    @field_validator("text")
    @classmethod
    def _printable(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value or any(unicodedata.category(c).startswith("C") for c in value):
            raise ValueError("speech_text_invalid")
        return value


class SpeechCache:
    def __init__(self):
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.lock = Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
            return self.items.get(key)

    def put(self, key: str, audio: bytes) -> None:
        with self.lock:
            self.items[key] = audio
            while len(self.items) > MAX_CACHED:
                self.items.popitem(last=False)


def install(app, settings) -> None:
    """The synthesizer and its cache, made once per app (tests replace `app.state.speaker`)."""
    app.state.speaker = EspeakSpeaker(settings.speech_binary, settings.speech_words_per_minute)
    app.state.speech_cache = SpeechCache()


def get_speaker(request: Request) -> Speaker:
    return request.app.state.speaker


@router.post("/speech", response_class=Response,
             responses={200: {"content": {"audio/wav": {}}}, 503: {"description": "speech_unavailable"}})
def speech(body: SpeechIn, request: Request, speaker: Speaker = Depends(get_speaker),
           _principal: Principal = Depends(current_principal)):
    """Signed-in only and short: a read-aloud of what is on the screen, not a general speech service."""
    key = hashlib.sha256(f"{body.lang}\n{body.text}".encode()).hexdigest()
    cache: SpeechCache = request.app.state.speech_cache
    audio = cache.get(key)
    if audio is None:
        try:
            audio = speaker.speak(body.text, body.lang)
        except SpeechUnavailable as exc:
            raise ApiError(503, "speech_unavailable", "read-aloud is not available right now") from exc
        cache.put(key, audio)
    return Response(audio, media_type="audio/wav", headers={"Cache-Control": "private, max-age=86400",
                                                             "ETag": f'"{key[:32]}"'})
