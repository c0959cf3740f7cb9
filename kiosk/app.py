"""The kiosk app and the one factory that builds it for the command line, tests and benchmarks."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from . import gcpause, i18n, malloc_tuning, textual_fixes
from .config import Settings
from .finder import Audience, Finder
from .mylist import MyList
from .palette import CONTRAST, DAYLIGHT, THEMES, BoldColoursGuard
from .pinguard import PinGuard
from .services import NoPrinter, NoQrCodes, NoSpeech, Printer, QrCodes, Speech
from .sizes import Sizes, sizes_for
from .speech import ReadAloud
from .speech.mode import SpeechMode
from .statistics import Statistics

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from sync.catalogue import Catalogue

    from .screens.context import KioskContext
    from .syncjob import SyncLimits, SyncOutcome

textual_fixes.apply()  # before any widget renders: a leak in the pinned Textual (kiosk/textual_fixes.py)

Clock = Callable[[], datetime]

# Keys that would end, suspend or break out of a kiosk; all bound to nothing.
_BLOCKED_KEYS = "ctrl+q,ctrl+c,ctrl+z,ctrl+backslash,ctrl+p,ctrl+s,f1"


def _berlin_now() -> datetime:
    # sync.hours.TZ, the same cached ZoneInfo object, without importing sync.hours (dateutil and
    # babel) before the first card is drawn.
    return datetime.now(ZoneInfo("Europe/Berlin"))


class KioskApp(App[None]):
    """The visitor-facing kiosk. Build it with `make_app`; leave it only via the volunteer menu."""

    CSS_PATH = "kiosk.tcss"  # Home's styles and those every screen shares
    # The other screens' styles: read after Home is drawn (`load_screen_styles`), not parsed at start.
    SCREEN_STYLES = Path(__file__).with_name("other-screens.tcss")
    TITLE = "Dritte-Orte-Kiosk"
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    ESCAPE_TO_MINIMIZE = False
    AUTO_FOCUS = ""  # no focus ring on arrival (see KioskScreen); also for the dialogs
    BINDINGS = [
        Binding(_BLOCKED_KEYS, "ignore", show=False, priority=True, system=True),
        Binding("f12", "volunteer", show=False, priority=True, system=True),
    ]
    IDLE_TICK = 0.5  # seconds between idle checks
    # The `kiosk` command sets it: the imports kept out of the collector's sight (kiosk/gcpause.py).
    # Not in tests, which start many apps in one process (their garbage would be kept for good).
    keep_imports_for_good = False

    def __init__(self, settings: Settings, catalogue: Catalogue, *, speech: Speech, printer: Printer,
                 qr: QrCodes, clock: Clock, statistics: Statistics | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.statistics = statistics  # anonymous day counts (kiosk.statistics); None: nothing counted
        self.catalogue = catalogue
        self.speech, self.printer, self.qr = speech, printer, qr
        self.clock = clock
        place = settings.place
        self.finder = Finder(catalogue, location_names=place.location_names, town=place.town,
                             latitude=place.latitude, longitude=place.longitude,
                             need_map=Path(settings.kiosk.need_map) if settings.kiosk.need_map else None)
        # What one visitor has told the kiosk; forgotten on idle reset.
        self.search_text = ""
        self.audience: Audience | None = None
        self.my_list = MyList()  # offers chosen to take home; memory only
        self.keyboard_style = settings.kiosk.keyboard_layout  # "standard" or "abc" (visitor toggle)
        # Seconds for the idle reset; replaceable so that tests can let time pass at once.
        self.idle_clock: Callable[[], float] = time.monotonic
        self._last_input = self.idle_clock()
        # The PIN pad's lockout outlives the pad: reopening it does not reset it.
        self.pin_guard = PinGuard()
        # "Sync now" runs in a child process (kiosk.syncjob) owned by the app, not by the volunteer
        # menu, so it goes on when the menu closes. None: no sync running; else records read so far.
        self._sync_limits: SyncLimits | None = None  # see sync_limits
        self.sync_progress: int | None = None
        self.sync_outcome: SyncOutcome | None = None  # how the last "Sync now" ended
        for theme in THEMES:  # colours that keep 7:1 in 16 and 256 colours too: see kiosk/palette.py
            self.register_theme(theme)
        self._start_theme(DAYLIGHT.name)
        self._filters.append(BoldColoursGuard(lambda: self.console.color_system))
        # How the visitor wants to see (toggles on Home); back to normal at the idle reset.
        self.high_contrast = False  # white on black (kiosk/palette.py); `[kiosk] high_contrast` starts with it
        self.set_high_contrast(settings.kiosk.high_contrast)
        self.large_text = False  # fewer, bigger elements (kiosk/sizes.py); `[kiosk] large_text` starts with it
        self.set_large_text(settings.kiosk.large_text)
        i18n.set_language(settings.kiosk.default_language)
        # Called once Home has been drawn (the `kiosk` command checks and opens its catalogue then:
        # kiosk.cli.CheckedLater).
        self.when_drawn: list[Callable[[], object]] = []
        self.screen_styles_read = False  # see load_screen_styles
        self.read_aloud = ReadAloud(self)  # kiosk.speech.reader: voices, turns, problems in words
        self.speech_mode = SpeechMode(self)  # kiosk.speech.mode: announcements, tap to hear, tap to choose

    def _start_theme(self, name: str) -> None:
        """Set the theme before Textual has read any CSS, as `self.theme = name` would (Textual's
        App._watch_theme: the -theme-/-dark-mode/-light-mode classes, the ANSI colour filter, the
        CSS variables), but without the full parse of every stylesheet that the theme switch queues
        for when the app runs: none has been parsed yet, so the variables go into the stylesheet
        before its first parse. kiosk.tcss is large: a second parse cost 20-40 ms of every start.
        tests/test_startup_imports.py checks that the result is the same and parsed once."""
        self.set_reactive(App.theme, name)  # sets the value without running its watcher
        dark = self.current_theme.dark
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        self.update_classes({**classes, f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark},
                            update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    @property
    def sync_limits(self) -> SyncLimits:
        """Time, CPU and memory limits of the "Sync now" process; kiosk.syncjob is imported with the
        first sync, not at start (issue 13)."""
        if self._sync_limits is None:
            from .syncjob import SyncLimits

            self._sync_limits = SyncLimits()
        return self._sync_limits

    @sync_limits.setter
    def sync_limits(self, limits: SyncLimits) -> None:
        self._sync_limits = limits

    def get_default_screen(self) -> Screen:
        from .screens.home import HomeScreen

        return HomeScreen()

    def on_load(self) -> None:
        malloc_tuning.tune()  # before the finder's threads (kiosk/malloc_tuning.py); the `kiosk` command did
        gcpause.pause()  # until Home is drawn (kiosk/gcpause.py); the `kiosk` command paused it already
        if self.keep_imports_for_good:
            gcpause.keep_for_good()  # before Home is composed: only the imports and the app itself

    def on_mount(self) -> None:
        self.set_interval(self.IDLE_TICK, self._idle_tick)
        self.call_after_refresh(self._drawn)  # after the first screen has been drawn

    def _drawn(self) -> None:
        gcpause.resume()
        hooks, self.when_drawn = self.when_drawn, []
        for hook in hooks:
            hook()
        self.load_screen_styles()

    def load_screen_styles(self) -> None:
        """Read the other screens' styles (SCREEN_STYLES) once: after Home is drawn, or before the
        first other screen is pushed if that comes sooner. Textual parses a stylesheet's sources
        before the first screen is styled; kiosk.tcss alone (Home and what all screens share) is
        half of the kiosk's CSS, the other half was 5-6 ms of every start (issue 13). Read after
        kiosk.tcss, its rules come after kiosk.tcss's, as when both were one file (see its header);
        every widget is styled again with them, which changes nothing on Home
        (tests/test_app_styles.py)."""
        if self.screen_styles_read:
            return
        self.screen_styles_read = True
        self.stylesheet.read(self.SCREEN_STYLES)
        self.stylesheet.parse()  # the new file only: Textual keeps every source's parsed rules
        self.stylesheet.update(self)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.load_screen_styles()  # before any screen but Home is styled
        return super().push_screen(*args, **kwargs)

    def catalogue_opened(self) -> None:
        """The `kiosk` command has checked and opened the catalogue after Home was drawn from what an
        earlier start kept (kiosk.cli.CheckedLater). If it reads the last good copy or the demo
        instead of a damaged file, or the counts differ from those Home shows, Home is built again
        from the catalogue now read (the operator finds the notice in the volunteer menu)."""
        from .screens.home import HomeScreen

        home = self.screen_stack[0] if self.screen_stack else None
        if not isinstance(home, HomeScreen):
            return
        try:
            status = self.catalogue.status()
        except Exception as exc:  # noqa: BLE001 - told in words, as any catalogue error
            self.catalogue_error(exc)
            return
        if status.notice:
            self.log.error(f"catalogue: {status.notice}")
        if not home.shows_other_than(status):
            return
        self.finder.forget_kept()
        if home is self.screen:
            self.call_later(home.recompose)
        else:
            home.on_screen_suspend()  # composed again when the visitor comes back to it (on_screen_resume)

    def now(self) -> datetime:
        """The current time in the place's time zone (frozen in snapshot tests)."""
        return self.clock()

    # -- navigation --------------------------------------------------------------------------

    # Screens are popped without awaiting: these run inside the handlers of the very screens that
    # are popped, and awaiting their removal there would wait for ever.

    async def go_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.stop_speaking()
            self.pop_screen()

    async def go_home(self) -> None:
        self.stop_speaking()
        while len(self.screen_stack) > 1:
            self.pop_screen()

    async def set_language(self, code: str) -> None:
        """Switch the language at once: every open screen composes itself again."""
        self.stop_speaking()
        i18n.set_language(code)
        self.count("language", code)
        for screen in list(self.screen_stack):
            await screen.recompose()

    def set_high_contrast(self, on: bool) -> None:
        """White on black, black on yellow (kiosk/palette.py), or the daylight theme."""
        self.high_contrast = on
        self.theme = (CONTRAST if on else DAYLIGHT).name

    @property
    def sizes(self) -> Sizes:
        """The layout numbers of the text size now (kiosk/sizes.py)."""
        return sizes_for(self.large_text)

    def set_large_text(self, on: bool) -> None:
        """Larger text: the class `-large` (kiosk.tcss) and the numbers of kiosk/sizes.LARGE; the
        open screens compose themselves again for the new columns and cards per page."""
        if on == self.large_text:
            return
        self.large_text = on
        self.set_class(on, "-large")
        for screen in list(self.screen_stack) if self.is_running else ():
            if screen.is_attached and hasattr(screen, "rerender"):
                self.call_later(screen.rerender)

    async def show_my_list(self) -> None:
        """The visitor's list: back to it if it is open below, else on top."""
        from .screens.mylist import MyListScreen

        self.stop_speaking()
        for depth, screen in enumerate(reversed(self.screen_stack)):
            if isinstance(screen, MyListScreen):
                for _ in range(depth):
                    self.pop_screen()
                return
        await self.push_screen(MyListScreen())

    def my_list_changed(self) -> None:
        """Every screen's "My list (n)" button follows the list."""
        from .screens.base import KioskScreen

        for screen in self.screen_stack:
            if isinstance(screen, KioskScreen):
                screen.show_list_button()

    def action_volunteer(self) -> None:
        from .screens.volunteer import PinScreen, VolunteerScreen

        if not isinstance(self.screen, (PinScreen, VolunteerScreen)):
            self.push_screen(PinScreen())

    # -- services ----------------------------------------------------------------------------

    def tell(self, text: str, severity: SeverityLevel = "information", *, speak: bool = True) -> None:
        """A short message for the visitor, as plain text, in the title bar of the screen; spoken
        in speech mode (not when it is about speech itself failing)."""
        from .screens.base import KioskScreen

        self.log.info(f"told: {text}")
        if speak:
            self.speech_mode.told(text)
        if isinstance(self.screen, KioskScreen):
            self.screen.show_message(text, severity)
        else:
            self.notify(text, severity=severity, timeout=6, markup=False)

    # -- anonymous counts (kiosk.statistics) ---------------------------------------------------

    def count(self, kind: str, key: str = "") -> None:
        """Count that this visit did `kind` with `key` (at most once per visit); never fails."""
        if self.statistics is not None:
            try:
                self.statistics.count(kind, key)
            except Exception as exc:  # noqa: BLE001 - statistics must never break the kiosk
                self.log.error(f"statistics: {exc!r}")

    def searched(self, text: str, found: bool) -> None:
        """A search text the visitor acted on, or left with nothing found (never each keystroke)."""
        if self.statistics is not None:
            self.statistics.searched(text, found)

    def end_visit(self) -> None:
        """The visitor has gone: screens report what they still hold, the visit joins the day's totals."""
        for screen in list(self.screen_stack):
            note = getattr(screen, "note_visit_end", None)
            if note is not None:
                note()
        if self.statistics is not None:
            self.statistics.end_visit(self.settings.kiosk.default_language)

    # -- reading aloud (kiosk.speech.reader) ----------------------------------------------------

    def say(self, text: str) -> None:
        """Read `text` aloud in the current language, or say why that is not possible here."""
        self.read_aloud.say(text)

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """Read (text, language) parts aloud, each in its own voice; returns at once."""
        self.read_aloud.say_parts(parts)

    def stop_speaking(self) -> None:
        """Stop reading aloud now (navigation, the button pressed again, idle reset)."""
        self.read_aloud.stop()

    @property
    def speaking(self) -> bool:
        """Reading aloud now, or about to: the Read-aloud button then shows "Stop"."""
        return self.read_aloud.speaking

    def refresh_read_buttons(self) -> None:
        """Every screen's Read-aloud button shows "Stop" exactly while speaking."""
        from .screens.base import KioskScreen

        speaking = self.speaking
        for screen in self.screen_stack:
            if isinstance(screen, KioskScreen):
                screen.show_reading(speaking)

    def on_unmount(self) -> None:
        gcpause.resume()  # also when the app ends before anything was drawn
        self.read_aloud.close()  # no voice outlives the kiosk, and no engine thread calls into a closed app
        if self.statistics is not None:
            self.end_visit()

    def catalogue_error(self, exc: BaseException) -> None:
        """The catalogue could not be read (replaced, locked, broken): say so, keep running."""
        self.log.error(f"catalogue error: {exc!r}")
        self.tell(i18n._("The list of offers cannot be read right now. Please try again later."), "error")

    # -- kiosk behaviour ---------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseUp, events.MouseScrollDown,
                              events.MouseScrollUp)):
            self.note_input()
            if isinstance(event, events.Key) and self.speech_mode.on:
                self.stop_speaking()  # any new action stops speech at once
        await super().on_event(event)

    def note_input(self) -> None:
        """The visitor did something: the idle countdown starts again (and its warning closes)."""
        self._last_input = self.idle_clock()

    def idle_for(self) -> float:
        return self.idle_clock() - self._last_input

    def _pristine(self) -> bool:
        """Nothing to forget: Home alone, default language, no search, no choice."""
        return (len(self.screen_stack) == 1 and not self.search_text and self.audience is None
                and not self.my_list and i18n.current_language() == self.settings.kiosk.default_language
                and self.keyboard_style == self.settings.kiosk.keyboard_layout
                and self.high_contrast == self.settings.kiosk.high_contrast
                and self.large_text == self.settings.kiosk.large_text)

    def warm_finder(self) -> None:
        """Build the finder's cache in a thread (kiosk.finder.Finder.warm_in_background)."""
        self.finder.warm_in_background(lambda exc: self.log.error(f"warming the finder's cache: {exc!r}"))

    async def _idle_tick(self) -> None:
        from .screens.idle import IdleWarning

        if not self.screen_stack:
            return  # the app is closing: its screens are being taken down under the timer
        with contextlib.suppress(Exception):  # a damaged file is told by the screen that reads it
            if self.finder.wants_warming():  # a sync has landed: the cache is built before the next tap
                self.warm_finder()
        limit = self.settings.kiosk.idle_seconds
        warning = self.settings.kiosk.idle_warning_seconds
        left = limit - self.idle_for()
        shown = self.screen if isinstance(self.screen, IdleWarning) else None
        if self._pristine() and shown is None and self.speech_mode.pristine():
            if left <= 0 and self.statistics is not None and self.statistics.visit_active:
                self.end_visit()  # e.g. Home read aloud, nothing else: still a visit that ended
            return
        if left <= 0:
            await self.reset_to_home()
        elif left <= warning:
            if shown is None:
                await self.push_screen(IdleWarning(int(left + 0.999)))
            else:
                shown.set_seconds(int(left + 0.999))
        elif shown is not None:
            shown.dismiss()

    async def reset_to_home(self) -> None:
        """Forget the visitor: stop speaking, clear search and choices, Home in the default language."""
        self.stop_speaking()
        self.end_visit()
        self.search_text = ""
        self.audience = None
        self.my_list.clear()
        self.read_aloud.forget_visitor()
        self.speech_mode.reset()  # speech mode, rate and volume as configured
        self.keyboard_style = self.settings.kiosk.keyboard_layout
        self.set_high_contrast(self.settings.kiosk.high_contrast)
        self.set_large_text(self.settings.kiosk.large_text)
        i18n.set_language(self.settings.kiosk.default_language)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        await self.screen.recompose()
        self._last_input = self.idle_clock()

    def leave_kiosk(self) -> None:
        """The only way out, reached from the PIN-protected volunteer menu."""
        self.stop_speaking()
        self.exit()

    def action_ignore(self) -> None:
        """Bound to every key that would quit or suspend: does nothing, on purpose."""

    async def action_quit(self) -> None:
        """ctrl+q and anything else asking to quit: ignored in a kiosk."""

    def action_help_quit(self) -> None:
        """ctrl+c would explain how to quit: not in a kiosk."""

    def action_suspend_process(self) -> None:
        """ctrl+z would suspend the kiosk to a shell: ignored."""

    def action_command_palette(self) -> None:
        """The command palette can run any action: off."""

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Screenshots would write files from a visitor's tap: off."""

    async def _broker_event(self, event_name: str, event: events.Event, default_namespace: Any) -> bool:
        # Markup like [@click=app.quit] in any text would otherwise run an action on a tap. Our
        # own text never uses markup actions, so none are honoured, whatever slips through.
        return False


def make_app(settings: Settings, catalogue: Catalogue, *, speech: Speech | None = None,
             printer: Printer | None = None, clock: Clock | None = None, qr: QrCodes | None = None,
             statistics: Statistics | None = None) -> KioskApp:
    """Build the kiosk. Missing services mean "not available here"; `clock` defaults to Berlin time.

    Used by the command line, the tests and the benchmarks alike, so that they run the same app.
    """
    return KioskApp(settings, catalogue, speech=speech or NoSpeech(), printer=printer or NoPrinter(),
                    qr=qr or NoQrCodes(), clock=clock or _berlin_now, statistics=statistics)


if TYPE_CHECKING:  # mypy proves here that the app gives the screens all they use of it
    _SCREENS_SEE: type[KioskContext] = KioskApp
