"""Reading QRs out of real-looking images: sizes, rotation, blur, noise, a phone photo, and junk."""

from __future__ import annotations

import io

import numpy as np
import pytest
import qrcode
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image, ImageDraw, ImageFilter

from app.data.qr_image import decode_image
from domain.vietqr import build

PAYLOAD = build("970415", "113000123456", amount=4_640_000, bill_number="VP-BN00458-2611")


def qr_image(text: str = PAYLOAD, box: int = 10, border: int = 4) -> Image.Image:
    return qrcode.make(text, box_size=box, border=border).get_image().convert("L")


def encode(image: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kw)
    return out.getvalue()


def noisy(image: Image.Image, sigma: float, seed: int = 7) -> Image.Image:
    rng = np.random.default_rng(seed)
    arr = np.asarray(image).astype(np.int16) + rng.normal(0, sigma, (image.height, image.width))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def photo(qr_side: int = 320, size=(1920, 1080)) -> Image.Image:
    """A photo-sized frame: grey background, a table edge, the QR in the bottom-right corner."""
    frame = Image.new("RGB", size, (182, 176, 160))
    draw = ImageDraw.Draw(frame)
    draw.rectangle((0, size[1] * 2 // 3, size[0], size[1]), fill=(120, 90, 60))
    draw.text((40, 40), "Bệnh viện Đa khoa Hồng Phúc – quầy thu ngân".encode("ascii", "ignore").decode(), fill=0)
    card = qr_image().resize((qr_side, qr_side)).convert("RGB")
    frame.paste(card, (size[0] - qr_side - 40, size[1] - qr_side - 40))
    return frame


CASES = {
    "large": lambda: qr_image(box=16),
    "medium": lambda: qr_image(box=8),
    "small (about 150 px)": lambda: qr_image(box=10).resize((150, 150)),
    "scaled down with smoothing": lambda: qr_image(box=10).resize((200, 200), Image.LANCZOS),
    "rotated 90": lambda: qr_image().rotate(90, expand=True),
    "rotated 30": lambda: qr_image().rotate(30, expand=True, fillcolor=255),
    "rotated 180": lambda: qr_image().rotate(180),
    "blurred": lambda: qr_image().filter(ImageFilter.GaussianBlur(2)),
    "noisy": lambda: noisy(qr_image(), 40),
    "blurred and noisy": lambda: noisy(qr_image().filter(ImageFilter.GaussianBlur(1.5)), 25),
    "inverted colours (dark mode screenshot)": lambda: Image.eval(qr_image(), lambda v: 255 - v),
}


@pytest.mark.parametrize("name", list(CASES))
def test_reads_the_qr(name):
    result = decode_image(encode(CASES[name]()))
    assert (result.status, result.text) == ("ok", PAYLOAD)


def test_photo_sized_image_with_the_qr_in_a_corner_as_jpeg():
    result = decode_image(encode(photo(), "JPEG", quality=85))
    assert (result.status, result.text) == ("ok", PAYLOAD)


def test_phone_photo_stored_sideways_with_exif_orientation():
    img = photo().rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 8  # "rotate 90 CW to display"
    assert decode_image(encode(img, "JPEG", quality=90, exif=exif)).text == PAYLOAD


def test_no_qr_in_the_picture():
    assert decode_image(encode(Image.new("RGB", (800, 600), (30, 120, 200)))).status == "no_qr"
    assert decode_image(encode(noisy(Image.new("L", (400, 400), 128), 60))).status == "no_qr"


def test_several_qrs():
    canvas = Image.new("L", (1100, 520), 255)
    canvas.paste(qr_image(), (0, 0))
    canvas.paste(qr_image(build("970436", "0011004123456")), (560, 0))
    result = decode_image(encode(canvas))
    assert result.status == "several" and len(result.texts) == 2


def test_damaged_qr_is_seen_but_not_read():
    img = qr_image(box=10)
    draw = ImageDraw.Draw(img)
    w = img.width
    draw.rectangle((w * 0.3, w * 0.3, w * 0.75, w * 0.72), fill=0)  # far beyond error correction
    result = decode_image(encode(img))
    assert (result.status, result.text) == ("damaged", None)


@pytest.mark.parametrize("data,status", [
    (b"", "empty"), (b"not an image at all", "not_image"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not_image"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 20, "not_image"),
])
def test_junk_bytes(data, status):
    assert decode_image(data).status == status


def test_truncated_file():
    data = encode(photo(), "JPEG")
    assert decode_image(data[: len(data) // 3]).status in ("not_image", "no_qr", "ok")


def test_decompression_bomb_is_refused():
    assert decode_image(encode(Image.new("1", (12000, 12000)))).status == "not_image"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_crash(data):
    assert decode_image(data).status in ("empty", "not_image", "no_qr", "damaged", "ok", "several")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=2048))
def test_valid_png_header_with_arbitrary_body_never_crashes(body):
    data = encode(Image.new("L", (64, 64), 255))
    assert decode_image(data[:33] + body).status in ("not_image", "no_qr", "damaged", "ok", "several")
