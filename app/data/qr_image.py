"""Read the QR out of a photo, a screenshot or a camera frame, on the device (OpenCV over Pillow).

OpenCV because it is the maintained decoder with wheels for Flet's Android and iOS builds
(pypi.flet.dev publishes opencv-python, numpy and pillow; zxing-cpp has no mobile build), and it
also reads the noisy photos the other one missed in our tests. It runs where the app's Python runs —
the phone, the desktop, or the web app's server process — so a picked image never leaves the device.
Every input ends in a `Decoded` with a status the scan screen can explain; nothing raises on bad bytes.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

MAX_BYTES = 20 * 1024 * 1024  # a 12-megapixel JPEG is ~5 MB; anything far above is not a photo
MAX_PIXELS = 50_000_000  # Pillow's own decompression-bomb guard trips here, not at 89 MP
MAX_SIDE = 2400  # larger photos are scaled down first: the QR stays readable and decoding stays fast


@dataclass(frozen=True)
class Decoded:
    status: str  # ok | no_qr | several | damaged | not_image | too_large | empty
    text: str | None = None
    texts: tuple[str, ...] = field(default=())


def decode_image(data: bytes) -> Decoded:
    if not data:
        return Decoded("empty")
    if len(data) > MAX_BYTES:
        return Decoded("too_large")
    image = _open(data)
    if image is None:
        return Decoded("not_image")
    texts, seen = _read(image)
    good = list(dict.fromkeys(t for t in texts if t))
    if len(good) == 1:
        return Decoded("ok", text=good[0], texts=tuple(good))
    if len(good) > 1:
        return Decoded("several", texts=tuple(good))
    return Decoded("damaged" if seen else "no_qr")


def _read(image) -> tuple[list[str], bool]:
    """Decoded texts, and whether a QR was seen at all (seen but unreadable = damaged)."""
    import cv2
    import numpy as np

    pixels = np.asarray(image)
    seen = False
    for candidate in (pixels, 255 - pixels):  # then light-on-dark, as in dark-mode screenshots
        for detector in _detectors():
            try:
                _, texts, points, _ = detector.detectAndDecodeMulti(candidate)
            except cv2.error:
                continue
            seen = seen or points is not None
            found = [t for t in (texts or ()) if t]
            if found:
                return found, True
    return [], seen


_DETECTORS: list = []


def _detectors() -> list:
    """The ArUco-based detector finds QRs in busy photos; the classic one is the fallback."""
    if not _DETECTORS:
        import cv2
        if hasattr(cv2, "QRCodeDetectorAruco"):
            _DETECTORS.append(cv2.QRCodeDetectorAruco())
        _DETECTORS.append(cv2.QRCodeDetector())
    return _DETECTORS


def _open(data: bytes):
    """A grey, upright, bounded Pillow image, or None when the bytes are not a picture we can read."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            image = Image.open(io.BytesIO(data))
            image.load()
            image = ImageOps.exif_transpose(image)  # phone photos are often stored sideways
            if max(image.size) > MAX_SIDE:
                image.thumbnail((MAX_SIDE, MAX_SIDE))
            return image.convert("L")
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            ValueError, SyntaxError, EOFError, TypeError, IndexError, KeyError, ZeroDivisionError,
            MemoryError):
        return None
