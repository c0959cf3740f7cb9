"""A visitor's own list: the offers chosen to take home during one visit.

It lives only in memory on the app (`KioskApp.my_list`) and is forgotten at the idle reset and
at "Done": nothing about a person is ever written to disk. It holds offer ids, not offers, so the
screens always show what the catalogue says now.
"""
from __future__ import annotations

from collections.abc import Iterator

LIMIT = 8  # more than a visitor takes home from one visit; a slip and the list screen stay short


class MyList:
    """Offer ids in the order they were chosen, at most `limit`; `version` changes with every change."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._ids: list[str] = []
        self.version = 0  # screens compare it to know whether to show the list again

    def __contains__(self, offer_id: object) -> bool:
        return offer_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._ids))

    @property
    def full(self) -> bool:
        return len(self._ids) >= self.limit

    def add(self, offer_id: str) -> bool:
        """Put an offer on the list: True if it is on it now, False if the list is full."""
        if offer_id in self._ids:
            return True
        if self.full:
            return False
        self._ids.append(offer_id)
        self.version += 1
        return True

    def remove(self, offer_id: str) -> None:
        if offer_id in self._ids:
            self._ids.remove(offer_id)
            self.version += 1

    def clear(self) -> None:
        """Forget the whole list (idle reset, "Done")."""
        if self._ids:
            self._ids.clear()
            self.version += 1
