"""The volunteer side, behind a PIN: sync now, catalogue status, voice and printer test, print a list, leave."""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from textual import events, work
from textual.app import App, ComposeResult
from textual.containers import Center, Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from sync.hours import TZ
from sync.offers import OfferSummary

from .. import syncjob
from ..config import pin_problem
from ..i18n import N_, _, current_language, ngettext
from ..services import ServiceError
from ..widgets import BigButton, NumberPad, Plain
from ..widgets.keyboard import KeyPressed
from .base import KioskScreen
from .context import kiosk_of
from .home import catalogue_age_days

MAX_LIST = 20  # offers printed from one list at most (a page each): a long list would empty the tray


class PinScreen(KioskScreen):
    """A number pad; the right PIN opens the volunteer menu, a wrong one says so and stays.

    Wrong PINs lock the pad for longer and longer (`kiosk.pinguard`, kept by the app across
    reopening); while locked, digits are not taken. Without a PIN of its own (none set, or the
    public example PIN) there is no pad: the screen says how to set one.
    """

    SHOW_READ = False  # volunteers only: the top bar keeps its room

    def __init__(self) -> None:
        super().__init__()
        self.entered = ""
        self.message = ""
        self._lock_shown = False

    def title_text(self) -> str:
        return _("Volunteers")

    def compose_body(self) -> ComposeResult:
        problem = pin_problem(self.kiosk.settings.kiosk.volunteer_pin)
        if problem is not None:
            yield Plain(no_pin_words(problem), id="pin-missing")
            return
        left = self.kiosk.pin_guard.locked_for()
        if left and not self.message:
            self.message, self._lock_shown = lock_words(left), True
        with Horizontal(id="pin-row"):
            yield Plain(_("PIN:") + " " + ("● " * len(self.entered) or "–"), id="pin")
            yield Plain(self.message, id="pin-message")
        with Center():
            yield NumberPad(id="numpad")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """While locked, count the wait down; when the lock ends, clear its message."""
        left = self.kiosk.pin_guard.locked_for()
        if left:
            self.message, self._lock_shown = lock_words(left), True
            self._show()
        elif self._lock_shown:
            self.message, self._lock_shown = "", False
            self._show()

    def _show(self) -> None:
        for pin in self.query("#pin").results(Plain):
            pin.show(_("PIN:") + " " + ("● " * len(self.entered) or "–"))
        for message in self.query("#pin-message").results(Plain):
            message.show(self.message)

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
        """A key of the pad or the keyboard: both take the same path, and the same lockout."""
        if pin_problem(self.kiosk.settings.kiosk.volunteer_pin) is not None:
            return
        left = self.kiosk.pin_guard.locked_for()
        if left:  # locked: nothing typed counts
            self.entered, self.message, self._lock_shown = "", lock_words(left), True
        elif value == KeyPressed.DELETE:
            self.entered = self.entered[:-1]
            self.message = ""
        elif value == KeyPressed.ENTER:
            self.check()
            return
        elif value.isdigit() and len(self.entered) < 8:
            self.entered += value
            self.message = ""
        self._show()

    def check(self) -> None:
        if len(self.entered) < 4:  # cannot be a PIN: not a guess, not counted
            self.message = _("Please enter the PIN (4 to 8 digits), then OK.")
            self._show()
            return
        guard = self.kiosk.pin_guard
        right = guard.check(self.entered, self.kiosk.settings.kiosk.volunteer_pin)
        self.entered = ""
        if right:
            self.message = ""
            self.app.switch_screen(VolunteerScreen())
            return
        left = guard.locked_for()
        if left:
            self.message, self._lock_shown = lock_words(left), True
        else:
            self.message = _("Wrong PIN.")
        self._show()


