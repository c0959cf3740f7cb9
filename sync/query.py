"""Reading what a visitor typed: words, phrases, and the alternatives the index holds for each.

The search (sync/search.py) runs what this module plans. How a query is read:
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
     `SearchResult.ignored` (sync/search.py) names such words so that the screen can say so.

Nothing here needs a re-import when the word lists change: everything happens at query time. The
vocabulary and close spellings are in sync/vocabulary.py.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .text import MAX_TERM_LENGTH, fold
from .thesaurus import Phrase, Thesaurus
from .towns import Town, read_towns
from .vocabulary import MAX_FUZZY_TERMS, MIN_FUZZY, Vocabulary, close_spellings

MAX_RAW_WORDS = 24      # words read from the visitor's text (a 200-character string has ~30)
MAX_UNITS = 8           # words or phrases searched for after stop words are gone
MIN_INFIX = 4           # a fragment must be this long to be looked up inside compounds
MAX_ELLIPSIS_TERMS = 48  # words holding the second part of a compound, per way to split it
MAX_ALTERNATIVES = 64   # alternatives per group

_WORD = re.compile(r"[^\W_]+")
# German inflection endings tried (longest first) when a word matches nothing as it stands.
_ENDINGS = ("ern", "en", "er", "es", "em", "e", "n", "s")


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
        for trig, _ in close_spellings(word, self._triggers, MAX_FUZZY_TERMS):
            before = len(unit.fuzzy)
            self._fill(unit.fuzzy, (trig,), self.thesaurus.rules[(trig,)])
            if len(unit.fuzzy) > before:
                unit.corrections.append(trig)


def fallback_expression(planner: Planner) -> str | None:
    """FTS5 expression for general counselling offers (the thesaurus' `fallback:` words)."""
    pool: dict[Alt, tuple[int, int]] = {}
    for words in planner.thesaurus.fallback:
        planner._fill(pool, words, ())
    if not pool:
        return None
    return "(" + " OR ".join(_alt_expr(a) for a in pool) + ")"
