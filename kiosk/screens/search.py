"""Search by word: an on-screen QWERTZ keyboard, results that update as one types."""
from __future__ import annotations

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button
from textual.worker import get_current_worker

from sync.catalogue import OfferSummary

from ..i18n import _, ngettext
from ..present import card_content
from ..widgets import BigButton, OfferCard, OnScreenKeyboard, Plain
from ..widgets.keyboard import KeyPressed
from .base import KioskScreen

PREVIEW_LIMIT = 100  # results fetched per keystroke; "Show all" fetches the full list
MAX_QUERY = 60


def keyboard_rows(screen_height: int) -> int:
    """Rows of the on-screen keyboard: 40 % of the screen, 12 to 20 (as in kiosk.tcss)."""
    return max(12, min(20, int(screen_height * 0.4)))


class SearchScreen(KioskScreen):
    """The query lives in the app (`app.search_text`), so it is forgotten on idle reset."""

    def __init__(self) -> None:
        super().__init__()
        self._results: list[OfferSummary] | None = None
        self._generation = 0

    def title_text(self) -> str:
        return _("Search")

    @property
    def text(self) -> str:
        return self.kiosk.search_text

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="search-row"):
            yield Plain(self.query_display(), id="query")
            yield BigButton(self.show_all_label(), id="show-all", disabled=not self._results)
        with Vertical(id="preview"):
            yield from self.preview_cards()
        yield OnScreenKeyboard(id="keyboard")

    def query_display(self) -> str:
        return (self.text + "▏") if self.text else _("Type a word, e.g. Pflege")

    def show_all_label(self) -> str:
        if not self.text.strip():
            return _("Results")
        if self._results is None:
            return _("Searching…")
        n = len(self._results)
        if n == 0:
            return _("No results")
        if n >= PREVIEW_LIMIT:
            return _("Show more than {n}").format(n=PREVIEW_LIMIT - 1)
        return ngettext("Show {n} result", "Show {n} results", n).format(n=n)

    def preview_cards(self) -> list:
        if not self.text.strip() or self._results is None:
            return []
        if not self._results:
            return [Plain(_("Nothing found. Try a shorter word."), classes="message")]
        height = self.app.size.height
        fits = max(0, (height - 6 - keyboard_rows(height)) // 4)  # below top bar and query row
        now = self.kiosk.now()
        return [OfferCard(s.id, card_content(s, self.kiosk.finder, now), classes="card")
                for s in self._results[:fits]]

    def on_mount(self) -> None:
        if self.text.strip():
            self.start_search()

    # -- typing ----------------------------------------------------------------------------

    def on_key_pressed(self, event: KeyPressed) -> None:
        event.stop()
        self.edit(event.value)

    def on_key(self, event: events.Key) -> None:
        # A volunteer with a real keyboard types straight into the search.
        if event.key == "backspace":
            self.edit(KeyPressed.DELETE)
        elif event.key == "enter" and self._results:
            self.open_all()
        elif event.character and len(event.character) == 1 and event.character.isprintable() \
                and event.key not in ("enter", "tab", "escape"):
            self.edit(event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def edit(self, value: str) -> None:
        text = self.kiosk.search_text
        if value == KeyPressed.DELETE:
            text = text[:-1]
        elif value == KeyPressed.CLEAR:
            text = ""
        elif value == KeyPressed.ENTER:
            return
        elif len(text) < MAX_QUERY:
            text += value.lower() if text else value.upper()
        if text == self.kiosk.search_text and value not in (KeyPressed.DELETE, KeyPressed.CLEAR):
            return
        self.kiosk.search_text = text
        self.query_one("#query", Plain).show(self.query_display())
        self.start_search()

    # -- searching -------------------------------------------------------------------------

    def start_search(self) -> None:
        self._generation += 1
        self._results = None
        text = self.text
        if not text.strip():
            self.call_later(self.show_results, self._generation, [])
            return
        self.query_one("#show-all", BigButton).label = self.show_all_label()
        self.search_worker(text, self._generation)

    @work(exclusive=True, thread=True, group="search")
    def search_worker(self, text: str, generation: int) -> None:
        """Runs off the UI thread; a newer keystroke cancels it and its result is dropped."""
        try:
            results = self.kiosk.finder.search(text, limit=PREVIEW_LIMIT)
        except Exception as exc:  # a DB error must not kill the kiosk; shown on the UI thread
            self.app.call_from_thread(self.search_failed, generation, exc)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_results, generation, results)

    def search_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.kiosk.catalogue_error(exc)
            self._results = []

    async def show_results(self, generation: int, results: list[OfferSummary]) -> None:
        if generation != self._generation:
            return  # a stale answer to an older query
        self._results = results if self.text.strip() else None
        button = self.query_one("#show-all", BigButton)
        button.label = self.show_all_label()
        button.disabled = not self._results
        preview = self.query_one("#preview", Vertical)
        async with preview.batch():
            await preview.remove_children()
            await preview.mount_all(self.preview_cards())

    # -- leaving ---------------------------------------------------------------------------

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "show-all":
            event.stop()
            self.open_all()

    def open_all(self) -> None:
        from .results import ResultsScreen

        text = self.text
        finder = self.kiosk.finder
        self.kiosk.push_screen(ResultsScreen(lambda: _("Search: {text}").format(text=text),
                                             lambda: finder.place_first(finder.search(text))))

    async def on_offer_card_chosen(self, event: OfferCard.Chosen) -> None:
        from .offer import OfferScreen

        event.stop()
        await self.kiosk.push_screen(OfferScreen(event.offer_id))
