"""The thesaurus of search: synonym rules, stop words and general-counselling words, from a file.

`assets/synonyms.txt` is plain text the central team edits; it is read at query time (cached by
the file's size and modification time), so a change needs no re-import. A malformed line raises
`SynonymError` naming the file and the line.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import package_dir
from .errors import SyncError
from .text import fold

# Package data (assets/ is installed as `kiosk_assets`); an installed package lies unpacked on disk.
SYNONYMS_PATH = package_dir("kiosk_assets") / "synonyms.txt"

_WORD = re.compile(r"[^\W_]+")


class SynonymError(SyncError, ValueError):
    """The thesaurus file cannot be read; the message names the file and line."""


# -- the thesaurus ------------------------------------------------------------------------------

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    """Synonym rules, stop words and the general-counselling words, all folded."""

    rules: dict[Phrase, tuple[Phrase, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    fallback: tuple[Phrase, ...] = (("sozialberatung",), ("allgemeine", "beratung"))
    source: str = "<none>"

    @property
    def longest_trigger(self) -> int:
        return max((len(k) for k in self.rules), default=1)

    def single_triggers(self) -> list[str]:
        """Sorted one-word triggers (for prefix look-up while a word is being typed)."""
        return sorted(k[0] for k in self.rules if len(k) == 1)


def _phrase(entry: str) -> Phrase:
    return tuple(_WORD.findall(fold(entry)))


def parse_thesaurus(text: str, source: str = "<text>") -> Thesaurus:
    """Read the thesaurus format (see assets/synonyms.txt). Raises SynonymError naming source:line."""
    rules: dict[Phrase, dict[Phrase, None]] = {}
    stop: set[str] = set()
    fallback: list[Phrase] = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{source}:{number}"
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        directive = None
        head, colon, rest = body.partition(":")
        if colon:
            directive = head.strip().lower()
            if directive not in ("stop", "fallback"):
                raise SynonymError(f"{where}: unknown directive {head.strip()!r} (known: stop:, fallback:)")
            body = rest
        if body.count("=>") > 1:
            raise SynonymError(f"{where}: more than one '=>' in a line")
        if directive and "=>" in body:
            raise SynonymError(f"{where}: '=>' has no meaning in a {directive}: line")
        sides = [side.split(",") for side in body.split("=>")]
        parsed: list[list[Phrase]] = []
        for side in sides:
            entries = []
            for raw in side:
                if not raw.strip():
                    raise SynonymError(f"{where}: empty entry (two commas in a row, or a comma at an end)")
                words = _phrase(raw)
                if not words:
                    raise SynonymError(f"{where}: {raw.strip()!r} has no letters or digits to search for")
                entries.append(words)
            parsed.append(entries)
        if directive == "stop":
            for words in parsed[0]:
                if len(words) != 1:
                    raise SynonymError(f"{where}: stop words are single words, not {' '.join(words)!r}")
                stop.add(words[0])
            continue
        if directive == "fallback":
            fallback += parsed[0]
            continue
        if len(parsed) == 2:
            triggers, targets = parsed
        else:
            if len(parsed[0]) < 2:
                raise SynonymError(f"{where}: a rule needs two or more words separated by commas, "
                                   "or 'words => other words'")
            triggers = targets = parsed[0]
        for trigger in triggers:
            bucket = rules.setdefault(trigger, {})
            for target in targets:
                if target != trigger:
                    bucket[target] = None
    return Thesaurus({k: tuple(v) for k, v in rules.items()}, frozenset(stop),
                     tuple(fallback) or Thesaurus.fallback, source)


_CACHE: dict[Path, tuple[tuple[int, int], Thesaurus]] = {}
_CACHE_LOCK = threading.Lock()


def load_thesaurus(path: Path | str | None = None) -> Thesaurus:
    """The thesaurus at `path` (default: the bundled assets/synonyms.txt), re-read when it changes."""
    path = Path(path) if path is not None else SYNONYMS_PATH
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        with _CACHE_LOCK:
            hit = _CACHE.get(path)
        if hit and hit[0] == stamp:
            return hit[1]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SynonymError(f"{path}: cannot read the synonym list: {exc}") from exc
    thesaurus = parse_thesaurus(text, str(path))
    with _CACHE_LOCK:
        _CACHE[path] = (stamp, thesaurus)
    return thesaurus


# -- the visitor's own language -----------------------------------------------------------------
# assets/terms/<language>.toml: words a visitor types in their own language, each leading to a
# German word of the thesaurus (and so to that word's synonyms), plus that language's stop words.
# The offers stay German; these lists only let "лікар", "طبيب" or "doktor" find "Arzt".
TERMS_DIR = SYNONYMS_PATH.parent / "terms"
_TERMS_CACHE: dict[tuple[int, str, Path], tuple[tuple[int, int], Thesaurus]] = {}


def parse_terms(text: str, source: str = "<text>") -> tuple[dict[Phrase, list[Phrase]], frozenset[str]]:
    """({German phrase: [phrases in the language]}, stop words) from a terms file; SynonymError
    naming the file when it is not what it should be."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SynonymError(f"{source}: not valid TOML: {exc}") from None
    unknown = set(data) - {"stop", "terms"}
    if unknown:
        raise SynonymError(f"{source}: unknown keys {sorted(unknown)} (known: stop, terms)")
    stop, terms = data.get("stop", []), data.get("terms", {})
    if not isinstance(stop, list) or not all(isinstance(w, str) and len(_phrase(w)) == 1 for w in stop):
        raise SynonymError(f"{source}: stop must be a list of single words")
    if not isinstance(terms, dict):
        raise SynonymError(f"{source}: [terms] must be a table: German word = [words in the language]")
    out: dict[Phrase, list[Phrase]] = {}
    for german, words in terms.items():
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and _phrase(w) for w in words):
            raise SynonymError(f"{source}: terms.{german}: expected a list of words with letters")
        if not _phrase(german):
            raise SynonymError(f"{source}: terms: {german!r} has no letters to search for")
        out[_phrase(german)] = [_phrase(w) for w in words]
    return out, frozenset(_phrase(w)[0] for w in stop)


def with_language(base: Thesaurus, language: str | None, terms_dir: Path | None = None) -> Thesaurus:
    """`base` plus the terms of `language` (a UI language code; none or no file: `base` itself).

    A term leads to its German word and to everything that German word leads to in `base`.
    """
    code = str(language or "").replace("_", "-").split("-")[0].lower()
    path = (terms_dir or TERMS_DIR) / f"{code}.toml"
    if not code or code == "de" or not path.is_file():
        return base
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        key = (id(base), code, path)
        with _CACHE_LOCK:
            hit = _TERMS_CACHE.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
        terms, stop = parse_terms(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise SynonymError(f"{path}: cannot read the terms: {exc}") from exc
    rules = {k: list(v) for k, v in base.rules.items()}
    for german, words in terms.items():
        targets = [german, *base.rules.get(german, ())]
        for phrase in words:
            bucket = rules.setdefault(phrase, [])
            bucket += [t for t in targets if t not in bucket and t != phrase]
    merged = Thesaurus({k: tuple(v) for k, v in rules.items() if v}, base.stopwords | stop, base.fallback,
                       f"{base.source} + {path}")
    with _CACHE_LOCK:
        _TERMS_CACHE[key] = (stamp, merged)
    return merged
