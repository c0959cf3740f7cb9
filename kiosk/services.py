"""The narrow interfaces of the kiosk's services: voice, printer and QR code.

Screens talk only to these protocols. The `No*` implementations are what a kiosk without the
device has: `available` is False and the screens then say in words that the service is not
available here, instead of failing or pretending to succeed. Real engines (espeak-ng, CUPS,
ESC/POS, qrcode) implement the same protocols in their own modules and are passed to `make_app`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from sync.offers import Offer


class ServiceError(Exception):
    """A service could not do what was asked; the message is shown to the volunteer as is."""


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
    """Reads text aloud. `say` must not block the UI for the length of the utterance."""

    @property
    def available(self) -> bool: ...

    def say(self, text: str, language: str) -> None:
        """Start speaking `text` (language code like "de"), stopping whatever was being said."""

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """Like `say`, for (text, language) parts spoken one after another, each in its own voice."""

    def stop(self) -> None:
        """Stop speaking at once (idle reset, leaving a screen)."""


@runtime_checkable
class Printer(Protocol):
    """Prints slips to take home; calls may block (lp, a device): screens call it from a worker.

    The printer keeps taps idempotent (`kiosk.printing.PrintGuard`): a repeat of the same request
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
    """Turns an offer into a QR code matrix (True = dark module), or None if it has nothing to link."""

    @property
    def available(self) -> bool: ...

    def matrix(self, offer: Offer) -> list[list[bool]] | None: ...


class NoSpeech:
    """A kiosk without a voice: the read-aloud button explains that."""

    available = False

    def say(self, text: str, language: str) -> None:
        raise ServiceError("no speech engine configured")

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        raise ServiceError("no speech engine configured")

    def stop(self) -> None:
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
    """A kiosk that cannot draw QR codes yet."""

    available = False

    def matrix(self, offer: Offer) -> list[list[bool]] | None:
        return None
