"""Results: big offer cards a page at a time, with big paging buttons, "open now" and the town.

A need's offers come here first, then in this place's town, then nearest (kiosk/finder.py); the
visitor may choose another town of the county. A list narrowed by "help for whom?" says so in its
title and has one button to widen it; offers that name no group come after those for the group,
under a line that says so. A wide screen shows the cards in two columns.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button

from sync.offers import OfferSummary

from ..finder import FALLBACK_LIMIT, Audience, Filters, Finder, Listing, Need
from ..i18n import _, current_language, ngettext
from ..present import card_content
from ..sizes import NORMAL, Sizes
from ..speech import utterance_parts
from ..widgets import BigButton, OfferCard, Plain, Toggle
from ..widgets.rtl import in_reading_order, next_label, previous_label
from .base import KioskScreen
from .context import kiosk_of

CARD_ROWS = NORMAL.card_rows  # three lines of text and one blank line between cards (larger text: kiosk/sizes.py)
CHROME_ROWS = NORMAL.results_chrome()  # top bar, filters and paging, three rows each
DIVIDER_ROWS = 1  # "without a stated group" line in a narrowed list
TWO_COLUMNS_FROM = NORMAL.two_card_columns_from  # screen columns from which cards stand in two columns


def card_columns(screen_width: int, sizes: Sizes = NORMAL) -> int:
    return sizes.card_columns(screen_width)


def cards_per_page(screen_height: int, configured: int, chrome: int = CHROME_ROWS, columns: int = 1,
                   sizes: Sizes = NORMAL) -> int:
    """As many cards as fit without scrolling, at least one; at most the configured number per
    column and per 24 rows of screen (a screen twice as tall may show twice as many)."""
    return sizes.cards_per_page(screen_height, configured, chrome, columns)


def fallback_room(rows: int, sizes: Sizes = NORMAL) -> int:
    """General counselling cards that fit in `rows` below a sentence of up to two lines (1 to 3)."""
    return sizes.fallback_room(rows, FALLBACK_LIMIT)


class NothingFound(Vertical):
    """Never a dead end: says that nothing was found, shows general counselling offers near this
    place as cards to tap, and a big button to the need categories on the start screen.

    `message` may hold the visitor's own words: it is shown as plain text, like the cards.
    """

    def __init__(self, message: str, fallback: list[OfferSummary], finder: Finder, now: datetime, *,
                 room: int = FALLBACK_LIMIT, id: str | None = "nothing") -> None:
        super().__init__(id=id)
        self._message = message
        self._cards = [OfferCard(s.id, card_content(s, finder, now), classes="card") for s in fallback[:room]]

    def compose(self) -> ComposeResult:
        text = self._message
        if self._cards:
            text += " " + _("General advice near you:")
        yield Plain(text, classes="nothing-text")
        with Horizontal(classes="nothing-row"):
            with Vertical(classes="nothing-cards"):
                yield from self._cards
            yield BigButton(_("See all topics"), id="to-topics")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "to-topics":
            event.stop()
            await kiosk_of(self.app).go_home()


class ResultsScreen(KioskScreen):
    """A list of offers; `fetch` is asked once per visit (the catalogue reads live). It gives the
    offers, or a `Listing` (e.g. `Finder.search_listing`, which says when the list is capped).

    `ResultsScreen.for_need` lists a need's offers for an audience, ordered by place.
    """

    def __init__(self, title: Callable[[], str], fetch: Callable[[], list[OfferSummary] | Listing], *,
                 need: Need | None = None, audience: Audience | None = None) -> None:
        super().__init__()
        self._title = title
        self._fetch = fetch
        self.need, self.audience = need, audience
        self._listing: Listing | None = None  # loaded once per visit, cards a page at a time
        self._tagged: int | None = None  # offers for the audience come first; then untagged ones
        self._fallback: list[OfferSummary] | None = None
        self._refresh_on_resume = False
        self.filters = Filters()
        self.page = 0

    @classmethod
    def for_need(cls, need: Need, audience: Audience | None) -> ResultsScreen:
        return cls(need.text, lambda: [], need=need, audience=audience if audience and audience.narrows else None)

    def on_mount(self) -> None:
        super().on_mount()
        self._fit_title()

    async def recompose(self) -> None:
        await super().recompose()
        self._fit_title()

    def _fit_title(self) -> None:
        # "Für Kinder und Jugendliche · Hilfe in Not" is longer than the title bar at 80 columns:
        # a narrowed list's title may take all three rows of the bar rather than be cut.
        for title in self.query("#title"):
            title.set_class(self.audience is not None, "-wrap")

    def title_text(self) -> str:
        if self.audience is not None:
            return f"{self.audience.title_text()} · {self._title()}"
        return self._title()

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: the title, what the list says, the offers on this page, the page."""
        ui = current_language()
        parts = [(self.title_text().replace(" · ", ". "), ui)] + [(t, ui) for t in self.shown_texts("#cards Plain")]
        parts += self.spoken_cards() + [(t.replace(" · ", ". "), ui) for t in self.shown_texts("#pageinfo")]
        return utterance_parts(parts)

    @property
    def per_page(self) -> int:
        (width, height), sizes = self.app.size, self.kiosk.sizes
        chrome = sizes.results_chrome(divider=self.audience is not None)
        return cards_per_page(height, self.kiosk.settings.kiosk.results_per_page, chrome,
                              card_columns(width, sizes), sizes)

    def _load(self) -> Listing:
        if self._listing is None:
            finder = self.kiosk.finder
            if self.need is not None:
                listing = self.safely(partial(finder.listing, self.need, self.audience, self.filters.town),
                                      Listing([], 0))
                self._tagged = listing.tagged if self.audience is not None else None
            else:
                found = self.safely(self._fetch, [])
                if isinstance(found, Listing):
                    listing = found
                else:
                    by_id = {s.id: s for s in found}
                    listing = Listing([s.id for s in found], len(found), lambda ids: [by_id[i] for i in ids])
            self._listing = listing
        return self._listing

    def shown(self) -> list[OfferSummary]:
        """The offers that pass the filters, in order (all of them, e.g. to print the list)."""
        filters = self.filters if self.need is None else Filters(open_now=self.filters.open_now)
        return self.kiosk.finder.apply(self._load().offers, filters, self.kiosk.now())

    def _this_page(self, per_page: int) -> tuple[list[OfferSummary], int]:
        """The offers on the current page and how many pass the filters in all. Without a filter
        that must look at every offer, only the page's cards are loaded (a need's list at 50,000
        offers holds 2,000 ids; their cards with opening hours cost 40 ms, a page's under 1 ms)."""
        listing = self._load()
        filtered = self.filters.open_now or (self.need is None and self.filters.town is not None)
        offers = self.shown() if filtered else None
        count = len(offers) if offers is not None else len(listing.ids)
        pages = max(1, -(-count // per_page))
        self.page = min(self.page, pages - 1)
        start, stop = self.page * per_page, (self.page + 1) * per_page
        return (offers[start:stop] if offers is not None else listing.page(start, stop)), count

    def compose_body(self) -> ComposeResult:
        kiosk = self.kiosk
        per_page = self._shown_per_page = self.per_page
        page, count = self._this_page(per_page)
        pages = max(1, -(-count // per_page))
        listing = self._load()
        filters: list[Widget] = [Toggle(_("Open now"), value=self.filters.open_now, id="f-open")]
        if self.need is None and self.filters.town is None:  # a search's own order: no town first yet
            filters.append(BigButton(_("Choose a town"), id="f-town"))
        else:
            town = self.filters.town or kiosk.settings.place.town
            filters.append(BigButton(_("Town: {town}").format(town=town), id="f-town"))
        if self.audience is not None:
            filters.append(BigButton("✕ " + _("For everyone"), id="widen"))
        with Horizontal(id="filters"):  # right to left mirrored, as every row (kiosk/widgets/rtl.py)
            yield from in_reading_order(filters)
        columns = card_columns(self.app.size.width, kiosk.sizes)
        with Vertical(id="cards"):
            if not listing.ids:
                yield self.nothing_found()
            elif not count:
                yield Plain(self.empty_text(), id="empty", classes="message")
            here = self.safely(kiosk.finder.here_ids, frozenset())
            now = kiosk.now()
            tagged = set(listing.ids[:self._tagged]) if self._tagged is not None else None
            rows = -(-len(page) // columns) if page else 0
            # Larger text: the page's rows shared among its cards (fewer cards than fit grow taller).
            chrome = kiosk.sizes.results_chrome(divider=self.audience is not None)
            card_height = kiosk.sizes.card_height(self.app.size.height, chrome, rows if per_page == len(page) else
                                                  -(-per_page // columns))
            with Horizontal(id="card-columns"):
                # Right to left the first column (in reading order) stands on the right.
                for place, column in enumerate(in_reading_order(range(columns))):
                    with Vertical(classes="card-column" + (" second" if place else "")):
                        for offer in page[column * rows:(column + 1) * rows]:
                            if tagged is not None and offer.id not in tagged:
                                # Offers that name no group of people follow those for the group.
                                yield Plain(_("Offers that do not say whom they are for:"), id="untagged",
                                            classes="divider")
                                tagged = None
                            card = OfferCard(offer.id, card_content(offer, kiosk.finder, now, here=offer.id in here),
                                             classes="card")
                            card.styles.height = card_height
                            yield card
        with Horizontal(id="paging"):  # right to left: "More ◀" on the left, "▶ Previous" on the right
            yield from in_reading_order([
                BigButton(previous_label(), id="prev", disabled=self.page == 0),
                Plain(self.page_line(pages, count), id="pageinfo"),
                BigButton(next_label(_("More")), id="next", disabled=self.page >= pages - 1)])

    def page_line(self, pages: int, count: int) -> str:
        """"Page 1 of 3 · 24 offers"; a capped list (kiosk.finder.FETCH_LIMIT) says so: how many there
        are in all when that is known (a need's nearest), else that there are more (a search's best,
        or the open ones among a need's nearest)."""
        listing, numbers = self._load(), {"page": self.page + 1, "pages": pages, "count": count}
        total = listing.total
        if listing.capped and total is not None and not self.filters.open_now:
            return ngettext("Page {page} of {pages} · the {count} nearest of {total} offer",
                            "Page {page} of {pages} · the {count} nearest of {total} offers",
                            total).format(total=total, **numbers)
        if listing.capped:
            return ngettext("Page {page} of {pages} · {count} offer, there are more",
                            "Page {page} of {pages} · {count} offers, there are more", count).format(**numbers)
        return ngettext("Page {page} of {pages} · {count} offer", "Page {page} of {pages} · {count} offers",
                        count).format(**numbers)

    def nothing_found(self) -> NothingFound:
        """No offers at all (not only none that pass the filters): never a dead end."""
        finder = self.kiosk.finder
        if self._fallback is None:
            self._fallback = self.safely(finder.fallback, [])
        sizes = self.kiosk.sizes
        room = fallback_room(self.app.size.height - sizes.results_chrome(), sizes)
        return NothingFound(_("No offers found."), self._fallback, finder, self.kiosk.now(), room=room)

    def empty_text(self) -> str:
        if self.filters.open_now:
            return _("No offers match. Switch a filter off to see more.")
        return _("No offers found.")

    async def on_toggle_changed(self, event: Toggle.Changed) -> None:
        event.stop()
        if event.toggle.id == "f-open":
            self.filters.open_now = event.value
        self.page = 0
        await self.rerender()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        from .towns import TownScreen

        if event.button.id == "f-town":
            event.stop()
            await self.app.push_screen(TownScreen(self.filters.town, self.choose_town))
        elif event.button.id == "widen":
            event.stop()
            self.audience = None
            self.kiosk.audience = None  # Home widens too: the visitor asked for everything
            self._listing, self.page = None, 0
            await self.rerender()
        elif event.button.id in ("prev", "next"):
            event.stop()
            self.page += 1 if event.button.id == "next" else -1
            self.page = max(0, self.page)
            await self.rerender(focus=event.button.id)

    async def on_offer_card_chosen(self, event: OfferCard.Chosen) -> None:
        from .offer import OfferScreen

        event.stop()
        await self.app.push_screen(OfferScreen(event.offer_id))

    def choose_town(self, town: str | None) -> None:
        """The visitor chose a town (None: this place first): list again from there."""
        if town != self.filters.town:
            self.filters.town = town
            self._listing, self.page = None, 0
            self._refresh_on_resume = True

    async def on_screen_resume(self) -> None:
        if self._refresh_on_resume and self.is_attached:
            self._refresh_on_resume = False
            await self.rerender()

    async def on_resize(self) -> None:
        if self.per_page != getattr(self, "_shown_per_page", None):
            await self.rerender()
