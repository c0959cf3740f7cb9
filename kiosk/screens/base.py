"""What every kiosk screen shares: a top bar with Back, a title, "My list", Start and the read-aloud
button in the corner, and safe catalogue calls."""
from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button

from sync.errors import SyncError

from ..i18n import _, current_language
from ..speech import Part, utterance_parts
from ..widgets import BigButton, OfferCard, Plain
from ..widgets.rtl import arrows, in_reading_order, rtl_active
from .context import KioskContext, kiosk_of

if TYPE_CHECKING:
    from sync.offers import Offer

T = TypeVar("T")
D = TypeVar("D")
P = ParamSpec("P")
MESSAGE_SECONDS = 8.0


class KioskScreen(Screen[None]):
    """A full screen with Back and Home; subclasses give `title_text()` and `compose_body()`.

    All words come from `_()` inside compose, so `recompose()` after a language switch shows the
    new language. Keep a screen's state in attributes, never only in widgets, so that it survives.

    Read aloud: the top bar's button (top right) switches speech mode on (kiosk.speech.mode) and
    reads `spoken_parts()` (by default the title); screens give what they show, in reading order,
    as (text, language) parts. While speaking it stops; in speech mode it opens the speech menu.
    `announcement()` is what speech mode says when the screen opens.
    """

    BINDINGS = [Binding("escape", "back", show=False)]
    SHOW_BACK = True
    SHOW_READ = True  # the volunteer side has its own voice test instead (and is never in speech mode)
    REMEMBERED = True  # speech mode's "Again" repeats this screen's announcement (not the speech menu's)
    SHOW_LIST = True  # "My list (n)" once the visitor's list has offers (see `shows_list`)
    QUIET_WHEN_COVERED = True  # what is read stops when another screen covers this one (see on_screen_suspend)
    # No focus ring on arrival: on a touch screen it looks like a choice already made. Tab
    # starts keyboard focus; Enter on the PIN pad and in search then reaches the screen.
    AUTO_FOCUS = ""  # "" = nothing; None would mean the app default "*"
    _message_timer: Timer | None = None
    _queued_notice: tuple[str, SeverityLevel] | None = None

    @property
    def kiosk(self) -> KioskContext:
        """The running kiosk: what screens use of the app beyond Textual's (kiosk/screens/context.py)."""
        return kiosk_of(self.app)

    def title_text(self) -> str:
        return ""

    def compose(self) -> ComposeResult:
        self.set_class(rtl_active(), "-rtl")  # sided styles mirrored (kiosk.tcss; kiosk/widgets/rtl.py)
        bar: list[Widget] = []
        if self.SHOW_BACK:  # right to left, Back is on the right and points right
            bar.append(BigButton(arrows()[0] + " " + _("Back"), id="back", classes="nav"))
        bar += [Plain(self.title_text(), id="title"), *self.list_button()]
        bar.append(BigButton("⌂ " + _("Start"), id="home", classes="nav"))
        if self.SHOW_READ:  # top right on every screen, as on Home: found without sight
            bar.append(self.read_button())
        with Horizontal(id="topbar"):
            yield from in_reading_order(bar)
        yield from self.compose_body()

    @property
    def focus_chain(self) -> list[Widget]:
        """The focusable widgets in the order Tab (and speech mode's number pad keys) reach them:
        Textual's order by place, top to bottom and each row from the left; right to left (the
        class -rtl, set in compose) each row from the right, in reading order as it is composed
        mirrored (kiosk/widgets/rtl.py)."""
        chain = super().focus_chain
        if not self.has_class("-rtl"):
            return chain

        def from_the_right(widget: Widget) -> list[tuple[int, int]]:
            # Textual's key for siblings (top, then left edge), with the right edge instead, for
            # the widget and each container above it: sorted, the same tree walk, mirrored.
            key = []
            node: DOMNode | None = widget
            while isinstance(node, Widget) and node is not self:
                region, margin = node.virtual_region, node.styles.margin
                key.append((region.y - margin.top, -(region.right + margin.right)))
                node = node.parent
            return key[::-1]

        return sorted(chain, key=from_the_right)

    def shows_list(self) -> bool:
        """Visitor screens show "My list (n)"; the volunteer side (no read-aloud either) does not."""
        return self.SHOW_LIST and self.SHOW_READ

    @staticmethod
    def list_label(count: int) -> str:
        return _("My list ({count})").format(count=count)

    def list_button(self) -> ComposeResult:
        """"My list (n)" for the top bar, right of the title; hidden while the list is empty."""
        if self.shows_list():
            listed = len(self.kiosk.my_list)
            button = BigButton(self.list_label(listed), id="mylist", classes="nav")
            button.display = bool(listed)
            yield button

    def on_mount(self) -> None:
        self.show_list_button()  # also the top bar's class: narrower buttons beside "My list (n)"
        if self._queued_notice is not None:
            text, severity = self._queued_notice
            self._queued_notice = None
            self.call_after_refresh(self.show_message, text, severity)

    async def recompose(self) -> None:
        await super().recompose()
        self.show_list_button()

    def show_list_button(self) -> None:
        """Show "My list (n)" with the list's size now, or hide it while the list is empty."""
        count = len(self.kiosk.my_list)
        for button in self.query("#mylist").results(BigButton):
            button.label = self.list_label(count)
            button.display = bool(count)
        for bar in self.query("#topbar"):
            bar.set_class(bool(count) and self.shows_list(), "-with-list")

    def read_button(self) -> BigButton:
        """The Read-aloud button of the top bar ("Stop" while reading)."""
        return BigButton(self.read_label(self.kiosk.speaking, self.kiosk.speech_mode.on), id="read",
                         classes="nav read")

    @staticmethod
    def read_label(speaking: bool, speech_mode: bool = False) -> str:
        # A loudspeaker for those who cannot read the word (2 columns wide in every terminal:
        # East Asian width W); a plain square for Stop (1 column, like the ◀ of Back).
        if speaking:
            return "■ " + _("Stop")
        return "🔊 " + (_("Speech") if speech_mode else _("Read aloud"))

    def show_reading(self, speaking: bool) -> None:
        """Show "Stop" exactly while reading aloud (the app calls this when speech ends)."""
        for button in self.query("#read").results(BigButton):
            button.label = self.read_label(speaking, self.kiosk.speech_mode.on)
            button.set_class(speaking, "-speaking")

    def spoken_parts(self) -> list[Part]:
        """What this screen shows, to be read aloud: (text, language) parts in reading order, the
        kiosk's own words in the UI language, catalogue text in `spoken.CATALOGUE_LANGUAGE`."""
        return utterance_parts([(self.title_text(), current_language())])

    def slip_offer(self) -> Offer | None:
        """The offer a printed slip of this screen would hold ("Zettel vorlesen"); None here."""
        return None

    def shown_texts(self, selector: str) -> list[str]:
        """The text of the displayed Plain widgets matching `selector`, top to bottom."""
        return [w.text for w in self.query(selector).results(Plain) if w.display and w.region.area]

    def spoken_cards(self) -> list[Part]:
        """The offer cards on screen now, in reading order (a column top to bottom, then the next
        column: right to left the right one first): name and town in German, open or not."""
        from ..present import card_spoken  # the offers' module: not needed for Home (issue 13)

        kiosk, now = self.kiosk, self.kiosk.now()
        parts: list[Part] = []
        cards = [c for c in self.query(OfferCard).results(OfferCard) if c.display and c.region.area]
        rtl = rtl_active()
        for card in sorted(cards, key=lambda c: (-c.region.x if rtl else c.region.x, c.region.y)):
            offer = self.safely(partial(kiosk.catalogue.offer, card.offer_id), None)
            if offer is not None:
                parts += card_spoken(offer, kiosk.finder, now)
        return parts

    def compose_body(self) -> ComposeResult:
        yield from ()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        # Textual calls this after a subclass's own handler (handlers run along the MRO), so
        # subclasses handle their buttons and never call super() for Back and Home.
        if event.button.id == "back":
            event.stop()
            await self.action_back()
        elif event.button.id == "home":
            event.stop()
            await self.kiosk.go_home()
        elif event.button.id == "read":
            event.stop()
            self.read_aloud()
        elif event.button.id == "mylist":
            event.stop()
            await self.kiosk.show_my_list()

    def read_aloud(self) -> None:
        """The corner button: stop if speaking; else switch speech mode on (reading this screen),
        or in speech mode open the speech menu."""
        from .speechmenu import SpeechMenuScreen

        kiosk = self.kiosk
        if kiosk.speaking:
            kiosk.stop_speaking()
        elif not kiosk.speech_mode.on:
            kiosk.speech_mode.switch_on(self)
        else:
            self.app.push_screen(SpeechMenuScreen(self))

    # -- speech mode hooks (kiosk.speech.mode) ------------------------------------------------

    def announcement(self) -> list[Part]:
        """Said when this screen opens in speech mode: the title, what it counts, what to do."""
        ui = current_language()
        counts = [(t.replace(" · ", ". "), ui) for t in self.shown_texts("#pageinfo, .message, #empty, .nothing-text")]
        return utterance_parts([(self.title_text().replace(" · ", ". "), ui), *counts,
                                (_("Tap a button once to hear it, twice to choose it."), ui)])

    def _forward_event(self, event: events.Event) -> None:
        # Every tap passes here before any widget sees it (the driver's and the Pilot's alike):
        # in speech mode a first tap on a control is spoken, not delivered.
        if not event.is_forwarded and self.kiosk.speech_mode.tapped(self, event):
            event._set_forwarded()
            return
        super()._forward_event(event)

    def on_key(self, event: events.Key) -> None:
        if self.kiosk.speech_mode.key(self, event):
            event.stop()
            event.prevent_default()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.kiosk.speech_mode.focused(self, event.widget)

    async def on_screen_resume(self) -> None:
        # Async like the subclasses' own handlers (Textual runs each class's handler in turn).
        if self.kiosk.speech_mode.on:
            self.call_after_refresh(self.kiosk.speech_mode.announce, self)

    def on_screen_suspend(self) -> None:
        # Another screen covers this one: what is being read no longer matches what is shown.
        # Only the idle countdown keeps it going (a touch there returns to this screen).
        from .idle import IdleWarning

        # In speech mode the tap or key already stopped it, and the new screen's announcement
        # (started on its resume, maybe before this runs) must not be cut off.
        if self.QUIET_WHEN_COVERED and not isinstance(self.app.screen, IdleWarning) \
                and not self.kiosk.speech_mode.on:
            self.kiosk.stop_speaking()

    async def action_back(self) -> None:
        await self.kiosk.go_back()

    async def rerender(self, focus: str | None = None) -> None:
        """Compose again from the screen's state, keeping keyboard focus on the same control."""
        keep = focus or (self.focused.id if self.focused is not None else None)
        await self.recompose()
        if keep:
            for widget in self.query(f"#{keep}"):
                if widget.focusable:
                    widget.focus()
                    break

    def show_message(self, text: str, severity: SeverityLevel = "information") -> None:
        """Show a short message in place of the title for a few seconds.

        The title bar is the one place that covers no button: a toast in a corner would lie over
        the big buttons, and a tap meant for a button would only close the toast.
        """
        titles = list(self.query("#title").results(Plain)) if self.is_mounted else []
        if not titles:  # still composing (e.g. a catalogue error while building the screen)
            self._queued_notice = (text, severity)
            return
        title = titles[0]
        title.show(text)
        title.set_class(True, "-message")
        title.set_class(severity == "error", "-error")
        if self._message_timer is not None:
            self._message_timer.stop()
        self._message_timer = self.set_timer(MESSAGE_SECONDS, self._restore_title)

    def _restore_title(self) -> None:
        self._message_timer = None
        for title in self.query("#title").results(Plain):
            title.show(self.title_text())
            title.remove_class("-message", "-error")

    def await_on_ui(self, callback: Callable[P, Awaitable[None]], *args: P.args, **kwargs: P.kwargs) -> None:
        """From a thread worker: run the coroutine `callback(*args)` on the UI thread, and wait for it."""
        # App.call_from_thread takes `Callable[..., R | Awaitable[R]]`, which mypy cannot solve for a
        # coroutine function (it asks for Awaitable[Never]); the call is the one Textual documents.
        self.app.call_from_thread(callback, *args, **kwargs)  # type: ignore[arg-type]

    def safely(self, call: Callable[[], T], default: D) -> T | D:
        """Run a catalogue query; on a database error say so in words and return `default`.

        The catalogue file may be replaced or broken underneath us; a visitor sees a message,
        never a traceback.
        """
        try:
            return call()
        except (sqlite3.Error, SyncError, OSError) as exc:
            self.kiosk.catalogue_error(exc)
            return default
