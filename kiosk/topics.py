"""The need buttons and "help for whom?" answers of one catalogue, built from the need map.

`build_topics` reads the category tree once per catalogue version and fills the finder's cache:
which offers each need and each group of people holds. Rules, in this order:

1. Taxonomies named like "Zielgruppen" (or whose top terms are mostly groups of the map) list
   groups of people, not needs. Their terms that match no `[[group]]` become answers of their own.
2. Every other term that matches a `[[need]]` (code, name, parent, any spelling) gives its offers
   and those of its sub-terms to that need.
3. Top-level terms with offers that no need holds become buttons labelled with their own names,
   the biggest first, at most `MAX_TOPICS` buttons in all.
4. Offers still in no button are found by the needs' search words; what is left goes to "Other
   offers". So nothing with visible offers is ever left out, and no button leads to no offers.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .i18n import N_, _, current_language
from .needmap import NeedMap

if TYPE_CHECKING:
    from sync.catalogue import Catalogue
    from sync.offers import Category

MAX_TOPICS = 24  # need buttons at most: Home and one "More topics" page hold them at 80x24
MAX_AUDIENCES = 8  # answers to "help for whom?" at most: two columns of four fit at 80x24
OTHER_KEY = "other"
WORD_LIMIT = 2000  # offers per search word when needs are found by words


def _in_language(labels: Mapping[str, str], msgid: str, translate: bool) -> str:
    own = labels.get(current_language())
    if own:
        return own
    return _(msgid) if translate else msgid


@dataclass(frozen=True)
class Need:
    """One button for a need: its label in every language, an icon, how many offers it has.

    `label` is a message id to translate when `translate` is True, else catalogue text to show as
    plain text; `labels` are an operator's own words per language code.
    """

    key: str
    label: str
    translate: bool
    icon: str = ""
    count: int = 0
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def text(self) -> str:
        """The label in the current UI language."""
        return _in_language(self.labels, self.label, self.translate)


@dataclass(frozen=True)
class Audience:
    """An answer to "help for whom?": the groups it narrows to (none: no narrowing).

    `label` is the button ("For my child"), `title` names the group in a narrowed list's title
    ("For children and young people"); message ids when `translate`, else catalogue text.
    """

    key: str
    label: str
    title: str = ""
    translate: bool = True
    groups: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    titles: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def narrows(self) -> bool:
        return bool(self.groups)

    def text(self) -> str:
        """The button's label in the current UI language."""
        return _in_language(self.labels, self.label, self.translate)

    def title_text(self) -> str:
        """"Für Kinder und Jugendliche": whom a narrowed list is for."""
        if self.title or self.titles:
            return _in_language(self.titles, self.title, self.translate)
        if not self.translate:  # a group named by the catalogue
            return _("For {group}").format(group=self.label)
        return self.text()


def _walk(cats: tuple[Category, ...] | list[Category], parent: Category | None = None,
          ) -> Iterator[tuple[Category, Category | None]]:
    for cat in cats:
        yield cat, parent
        yield from _walk(cat.children, cat)


def _below_single_root(tops: list[Category]) -> list[Category]:
    """A taxonomy with one root term ("Alle Themen") offers its children as the top terms."""
    while len(tops) == 1 and tops[0].children:
        tops = list(tops[0].children)
    return tops


def _term(cat: Category, parent: Category | None) -> dict[str, Any]:
    return {"code": cat.code, "name": cat.name, "taxonomy": cat.taxonomy,
            "parent_code": parent.code if parent else None, "parent_name": parent.name if parent else None}


