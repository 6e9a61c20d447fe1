"""The photo attached to a fraud report: base64 in JSON, at most 3 MB, PNG or JPEG by its first bytes."""

from __future__ import annotations

import base64
import binascii

from server.errors import ApiError

MAX_IMAGE_BYTES = 3 * 1024 * 1024
# Base64 of the largest image plus room for the other fields: the body limit for POST /fraud-reports.
MAX_REPORT_BODY_BYTES = 4 * (MAX_IMAGE_BYTES // 3 + 1) + 16 * 1024

_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
_WHITESPACE = str.maketrans("", "", " \t\r\n")


def decode_image(text: str) -> tuple[bytes, str]:
    """Returns (bytes, MIME type). The type is sniffed, never taken from the client."""
    text = text.translate(_WHITESPACE)  # MIME encoders wrap lines
    if len(text) // 4 * 3 > MAX_IMAGE_BYTES + 2:  # cheap early answer before decoding megabytes
        raise _too_large()
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(422, "report_image_invalid", "image_base64 is not valid base64") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise _too_large()
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return data, mime
    raise ApiError(422, "report_image_type", "the image must be a PNG or JPEG")


def _too_large() -> ApiError:
    return ApiError(413, "report_image_too_large", f"the image must be at most {MAX_IMAGE_BYTES} bytes",
                    max_bytes=MAX_IMAGE_BYTES)
