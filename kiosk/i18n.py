"""Translations of the kiosk's own words (never of catalogue text), through gettext.

Every visible or spoken UI string goes through `_()`. The message ids are English; German is the
default language and, like every other language, a complete `.po` file in
`locales/<lang>/LC_MESSAGES/kiosk.po`.

`install.sh` compiles the `.po` files into `.mo` files beside them (pybabel compile); a `.mo` at
least as new as its `.po` is read as it is. Otherwise (no `.mo`, an older or a broken one) the `.po`
is read with Babel and compiled in memory (read_po -> write_mo -> GNUTranslations), so an edited
`.po` counts at once and no stale output is ever read. A language is offered only if its `.po`
file exists.

A message missing from a catalogue falls back to German (the default language, complete by the
meta-test), not to the English id: a visitor who cannot read English still gets words that a
volunteer beside them can read. English itself needs no fallback (its ids are English).

Leichte Sprache (easy-to-read German) has no ISO 639 or BCP 47 code of its own. Its code is
`de_DE@easy`: the gettext convention for a variant of a language is a modifier (like `sr@latin`),
Babel parses it as `Locale("de", "DE", modifier="easy")` and so uses German dates, numbers and
plural rules, and everything that only looks at the part before `_`/`-` (speech voices) sees "de".

One kiosk runs per process, so the current language is module state: the app sets it at start,
on the language button and on every idle reset. Use `N_()` to mark a string that is translated
later (e.g. in a table built at import time), then pass it through `_()` when shown.
"""
from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path
from typing import TYPE_CHECKING

from sync import package_dir

if TYPE_CHECKING:  # Babel itself is imported where it is used (see tests/test_startup_imports.py)
    from babel import Locale

# Package data: locales/ is installed as the package `kiosk_locales` (see pyproject.toml).
LOCALES_DIR = package_dir("kiosk_locales")
DOMAIN = "kiosk"

FALLBACK = "de"  # missing messages of every other language come from here
EASY_GERMAN = "de_DE@easy"  # Leichte Sprache
# Languages whose Babel data (dates, numbers, plural rules, language names) is another's.
BABEL_CODES = {EASY_GERMAN: "de"}
# Own names where Babel has none of its own (Babel calls de_DE@easy "Deutsch (Deutschland)").
OWN_NAMES = {EASY_GERMAN: "Einfache Sprache"}

_current: gettext.NullTranslations = gettext.NullTranslations()
_current_code = "en"


def _(message: str) -> str:
    """The message in the current language (the English id when a translation is missing)."""
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a string for translation without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Singular or plural form of a message for the number `n`, in the current language."""
    return _current.ngettext(singular, plural, n)


def po_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> list[str]:
    """Codes of all languages that have a `.po` file, sorted."""
    if not LOCALES_DIR.is_dir():
        return []
    return sorted(p.name for p in LOCALES_DIR.iterdir() if po_path(p.name).is_file())


def offered_languages(configured: tuple[str, ...] | list[str]) -> list[str]:
    """The configured languages (in their order) that also have a translation."""
    have = set(available_languages())
    return [code for code in configured if code in have]


@functools.cache
def translations(code: str) -> gettext.NullTranslations:
    """The compiled catalogue of one language (cached; NullTranslations if there is no .po), with
    German behind it for the messages it lacks (not for German itself, nor English: its ids)."""
    path = po_path(code)
    if not path.is_file():
        return gettext.NullTranslations()
    compiled = _compiled(path, code)
    if code not in (FALLBACK, "en"):
        compiled.add_fallback(translations(FALLBACK))
    return compiled


def _compiled(path: Path, code: str) -> gettext.GNUTranslations:
    """The messages of the .po file at `path`, from its .mo where that is up to date."""
    # install.sh compiles the .po files (pybabel compile): a .mo at least as new as its .po is read
    # as it is, which spares babel's import and the parsing of the .po at every start.
    mo = path.with_suffix(".mo")
    try:
        if mo.stat().st_mtime_ns >= path.stat().st_mtime_ns:
            with mo.open("rb") as fh:
                return gettext.GNUTranslations(fh)
    except (OSError, ValueError):  # no .mo, or a broken one: compile the .po
        pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(code: str) -> None:
    """Make `code` the current language of every `_()` call."""
    global _current, _current_code
    _current = translations(code)
    _current_code = code


def current_language() -> str:
    return _current_code


def current_catalogue() -> gettext.NullTranslations:
    """The current language's catalogue, for code that takes one (gettext, ngettext, pgettext)."""
    return _current


def babel_code(code: str) -> str:
    """The code whose Babel data `code` uses: "de_DE@easy" -> "de", "uk" -> "uk"."""
    return BABEL_CODES.get(code, code)


def babel_locale(code: str | None = None) -> Locale:
    """The Babel locale for dates, numbers and names of `code` (default: the current language);
    English when Babel does not know the code."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(babel_code(code or _current_code))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@functools.cache
def language_name(code: str) -> str:
    """The language's name in that language ("Deutsch", "العربية", "Українська")."""
    if code in OWN_NAMES:
        return OWN_NAMES[code]
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


#: The direction of the kiosk's own languages, known without loading Babel's data for them
#: (20-60 ms at start, where Home asks for the default language's direction); others ask Babel.
_DIRECTION = {"ar": True, "fa": True, "de": False, "en": False, "uk": False, "tr": False, "ru": False,
              "pl": False, "ro": False}


@functools.cache
def is_rtl(code: str) -> bool:
    """True for languages written right to left (Arabic, Persian, ...)."""
    if babel_code(code) in _DIRECTION:
        return _DIRECTION[babel_code(code)]
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(babel_code(code)).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False
