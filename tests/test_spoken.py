"""Screen text turned into speakable text (kiosk/speech/spoken.py), table-driven per language.

Expected outputs are written by hand from how a person would read the screen aloud.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest

from kiosk.speech.spoken import base_language, speakable, utterance, utterance_parts

GERMAN = [
    # opening hours, as the kiosk's own hours text and as catalogue text writes them
    ("Mo–Fr 9:00–12:00", "Montag bis Freitag, 9 bis 12 Uhr"),
    ("Mo-Fr 9:00-12:00 Uhr", "Montag bis Freitag, 9 bis 12 Uhr"),
    ("Mo.–Fr. 9:30–12:15", "Montag bis Freitag, 9 Uhr 30 bis 12 Uhr 15"),
    ("Montag bis Freitag: 9:00–12:00, 14:00–16:00", "Montag bis Freitag: 9 bis 12 Uhr, 14 bis 16 Uhr"),
    ("Sa, So 10-12 Uhr", "Samstag, Sonntag, 10 bis 12 Uhr"),
    ("Mo, Mi u. Fr 9.30 Uhr", "Montag, Mittwoch und Freitag, 9 Uhr 30"),
    ("Di/Do ab 14 Uhr", "Dienstag und Donnerstag ab 14 Uhr"),
    ("14:30", "14 Uhr 30"),
    ("9:05", "9 Uhr 5"),
    ("09:00", "9 Uhr"),
    ("Jetzt geöffnet bis 12:00", "Jetzt geöffnet bis 12 Uhr"),
    ("Öffnet Di 10:00", "Öffnet Dienstag 10 Uhr"),
    ("Öffnet Di 14.01. 10:00", "Öffnet Dienstag 14. Januar 10 Uhr"),
    ("jeden 1. Samstag im Monat, 10:00–13:00", "jeden 1. Samstag im Monat, 10 bis 13 Uhr"),
    # dates
    ("31.12.2026", "31. Dezember 2026"),
    ("(bis 01.03.2026)", "(bis 1. März 2026)"),
    ("am 2026-05-01", "am 1. Mai 2026"),
    ("Version 1.2.3", "Version 1.2.3"),  # not a date
    ("32.13.2026", "32.13.2026"),  # no such day
    # phone numbers: digit by digit, in the groups they are written in
    ("05481 99910-12", "0 5 4 8 1, 9 9 9 1 0, 1 2"),
    ("Tel. 05481 99910-12", "Telefon 0 5 4 8 1, 9 9 9 1 0, 1 2"),
    ("Telefon: (05451) 1234", "Telefon: 0 5 4 5 1, 1 2 3 4"),
    ("+49 5481 99910-12", "+ 4 9, 5 4 8 1, 9 9 9 1 0, 1 2"),
    ("0800 1110111", "0 8 0 0, 1 1 1, 0 1 1 1"),
    ("48565 Steinfurt", "48565 Steinfurt"),  # a postcode is a number
    ("Tel 2345", "Telefon 2 3 4 5"),
    # abbreviations and symbols
    ("z. B. Ärzte bzw. Praxen", "zum Beispiel Ärzte beziehungsweise Praxen"),
    ("z.B. ca. 20 Min.", "zum Beispiel circa 20 Minuten."),
    ("Bahnhofstr. 12", "Bahnhofstraße 12"),
    ("Str. der Einheit 3", "Straße der Einheit 3"),
    ("Nr. 5, ggf. inkl. Essen", "Nummer 5, gegebenenfalls inklusive Essen"),
    ("Caritas e. V.", "Caritas eingetragener Verein."),
    ("Caritas e.V. Wir helfen.", "Caritas eingetragener Verein. Wir helfen."),
    ("Fr. Müller, Fr 9:00", "Frau Müller, Freitag 9 Uhr"),
    ("EUTB Beratung & Hilfe", "EUTB Beratung und Hilfe"),
    ("Sport, Spiel usw.", "Sport, Spiel und so weiter."),
    # money
    ("3,50 €", "3 Euro 50"),
    ("€ 3,50", "3 Euro 50"),
    ("3,50 EUR pro Monat", "3 Euro 50 pro Monat"),
    ("0,50 €", "50 Cent"),
    ("3,- €", "3 Euro"),
    ("1.200 €", "1200 Euro"),
    # ordinary words that look like weekday abbreviations stay words
    ("So kommen Sie hin.", "So kommen Sie hin."),
    ("Do it yourself", "Do it yourself"),
    # lines become sentences; text starting with "-" is left for the engine (it gets "--")
    ("Wann?\nMo–Fr 9:00–12:00\nWo:\nHier", "Wann? Montag bis Freitag, 9 bis 12 Uhr. Wo. Hier"),
    ("-v en --help", "-v en --help"),
    ("Web: https://www.caritas-steinfurt.de", "Web: caritas-steinfurt.de"),
    ("", ""),
]

ENGLISH = [
    ("Mo–Fr 9:00–12:00", "Monday to Friday, 9 to 12"),
    ("Mon–Fri 9:00–12:00", "Monday to Friday, 9 to 12"),
    ("Monday to Friday: 9:00–12:00", "Monday to Friday: 9 to 12"),
    ("Sat & Sun 10:00–18:00", "Saturday and Sunday, 10 to 18"),
    ("Open now until 12:00", "Open now until 12 o'clock"),
    ("Opens Tue 10:00", "Opens Tuesday 10 o'clock"),
    ("Opens Tue 31/12 10:00", "Opens Tuesday 31 December 10 o'clock"),
    ("14:30", "14 30"),
    ("9:05", "9 oh 5"),
    ("9:00–24:00", "9 to midnight"),
    ("9:00–12:30 Uhr", "9 to 12 30"),
    ("31.12.2026", "31 December 2026"),
    ("(until 2026-12-31)", "(until 31 December 2026)"),
    ("Phone: 05481 99910-12 ext. 12", "Phone: 0 5 4 8 1, 9 9 9 1 0, 1 2 extension 12"),
    ("Tel.: 05481/99910", "phone: 0 5 4 8 1, 9 9 9 1 0"),
    ("e.g. doctors, approx. 20 people", "for example doctors, approximately 20 people"),
    ("Coffee & cake", "Coffee and cake"),
    ("3,50 €", "3 euros 50"),
    ("€3.50", "3 euros 50"),
    ("1 EUR", "1 euro"),
    ("z. B. Caritas e. V., Bahnhofstr. 1", "for example Caritas registered association, Bahnhofstraße 1"),
    ("Sun is shining", "Sun is shining"),
]

OTHER = [
    # Languages without a table get only the language-neutral steps.
    ("uk", "Mo–Fr 9:00–12:00", "Mo–Fr 9:00–12:00"),
    ("ar", "05481 99910-12", "0 5 4 8 1, 9 9 9 1 0, 1 2"),
    ("tr", "Satır bir\nSatır iki", "Satır bir. Satır iki"),
    ("de-DE", "Mo–Fr 9:00–12:00", "Montag bis Freitag, 9 bis 12 Uhr"),
    ("en_GB", "Mo–Fr 9:00–12:00", "Monday to Friday, 9 to 12"),
]


@pytest.mark.parametrize(("text", "spoken"), GERMAN)
def test_german(text: str, spoken: str) -> None:
    assert speakable(text, "de") == spoken


@pytest.mark.parametrize(("text", "spoken"), ENGLISH)
def test_english(text: str, spoken: str) -> None:
    assert speakable(text, "en") == spoken


@pytest.mark.parametrize(("language", "text", "spoken"), OTHER)
def test_other_languages(language: str, text: str, spoken: str) -> None:
    assert speakable(text, language) == spoken


@pytest.mark.parametrize(("language", "text"), [("de", t) for t, _ in GERMAN] + [("en", t) for t, _ in ENGLISH]
                         + [(lang, t) for lang, t, _ in OTHER])
def test_idempotent(language: str, text: str) -> None:
    """The backends normalise again what a screen may already have normalised."""
    once = speakable(text, language)
    assert speakable(once, language) == once


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n", "\r\r\n", "\u2028", "\u2029", "\x85", "\u2029\n"],
                         ids=["CR", "CRLF", "LF", "CR-CRLF", "LS", "PS", "NEL", "PS-LF"])
def test_a_carriage_return_is_a_line_break_and_so_a_pause(end: str) -> None:
    """Catalogue text from Windows (CRLF), old Macs (a lone CR) or a word processor (the line and
    paragraph separators U+2028/U+2029, NEL): each line ends with a pause, as sync.text reads them."""
    text = end.join(["Wann?", "Mo–Fr 9:00–12:00", "Wo:", "Hier"])
    assert speakable(text, "de") == "Wann? Montag bis Freitag, 9 bis 12 Uhr. Wo. Hier"


def test_control_characters_never_reach_the_engine() -> None:
    assert speakable("Hallo\x00 Welt\x1b[2J\u200b!", "de") == "Hallo Welt [2J!"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("word", ["می‌خواهم", "کتاب‌ها", "نمی‌دانم"])
def test_the_persian_zero_width_non_joiner_keeps_a_word_one_word(word: str) -> None:
    """Persian writes a word's parts apart with U+200C ("I want", "books", "I don't know"): the real
    espeak-ng (fa voice, as the engine calls it) says them as one word, as written; a space in its
    place would make two words, with a break ("mi x'Aham" for "mix'Aham")."""
    def phonemes(text: str) -> str:
        run = subprocess.run(["espeak-ng", "-b", "1", "-v", "fa", "-q", "-x", "--", text],
                             capture_output=True, text=True, timeout=30, check=True)
        return run.stdout.strip()

    said = speakable(word, "fa")
    assert "\u200c" in said
    assert " " not in phonemes(said), phonemes(said)  # one word
    assert " " in phonemes(word.replace("\u200c", " "))  # what it was: two words


@pytest.mark.parametrize(("parts", "spoken"), [
    (["Sprachcafé", "Deutsch üben", "Mo–Fr 9:00–12:00", "Bahnhofstr. 1"],
     "Sprachcafé. Deutsch üben. Mo–Fr 9:00–12:00. Bahnhofstr. 1."),
    (["Wann?", None, "", "  ", "Wo:", "Hier!"], "Wann? Wo. Hier!"),
    (["Zwei\n  Zeilen  "], "Zwei Zeilen."),
    ([], ""),
])
def test_utterance_joins_parts_with_pauses(parts: list[str | None], spoken: str) -> None:
    assert utterance(parts, "de") == spoken


def test_utterance_then_speakable() -> None:
    text = utterance(["Beratung", "Mo–Fr 9:00–12:00", "Tel. 05481 99910-12"], "de")
    assert speakable(text, "de") == "Beratung. Montag bis Freitag, 9 bis 12 Uhr. Telefon 0 5 4 8 1, 9 9 9 1 0, 1 2."


@pytest.mark.parametrize(("code", "base"), [("de", "de"), ("de-DE", "de"), ("EN_gb", "en"), ("", "")])
def test_base_language(code: str, base: str) -> None:
    assert base_language(code) == base



def test_utterance_parts_keep_languages_apart_and_lines_together() -> None:
    parts = [("Angebot", "en"), [("Access:", "en"), ("rollstuhlgerecht", "de")], None, ("", "de"),
             [("Offered by", "en"), ("Caritas", "de"), (".", "en")], ("Beratung:", "de"), ("Phone 1", "en")]
    assert utterance_parts(parts) == [("Angebot. Access:", "en"), ("rollstuhlgerecht.", "de"),
                                      ("Offered by", "en"), ("Caritas. Beratung.", "de"), ("Phone 1.", "en")]
