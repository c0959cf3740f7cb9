"""Leichte Sprache (easy-to-read German, `de_DE@easy`): its catalogue keeps the checkable rules.

The rules (Netzwerk Leichte Sprache; BITV 2.0 Anlage 2) that a program can check:

- Short sentences, one statement each. Limit: 12 words per sentence. The rule books give no hard
  number; guides and checkers name 8 to 10 words as the aim and flag sentences from about 12 to
  15 words on. 12 keeps a one-line sentence with a placeholder (a town, a number) possible while
  a second statement ("..., so that ...", "..., because ...") no longer fits. On average the
  sentences must stay at 8 words or fewer.
- No abbreviations ("z. B.", "bzw.", "ca.", "usw.", "ggf.", ...): write the words out.
- No subjunctive ("würde", "könnte", "hätte", "wäre", ...). "möchte" is allowed: Leichte
  Sprache texts use "Sie möchten ...?" as the plain polite question.
- No passive: "wird/werden/wurde/wurden/worden" with a past participle (ge...t, ge...en, ...iert).
- Numbers as digits ("1 Mal", "4 bis 8 Ziffern"), not as words.
- Long compound words split with a hyphen ("Telefon-Nummer"): no word over 16 letters.

Placeholders ({n}, {town}) count as one word each.
"""
from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from kiosk import i18n

WORDS_PER_SENTENCE = 12
MEAN_WORDS_PER_SENTENCE = 8
LONGEST_WORD = 16

ABBREVIATION = re.compile(
    r"(?<!\w)(z\.\s?B\.|bzw\.|ca\.|usw\.|ggf\.|evtl\.|d\.\s?h\.|u\.\s?a\.|inkl\.|zzgl\.|max\.|min\.|"
    r"Nr\.|Tel\.|Str\.|vgl\.|etc\.|s\.\s?o\.|s\.\s?u\.|u\.\s?U\.|o\.\s?Ä\.|v\.\s?a\.|Std\.|Min\.|Sek\.)",
    re.IGNORECASE)
SUBJUNCTIVE = re.compile(
    r"\b(würde|würden|würdest|könnte|könnten|hätte|hätten|wäre|wären|müsste|müssten|sollte|sollten|"
    r"dürfte|dürften)\b", re.IGNORECASE)
PASSIVE_AUXILIARY = re.compile(r"\b(wird|werden|wurde|wurden|worden)\b", re.IGNORECASE)
PARTICIPLE = re.compile(r"\b(\w*ge\w+(t|en)|\w+iert)\b", re.IGNORECASE)
NUMBER_WORD = re.compile(
    r"\b(zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|hundert|tausend|"
    r"(?<!noch )einmal|zweimal|dreimal)\b", re.IGNORECASE)  # "noch einmal" = "again", not a count