def lock_words(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("Too many wrong tries. Please wait {n} minute.",
                    "Too many wrong tries. Please wait {n} minutes.", minutes).format(n=minutes)


def no_pin_words(problem: str) -> str:
    """Why the volunteer menu stays closed, and how an operator opens it, in words."""
    why = (_("The volunteer menu is closed: this kiosk still has the public example PIN.") if problem == "public"
           else _("The volunteer menu is closed: no volunteer PIN is set for this kiosk yet."))
    return "\n".join((
        why, "",
        _("To set one, write a PIN of 4 to 8 digits into kiosk.local.toml, in the section [kiosk]:"),
        '    volunteer_pin = "730519"',
        _("(with digits of your own), then start the kiosk again."),
        _("Or run kiosk --new-pin: it writes a random PIN there and shows it once."), "",
        _("Until then only the operator can stop the kiosk, from outside:"),
        "    systemctl stop dritte-orte-kiosk"))


class VolunteerScreen(KioskScreen):
    """Maintenance for volunteers; the only way out of the kiosk is here."""

    SHOW_READ = False  # "Test voice" below checks the sound and speaks instead

    def __init__(self) -> None:
        super().__init__()
        self.result = ""  # the answer of the last action here (voice, printer, sync); "" = none yet

    def title_text(self) -> str:
        return _("Volunteer menu")

    def compose_body(self) -> ComposeResult:
        syncing = self.kiosk.sync_progress is not None
        with Vertical(id="volunteer-status"):
            yield Plain(self.status_text(), id="status")
            yield Plain(self.list_text(), id="list-info")
            yield Plain(self.result_text(), id="result")
        with Grid(id="volunteer-actions"):
            yield BigButton(_("Syncing…") if syncing else _("Sync now"), id="sync", disabled=syncing)
            yield BigButton(_("Test voice"), id="voice")
            yield BigButton(_("Test printer"), id="printer")
            yield BigButton(_("Print the list"), id="print-list")
            yield BigButton(_("Usage figures"), id="usage")
            yield BigButton(_("Our programme"), id="programme")
            yield BigButton(_("Leave the kiosk"), id="leave", variant="error")

    def status_text(self) -> str:
        kiosk = self.kiosk
        status = self.safely(kiosk.catalogue.status, None)
        if status is None:
            return _("The catalogue cannot be read.")
        lines = [_("Offers in the catalogue: {n}").format(n=status.offers)]
        if status.last_success:
            lines.append(update_words(status.last_success, kiosk.now()))
            age = catalogue_age_days(status.last_success, kiosk.now())
            if age is not None and age > kiosk.settings.catalogue.stale_after_days:
                lines.append(_("The catalogue is out of date."))
        else:
            lines.append(_("Last update: never"))
        if status.source:
            lines.append(_("Source: {source}").format(source=syncjob.shorten(status.source)))
        if status.fallback == "last-good":
            lines.append(_("The catalogue file is damaged. The kiosk shows the copy of the last good "
                           "sync. \"Sync now\" rebuilds the file."))
        elif status.fallback == "demo":
            lines.append(_("The catalogue file is damaged and there is no good copy. The kiosk shows the "
                           "demo catalogue. \"Sync now\" rebuilds the file; then restart the kiosk."))
        if status.fallback and status.notice:
            lines.append(detail_words(status.notice))
        if status.warning:
            lines.append(_("The last sync removed no offers, because the feed's list of offers did not "
                           "add up."))
            lines.append(detail_words(status.warning))
        if status.last_good_error:
            lines.append(_("No copy of the last good catalogue could be written (is the disk full?)."))
        told = kiosk.sync_outcome is not None and not kiosk.sync_outcome.ok and not self.result
        if status.warning:
            lines.append(_("The last sync came with a warning."))
            lines.append(detail_words(status.warning))
        if status.last_error and not told:  # a failure just told below is not told twice
            lines.append(_("The last sync failed. The catalogue shown is the one before it."))
            lines.append(detail_words(status.last_error))
        return "\n".join(lines)

    def result_text(self) -> str:
        """The line under the status: a running sync's progress, else the last answer here."""
        kiosk = self.kiosk
        if kiosk.sync_progress is not None:
            if not kiosk.sync_progress:
                return _("Syncing… this can take a few minutes. The kiosk keeps working.")
            return _("Syncing… {count} offers read so far. The kiosk keeps working.").format(
                count=kiosk.sync_progress)
        if self.result:
            return self.result
        return sync_words(kiosk.sync_outcome) if kiosk.sync_outcome is not None else ""

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        match event.button.id:
            case "sync":
                self.start_sync()
            case "voice":
                self.test_voice()
            case "printer":
                self.test_printer()
            case "print-list":
                self.print_list()
            case "usage" | "programme":
                from .place import ProgrammeScreen, UsageScreen

                self.app.push_screen(UsageScreen() if event.button.id == "usage" else ProgrammeScreen())
            case "leave":
                self.app.push_screen(ConfirmLeave())
            case _:
                return  # Back and Home: KioskScreen's handler runs next
        event.stop()

    def start_sync(self) -> None:
        """Start a sync in a child process (`kiosk.syncjob`); the app owns it, so it outlives this menu."""
        kiosk = self.kiosk
        if kiosk.sync_progress is not None:
            return
        c = kiosk.settings.catalogue
        if not c.feed_url:
            self.set_result(_("No feed is configured (catalogue.feed_url in kiosk.toml)."))
            return
        request = syncjob.SyncRequest(
            feed_url=c.feed_url, database=str(kiosk.catalogue.path), timeout_seconds=c.timeout_seconds,
            per_page=c.per_page, min_keep_ratio=c.min_keep_ratio, guard_min_offers=c.guard_min_offers,
            feed_kind=c.feed_kind)
        kiosk.sync_progress, self.result = 0, ""
        self.app.run_worker(_sync(self.app, request), name="sync", group="sync", exit_on_error=False)
        button = self.query_one("#sync", BigButton)
        button.label, button.disabled = _("Syncing…"), True
        self.set_result(self.result_text())

    async def sync_changed(self, finished: bool) -> None:
        """From the app's sync: progress (update the line) or the end (compose again: new counts)."""
        if not self.is_attached:
            return
        if finished:
            self.result = ""
            await self.rerender()
        else:
            self.set_result(self.result_text())

    # -- voice test: the sound output is checked in a worker (it may take seconds), then it speaks --

    def test_voice(self) -> None:
        if not self.kiosk.speech.available:
            self.kiosk.say(_("This is the kiosk's voice. You can hear me."))  # says why not, in words
            return
        self.set_result(_("Testing the voice…"))
        self.voice_worker(current_language())

    @work(thread=True, exclusive=True, group="voice", exit_on_error=False)
    def voice_worker(self, language: str) -> None:
        from ..speech import SpeechProblem, problem_words

        speech = self.kiosk.speech
        problem: SpeechProblem | None
        try:
            problem = speech.check_audio() or speech.missing_voice_reason(language)
        except Exception as exc:  # noqa: BLE001 - a broken engine is a test result, not a crash
            problem = SpeechProblem.of(exc)
        if problem:
            # The reason in words, then the engine's own (English) for whoever fixes it.
            text = _("Voice test failed: {reason}").format(reason=problem_words(problem)) + f"\n({problem})"
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
                  if (offer := self.safely(partial(catalogue.offer, s.id), None)) is not None]
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


