"""The central catalogue with the place's own programme beside it, read as one.

`WithProgramme` answers the questions screens and the finder ask a `sync.catalogue.Catalogue`
(offer, summaries, find, search, at_locations …) from both files: the programme's offers come first
in a search and count as offers "here at this place"; everything else (needs, categories, towns,
status) is the central catalogue's. The programme file is looked at again on each question (a stat),
so an entry added with `kiosk-sync local` or in the volunteer menu shows without a restart.
"""
from __future__ import annotations

import dataclasses
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.errors import SyncError

if TYPE_CHECKING:  # loaded with the first question to the catalogue, after Home is drawn (issue 13)
    from sync.catalogue import Catalogue, Found
    from sync.offers import Offer, OfferSummary


class WithProgramme:
    """A catalogue plus the programme file `programme_db` (which may come and go)."""

    def __init__(self, catalogue: Catalogue, programme_db: Path) -> None:
        self.main = catalogue
        self.programme_db = Path(programme_db)
        self._local: Catalogue | None = None
        self._local_key: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.main, name)

    def __enter__(self) -> WithProgramme:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._local is not None:
                self._local.close()
                self._local = None
        self.main.close()

    def programme(self) -> Catalogue | None:
        """The programme's catalogue as it is now, or None (no programme, or it cannot be read)."""
        try:
            st = os.stat(self.programme_db)
            key = (st.st_ino, st.st_dev)
        except OSError:
            key = None
        with self._lock:
            if key != self._local_key:
                if self._local is not None:
                    self._local.close()
                self._local, self._local_key = None, key
                if key is not None:
                    from sync.catalogue import Catalogue

                    try:
                        self._local = Catalogue(self.programme_db)
                    except (SyncError, sqlite3.Error, OSError):
                        self._local_key = None  # try again next time
            return self._local

    def _local_call(self, call, default):
        local = self.programme()
        if local is None:
            return default
        try:
            return call(local)
        except (SyncError, sqlite3.Error, OSError):
            return default  # a broken programme never hides the catalogue

    # -- the questions that involve the programme -------------------------------------------------

    def programme_offers(self) -> list[OfferSummary]:
        return self._local_call(lambda c: c.all_offers(), [])

    def offer(self, offer_id: str) -> Offer | None:
        found = self.main.offer(offer_id)
        if found is None:
            found = self._local_call(lambda c: c.offer(offer_id), None)
        return found

    def summaries(self, ids: Sequence[str]) -> list[OfferSummary]:
        ids = list(ids)
        by_id = {s.id: s for s in self.main.summaries(ids)}
        missing = [i for i in ids if i not in by_id]
        if missing:
            by_id.update({s.id: s for s in self._local_call(lambda c: c.summaries(missing), [])})
        return [by_id[i] for i in ids if i in by_id]

    def find(self, text: str, *, limit: int = 50, **options: Any) -> Found:
        """Both files searched alike (`options`, e.g. the visitor's `language`, go to both)."""
        found = self.main.find(text, limit=limit, **options)
        local = self._local_call(lambda c: c.find(text, limit=limit, **options).offers, [])
        if not local:
            return found
        ids = {s.id for s in local}
        return dataclasses.replace(found, offers=(local + [s for s in found.offers if s.id not in ids])[:limit])

    def search(self, text: str, *, limit: int = 50, **options: Any) -> list[OfferSummary]:
        return self.find(text, limit=limit, **options).offers

    def at_locations(self, names: Iterable[str], *, limit: int | None = None) -> list[OfferSummary]:
        local = self.programme_offers()
        ids = {s.id for s in local}
        out = local + [s for s in self.main.at_locations(names, limit=limit) if s.id not in ids]
        return out if limit is None else out[:limit]
