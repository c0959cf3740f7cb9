"""What the screens use from the running kiosk app: one typed interface, so that no screen imports
`kiosk.app` (which imports the screens) to know the app's type.

`KioskContext` lists everything the kiosk gives its screens beyond Textual's own `App` (screens
reach `push_screen`, `screen_stack`, `call_from_thread` … through `self.app` as always).
`kiosk.app.KioskApp` implements it, and mypy checks that it does (see the end of `kiosk/app.py`).
A screen reaches it as `self.kiosk` (`KioskScreen.kiosk`), any other widget with `kiosk_of(self.app)`.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:  # types only: at run time this module imports nothing of the kiosk
    from textual.app import App
    from textual.notifications import SeverityLevel

    from sync.catalogue import Catalogue

    from ..config import Settings
    from ..finder import Audience, Finder
    from ..mylist import MyList
    from ..pinguard import PinGuard
    from ..services import Printer, QrCodes, Speech
    from ..sizes import Sizes
    from ..speech.mode import SpeechMode
    from ..statistics import Statistics
    from ..syncjob import SyncLimits, SyncOutcome


class KioskContext(Protocol):
    """The kiosk's services and one visitor's state, as the screens see them.

    Read-only properties are set up once by `kiosk.app.make_app`; plain attributes are what
    screens change (the visitor's choices, the volunteer's "Sync now").
    """

    # -- services, set up once ------------------------------------------------------------------

    @property
    def settings(self) -> Settings: ...

    @property
    def catalogue(self) -> Catalogue: ...

    @property
    def finder(self) -> Finder: ...

    @property
    def speech(self) -> Speech: ...

    @property
    def printer(self) -> Printer: ...

    @property
    def qr(self) -> QrCodes: ...

    @property
    def statistics(self) -> Statistics | None:
        """Anonymous day counts; None: nothing is counted."""

    @property
    def speech_mode(self) -> SpeechMode: ...

    @property
    def pin_guard(self) -> PinGuard:
        """The PIN pad's lockout, which outlives the pad."""

    @property
    def sync_limits(self) -> SyncLimits: ...

    # -- one visitor's state; forgotten at the idle reset ----------------------------------------

    search_text: str
    audience: Audience | None
    keyboard_style: str  # "standard" or "abc"

    @property
    def my_list(self) -> MyList: ...

    @property
    def high_contrast(self) -> bool:
        """Changed with `set_high_contrast`."""

    large_text: bool  # fewer, bigger elements; changed with `set_large_text`

    @property
    def sizes(self) -> Sizes:
        """The layout numbers of the text size now (kiosk/sizes.py)."""

    # -- "Sync now" from the volunteer menu (kiosk.syncjob) ------------------------------------

    sync_progress: int | None  # None: no sync running; else records read so far
    sync_outcome: SyncOutcome | None  # how the last "Sync now" ended

    # -- what screens ask of the kiosk ---------------------------------------------------------

    def now(self) -> datetime:
        """The current time in the place's time zone."""

    def tell(self, text: str, severity: SeverityLevel = "information", *, speak: bool = True) -> None:
        """A short message for the visitor in the title bar (spoken in speech mode)."""

    def catalogue_error(self, exc: BaseException) -> None:
        """The catalogue could not be read: say so, keep running."""

    def count(self, kind: str, key: str = "") -> None:
        """Count that this visit did `kind` with `key` (kiosk.statistics); never fails."""

    def searched(self, text: str, found: bool) -> None:
        """A search text the visitor acted on, or left with nothing found."""

    def note_input(self) -> None:
        """The visitor did something: the idle countdown starts again."""

    @property
    def speaking(self) -> bool:
        """Reading aloud now, or about to."""

    def say(self, text: str) -> None:
        """Read `text` aloud in the current language, or say why that is not possible here."""

    def stop_speaking(self) -> None: ...

    async def go_back(self) -> None: ...

    async def go_home(self) -> None: ...

    async def show_my_list(self) -> None: ...

    def my_list_changed(self) -> None:
        """Every screen's "My list (n)" button follows the list."""

    async def set_language(self, code: str) -> None: ...

    def set_high_contrast(self, on: bool) -> None: ...

    def set_large_text(self, on: bool) -> None: ...

    def warm_finder(self) -> None:
        """Build the finder's cache in a thread, so the first tap does not wait for it."""

    async def reset_to_home(self) -> None:
        """Forget the visitor, as at the idle reset ("Done" on the visitor's list)."""

    def action_volunteer(self) -> None:
        """Open the volunteer PIN pad."""

    def leave_kiosk(self) -> None:
        """The only way out, from the PIN-protected volunteer menu."""


def kiosk_of(app: App[Any]) -> KioskContext:
    """The running kiosk behind Textual's `app`, typed as what screens may use of it."""
    # A cast, not a check: every screen runs inside the app that `kiosk.app.make_app` builds, and
    # mypy proves that app a KioskContext; a runtime_checkable isinstance would probe every member
    # (properties included) on each call.
    return cast("KioskContext", app)
