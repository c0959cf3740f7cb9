"""The narrow interfaces of the kiosk's services: voice, printer and QR code.

Screens talk only to these protocols, and each protocol declares everything the app uses of its
service: the app never probes an engine for what it might have. The `No*` implementations are
what a kiosk without the device has: `available` is False and the screens then say in words that
the service is not available here, instead of failing or pretending to succeed. Real engines
(`kiosk.speech`: espeak-ng, pyttsx3; `kiosk.takeaway`: CUPS, ESC/POS, qrcode) implement the same
protocols and are passed to `make_app`.

Speech failures carry a reason code (`SpeechProblem.code`): the app words them for the visitor by
the code, never by parsing the engine's English sentence, which is kept for the log and the operator.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol, Self, runtime_checkable

if TYPE_CHECKING:
    from sync.offers import Offer

    from .config import SpeechSettings
    from .speech.proc import Segment
    from .takeaway.codes import QrCode


class ServiceError(Exception):
    """A service could not do what was asked; the message is shown to the volunteer as is."""


# Why speech cannot speak, or did not: the backend is switched off ("off"); the speech program is
# missing ("no_engine", `subject` names it); no voice for a language ("no_voice", `subject` is the
# language code); the sound output failed ("no_sound"); an utterance ran far too long and was
# stopped ("too_long"); the engine failed otherwise ("process_failed": exit status, cannot start).
SpeechReason = Literal["off", "no_engine", "no_voice", "no_sound", "too_long", "process_failed"]


class SpeechProblem(str):
    """A speech engine's problem: reads as its English sentence (for the log, `kiosk doctor` and the
    volunteer's details), and carries `code` (a `SpeechReason`) and `subject` for the app to word."""

    code: SpeechReason
    subject: str

    def __new__(cls, text: str, code: SpeechReason = "process_failed", subject: str = "") -> Self:
        problem = super().__new__(cls, text)
        problem.code, problem.subject = code, subject
        return problem

    @classmethod
    def of(cls, error: BaseException) -> SpeechProblem:
        """The problem a failed call raised (`SpeechError`), or an unexpected error as process_failed."""
        if isinstance(error, SpeechError):
            return error.problem
        return cls(str(error) or type(error).__name__, "process_failed")


class SpeechError(ServiceError):
    """Speech could not start: the engine, a voice or the sound is missing; `problem` says which."""

    def __init__(self, problem: SpeechProblem) -> None:
        super().__init__(problem)
        self.problem = problem


SpeechProblemHandler = Callable[[SpeechProblem], None]


@dataclass(frozen=True)
class PrinterFailure:
    """The last thing that went wrong at the printer, in words, for the volunteer menu and the log.

    Never shown to a visitor: it may name a device path or an errno; a visitor gets plain words.
    """

    when: datetime
    printer: str  # e.g. "CUPS kiosk" or "ESC/POS usb:04b8:0202 (CP858)"
    reason: str


@runtime_checkable
class Speech(Protocol):
    """Reads text aloud. `say` must not block the UI for the length of the utterance.

    The engine reports from its own threads: `on_error` with the problem of an utterance that
    failed after `say` returned, `on_done` when an utterance has ended (the Read-aloud button
    shows "Stop" no more). Both are set by the app and cleared when it closes.
    """

    settings: SpeechSettings  # rate and volume; speech mode replaces it for one visit
    on_error: SpeechProblemHandler | None
    on_done: Callable[[], None] | None

    @property
    def available(self) -> bool: ...

    @property
    def unavailable_reason(self) -> SpeechProblem | None:
        """Why `available` is False (None while it is True)."""

    @property
    def speaking(self) -> bool:
        """True while an utterance runs."""

    @property
    def last_error(self) -> SpeechProblem | None:
        """The problem of the last utterance that ran to its end; None when it went well."""

    @property
    def last_utterance(self) -> tuple[Segment, ...]:
        """What the last utterance said (or is saying): its normalised text and voice per segment."""

    def say(self, text: str, language: str) -> None:
        """Start speaking `text` (language code like "de"), stopping whatever was being said."""

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """Like `say`, for (text, language) parts spoken one after another, each in its own voice.

        Raises SpeechError (and speaks nothing) when the engine or any part's voice is missing."""

    def missing_voice_reason(self, language: str) -> SpeechProblem | None:
        """None if `language` can be spoken, else why not. May block (listing voices): a worker asks."""

    def check_audio(self) -> SpeechProblem | None:
        """Play a moment of silence through the real output: None if that worked. Blocking."""

    def stop(self) -> None:
        """Stop speaking at once (idle reset, leaving a screen)."""

    def close(self) -> None:
        """Stop for good: the kiosk is closing, no voice may outlive it."""


