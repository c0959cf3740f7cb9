"""Search that understands how people ask: everyday words, typos, phrases, compounds.

The FTS5 index (sync/schema.py) holds folded text (`text.fold`). sync/query.py reads what a visitor
typed into groups of alternatives, each checked against the index vocabulary; this module runs them
as safe FTS5 expressions over that index, in tiers.

Tiers, best first (bm25 with column weights inside each): the visitor's own words (with their
compounds, stems and close spellings) in the offer's name; then with synonyms in the name; then the
own words anywhere; then anything. So an offer whose name holds the typed word always comes before
one found only through a synonym. When that finds little (fewer than `FEW` offers), close spellings
of every word are added and their offers appended after the exact ones.

A town named beside other words ("schuldnerberatung ibbenbüren") is not searched as a word: it
narrows the offers to that town (`offers.town`), and when the town has none of them, the offers
nearest to it come instead, marked `town_empty` so that the screen can say so (sync/towns.py).

Speed: bm25 needs every matching row's size, so ranking a very broad match (a one-letter prefix in
50,000 offers) costs tens of milliseconds. The vocabulary gives an upper bound of the matches; above
`RANK_CAP` rows a tier is read unranked (in index order, stopping at the limit), which for such
broad input is as good as any order.

The vocabulary (terms and their row counts, ~6 MB at 50,000 offers) is read once per sync: the
catalogue re-reads it when `PRAGMA data_version` says another connection has committed.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .query import Planner, Unit, normalise
from .schema import FTS_NAME_COLUMN
from .towns import nearest_first

FEW = 3                 # fewer exact results than this: add close spellings
RANK_CAP = 3000         # above this many possible matches a tier is read unranked
MISS_RUN_SECONDS = 30.0  # misses further apart than this never belong to the same typing run


@dataclass(frozen=True)
class SearchResult:
    """What a search found, and how it read the query (for "Did you mean …" and statistics)."""

    ids: tuple[str, ...]
    query: str                                   # the normalised text: folded words, single spaces
    corrections: tuple[tuple[str, str], ...] = ()  # (typed word, word searched instead)
    ignored: tuple[str, ...] = ()                # words that match nothing and were left out
    approximate: bool = False                    # close spellings contributed to the result
    town: str | None = None                      # a town the visitor named: the list is narrowed to it
    town_empty: bool = False                     # nothing there: the offers nearest to it are shown


# -- running it ---------------------------------------------------------------------------------

_SELECT = ("SELECT o.id FROM offers_fts CROSS JOIN offers o ON o.key = offers_fts.rowid "
           "WHERE offers_fts MATCH ? AND o.visible = 1")


def _tiers(run, units: list[Unit], limit: int, found: list[str], tiers: dict[str, int], *,
           with_fuzzy: bool, towns: Sequence[str] = ()) -> None:
    """Append offer ids until `limit`, best tier first (`tiers` gets each new id's tier).

    Tiers: the typed words themselves in the offer's name (the word, its compounds and stems),
    then their synonyms in the name too, then the typed words anywhere, then anything. An offer
    whose name holds the very word typed thus always comes before one found only through a
    synonym. `towns` (spellings of one town) narrows the offers to that town.
    """
    steps: list[tuple[str, int]] = []  # (MATCH expression, estimated rows)
    for own_only, column in ((True, True), (False, True), (True, False), (False, False)):
        expr = " AND ".join(u.group(with_fuzzy=with_fuzzy, own_only=own_only) for u in units)
        sizes = [u.estimate(with_fuzzy=with_fuzzy, own_only=own_only) for u in units]
        estimate = min(s[1] if column else s[0] for s in sizes)
        match = f"{FTS_NAME_COLUMN} : ({expr})" if column else expr
        if estimate and match not in [m for m, _ in steps]:
            steps.append((match, estimate))
    where = (" AND o.town IN (" + ",".join("?" * len(towns)) + ")") if towns else ""
    seen = set(found)
    for tier, (match, estimate) in enumerate(steps):
        if len(found) >= limit:
            return
        sql = _SELECT + where + (" ORDER BY rank" if estimate <= RANK_CAP else "") + " LIMIT ?"
        for (oid,) in run(sql, (match, *towns, limit + len(seen))):
            if oid not in seen:
                seen.add(oid)
                found.append(oid)
                tiers[oid] = tier
                if len(found) >= limit:
                    return


def _find(run, planner: Planner, text: str, limit: int, towns: Sequence[str] = ()
          ) -> tuple[SearchResult, dict[str, int]]:
    query = normalise(text)
    units = planner.units(text)
    if not units:
        return SearchResult((), query), {}
    known = [u for u in units if u.alts or u.fuzzy]
    ignored = tuple(u.text for u in units if not (u.alts or u.fuzzy))
    if not known:
        return SearchResult((), query, ignored=ignored), {}
    found: list[str] = []
    tiers: dict[str, int] = {}
    _tiers(run, known, limit, found, tiers, with_fuzzy=True, towns=towns)
    approximate = any(not u.exact for u in known)
    if len(found) < min(FEW, limit):
        before = len(found)
        for u in known:
            planner.add_fuzzy(u)
        if any(u.fuzzy for u in known):
            _tiers(run, known, limit, found, tiers, with_fuzzy=True, towns=towns)
            approximate = approximate or len(found) > before
    guessed = [u for u in known if not u.alts]
    if not found and guessed and len(guessed) < len(known):
        # The close spellings of words the catalogue does not know led nowhere together with the
        # words it does know: leave those words out rather than show nothing.
        known = [u for u in known if u.alts]
        ignored += tuple(u.typed or u.text for u in guessed)
        _tiers(run, known, limit, found, tiers, with_fuzzy=True, towns=towns)
    corrections = tuple((u.typed or u.text, u.corrections[0]) for u in known
                        if u.corrections and not u.exact)
    return SearchResult(tuple(found), query, corrections, ignored, approximate), tiers


def search(run: Callable[[str, Sequence], list[tuple]], planner: Planner, text: str,
           limit: int) -> SearchResult:
    """Offer ids for `text`, best first (see the module docstring for the tiers).

    A town named among other words narrows the list to that town; when it has none of them, the
    offers nearest to it are shown instead (`town_empty`), never nothing.
    """
    query = normalise(text)
    if limit <= 0 or not query:
        return SearchResult((), query)
    town, rest = planner.town_in(run, query.split())
    if town is not None:
        narrowed, _ = _find(run, planner, rest, limit, town.spellings)
        if narrowed.ids:
            return replace(narrowed, query=query, town=town.name)
        wide, tiers = _find(run, planner, rest, limit)
        if wide.ids:
            ids = nearest_first(run, list(wide.ids), tiers, town)
            return replace(wide, ids=tuple(ids), query=query, town=town.name, town_empty=True)
    return _find(run, planner, text, limit)[0]


class MissRecorder:
    """Reports searches that found nothing through one callback, once per typing run.

    As-you-type search asks after every key, so "zahna", "zahnar", "zahnarzt" are one wish, not
    three. A miss is held back while the visitor keeps typing or deleting in the same words (each
    text a prefix of the other), and the longest text of that run is reported when a different
    search starts, after `MISS_RUN_SECONDS`, or on `flush()`. The callback gets only the normalised
    query text; exceptions from it are swallowed so that statistics can never break a search.
    """

    def __init__(self, callback: Callable[[str], object]) -> None:
        self._callback = callback
        self._pending: str | None = None
        self._at = 0.0
        self._lock = threading.Lock()

    def seen(self, query: str, found: bool) -> None:
        if not query:
            return
        now = time.monotonic()
        report = None
        with self._lock:
            pending = self._pending
            if pending is not None and (now - self._at > MISS_RUN_SECONDS
                                        or not (query.startswith(pending) or pending.startswith(query))):
                report, self._pending = pending, None
            if not found:
                if self._pending is None or len(query) >= len(self._pending):
                    self._pending = query
                self._at = now
        if report is not None:
            self._emit(report)

    def flush(self) -> None:
        with self._lock:
            report, self._pending = self._pending, None
        if report is not None:
            self._emit(report)

    def _emit(self, query: str) -> None:
        try:
            self._callback(query)
        except Exception:  # noqa: BLE001 - statistics must never break a search
            pass
