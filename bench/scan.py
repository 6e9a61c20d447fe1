"""How long reading a QR out of a picture takes, on this machine (a phone is slower: compare, don't promise).

    .venv/bin/python bench/scan.py [--runs 30]

Prints the median and p90 decode time of a 1920x1080 JPEG photo with the QR in a corner, and of a
640x640 PNG screenshot of a VietQR, through the same path the app uses (bytes -> Pillow -> OpenCV).
A figure to watch, not a test: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qrcode  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from app.data.qr_image import decode_image  # noqa: E402
from domain.vietqr import build  # noqa: E402

PAYLOAD = build("970415", "113000123456", amount=4_640_000, bill_number="VP-BN00458-2611")


def _bytes(image: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kw)
    return out.getvalue()


def photo_1920() -> bytes:
    frame = Image.new("RGB", (1920, 1080), (182, 176, 160))
    ImageDraw.Draw(frame).rectangle((0, 720, 1920, 1080), fill=(120, 90, 60))
    frame.paste(qrcode.make(PAYLOAD).get_image().convert("RGB").resize((320, 320)), (1560, 720))
    return _bytes(frame, "JPEG", quality=85)


def screenshot_640() -> bytes:
    return _bytes(qrcode.make(PAYLOAD).get_image().convert("L").resize((640, 640)), "PNG")


def measure(data: bytes, runs: int) -> list[float]:
    assert decode_image(data).text == PAYLOAD, "the benchmark image must decode"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        decode_image(data)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for name, data in (("1920x1080 photo (JPEG)", photo_1920()), ("640x640 screenshot (PNG)", screenshot_640())):
        times = sorted(measure(data, args.runs))
        p90 = times[int(len(times) * 0.9) - 1]
        print(f"{name:28s} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   ({args.runs} runs)")


if __name__ == "__main__":
    main()
