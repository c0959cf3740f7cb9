"""The vocabulary of the live search index, and close spellings of a word in it.

Every term of the FTS index with how many rows hold it (fts5vocab), stored compactly: sorted
terms, arrays of counts with running sums (the size of a prefix), and one joined string for the
look-up of fragments inside compounds and at their end. Typo tolerance uses `rapidfuzz`
(optimal-string-alignment distance, so a swapped pair of letters counts as one edit).
"""
from __future__ import annotations

import bisect
import sqlite3
from array import array
from collections.abc import Iterable, Sequence

from .schema import FTS_NAME_COLUMN

MIN_FUZZY = 4           # shorter words are never "corrected"
MAX_FUZZY_TERMS = 3     # close spellings added per word
MAX_INFIX_TERMS = 24    # compounds added per fragment (the most frequent ones)


class Vocabulary:
    """Every term of the FTS index with how many rows hold it (in the name, and at most overall)."""

    def __init__(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """`rows`: (term, rows holding it, rows holding it in the name); a term may come repeatedly."""
        terms: list[str] = []
        docs, name_docs = array("q"), array("q")
        for term, count, in_name in rows:
            if not term:
                continue
            if terms and terms[-1] == term:
                docs[-1] += count
                name_docs[-1] += in_name
                continue
            terms.append(term)
            docs.append(count)
            name_docs.append(in_name)
        if any(a >= b for a, b in zip(terms, terms[1:])):  # not from fts5vocab: sort and merge
            merged: dict[str, list[int]] = {}
            for term, count, in_name in zip(terms, docs, name_docs):
                slot = merged.setdefault(term, [0, 0])
                slot[0] += count
                slot[1] += in_name
            terms = sorted(merged)
            docs = array("q", (merged[t][0] for t in terms))
            name_docs = array("q", (merged[t][1] for t in terms))
        # Compact storage (a kiosk has little memory): arrays of numbers, one joined string for
        # the look-up inside compounds, running sums for the size of a prefix.
        self.terms = terms
        self.docs, self.name_docs = docs, name_docs
        self._cum, self._cum_name = array("q", [0]), array("q", [0])
        self._offsets = array("q")
        pos = 1
        for term, count, in_name in zip(terms, docs, name_docs):
            self._cum.append(self._cum[-1] + count)
            self._cum_name.append(self._cum_name[-1] + in_name)
            self._offsets.append(pos)
            pos += len(term) + 1
        self._joined = "\n" + "\n".join(terms) + "\n"

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
            return self.docs[i], self.name_docs[i]
        return 0, 0

    def containing(self, fragment: str, limit: int = MAX_INFIX_TERMS) -> list[str]:
        """Terms that hold `fragment` inside (not at their start: the prefix covers those), most rows first."""
        found: list[int] = []
        joined, offsets = self._joined, self._offsets
        i = joined.find(fragment)
        while i != -1:
            k = bisect.bisect_right(offsets, i) - 1
            if offsets[k] != i:
                found.append(k)
            nxt = offsets[k + 1] if k + 1 < len(offsets) else len(joined)
            i = joined.find(fragment, nxt)
        found.sort(key=lambda k: -self.docs[k])
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
        found.sort(key=lambda k: -self.docs[k])
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
        for term, dist in close_spellings(word, self.terms, limit * 2):
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