async def _sync(app: App[object], request: syncjob.SyncRequest) -> None:
    """The app's worker for "Sync now": the child's progress and its end reach every open menu."""
    kiosk = kiosk_of(app)

    async def tell(finished: bool) -> None:
        for screen in list(app.screen_stack):
            if isinstance(screen, VolunteerScreen):
                await screen.sync_changed(finished)

    def progress(count: int) -> None:
        kiosk.sync_progress = count
        app.call_next(tell, False)

    try:
        outcome = await syncjob.run_sync(request, kiosk.sync_limits, progress)
    except Exception as exc:  # noqa: BLE001 - run_sync never raises; if it did, still a sentence
        outcome = syncjob.SyncOutcome(syncjob.CRASHED, request.feed_url, syncjob.shorten(repr(exc)))
    finally:
        kiosk.sync_progress = None
    kiosk.sync_outcome = outcome
    app.log.info(f"sync: {outcome}")
    await tell(True)


_FAILURE_WORDS = {
    syncjob.UNREACHABLE: N_("The feed could not be reached, so the catalogue was not updated."),
    syncjob.REJECTED: N_("The feed sent something that is not a usable catalogue, so nothing was changed."),
    syncjob.STORE: N_("The catalogue file could not be written (disk full or not allowed)."),
    syncjob.BUSY: N_("Another sync is running right now. Please try again in a few minutes."),
    syncjob.TIMEOUT: N_("The sync took too long and was stopped."),
    syncjob.MEMORY: N_("The sync needed too much memory and was stopped."),
}
_UNEXPECTED = N_("The sync failed unexpectedly.")


def sync_words(outcome: syncjob.SyncOutcome) -> str:
    """How a sync ended, in a volunteer's words; a failure with its technical detail apart."""
    if outcome.kind == syncjob.NOT_MODIFIED:
        return _("The catalogue is up to date ({n} offers).").format(n=outcome.after)
    if outcome.ok:
        text = _("Updated: {after} offers (before: {before}).").format(after=outcome.after, before=outcome.before)
        if outcome.skipped:
            text += " " + _("{n} faulty entries were skipped.").format(n=outcome.skipped)
        if outcome.not_services:
            text += " " + _("Entries skipped because they are not offers (organizations, categories): {n}."
                            ).format(n=outcome.not_services)
        return text + ("\n" + detail_words(outcome.notes) if outcome.notes else "")
    why = _(_FAILURE_WORDS.get(outcome.kind, _UNEXPECTED))
    if outcome.kind != syncjob.BUSY:
        why += " " + _("The previous catalogue stays.")
    detail = f"{outcome.source}: {outcome.detail}" if outcome.source and outcome.detail else outcome.detail
    return why + ("\n" + detail_words(detail) if detail else "")


def detail_words(detail: str) -> str:
    """A technical detail (English, from the sync or an engine) set apart from the sentence."""
    return _("Details for the operator: {detail}").format(detail=syncjob.shorten(detail))


def update_words(last_success: str, now: datetime) -> str:
    """ "Last update: 11.03.2025 10:30 (today)" by calendar days here, not by 24-hour periods."""
    when = _local_time(last_success)
    try:
        then = datetime.fromisoformat(last_success)
    except ValueError:
        return _("Last update: {when}").format(when=when)
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    days = (now.astimezone(TZ).date() - then.astimezone(TZ).date()).days
    if days <= 0:
        return _("Last update: {when} (today)").format(when=when)
    if days == 1:
        return _("Last update: {when} (yesterday)").format(when=when)
    return ngettext("Last update: {when} ({days} day ago)", "Last update: {when} ({days} days ago)",
                    days).format(when=when, days=days)


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
            kiosk_of(self.app).leave_kiosk()
        else:
            self.dismiss()

    def action_stay(self) -> None:
        self.dismiss()
