"""Screen text turned into text that a speech engine reads naturally, per language.

espeak-ng reads "Mo–Fr 9:00–12:00" as "Mo Strich Fr neun Doppelpunkt null null …" and a phone
number as "fünf Milliarden …". `speakable` rewrites such text before it is spoken: weekday
abbreviations, clock times and ranges, numeric dates, euro amounts, phone numbers (digit by digit,
in the groups they are written in) and common abbreviations. German and English have tables; any
other language only gets the language-neutral steps (phone numbers, line breaks), because a wrong
expansion is worse than none. Everything here is pure and has no dependencies.

`speakable` is idempotent (applying it twice changes nothing more), so a screen may normalise text
itself and the speech backend may normalise it again.
"""
from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Self

from sync.text import CONTROL_CHARS

__all__ = ["CATALOGUE_LANGUAGE", "Part", "Said", "base_language", "fill", "parts_of", "speakable", "utterance",
           "utterance_parts"]

# The catalogue of Kreis Steinfurt is written in German: its text is read with a German voice,
# whatever the language of the kiosk's own words.
CATALOGUE_LANGUAGE = "de"

Part = tuple[str, str]  # (text, language code) of a piece of screen text


class Said(str):
    """A line shown (or printed) as it is, and spoken in `parts`: (text, language) pairs, so that
    catalogue text inside a line of the kiosk's words is read with the catalogue's voice. A plain
    `str` line is all in the language of the words around it (the UI's, or the slip's)."""

    parts: tuple[Part, ...]

    def __new__(cls, shown: str, parts: Iterable[Part] = ()) -> Self:
        line = super().__new__(cls, shown)
        line.parts = tuple(parts)
        return line


def parts_of(line: str | None, language: str) -> list[Part]:
    """How a line is read aloud: its own parts if it is `Said`, else the whole line in `language`."""
    if not line:
        return []
    return list(line.parts) if isinstance(line, Said) else [(str(line), language)]


def fill(template: str, language: str, **values: str | None) -> Said:
    """`template.format(**values)`, spoken with the template's words in `language` and each value
    as it is spoken itself (catalogue values in their language): "Zugang: {details}"."""
    parts: list[Part] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            parts.append((literal, language))
        if field is not None:
            parts += parts_of(values[field], language)
    return Said(template.format(**values), parts)


@dataclass(frozen=True)
class _Words:
    """Everything language-specific that the rules below need."""

    weekdays: tuple[str, ...]  # Monday first
    months: tuple[str, ...]  # January first
    to: str  # between the ends of a range
    and_: str
    clock: Callable[[int, int, str], str]  # (hour, minute, "start"|"end"|"single") -> words
    money: Callable[[int, int], str]  # (euros, cents) -> words
    abbreviations: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...]  # (regex, replacement), in order
    date: str  # format of a date with {d}, {month}, {y}
    slash_dates: bool = False  # "31/12" is a date (the English opening hours write dates so)


def _de_clock(h: int, m: int, role: str) -> str:
    # "9 bis 12 Uhr": the start of a full-hour range needs no "Uhr"; "9 Uhr 30 bis 12 Uhr".
    if m == 0:
        return f"{h}" if role == "start" else f"{h} Uhr"
    return f"{h} Uhr {m}"


def _en_clock(h: int, m: int, role: str) -> str:
    # "9 to 12", but a lone "9:00" is "9 o'clock" ("open until 9" alone sounds unfinished).
    if m == 0 and h in (0, 24) and role != "start":
        return "midnight"
    if m == 0:
        return f"{h} o'clock" if role == "single" else f"{h}"
    return f"{h} {m}" if m >= 10 else f"{h} oh {m}"


def _de_money(euros: int, cents: int) -> str:
    if euros == 0 and cents:
        return f"{cents} Cent"
    return f"{euros} Euro" + (f" {cents}" if cents else "")


def _en_money(euros: int, cents: int) -> str:
    if euros == 0 and cents:
        return f"{cents} cents"
    return f"{euros} {'euro' if euros == 1 else 'euros'}" + (f" {cents}" if cents else "")


