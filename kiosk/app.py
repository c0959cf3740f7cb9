"""The kiosk app and the one factory that builds it for the command line, tests and benchmarks."""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from sync.catalogue import Catalogue
from sync.hours import TZ

from . import i18n
from .config import Settings
from .finder import Audience, Finder
from .services import NoPrinter, NoQrCodes, NoSpeech, Printer, QrCodes, ServiceError, Speech

Clock = Callable[[], datetime]

# Dark text on white and white text on dark blue: both above 10:1 contrast, readable in daylight.
DAYLIGHT = Theme(
    name="kiosk-daylight", dark=False,
    primary="#0b3d91", secondary="#4a2a7a", accent="#ffb000", warning="#8a4b00", error="#a4001d",
    success="#1b5e20", foreground="#111111", background="#ffffff", surface="#eef1f6", panel="#dde3ee",
)

# Keys that would end, suspend or break out of a kiosk; all bound to nothing.
_BLOCKED_KEYS = "ctrl+q,ctrl+c,ctrl+z,ctrl+backslash,ctrl+p,ctrl+s,f1"


def _berlin_now() -> datetime:
    return datetime.now(TZ)


class KioskApp(App[None]):
    """The visitor-facing kiosk. Build it with `make_app`; leave it only via the volunteer menu."""

    CSS_PATH = "kiosk.tcss"
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

    def __init__(self, settings: Settings, catalogue: Catalogue, *, speech: Speech, printer: Printer,
                 qr: QrCodes, clock: Clock) -> None:
        super().__init__()
        self.settings = settings
        self.catalogue = catalogue
        self.speech, self.printer, self.qr = speech, printer, qr
        self.clock = clock
        place = settings.place
        self.finder = Finder(catalogue, location_names=place.location_names, town=place.town,
                             latitude=place.latitude, longitude=place.longitude)
        # What one visitor has told the kiosk; forgotten on idle reset.
        self.search_text = ""
        self.audience: Audience | None = None
        # Seconds for the idle reset; replaceable so that tests can let time pass at once.
        self.idle_clock: Callable[[], float] = time.monotonic
        self._last_input = self.idle_clock()
        self.register_theme(DAYLIGHT)
        self.theme = DAYLIGHT.name
        i18n.set_language(settings.kiosk.default_language)

    def get_default_screen(self) -> Screen:
        from .screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.set_interval(self.IDLE_TICK, self._idle_tick)

    def now(self) -> datetime:
        """The current time in the place's time zone (frozen in snapshot tests)."""
        return self.clock()

    # -- navigation --------------------------------------------------------------------------

    # Screens are popped without awaiting: these run inside the handlers of the very screens that
    # are popped, and awaiting their removal there would wait for ever.

    async def go_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.speech.stop()
            self.pop_screen()

    async def go_home(self) -> None:
        self.speech.stop()
        while len(self.screen_stack) > 1:
            self.pop_screen()

    async def set_language(self, code: str) -> None:
        """Switch the language at once: every open screen composes itself again."""
        self.speech.stop()
        i18n.set_language(code)
        for screen in list(self.screen_stack):
            await screen.recompose()

    def action_volunteer(self) -> None:
        from .screens.volunteer import PinScreen, VolunteerScreen

        if not isinstance(self.screen, (PinScreen, VolunteerScreen)):
            self.push_screen(PinScreen())

    # -- services ----------------------------------------------------------------------------

    def tell(self, text: str, severity: str = "information") -> None:
        """A short message for the visitor, as plain text, in the title bar of the screen."""
        from .screens.base import KioskScreen

        self.log.info(f"told: {text}")
        if isinstance(self.screen, KioskScreen):
            self.screen.show_message(text, severity)
        else:
            self.notify(text, severity=severity, timeout=6, markup=False)  # type: ignore[arg-type]

    def say(self, text: str) -> None:
        """Read `text` aloud in the current language, or say why that is not possible here."""
        if not self.speech.available:
            self.tell(i18n._("Reading aloud is not available here."))
            return
        try:
            self.speech.say(text, i18n.current_language())
        except ServiceError as exc:
            self.tell(i18n._("Reading aloud did not work: {reason}").format(reason=exc), "error")

    def catalogue_error(self, exc: BaseException) -> None:
        """The catalogue could not be read (replaced, locked, broken): say so, keep running."""
        self.log.error(f"catalogue error: {exc!r}")
        self.tell(i18n._("The list of offers cannot be read right now. Please try again later."), "error")

    # -- kiosk behaviour ---------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseUp, events.MouseScrollDown,
                              events.MouseScrollUp)):
            self._last_input = self.idle_clock()
        await super().on_event(event)

    def idle_for(self) -> float:
        return self.idle_clock() - self._last_input

    def _pristine(self) -> bool:
        """Nothing to forget: Home alone, default language, no search, no choice."""
        return (len(self.screen_stack) == 1 and not self.search_text and self.audience is None
                and i18n.current_language() == self.settings.kiosk.default_language)

    async def _idle_tick(self) -> None:
        from .screens.idle import IdleWarning

        limit = self.settings.kiosk.idle_seconds
        warning = self.settings.kiosk.idle_warning_seconds
        left = limit - self.idle_for()
        shown = self.screen if isinstance(self.screen, IdleWarning) else None
        if self._pristine() and shown is None:
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
        self.speech.stop()
        self.search_text = ""
        self.audience = None
        i18n.set_language(self.settings.kiosk.default_language)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        await self.screen.recompose()
        self._last_input = self.idle_clock()

    def leave_kiosk(self) -> None:
        """The only way out, reached from the PIN-protected volunteer menu."""
        self.speech.stop()
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
             printer: Printer | None = None, clock: Clock | None = None, qr: QrCodes | None = None) -> KioskApp:
    """Build the kiosk. Missing services mean "not available here"; `clock` defaults to Berlin time.

    Used by the command line, the tests and the benchmarks alike, so that they run the same app.
    """
    return KioskApp(settings, catalogue, speech=speech or NoSpeech(), printer=printer or NoPrinter(),
                    qr=qr or NoQrCodes(), clock=clock or _berlin_now)
