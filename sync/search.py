"""Search that understands how people ask: everyday words, typos, phrases, compounds.

The FTS5 index (`store.py`) holds folded text (`text.fold`). This module turns what a visitor typed
into a safe FTS5 expression over that index and runs it in tiers. Nothing here needs a re-import
when the word lists change: everything happens at query time.

How a query is read
  1. The text is folded and split into words (punctuation, quotes and operators vanish, so visitor
     text never becomes FTS5 syntax).
  2. Phrases of the thesaurus (`assets/synonyms.txt`) are recognised first, longest first
     ("deutsch lernen", "essen umsonst"); then stop words ("wo", "kann", "ich", "hilfe") are dropped
     as long as something else is left.
  3. Every remaining word or phrase becomes one *group*: an OR of alternatives, all of which are
     checked against the index vocabulary (an `fts5vocab` view of the live index):
       - the word itself as a prefix ("senio" finds Seniorenberatung),
       - its synonyms from the thesaurus (Doktor -> Arzt, Ärztin, Praxis),
       - compounds that contain it ("stützpunkt" -> pflegestutzpunkt, "zentrum" -> jugendzentrum),
       - a compound written with a hyphenated ellipsis ("eheberatung" -> "Ehe- und
         Familienberatung": ehe AND a word holding "beratung"), and the word written together
         with the one before ("Ehe Beratung" -> eheberatung*),
       - stems that reach derived words ("arbeitslosigkeit" -> arbeitslos*, "behindert" ->
         behinderung*),
       - when the word matches nothing at all: a shorter stem ("formularen" -> formular*), then
         close spellings from the vocabulary ("schuldnerberatng" -> schuldnerberatung, "hospitz"
         -> hospiz*, the start of hospizdienst), then a split into two known words
         ("deutschprüfung" -> deutsch + prüfung).
     Groups are ANDed: every word the visitor typed must be met (by itself or an alternative).
     A word that matches nothing even after that is ignored, provided another word is left, and
     so is a word known only through a guessed spelling when the guess leads nowhere;
     `SearchResult.ignored` names such words so that the screen can say so.
  4. Tiers, best first (bm25 with column weights inside each): the visitor's own words (with
     their compounds, stems and close spellings) in the offer's name; then with synonyms in the
     name; then the own words anywhere; then anything. So an offer whose name holds the typed word
     always comes before one found only through a synonym. When that finds little (fewer than `FEW` offers), close spellings of every word are added and
     their offers appended after the exact ones.

A town named beside other words ("schuldnerberatung ibbenbüren") is not searched as a word: it
narrows the offers to that town (`offers.town`), and when the town has none of them, the offers
nearest to it come instead, marked `town_empty` so that the screen can say so (sync/towns.py).

Speed: bm25 needs every matching row's size, so ranking a very broad match (a one-letter prefix in
50,000 offers) costs tens of milliseconds. The vocabulary gives an upper bound of the matches; above
`RANK_CAP` rows a tier is read unranked (in index order, stopping at the limit), which for such
broad input is as good as any order.

The vocabulary (terms and their row counts, ~6 MB at 50,000 offers) is read once per sync: the
catalogue re-reads it when `PRAGMA data_version` says another connection has committed.

The vocabulary and close spellings are in sync/vocabulary.py.
"""
from __future__ import annotations

import bisect
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from .text import MAX_TERM_LENGTH, fold
from .thesaurus import Phrase, Thesaurus
from .towns import Town, nearest_first, read_towns
from .vocabulary import MAX_FUZZY_TERMS, MAX_INFIX_TERMS, MIN_FUZZY, Vocabulary, _close, max_edits  # noqa: F401


MAX_RAW_WORDS = 24      # words read from the visitor's text (a 200-character string has ~30)
MAX_UNITS = 8           # words or phrases searched for after stop words are gone
MIN_INFIX = 4           # a fragment must be this long to be looked up inside compounds
MAX_ELLIPSIS_TERMS = 48  # words holding the second part of a compound, per way to split it
MAX_ALTERNATIVES = 64   # alternatives per group
FEW = 3                 # fewer exact results than this: add close spellings
RANK_CAP = 3000         # above this many possible matches a tier is read unranked
MISS_RUN_SECONDS = 30.0  # misses further apart than this never belong to the same typing run

