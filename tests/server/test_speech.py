"""Read-aloud for guided mode: espeak-ng's Vietnamese voice through POST /speech (issue 8)."""

from __future__ import annotations

import os
import shutil
import wave
from io import BytesIO

import pytest

from server.speech.endpoints import SpeechCache
from server.speech.synth import EspeakSpeaker, SpeechUnavailable

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None and not os.environ.get(
    "DONGPHI_REQUIRE_SPEECH"), reason="espeak-ng is not installed (CI installs it)")

CONFIRMATION = "Bạn sắp trả bốn triệu sáu trăm bốn mươi nghìn đồng cho Bệnh viện Đa khoa Hồng Phúc."


def _seconds(audio: bytes) -> float:
    with wave.open(BytesIO(audio)) as w:
        return w.getnframes() / w.getframerate()


@needs_espeak
def test_a_vietnamese_confirmation_is_spoken_as_wav(client, auth):
    r = client.post("/speech", json={"text": CONFIRMATION, "lang": "vi"}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "audio/wav"
    assert 3 < _seconds(r.content) < 20  # the whole sentence, at a pace an older listener can follow
    again = client.post("/speech", json={"text": CONFIRMATION, "lang": "vi"}, headers=auth)
    assert again.content == r.content and again.headers["etag"] == r.headers["etag"]


@needs_espeak
def test_slower_speech_is_longer():
    fast, slow = EspeakSpeaker(words_per_minute=220), EspeakSpeaker(words_per_minute=120)
    assert _seconds(slow.speak(CONFIRMATION, "vi")) > 1.3 * _seconds(fast.speak(CONFIRMATION, "vi"))


def test_only_signed_in_users_and_short_printable_text(client, auth):
    assert client.post("/speech", json={"text": "xin chào"}).status_code == 401
    for body in ({"text": ""}, {"text": "   "}, {"text": "a" * 401}, {"text": "xin\x00chào"},
                 {"text": "xin chào", "lang": "fr"}):
        r = client.post("/speech", json=body, headers=auth)
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "validation_error"


def test_a_missing_synthesizer_is_a_clear_503(app, client, auth):
    app.state.speaker = EspeakSpeaker(binary="no-such-espeak")
    app.state.speech_cache = SpeechCache()
    r = client.post("/speech", json={"text": "xin chào"}, headers=auth)
    assert r.status_code == 503 and r.json()["error"]["code"] == "speech_unavailable"
    with pytest.raises(SpeechUnavailable):
        EspeakSpeaker(binary="no-such-espeak").speak("xin chào", "vi")


@needs_espeak
def test_text_is_never_read_as_an_option():
    """A text that looks like a command-line flag is spoken, not obeyed."""
    audio = EspeakSpeaker().speak("--version -w /tmp/x.wav", "en")
    assert audio.startswith(b"RIFF") and _seconds(audio) > 0.5
