"""Text hygiene for untrusted catalogue text, and the folding that makes search forgiving.

Two jobs, kept apart on purpose:

* `clean_text` runs on every string that enters the store. It removes what could reach the terminal
  as a control sequence or fake the direction of text (C0 except tab and newline, DEL, C1, bidi
  overrides and isolates, invisible zero-width characters), replaces a lone surrogate (a broken
  ``\udc00`` escape, which SQLite cannot store) with U+FFFD and normalises to NFC. What is left is
  shown as plain text by the kiosk.
* `fold` runs on both the indexed text and the visitor's query, so that both meet in one spelling:
  case-folded, umlauts and their transliterations merged (Ärztin = aerztin = arztin), ß = ss, other
  diacritics removed (é = e), zero-width joiners and non-joiners left out.

Zero-width joiner (ZWJ, U+200D) and non-joiner (ZWNJ, U+200C) are kept only where a reader needs
them: ZWJ between two emoji (👩‍⚕️ is one "health worker", not a woman and a staff of Aesculapius)
and ZWNJ between two letters of the Arabic script (Persian and Kurdish spelling: "می‌خواهم" without it
is joined into a misspelled word, and people from Afghanistan and Iran are among the kiosk's
visitors). Anywhere else they only hide a word from search and filters ("Ta\u200dfel"), so they go.
Search folds them away on both sides, so a name with them is found by a query without them.
"""
from __future__ import annotations

import re
import unicodedata

# C0 controls except \t and \n, DEL, C1 controls: what a terminal or a printer could take as a
# command. A character class body, for the kiosk's own cleaners too (read-aloud, QR and slip text).
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Those, then invisible format characters used for tricks: LRM/RLM, ALM, bidi embeddings/overrides
# (U+202A-E), isolates (U+2066-9), zero-width space, word joiner and invisible operators, BOM, soft
# hyphen, Mongolian vowel separator.
# ZWNJ (U+200C) and ZWJ (U+200D) are handled by `_joiners`: kept in Persian words and emoji sequences.
_UNSAFE = re.compile(
    f"[{CONTROL_CHARS}\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_JOINER = re.compile("[\u200c\u200d]")
# Emoji and pictographs a ZWJ sequence is made of (the blocks of Extended_Pictographic), and what may
# stand between a pictograph and its ZWJ: variation selector 16 and the skin tone modifiers.
# Compiled at the first ZWJ: 5 ms of every start of the kiosk and of every sync otherwise.
_PICTOGRAPH = ("[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21ff\u2300-\u23ff\u24c2\u25aa-\u27bf"
               "\u2900-\u297f\u2b00-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff]")
_EMOJI_TAIL = "\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
                            "\ufb50-\ufdff\ufe70-\ufeff]")
_NO_JOINERS = str.maketrans("", "", "\u200c\u200d")
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029\x85]")
# Anything `clean_text` would change besides NFC and the outer spaces: one search finds whether a
# string holds any of it (most catalogue text does not: German words with umlauts and ß).
_ATTENTION = re.compile(f"[\r\u2028\u2029{CONTROL_CHARS}\u061c\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u2069\ufeff\u00ad\ud800-\udfff]")

_WORD = re.compile(r"[^\W_]+")

MAX_QUERY_TERMS = 8
MAX_TERM_LENGTH = 40


def clean_text(value: str) -> str:
    """Return `value` safe to show in a terminal: NFC, no control or direction-faking characters."""
    if value.isascii() and value.isprintable():  # the common case: nothing to remove or compose
        return value.strip()
    if not _ATTENTION.search(value) and unicodedata.is_normalized("NFC", value):  # umlauts, ß, €
        return value.strip()
    return clean_text_fully(value)


def clean_text_fully(value: str) -> str:
    """`clean_text` without its shortcuts (what they must agree with)."""
    value = _NEWLINES.sub("\n", value)
    value = _UNSAFE.sub("", value)
    if _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    if "\u200c" in value or "\u200d" in value:
        value = _JOINER.sub(_joiners, value)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value.strip()


def _joiners(match: re.Match) -> str:
    """Keep a ZWJ between two emoji and a ZWNJ between two Arabic-script letters; drop any other."""
    text, at, joiner = match.string, match.start(), match.group()
    after = text[at + 1:at + 2]
    if joiner == "\u200d":
        before = text[:at].rstrip(_EMOJI_TAIL)[-1:]
        keep = before and re.match(_PICTOGRAPH, before) and re.match(_PICTOGRAPH, after)
    else:
        before = text[:at]
        while before and unicodedata.combining(before[-1]):  # harakat after the letter
            before = before[:-1]
        keep = before and _ARABIC_LETTER.match(before[-1]) and _ARABIC_LETTER.match(after)
    return joiner if keep else ""


