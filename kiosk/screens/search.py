"""Search by word: an on-screen keyboard, word completions and results that update as one types."""
from __future__ import annotations

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button
from textual.worker import get_current_worker

from sync.text import fold

from ..finder import SearchAnswer
from ..i18n import _, current_language, ngettext
from ..present import card_content
from ..sizes import NORMAL, Sizes
from ..speech import utterance_parts
from ..widgets import BigButton, OfferCard, OnScreenKeyboard, Plain
from ..widgets.completions import Completion, Completions, index_for
from ..widgets.keyboard import KeyPressed
from ..widgets.rtl import in_reading_order
from .base import KioskScreen
from .results import NothingFound, fallback_room

PREVIEW_LIMIT = 100  # results fetched per keystroke; "Show all" fetches the full list
MAX_QUERY = 60


def keyboard_rows(screen_height: int, sizes: Sizes = NORMAL) -> int:
    """Rows of the on-screen keyboard: 40 % of the screen, 12 to 20 (larger text: 50 %, 12 to 26;
    as in kiosk.tcss)."""
    return sizes.keyboard_rows(screen_height)


class SearchScreen(KioskScreen):
    """The query lives in the app (`app.search_text`), so it is forgotten on idle reset.

    Each new search screen starts with `text` (empty by default): the words of an earlier search
    are never carried into the next one. Coming back from an offer returns to this same screen,
    with its words and results.
    """

    DEFAULT_CSS = """
    #did-you-mean { height: 3; }
    #did-you-mean .suggest-label { width: auto; height: 3; padding: 0 1; content-align: left middle; }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._answer: SearchAnswer | None = None
        self._generation = 0
        self._start_text: str | None = text[:MAX_QUERY]

    @property
    def _results(self) -> list | None:
        """The offers of the current answer; None while searching or without a text."""
        return None if self._answer is None else self._answer.offers

    def title_text(self) -> str:
        return _("Search")

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: the title, the words typed (the visitor's own), hints, the first results."""
        ui = current_language()
        parts = [(t.replace("▏", ""), ui) for t in [self.title_text(), *self.shown_texts("#query, #preview Plain")]]
        # A label's str() is its plain text.
        parts += [(str(b.label) + "?", ui) for b in self.query("#did-you-mean Button").results(Button)]
        parts += self.spoken_cards()
        button = self.query("#show-all").results(Button)
        parts += [(str(b.label), ui) for b in button if not b.disabled and self.text.strip()]
        return utterance_parts(parts)

    @property
    def text(self) -> str:
        return self.kiosk.search_text

    def compose_body(self) -> ComposeResult:
        if self._start_text is not None:  # the first composition only (not a language switch)
            self.kiosk.search_text, self._start_text = self._start_text, None
        with Horizontal(id="search-row"):  # the words typed first: right to left on the right
            yield from in_reading_order([Plain(self.query_display(), id="query"),
                                         BigButton(self.show_all_label(), id="show-all", disabled=not self._results)])
        yield Completions(id="completions")
        with Vertical(id="preview"):
            yield from self.preview_cards()
        yield OnScreenKeyboard(style=self.kiosk.keyboard_style, id="keyboard")

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

    def hint_text(self, *, with_did_you_mean: bool = False) -> str:
        """The words left out and a town without such offers, as one plain line ("" when the text
        was read as typed). "Did you mean" is a row of buttons of its own (`suggestions`), and
        part of this line only where no button can be (with nothing found)."""
        answer = self._answer
        if answer is None:
            return ""
        parts = []
        if answer.did_you_mean and with_did_you_mean:
            parts.append(_("Did you mean: {words}?").format(words=", ".join(answer.did_you_mean)))
        if answer.nearest_to:
            parts.append(_("Nothing in {town}; the nearest offers:").format(town=answer.nearest_to))
        if answer.left_out:
            parts.append(_("Not found, left out: {words}").format(words=", ".join(answer.left_out)))
        return " · ".join(parts)

    def suggestions(self) -> Horizontal | None:
        """"Did you mean:" with one big button per word searched instead; a tap searches it."""
        answer = self._answer
        if answer is None or not answer.did_you_mean:
            return None
        buttons = [BigButton(word, id=f"suggest-{i}", classes="suggest") for i, word in enumerate(answer.did_you_mean)]
        for button in buttons:  # as wide as the word (the app's style makes big buttons share a row)
            button.styles.width = "auto"
            button.styles.margin = (0, 1, 0, 0)
        return Horizontal(Plain(_("Did you mean:"), classes="suggest-label"), *buttons, id="did-you-mean")

    def corrected_text(self, suggestion: str) -> str:
        """The typed text with the word most like `suggestion` replaced by it."""
        words = self.text.split()
        if len(words) <= 1:
            return suggestion
        # Imported here, not with the screen: rapidfuzz's library is ~4 MB of resident memory, needed
        # only for a correction (the search's own typo tolerance imports it at the first typo too).
        from rapidfuzz import fuzz, process

        best = process.extractOne(fold(suggestion), [fold(w) for w in words], scorer=fuzz.ratio)
        words[best[2]] = suggestion
        return " ".join(words)[:MAX_QUERY]

    def preview_cards(self) -> list:
        answer = self._answer
        if not self.text.strip() or answer is None:
            return []
        height, sizes = self.app.size.height, self.kiosk.sizes
        rows = height - 6 - keyboard_rows(height, sizes)  # below top bar and query row
        completions = self.query("#completions").results(Completions)
        rows -= 3 * any(c.shown for c in completions)
        finder, now = self.kiosk.finder, self.kiosk.now()
        if not answer.offers:
            message = _("Nothing found for “{text}”.").format(text=self.text.strip())
            if answer.did_you_mean:
                message += " " + self.hint_text(with_did_you_mean=True)
            return [NothingFound(message, answer.fallback, finder, now, room=fallback_room(rows, sizes))]
        hint = self.hint_text()
        out: list = [Plain(hint, id="search-hint")] if hint else []
        used = len(out)
        row = self.suggestions()
        if row is not None:
            out.append(row)
            used += 3
        fits = max(0, (rows - used + 1) // sizes.card_rows)  # a card and a blank row below
        here = self.safely(lambda: {s.id for s in finder.here()}, set())  # the place's own programme too
        return out + [OfferCard(s.id, card_content(s, finder, now, here=s.id in here), classes="card")
                      for s in answer.offers[:fits]]

    def on_mount(self) -> None:
        if self.text.strip():
            self.start_search()

    # -- typing ----------------------------------------------------------------------------

    def on_key_pressed(self, event: KeyPressed) -> None:
        event.stop()
        self.edit(event.value)

    def on_on_screen_keyboard_style_changed(self, event: OnScreenKeyboard.StyleChanged) -> None:
        event.stop()
        self.kiosk.keyboard_style = event.style  # until the idle reset

    def on_completions_chosen(self, event: Completions.Chosen) -> None:
        """A completion replaces the word being typed; the next completions go on from it."""
        event.stop()
        words = self.kiosk.search_text.split(" ")
        words[-1] = event.word
        text = " ".join(words)[:MAX_QUERY]
        self.kiosk.search_text = text[:1].upper() + text[1:]
        self.query_one("#query", Plain).show(self.query_display())
        self.start_search()

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
            first = value.upper() if len(value.upper()) == len(value) else value  # "ß" must not become "SS"
            text += value.lower() if text else first
        if text == self.kiosk.search_text and value not in (KeyPressed.DELETE, KeyPressed.CLEAR):
            return
        self.kiosk.search_text = text
        self.query_one("#query", Plain).show(self.query_display())
        self.start_search()

    # -- searching -------------------------------------------------------------------------

    def start_search(self) -> None:
        self._generation += 1
        self._answer = None
        text = self.text
        if not text.strip():
            self.call_later(self.show_completions, self._generation, [])
            self.call_later(self.show_results, self._generation, None)
            return
        self.query_one("#show-all", BigButton).label = self.show_all_label()
        self.search_worker(text, self._generation)

    @work(exclusive=True, thread=True, group="search")
    def search_worker(self, text: str, generation: int) -> None:
        """Runs off the UI thread; a newer keystroke cancels it and its result is dropped.

        When nothing is found, the general counselling offers are looked up here too, off the UI thread.
        """
        try:
            completions = index_for(self.kiosk.catalogue.name_words()).complete(
                text.split(" ")[-1], self.app.size.width - 2)  # the row's padding
        except Exception:  # noqa: BLE001 - no completions then; the search below says what is wrong
            completions = []
        if get_current_worker().is_cancelled:
            return
        self.await_on_ui(self.show_completions, generation, completions)
        try:
            answer = self.kiosk.finder.find(text, limit=PREVIEW_LIMIT)
        except Exception as exc:  # noqa: BLE001 - a DB error must not kill the kiosk; shown on the UI thread
            self.await_on_ui(self.search_failed, generation, exc)
            return
        if not get_current_worker().is_cancelled:
            self.await_on_ui(self.show_results, generation, answer)

    async def show_completions(self, generation: int, completions: list[Completion]) -> None:
        if generation == self._generation:
            await self.query_one("#completions", Completions).show(completions)

    async def search_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.kiosk.catalogue_error(exc)
            await self.show_results(generation, SearchAnswer([]))

    async def show_results(self, generation: int, answer: SearchAnswer | None) -> None:
        if generation != self._generation:
            return  # a stale answer to an older query
        self._answer = answer if self.text.strip() else None
        button = self.query_one("#show-all", BigButton)
        button.label = self.show_all_label()
        button.disabled = not self._results
        preview = self.query_one("#preview", Vertical)
        async with preview.batch():
            await preview.remove_children()
            await preview.mount_all(self.preview_cards())

    # -- leaving ---------------------------------------------------------------------------

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id == "show-all":
            event.stop()
            self.open_all()
        elif button_id.startswith("suggest-"):
            event.stop()
            answer = self._answer
            index = int(button_id.removeprefix("suggest-"))
            if answer is not None and index < len(answer.did_you_mean):
                self.kiosk.search_text = self.corrected_text(answer.did_you_mean[index])
                self.query_one("#query", Plain).show(self.query_display())
                self.start_search()

    # -- counting (kiosk.statistics): a text the visitor acted on, or left with nothing found ----

    def note_search(self) -> None:
        """The text now in the box was acted on (results opened, an offer tapped): count it."""
        if self.text.strip() and self._answer is not None:
            self.kiosk.searched(self.text, bool(self._answer.offers))

    def note_visit_end(self) -> None:
        """Leaving (Back, Home, idle reset) with nothing found: that search counts, words and all."""
        answer = self._answer
        if self.text.strip() and answer is not None and not answer.offers:
            self.kiosk.searched(self.text, False)

    def on_unmount(self) -> None:
        # Back or Home from here (an idle reset has already asked `note_visit_end` and cleared the text).
        try:
            self.note_visit_end()
        except Exception:  # noqa: BLE001, S110 - the app is closing: nothing left to count into
            pass

    def open_all(self) -> None:
        from .results import ResultsScreen

        self.note_search()
        text = self.text
        finder = self.kiosk.finder
        self.app.push_screen(ResultsScreen(lambda: _("Search: {text}").format(text=text),
                                             lambda: finder.search_listing(text)))

    async def on_offer_card_chosen(self, event: OfferCard.Chosen) -> None:
        from .offer import OfferScreen

        event.stop()
        self.note_search()
        await self.app.push_screen(OfferScreen(event.offer_id))