# Text that is not language: command lines and file names the operator types.
TECHNICAL = re.compile(r"\S+\.toml|catalogue\.\w+|kiosk --[\w-]+|\[kiosk\]|\(CUPS\)")
SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+(?=[„“\"(]?[A-ZÄÖÜ0-9{])")


def entries() -> list[tuple[str, str]]:
    """(message id, one translated text) for every message of the Leichte Sprache catalogue."""
    with i18n.po_path(i18n.EASY_GERMAN).open("rb") as fh:
        catalog = read_po(fh, locale=i18n.EASY_GERMAN, domain=i18n.DOMAIN)
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        found += [(msgid, s) for s in strings if s]
    return found


def sentences(text: str) -> list[str]:
    text = TECHNICAL.sub("X", text)
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def words(sentence: str) -> list[str]:
    return re.findall(r"\{[^{}]*\}|[\wÄÖÜäöüß]+(?:-[\wÄÖÜäöüß]+)*", sentence)


ENTRIES = entries()


def test_the_catalogue_is_there_and_complete():
    assert len(ENTRIES) > 200


def test_the_lint_finds_what_it_looks_for():
    """Each check catches a typical sentence of ordinary German (so a passing lint means something)."""
    plain = "Die Angebote wurden zuletzt vor 3 Tagen aktualisiert, bzw. es könnte sein, dass zwei fehlen."
    assert ABBREVIATION.search(plain) and SUBJUNCTIVE.search(plain) and NUMBER_WORD.search(plain)
    assert NUMBER_WORD.search("Er zeigt die PIN einmal an.") and not NUMBER_WORD.search("Versuchen Sie es noch einmal.")
    assert passive(plain)
    assert len(words("Schalten Sie einen Filter aus, um mehr zu sehen, wenn Ihnen die Liste zu kurz ist.")) > 12
    assert not passive("Der Kiosk hat die Testseite an den Drucker geschickt.")
    assert sentences("Der Ton geht. Hören Sie nichts? Dann prüfen Sie den Laut-Sprecher.") == [
        "Der Ton geht.", "Hören Sie nichts?", "Dann prüfen Sie den Laut-Sprecher."]


def passive(sentence: str) -> bool:
    """A form of "werden" and a past participle in one sentence: "wird ... gedruckt"."""
    return bool(PASSIVE_AUXILIARY.search(sentence) and PARTICIPLE.search(sentence))


def lint(check, *, whole: bool = False) -> list[str]:
    """What `check` finds in each sentence (or, `whole`, in each text: the sentence split would cut
    "z. B." in two) of the catalogue."""
    problems = []
    for msgid, text in ENTRIES:
        for sentence in [text] if whole else sentences(text):
            if why := check(sentence):
                problems.append(f"{why}: {sentence!r}  (msgid {msgid!r})")
    return problems


def test_sentences_are_short():
    assert not lint(lambda s: f"{len(words(s))} words" if len(words(s)) > WORDS_PER_SENTENCE else None)
    counts = [len(words(s)) for _msgid, text in ENTRIES for s in sentences(text)]
    assert sum(counts) / len(counts) <= MEAN_WORDS_PER_SENTENCE


def test_no_abbreviations():
    assert not lint(lambda s: (m := ABBREVIATION.search(s)) and f"abbreviation {m.group(0)!r}", whole=True)


def test_no_subjunctive():
    assert not lint(lambda s: (m := SUBJUNCTIVE.search(s)) and f"subjunctive {m.group(0)!r}")


def test_no_passive():
    assert not lint(lambda s: passive(s) and "passive")


def test_numbers_as_digits():
    assert not lint(lambda s: (m := NUMBER_WORD.search(s)) and f"number word {m.group(0)!r}")


def test_long_words_are_split():
    assert not lint(lambda s: next((f"long word {w!r}" for w in words(s)
                                    if not w.startswith("{") and max(map(len, w.split("-"))) > LONGEST_WORD), None))


@pytest.mark.parametrize("msgid", [
    "Type a word, e.g. Pflege", "{distance} km",
    "Leave the kiosk? The screen then shows no offers until the kiosk is started again."])
def test_where_ordinary_german_breaks_a_rule_leichte_sprache_does_not(msgid):
    """German (de) has "z. B.", "km" and a passive here; Leichte Sprache says it otherwise."""
    german = i18n.translations("de").gettext(msgid)
    easy = i18n.translations(i18n.EASY_GERMAN).gettext(msgid)
    assert easy != german
    assert not ABBREVIATION.search(easy) and " km" not in easy and not any(passive(s) for s in sentences(easy))


def test_ordinary_german_fails_the_same_lint():
    """The same checks over the ordinary German catalogue find abbreviations, passive and long
    sentences: the lint is able to fail on real kiosk text, not only on made-up examples."""
    with i18n.po_path("de").open("rb") as fh:
        german = [m.string for m in read_po(fh, locale="de") if m.id and isinstance(m.string, str)]
    found = [s for text in german for s in sentences(text)]
    assert any(ABBREVIATION.search(text) for text in german)
    assert any(passive(s) for s in found)
    assert any(len(words(s)) > WORDS_PER_SENTENCE for s in found)
