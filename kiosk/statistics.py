"""Anonymous counts of searches that found nothing: the folded words and the day, nothing else.

The catalogue reports a miss through its one hook, `Catalogue(path, on_miss=...)`, with the
normalised query text only, once per typing run; `MissCounter` is that hook. It keeps no time
finer than the day, nothing about the visitor and no order of arrival (the table has no row ids),
so a count cannot be tied to a person standing at the kiosk.

Deliberately minimal: the statistics issue decides what else is counted and how counts are read
out. No Textual here.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from .config import StatisticsSettings

MAX_TEXT = 120  # characters of one query kept; the search reads fewer words anyway

_SCHEMA = ("CREATE TABLE IF NOT EXISTS search_misses (day TEXT NOT NULL, query TEXT NOT NULL, "
           "count INTEGER NOT NULL, PRIMARY KEY (day, query)) WITHOUT ROWID")
_COUNT = ("INSERT INTO search_misses (day, query, count) VALUES (?, ?, 1) "
          "ON CONFLICT (day, query) DO UPDATE SET count = count + 1")


def _today() -> date:
    from sync.hours import TZ  # dateutil and babel with it: not before the first count

    return datetime.now(TZ).date()


class MissCounter:
    """Counts searches that found nothing per day: in memory, or in a SQLite file when given a path.

    Called from search worker threads and from the UI thread alike. If the file cannot be written
    (read-only disk, full disk), the count is kept in memory instead: statistics never break the kiosk.
    """

    def __init__(self, path: Path | None = None, *, today: Callable[[], date] = _today) -> None:
        self.path = Path(path) if path is not None else None
        self._today = today
        self._memory: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def __call__(self, query: str) -> None:
        text = " ".join(str(query).split())[:MAX_TEXT]
        if not text:
            return
        day = self._today().isoformat()
        with self._lock:
            if self.path is not None:
                try:
                    self._write(day, text)
                    return
                except (sqlite3.Error, OSError):
                    pass
            self._memory[(day, text)] += 1

    def _write(self, day: str, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        conn = sqlite3.connect(self.path, timeout=2)
        try:
            with conn:
                conn.execute(_SCHEMA)
                conn.execute(_COUNT, (day, text))
        finally:
            conn.close()

    def counts(self, day: date | None = None) -> dict[str, int]:
        """Misses of one day (default: today) by query text, from the file and from memory."""
        key = (day or self._today()).isoformat()
        out: Counter[str] = Counter()
        with self._lock:
            if self.path is not None and self.path.is_file():
                try:
                    conn = sqlite3.connect(self.path, timeout=2)
                    try:
                        conn.execute(_SCHEMA)
                        out.update(dict(conn.execute(
                            "SELECT query, count FROM search_misses WHERE day = ?", (key,))))
                    finally:
                        conn.close()
                except sqlite3.Error:
                    pass
            for (d, text), n in self._memory.items():
                if d == key:
                    out[text] += n
        return dict(out)


def miss_counter(settings: StatisticsSettings) -> MissCounter | None:
    """The counter for the catalogue's `on_miss` hook, or None when statistics are switched off."""
    return MissCounter(settings.path) if settings.enabled else None
