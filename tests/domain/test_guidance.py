"""The guidance content: valid, really bilingual, searchable without accents, and the newest copy wins."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from domain.banks import bank_by_bin
from domain.guidance import (LANGS, GuidanceError, bank_hotlines, bundled, bundled_text, newest, parse_guidance,
                             parse_guidance_json)

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]")
TOPICS = {"fake-teacher", "refund-calls", "emergency-call", "fake-apps", "qr-stickers", "fake-sms", "otp-phishing",
          "if-scammed"}


def raw() -> dict:
    return json.loads(bundled_text())


def test_bundled_content_covers_every_topic_in_both_languages():
    g = bundled()
    assert {a.id for a in g.articles} == TOPICS and g.version >= 1
    for article in g.articles:
        assert (ROOT / "assets" / article.illustration).is_file(), article.illustration
        for lang in LANGS:
            text = article.texts[lang]
            assert text.title and text.summary and text.body
        vi = article.texts["vi"]
        assert VIETNAMESE.search(vi.title.lower()) and VIETNAMESE.search(vi.summary.lower()), article.id
        assert not VIETNAMESE.search(article.texts["en"].title.lower().replace("đóng phí", "")), article.id
    assert (ROOT / "assets" / g.checklist.illustration).is_file()
    assert len(g.checklist.items("vi")) == len(g.checklist.items("en")) >= 4
    assert [a.id for a in g.articles if a.hotlines] == ["if-scammed"]


def test_scammed_article_says_what_to_do():
    vi = " ".join(str(b) for b in bundled().article("if-scammed").texts["vi"].body).lower()
    for words in ("tổng đài", "khoá tài khoản", "công an", "báo cáo", "lấy lại tiền"):
        assert words in vi, words


@pytest.mark.parametrize("query,lang,expected", [
    ("otp", "vi", "otp-phishing"), ("OTP", "en", "otp-phishing"), ("cap cuu", "vi", "emergency-call"),
    ("cấp cứu", "vi", "emergency-call"), ("CẤP CỨU", "vi", "emergency-call"), ("ma qr", "vi", "qr-stickers"),
    ("mã QR", "vi", "qr-stickers"), ("hoan tien hoc phi", "vi", "refund-calls"), ("emergency", "en", "emergency-call"),
    ("bi lua", "vi", "if-scammed"), ("  giáo   viên  ", "vi", "fake-teacher"), ("link", "vi", "fake-sms"),
])
def test_search_ignores_accents_case_and_spaces_and_ranks_title_hits_first(query, lang, expected):
    found = [a.id for a in bundled().search(query, lang)]
    assert found and found[0] == expected, found


def test_search_needs_every_word_and_empty_query_lists_everything():
    g = bundled()
    assert g.search("otp zzzz", "vi") == [] and g.search("", "vi") == list(g.articles)
    assert g.search("   ", "en") == list(g.articles)


@pytest.mark.parametrize("mutate,code", [
    (lambda d: d.update(version=0), "bad_version"),
    (lambda d: d.update(version="2"), "bad_version"),
    (lambda d: d.update(version=True), "bad_version"),
    (lambda d: d.update(articles=[]), "no_articles"),
    (lambda d: d["articles"][0].update(id="Bad Id"), "bad_id"),
    (lambda d: d["articles"][1].update(id=d["articles"][0]["id"]), "duplicate_id"),
    (lambda d: d["articles"][0].pop("en"), "missing_language"),
    (lambda d: d["articles"][0]["vi"].update(title="  "), "missing_text"),
    (lambda d: d["articles"][0]["vi"].update(body=[]), "empty_body"),
    (lambda d: d["articles"][0]["vi"].update(body=[[]]), "empty_list"),
    (lambda d: d["articles"][0]["vi"].update(body=[3]), "missing_text"),
    (lambda d: d["articles"][0].update(illustration="../../etc/passwd"), "bad_illustration"),
    (lambda d: d.pop("checklist"), "missing_checklist"),
    (lambda d: d["checklist"]["en"].update(items=[]), "empty_body"),
])
def test_broken_content_is_refused_with_a_typed_error(mutate, code):
    doc = copy.deepcopy(raw())
    mutate(doc)
    with pytest.raises(GuidanceError) as err:
        parse_guidance(doc)
    assert err.value.code == code


def test_not_json_or_not_an_object():
    with pytest.raises(GuidanceError) as err:
        parse_guidance_json("{nope")
    assert err.value.code == "not_json"
    with pytest.raises(GuidanceError):
        parse_guidance([])


def test_newest_version_wins_and_a_tie_keeps_the_one_held():
    held = bundled()
    newer_doc = raw()
    newer_doc["version"] = held.version + 1
    newer = parse_guidance(newer_doc)
    same = parse_guidance(raw())
    assert newest(held, newer) is newer and newest(newer, held) is newer
    assert newest(held, same) is held and newest(None, held) is held
    with pytest.raises(GuidanceError):
        newest(None)


def test_bank_hotlines_are_major_napas_banks_with_dialable_numbers():
    lines = bank_hotlines()
    assert len(lines) >= 5
    for line in lines:
        assert bank_by_bin(line.bank.bin) is line.bank
        assert line.dial.isdigit() and line.dial[:4] in ("1900", "1800") and 8 <= len(line.dial) <= 10
    by_name = {line.bank.short_name: line.hotline for line in lines}
    assert by_name["Vietcombank"] == "1900 545413" and by_name["BIDV"] == "1900 9247"
