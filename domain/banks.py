"""The NAPAS bank BIN registry, shipped as package data; keyed on the BIN (short codes vary)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from domain.text import normalize_for_match


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    code: str
    note: str = ""

    @property
    def is_wallet(self) -> bool:
        return "wallet" in self.note.lower() or "mobile money" in self.note.lower()


@lru_cache(maxsize=1)
def all_banks() -> tuple[Bank, ...]:
    text = resources.files("domain").joinpath("data/napas_bins.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(
        Bank(bin=r["bin"].strip(), short_name=r["short_name"].strip(),
             code=r["code"].strip(), note=(r.get("note") or "").strip())
        for r in rows
    )


@lru_cache(maxsize=1)
def _by_bin() -> dict[str, Bank]:
    return {b.bin: b for b in all_banks()}


def bank_by_bin(bin_code: str) -> Bank | None:
    return _by_bin().get(bin_code)


def search_banks(query: str) -> list[Bank]:
    """Match name, short code or BIN, accent- and case-insensitively; exact code hits first."""
    q = normalize_for_match(query)
    if not q:
        return list(all_banks())

    def rank(b: Bank) -> int | None:
        name, code = normalize_for_match(b.short_name), normalize_for_match(b.code)
        if q in (code, name, b.bin):
            return 0
        if name.startswith(q) or code.startswith(q) or b.bin.startswith(q):
            return 1
        if q in name or q in code:
            return 2
        return None

    ranked = [(r, n, b) for n, b in enumerate(all_banks()) if (r := rank(b)) is not None]
    return [b for _, _, b in sorted(ranked, key=lambda t: (t[0], t[1]))]
