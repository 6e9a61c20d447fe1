"""Vietnamese text helpers for fields that must be ASCII and for forgiving comparisons."""

from __future__ import annotations

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "D"})


def fold_ascii(text: str) -> str:
    """Strip diacritics ('Nguyễn Đức' -> 'Nguyen Duc'); đ is not a combining mark, so map it."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def normalize_for_match(text: str) -> str:
    """Case-, accent- and whitespace-insensitive key for comparing names and searching."""
    return " ".join(fold_ascii(text).casefold().split())


def names_match(a: str, b: str) -> bool:
    """A bank's holder name ("NGUYEN THI LAN") against the payer's ("Nguyễn Thị Lan")."""
    return bool(normalize_for_match(a)) and normalize_for_match(a) == normalize_for_match(b)
