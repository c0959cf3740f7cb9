"""The read API of the offline catalogue: what the kiosk (and `kiosk-sync search`) may ask.

The kiosk never writes SQL of its own; it asks a `Catalogue`. Reads go to the live SQLite file in
WAL mode, so each call sees the newest committed sync — a sync that lands while the kiosk runs shows
on the next screen. One connection is shared under a lock, so worker threads may search too.

A damaged file (truncated, pages overwritten) is found by `Catalogue(path, check=True)` and raises
`StoreError` in words; the kiosk then reads the last good copy or the demo instead
(`Catalogue(path, read_from=copy, notice=...)`, see kiosk/cli.py) and says so in `status().notice`.
Errors while reading a damaged file are `StoreError` sentences too, never raw SQLite errors.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .offers import Category, Language, Location, Offer, OfferSummary, Phone, distance_km
from .places import PlaceQueries
from .reader import chunks
from .text import fold
from .thesaurus import Thesaurus, load_thesaurus, with_language

if TYPE_CHECKING:
    from .query import Planner
    from .search import MissRecorder


def _translations(text: str | None) -> dict[str, dict[str, str]]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class CatalogueStatus:
    """How fresh the catalogue is and what went wrong last, for volunteers and operators."""

    offers: int
    last_success: str | None
    source: str | None
    last_error: str | None
    last_error_at: str | None
    mode: str | None = None
    skipped: tuple[str, ...] = field(default_factory=tuple)
    warning: str | None = None  # about the last good sync as a whole, e.g. removals skipped
    # Records repaired or fields dropped in the last sync (a lone surrogate, "keine mail" as e-mail …).
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # Set when the kiosk does not read its catalogue file but the last good copy or the demo
    # because the file is damaged: a sentence for the volunteer menu, saying what to do.
    notice: str | None = None
    # What the kiosk reads instead: "last-good" (the copy of the last good sync) or "demo"; None normally.
    fallback: str | None = None
    # Why the copy of the last good catalogue could not be written after the last sync (disk full).
    last_good_error: str | None = None
    # Records of the last sync that were other HSDS objects, one line per kind
    # ("10 organizations skipped (not services; first: ...)").
    not_services: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict:
        return {"offers": self.offers, "last_success": self.last_success, "source": self.source,
                "last_error": self.last_error, "last_error_at": self.last_error_at, "mode": self.mode,
                "skipped": list(self.skipped), "warning": self.warning, "warnings": list(self.warnings),
                "notice": self.notice, "fallback": self.fallback, "last_good_error": self.last_good_error,
                "not_services": list(self.not_services)}


_SUMMARY_COLS = "o.id, o.name, o.organization_name, o.town, o.location_name, o.latitude, o.longitude"
_SCHEDULE_COLS = ("freq", "interval", "byday", "bymonthday", "opens_at", "closes_at", "valid_from", "valid_to",
                  "dtstart", "until", "count", "wkst", "description", "location_id", "notes", "attending_type",
                  "timezone")


@dataclass(frozen=True)
class Found:
    """The answer to a search: the offers, best first, and how the words were read.

    `corrections` pairs a typed word with the catalogue word searched instead ("Did you mean …");
    `ignored` names words that match nothing and were left out. When `offers` is empty, offer the
    need categories (`categories()`) and `Catalogue.fallback(...)`: never a dead end.
    """

    offers: list[OfferSummary]
    query: str
    corrections: tuple[tuple[str, str], ...] = ()
    ignored: tuple[str, ...] = ()
    approximate: bool = False
    town: str | None = None    # a town named with other words: offers there only …
    town_empty: bool = False   # … or, when it has none, the nearest to it


class Catalogue(PlaceQueries):
    """Read-only access to one catalogue file.

    `on_miss`, if given, is called with the normalised text (folded words only, nothing about the
    visitor) of searches that found nothing, once per typing run (see `search.MissRecorder`), so
    that anonymous statistics can count what people looked for in vain. `synonyms` replaces the
    bundled thesaurus file (`assets/synonyms.txt`); a malformed file raises `SynonymError`.

    `path` is the catalogue file that syncs write ("Sync now" pulls into it). `read_from`, when the
    kiosk had to fall back, is the file actually read (the last good copy or the demo), `fallback_kind`
    says which ("last-good" or "demo") and `notice` why, for `status()`. `check` runs SQLite's quick
    check first and raises `StoreError` for a damaged file (0.1 s at 50,000 offers).
    """

    def __init__(self, path: Path, *, on_miss: Callable[[str], object] | None = None,
                 synonyms: Path | None = None, read_from: Path | None = None, notice: str | None = None,
                 fallback_kind: str | None = None, check: bool = False) -> None:
        super().__init__(path, read_from=read_from, notice=notice, fallback_kind=fallback_kind)
        # The bundled thesaurus is read at the first search (10-15 ms of the kiosk's start); a file
        # of one's own at once, so that a malformed one raises here.
        self._synonyms: Thesaurus | None = load_thesaurus(synonyms) if synonyms is not None else None
        self._on_miss = on_miss
        self._misses: MissRecorder | None = None  # made at the first search
        self._planners: dict[str, Planner] = {}  # per visitor language (its terms file)
        self._data_version: int | None = None
        self._open(check=check)

    @property
    def _thesaurus(self) -> Thesaurus:
        if self._synonyms is None:
            self._synonyms = load_thesaurus()
        return self._synonyms

    def close(self) -> None:
        self.flush_misses()
        super().close()

    def _missed(self, query: str, found: bool) -> None:
        if self._on_miss is None:
            return
        if self._misses is None:
            self._misses = _search().MissRecorder(self._on_miss)
        self._misses.seen(query, found)

    # -- counts and status -------------------------------------------------------------------

    def count(self) -> int:
        """Number of offers a visitor can see."""
        return self._query("SELECT count(*) FROM offers WHERE visible = 1")[0][0]

    def status(self) -> CatalogueStatus:
        """Offers, last good sync, its source, and the last error if any."""
        meta = dict(self._query("SELECT key, value FROM meta"))
        try:
            report = json.loads(meta.get("last_report") or "{}")
        except ValueError:
            report = {}
        if not isinstance(report, dict):
            report = {}
        return CatalogueStatus(self.count(), meta.get("last_success"), meta.get("source"),
                               meta.get("last_error"), meta.get("last_error_at"), meta.get("last_mode"),
                               tuple(report.get("skipped", ())), warning=meta.get("last_warning"),
                               warnings=tuple(report.get("warnings", ())), notice=self.notice,
                               fallback=self.fallback_kind, last_good_error=meta.get("last_good_error"),
                               not_services=tuple(str(x) for x in report.get("not_service_lines", ())
                                                  if isinstance(report.get("not_service_lines"), list)))

    def towns(self) -> list[str]:
        """Towns that have visible offers, alphabetically."""
        return self._cached(("towns",), lambda: [r[0] for r in self._query(
            "SELECT DISTINCT town FROM offers WHERE visible = 1 AND town IS NOT NULL ORDER BY town")])

    # -- finding offers ----------------------------------------------------------------------

    def search(self, text: str, *, limit: int = 50, language: str | None = None) -> list[OfferSummary]:
        """Offers for what a visitor typed, best first (name matches first).

        Reads text the way people ask (see `sync.search`): umlauts folded, prefixes, synonyms and
        everyday words, words inside compounds, stop words dropped, close spellings when little is
        found. Every word must be met. Any visitor text is safe: it never becomes FTS5 syntax.
        `language`: the visitor's UI language; its words (assets/terms/<language>.toml) find the
        German offers too.
        """
        return self.find(text, limit=limit, language=language).offers

    def find(self, text: str, *, limit: int = 50, language: str | None = None) -> Found:
        """Like `search`, with how the query was read (corrections, ignored words)."""
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        result = _search().search(self._query, self._search_planner(language), text, limit)
        offers = self.summaries(list(result.ids))
        self._missed(result.query, bool(offers))
        return Found(offers, result.query, result.corrections, result.ignored, result.approximate,
                     result.town, result.town_empty)

    def search_ids(self, text: str, *, limit: int = 50) -> list[str]:
        """The ids `search` would find, best first, without loading the offers (and not counted as a
        visitor's search): for grouping offers by words."""
        return list(_search().search(self._query, self._search_planner(), str(text), limit).ids)

    def flush_misses(self) -> None:
        """Report a held-back miss now (call when the visitor leaves, e.g. on the idle reset)."""
        if self._misses is not None:  # none yet: nothing searched, nothing held back
            self._misses.flush()

    def fallback(self, latitude: float | None = None, longitude: float | None = None, *,
                 limit: int = 3) -> list[OfferSummary]:
        """General counselling offers (Sozialberatung, Allgemeine Beratung …), nearest first.

        For the screen after a search found nothing, beside the need categories. The words come
        from the thesaurus' `fallback:` line. Without a position the offers come by name.
        """
        from .query import fallback_expression

        expr = fallback_expression(self._search_planner())
        if expr is None or limit <= 0:
            return []
        rows: list[tuple] = []
        for match in (f"name : {expr}", f"{{name keywords}} : {expr}"):
            rows = self._query(
                "SELECT o.id, o.name, o.latitude, o.longitude FROM offers_fts CROSS JOIN offers o "
                "ON o.key = offers_fts.rowid WHERE offers_fts MATCH ? AND o.visible = 1", (match,))
            if rows:
                break

        def order(row: tuple) -> tuple:
            far = math.inf
            if latitude is not None and longitude is not None and row[2] is not None and row[3] is not None:
                far = distance_km(latitude, longitude, row[2], row[3])
            return far, row[1].casefold(), row[0]

        return self.summaries([r[0] for r in sorted(rows, key=order)[:limit]])

    def _search_planner(self, language: str | None = None) -> Planner:
        """The planner over the current index vocabulary (rebuilt after a sync has landed), with
        the terms of the visitor's language."""
        thesaurus = with_language(self._thesaurus, language)
        with self._reading():
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self._data_version:
                self._planners.clear()
                self._data_version = version
            planner = self._planners.get(thesaurus.source)
            if planner is None or planner.thesaurus is not thesaurus:
                from .query import Planner
                from .vocabulary import Vocabulary

                vocab = next(iter(self._planners.values())).vocab if self._planners else \
                    Vocabulary.from_connection(self._conn)
                planner = self._planners[thesaurus.source] = Planner(thesaurus, vocab)
            return planner

    def name_words(self) -> list[tuple[str, int]]:
        """Every word of the visible offers' names and of the category names, as spelled there (the
        commonest spelling), with how many offers' names hold it: the vocabulary of the on-screen
        keyboard's word completions. Computed once per catalogue version (50,000 names: one pass)."""
        def compute() -> list[tuple[str, int]]:
            import re

            word = re.compile(r"[^\W\d_]{3,}")
            # Few words have a second spelling: the first spelling seen is kept per word, and only
            # the other spellings are counted (a Counter per word cost 6 MB at 50,000 offers, in
            # the warm-up thread's own malloc arena, where it stayed part of the peak).
            counts: dict[str, int] = {}
            first: dict[str, str] = {}
            variants: dict[str, dict[str, int]] = {}  # only words with another spelling
            rows = self._stream("SELECT name FROM offers WHERE visible = 1 UNION ALL SELECT name FROM categories")
            stop = self._thesaurus.stopwords
            for (name,) in rows:
                for w in dict.fromkeys(word.findall(name or "")):
                    key = w.casefold()
                    if fold(w) in stop:
                        continue
                    counts[key] = counts.get(key, 0) + 1
                    if first.setdefault(key, w) != w:
                        other = variants.setdefault(key, {})
                        other[w] = other.get(w, 0) + 1

            def spelling(key: str, n: int) -> str:
                """The commonest spelling (the first seen among equals)."""
                other = variants.get(key)
                if other is None:
                    return first[key]
                tally = {first[key]: n - sum(other.values()), **other}
                return max(tally, key=tally.__getitem__)

            return [(spelling(k, n), n) for k, n in counts.items()]

        return self._cached(("name_words",), compute)

    def in_category(self, category_id: str, *, limit: int | None = None) -> list[OfferSummary]:
        """Visible offers filed under a category or any of its descendants, by name."""
        sql = ("WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT c.id FROM categories c JOIN tree "
               "ON c.parent_id = tree.id) SELECT DISTINCT o.id FROM offers o JOIN offer_categories oc "
               "ON oc.offer_id = o.id WHERE oc.category_id IN (SELECT id FROM tree) AND o.visible = 1 "
               "ORDER BY o.name COLLATE NOCASE LIMIT ?")
        ids = [r[0] for r in self._query(sql, (category_id, -1 if limit is None else limit))]
        return self.summaries(ids)

    def all_offers(self, *, limit: int | None = None) -> list[OfferSummary]:
        """Every visible offer by name (for catalogues without categories)."""
        ids = [r[0] for r in self._query(
            "SELECT id FROM offers WHERE visible = 1 ORDER BY name COLLATE NOCASE LIMIT ?",
            (-1 if limit is None else limit,))]
        return self.summaries(ids)

    def at_locations(self, names: Iterable[str], *, limit: int | None = None) -> list[OfferSummary]:
        """Visible offers held at locations with one of these names (the kiosk's own place)."""
        names = [n.casefold() for n in names if n]
        if not names:
            return []
        marks = ", ".join("?" for _ in names)
        ids = [r[0] for r in self._query(
            f"SELECT DISTINCT o.id FROM offers o JOIN locations l ON l.offer_id = o.id WHERE o.visible = 1 "
            f"AND lower(l.name) IN ({marks}) ORDER BY o.name COLLATE NOCASE LIMIT ?",
            (*names, -1 if limit is None else limit))]
        return self.summaries(ids)

    def summaries(self, ids: Sequence[str]) -> list[OfferSummary]:
        """Cards for these offer ids, in the given order (unknown or hidden ids are left out)."""
        if not ids:
            return []
        rows: dict[str, tuple] = {}
        schedules: dict[str, list[dict]] = {i: [] for i in ids}
        for chunk in chunks(list(ids), 500):
            marks = ", ".join("?" for _ in chunk)
            # "+o.visible": without the plus SQLite walks the (visible, town) index over every
            # visible offer instead of looking the ids up (65 ms instead of 0.4 ms at 50,000 offers).
            for r in self._query(f"SELECT {_SUMMARY_COLS} FROM offers o WHERE +o.visible = 1 AND o.id IN ({marks})",
                                 chunk):
                rows[r[0]] = r
            for r in self._query(f"SELECT offer_id, {self._columns('schedules', _SCHEDULE_COLS)} FROM schedules "
                                 f"WHERE offer_id IN ({marks}) ORDER BY offer_id, position", chunk):
                schedules[r[0]].append(_schedule(r[1:]))
        return [_summary(rows[i], tuple(schedules[i])) for i in ids if i in rows]

    def offer(self, offer_id: str) -> Offer | None:
        """One visible offer with everything the offer screen shows, or None."""
        rows = self._query(
            "SELECT id, name, organization_name, town, location_name, latitude, longitude, alternate_name, "
            "description, organization_website, url, email, status, fees, costs, eligibility, "
            "application_process, minimum_age, maximum_age, alert, last_modified, address, postal_code, "
            f"{'translations' if self._has_translations() else 'NULL'} "
            "FROM offers WHERE id = ? AND visible = 1", (offer_id,))
        if not rows:
            return None
        r = rows[0]
        locations = tuple(
            Location(name=row[0], address_1=row[1], address_2=row[2], postal_code=row[3], city=row[4],
                     latitude=row[5], longitude=row[6], accessibility=tuple(json.loads(row[7] or "[]")),
                     transportation=row[8], state_province=row[9], country=row[10])
            for row in self._query(
                "SELECT name, address_1, address_2, postal_code, city, latitude, longitude, accessibility, "
                f"transportation, {self._columns('locations', ('state_province', 'country'))} FROM locations "
                "WHERE offer_id = ? ORDER BY position", (offer_id,)))
        phones = tuple(Phone(*p) for p in self._query(
            "SELECT number, extension, type, description FROM phones WHERE offer_id = ? ORDER BY position",
            (offer_id,)))
        languages = tuple(Language(*x) for x in self._query(
            "SELECT code, name FROM languages WHERE offer_id = ? ORDER BY position", (offer_id,)))
        categories = tuple(Category(*c) for c in self._query(
            "SELECT c.id, c.name, c.code, c.parent_id, c.taxonomy, c.description FROM offer_categories oc "
            "JOIN categories c ON c.id = oc.category_id WHERE oc.offer_id = ? ORDER BY c.taxonomy, c.name",
            (offer_id,)))
        schedules = tuple(_schedule(s) for s in self._query(
            f"SELECT {self._columns('schedules', _SCHEDULE_COLS)} FROM schedules WHERE offer_id = ? "
            "ORDER BY position", (offer_id,)))
        return Offer(
            id=r[0], name=r[1], organization=r[2], town=r[3], location_name=r[4], latitude=r[5],
            longitude=r[6], schedules=schedules, alternate_name=r[7], description=r[8],
            organization_website=r[9], url=r[10], email=r[11], status=r[12], fees=r[13],
            costs=tuple(json.loads(r[14] or "[]")), eligibility=r[15], application_process=r[16],
            minimum_age=r[17], maximum_age=r[18], alert=r[19], last_modified=r[20], address=r[21],
            postal_code=r[22], locations=locations, phones=phones, languages=languages, categories=categories,
            translations=_translations(r[23]),
        )

    def _has_translations(self) -> bool:
        """Whether the catalogue file has offers.translations (older files do not, until a sync)."""
        return self._cached(("has_translations",), lambda: any(
            row[1] == "translations" for row in self._query("PRAGMA table_info(offers)")))

    # -- categories --------------------------------------------------------------------------

    def taxonomies(self) -> list[str]:
        """Names of the taxonomies that visible offers use."""
        # Few terms, many offers: ask per term whether any visible offer uses it.
        return self._cached(("taxonomies",), lambda: [r[0] for r in self._query(
            "SELECT DISTINCT c.taxonomy FROM categories c WHERE c.taxonomy IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM offer_categories oc JOIN offers o ON o.id = oc.offer_id "
            "WHERE oc.category_id = c.id AND o.visible = 1) ORDER BY c.taxonomy")])

    def categories(self, taxonomy: str | None = None) -> list[Category]:
        """The category tree (top-level terms with children), with visible-offer counts.

        Terms without any visible offer below them are left out, so no button leads nowhere.
        """
        return self._cached(("categories", taxonomy), lambda: self._category_tree(taxonomy))

    def _category_tree(self, taxonomy: str | None) -> list[Category]:
        where = " WHERE taxonomy = ?" if taxonomy is not None else ""
        args = (taxonomy,) if taxonomy is not None else ()
        rows = self._query(f"SELECT id, name, code, parent_id, taxonomy, description FROM categories{where}", args)
        counts = self._subtree_counts(where.replace("taxonomy", "c.taxonomy").replace("WHERE", "AND"), args)
        by_id = {r[0]: r for r in rows}
        kids: dict[str | None, list[str]] = {}
        for r in rows:
            parent = r[3] if r[3] in by_id else None
            kids.setdefault(parent, []).append(r[0])

        def build(cid: str, seen: frozenset) -> Category:
            children = [build(child, seen | {child}) for child in kids.get(cid, ()) if child not in seen]
            children = sorted((c for c in children if c.count), key=lambda c: c.name.casefold())
            r = by_id[cid]
            return Category(id=r[0], name=r[1], code=r[2], parent_id=r[3], taxonomy=r[4], description=r[5],
                            count=counts.get(cid, 0), children=tuple(children))

        tops = [build(cid, frozenset({cid})) for cid in kids.get(None, ())]
        return sorted((c for c in tops if c.count), key=lambda c: c.name.casefold())

    def _subtree_counts(self, and_taxonomy: str, args: tuple) -> dict[str, int]:
        """Visible offers per category, its descendants included, each offer counted once.

        Counted over all offers and less the hidden ones: joining the few hidden offers is cheap,
        joining all 50,000 visible ones to check their status is not (3x slower).
        """
        tree = ("WITH RECURSIVE tree(root, id) AS (SELECT id, id FROM categories c WHERE 1" + and_taxonomy +
                " UNION SELECT tree.root, c.id FROM categories c JOIN tree ON c.parent_id = tree.id" +
                and_taxonomy + ") ")
        every = self._query(tree + "SELECT tree.root, count(DISTINCT oc.offer_id) FROM tree "
                            "JOIN offer_categories oc ON oc.category_id = tree.id GROUP BY tree.root", args * 2)
        hidden = dict(self._query(tree + "SELECT tree.root, count(DISTINCT oc.offer_id) FROM offers o "
                                  "JOIN offer_categories oc ON oc.offer_id = o.id JOIN tree ON tree.id = "
                                  "oc.category_id WHERE o.visible = 0 GROUP BY tree.root", args * 2))
        return {root: n - hidden.get(root, 0) for root, n in every}



def _search():
    """The search engine, imported at the first search: the start screen needs none of it (nor its
    vocabulary and the typo tolerance of rapidfuzz), so the kiosk starts faster."""
    from . import search

    return search


def _summary(row: tuple, schedules: tuple[dict, ...]) -> OfferSummary:
    """A card from a row of `_SUMMARY_COLS` and the offer's schedules."""
    oid, name, organization, town, location_name, latitude, longitude = row
    return OfferSummary(oid, name, organization, town, location_name, latitude, longitude, schedules)


def _schedule(values: Sequence) -> dict:
    return {k: v for k, v in zip(_SCHEDULE_COLS, values) if v is not None}
