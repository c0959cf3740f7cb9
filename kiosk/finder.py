"""What the visitor can ask for, mapped onto the catalogue: needs, "help for whom?", filters.

No Textual here: this is the kiosk's view of the catalogue, testable on its own. Every question
goes to `sync.catalogue.Catalogue`, which reads the live file, so a sync that lands while the kiosk
runs shows on the next screen.

Needs come from the need taxonomy ("Dritte Orte Bedarfe", recognised by its term codes). A feed
with other categories gets its biggest taxonomy's top terms; a feed without any categories gets
a fixed grouping by search words, so the start screen never comes up empty.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sync.catalogue import Catalogue, Category, Found, OfferSummary
from sync.hours import Status, status_at
from sync.text import fold

from .i18n import N_

MAX_NEEDS = 9
FETCH_LIMIT = 2000  # a need or search shows at most this many offers (paged); keeps filters fast
FALLBACK_LIMIT = 3  # general counselling offers shown when nothing was found
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class NeedSpec:
    """A need term we know: its code in the need taxonomy, a translatable label, fallback words."""

    code: str
    label: str
    keywords: tuple[str, ...]


NEEDS: tuple[NeedSpec, ...] = (
    NeedSpec("alter-pflege", N_("Age & care"), ("pflege", "senior", "alter")),
    NeedSpec("behinderung-teilhabe", N_("Disability & inclusion"),
             ("behinderung", "teilhabe", "inklusion", "barrierefrei")),
    NeedSpec("ankommen-migration", N_("Arriving & migration"),
             ("migration", "flucht", "gefluchtet", "integration", "sprachkurs", "deutschkurs")),
    NeedSpec("kinder-jugend-familie", N_("Children, youth & family"), ("kind", "jugend", "familie", "eltern")),
    NeedSpec("beratung-notlagen", N_("Advice & help in need"), ("beratung", "notfall", "krise", "sucht", "schulden")),
    NeedSpec("digital-lernen", N_("Learning digital"), ("digital", "computer", "internet", "smartphone")),
    NeedSpec("treffen-freizeit", N_("Meeting & leisure"), ("treff", "cafe", "freizeit", "begegnung")),
    NeedSpec("geld-aemter", N_("Money & offices"), ("geld", "antrag", "amt", "rente", "wohngeld", "formular")),
    NeedSpec("gesundheit", N_("Health"), ("gesundheit", "arzt", "krank", "bewegung")),
)
_NEED_BY_CODE = {n.code: n for n in NEEDS}


@dataclass(frozen=True)
class Need:
    """One button on the start screen.

    `label` is a message id to translate when `translate` is True, else catalogue text to show as
    plain text. Exactly one way to find the offers is set: a category, search words, or neither
    (then: all offers).
    """

    key: str
    label: str
    translate: bool
    category_id: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Audience:
    """An answer to "help for whom?": the visitor-group codes it narrows to (empty: no narrowing)."""

    key: str
    label: str
    codes: tuple[str, ...]


AUDIENCES: tuple[Audience, ...] = (
    Audience("me", N_("For me"), ()),
    Audience("child", N_("For my child"), ("kinder-jugend",)),
    Audience("parents", N_("For my parents"), ("senioren",)),
    Audience("care", N_("For someone I care for"), ("senioren", "behinderung")),
)
EVERYONE_CODE = "alle"  # offers for everyone stay in every narrowed list
_GROUP_CODES = {c for a in AUDIENCES for c in a.codes} | {EVERYONE_CODE}


@dataclass
class Filters:
    """The three big toggles of the results screen."""

    open_now: bool = False
    in_town: bool = False
    nearest: bool = False


@dataclass
class _Cache:
    version: object = None
    needs: list[Need] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)  # code -> category ids
    audience_ids: dict[str, frozenset[str]] = field(default_factory=dict)
    here_ids: frozenset[str] = frozenset()


class Finder:
    """The kiosk's questions to the catalogue, with results cached per catalogue version."""

    def __init__(self, catalogue: Catalogue, *, location_names: Iterable[str], town: str,
                 latitude: float, longitude: float) -> None:
        self.catalogue = catalogue
        self.location_names = tuple(location_names)
        self.town = town
        self.latitude, self.longitude = latitude, longitude
        self._cache = _Cache()

    def _fresh(self) -> _Cache:
        """The cache, emptied when a sync has changed the catalogue since it was filled."""
        status = self.catalogue.status()
        version = (status.last_success, status.offers)
        if self._cache.version != version:
            self._cache = _Cache(version=version)
            self._cache.needs = self._find_needs()
            self._cache.groups = self._find_groups()
            self._cache.here_ids = frozenset(s.id for s in self.catalogue.at_locations(self.location_names))
        return self._cache

    # -- needs -----------------------------------------------------------------------------

    def needs(self) -> list[Need]:
        """6 to 9 needs for the start screen (fewer only when the catalogue has fewer)."""
        return list(self._fresh().needs)

    def _find_needs(self) -> list[Need]:
        tops = self.catalogue.categories()
        groups_tax = {c.taxonomy for c in tops if c.code in _GROUP_CODES}
        by_tax: dict[str | None, list[Category]] = {}
        for cat in tops:
            if cat.taxonomy in groups_tax and cat.code in _GROUP_CODES:
                continue
            by_tax.setdefault(cat.taxonomy, []).append(cat)
        if by_tax:
            known = max(by_tax.values(), key=lambda cats: sum(c.code in _NEED_BY_CODE for c in cats))
            if any(c.code in _NEED_BY_CODE for c in known):
                order = {spec.code: i for i, spec in enumerate(NEEDS)}
                known = sorted(known, key=lambda c: (order.get(c.code or "", len(order)), c.name.casefold()))
                return [self._need_of(c) for c in known[:MAX_NEEDS]]
            biggest = max(by_tax.values(), key=len)
            biggest = sorted(biggest, key=lambda c: -c.count)[:MAX_NEEDS]
            return [self._need_of(c) for c in sorted(biggest, key=lambda c: c.name.casefold())]
        needs = [Need(spec.code, spec.label, True, keywords=spec.keywords) for spec in NEEDS
                 if any(self.catalogue.search(word, limit=1) for word in spec.keywords)]
        return needs or [Need("all", N_("All offers"), True)]

    @staticmethod
    def _need_of(cat: Category) -> Need:
        spec = _NEED_BY_CODE.get(cat.code or "")
        if spec is not None:
            return Need(spec.code, spec.label, True, category_id=cat.id)
        return Need(cat.id, cat.name, False, category_id=cat.id)

    def offers_for(self, need: Need, audience: Audience | None = None) -> list[OfferSummary]:
        """Offers of one need (narrowed to the audience), offers at this place first."""
        if need.category_id is not None:
            found = self.catalogue.in_category(need.category_id, limit=FETCH_LIMIT)
        elif need.keywords:
            found, seen = [], set()
            for word in need.keywords:
                for s in self.catalogue.search(word, limit=FETCH_LIMIT):
                    if s.id not in seen:
                        seen.add(s.id)
                        found.append(s)
            found.sort(key=lambda s: s.name.casefold())
        else:
            found = self.catalogue.all_offers(limit=FETCH_LIMIT)
        return self.place_first(self.narrow(found, audience))

    # -- help for whom ---------------------------------------------------------------------

    def _find_groups(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}

        def walk(cats: Iterable[Category]) -> None:
            for cat in cats:
                if cat.code in _GROUP_CODES:
                    groups.setdefault(cat.code, []).append(cat.id)
                walk(cat.children)

        walk(self.catalogue.categories())
        return groups

    def audiences(self) -> list[Audience]:
        """The answers to "help for whom?"; empty when the catalogue has no visitor groups."""
        groups = self._fresh().groups
        if not any(code in groups for a in AUDIENCES for code in a.codes):
            return []
        return list(AUDIENCES)

    def narrow(self, offers: list[OfferSummary], audience: Audience | None) -> list[OfferSummary]:
        """Keep offers for the audience's groups or for everyone; no audience: all."""
        if audience is None or not audience.codes:
            return offers
        cache = self._fresh()
        allowed = cache.audience_ids.get(audience.key)
        if allowed is None:
            ids: set[str] = set()
            for code in (*audience.codes, EVERYONE_CODE):
                for cid in cache.groups.get(code, ()):
                    ids.update(s.id for s in self.catalogue.in_category(cid))
            allowed = cache.audience_ids[audience.key] = frozenset(ids)
        return [s for s in offers if s.id in allowed]

    # -- this place, search, filters ---------------------------------------------------------

    def here(self) -> list[OfferSummary]:
        """Offers held at this place itself."""
        return self.catalogue.at_locations(self.location_names)

    def place_first(self, offers: list[OfferSummary]) -> list[OfferSummary]:
        here = self._fresh().here_ids
        return sorted(offers, key=lambda s: s.id not in here)  # stable: keeps the order otherwise

    def search(self, text: str, *, limit: int = FETCH_LIMIT) -> list[OfferSummary]:
        return self.catalogue.search(text, limit=limit)

    def find(self, text: str, *, limit: int = FETCH_LIMIT, fallback: int = FALLBACK_LIMIT) -> SearchAnswer:
        """Offers for what a visitor typed, how the words were read, and help when nothing was found.

        Slow enough to run off the UI thread (two queries when nothing is found).
        """
        found = self.catalogue.find(text, limit=limit)
        nearby = self.fallback(fallback) if not found.offers else []
        return SearchAnswer(found.offers, did_you_mean(found), left_out(found, text), nearby,
                            found.town if found.town_empty else None)

    def fallback(self, limit: int = FALLBACK_LIMIT) -> list[OfferSummary]:
        """General counselling offers nearest to this place: the way on when nothing was found."""
        return self.catalogue.fallback(self.latitude, self.longitude, limit=limit)

    def distance(self, offer: OfferSummary) -> float | None:
        return offer.distance_from(self.latitude, self.longitude)

    def is_here_town(self, offer: OfferSummary) -> bool:
        return bool(offer.town) and fold(offer.town) == fold(self.town)

    def apply(self, offers: list[OfferSummary], filters: Filters, now: datetime) -> list[OfferSummary]:
        """The offers that pass the toggles, nearest first if asked (no coordinates: last)."""
        out = offers
        if filters.in_town:
            out = [s for s in out if self.is_here_town(s)]
        if filters.open_now:
            out = [s for s in out if status_at(s.schedules, now).state == Status.OPEN]
        if filters.nearest:
            def key(s: OfferSummary) -> tuple[bool, float]:
                d = self.distance(s)
                return d is None, d or 0.0
            out = sorted(out, key=key)
        return out


Fetch = Callable[[], list[OfferSummary]]


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
