"""Exceptions of the offline catalogue.

    SyncError
     ├── FeedError            the feed could not be fetched or was rejected as a whole (exit 1)
     │    ├── FeedUnreachable  connection, DNS, timeout, deadline, HTTP status, body cut off
     │    └── FeedRejected     not JSON, not HSDS, pagination that contradicts itself, or far fewer
     │                         offers than before
     │                         (a body cut off in transfer is FeedUnreachable; a truncated file, FeedRejected)
     ├── StoreError           the local SQLite file could not be written (disk full, locked, corrupt)
     └── SyncBusy             another sync of the same catalogue is running

Every message of these errors can carry outside text: a URL, an HTTP reason phrase, a parser's quote
of feed bytes, a record's id. It is cleaned here, once, when the error is made (`clean_message`), so
what is stored as `last_error`, printed by `kiosk-sync` or shown in the volunteer menu never holds a
terminal escape sequence, a control character or a bidi override.
"""
from __future__ import annotations

import re

from .text import clean_text

#: Longer messages are cut (a parser may quote a whole line of a feed).
MAX_MESSAGE = 2000
_SPACES = re.compile(r"\s*\n\s*|\t")


def clean_message(value: object, limit: int = MAX_MESSAGE) -> str:
    """`value` as one line of plain text: no control, escape or direction characters, at most `limit`."""
    text = _SPACES.sub(" ", clean_text(str(value)))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SyncError(Exception):
    """Base of every error the catalogue reports to an operator in words."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(clean_message(a) if isinstance(a, str) else a for a in args))


class FeedError(SyncError):
    """The feed at `source` could not be used; the last good catalogue is kept."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = clean_message(source)
        self.reason = clean_message(reason)
        super().__init__(f"{self.source}: {self.reason}")

    def __reduce__(self):  # keeps the two-argument form picklable
        return (type(self), (self.source, self.reason))


class FeedUnreachable(FeedError):
    """The feed did not answer in time or answered with an HTTP error."""


class FeedRejected(FeedError):
    """The feed answered, but what it sent cannot be a catalogue."""


class StoreError(SyncError):
    """The local catalogue file could not be written or read."""


class SyncBusy(SyncError):
    """Another sync holds the catalogue's lock; nothing was changed."""
