"""Keep the translations in step with the code: `python locales/update.py`.

Extracts every message of `kiosk/` (calls of `_`, `N_` and `ngettext`), the sentences of
`sync/hours_words.py` (the kiosk passes its gettext catalogue to them), and the labels of the need
map `assets/needs.toml` (`label` and `title`), into `kiosk.pot` and merges
it into each `locales/<lang>/LC_MESSAGES/kiosk.po`: new messages arrive untranslated, removed ones
become obsolete, existing translations stay. Then translate the empty entries. No compile step is
needed: the kiosk reads a .po file that is newer than its .mo directly (see kiosk/i18n.py);
install.sh compiles them (pybabel compile), which is why no catalogue is marked fuzzy as a whole
(pybabel skips such a file).
A new language: `python locales/update.py --add uk`.

Languages: de (default), de_DE@easy (Leichte Sprache: easy-to-read German; no ISO code exists, so a
gettext modifier on German, which Babel reads as German for dates, numbers and plural rules), en, uk,
ar, tr, ru, fa (Farsi/Dari), pl, ro. Each .po header carries its language's Plural-Forms (Babel's
CLDR rules: 3 forms for uk/ru/pl/ro, 6 for ar): translate every msgstr[i]. Rules for Leichte
Sprache are checked by tests/test_leichte_sprache.py; every message in every language by
tests/test_i18n.py.
"""
from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
SOURCES = HERE.parent / "kiosk"
# sync never imports the kiosk; the kiosk passes its gettext to these modules' sentences.
SYNC_SOURCES = ("hours_words.py",)
# Its markers: N_ (plain), NP_ (with a context, msgctxt: pgettext) and NN_ (plural forms: ngettext).
SYNC_KEYWORDS = {"N_": None, "NP_": ((1, "c"), 2), "NN_": (1, 2)}
NEED_MAP = HERE.parent / "assets" / "needs.toml"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    template = Catalog(project="Dritte-Orte-Kiosk", domain="kiosk", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            SOURCES, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, None, [(f"kiosk/{filename}", lineno)], auto_comments=comments, context=context)
    for filename, lineno, message, comments, context in extract_from_dir(
            HERE.parent / "sync", method_map=[(name, "python") for name in SYNC_SOURCES],
            keywords=SYNC_KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, None, [(f"sync/{filename}", lineno)], auto_comments=comments, context=context)
    lines = NEED_MAP.read_text(encoding="utf-8").splitlines()
    data = tomllib.loads("\n".join(lines))
    for kind in ("need", "audience"):
        for entry in data.get(kind, []):
            for key in ("label", "title"):
                text = entry.get(key)
                if text:
                    wanted = f"{key} = {text!r}".replace("'", '"')
                    lineno = next((i + 1 for i, line in enumerate(lines) if line.strip() == wanted), 0)
                    template.add(text, None, [("assets/needs.toml", lineno)])
    return template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", metavar="LANG", help="start a new language")
    args = parser.parse_args()
    template = extract()
    with (HERE / "kiosk.pot").open("wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True)
    codes = sorted(p.name for p in HERE.iterdir() if (p / "LC_MESSAGES" / "kiosk.po").is_file())
    if args.add and args.add not in codes:
        codes.append(args.add)
    for code in codes:
        path = HERE / code / "LC_MESSAGES" / "kiosk.po"
        if path.is_file():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=code, domain="kiosk")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=code, domain="kiosk", project="Dritte-Orte-Kiosk", charset="utf-8")
        catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # git keeps the history; obsolete entries only confuse translators
        # Babel marks a new catalogue's header fuzzy, and `pybabel compile` (install.sh) skips a
        # catalogue with a fuzzy header: the kiosk would then parse the .po at every start (Babel's
        # import and parser: ~50 ms). Messages themselves are never fuzzy (tests/test_i18n.py).
        catalog.fuzzy = False
        with path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, width=100)
        missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
        print(f"{code}: {len(catalog)} messages, {len(missing)} untranslated")


if __name__ == "__main__":
    main()