_WORD = re.compile(r"[^\W_]+")
# German inflection endings tried (longest first) when a word matches nothing as it stands.
_ENDINGS = ("ern", "en", "er", "es", "em", "e", "n", "s")
_FTS_COLUMNS_NAME = "name"


# -- planning a query ---------------------------------------------------------------------------

# An alternative: (kind, words). Kinds: "prefix" "w"*, "term" "w" (an exact vocabulary term),
# "phrase" "a b"* (adjacent words, the last a prefix), "all" ("a"* AND "b"*), "ellipsis"
# ("head" AND ("tail1" OR "tail2" …)): a compound written with a hyphenated ellipsis, "Ehe- und
# Familienberatung" for "eheberatung" (the head a whole word, then a word ending like the compound).
Alt = tuple[str, Phrase]


def _alt_expr(alt: Alt) -> str:
    kind, words = alt
    if kind == "prefix":
        return f'"{words[0]}"*'
    if kind == "term":
        return f'"{words[0]}"'
    if kind == "phrase":
        return '"' + " ".join(words) + '"*'
    if kind == "ellipsis":
        return f'("{words[0]}" AND (' + " OR ".join(f'"{w}"' for w in words[1:]) + "))"
    return "(" + " AND ".join(f'"{w}"*' for w in words) + ")"


@dataclass
class Unit:
    """One thing the visitor asked for: a word, or a phrase the thesaurus knows."""

    words: Phrase
    last: bool = False
    alts: dict[Alt, tuple[int, int]] = field(default_factory=dict)   # supported alternative -> (rows, name rows)
    fuzzy: dict[Alt, tuple[int, int]] = field(default_factory=dict)  # close spellings, used when needed
    corrections: list[str] = field(default_factory=list)
    exact: bool = False      # the words themselves (or their synonyms/compounds) are in the catalogue
    typed: str | None = None  # what the visitor typed, when this unit is part of a split compound
    fuzzy_done: bool = False
    own: set[Alt] = field(default_factory=set)  # alternatives from the typed word itself, not synonyms
    joins: list[str] = field(default_factory=list)  # this word written together with the one before

    def own_alts(self, *, with_fuzzy: bool) -> list[Alt]:
        """The typed word's own alternatives (itself, its compounds, stems, close spellings)."""
        alts = [a for a in self.alts if a in self.own]
        if with_fuzzy:
            alts += [a for a in self.fuzzy if a not in self.alts]
        return alts

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def _chosen(self, *, with_fuzzy: bool, own_only: bool) -> list[Alt]:
        alts = self.own_alts(with_fuzzy=with_fuzzy) if own_only else []
        if not alts:  # nothing of the word's own (only synonyms know it): the whole group
            alts = list(self.alts)
            if with_fuzzy:
                alts += [a for a in self.fuzzy if a not in self.alts]
        return alts[:MAX_ALTERNATIVES]

    def group(self, *, with_fuzzy: bool, own_only: bool = False) -> str:
        alts = self._chosen(with_fuzzy=with_fuzzy, own_only=own_only)
        return "(" + " OR ".join(_alt_expr(a) for a in alts) + ")"

    def estimate(self, *, with_fuzzy: bool, own_only: bool = False) -> tuple[int, int]:
        pool = {**self.alts, **(self.fuzzy if with_fuzzy else {})}
        sizes = [pool[a] for a in self._chosen(with_fuzzy=with_fuzzy, own_only=own_only)]
        return sum(v[0] for v in sizes), sum(v[1] for v in sizes)


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


def normalise(text: str) -> str:
    """The visitor's text as the search reads it: folded words, single spaces (used for miss counts)."""
    return " ".join(w[:MAX_TERM_LENGTH] for w in _WORD.findall(fold(text))[:MAX_RAW_WORDS])


