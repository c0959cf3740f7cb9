"""Translations: every UI string of kiosk/ is translated in every language, placeholders intact."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kiosk import i18n

KIOSK = Path(i18n.__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def used_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            KIOSK, method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.add(tuple(message) if isinstance(message, (tuple, list)) else message)
    return found


def catalog(code: str):
    with i18n.po_path(code).open("rb") as fh:
        return read_po(fh, locale=code, domain=i18n.DOMAIN)


LANGUAGES = i18n.available_languages()


def test_german_and_english_exist():
    assert {"de", "en"} <= set(LANGUAGES)


def test_messages_are_found():
    used = used_messages()
    assert "Back" in used and ("Show {n} result", "Show {n} results") in used
    assert len(used) > 80


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated(code):
    cat = catalog(code)
    problems = []
    for message in sorted(used_messages(), key=str):
        key = message[0] if isinstance(message, tuple) else message
        entry = cat.get(key)
        if entry is None:
            problems.append(f"missing: {message!r}")
            continue
        strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        if not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {message!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r}")
        ids = message if isinstance(message, tuple) else (message,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if set(PLACEHOLDER.findall(s or "")) != wanted:
                problems.append(f"placeholders differ: {message!r} -> {s!r}")
    assert not problems, f"{code}: run `python locales/update.py` and translate:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_compiles_in_memory(code):
    translations = i18n.translations(code)
    assert translations.gettext("Back")
    assert translations.ngettext("Show {n} result", "Show {n} results", 2).format(n=2)


def test_switching_language_changes_the_words():
    try:
        i18n.set_language("de")
        assert i18n._("Back") == "Zurück" and i18n.current_language() == "de"
        assert i18n.ngettext("Show {n} result", "Show {n} results", 1).format(n=1) == "1 Treffer zeigen"
        i18n.set_language("en")
        assert i18n._("Back") == "Back"
        i18n.set_language("xx")  # no catalogue: the English ids, never a crash
        assert i18n._("Back") == "Back"
    finally:
        i18n.set_language("de")


def test_language_names_in_their_own_language():
    assert i18n.language_name("de") == "Deutsch"
    assert i18n.language_name("en") == "English"
    assert i18n.language_name("ar") == "العربية"
    assert i18n.language_name("uk") == "Українська"
    assert i18n.language_name("tr") == "Türkçe"
    assert i18n.language_name("not-a-language") == "not-a-language"
    assert i18n.is_rtl("ar") and not i18n.is_rtl("de")


def test_only_languages_with_a_catalogue_are_offered():
    assert i18n.offered_languages(("en", "ar", "de")) == ["en", "de"]


def test_po_files_have_no_obsolete_or_duplicate_entries():
    for code in LANGUAGES:
        text = i18n.po_path(code).read_text(encoding="utf-8")
        assert "\n#~ " not in text, f"{code}: obsolete entries"
        ids = re.findall(r'^msgid "(.*)"$', text, flags=re.M)
        assert len(ids) == len(set(ids)), f"{code}: duplicate msgids"
