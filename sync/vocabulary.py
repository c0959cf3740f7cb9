"""The vocabulary of the live search index, and close spellings of a word in it.

Every term of the FTS index with how many rows hold it (fts5vocab), stored compactly: sorted
terms, arrays of counts with running sums (the size of a prefix), and one joined string for the
look-up of fragments inside compounds and at their end. Typo tolerance uses `rapidfuzz`
(optimal-string-alignment distance, so a swapped pair of letters counts as one edit).
"""
from __future__ import annotations

import bisect
import itertools
import sqlite3
from array import array
from collections.abc import Iterable, Sequence
from typing import overload

from .schema import FTS_NAME_COLUMN

MIN_FUZZY = 4           # shorter words are never "corrected"
MAX_FUZZY_TERMS = 3     # close spellings added per word
MAX_INFIX_TERMS = 24    # compounds added per fragment (the most frequent ones)


class Vocabulary:
    """Every term of the FTS index with how many rows hold it (in the name, and at most overall)."""

    def __init__(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """`rows`: (term, rows holding it, rows holding it in the name); a term may come repeatedly."""
        # Compact storage (a kiosk has little memory): arrays of numbers, the terms as one joined
        # string, built a thousand terms at a time (48,000 separate str objects held 3 MB at
        # 50,000 offers), running sums for the size of a prefix.
        chunks: list[str] = ["\n"]
        batch: list[str] = []
        docs, name_docs, offsets = array("q"), array("q"), array("i")  # offsets < 2 GB
        pos, last = 1, ""
        rows = iter(rows)
        for term, count, in_name in rows:
            if not term:
                continue
            if term == last:
                docs[-1] += count
                name_docs[-1] += in_name
                continue
            if term < last:  # not from fts5vocab: sort and merge them all
                chunks.append("".join(batch))
                seen = zip("".join(chunks)[1:-1].split("\n"), docs, name_docs)
                merged: dict[str, list[int]] = {}
                for t, c, n in itertools.chain(seen, [(term, count, in_name)], rows):
                    if t:
                        slot = merged.setdefault(t, [0, 0])
                        slot[0] += c
                        slot[1] += n
                self.__init__([(t, *merged[t]) for t in sorted(merged)])  # type: ignore[misc]
                return
            batch.append(term + "\n")
            if len(batch) >= 1000:
                chunks.append("".join(batch))
                batch.clear()
            offsets.append(pos)
            pos += len(term) + 1
            docs.append(count)
            name_docs.append(in_name)
            last = term
        chunks.append("".join(batch))
        self._joined = "".join(chunks)
        del chunks, batch
        # A term's own counts are the steps of the running sums: not kept twice.
        self._offsets = offsets
        self._cum, self._cum_name = _running_sums(docs), _running_sums(name_docs)
        del docs, name_docs
        self.terms = Terms(self._joined, self._offsets)

    @classmethod
    def from_connection(cls, conn: sqlite3.Connection) -> Vocabulary:
        """Read the vocabulary of `offers_fts` through a temporary fts5vocab table (works read-only).

        fts5vocab yields the terms in order, one row per term and column; they are merged as
        they stream by, so reading costs little more memory than the result.
        """
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab "
                      "USING fts5vocab(main, offers_fts, 'col')")
        rows = conn.execute("SELECT term, col, doc FROM temp.search_vocab")
        return cls((term, doc, doc if col == FTS_NAME_COLUMN else 0) for term, col, doc in rows)

    def __len__(self) -> int:
        return len(self.terms)

    def _range(self, prefix: str) -> tuple[int, int]:
        lo = bisect.bisect_left(self.terms, prefix)
        hi = bisect.bisect_left(self.terms, prefix + "\U0010ffff", lo)
        return lo, hi

    def prefix_docs(self, prefix: str) -> tuple[int, int]:
        """(rows, name rows) that a prefix can match, as upper bounds; (0, 0) when nothing starts so."""
        lo, hi = self._range(prefix)
        return self._cum[hi] - self._cum[lo], self._cum_name[hi] - self._cum_name[lo]

    def term_docs(self, term: str) -> tuple[int, int]:
        i = bisect.bisect_left(self.terms, term)
        if i < len(self.terms) and self.terms[i] == term:
            return self._cum[i + 1] - self._cum[i], self._cum_name[i + 1] - self._cum_name[i]
        return 0, 0

    def containing(self, fragment: str, limit: int = MAX_INFIX_TERMS) -> list[str]:
        """Terms that hold `fragment` inside (not at their start: the prefix covers those), most rows first."""
        if not fragment:  # held by every term, and `find` would stand still at the end: no answer
            return []
        found: list[int] = []
        joined, offsets = self._joined, self._offsets
        i = joined.find(fragment)
        while i != -1:
            k = bisect.bisect_right(offsets, i) - 1
            if offsets[k] != i:
                found.append(k)
            nxt = offsets[k + 1] if k + 1 < len(offsets) else len(joined)
            i = joined.find(fragment, nxt)
        found.sort(key=lambda k: self._cum[k] - self._cum[k + 1])
        return [self.terms[k] for k in found[:limit]]

    def ending(self, tail: str, limit: int = MAX_INFIX_TERMS) -> list[str]:
        """Terms that end with `tail` (the tail itself included), most rows first."""
        found: list[int] = []
        joined, offsets = self._joined, self._offsets
        needle = tail + "\n"
        i = joined.find(needle)
        while i != -1:
            k = bisect.bisect_right(offsets, i) - 1
            found.append(k)
            i = joined.find(needle, i + len(needle))
        found.sort(key=lambda k: self._cum[k] - self._cum[k + 1])
        return [self.terms[k] for k in found[:limit]]

    def close(self, word: str, limit: int = MAX_FUZZY_TERMS) -> list[tuple[str, bool]]:
        """Close spellings of `word`: (text, is_prefix) pairs, nearest and commonest first.

        Whole terms within a small edit distance ("deutschkurz" -> deutschkurs), and beginnings of
        longer terms ("hospitz" -> hospiz*, the start of hospizdienst): a typo inside a compound, or
        in a word still being typed. Beginnings are looked for among terms that share the word's
        first two letters (typos there are rare), which keeps this fast in a large vocabulary.
        """
        edits = max_edits(word)
        if not edits:
            return []
        scored: dict[tuple[str, bool], tuple[int, int]] = {}
        for term, dist in self.terms.close_spellings(word, limit * 2):
            scored[(term, False)] = (dist, -self.term_docs(term)[0])
        lo, hi = self._range(word[:2])
        if hi > lo:
            n = len(word)
            for cut in (n - 1, n, n + 1):
                if cut < MIN_FUZZY:
                    continue
                starts = list(dict.fromkeys(t[:cut] for t in self.terms[lo:hi] if len(t) > cut))
                for start, dist in close_spellings(word, starts, limit * 2):
                    if start.startswith(word) or word.startswith(start):
                        continue  # the word's own prefix matches, or a mere truncation of it
                    key = (start, True)
                    rank = (dist, -self.prefix_docs(start)[0])
                    if key not in scored or rank < scored[key]:
                        scored[key] = rank
        # nearest first; at equal distance whole words before beginnings, then the commonest
        best = sorted(scored, key=lambda k: (scored[k][0], k[1], scored[k][1], k))
        return best[:limit]