# Abbreviations as regexes: `(?<![\w.])` and `(?!\w)` keep them from matching inside words.
_W, _E = r"(?<![\w.])", r"(?!\w)"
class _Pattern:
    """A regular expression compiled at its first use: the kiosk speaks only when asked, and the
    patterns below cost 4-8 ms of every start when compiled on import (issue 13)."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:  # two threads at once: both compile the same pattern, no harm
            self._compiled = re.compile(self._source)
        return self._compiled

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str) -> str:
        return self._get().sub(repl, string)

    def findall(self, string: str) -> list[Any]:
        return self._get().findall(string)


_STREET = (r"(?<![\w.])([A-ZÄÖÜ][\w-]*)?([sS])tr\.",
           lambda m: (m[1] or "") + ("straße" if m[1] else m[2].upper() + "traße"))
_DE_ABBREVIATIONS = (
    (_W + r"z\.\s?B\.", "zum Beispiel"), (_W + r"d\.\s?h\.", "das heißt"), (_W + r"u\.\s?a\.", "unter anderem"),
    (_W + r"u\.\s?U\.", "unter Umständen"), (_W + r"i\.\s?d\.\s?R\.", "in der Regel"),
    (_W + r"o\.\s?Ä\.", "oder Ähnliches"),
    # These usually end a name or a sentence: keep the pause when a new sentence follows.
    (_W + r"e\.\s?V\.(?=\s+[A-ZÄÖÜ])", "eingetragener Verein."), (_W + r"e\.\s?V\.", "eingetragener Verein"),
    (_W + r"usw\.(?=\s+[A-ZÄÖÜ])", "und so weiter."), (_W + r"etc\.(?=\s+[A-ZÄÖÜ])", "et cetera."),
    (_W + r"bzw\.", "beziehungsweise"), (_W + r"ca\.", "circa"), (_W + r"ggf\.", "gegebenenfalls"),
    (_W + r"inkl\.", "inklusive"), (_W + r"evtl\.", "eventuell"), (_W + r"usw\.", "und so weiter"),
    (_W + r"etc\.", "et cetera"), (_W + r"Nr\.", "Nummer"), (_W + r"Tel\.?(?=\s*:?\s*[\d+(])", "Telefon"),
    (_W + r"Tel\.", "Telefon"), (_W + r"Std\.", "Stunden"), (r"(?<=\d )Min\.", "Minuten"), (_W + r"tgl\.", "täglich"),
    (_W + r"max\.", "maximal"), (_W + r"mind\.", "mindestens"), (_W + r"Hbf\.?" + _E, "Hauptbahnhof"),
    (_W + r"Fr\.(?=\s+[A-ZÄÖÜ])", "Frau"), (_W + r"Hr\.(?=\s+[A-ZÄÖÜ])", "Herr"), (_W + r"Dr\.", "Doktor"),
    (_W + r"Prof\.", "Professor"), (_W + r"Durchw\.", "Durchwahl"), _STREET,
    (r"\s*&\s*", " und "), (r"\s*€(?!\w)", " Euro"),
)
_EN_ABBREVIATIONS = (
    (_W + r"e\.\s?g\.", "for example"), (_W + r"i\.\s?e\.", "that is"), (_W + r"approx\.", "approximately"),
    (_W + r"incl\.", "including"), (_W + r"etc\.", "et cetera"), (_W + r"ext\.", "extension"),
    (_W + r"No\.(?=\s*\d)", "number"), (_W + r"Tel\.?(?=\s*:?\s*[\d+(])", "phone"), (_W + r"Tel\.", "phone"),
    # German catalogue text read to English speakers.
    (_W + r"z\.\s?B\.", "for example"), (_W + r"bzw\.", "or"), (_W + r"ca\.", "about"),
    (_W + r"ggf\.", "if needed"), (_W + r"inkl\.", "including"), (_W + r"e\.\s?V\.", "registered association"),
    (_W + r"Nr\.", "number"), (_W + r"usw\.", "and so on"), _STREET,
    (r"\s*&\s*", " and "), (r"\s*€(?!\w)", " euros"),
)

_LANGUAGES: dict[str, _Words] = {
    "de": _Words(
        weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        months=("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                "Oktober", "November", "Dezember"),
        to="bis", and_="und", clock=_de_clock, money=_de_money, abbreviations=_DE_ABBREVIATIONS,
        date="{d}. {month}{y}"),
    "en": _Words(
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        months=("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"),
        to="to", and_="and", clock=_en_clock, money=_en_money, abbreviations=_EN_ABBREVIATIONS,
        date="{d} {month}{y}", slash_dates=True),
}

# Weekday words recognised in both languages (catalogue text is German, the UI may be English).
_DAY_WORDS: dict[str, int] = {}
for _i, _names in enumerate((
        ("Mo", "Mon", "Montag", "Monday"), ("Di", "Tue", "Tues", "Dienstag", "Tuesday"),
        ("Mi", "Wed", "Mittwoch", "Wednesday"), ("Do", "Thu", "Thur", "Thurs", "Donnerstag", "Thursday"),
        ("Fr", "Fri", "Freitag", "Friday"), ("Sa", "Sat", "Samstag", "Sonnabend", "Saturday"),
        ("So", "Sun", "Sonntag", "Sunday"))):
    _DAY_WORDS.update(dict.fromkeys(_names, _i))
_DAY = r"(?<![\w.])(?:" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r")\.?(?!\w)"
_DAY_SEP = r"\s*(?:[–—-]|/|,|&|\+|\bbis\b|\bto\b|\bund\b|\band\b|\bu\.)\s*"
_DAY_RUN = _Pattern(f"{_DAY}(?:{_DAY_SEP}{_DAY})*")
_DAY_ONE = _Pattern(_DAY)

_HM = r"([01]?\d|2[0-4]):([0-5]\d)"
_HM_DOT = r"([01]?\d|2[0-4])[:.]([0-5]\d)"  # "9.30" only counts as a time when "Uhr" follows
_RANGE = r"\s*(?:[–—-]|\bbis\b|\bto\b)\s*"
_TAIL = r"(?:\s*(?:Uhr|h)(?!\w))?"
_TIME_RANGE = _Pattern(rf"(?<![\d:.,]){_HM}{_RANGE}{_HM}(?![\d:]){_TAIL}")
_TIME_RANGE_UHR = _Pattern(rf"(?<![\d:.,]){_HM_DOT}{_RANGE}{_HM_DOT}\s*(?:Uhr|h)(?!\w)")
# Only with "Uhr": "1-2 h" is more often a duration than a time of day.
_HOUR_RANGE = _Pattern(rf"(?<![\d:.,])([01]?\d|2[0-4]){_RANGE}([01]?\d|2[0-4])\s*Uhr(?!\w)")
_TIME = _Pattern(rf"(?<![\d:.,]){_HM}(?![\d:]){_TAIL}")
_TIME_UHR = _Pattern(rf"(?<![\d:.,]){_HM_DOT}\s*(?:Uhr|h)(?!\w)")

_DATE = _Pattern(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}))?(?![\d])")
_ISO_DATE = _Pattern(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_SLASH_DATE = _Pattern(r"(?<![\d/])(\d{2})/(\d{2})(?![\d/])")  # the English hours text: "31/12"

_AMOUNT = r"(\d{1,3}(?:\.\d{3})+|\d+)(?:[.,](\d{2}|-+|–))?"
_MONEY_AFTER = _Pattern(rf"(?<![\d.,]){_AMOUNT}\s?(?:€|EUR|Euros?)(?!\w)")
_MONEY_BEFORE = _Pattern(rf"(?:€|EUR)\s?{_AMOUNT}(?![\d])")

_PHONE_LABEL = r"(?:Tel\.?|Telefon|Phone|Fon|Mobil|Handy|Fax)\s*:?\s*"
_PHONE = _Pattern(r"(?<![\w.,:/+])(\+\s?\d|\(\s?0|0\d)[\d \-–/()]*\d")
_LABELLED_PHONE = _Pattern(rf"(?<!\w)({_PHONE_LABEL})(\+?\s?\d[\d \-–/()]*\d)")
_URL_SCHEME = _Pattern(r"\bhttps?://(?:www\.)?")
# Line breaks other than \n (as sync.text reads them): CRLF, a lone CR, NEL, the line and paragraph
# separators. Each is a pause, as \n is.
_LINE_BREAK = _Pattern("\r\n|[\r\x85\u2028\u2029]")
# Control characters, zero-width and direction marks, BOM: never spoken. Not the zero-width
# non-joiner (U+200C): Persian writes a word's parts with it ("می‌خواهم", "کتاب‌ها"), and espeak-ng
# says them as one word ("mix'Aham"); a space made two, with a break between ("mi x'Aham").
_CONTROL = _Pattern(f"[{CONTROL_CHARS}\u200b\u200d-\u200f\ufeff]")


def base_language(language: str) -> str:
    """"de-DE", "de_DE", "DE" -> "de"."""
    return (language or "").strip().lower().replace("_", "-").split("-")[0]


def speakable(text: str, language: str) -> str:
    """`text` as it should be spoken in `language` ("de", "en", …); pure, idempotent.

    "Mo–Fr 9:00–12:00" -> "Montag bis Freitag, 9 bis 12 Uhr"; "05481 99910-12" ->
    "0 5 4 8 1, 9 9 9 1 0, 1 2"; "31.12.2026" -> "31. Dezember 2026"; "3,50 €" -> "3 Euro 50".
    """
    words = _LANGUAGES.get(base_language(language))
    # A line break of any kind (CR, CRLF, NEL, U+2028, U+2029) is a pause: turned into \n before the
    # control characters (CR and NEL among them) become spaces.
    text = _CONTROL.sub(" ", _LINE_BREAK.sub("\n", text or ""))
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    # Each line break of the screen becomes a pause; a single line keeps its own ending.
    text = " ".join([_sentence(line) for line in lines[:-1]] + lines[-1:])
    text = _URL_SCHEME.sub("", text)
    if words is not None:
        text = _dates(text, words)
    text = _phones(text)
    if words is not None:
        text = _money(text, words)
        text = _days(text, words)
        text = _times(text, words)
        for pattern, replacement in words.abbreviations:
            text = _replace_keeping_end(pattern, replacement, text)
    return re.sub(r"\s+([,.:;!?])", r"\1", re.sub(r"[ \t]+", " ", text)).strip()


def utterance(parts: Iterable[str | None], language: str = "de") -> str:
    """Parts of a screen as one text with a pause (a full stop) after each; empty parts dropped.

    Pass the parts in the order a listener needs them: title, what, when, where, how to reach.
    The result is not normalised; the speech backends apply `speakable` when they speak.
    """
    return " ".join(s for s in (_sentence(p or "") for p in parts) if s)


def utterance_parts(items: Iterable[tuple[str | None, str] | list[Part] | None]) -> list[Part]:
    """(text, language) parts as `utterance` does it for one language: a pause after each item,
    empty items dropped, neighbours in the same language joined into one part.

    An item is a part, or a line: a list of parts ("Zugang:" in the UI language, then
    "rollstuhlgerecht" from the catalogue), which gets its pause only at its end. A screen gives
    its items in reading order; the kiosk's own words in the UI language, catalogue text in
    CATALOGUE_LANGUAGE. The speech backend reads each part in its language's voice.
    """
    out: list[Part] = []
    for item in items:
        if not item:
            continue
        pieces: list[tuple[str | None, str]] = list(item) if isinstance(item, list) else [item]
        # "" or the "." after a value: nothing to say
        kept = [(" ".join(t.split()), lang) for t, lang in pieces if t and any(ch.isalnum() for ch in t)]
        if not kept:
            continue
        kept[-1] = (_sentence(kept[-1][0]), kept[-1][1])
        for text, language in kept:
            if out and base_language(out[-1][1]) == base_language(language):
                out[-1] = (f"{out[-1][0]} {text}", out[-1][1])
            else:
                out.append((text, language))
    return out


def _sentence(part: str) -> str:
    part = " ".join(part.split())
    if not part:
        return ""
    # "Wann?" keeps its question mark; a trailing colon or comma becomes a full stop (a pause).
    return part if part[-1] in ".!?…؟。" else part.rstrip(":;,") + "."


def _replace_keeping_end(pattern: str, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
    # "… Caritas e. V." ends a sentence; after expanding, the full stop must stay for the pause.
    def sub(m: re.Match[str]) -> str:
        out = replacement(m) if callable(replacement) else replacement
        return out + "." if m[0].endswith(".") and not text[m.end():].strip() else out
    return re.sub(pattern, sub, text)


def _dates(text: str, w: _Words) -> str:
    def say(d: str, m: str, y: str | None, keep: str) -> str:
        day, month = int(d), int(m)
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return keep
        return w.date.format(d=day, month=w.months[month - 1], y=f" {y}" if y else "")
    text = _ISO_DATE.sub(lambda m: say(m[3], m[2], m[1], m[0]), text)
    text = _DATE.sub(lambda m: say(m[1], m[2], m[3], m[0]), text)
    return _SLASH_DATE.sub(lambda m: say(m[1], m[2], None, m[0]), text) if w.slash_dates else text


def _phone_words(number: str) -> str | None:
    """"05481 99910-12" -> "0 5 4 8 1, 9 9 9 1 0, 1 2"; None if it is already spoken."""
    plus = number.lstrip().startswith("+")
    groups = re.findall(r"\d+", number)
    if all(len(g) == 1 for g in groups):
        return None  # already digit by digit (speakable is idempotent)
    chunks: list[str] = []
    for g in groups:
        # Long groups in threes, so a listener can keep them; never a single digit at the end.
        parts = [g] if len(g) <= 5 else [g[i:i + 3] for i in range(0, len(g), 3)]
        if len(parts) > 1 and len(parts[-1]) == 1:
            parts[-2:] = [parts[-2] + parts[-1]]
        chunks += parts
    return ("+ " if plus else "") + ", ".join(" ".join(c) for c in chunks)


def _phones(text: str) -> str:
    def labelled(m: re.Match[str]) -> str:
        words = _phone_words(m[2])
        return m[0] if words is None or len(re.sub(r"\D", "", m[2])) < 3 else m[1] + words

    def bare(m: re.Match[str]) -> str:
        words = _phone_words(m[0])
        return m[0] if words is None or len(re.sub(r"\D", "", m[0])) < 6 else words
    return _PHONE.sub(bare, _LABELLED_PHONE.sub(labelled, text))


def _money(text: str, w: _Words) -> str:
    def say(m: re.Match[str]) -> str:
        euros = int(m[1].replace(".", ""))
        cents = int(m[2]) if m[2] and m[2].isdigit() else 0
        return w.money(euros, cents)
    return _MONEY_BEFORE.sub(say, _MONEY_AFTER.sub(say, text))


def _days(text: str, w: _Words) -> str:
    def say(m: re.Match[str]) -> str:
        run = m[0]
        days = _DAY_ONE.findall(run)
        after = text[m.end():]
        timed = re.match(r"\s*:?\s*\d", after) is not None
        # A lone "So" or "Do" is an ordinary word ("So kommen Sie hin"); only a range, a list or a
        # day right before a time is a weekday.
        if len(days) < 2 and not timed:
            return run
        seps = re.split(_DAY, run)[1:-1]
        out = w.weekdays[_DAY_WORDS[days[0].rstrip(".")]]
        for sep, day in zip(seps, days[1:]):
            s = sep.strip()
            joiner = f" {w.to} " if s in ("–", "—", "-", "bis", "to") else ", " if s == "," else f" {w.and_} "
            out += joiner + w.weekdays[_DAY_WORDS[day.rstrip(".")]]
        if len(days) > 1 and re.match(r" +\d", after):
            out += ","  # "Montag bis Freitag, 9 bis 12 Uhr"
        return out
    return _DAY_RUN.sub(say, text)


def _times(text: str, w: _Words) -> str:
    def span(m: re.Match[str]) -> str:
        return f"{w.clock(int(m[1]), int(m[2]), 'start')} {w.to} {w.clock(int(m[3]), int(m[4]), 'end')}"

    def hours(m: re.Match[str]) -> str:
        return f"{int(m[1])} {w.to} {w.clock(int(m[2]), 0, 'end')}"

    def one(m: re.Match[str]) -> str:
        return w.clock(int(m[1]), int(m[2]), "single")
    text = _TIME_RANGE_UHR.sub(span, _TIME_RANGE.sub(span, text))
    text = _HOUR_RANGE.sub(hours, text)
    return _TIME.sub(one, _TIME_UHR.sub(one, text))
