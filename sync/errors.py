"""Exceptions of the offline catalogue.

    SyncError
     ├── FeedError            the feed could not be fetched or was rejected as a whole (exit 1)
     │    ├── FeedUnreachable  connection, DNS, timeout, deadline, HTTP status, body cut off
     │    └── FeedRejected     not JSON, not HSDS, or far fewer offers than before
     │                         (a body cut off in transfer is FeedUnreachable; a truncated file, FeedRejected)
     ├── StoreError           the local SQLite file could not be written (disk full, locked, corrupt)
     └── SyncBusy             another sync of the same catalogue is running
"""
from __future__ import annotations


class SyncError(Exception):
    """Base of every error the catalogue reports to an operator in words."""


class FeedError(SyncError):
    """The feed at `source` could not be used; the last good catalogue is kept."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class FeedUnreachable(FeedError):
    """The feed did not answer in time or answered with an HTTP error."""


class FeedRejected(FeedError):
    """The feed answered, but what it sent cannot be a catalogue."""


class StoreError(SyncError):
    """The local catalogue file could not be written or read."""


class SyncBusy(SyncError):
    """Another sync holds the catalogue's lock; nothing was changed."""