class Terms(Sequence[str]):
    """The sorted terms, read as slices of one string of them all ("\\nterm\\nterm\\n") at their
    start offsets: a term is a str only while it is used."""

    __slots__ = ("_joined", "_offsets")
    CHUNK = 4096  # terms made into strings at a time for a scan of them all

    def __init__(self, joined: str, offsets: array[int]) -> None:
        self._joined, self._offsets = joined, offsets

    @classmethod
    def of(cls, words: Iterable[str]) -> Terms:
        """Terms of sorted words without a line break in them."""
        offsets, pos, parts = array("i"), 1, ["\n"]
        for word in words:
            offsets.append(pos)
            pos += len(word) + 1
            parts.append(word + "\n")
        return cls("".join(parts), offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            lo, hi, step = i.indices(len(self))
            if step != 1 or hi <= lo:
                return [self[k] for k in range(lo, hi, step)]
            return self._joined[self._offsets[lo]:self._end(hi - 1)].split("\n")
        if i < 0:
            i += len(self)
        return self._joined[self._offsets[i]:self._end(i)]

    def _end(self, i: int) -> int:
        return self._offsets[i + 1] - 1 if i + 1 < len(self._offsets) else len(self._joined) - 1

    def close_spellings(self, word: str, limit: int) -> list[tuple[str, int]]:
        """`close_spellings` over every term, CHUNK terms at a time (the same answer as over one
        list of them all: each chunk gives its own nearest `limit`, the nearest of those are kept)."""
        pairs: list[tuple[str, int]] = []
        for lo in range(0, len(self), self.CHUNK):
            pairs += close_spellings(word, self[lo:lo + self.CHUNK], limit)
        pairs.sort(key=lambda p: (p[1], p[0]))
        return pairs[:limit]


def _running_sums(counts: array[int]) -> array[int]:
    """0 and the running sums of `counts`, in 4 bytes each (a row holds a term once: the sums stay
    far below 4 billion at 50,000 offers; 8 bytes each above that)."""
    for typecode in ("I", "q"):
        sums, total = array(typecode, [0]), 0
        try:
            for count in counts:
                total += count
                sums.append(total)
        except OverflowError:
            continue
        return sums
    raise AssertionError("unreachable: 8-byte sums hold any count SQLite can give")


def max_edits(word: str) -> int:
    """Edits allowed between a typed word and a catalogue word: none under 4 letters, 2 from 8."""
    n = len(word)
    return 0 if n < MIN_FUZZY else 1 if n < 8 else 2


def close_spellings(word: str, choices: Sequence[str], limit: int) -> list[tuple[str, int]]:
    """Up to `limit` of `choices` within `max_edits(word)` edits of `word` (not the word itself), as
    (choice, edits) pairs, nearest first, then alphabetically."""
    edits = max_edits(word)
    if not edits or not choices:
        return []
    # Imported at the first typo, not at start-up (the kiosk's start screen needs no search).
    from rapidfuzz import process as _rf_process
    from rapidfuzz.distance import OSA as _OSA

    hits = _rf_process.extract(word, choices, scorer=_OSA.distance, score_cutoff=edits, limit=None)
    pairs = [(choice, int(dist)) for choice, dist, _ in hits if choice != word]
    pairs.sort(key=lambda p: (p[1], p[0]))
    return pairs[:limit]
