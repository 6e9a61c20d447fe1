"""Speech synthesis behind a small port, with espeak-ng as the implementation.

espeak-ng ships a Vietnamese voice (Northern, Central, Southern), runs on the server without any
cloud service, and answers in well under a second; its voice is robotic but clear at a slow rate,
which is what an older payer needs to hear a name and an amount. The answer is a WAV file the app plays.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from typing import Protocol

VOICES = {"vi": "vi", "en": "en-us"}


class SpeechUnavailable(RuntimeError):
    """The synthesizer is missing or failed: the app shows the text large instead."""


class Speaker(Protocol):
    def speak(self, text: str, lang: str) -> bytes: ...


class EspeakSpeaker:
    def __init__(self, binary: str = "espeak-ng", words_per_minute: int = 140, timeout: float = 10.0):
        self.binary, self.wpm, self.timeout = binary, words_per_minute, timeout

    def speak(self, text: str, lang: str) -> bytes:
        exe = shutil.which(self.binary)
        if exe is None:
            raise SpeechUnavailable(f"{self.binary} is not installed")
        try:
            # The text goes on stdin, never on the command line: nothing in it can become an option.
            done = subprocess.run([exe, "-v", VOICES[lang], "-s", str(self.wpm), "--stdout", "--stdin"],
                                  input=text.encode("utf-8"), capture_output=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechUnavailable(str(exc)) from exc
        if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
            raise SpeechUnavailable(done.stderr.decode("utf-8", "replace")[:200] or "no audio")
        return with_true_sizes(done.stdout)


def with_true_sizes(wav: bytes) -> bytes:
    """espeak-ng streams to stdout before it knows the length, so its header claims ~2 GB of audio;
    players that trust the header wait for the rest. Write the real RIFF and data sizes."""
    at = wav.find(b"data", 12)
    if at < 0:
        raise SpeechUnavailable("no data chunk in the synthesizer's answer")
    start = at + 8
    return (wav[:4] + struct.pack("<I", len(wav) - 8) + wav[8:at + 4] + struct.pack("<I", len(wav) - start)
            + wav[start:])
