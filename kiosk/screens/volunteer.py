"""The volunteer side, behind a PIN: sync now, catalogue status, voice and printer test, print a list, leave."""
from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from datetime import datetime

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Center, Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from sync.catalogue import OfferSummary
from sync.errors import FeedError, SyncError
from sync.hours import TZ
from sync.pull import SyncOptions, SyncReport, pull

from ..i18n import _, current_language, ngettext
from ..services import ServiceError
from ..widgets import BigButton, NumberPad, Plain
from ..widgets.keyboard import KeyPressed
from .base import KioskScreen
from .home import catalogue_age_days

MAX_TRIES = 5  # wrong PINs in a row before the pad locks
LOCK_SECONDS = 60.0
MAX_LIST = 20  # offers printed from one list at most (a page each): a long list would empty the tray


class PinScreen(KioskScreen):
    """A number pad; the right PIN opens the volunteer menu, a wrong one says so and stays."""

    SHOW_READ = False  # volunteers only: the top bar keeps its room

    def __init__(self) -> None:
        super().__init__()
        self.entered = ""
        self.message = ""
        self._wrong = 0
        self._locked_until = 0.0

    def title_text(self) -> str:
        return _("Volunteers")

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="pin-row"):
            yield Plain(_("PIN:") + " " + ("● " * len(self.entered) or "–"), id="pin")
            yield Plain(self.message, id="pin-message")
        with Center():
            yield NumberPad(id="numpad")

    def _show(self) -> None:
        self.query_one("#pin", Plain).show(_("PIN:") + " " + ("● " * len(self.entered) or "–"))
        self.query_one("#pin-message", Plain).show(self.message)

    def on_key_pressed(self, event: KeyPressed) -> None:
        event.stop()
        self.press(event.value)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            self.press(event.character)
        elif event.key == "backspace":
            self.press(KeyPressed.DELETE)
        elif event.key == "enter" and not isinstance(self.focused, Button):
            self.press(KeyPressed.ENTER)
        else:
            return
        event.stop()

    def press(self, value: str) -> None:
        if value == KeyPressed.DELETE:
            self.entered = self.entered[:-1]
        elif value == KeyPressed.ENTER:
            self.check()
            return
        elif value.isdigit() and len(self.entered) < 8:
            self.entered += value
        self.message = ""
        self._show()

    def check(self) -> None:
        if time.monotonic() < self._locked_until:
            self.message = _("Too many wrong tries. Please wait a minute.")
        elif hmac.compare_digest(self.entered, self.kiosk.settings.kiosk.volunteer_pin):
            self.entered = ""
            self.kiosk.switch_screen(VolunteerScreen())
            return
        else:
            self._wrong += 1
            self.message = _("Wrong PIN.")
            if self._wrong >= MAX_TRIES:
                self._wrong = 0
                self._locked_until = time.monotonic() + LOCK_SECONDS
                self.message = _("Too many wrong tries. Please wait a minute.")
        self.entered = ""
        self._show()