def build_topics(catalogue: Catalogue, need_map: NeedMap, cache: Any) -> None:
    """Fill `cache` (a finder's cache) with needs, audiences and their offer ids."""
    tree = catalogue.categories()
    direct = catalogue.category_offers()
    all_ids = catalogue.visible_ids().keys()  # a set view: no second set of 50,000 ids
    memo: dict[str, frozenset[str]] = {}

    def subtree(cat: Category) -> frozenset[str]:
        if cat.id not in memo:
            ids = set(direct.get(cat.id, ()))
            for child in cat.children:
                ids |= subtree(child)
            memo[cat.id] = frozenset(ids)
        return memo[cat.id]

    by_tax: dict[str | None, list[Category]] = {}
    for top in tree:
        by_tax.setdefault(top.taxonomy, []).append(top)
    audience_tax: set[str | None] = set()
    for tax, tops in by_tax.items():
        group_terms = sum(1 for t in tops if need_map.group_for(**_term(t, None)))
        need_terms = sum(1 for t in tops if need_map.need_for(**_term(t, None)))
        if need_map.is_audience_taxonomy(tax) or (group_terms * 2 > len(tops) and group_terms > need_terms):
            audience_tax.add(tax)

    # A branch named like "Zielgruppen" inside a need taxonomy lists groups of people too.
    group_tops = [t for tax in audience_tax for t in _below_single_root(by_tax[tax])]
    for tax in [t for t in by_tax if t not in audience_tax]:
        branches = [top for top in by_tax[tax] if need_map.is_audience_taxonomy(top.name)]
        group_tops += [child for top in branches for child in top.children]
        # A term of a known group whose parent the feed left out ("Kinder und Jugendliche" at the
        # top of the need taxonomy) is a group too, unless the map also knows it as a need.
        strays = [top for top in by_tax[tax] if top not in branches and need_map.group_for(**_term(top, None))
                  and not need_map.need_for(**_term(top, None))]
        group_tops += strays
        branches += strays
        by_tax[tax] = [top for top in by_tax[tax] if top not in branches]
        if not by_tax[tax]:
            del by_tax[tax]
    _groups(need_map, cache, group_tops, subtree)

    # Needs from the map, then the catalogue's own top terms for what the map does not know.
    need_ids: dict[str, set[str]] = {}
    need_tax = sorted((t for t in by_tax if t not in audience_tax), key=lambda t: (
        -len(frozenset().union(*(subtree(c) for c in by_tax[t]))), t or ""))
    for tax in need_tax:
        for cat, parent in _walk(by_tax[tax]):
            for entry in need_map.need_for(**_term(cat, parent)):
                need_ids.setdefault(entry.key, set()).update(subtree(cat))
    covered = set().union(*need_ids.values()) if need_ids else set()
    mapped = sum(1 for e in need_map.needs if need_ids.get(e.key))
    own: list[tuple[Category, frozenset[str]]] = []
    for tax in need_tax:
        for top in sorted(_below_single_root(by_tax[tax]), key=lambda c: (-len(subtree(c)), c.name.casefold())):
            ids = subtree(top)
            if ids - covered:
                own.append((top, ids))
                covered |= ids
    own.sort(key=lambda pair: (-len(pair[1]), pair[0].name.casefold()))
    room = max(0, MAX_TOPICS - mapped - 1)
    kept, dropped = own[:room], own[room:]
    if len(own) == room + 1:  # the last one fits in place of "Other offers"
        kept, dropped = own, []
    rest = set(all_ids) - set().union(*need_ids.values(), *(ids for _c, ids in kept))
    if rest:  # offers in no term of a need (or no taxonomy at all): the map's search words
        for entry in need_map.needs:
            for word in entry.words:
                hits = rest.intersection(catalogue.search_ids(word, limit=WORD_LIMIT))
                if hits:
                    need_ids.setdefault(entry.key, set()).update(hits)
                    rest -= hits
            if not rest:
                break

    needs: list[Need] = []
    for entry in need_map.needs:
        if need_ids.get(entry.key):
            needs.append(Need(entry.key, entry.label, True, entry.icon, len(need_ids[entry.key]), entry.labels))
    ids_of: dict[str, Set[str]] = dict(need_ids)  # kept as they are (read only): no second copy
    for top, ids in kept:
        key = f"term-{top.id}"
        needs.append(Need(key, top.name, False, "", len(ids)))
        ids_of[key] = ids
    if rest:
        needs.append(Need(OTHER_KEY, N_("Other offers"), True, "", len(rest)))
        ids_of[OTHER_KEY] = frozenset(rest)
    cache.needs, cache.need_ids, cache.all_ids = needs, ids_of, all_ids
    del dropped  # their offers are in "Other offers" (or in a need, by word)


def _groups(need_map: NeedMap, cache: Any, tops: list[Category],
            subtree: Callable[[Category], frozenset[str]]) -> None:
    """Groups of people: offer ids per map group, and answers for the groups the map does not know."""
    group_ids: dict[str, set[str]] = {}
    own: list[tuple[Category, frozenset[str]]] = []
    grouped: set[str] = set()
    for top in tops:
        grouped |= subtree(top)
        matched = False
        for cat, parent in _walk([top]):
            for entry in need_map.group_for(**_term(cat, parent)):
                group_ids.setdefault(entry.key, set()).update(subtree(cat))
                matched = True
        if not matched:
            own.append((top, subtree(top)))
    everyone = set().union(*(group_ids.get(g.key, set()) for g in need_map.groups if g.everyone))
    audiences: list[Audience] = []
    for answer in need_map.audiences:
        if answer.groups and not any(group_ids.get(g) for g in answer.groups):
            continue
        audiences.append(Audience(answer.key, answer.label, answer.title, True, answer.groups, answer.labels,
                                  answer.titles))
    own.sort(key=lambda pair: (-len(pair[1]), pair[0].name.casefold()))
    for top, ids in own[:max(0, MAX_AUDIENCES - len(audiences))]:  # the biggest; all fit on one screen
        key = f"term-{top.id}"
        group_ids[key] = set(ids)
        audiences.append(Audience(key, top.name, "", False, (key,)))
    if not any(a.narrows for a in audiences):
        audiences = []
    cache.group_ids = {k: frozenset(v) for k, v in group_ids.items()}
    cache.everyone_ids = frozenset(everyone)
    cache.grouped_ids = frozenset(grouped)
    cache.audiences = audiences