@runtime_checkable
class Printer(Protocol):
    """Prints slips to take home; calls may block (lp, a device): screens call it from a worker.

    The printer keeps taps idempotent (`kiosk.takeaway.printing.PrintGuard`): a repeat of the same request
    while it prints or seconds after returns False without printing. True: the job was sent.
    """

    @property
    def available(self) -> bool: ...

    def print_offer(self, offer: Offer, language: str) -> bool:
        """Print one offer's slip; raises ServiceError with a reason in words."""

    def print_offers(self, offers: Sequence[Offer], language: str) -> bool:
        """Print several offers as ONE job, a slip each (a volunteer's list); raises ServiceError."""

    def print_list(self, offers: Sequence[Offer], language: str) -> bool:
        """Print a visitor's list as ONE slip, every offer with its own code; raises ServiceError."""

    @property
    def last_error(self) -> PrinterFailure | None:
        """The last failure (kept for the volunteer menu), or None."""

    def test_page(self) -> bool:
        """Print a short test page for the volunteer; raises ServiceError."""


@runtime_checkable
class QrCodes(Protocol):
    """Turns an offer into QR codes (`kiosk.takeaway.codes.QrCode`: data, kind, modules, words)."""

    @property
    def available(self) -> bool: ...

    def code(self, offer: Offer) -> QrCode | None:
        """The offer's code of the configured kind (or the next that has data); None: nothing to link."""

    def codes(self, offer: Offer) -> list[QrCode]:
        """Every code the offer has, best first: the screen shows the first that fits."""

    def list_code(self, offers: Sequence[Offer], heading: str = "") -> QrCode:
        """One code holding a visitor's whole list as text."""

    def matrix(self, offer: Offer) -> list[list[bool]] | None:
        """The modules of `code(offer)` (True = dark), or None if it has nothing to link."""


class NoSpeech:
    """A kiosk without a voice ([speech] backend = "none"): the read-aloud button explains that."""

    available = False
    speaking = False
    last_error: SpeechProblem | None = None
    last_utterance: tuple[Segment, ...] = ()
    unavailable_reason = SpeechProblem("no speech engine configured", "off")

    def __init__(self) -> None:
        from .config import SpeechSettings

        self.settings = SpeechSettings(backend="none")
        self.on_error: SpeechProblemHandler | None = None
        self.on_done: Callable[[], None] | None = None

    def say(self, text: str, language: str) -> None:
        raise SpeechError(self.unavailable_reason)

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        raise SpeechError(self.unavailable_reason)

    def missing_voice_reason(self, language: str) -> SpeechProblem | None:
        return self.unavailable_reason

    def check_audio(self) -> SpeechProblem | None:
        return self.unavailable_reason

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class NoPrinter:
    """A kiosk without a printer: the print button explains that."""

    available = False

    def print_offer(self, offer: Offer, language: str) -> bool:
        raise ServiceError("no printer configured")

    def print_offers(self, offers: Sequence[Offer], language: str) -> bool:
        raise ServiceError("no printer configured")

    def print_list(self, offers: Sequence[Offer], language: str) -> bool:
        raise ServiceError("no printer configured")

    last_error: PrinterFailure | None = None

    def test_page(self) -> bool:
        raise ServiceError("no printer configured")


class NoQrCodes:
    """A kiosk that cannot draw QR codes."""

    available = False

    def code(self, offer: Offer) -> QrCode | None:
        return None

    def codes(self, offer: Offer) -> list[QrCode]:
        return []

    def list_code(self, offers: Sequence[Offer], heading: str = "") -> QrCode:
        raise ServiceError("no QR codes here")

    def matrix(self, offer: Offer) -> list[list[bool]] | None:
        return None