class VolunteerScreen(KioskScreen):
    """Maintenance for volunteers; the only way out of the kiosk is here."""

    SHOW_READ = False  # "Test voice" below checks the sound and speaks instead

    def __init__(self) -> None:
        super().__init__()
        self.result = ""
        self.syncing = False

    def title_text(self) -> str:
        return _("Volunteer menu")

    def compose_body(self) -> ComposeResult:
        with Vertical(id="volunteer-status"):
            yield Plain(self.status_text(), id="status")
            yield Plain(self.list_text(), id="list-info")
            yield Plain(self.result, id="result")
        with Grid(id="volunteer-actions"):
            yield BigButton(_("Syncing…") if self.syncing else _("Sync now"), id="sync", disabled=self.syncing)
            yield BigButton(_("Test voice"), id="voice")
            yield BigButton(_("Test printer"), id="printer")
            yield BigButton(_("Print the list"), id="print-list")
            yield BigButton(_("Leave the kiosk"), id="leave", variant="error")

    def status_text(self) -> str:
        kiosk = self.kiosk
        status = self.safely(kiosk.catalogue.status, None)
        if status is None:
            return _("The catalogue cannot be read.")
        lines = [_("Offers in the catalogue: {n}").format(n=status.offers)]
        if status.last_success:
            when = _local_time(status.last_success)
            age = catalogue_age_days(status.last_success, kiosk.now())
            lines.append(ngettext("Last update: {when} ({days} day ago)", "Last update: {when} ({days} days ago)",
                                  age or 0).format(when=when, days=age))
            if age is not None and age > kiosk.settings.catalogue.stale_after_days:
                lines.append(_("The catalogue is out of date."))
        else:
            lines.append(_("Last update: never"))
        if status.source:
            lines.append(_("Source: {source}").format(source=status.source))
        if status.last_error:
            lines.append(_("Last error: {error}").format(error=status.last_error))
        return "\n".join(lines)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        kiosk = self.kiosk
        match event.button.id:
            case "sync":
                self.start_sync()
            case "voice":
                self.test_voice()
            case "printer":
                self.test_printer()
            case "print-list":
                self.print_list()
            case "leave":
                kiosk.push_screen(ConfirmLeave())
            case _:
                return  # Back and Home: KioskScreen's handler runs next
        event.stop()

    def start_sync(self) -> None:
        url = self.kiosk.settings.catalogue.feed_url
        if not url:
            self.set_result(_("No feed is configured (catalogue.feed_url in kiosk.toml)."))
            return
        self.syncing = True
        self.set_result(_("Syncing… this can take a few minutes. The kiosk keeps working."))
        button = self.query_one("#sync", BigButton)
        button.label, button.disabled = _("Syncing…"), True
        self.sync_worker(url, current_language())

    @work(thread=True, exclusive=True, group="sync")
    def sync_worker(self, url: str, language: str) -> None:
        c = self.kiosk.settings.catalogue
        options = SyncOptions(timeout_seconds=c.timeout_seconds, per_page=c.per_page,
                              min_keep_ratio=c.min_keep_ratio, guard_min_offers=c.guard_min_offers,
                              feed_kind=c.feed_kind, progress=self.sync_progress)
        try:
            report = pull(url, self.kiosk.catalogue.path, options)
        except FeedError as exc:
            text = _("The catalogue could not be updated: {reason}. The previous catalogue stays.").format(
                reason=exc.reason)
        except (SyncError, OSError) as exc:
            text = _("The catalogue could not be updated: {reason}. The previous catalogue stays.").format(
                reason=str(exc))
        else:
            text = sync_words(report)
        self.app.call_from_thread(self.sync_done, text)

    def sync_progress(self, count: int) -> None:
        """From the sync's thread: how far it has come, shown in place of the result line."""
        text = _("Syncing… {count} offers read so far. The kiosk keeps working.").format(count=count)
        self.app.call_from_thread(self.set_result, text)

    async def sync_done(self, text: str) -> None:
        self.syncing = False
        self.result = text
        if self.is_attached:
            await self.rerender()

    # -- voice test: the sound output is checked in a worker (it may take seconds), then it speaks --

    def test_voice(self) -> None:
        if not self.kiosk.speech.available:
            self.kiosk.say(_("This is the kiosk's voice. You can hear me."))  # says why not, in words
            return
        self.set_result(_("Testing the voice…"))
        self.voice_worker(current_language())

    @work(thread=True, exclusive=True, group="voice", exit_on_error=False)
    def voice_worker(self, language: str) -> None:
        from ..app import speech_reason

        speech = self.kiosk.speech
        try:
            check_audio = getattr(speech, "check_audio", None)
            problem = check_audio() if check_audio is not None else None
            missing_voice = getattr(speech, "missing_voice_reason", None)
            problem = problem or (missing_voice(language) if missing_voice is not None else None)
        except Exception as exc:  # noqa: BLE001 - a broken engine is a test result, not a crash
            problem = str(exc) or type(exc).__name__
        if problem:
            # The reason in words, then the engine's own (English) for whoever fixes it.
            text = _("Voice test failed: {reason}").format(reason=speech_reason(problem)) + f"\n({problem})"
            self.app.call_from_thread(self.set_result, text)
            return
        self.app.call_from_thread(self.kiosk.say, _("This is the kiosk's voice. You can hear me."))
        self.app.call_from_thread(self.set_result, _("The sound output works. If you hear nothing, check the "
                                                     "loudspeaker and its volume."))

    def set_result(self, text: str) -> None:
        self.result = text
        for shown in self.query("#result").results(Plain):
            shown.show(text)

    # -- printing: in a worker (lp or a receipt printer may take seconds), answered in words ----

    def test_printer(self) -> None:
        printer = self.kiosk.printer
        if not printer.available:
            self.set_result(_("There is no printer here."))
            return
        self.set_result(_("Printing…"))
        self.print_worker(printer.test_page, _("Test page sent to the printer."))

    def printable_list(self) -> tuple[str, list[OfferSummary]] | None:
        """The list looked at last: the results screen under this menu, else the search typed last.

        A volunteer opens a topic or a search as a visitor would, then this menu (F12 or the hidden
        taps), and prints what that list shows, filters included. None when there is no list.
        """
        from .results import ResultsScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, ResultsScreen):
                return screen.title_text(), screen.shown()
        text = self.kiosk.search_text.strip()
        if text:
            return _("Search: {text}").format(text=text), self.safely(lambda: self.kiosk.finder.search(text), [])
        return None

    def list_text(self) -> str:
        found = self.printable_list()
        if not found or not found[1]:
            return _("To print a list of offers, open a topic or a search first, then this menu.")
        title, offers = found
        text = ngettext("List to print: {title} ({n} offer).", "List to print: {title} ({n} offers).",
                        len(offers)).format(title=title, n=len(offers))
        if len(offers) > MAX_LIST:
            text += " " + _("The first {n} are printed.").format(n=MAX_LIST)
        return text

    def print_list(self) -> None:
        """The list's offers as ONE print job, a slip each (`Printer.print_offers`)."""
        printer = self.kiosk.printer
        if not printer.available:
            self.set_result(_("There is no printer here."))
            return
        found = self.printable_list()
        if not found or not found[1]:
            self.set_result(_("To print a list of offers, open a topic or a search first, then this menu."))
            return
        catalogue = self.kiosk.catalogue
        offers = [offer for s in found[1][:MAX_LIST]
                  if (offer := self.safely(lambda s=s: catalogue.offer(s.id), None)) is not None]
        if not offers:
            self.set_result(_("The offers of this list are no longer in the catalogue."))
            return
        n, language = len(offers), current_language()
        self.set_result(_("Printing…"))
        self.print_worker(lambda: printer.print_offers(offers, language),
                          ngettext("{n} offer sent to the printer as one job.",
                                   "{n} offers sent to the printer as one job.", n).format(n=n))

    @work(thread=True, group="print")
    def print_worker(self, job: Callable[[], bool | None], done: str) -> None:
        try:
            sent = job()
        except ServiceError as exc:
            text = _("Printing did not work: {reason}").format(reason=exc)
        else:
            text = _("The page is already being printed.") if sent is False else done
        self.app.call_from_thread(self.set_result, text)


def sync_words(report: SyncReport) -> str:
    """What a sync did, in a volunteer's words."""
    if report.mode == "not-modified":
        return _("The catalogue is up to date ({n} offers).").format(n=report.after)
    text = _("Updated: {after} offers (before: {before}).").format(after=report.after, before=report.before)
    if report.skipped:
        text += " " + _("{n} faulty entries were skipped.").format(n=len(report.skipped))
    return text


def _local_time(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(TZ)
    return moment.strftime("%d.%m.%Y %H:%M")


class ConfirmLeave(ModalScreen[None]):
    """Are you sure? Leaving ends the kiosk until it is started again."""

    BINDINGS = [("escape", "stay")]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Plain(_("Leave the kiosk? The screen then shows no offers until the kiosk is started again."),
                        classes="message")
            with Horizontal(classes="buttons"):
                yield BigButton(_("Yes, leave"), id="yes", variant="error")
                yield BigButton(_("No, stay"), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "yes":
            self.app.leave_kiosk()  # type: ignore[attr-defined]
        else:
            self.dismiss()

    def action_stay(self) -> None:
        self.dismiss()