MAX_DEPTH = 24          # an HSDS service nests about 6 levels deep
MAX_NODES = 50_000      # values in one record (a rich service has a few hundred)


class RecordTooComplex(ValueError):
    """A record nests deeper or holds more values than any real service; `path` names the field."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str] = []


class Cut:
    """Stands where the JSON reader (`jsonstream`) did not build a value that nests too deep or
    holds too many values; `clean_deep` refuses the record there, naming the field."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Cut({self.reason!r})"


class _Budget:
    __slots__ = ("nodes", "repaired")

    def __init__(self, nodes: int) -> None:
        self.nodes, self.repaired = nodes, 0


def clean_deep(value: object, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES,
               counts: dict | None = None) -> object:
    """Apply `clean_text` to every string (keys included) inside nested lists and dicts.

    Raises `RecordTooComplex` (with the path to the offending field) for a value nested deeper than
    `max_depth` or holding more than `max_nodes` values, before any recursion limit is near: a
    hostile 10,000-level record is refused after `max_depth` steps. If `counts` is given, its
    "surrogates" entry is set to the number of strings in which a lone surrogate was replaced.
    """
    budget = _Budget(max_nodes)
    out = _clean(value, max_depth, budget)
    if counts is not None:
        counts["surrogates"] = budget.repaired
    return out


def _clean(value: object, depth: int, budget: _Budget) -> object:
    # Leaves (strings, numbers) are handled inline, without a call each: this runs on every value
    # of every record of a sync.
    if isinstance(value, str):
        return _leaf(value, budget)
    if not isinstance(value, (dict, list)):
        if type(value) is Cut:
            raise RecordTooComplex(value.reason)
        return value
    if depth <= 0:
        raise RecordTooComplex(f"nested deeper than {MAX_DEPTH} levels")
    budget.nodes -= len(value)
    if budget.nodes < 0:
        raise RecordTooComplex("holds too many values for one service")
    if isinstance(value, dict):
        out: dict = {}
        for k, v in value.items():
            key = k if k.isascii() else clean_text(k)
            kind = type(v)
            if kind is str:
                # clean_text's own fast path, inlined: most values are plain ASCII
                out[key] = v.strip() if v.isascii() and v.isprintable() else _leaf(v, budget)
            elif kind is dict or kind is list or kind is Cut:
                try:
                    out[key] = _clean(v, depth - 1, budget)
                except RecordTooComplex as exc:
                    exc.path.insert(0, f".{k}")
                    raise
            else:
                out[key] = v
        return out
    items: list = []
    for i, v in enumerate(value):
        try:
            items.append(_clean(v, depth - 1, budget))
        except RecordTooComplex as exc:
            exc.path.insert(0, f"[{i}]")
            raise
    return items


def _leaf(value: str, budget: _Budget) -> str:
    cleaned = clean_text(value)
    if cleaned is not value and "\ufffd" in cleaned and _SURROGATE.search(value):
        budget.repaired += 1
    return cleaned


def surrogate_fields(value: object, path: str = "") -> list[str]:
    """Paths of the strings in `value` that hold a lone surrogate (to say which field was repaired)."""
    if isinstance(value, str):
        return [path.lstrip(".") or "(value)"] if _SURROGATE.search(value) else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in surrogate_fields(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in surrogate_fields(v, f"{path}[{i}]")]
    return []


def fold(value: str) -> str:
    """Fold text for matching: lower case, umlauts and 'ae/oe/ue' to one form, ß to ss, no accents."""
    # str.replace, not str.translate or a regex with a function: the same output (each pair ends in
    # an "e" that no pair starts with, so one pass each finds what the regex found), a third of the
    # time; folding was ~7 % of a full sync's CPU time.
    if value.isascii():  # no umlauts or accents to fold: lower case and transliterations only
        return _transliterate(value.lower())
    # (ä, ö, ü would lose their dots below too, but then the text is not ASCII and goes through the
    # slower loop over each character: German text mostly has no other accents)
    value = unicodedata.normalize("NFC", value).casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u")
    if "\u200c" in value or "\u200d" in value:
        value = value.translate(_NO_JOINERS)
    value = unicodedata.normalize("NFKD", value)
    if not value.isascii():
        value = "".join(c for c in value if not unicodedata.combining(c))
    return _transliterate(value)


def _transliterate(value: str) -> str:
    """"ae", "oe", "ue" to "a", "o", "u" (as the regex "ae|oe|ue" replaced by its first letter)."""
    return value.replace("ae", "a").replace("oe", "o").replace("ue", "u")


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