class Planner:
    """Turns visitor text into groups of supported alternatives for one vocabulary and thesaurus."""

    def __init__(self, thesaurus: Thesaurus, vocab: Vocabulary) -> None:
        self.thesaurus = thesaurus
        self.vocab = vocab
        self._triggers = thesaurus.single_triggers()
        self._towns: dict[Phrase, Town] | None = None

    def town_in(self, run, words: list[str]) -> tuple[Town | None, str]:
        """The first town named among other words, and the other words; (None, "") when none.

        Only whole town names count ("rheine", "ibbenburen"), and only beside other words: a town
        alone is searched as a word (it finds the offers there through their address).
        """
        if self._towns is None:
            self._towns = read_towns(run)
        towns = self._towns
        longest = max((len(k) for k in towns), default=0)
        for i in range(len(words)):
            for n in range(min(longest, len(words) - i), 0, -1):
                town = towns.get(tuple(words[i:i + n]))
                if town is not None:
                    rest = words[:i] + words[i + n:]
                    if any(w not in self.thesaurus.stopwords for w in rest):
                        return town, " ".join(rest)
                    return None, ""
        return None, ""

    # support and size of an alternative, from the vocabulary
    def support(self, alt: Alt) -> tuple[int, int]:
        kind, words = alt
        if kind == "term":
            return self.vocab.term_docs(words[0])
        if kind == "prefix":
            return self.vocab.prefix_docs(words[0])
        if kind == "ellipsis":
            head = self.vocab.term_docs(words[0])
            tails = [self.vocab.term_docs(w) for w in words[1:]]
            return min(head[0], sum(t[0] for t in tails)), min(head[1], sum(t[1] for t in tails))
        if kind == "all":
            parts = [self.vocab.prefix_docs(w) for w in words]
        else:  # "phrase": whole words, the last one a prefix
            parts = [self.vocab.term_docs(w) for w in words[:-1]] + [self.vocab.prefix_docs(words[-1])]
        if any(p[0] == 0 for p in parts):
            return 0, 0
        return min(p[0] for p in parts), min(p[1] for p in parts)

    def _add(self, pool: dict[Alt, tuple[int, int]], alt: Alt) -> None:
        if alt in pool or len(pool) >= MAX_ALTERNATIVES:
            return
        size = self.support(alt)
        if size[0]:
            pool[alt] = size

    def _fill(self, pool: dict[Alt, tuple[int, int]], words: Phrase, targets: Iterable[Phrase],
              own: set[Alt] | None = None) -> None:
        """The visitor's own words and their synonyms first, then the compounds containing them.

        That order matters only when a group is full (`MAX_ALTERNATIVES`): compounds of a common
        word never crowd out a synonym. Alternatives from `words` themselves (not from a synonym)
        go into `own` as well.
        """
        mine: str = words[0] if len(words) == 1 and len(words[0]) >= MIN_INFIX else ""
        steps: list[tuple[Alt, bool]] = [(("prefix", words) if len(words) == 1 else ("all", words), True)]
        steps += [(("prefix", t) if len(t) == 1 else ("phrase", t), False) for t in targets]
        steps += [(("term", (term,)), True) for term in (self.vocab.containing(mine) if mine else ())]
        for target in targets:
            if len(target) == 1 and len(target[0]) >= MIN_INFIX:
                steps += [(("term", (term,)), False) for term in self.vocab.containing(target[0])]
        for alt, is_own in steps:
            self._add(pool, alt)
            if is_own and own is not None and alt in pool:
                own.add(alt)

    def _ellipsis(self, word: str) -> list[Alt]:
        """A compound typed as one word, written in the catalogue with a hyphenated ellipsis.

        "eheberatung" -> ehe AND (familienberatung OR …) for "Ehe- und Familienberatung": the head
        is a whole catalogue word of at least 3 letters, the tail (at least `MIN_INFIX` letters)
        ends catalogue words other than the word typed.
        """
        out: list[Alt] = []
        stop = self.thesaurus.stopwords
        for i in range(3, len(word) - MIN_INFIX + 1):
            head, tail = word[:i], word[i:]
            if head in stop or not self.vocab.term_docs(head)[0]:
                continue
            ends = [t for t in [*self.vocab.ending(tail), *self.vocab.containing(tail, MAX_ELLIPSIS_TERMS)]
                    if t != word and t != head]
            if self.vocab.term_docs(tail)[0]:
                ends.insert(0, tail)
            ends = list(dict.fromkeys(ends))[:MAX_ELLIPSIS_TERMS]
            if ends:
                out.append(("ellipsis", (head, *ends)))
        return out

    def _derived(self, word: str) -> list[str]:
        """Stems that reach derived words: "arbeitslosigkeit" -> arbeitslos, "behindert" -> behinderung."""
        out: list[str] = []
        for suffix in ("igkeit", "keit", "heit", "ung"):
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 6 and self.vocab.prefix_docs(stem)[0]:
                out.append(stem)
                break
        for suffix in ("et", "t"):
            noun = word[: -len(suffix)] + "ung"
            if word.endswith(suffix) and len(word) >= 7 and self.vocab.prefix_docs(noun)[0]:
                out.append(noun)
                break
        return out

    def units(self, text: str) -> list[Unit]:
        raw = [w[:MAX_TERM_LENGTH] for w in _WORD.findall(fold(text))[:MAX_RAW_WORDS]]
        rules = self.thesaurus.rules
        units: list[Unit] = []
        i = 0
        longest = self.thesaurus.longest_trigger
        while i < len(raw):
            for n in range(min(longest, len(raw) - i), 1, -1):
                if tuple(raw[i:i + n]) in rules:
                    units.append(Unit(tuple(raw[i:i + n])))
                    i += n
                    break
            else:
                units.append(Unit((raw[i],)))
                i += 1
        if units and len(units[-1].words) == 1:
            units[-1].last = True  # may still be being typed
        stop = self.thesaurus.stopwords

        def is_stop(u: Unit) -> bool:
            return len(u.words) == 1 and u.words[0] in stop and u.words not in rules

        if any(not is_stop(u) for u in units):
            units = [u for u in units if not is_stop(u)]
        seen: set[Phrase] = set()
        unique = []
        for u in units:
            if u.words not in seen:
                seen.add(u.words)
                unique.append(u)
        units = unique[:MAX_UNITS]
        for a, b in zip(units, units[1:]):
            # "Ehe Beratung" also finds "Eheberatung" (with a linking s or n: "Familien Beratung").
            if len(a.words) == 1 and len(b.words) == 1:
                for link in ("", "s", "n", "en"):
                    joined = a.words[0] + link + b.words[0]
                    if len(joined) >= 2 * MIN_INFIX - 1 and self.vocab.prefix_docs(joined)[0]:
                        b.joins.append(joined)
        out: list[Unit] = []
        for u in units:
            self._expand(u)
            parts = self._split(u) if not (u.alts or u.fuzzy) else None
            if parts:
                out += parts
            else:
                out.append(u)
        return out[:MAX_UNITS]

    def _split(self, unit: Unit) -> list[Unit] | None:
        """An unknown compound read as two known words: "deutschprüfung" -> deutsch + prüfung.

        The first part must begin catalogue words (a linking s stays with it: "arbeits|amt"), the
        second must begin catalogue words or sit inside one, each at least `MIN_INFIX` letters. A first part
        that is a whole catalogue word wins, then the longest first part.
        """
        if len(unit.words) != 1 or len(unit.words[0]) < 2 * MIN_INFIX:
            return None
        word = unit.words[0]
        best: tuple[bool, int] | None = None
        choice = None
        for i in range(len(word) - MIN_INFIX, MIN_INFIX - 1, -1):
            head, tail = word[:i], word[i:]
            if not self.vocab.prefix_docs(head)[0]:
                continue
            if not (self.vocab.prefix_docs(tail)[0] or self.vocab.containing(tail, 1)):
                continue
            rank = (self.vocab.term_docs(head)[0] > 0, i)
            if best is None or rank > best:
                best, choice = rank, (head, tail)
        if choice is None:
            return None
        parts = [Unit((w,), last=unit.last and w == choice[1]) for w in choice]
        for part in parts:
            self._expand(part)
        if not all(p.alts for p in parts):
            return None
        parts[0].typed = word
        parts[0].exact = False
        parts[0].corrections.insert(0, " ".join(choice))
        return parts

    def _expand(self, unit: Unit) -> None:
        rules = self.thesaurus.rules
        pool = unit.alts
        targets = list(rules.get(unit.words, ()))
        word = unit.words[0]
        if len(unit.words) == 1 and unit.last and len(word) >= MIN_INFIX and unit.words not in rules:
            # A word still being typed: "schwang" already brings what "schwanger" would.
            lo = bisect.bisect_left(self._triggers, word)
            hi = bisect.bisect_left(self._triggers, word + "\U0010ffff", lo)
            if hi - lo <= 3:
                for trig in self._triggers[lo:hi]:
                    targets += [(trig,), *rules[(trig,)]]
        self._fill(pool, unit.words, targets, unit.own)
        if len(unit.words) == 1:
            extra: list[Alt] = [("prefix", (joined,)) for joined in unit.joins]
            extra += [("prefix", (stem,)) for stem in self._derived(word)]
            if len(word) >= 3 + MIN_INFIX:
                extra += self._ellipsis(word)
            for alt in extra:
                self._add(pool, alt)
                if alt in pool:
                    unit.own.add(alt)
        unit.exact = bool(pool)
        if not pool and len(unit.words) == 1 and len(word) > MIN_FUZZY:
            # An inflected form the catalogue does not have: "formularen" -> formular*
            for ending in _ENDINGS:
                stem = word[: -len(ending)]
                if word.endswith(ending) and len(stem) >= MIN_FUZZY and self.vocab.prefix_docs(stem)[0]:
                    self._fill(pool, (stem,), (), unit.own)
                    unit.corrections.append(stem)
                    break
        if not pool:
            self.add_fuzzy(unit)

    def add_fuzzy(self, unit: Unit) -> None:
        """Close spellings of a one-word unit: vocabulary terms, and thesaurus words with their synonyms."""
        if unit.fuzzy_done or len(unit.words) != 1:
            return
        unit.fuzzy_done = True
        word = unit.words[0]
        for text, is_prefix in self.vocab.close(word):
            self._add(unit.fuzzy, ("prefix" if is_prefix else "term", (text,)))
            unit.corrections.append(text)
        for trig, _ in _close(word, self._triggers, MAX_FUZZY_TERMS):
            before = len(unit.fuzzy)
            self._fill(unit.fuzzy, (trig,), self.thesaurus.rules[(trig,)])
            if len(unit.fuzzy) > before:
                unit.corrections.append(trig)


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
    steps = []
    for own_only, column in ((True, True), (False, True), (True, False), (False, False)):
        expr = " AND ".join(u.group(with_fuzzy=with_fuzzy, own_only=own_only) for u in units)
        sizes = [u.estimate(with_fuzzy=with_fuzzy, own_only=own_only) for u in units]
        estimate = min(s[1] if column else s[0] for s in sizes)
        match = f"{_FTS_COLUMNS_NAME} : ({expr})" if column else expr
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


def fallback_expression(planner: Planner) -> str | None:
    """FTS5 expression for general counselling offers (the thesaurus' `fallback:` words)."""
    pool: dict[Alt, tuple[int, int]] = {}
    for words in planner.thesaurus.fallback:
        planner._fill(pool, words, ())
    if not pool:
        return None
    return "(" + " OR ".join(_alt_expr(a) for a in pool) + ")"


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
