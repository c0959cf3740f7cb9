"""The start screen: place, greeting, the need buttons, "help for whom?", search, this place's offers."""
from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from .. import homecache
from ..finder import Need
from ..i18n import _, current_language, ngettext
from ..speech import CATALOGUE_LANGUAGE, Part, utterance_parts
from ..widgets import BigButton, Plain, Toggle
from ..widgets.buttons import plain
from ..widgets.rtl import in_reading_order, rtl_active
from .base import KioskScreen
from .topics import home_room, need_tiles, open_need, split_for_home, spoken_needs, tile_columns

if TYPE_CHECKING:
    from sync.catalogue import CatalogueStatus
    from sync.offers import OfferSummary

    from ..programme import Upcoming  # opening hours: imported when a place has a programme

SECRET_TAPS = 5  # taps on the place name within SECRET_WINDOW seconds open the volunteer PIN
SECRET_WINDOW = 4.0
WARM_AFTER = 0.5  # seconds after Home is mounted


class HomeScreen(KioskScreen):
    """Home: the needs first, because most visitors come with a need, not with a search word.

    As many need tiles as the screen holds; when there are more, the last tile opens "More topics"
    with the others, so every need is at most two taps away.
    """

    SHOW_BACK = False
    DEFAULT_CSS = """
    HomeScreen #speech-hint {
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $primary;
        color: #ffffff;
        text-align: right;  /* its "▼" over the read-aloud button */
    }
    HomeScreen.-rtl #speech-hint {
        text-align: end;  /* right to left the button is on the left (kiosk/widgets/rtl.py) */
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._needs: list[Need] = []
        self._more: list[Need] = []
        self._layout: tuple[int, int, int] = (0, 0, 0)
        self._taps: list[float] = []
        self._composed_here = False
        self._kept: homecache.Kept | None = None  # see compose
        self._actions: list[tuple[str, bool]] = []  # (label, shares the spare room) of the action row

    def title_text(self) -> str:
        return self.kiosk.settings.place.name

    def on_mount(self) -> None:
        # (Textual calls KioskScreen.on_mount too.) Home may come from the file of buttons
        # (kiosk.homecache): which offers each button holds is worked out once Home is drawn, before
        # the first tap needs it, in a thread (0.3 to 1 s at 50,000 offers; the app warms it again
        # after a sync, see KioskApp.warm_finder).
        self.set_timer(WARM_AFTER, self.kiosk.warm_finder)

    def compose(self) -> ComposeResult:
        self._composed_here = True  # shown as composed: no need to compose again on resume
        self.set_class(rtl_active(), "-rtl")  # as KioskScreen.compose: sided styles mirrored (kiosk.tcss)
        kiosk = self.kiosk
        finder = kiosk.finder
        # At start, Home's counts come from what an earlier start kept for this very file
        # (kiosk.homecache): the catalogue is then opened and checked after Home is drawn.
        self._kept = self.safely(finder.kept_home, None)
        self._needs = self.safely(lambda: finder.needs(kiosk.audience), [])
        width = self.app.size.width
        sizes = kiosk.sizes
        self._programme = self.safely(self.programme_now, ([], []))
        actions = self.action_buttons()
        self._actions = [(plain(b.label).plain, not isinstance(b, Toggle)) for b in actions]
        self._layout = self.layout_numbers()
        shown, self._more = split_for_home(self._needs, self._layout[1])
        # The first line says how to get speech, before anything else (a blind visitor's helper,
        # or a visitor with low vision, reads this first): the button below it, or a number pad key.
        hint = Plain(self.speech_hint(), id="speech-hint")
        hint.display = kiosk.speech.available  # no engine here: no promise of speech
        yield hint
        bar = [BigButton(self.language_label(), id="language", classes="nav"),
               Plain(self.title_text(), id="title", classes="place-name"), *self.list_button(), self.read_button()]
        with Horizontal(id="topbar"):
            yield from in_reading_order(bar)  # right to left: mirrored (kiosk/widgets/rtl.py)
        yield Plain(self.greeting(), id="greeting")
        yield Plain(self.prompt(), id="prompt")
        more = (BigButton("» " + _("More topics"), id="more-topics", classes="need more"),) if self._more else ()
        yield need_tiles(shown, width, extra=more, sizes=sizes)
        # Each label whole: on one line where the row has the room, else wrapped onto two or more
        # lines in a taller row (a long "help for whom" choice, "Săptămâna aceasta aici (1)").
        widths, rows = self.action_row()
        for button, columns in zip(actions, widths):
            button.styles.width = columns
            button.styles.height = rows
            if rows > sizes.button_rows or sizes.large:
                button.styles.text_wrap = "wrap"
        row = Horizontal(*in_reading_order(actions), id="home-actions")  # right to left: "Larger" on the left
        row.styles.height = rows
        yield row
        yield Plain(self.note(), id="note")

    def action_buttons(self) -> list[BigButton]:
        """For whom, Search, this place's offers, and the visitor's Contrast and Larger switches."""
        kiosk = self.kiosk
        actions: list[BigButton] = []
        if self.safely(kiosk.finder.audiences, []):
            label = _("Help for whom?") if kiosk.audience is None else kiosk.audience.text()
            actions.append(BigButton(label, id="whom", classes="action"))
        actions.append(BigButton(_("Search"), id="search", classes="action"))
        today, week = self._programme
        if today:  # the place's own programme: what happens here today, else this week
            actions.append(BigButton(_("Today here ({n})").format(n=len(today)), id="here", classes="action"))
        elif week:
            actions.append(BigButton(_("This week here ({n})").format(n=len(week)), id="here", classes="action"))
        elif here := self.safely(self._here_count, 0):
            actions.append(BigButton(_("Here at this place ({n})").format(n=here), id="here", classes="action"))
        # White on black for a visitor who sees little; back to `[kiosk] high_contrast` at the reset.
        actions.append(Toggle(_("Contrast"), value=kiosk.high_contrast, id="contrast"))
        # Fewer, bigger buttons and cards (kiosk/sizes.py); back to `[kiosk] large_text` at the reset.
        actions.append(Toggle(_("Larger"), value=kiosk.large_text, id="large"))
        return actions

    def action_row(self) -> tuple[list[int], int]:
        """(widths, rows) of the action row: the switches as wide as their words, the others
        sharing the rest, every label whole on as few lines as the screen's width allows."""
        labels, stretch = [a[0] for a in self._actions], [a[1] for a in self._actions]
        return self.kiosk.sizes.fit_row(labels, stretch, self.app.size.width - 1 - len(labels))

    def _here_count(self) -> int:
        kept = self._kept
        if kept is not None and kept.here is not None and not getattr(self.kiosk.catalogue, "programme_offers", list)():
            return kept.here  # no programme of the place's own: "here" is the catalogue's alone
        return len(self.kiosk.finder.here())

    def programme_now(self) -> tuple[list[Upcoming], list[Upcoming]]:
        """The place's own programme: (today, later this week), each by start time."""
        # Only kiosk.combined.WithProgramme, the catalogue with the place's programme, has any.
        offers: list[OfferSummary] = getattr(self.kiosk.catalogue, "programme_offers", list)()
        if not offers:
            return [], []
        from ..programme import upcoming  # opening hours (dateutil): only for a place with a programme

        return upcoming(offers, self.kiosk.now())

    def here_first(self) -> list[OfferSummary]:
        """This place's offers: today's programme, this week's, then the rest held here."""
        today, week = self.safely(self.programme_now, ([], []))
        first = [u.offer for u in today + week]
        ids = {s.id for s in first}
        return first + [s for s in self.kiosk.finder.here() if s.id not in ids]

    def language_label(self) -> str:
        # The word "Language" stays in English too, so a visitor who cannot read the current
        # language still finds the button.
        word = _("Language")
        return word if current_language() == "en" else f"{word} / Language"

    def show_reading(self, speaking: bool) -> None:
        super().show_reading(speaking)
        for hint in self.query("#speech-hint").results(Plain):
            hint.show(self.speech_hint())

    def speech_hint(self) -> str:
        if self.kiosk.speech_mode.on:
            return _("Speech mode is on: tap once to hear, twice to choose ▼")
        return _("Speech: tap the button below on the right, or press Enter or 5 on the number pad ▼")

    def greeting(self) -> str:
        settings = self.kiosk.settings
        if current_language() == settings.kiosk.default_language:
            return settings.place.greeting
        return _("Welcome! Here you find help and offers near you.")

    def prompt(self) -> str:
        audience = self.kiosk.audience
        if audience is None or not audience.narrows:
            return _("What do you need help with? Tap a button.")
        return _("{whom}: what do you need help with?").format(whom=audience.text())

    def note(self) -> str:
        """A discreet line when the catalogue is empty or has not been refreshed for too long."""
        kept = self._kept
        status = (kept.offers, kept.last_success) if kept is not None else self.safely(self._status, None)
        if status is None:
            return ""
        offers, last_success = status
        if offers == 0:
            return _("The catalogue holds no offers yet.")
        age = catalogue_age_days(last_success, self.kiosk.now())
        if age is not None and age > self.kiosk.settings.catalogue.stale_after_days:
            return ngettext("Note: the offers were last updated {days} day ago.",
                            "Note: the offers were last updated {days} days ago.", age).format(days=age)
        return ""

    def shows_other_than(self, status: CatalogueStatus) -> bool:
        """Whether Home was drawn from kept counts (kiosk.homecache) that the catalogue as opened
        now does not confirm: it reads the last good copy or the demo, or other counts."""
        kept = self._kept
        return kept is not None and (status.fallback is not None
                                     or (kept.offers, kept.last_success) != (status.offers, status.last_success))

    def _status(self) -> tuple[int, str | None]:
        status = self.kiosk.catalogue.status()
        return status.offers, status.last_success

    def layout_numbers(self) -> tuple[int, int, int]:
        """(tile columns, tiles, width: the action row's widths) for the screen's size and the text size now."""
        (width, height), sizes = self.app.size, self.kiosk.sizes
        extra = self.action_row()[1] - sizes.button_rows  # a taller action row: wrapped labels
        return tile_columns(width, sizes), home_room(width, height, self._needs, sizes, extra), width

    async def on_resize(self) -> None:
        if self.is_attached and self.layout_numbers() != self._layout:
            await self.recompose()

    def on_toggle_changed(self, event: Toggle.Changed) -> None:
        if event.toggle.id == "contrast":
            event.stop()
            self.kiosk.set_high_contrast(event.value)
        elif event.toggle.id == "large":
            event.stop()
            self.kiosk.set_large_text(event.value)

    async def on_screen_resume(self) -> None:
        # Back on Home: show the catalogue as it is now (a sync may have landed) and the current
        # "help for whom?" choice. Not when Home was composed and never left since (at start).
        if self.is_attached and not self._composed_here:
            await self.recompose()

    def on_screen_suspend(self) -> None:
        self._composed_here = False

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        from .language import LanguageScreen
        from .results import ResultsScreen
        from .search import SearchScreen
        from .topics import TopicsScreen
        from .whom import WhomScreen

        button_id = event.button.id or ""
        event.stop()
        if button_id.startswith("need-"):
            await open_need(self, self._needs[int(button_id.removeprefix("need-"))])
        elif button_id == "more-topics":
            await self.app.push_screen(TopicsScreen(self._more, len(self._needs) - len(self._more)))
        elif button_id == "here":
            await self.app.push_screen(ResultsScreen(lambda: _("Offers here at this place"), self.here_first))
        elif button_id == "search":
            await self.app.push_screen(SearchScreen())
        elif button_id == "language":
            await self.app.push_screen(LanguageScreen())
        elif button_id == "whom":
            await self.app.push_screen(WhomScreen())
        # "read": KioskScreen's handler runs next

    def spoken_parts(self) -> list[Part]:
        """The place, the greeting, the question and every need button, then the other choices."""
        kiosk, ui = self.kiosk, current_language()
        default = kiosk.settings.kiosk.default_language
        greeting_language = default if ui == default else ui  # the configured greeting is in the default language
        parts: list = [(kiosk.settings.place.name, CATALOGUE_LANGUAGE), (self.greeting(), greeting_language),
                       (self.prompt(), ui)]
        parts += spoken_needs(self._needs[:len(self._needs) - len(self._more)])
        # A label's str() is its plain text.
        parts += [(str(b.label).removeprefix("» "), ui) for b in self.query("#more-topics").results(Button)]
        # (The row is composed mirrored right to left: in_reading_order turns it back.)
        parts += [(str(b.label), ui) for b in in_reading_order(self.query("#home-actions Button").results(Button))]
        return utterance_parts(parts)

    def on_click(self, event) -> None:
        # The hidden way to the volunteer menu: several quick taps on the place name.
        if getattr(event.widget, "id", None) != "title":
            return
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < SECRET_WINDOW] + [now]
        if len(self._taps) >= SECRET_TAPS:
            self._taps.clear()
            self.kiosk.action_volunteer()


def catalogue_age_days(last_success: str | None, now: datetime) -> int | None:
    """Whole days since the last good sync (an ISO timestamp), or None if unknown."""
    if not last_success:
        return None
    try:
        then = datetime.fromisoformat(last_success)
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return max(0, (now - then).days)
