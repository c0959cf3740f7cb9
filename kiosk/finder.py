"""What the visitor can ask for, mapped onto the catalogue: needs, "help for whom?", filters.

No Textual here: this is the kiosk's view of the catalogue, testable on its own. Every question
goes to `sync.catalogue.Catalogue`, which reads the live file, so a sync that lands while the kiosk
runs shows on the next screen.

Needs and groups of people come from the need map (assets/needs.toml, see `kiosk.needmap`): a
catalogue term belongs to a need by its code, name or parent, in any spelling. Terms the map does
not know still get buttons (the catalogue's own top-level terms, by their names), and offers in no
term get "More offers": nothing with visible offers is left out. A catalogue without categories
gets its needs by the map's search words.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from sync.text import fold

from . import homecache
from .i18n import current_language
from .needmap import BUNDLED, NeedMap, load_need_map
from .topics import MAX_TOPICS, OTHER_KEY, Audience, Need, build_topics  # noqa: F401 (re-exported)

if TYPE_CHECKING:  # the catalogue's modules load with its first question, after Home is drawn (issue 13)
    from sync.catalogue import Catalogue, Found
    from sync.offers import OfferSummary

FETCH_LIMIT = 2000  # a need or search shows at most this many offers (paged); keeps filters fast
FALLBACK_LIMIT = 3  # general counselling offers shown when nothing was found
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Filters:
    """The choices of the results screen: open now only, and the town whose offers come first
    (None: this place, then nearest)."""

    open_now: bool = False
    town: str | None = None


def _no_offers(ids: Sequence[str]) -> list[OfferSummary]:
    return []


@dataclass(frozen=True)
class Listing:
    """The offers of one need for one audience: those tagged for it (or for everyone) first, then
    `untagged` offers whose catalogue entry names no group of people.

    Holds the ordered offer ids; the cards are loaded only when asked for, a page at a time with
    `page` (a page of 50,000 offers' cards costs 40 ms and more, a page of eight half a millisecond).

    A list is capped at `FETCH_LIMIT` ids (the nearest, or a search's best); `more` says how many
    offers it leaves out: 0 none, None some but not how many (a search asks for one more than it holds).
    """

    ids: list[str]
    tagged: int
    load: Callable[[Sequence[str]], list[OfferSummary]] = field(default=_no_offers, compare=False, repr=False)
    more: int | None = 0

    @property
    def untagged(self) -> int:
        return len(self.ids) - self.tagged

    @property
    def capped(self) -> bool:
        """Whether there are more offers than the list holds."""
        return self.more != 0

    @property
    def total(self) -> int | None:
        """How many offers there are in all (None: more than the list holds, not known how many)."""
        return None if self.more is None else len(self.ids) + self.more

    @cached_property
    def offers(self) -> list[OfferSummary]:
        """Every offer of the listing, in order (loads them all: use `page` for a screenful)."""
        return self.load(self.ids)

    def page(self, start: int, stop: int) -> list[OfferSummary]:
        """The offers from position `start` up to `stop`, in order."""
        return self.load(self.ids[start:stop])


@dataclass
class _Cache:
    version: object = None
    needs: list[Need] = field(default_factory=list)
    need_ids: dict[str, Set[str]] = field(default_factory=dict)
    audiences: list[Audience] = field(default_factory=list)
    group_ids: dict[str, frozenset[str]] = field(default_factory=dict)
    everyone_ids: frozenset[str] = frozenset()
    grouped_ids: frozenset[str] = frozenset()  # offers tagged with any group of people
    all_ids: Set[str] = frozenset()
    here_ids: frozenset[str] = frozenset()
    # Every visible offer id in place order, per chosen town (None: this place's): a list, not a dict
    # of positions (50,000 ids: 0.4 MB instead of 3-4 MB held for the kiosk's life).
    orders: dict[str | None, list[str]] = field(default_factory=dict)


class Finder:
    """The kiosk's questions to the catalogue, with results cached per catalogue version."""

    def __init__(self, catalogue: Catalogue, *, location_names: Iterable[str], town: str,
                 latitude: float, longitude: float, need_map: NeedMap | Path | None = None) -> None:
        self.catalogue = catalogue
        self.location_names = tuple(location_names)
        self.town = town
        self.latitude, self.longitude = latitude, longitude
        # The need map is read when the finder's cache is first built, after Home is drawn from
        # kiosk.homecache (an operator's own map is checked with the settings, kiosk.config).
        self._map = need_map if isinstance(need_map, NeedMap) else None
        self._map_path = None if isinstance(need_map, NeedMap) else need_map
        # The need map's files, for the start screen's file of buttons (see kiosk.homecache); a map
        # given as an object has no files to tell its version by, so its buttons are not kept.
        self._map_sources = (None if isinstance(need_map, NeedMap)
                             else [BUNDLED, *([Path(need_map)] if need_map else [])])
        self._cache = _Cache()
        self._use_kept = True  # see kept_home
        self._seen: int | None = None  # the catalogue's data version when the cache was last checked
        self._building = threading.RLock()  # built once, also when a worker thread asks at the same time
        self._warming: threading.Thread | None = None  # see warm_in_background
        self._warming_lock = threading.Lock()

    @property
    def map(self) -> NeedMap:
        """Which categories make which need button and group of people (kiosk.needmap)."""
        if self._map is None:
            self._map = load_need_map(self._map_path)
        return self._map

    def _fresh(self) -> _Cache:
        """The cache, emptied when a sync has changed the catalogue since it was filled.

        Asking for the status costs a count over all offers (2 ms at 50,000); the connection's data
        version says for almost nothing whether anything was committed since the last check."""
        with self._building:
            seen = self.catalogue.data_version()
            if seen == self._seen and self._cache.version is not None:
                return self._cache
            key = self._home_key(self.catalogue.read_path)  # the file's state before reading it
            status = self.catalogue.status()
            version = (status.last_success, status.offers)
            if self._cache.version != version:
                cache = _Cache(version=version)
                cache.here_ids = frozenset(s.id for s in self.catalogue.at_locations(self.location_names))
                build_topics(self.catalogue, self.map, cache)
                self._cache = cache  # swapped in whole: `_home` reads it without waiting for `_building`
                if key is not None:
                    # "here" counts a programme's offers too (kiosk.combined), which change without the catalogue
                    here = None if getattr(self.catalogue, "programme_offers", list)() else len(cache.here_ids)
                    homecache.write(homecache.cache_path(self.catalogue.path), key,
                                    homecache.Kept(cache.needs, cache.audiences, status.offers, status.last_success,
                                                   here))
            self._seen = seen  # only now: until the new cache is in, `_home` does not take the old one for fresh
            return self._cache

    def _home_key(self, read_path: Path) -> str | None:
        if self._map_sources is None:
            return None
        return homecache.fingerprint(read_path, self.location_names, self._map_sources)

    def kept_home(self) -> homecache.Kept | None:
        """Home's buttons and counts as an earlier start kept them for this very catalogue file, while
        the cache has not been built: without a single read of the catalogue, which the `kiosk`
        command opens only after its check has passed (kiosk.cli.CheckedLater). None: not kept, or
        the cache is built (then ask it: a sync may have landed)."""
        if self._cache.version is not None or not self._use_kept:
            return None
        key = self._home_key(self.catalogue.path)
        return homecache.read(homecache.cache_path(self.catalogue.path), key) if key else None

    def forget_kept(self) -> None:
        """From now on Home is built from the catalogue as read (it fell back to another file)."""
        self._use_kept = False

    def _home(self) -> tuple[list[Need], list[Audience]]:
        """Need buttons and "help for whom?" answers for the start screen: from the cache when it is
        built, else from the file an earlier start wrote for this very catalogue, else built.

        Home never waits for a warming thread (0.3 to 1 s at 50,000 offers, after start and after
        each sync): the cache is swapped in whole, so it is read here without `_building`; while
        a warming thread builds a new one and no file fits, Home shows the buttons of the cache
        it has (at most one sync old) and the next visit to Home the new ones. A tap on a button
        still waits for the new cache (`listing`): its offers are never those of an older catalogue."""
        kept = self.kept_home()  # before the catalogue is even opened (kiosk.cli.CheckedLater)
        if kept is not None:
            return kept.needs, kept.audiences
        cache = self._cache
        if cache.version is not None and self.catalogue.data_version() == self._seen:
            return cache.needs, cache.audiences
        key = self._home_key(self.catalogue.read_path)
        kept = homecache.read(homecache.cache_path(self.catalogue.path), key) if key else None
        if kept is not None:
            return kept.needs, kept.audiences
        cache = self._current()
        return cache.needs, cache.audiences

    def _current(self) -> _Cache:
        """The fresh cache; while a warming thread builds the next one, the one there is (for Home's
        buttons, never for a listing's offers), instead of waiting for it."""
        cache, warming = self._cache, self._warming
        if cache.version is not None and warming is not None and warming.is_alive():
            return cache
        return self._fresh()

    # -- needs -----------------------------------------------------------------------------

    def needs(self, audience: Audience | None = None) -> list[Need]:
        """The need buttons, in the map's order; with an audience only those with offers for it."""
        if audience is None or not audience.narrows:
            return list(self._home()[0])
        cache = self._current()
        wanted = self._audience_ids(audience, cache) | (cache.all_ids - cache.grouped_ids)
        return [n for n in cache.needs if cache.need_ids[n.key] & wanted]

    def listing(self, need: Need, audience: Audience | None = None, town: str | None = None, *,
                limit: int = FETCH_LIMIT) -> Listing:
        """The offers of a need: for the audience (tagged first, then untagged), here first, then
        in `town` (None: this place's town), then nearest; the `limit` nearest, and how many there
        are in all (the size of the need's id sets: no offer is read for it)."""
        cache = self._fresh()
        ids = cache.need_ids.get(need.key, frozenset())
        load = self.catalogue.summaries
        if audience is None or not audience.narrows:
            tagged = self.order(ids, town, limit=limit)
            return Listing(tagged, len(tagged), load, _left_out(tagged, len(ids), limit))
        wanted, unnamed = ids & self._audience_ids(audience), ids - cache.grouped_ids  # disjoint
        tagged = self.order(wanted, town, limit=limit)
        untagged = self.order(unnamed, town, limit=limit - len(tagged))
        held = tagged + untagged
        return Listing(held, len(tagged), load, _left_out(held, len(wanted) + len(unnamed), limit))

    def offers_for(self, need: Need, audience: Audience | None = None) -> list[OfferSummary]:
        """Offers of one need (narrowed to the audience), here first, then nearest."""
        return self.listing(need, audience).offers

    # -- help for whom ---------------------------------------------------------------------

    def audiences(self) -> list[Audience]:
        """The answers to "help for whom?"; empty when the catalogue names no groups of people."""
        return list(self._home()[1])

    def _audience_ids(self, audience: Audience, cache: _Cache | None = None) -> frozenset[str]:
        cache = self._fresh() if cache is None else cache
        ids = set(cache.everyone_ids)
        for group in audience.groups:
            ids |= cache.group_ids.get(group, frozenset())
        return frozenset(ids)

    def narrow(self, offers: list[OfferSummary], audience: Audience | None) -> list[OfferSummary]:
        """Offers for the audience's groups or for everyone first, then those naming no group."""
        if audience is None or not audience.narrows:
            return offers
        allowed, grouped = self._audience_ids(audience), self._fresh().grouped_ids
        return [s for s in offers if s.id in allowed] + [s for s in offers if s.id not in grouped]

    # -- order by place ----------------------------------------------------------------------

    def order(self, ids: Iterable[str], town: str | None = None, *, limit: int | None = None) -> list[str]:
        """Offer ids: this place's own first, then `town`'s (None: this place's town), then by distance
        from this place (or from the middle of the chosen town), then by name; at most `limit` of them.
        Ids of offers that are not visible are left out.

        The place order is walked and the wanted ids picked from it (about 1 ms for 50,000 offers,
        less when `limit` ids are found early): no position of every offer is held for sorting."""
        wanted = ids if isinstance(ids, Set) else set(ids)
        most = len(wanted) if limit is None else min(limit, len(wanted))
        return list(islice(filter(wanted.__contains__, self._order(town)), max(0, most)))

    def _order(self, town: str | None) -> list[str]:
        """Every visible offer id in the place order for `town`, once per catalogue version (reading
        and sorting 50,000 offers by distance and name takes 80 ms and more).
        Under `_building`: a tap while the warming thread works waits for its order, not computing it twice."""
        with self._building:
            cache = self._fresh()
            if town in cache.orders:
                return cache.orders[town]
            lat, lon = self.latitude, self.longitude
            if town is not None:
                lat, lon = self.catalogue.town_centres().get(town, (lat, lon))
            ordered = self.catalogue.by_place(lat, lon, town=town or self.town,
                                              first=cache.here_ids if town is None else ())
            if len(cache.orders) >= 4:  # the default and a few chosen towns
                cache.orders.pop(next(t for t in cache.orders if t is not None))
            cache.orders[town] = ordered
            return ordered

    def warm(self) -> None:
        """Fill the cache before the first tap needs it (the need buttons and this place's order),
        then the words of the search's completions: the first letter typed after a start or a sync
        read every offer's name first (0.75 s at 50,000 offers; kept per catalogue version), after
        the order, outside `_building`, so a need tapped meanwhile does not wait for it."""
        self._order(None)
        self.catalogue.name_words()

    def wants_warming(self) -> bool:
        """Whether the cache was warmed once, no warming runs now, and a sync has committed since
        (a cheap check: the connection's data version, no counting; not asked while a warming
        thread holds the connection, so the UI never waits for it here)."""
        warming = self._warming
        if warming is None or warming.is_alive():
            return False
        return self._cache.version is None or self.catalogue.data_version() != self._seen

    def warm_in_background(self, on_error: Callable[[Exception], object] | None = None) -> bool:
        """`warm` in a thread of its own, so that the UI is not held up for 0.3 to 1 s at 50,000 offers
        (after start and after a sync). Returns False when a warming thread is still running.

        Safe beside the UI thread: the catalogue's one connection is used under its lock, and the
        scans of every offer let go of it between slices of rows (`CatalogueReader._stream`), so
        the screen's own short queries are not held up; the cache is built under `_building` and
        only swapped in when complete (a tap on a need that comes sooner waits for it, instead of
        building it twice; Home and Back never wait: see `_home`), and the thread touches no widget.
        A failure is handed to `on_error` (from the thread); the next tap on the UI thread then
        meets the same error and says it in words.
        """
        with self._warming_lock:
            if self._warming is not None and self._warming.is_alive():
                return False

            def run() -> None:
                try:
                    self.warm()
                except Exception as exc:  # noqa: BLE001 - never let a warm-up kill the kiosk
                    if on_error is not None:
                        on_error(exc)

            self._warming = threading.Thread(target=run, name="finder-warm", daemon=True)
            self._warming.start()
            return True

    def towns(self) -> list[str]:
        """The towns of the catalogue that have offers."""
        return self.catalogue.towns()

    # -- this place, search, filters ---------------------------------------------------------

    def here(self) -> list[OfferSummary]:
        """Offers held at this place itself."""
        return self.catalogue.at_locations(self.location_names)

    def here_ids(self) -> frozenset[str]:
        """The ids of the offers held at this place (cached per catalogue version)."""
        return self._fresh().here_ids

    def place_first(self, offers: list[OfferSummary]) -> list[OfferSummary]:
        """The same offers, those held at this place first (the order kept otherwise)."""
        here = self._fresh().here_ids
        return sorted(offers, key=lambda s: s.id not in here)  # stable: keeps the order otherwise

    def search(self, text: str, *, limit: int = FETCH_LIMIT) -> list[OfferSummary]:
        return self.catalogue.search(text, limit=limit, language=current_language())

    def search_listing(self, text: str, *, limit: int = FETCH_LIMIT) -> Listing:
        """A search's best `limit` offers, those held at this place first; one more is asked for
        to know whether it leaves any out (how many is not known cheaply)."""
        found = self.search(text, limit=limit + 1)
        offers = self.place_first(found[:limit])
        by_id = {s.id: s for s in offers}
        return Listing(list(by_id), len(by_id), lambda ids: [by_id[i] for i in ids],
                       None if len(found) > limit else 0)

    def find(self, text: str, *, limit: int = FETCH_LIMIT, fallback: int = FALLBACK_LIMIT) -> SearchAnswer:
        """Offers for what a visitor typed, how the words were read, and help when nothing was found.

        Slow enough to run off the UI thread (two queries when nothing is found).
        """
        found = self.catalogue.find(text, limit=limit, language=current_language())  # their words find German offers
        nearby = self.fallback(fallback) if not found.offers else []
        return SearchAnswer(found.offers, did_you_mean(found), left_out(found, text), nearby,
                            found.town if found.town_empty else None)

    def fallback(self, limit: int = FALLBACK_LIMIT) -> list[OfferSummary]:
        """General counselling offers nearest to this place: the way on when nothing was found."""
        return self.catalogue.fallback(self.latitude, self.longitude, limit=limit)

    def distance(self, offer: OfferSummary) -> float | None:
        return offer.distance_from(self.latitude, self.longitude)

    def is_here_town(self, offer: OfferSummary) -> bool:
        return bool(offer.town and fold(offer.town) == fold(self.town))

    def apply(self, offers: list[OfferSummary], filters: Filters, now: datetime) -> list[OfferSummary]:
        """The offers that pass the filters; a chosen town's offers first (the order kept otherwise)."""
        out = offers
        if filters.open_now:
            from sync.hours import Status, status_at  # dateutil and babel: not needed at start-up

            out = [s for s in out if status_at(s.schedules, now).state == Status.OPEN]
        if filters.town is not None:
            wanted = fold(filters.town)
            out = sorted(out, key=lambda s: fold(s.town or "") != wanted)
        return out

Fetch = Callable[[], "list[OfferSummary]"]


def _left_out(held: list[str], total: int, limit: int) -> int:
    """How many of `total` offers a list capped at `limit` leaves out (0 when it is not full: the
    ids the place order does not know, offers no longer visible, are not counted as left out)."""
    return max(0, total - len(held)) if len(held) >= limit else 0


@dataclass(frozen=True)
class SearchAnswer:
    """What the search screen shows for one text.

    `did_you_mean` and `left_out` are words to show as plain text (they come from the catalogue and
    from the visitor); `fallback` holds general counselling offers, filled only when `offers` is empty.
    """

    offers: list[OfferSummary]
    did_you_mean: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    fallback: list[OfferSummary] = field(default_factory=list)
    nearest_to: str | None = None  # a town named in the text has none of these offers: the nearest are shown


def did_you_mean(found: Found) -> tuple[str, ...]:
    """The words searched instead of the typed ones, spelled as in the offers where possible.

    The engine answers with folded index words ("schuldnerberatung", "pflegestutzpunkt"); the same
    word in a found offer's name or provider gives back capitals and umlauts ("Pflegestützpunkt").
    """
    spelled: dict[str, str] = {}
    for offer in found.offers:
        for text in (offer.name, offer.organization or ""):
            for word in _WORD.findall(text):
                spelled.setdefault(fold(word), word)
    out: list[str] = []
    for _typed, instead in found.corrections:
        shown = " ".join(spelled.get(w, w) for w in instead.split())
        if shown and shown not in out:
            out.append(shown)
    return tuple(out)


def left_out(found: Found, text: str) -> tuple[str, ...]:
    """The words that matched nothing and were left out, as the visitor typed them.

    Only when something was found: when nothing was, the screen says so for the whole text.
    """
    if not found.offers:
        return ()
    typed = {fold(w): w for w in _WORD.findall(text)}
    out: list[str] = []
    for word in found.ignored:
        shown = typed.get(word, word)
        if shown not in out:
            out.append(shown)
    return tuple(out)
