"""The official phone lines a payer may need right now: those of the institutions the family has bills with.

From the bills and the registry the app already keeps (so it works offline with the kept copies);
a scammer's number never comes from here, only from the registry the institutions maintain.
"""

from __future__ import annotations

from app.data.api import ApiFailure
from app.data.bills import BillsRepository
from app.data.registry import RegistryRepository


async def official_lines(bills: BillsRepository, registry: RegistryRepository) -> list[tuple[str, str]]:
    """(name, phone) per institution with an open bill of the family; empty when nothing is known."""
    try:
        outstanding = (await bills.outstanding()).value
        copy = (await registry.current()).registry
    except ApiFailure:
        return []
    names = {b.institution_name for g in outstanding.groups for b in g.bills}
    out = []
    for inst in sorted(copy.institutions, key=lambda i: i.name):
        if inst.name in names and (inst.support_phone or inst.hotline):
            who = inst.short_name or inst.name
            out.append((f"{who} – {inst.support_name}" if inst.support_phone and inst.support_name else who,
                        inst.support_phone or inst.hotline))
    return out
