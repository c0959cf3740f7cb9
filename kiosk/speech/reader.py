"""The read-aloud controller: what the kiosk says, in which voices, and what it tells when it cannot.

One `ReadAloud` lives on the app (`app.read_aloud`); the app's `say`, `say_parts`, `stop_speaking`
and `speaking` hand over to it. Choosing the voices may block (the first listing of espeak-ng's
voices, pyttsx3 starting), so a worker thread does it and then starts the engine; every say and
stop takes a new turn, so a worker that was still choosing voices when the visitor moved on
speaks no more. The engine reports from its own threads (`on_error`, `on_done`); those reports
hop to the UI thread before anything is shown.

A problem is worded for the visitor by its reason code (`SpeechProblem.code`), never by reading
the engine's English sentence: `problem_words`.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from .. import i18n
from ..services import SpeechProblem

if TYPE_CHECKING:
    from ..app import KioskApp

Problem = tuple[str, SpeechProblem]  # ("partly" | "missing" | "failed", the problem)


class ReadAloud:
    """Reading aloud for one kiosk: turns, the voice check in a worker, the engine's reports."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._turn = 0
        self._told_no_voice: set[str] = set()  # languages whose missing voice this visitor was told of
        self._pending = False  # a worker is about to start speaking
        speech = app.speech
        speech.on_done = lambda: self._from_speech_thread(app.refresh_read_buttons)
        speech.on_error = lambda problem: self._from_speech_thread(self.failed, problem)

    def say(self, text: str) -> None:
        """Read `text` aloud in the current language, or say why that is not possible here."""
        self.say_parts([(text, i18n.current_language())])

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """Read (text, language) parts aloud one after another, each in its own voice, replacing
        what was being said; or say in the title bar why not. Returns at once: a worker chooses
        the voices.

        A part whose language has no voice is left out, never read in a wrong voice, and the
        title bar says so; the rest is still read (German catalogue text in German).
        """
        speech = self.app.speech
        if not speech.available:
            problem = speech.unavailable_reason
            self.app.tell(i18n._("Reading aloud is not available here: {reason}").format(reason=problem_words(problem))
                          if problem is not None and problem.code != "off"
                          else i18n._("Reading aloud is not available here."), speak=False)
            return
        with self._lock:
            self._turn += 1
            turn = self._turn
            self._pending = True
        self.app.refresh_read_buttons()
        self.app.run_worker(lambda: self._speak(list(parts), turn), thread=True, group="speech",
                            exit_on_error=False)

    def _speak(self, parts: list[tuple[str, str]], turn: int) -> None:
        """On a worker thread: leave out the parts without a voice, then start the engine."""
        speech = self.app.speech
        missing: dict[str, SpeechProblem | None] = {}
        problem: Problem | None = None
        try:
            for language in dict.fromkeys(language for _text, language in parts):
                missing[language] = speech.missing_voice_reason(language)
            kept = [(text, language) for text, language in parts if not missing[language]]
            with self._lock:
                if turn != self._turn:
                    return  # stopped or replaced while the voices were chosen
                self._pending = False
                if kept:
                    speech.say_parts(kept)
        except Exception as exc:  # noqa: BLE001 - speech must never take the kiosk down
            problem = ("failed", SpeechProblem.of(exc))
        finally:
            with self._lock:
                if turn == self._turn:
                    self._pending = False
        gaps = [(language, reason) for language, reason in missing.items() if reason]
        if problem is None and gaps:
            problem = ("partly" if len(gaps) < len(missing) else "missing", gaps[0][1])
            if problem[0] == "partly" and {language for language, _r in gaps} <= self._told_no_voice:
                problem = None  # said once to this visitor; the rest is being read
            self._told_no_voice |= {language for language, _r in gaps}
        self._from_speech_thread(self._started, problem, {language for language, _r in gaps})

    def _started(self, problem: Problem | None, silent: Collection[str] = ()) -> None:
        app = self.app
        if i18n.current_language() in silent:
            # The kiosk's own words have no voice: in speech mode a first tap would only speak a
            # label that cannot be spoken (a tap lost for nothing). Speech mode ends; what has a
            # voice (German catalogue text) is still read, and the corner button reads it again.
            app.speech_mode.failed()
        app.refresh_read_buttons()
        if problem is None:
            return
        kind, reason = problem
        if kind == "partly":
            app.tell(i18n._("Part of this is not read aloud: {reason}.").format(reason=problem_words(reason)),
                     speak=False)
        elif kind == "missing":
            app.speech_mode.failed()
            app.tell(i18n._("Reading aloud is not available here: {reason}").format(reason=problem_words(reason)),
                     speak=False)
        else:
            self.failed(reason)

    def failed(self, problem: SpeechProblem) -> None:
        """The engine gave up (no sound device, no voice, too long): say so; stop showing "Stop".
        Speech mode ends: without a voice, a tap that only speaks would do nothing at all."""
        self.app.speech_mode.failed()
        self.app.refresh_read_buttons()
        self.app.tell(i18n._("Reading aloud did not work: {reason}").format(reason=problem_words(problem)), "error",
                      speak=False)

    def stop(self) -> None:
        """Stop reading aloud now (navigation, the button pressed again, idle reset)."""
        with self._lock:
            self._turn += 1
            self._pending = False
            self.app.speech.stop()
        self.app.refresh_read_buttons()

    @property
    def speaking(self) -> bool:
        """Reading aloud now, or about to: the Read-aloud button then shows "Stop"."""
        return self._pending or self.app.speech.speaking

    def forget_visitor(self) -> None:
        """The idle reset: the next visitor is told again which language has no voice."""
        self._told_no_voice.clear()

    def close(self) -> None:
        """The app is closing: no voice outlives the kiosk, no engine thread calls into a closed app."""
        speech = self.app.speech
        speech.on_done = speech.on_error = None
        speech.close()

    def _from_speech_thread(self, callback: Callable[..., object], *args: object) -> None:
        """Run `callback` on the UI thread; the speech engine calls from its own threads."""
        if not self.app.is_running:
            return
        try:
            self.app.call_from_thread(callback, *args)
        except Exception:  # noqa: BLE001, S110 - the app is closing: nothing left to show
            pass


def problem_words(problem: SpeechProblem | None) -> str:
    """A speech problem in the visitor's language, worded by its reason code."""
    if problem is None:
        return ""
    match problem.code:
        case "no_engine":
            return i18n._("the speech program {name} is not installed").format(name=problem.subject)
        case "no_voice":
            return i18n._("there is no voice for {language}").format(language=_language_in_ui(problem.subject))
        case "no_sound":
            return i18n._("the sound output does not work")
        case "too_long":
            return i18n._("speaking took far too long and was stopped")
    return str(problem).strip()  # process_failed, off: the engine's own words, as before


def _language_in_ui(code: str) -> str:
    """ "en" -> "Englisch" in a German UI."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(i18n.current_language()) or code
    except (UnknownLocaleError, ValueError, TypeError):
        return code
