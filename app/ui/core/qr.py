"""A VietQR payload drawn as a PNG: the `qrcode` library encodes, a few lines of zlib write the PNG.

No Pillow: the phone bundle carries only `qrcode`, so the image is written here (8-bit greyscale,
one filter byte per row), which any bank app's scanner reads.
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_from_matrix(matrix: list[list[bool]], scale: int) -> bytes:
    """Dark modules black, light white, each module `scale` pixels square."""
    size = len(matrix) * scale
    rows = bytearray()
    for modules in matrix:
        row = b"\x00" + b"".join((b"\x00" if dark else b"\xff") * scale for dark in modules)
        rows += row * scale
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + _chunk(b"IEND", b""))


def qr_matrix(payload: str) -> list[list[bool]]:
    """Error correction M (as printed VietQR codes use); a 4-module quiet zone for scanners."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


@lru_cache(maxsize=16)
def qr_png(payload: str, scale: int = 8) -> bytes:
    return png_from_matrix(qr_matrix(payload), scale)
