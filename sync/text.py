"""Text hygiene for untrusted catalogue text, and the folding that makes search forgiving.

Two jobs, kept apart on purpose:

* `clean_text` runs on every string that enters the store. It removes what could reach the terminal
  as a control sequence or fake the direction of text (C0 except tab and newline, DEL, C1, bidi
  overrides and isolates, invisible zero-width characters) and normalises to NFC. What is left is shown
  as plain text by the kiosk.
* `fold` runs on both the indexed text and the visitor's query, so that both meet in one spelling:
  case-folded, umlauts and their transliterations merged (Ärztin = aerztin = arztin), ß = ss, other
  diacritics removed (é = e).
"""
from __future__ import annotations

import re
import unicodedata

# C0 controls except \t and \n, DEL, C1 controls; then invisible format characters used for tricks:
# LRM/RLM, ALM, bidi embeddings/overrides (U+202A-E), isolates (U+2066-9), zero-width space,
# word joiner and invisible operators, BOM, soft hyphen, Mongolian vowel separator.
# ZWNJ (U+200C) and ZWJ (U+200D) stay: Persian words and emoji sequences need them.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]"
)
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029\x85]")

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})
_TRANSLIT = re.compile("ae|oe|ue")
_WORD = re.compile(r"[^\W_]+")

MAX_QUERY_TERMS = 8
MAX_TERM_LENGTH = 40


def clean_text(value: str) -> str:
    """Return `value` safe to show in a terminal: NFC, no control or direction-faking characters."""
    if value.isascii() and value.isprintable():  # the common case: nothing to remove or compose
        return value.strip()
    value = _NEWLINES.sub("\n", value)
    value = _UNSAFE.sub("", value)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value.strip()


def clean_deep(value: object) -> object:
    """Apply `clean_text` to every string value inside nested lists and dicts.

    Keys are field names that are looked up, never shown, so they are left as they are.
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_deep(v) for k, v in value.items()}
    return value


def fold(value: str) -> str:
    """Fold text for matching: lower case, umlauts and 'ae/oe/ue' to one form, ß to ss, no accents."""
    if value.isascii():  # no umlauts or accents to fold: lower case and transliterations only
        return _TRANSLIT.sub(_first_letter, value.lower())
    value = unicodedata.normalize("NFC", value).casefold().translate(_UMLAUTS)
    value = unicodedata.normalize("NFKD", value)
    if not value.isascii():
        value = "".join(c for c in value if not unicodedata.combining(c))
    return _TRANSLIT.sub(_first_letter, value)


def _first_letter(match: re.Match) -> str:
    return match.group(0)[0]


def terms(value: str) -> list[str]:
    """Split a visitor's text into folded search terms (punctuation and operators dropped)."""
    out: list[str] = []
    for word in _WORD.findall(fold(value)):
        word = word[:MAX_TERM_LENGTH]
        if word not in out:
            out.append(word)
    return out[:MAX_QUERY_TERMS]


def fts_query(value: str) -> str | None:
    """Build a safe FTS5 MATCH expression: every term quoted, prefix-matched, all required.

    Visitor text never reaches FTS5 syntax: quotes, `-`, `AND`, `*` and brackets become plain words
    or vanish. Returns None when nothing searchable is left.
    """
    words = terms(value)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)
