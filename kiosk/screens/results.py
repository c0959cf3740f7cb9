"""Results: big offer cards a page at a time, with big paging buttons and three filter toggles."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from sync.catalogue import OfferSummary

from ..finder import FALLBACK_LIMIT, Filters, Finder
from ..i18n import _, current_language
from ..present import card_content
from ..spoken import utterance_parts
from ..widgets import BigButton, OfferCard, Plain, Toggle
from .base import KioskScreen

CARD_ROWS = 4  # three lines of text and one blank line between cards
CHROME_ROWS = 9  # top bar, filters and paging, three rows each


def cards_per_page(screen_height: int, configured: int, chrome: int = CHROME_ROWS) -> int:
    """As many cards as fit without scrolling, at most the configured number, at least one."""
    return max(1, min(configured, (screen_height - chrome) // CARD_ROWS))


def fallback_room(rows: int) -> int:
    """General counselling cards that fit in `rows` below a sentence of up to two lines (1 to 3)."""
    return max(1, min(FALLBACK_LIMIT, (rows - 2) // CARD_ROWS))


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
            await self.app.go_home()  # type: ignore[attr-defined]


class ResultsScreen(KioskScreen):
    """A list of offers; `fetch` is asked once per visit (the catalogue reads live)."""

    def __init__(self, title: Callable[[], str], fetch: Callable[[], list[OfferSummary]]) -> None:
        super().__init__()
        self._title = title
        self._fetch = fetch
        self._offers: list[OfferSummary] | None = None
        self._fallback: list[OfferSummary] | None = None
        self.filters = Filters()
        self.page = 0

    def title_text(self) -> str:
        return self._title()

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: the title, what the list says, the offers on this page, the page."""
        ui = current_language()
        parts = [(self.title_text(), ui)] + [(t, ui) for t in self.shown_texts("#cards Plain")]
        parts += self.spoken_cards() + [(t.replace(" · ", ". "), ui) for t in self.shown_texts("#pageinfo")]
        return utterance_parts(parts)

    @property
    def per_page(self) -> int:
        return cards_per_page(self.app.size.height, self.kiosk.settings.kiosk.results_per_page)

    def shown(self) -> list[OfferSummary]:
        """The offers that pass the filters, in order."""
        if self._offers is None:
            self._offers = self.safely(self._fetch, [])
        return self.kiosk.finder.apply(self._offers, self.filters, self.kiosk.now())

    def compose_body(self) -> ComposeResult:
        kiosk = self.kiosk
        offers = self.shown()
        per_page = self._shown_per_page = self.per_page
        pages = max(1, -(-len(offers) // per_page))
        self.page = min(self.page, pages - 1)
        with Horizontal(id="filters"):
            yield Toggle(_("Open now"), value=self.filters.open_now, id="f-open")
            yield Toggle(_("In {town}").format(town=kiosk.settings.place.town), value=self.filters.in_town,
                         id="f-town")
            yield Toggle(_("Nearest first"), value=self.filters.nearest, id="f-near")
        with Vertical(id="cards"):
            if not self._offers:
                yield self.nothing_found()
            elif not offers:
                yield Plain(self.empty_text(), id="empty", classes="message")
            here = self.safely(lambda: {s.id for s in kiosk.finder.here()}, set())
            now = kiosk.now()
            for offer in offers[self.page * per_page:(self.page + 1) * per_page]:
                yield OfferCard(offer.id, card_content(offer, kiosk.finder, now, here=offer.id in here),
                                classes="card")
        with Horizontal(id="paging"):
            yield BigButton("◀ " + _("Previous"), id="prev", disabled=self.page == 0)
            yield Plain(_("Page {page} of {pages} · {count} offers").format(
                page=self.page + 1, pages=pages, count=len(offers)), id="pageinfo")
            yield BigButton(_("More") + " ▶", id="next", disabled=self.page >= pages - 1)

    def nothing_found(self) -> NothingFound:
        """No offers at all (not only none that pass the filters): never a dead end."""
        finder = self.kiosk.finder
        if self._fallback is None:
            self._fallback = self.safely(finder.fallback, [])
        room = fallback_room(self.app.size.height - CHROME_ROWS)
        return NothingFound(_("No offers found."), self._fallback, finder, self.kiosk.now(), room=room)

    def empty_text(self) -> str:
        if self.filters.open_now or self.filters.in_town:
            return _("No offers match. Switch a filter off to see more.")
        return _("No offers found.")

    async def on_toggle_changed(self, event: Toggle.Changed) -> None:
        event.stop()
        name = {"f-open": "open_now", "f-town": "in_town", "f-near": "nearest"}[event.toggle.id or ""]
        setattr(self.filters, name, event.value)
        self.page = 0
        await self.rerender()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("prev", "next"):
            event.stop()
            self.page += 1 if event.button.id == "next" else -1
            self.page = max(0, self.page)
            await self.rerender(focus=event.button.id)

    async def on_offer_card_chosen(self, event: OfferCard.Chosen) -> None:
        from .offer import OfferScreen

        event.stop()
        await self.kiosk.push_screen(OfferScreen(event.offer_id))

    async def on_resize(self) -> None:
        if self.per_page != getattr(self, "_shown_per_page", None):
            await self.rerender()
