"""Translations: every UI string of kiosk/ and every label of the need map is translated in every
language, with every plural form, placeholders intact; a missing message falls back to German."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kiosk import i18n

KIOSK = Path(i18n.__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _update_script():
    spec = importlib.util.spec_from_file_location("locales_update", KIOSK.parent / "locales" / "update.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def used_messages() -> set[str | tuple[str, str]]:
    """Every message of kiosk/ (found here, independently of locales/update.py) and every need
    and audience label of assets/needs.toml (as update.py takes them from there)."""
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            KIOSK, method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.add(tuple(message) if isinstance(message, (tuple, list)) else message)
    for message in _update_script().extract():
        if message.id and any(path == "assets/needs.toml" for path, _line in message.locations):
            found.add(message.id)
    return found


def sync_messages() -> set[tuple[str | tuple[str, str], str | None]]:
    """(message, context) of the sentences in sync/ that the kiosk translates (the hours in words),
    as locales/update.py extracts them: with msgctxt and plural forms."""
    return {(tuple(m.id) if isinstance(m.id, (tuple, list)) else m.id, m.context) for m in _update_script().extract()
            if m.id and any(path.startswith("sync/") for path, _line in m.locations)}


def _single_number_forms(code: str) -> set[int]:
    """The plural forms that the language's rule picks for exactly one count (English "one": 1;
    Arabic "two": 2): a translation may write the number out there ("كل أسبوعين", "every week")."""
    plural = getattr(i18n.translations(code), "plural", None)
    if plural is None:
        return set()
    counts: dict[int, int] = {}
    for n in range(1000):
        counts[plural(n)] = counts.get(plural(n), 0) + 1
    return {form for form, count in counts.items() if count == 1}


def catalog(code: str):
    with i18n.po_path(code).open("rb") as fh:
        return read_po(fh, locale=code, domain=i18n.DOMAIN)


LANGUAGES = i18n.available_languages()


def test_german_and_english_exist():
    assert {"de", "en"} <= set(LANGUAGES)


def test_messages_are_found():
    used = used_messages()
    assert "Back" in used and ("Show {n} result", "Show {n} results") in used
    assert "Age & care" in used and "For my child" in used  # need and audience labels
    assert len(used) > 80


def test_all_ten_languages_have_a_catalogue():
    assert set(LANGUAGES) >= {"de", i18n.EASY_GERMAN, "en", "uk", "ar", "tr", "ru", "fa", "pl", "ro"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated(code):
    cat = catalog(code)
    problems = [] if not cat.fuzzy else ["the whole catalogue is marked fuzzy (pybabel compile would skip it)"]
    single = _single_number_forms(code)
    wanted_messages = [(m, None) for m in used_messages()] + sorted(sync_messages(), key=str)
    for message, context in sorted(wanted_messages, key=str):
        key = message[0] if isinstance(message, tuple) else message
        entry = cat.get(key, context=context)
        if entry is None:
            problems.append(f"missing: {message!r}" + (f" (context {context!r})" if context else ""))
            continue
        strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        if isinstance(message, tuple) and len(strings) != cat.num_plurals:
            problems.append(f"{len(strings)} plural forms, {code} has {cat.num_plurals}: {message!r}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {message!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r}")
        ids = message if isinstance(message, tuple) else (message,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for form, s in enumerate(strings):
            found = set(PLACEHOLDER.findall(s or ""))
            if found != wanted and not (isinstance(message, tuple) and form in single and found == wanted - {"{n}"}):
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
    names = {code: i18n.language_name(code) for code in
             ("de", i18n.EASY_GERMAN, "en", "uk", "ar", "tr", "ru", "fa", "pl", "ro")}
    assert list(names.values()) == ["Deutsch", "Einfache Sprache", "English", "Українська", "العربية",
                                    "Türkçe", "Русский", "فارسی", "Polski", "Română"]
    assert i18n.language_name("not-a-language") == "not-a-language"
    assert i18n.is_rtl("ar") and i18n.is_rtl("fa") and not i18n.is_rtl("de") and not i18n.is_rtl(i18n.EASY_GERMAN)


def test_leichte_sprache_uses_german_babel_data():
    assert i18n.babel_locale(i18n.EASY_GERMAN).language == "de"
    assert i18n.babel_code(i18n.EASY_GERMAN) == "de" and i18n.babel_code("uk") == "uk"
    assert catalog(i18n.EASY_GERMAN).num_plurals == 2
    assert i18n.babel_locale("not-a-language").language == "en"


def test_only_languages_with_a_catalogue_are_offered():
    assert i18n.offered_languages(("en", "xx", "de")) == ["en", "de"]


def test_the_default_settings_offer_all_ten_languages():
    from kiosk.config import Settings

    kiosk = Settings.defaults().kiosk
    assert kiosk.default_language == "de"
    assert i18n.offered_languages(kiosk.languages) == list(kiosk.languages)
    assert len(kiosk.languages) == 10 and i18n.EASY_GERMAN in kiosk.languages


# The form that each language's plural rule picks for these counts (CLDR rules, via Babel's
# Plural-Forms header): Slavic one/few/many, Arabic zero/one/two/few/many/other, Romanian "de".
PLURALS = {
    "uk": {1: "секунду", 21: "секунду", 2: "секунди", 24: "секунди", 5: "секунд", 11: "секунд", 0: "секунд"},
    "ru": {1: "секунду", 2: "секунды", 22: "секунды", 5: "секунд", 12: "секунд", 111: "секунд"},
    "pl": {1: "sekundę", 2: "sekundy", 23: "sekundy", 5: "sekund", 12: "sekund", 21: "sekund"},
    "ro": {1: "secundă", 2: "secunde", 19: "secunde", 0: "secunde", 20: "de secunde", 101: "secunde"},
    "ar": {0: "ثانية", 1: "ثانية", 2: "ثانيتين", 3: "ثوانٍ", 10: "ثوانٍ", 11: "ثانية", 100: "ثانية"},
    "tr": {1: "saniye", 5: "saniye"},
    "fa": {1: "ثانیه", 5: "ثانیه"},
    "de": {1: "Sekunde.", 2: "Sekunden"},
    i18n.EASY_GERMAN: {1: "Sekunde geht", 2: "Sekunden geht"},
}


@pytest.mark.parametrize("code", sorted(PLURALS))
def test_plural_forms_follow_the_language(code):
    translations = i18n.translations(code)
    for n, word in PLURALS[code].items():
        text = translations.ngettext("Back to the start in {n} second.", "Back to the start in {n} seconds.", n)
        assert f"{n} {word}" in text.format(n=n), (code, n, text)
    # The exact-form checks above must not pass by accident: the forms differ where the rule says so.
    forms = {translations.ngettext("Back to the start in {n} second.", "Back to the start in {n} seconds.", n)
             for n in PLURALS[code]}
    assert len(forms) >= (1 if code in ("tr", "fa") else 2)


@pytest.mark.parametrize("compiled", [False, True], ids=["po", "mo"])
def test_a_missing_message_falls_back_to_german(tmp_path, monkeypatch, compiled):
    """A catalogue that lacks a message shows German words for it, not the English id; also when
    install.sh has compiled the catalogues (pybabel compile) and the kiosk reads the .mo files."""
    from babel.messages.pofile import write_po

    for code in ("de", "en", "uk"):
        target = tmp_path / code / "LC_MESSAGES" / "kiosk.po"
        target.parent.mkdir(parents=True)
        shutil.copy(i18n.po_path(code), target)
    incomplete = catalog("uk")
    del incomplete["Back"]
    incomplete["Search"].string = ""  # untranslated counts as missing too
    with (tmp_path / "uk" / "LC_MESSAGES" / "kiosk.po").open("wb") as fh:
        write_po(fh, incomplete)
    if compiled:  # as install.sh does it
        pybabel = Path(sys.executable).with_name("pybabel")
        subprocess.run([str(pybabel), "-q", "compile", "-d", str(tmp_path), "-D", "kiosk"], check=True)
        assert (tmp_path / "uk" / "LC_MESSAGES" / "kiosk.mo").is_file()
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        if compiled:  # the .po is not read at all: a broken one changes nothing
            for code in ("de", "en", "uk"):
                po = tmp_path / code / "LC_MESSAGES" / "kiosk.po"
                stat = po.stat()
                po.write_text('msgid "broken\n')
                os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        i18n.set_language("uk")
        assert i18n._("Back") == "Zurück" and i18n._("Search") == "Suchen"
        assert i18n._("Language") == "Мова"  # what is there stays Ukrainian
        assert i18n.ngettext("Show {n} result", "Show {n} results", 3).format(n=3) == "Показати 3 результати"
        i18n.set_language("en")
        assert i18n._("Back") == "Back"  # English is the ids' language, never German
    finally:
        i18n.translations.cache_clear()
        monkeypatch.undo()
        i18n.set_language("de")


def test_the_meta_test_sees_a_missing_message(tmp_path, monkeypatch):
    """The check above fails for a catalogue that lacks one message or one plural form."""
    from babel.messages.pofile import write_po

    incomplete = catalog("pl")
    del incomplete["Age & care"]
    incomplete.delete("1st", context="Saturday")  # the ordinal of "every {nth} Saturday of the month"
    weeks = incomplete.get("every week on {days}")
    weeks.string = (weeks.string[0], weeks.string[1].replace("{n}", "2"), weeks.string[2])
    entry = incomplete[("Show {n} result", "Show {n} results")[0]]
    entry.string = entry.string[:2] + ("",)
    target = tmp_path / "pl" / "LC_MESSAGES" / "kiosk.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as fh:
        write_po(fh, incomplete)
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    with pytest.raises(AssertionError) as failed:
        test_every_message_is_translated("pl")
    assert "missing: 'Age & care'" in str(failed.value)
    assert "untranslated: ('Show {n} result', 'Show {n} results')" in str(failed.value)
    assert "missing: '1st' (context 'Saturday')" in str(failed.value)
    assert "placeholders differ: ('every week on {days}', 'every {n} weeks on {days}')" in str(failed.value)


def test_po_files_have_no_obsolete_or_duplicate_entries():
    for code in LANGUAGES:
        text = i18n.po_path(code).read_text(encoding="utf-8")
        assert "\n#~ " not in text, f"{code}: obsolete entries"
        # A long msgid is wrapped: `msgid ""` and then its lines, so take the continuation lines too;
        # the same msgid with another context (msgctxt "Saturday") is another message.
        ids = re.findall(r'^((?:msgctxt .*\n)?)msgid ((?:".*"\n)+)', text, flags=re.M)
        assert len(ids) == len(set(ids)), f"{code}: duplicate msgids"
        assert [i for _context, i in ids].count('""\n') == 1, f"{code}: more than one empty msgid"
