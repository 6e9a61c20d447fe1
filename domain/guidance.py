"""Anti-scam guidance: the bundled content's shape, its validation, accent-insensitive search, newest copy.

Content is data (domain/data/guidance.json), not code, so the server can publish a newer version
without an app release; both sides parse it here so a broken copy is refused the same way everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from domain.banks import Bank, bank_by_bin
from domain.text import normalize_for_match

LANGS = ("vi", "en")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
_ILLUSTRATION = re.compile(r"^guidance/[a-z0-9-]+\.png$")


class GuidanceError(ValueError):
    """The content is not usable; `code` says which rule it broke (for logs and tests)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code


Block = str | tuple[str, ...]  # a paragraph, or a bullet list


@dataclass(frozen=True)
class ArticleText:
    title: str
    summary: str
    body: tuple[Block, ...]

    def search_text(self) -> str:
        parts = [self.title, self.summary]
        for block in self.body:
            parts.extend([block] if isinstance(block, str) else block)
        return normalize_for_match(" ".join(parts))


@dataclass(frozen=True)
class Article:
    id: str
    illustration: str
    texts: dict[str, ArticleText]
    hotlines: bool = False  # show the banks' hotlines (the "if you have been scammed" article)

    def text(self, lang: str) -> ArticleText:
        return self.texts.get(lang) or self.texts["vi"]


@dataclass(frozen=True)
class Checklist:
    illustration: str
    texts: dict[str, tuple[str, tuple[str, ...]]]  # lang -> (title, items)

    def title(self, lang: str) -> str:
        return (self.texts.get(lang) or self.texts["vi"])[0]

    def items(self, lang: str) -> tuple[str, ...]:
        return (self.texts.get(lang) or self.texts["vi"])[1]


@dataclass(frozen=True)
class Guidance:
    version: int
    articles: tuple[Article, ...]
    checklist: Checklist

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)

    def search(self, query: str, lang: str) -> list[Article]:
        """Every word of the query, accents and case ignored ('cap cuu' finds 'cấp cứu'); title hits first."""
        words = normalize_for_match(query).split()
        if not words:
            return list(self.articles)
        ranked = []
        for n, article in enumerate(self.articles):
            text = article.text(lang)
            haystack = text.search_text()
            if all(w in haystack for w in words):
                title = normalize_for_match(text.title)
                ranked.append((0 if all(w in title for w in words) else 1, n, article))
        return [a for _, _, a in sorted(ranked, key=lambda r: (r[0], r[1]))]


def _str(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GuidanceError("missing_text", f"{where} must be non-empty text")
    return value.strip()


def _text(raw, where: str) -> ArticleText:
    if not isinstance(raw, dict):
        raise GuidanceError("missing_language", f"{where} is missing")
    body = raw.get("body")
    if not isinstance(body, list) or not body:
        raise GuidanceError("empty_body", f"{where}.body must be a non-empty list")
    blocks: list[Block] = []
    for i, block in enumerate(body):
        if isinstance(block, list):
            if not block:
                raise GuidanceError("empty_list", f"{where}.body[{i}] is an empty list")
            blocks.append(tuple(_str(item, f"{where}.body[{i}]") for item in block))
        else:
            blocks.append(_str(block, f"{where}.body[{i}]"))
    return ArticleText(_str(raw.get("title"), f"{where}.title"), _str(raw.get("summary"), f"{where}.summary"),
                       tuple(blocks))


def _illustration(value, where: str) -> str:
    if not isinstance(value, str) or not _ILLUSTRATION.match(value):
        raise GuidanceError("bad_illustration", f"{where}.illustration must look like guidance/name.png")
    return value


def _checklist(raw) -> Checklist:
    if not isinstance(raw, dict):
        raise GuidanceError("missing_checklist", "checklist is missing")
    texts = {}
    for lang in LANGS:
        part = raw.get(lang)
        if not isinstance(part, dict):
            raise GuidanceError("missing_language", f"checklist.{lang} is missing")
        items = part.get("items")
        if not isinstance(items, list) or not items:
            raise GuidanceError("empty_body", f"checklist.{lang}.items must be a non-empty list")
        texts[lang] = (_str(part.get("title"), f"checklist.{lang}.title"),
                       tuple(_str(i, f"checklist.{lang}.items") for i in items))
    return Checklist(_illustration(raw.get("illustration"), "checklist"), texts)


def parse_guidance(data) -> Guidance:
    """Validate the whole document; raises GuidanceError naming the first rule broken."""
    if not isinstance(data, dict):
        raise GuidanceError("not_an_object", "guidance must be a JSON object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise GuidanceError("bad_version", "version must be a positive integer")
    raw_articles = data.get("articles")
    if not isinstance(raw_articles, list) or not raw_articles:
        raise GuidanceError("no_articles", "articles must be a non-empty list")
    articles, seen = [], set()
    for n, raw in enumerate(raw_articles):
        if not isinstance(raw, dict):
            raise GuidanceError("not_an_object", f"articles[{n}] must be an object")
        article_id = raw.get("id")
        if not isinstance(article_id, str) or not _ID.match(article_id):
            raise GuidanceError("bad_id", f"articles[{n}].id must be lowercase letters, digits and dashes")
        if article_id in seen:
            raise GuidanceError("duplicate_id", f"article id {article_id!r} appears twice")
        seen.add(article_id)
        texts = {lang: _text(raw.get(lang), f"{article_id}.{lang}") for lang in LANGS}
        articles.append(Article(article_id, _illustration(raw.get("illustration"), article_id), texts,
                                hotlines=bool(raw.get("hotlines", False))))
    return Guidance(version, tuple(articles), _checklist(data.get("checklist")))


def parse_guidance_json(text: str | bytes) -> Guidance:
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise GuidanceError("not_json", str(exc)) from exc
    return parse_guidance(data)


def bundled_text() -> str:
    return resources.files("domain").joinpath("data/guidance.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def bundled() -> Guidance:
    """The copy shipped with the app and the server: always there, so guidance works offline."""
    return parse_guidance_json(bundled_text())


def newest(*copies: Guidance | None) -> Guidance:
    """The highest version wins; on a tie the first given (the one already held) is kept."""
    present = [c for c in copies if c is not None]
    if not present:
        raise GuidanceError("no_copy", "no guidance copy given")
    best = present[0]
    for copy in present[1:]:
        if copy.version > best.version:
            best = copy
    return best


@dataclass(frozen=True)
class BankHotline:
    bank: Bank
    hotline: str  # as printed: "1900 545413"

    @property
    def dial(self) -> str:
        """Digits only, for a tel: link."""
        return "".join(ch for ch in self.hotline if ch.isdigit())


@lru_cache(maxsize=1)
def bank_hotlines() -> tuple[BankHotline, ...]:
    """Major banks' official hotlines, for blocking an account fast; only BINs in the NAPAS list."""
    text = resources.files("domain").joinpath("data/bank_hotlines.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        bank = bank_by_bin(row["bin"].strip())
        if bank is not None:
            out.append(BankHotline(bank, row["hotline"].strip()))
    return tuple(out)
