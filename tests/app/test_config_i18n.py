from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po

from app.config import ConfigError, load_config
from app.ui.core.i18n import LOCALES_DIR, I18n
from scripts.i18n import extract


def test_flet_toml_environments_and_override(tmp_path):
    assert load_config(env={}).api_base_url == "http://127.0.0.1:8000"
    assert load_config(env={"DONGPHI_ENV": "production"}).api_base_url == "https://api.dongphi.vn"
    assert load_config(env={"DONGPHI_API_URL": "http://127.0.0.1:9999/"}).api_base_url == "http://127.0.0.1:9999"
    assert load_config(env={}).default_locale == "vi"
    with pytest.raises(ConfigError):
        load_config(env={"DONGPHI_ENV": "moon"})
    with pytest.raises(ConfigError):
        load_config(env={"DONGPHI_API_URL": "ftp://x"})


def _catalog(lang):
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _fields(text):
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_catalogs_translate_every_message_in_the_code(lang):
    in_code = {m.id for m in extract() if m.id}
    cat = {m.id: m for m in _catalog(lang) if m.id}
    missing = sorted(in_code - set(cat))
    assert not missing, f"run `python scripts/i18n.py extract`: {missing}"
    for msgid in in_code:
        m = cat[msgid]
        assert m.string and not m.fuzzy, f"{lang}: untranslated {msgid!r}"
        assert _fields(m.string) == _fields(msgid), f"{lang}: placeholders differ in {msgid!r}"


def test_vietnamese_catalog_is_really_vietnamese():
    cat = [m for m in _catalog("vi") if m.id]
    with_diacritics = [m for m in cat if re.search(r"[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]", m.string.lower())]
    assert len(with_diacritics) / len(cat) > 0.9


def test_i18n_formats_for_the_chosen_language():
    import datetime as dt
    i18n = I18n()
    assert i18n.t("Sign in") == "Đăng nhập" and i18n.money(1_500_000) == "1.500.000\u00a0₫"
    assert i18n.date(dt.date(2026, 11, 5)) == "05/11/2026"
    i18n.set_lang("en")
    assert i18n.t("Sign in") == "Sign in" and i18n.money(1_500_000) == "₫1,500,000"
    with pytest.raises(ValueError):
        i18n.set_lang("fr")
