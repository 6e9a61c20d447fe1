"""Keep the gettext catalogs in step with the code.

    python scripts/i18n.py extract   # app/ -> locales/messages.pot, then merge into vi/ and en/ .po files

Two domains: `messages` (the app, from app/) and `notifications` (what the server sends people, from
server/notifications/texts.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
KEYWORDS = {"t": None, "_": None}
LANGS = ("vi", "en")


DOMAINS = {"messages": ("app", "**.py"), "notifications": ("server/notifications", "texts.py")}


def extract(domain: str = "messages") -> Catalog:
    folder, pattern = DOMAINS[domain]
    pot = Catalog(project="Đóng Phí", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / folder), method_map=[(pattern, "python")], keywords=KEYWORDS):
        pot.add(message, locations=[(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)
    return pot


def main() -> int:
    for domain in DOMAINS:
        update(domain)
    return 0


def update(domain: str) -> None:
    pot = extract(domain)
    LOCALES.mkdir(exist_ok=True)
    with (LOCALES / f"{domain}.pot").open("wb") as fh:
        write_po(fh, pot, width=100, omit_header=False)
    for lang in LANGS:
        po_path = LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.exists():
            with po_path.open("rb") as fh:
                cat = read_po(fh, locale=lang)
        else:
            cat = Catalog(locale=lang, project="Đóng Phí", charset="utf-8")
        cat.update(pot, no_fuzzy_matching=True)
        if lang == "en":  # English msgids are the English text
            for m in cat:
                if m.id and not m.string:
                    m.string = m.id
        with po_path.open("wb") as fh:
            write_po(fh, cat, width=100, ignore_obsolete=True)
    print(f"{domain}: {len(pot)} messages")


if __name__ == "__main__":
    if sys.argv[1:] != ["extract"]:
        print(__doc__)
        sys.exit(2)
    sys.exit(main())
