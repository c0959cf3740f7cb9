"""The anonymous picture of needs: per-day counts of what visitors did, and nothing about a person.

What is counted (each at most once per visit, so a count is "visits in which this happened"):
visits, needs and audiences opened, offers viewed, shown as QR, printed or put on a visitor's list,
UI languages and the speech mode used, and searches (how many, how many found nothing, and the
search words themselves only under the k rule below).

How it stays anonymous:

* No time finer than the day, no order: a visit's events are a set in memory and are added to the
  day's totals in one transaction when the visit ends (idle reset, day change, kiosk closed). The
  table has no row ids and is keyed by (day, kind, key), so the file holds sums, never a sequence.
* Only whole search texts the visitor acted on: `searched()` is called by the search screen when a
  text is submitted, led to a tap, or was left with nothing found; never per keystroke.
* The k rule: a search text reaches the disk only once the same normalised text was searched in at
  least k different visits that day at this kiosk. Until then the kiosk holds, in memory only, a
  keyed hash of it: HMAC-SHA256 with a random key made for this kiosk and this day, which is never
  written anywhere. A plain hash of "anna 0171..." could be reversed by trying names and numbers; a
  keyed hash without its key cannot, and the key and the hashes are gone at midnight or on a
  restart. Below k only a count of "searches" remains, never the words.
* The file is written with `secure_delete` (freed pages are zeroed) and a rollback journal that is
  deleted after each commit, not a WAL that would keep old page images in write order.

A file that cannot be written (read-only or full disk) never breaks the kiosk: the totals are kept in
memory and written with the next visit. No Textual here.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sync.text import fold

if TYPE_CHECKING:
    from .config import StatisticsSettings

#: Kinds of counts; a count's key is a need key, audience key, offer id, language code or "".
KINDS = frozenset({
    "visit", "need", "audience", "offer_viewed", "offer_qr", "offer_printed", "offer_listed",
    "language", "speech", "search", "search_nothing", "search_term", "search_term_nothing",
})
#: Kinds a screen may count with `count()` (the others are counted here).
EVENT_KINDS = frozenset({"need", "audience", "offer_viewed", "offer_qr", "offer_printed", "offer_listed",
                         "language", "speech"})
MAX_TERM_WORDS = 6   # words of one search text kept (the search reads few anyway)
MAX_TERM_CHARS = 60
MAX_KEY_CHARS = 200  # an offer id or need key longer than this is cut
DEFAULT_K = 5

_WORD = re.compile(r"[^\W_]+")
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counts (day TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (day, kind, key)) WITHOUT ROWID",
    # Day reports waiting to be sent, and sent ones (kept for a while so a day is never built twice).
    "CREATE TABLE IF NOT EXISTS outbox (day TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL, body TEXT NOT NULL, "
    "attempts INTEGER NOT NULL DEFAULT 0, next_try TEXT, sent_at TEXT, last_error TEXT) WITHOUT ROWID",
)
_ADD = ("INSERT INTO counts (day, kind, key, n) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (day, kind, key) DO UPDATE SET n = n + excluded.n")


def _today() -> date:
    from sync.hours import TZ  # dateutil and babel with it: not before the first count

    return datetime.now(TZ).date()


def normalise_term(text: str) -> str:
    """A search text as it is counted: words folded as the search folds them (lower case, ä→a, ß→ss), cut."""
    words = _WORD.findall(fold(str(text)))[:MAX_TERM_WORDS]
    return " ".join(words)[:MAX_TERM_CHARS].strip()


def connect(path: Path) -> sqlite3.Connection:
    """The statistics file, made if missing, with the settings that keep deleted text off the disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=5, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError(f"cannot switch {path} to a rollback journal (mode {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        for statement in _SCHEMA:
            conn.execute(statement)
        # Earlier versions kept raw search texts in this table: gone, and its pages zeroed.
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_misses'").fetchone():
            conn.execute("DROP TABLE search_misses")
            conn.execute("VACUUM")
    except BaseException:
        conn.close()
        raise
    return conn


@dataclass
class _Visit:
    events: set[tuple[str, str]] = field(default_factory=set)
    searches: dict[str, bool] = field(default_factory=dict)  # term -> found anything (the last time)


class Statistics:
    """Counts of one kiosk, per day; `path` None keeps them in memory only (tests, a read-only box).

    Called from the UI thread and from worker threads alike (one lock). Every method swallows its
    own file errors: statistics never break the kiosk.
    """

    def __init__(self, path: Path | None = None, *, k: int = DEFAULT_K,
                 today: Callable[[], date] = _today) -> None:
        self.path = Path(path) if path is not None else None
        self.k = max(1, int(k))
        self._today = today
        self._lock = threading.Lock()
        self._visit = _Visit()
        self._unwritten: Counter[tuple[str, str, str]] = Counter()  # (day, kind, key) not yet on disk
        # The k rule, in memory only: this day's random key and the hashed texts with their counts.
        self._key_day: date | None = None
        self._key = b""
        self._pending: dict[bytes, list[int]] = {}  # digest -> [visits, visits that found nothing]
        self.last_error: str | None = None

    # -- counting (during a visit) --------------------------------------------------------------

    def count(self, kind: str, key: str = "") -> None:
        """Note that this visit did `kind` (e.g. "need", "offer_viewed") with `key`; once per visit."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown count kind {kind!r}; known: {', '.join(sorted(EVENT_KINDS))}")
        with self._lock:
            self._visit.events.add((kind, str(key)[:MAX_KEY_CHARS]))

    def searched(self, text: str, found: bool) -> None:
        """A search text the visitor acted on (submitted, tapped a result, or left with nothing found)."""
        term = normalise_term(text)
        if term:
            with self._lock:
                self._visit.searches[term] = found

    @property
    def visit_active(self) -> bool:
        with self._lock:
            return bool(self._visit.events or self._visit.searches)

    def end_visit(self, language: str | None = None) -> None:
        """The visitor has gone (idle reset, kiosk closed): add the visit to the day's totals.

        `language` is the language the visit was in when no other was chosen (the default one).
        A visit that did nothing is not counted.
        """
        with self._lock:
            visit, self._visit = self._visit, _Visit()
            if not (visit.events or visit.searches):
                return
            day = self._today()
            iso = day.isoformat()
            add = self._unwritten
            add[(iso, "visit", "")] += 1
            events = set(visit.events)
            if language and not any(kind == "language" for kind, _key in events):
                events.add(("language", language))
            for kind, key in events:
                add[(iso, kind, key)] += 1
            for term, found in visit.searches.items():
                add[(iso, "search", "")] += 1
                if not found:
                    add[(iso, "search_nothing", "")] += 1
                self._apply_k_rule(day, term, found)
            self._write()

    def _apply_k_rule(self, day: date, term: str, found: bool) -> None:
        if self._key_day != day:
            self._key_day, self._key, self._pending = day, secrets.token_bytes(32), {}
            for known in self._terms_on_disk(day):  # already public today: keep counting them
                self._pending[self._digest(known)] = [self.k, 0]
        digest = self._digest(term)
        seen = self._pending.setdefault(digest, [0, 0])
        seen[0] += 1
        seen[1] += 0 if found else 1
        iso = day.isoformat()
        if seen[0] == self.k:  # now k visits searched it: the words may be kept, with all k counts
            self._unwritten[(iso, "search_term", term)] += seen[0]
            if seen[1]:
                self._unwritten[(iso, "search_term_nothing", term)] += seen[1]
        elif seen[0] > self.k:
            self._unwritten[(iso, "search_term", term)] += 1
            if not found:
                self._unwritten[(iso, "search_term_nothing", term)] += 1

    def _digest(self, term: str) -> bytes:
        return hmac.new(self._key, term.encode("utf-8"), hashlib.sha256).digest()

    def _terms_on_disk(self, day: date) -> list[str]:
        if self.path is None or not self.path.is_file():
            return [key for (d, kind, key) in self._unwritten if d == day.isoformat() and kind == "search_term"]
        try:
            conn = connect(self.path)
            try:
                return [r[0] for r in conn.execute(
                    "SELECT key FROM counts WHERE day = ? AND kind = 'search_term'", (day.isoformat(),))]
            finally:
                conn.close()
        except (sqlite3.Error, OSError):
            return []

    def _write(self) -> None:
        """Add the unwritten totals to the file in one transaction (or keep them for next time)."""
        if self.path is None or not self._unwritten:
            return
        rows = [(d, kind, key, n) for (d, kind, key), n in self._unwritten.items()]
        try:
            conn = connect(self.path)
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(_ADD, rows)
                conn.execute("COMMIT")
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            self.last_error = f"{self.path}: {exc}"
            return
        self._unwritten.clear()
        self.last_error = None

    def close(self, language: str | None = None) -> None:
        """End the visit under way and write what is left."""
        self.end_visit(language)
        with self._lock:
            self._write()

    # -- reading --------------------------------------------------------------------------------

    def totals(self, day: date) -> Counter[tuple[str, str]]:
        """(kind, key) -> count for one day, from the file and from what is not written yet."""
        return self.totals_between(day, day).get(day.isoformat(), Counter())

    def totals_between(self, first: date, last: date) -> dict[str, Counter[tuple[str, str]]]:
        """Day (ISO) -> (kind, key) -> count, for the days first..last."""
        out: dict[str, Counter[tuple[str, str]]] = {}
        lo, hi = first.isoformat(), last.isoformat()
        with self._lock:
            if self.path is not None and self.path.is_file():
                try:
                    conn = connect(self.path)
                    try:
                        for d, kind, key, n in conn.execute(
                                "SELECT day, kind, key, n FROM counts WHERE day BETWEEN ? AND ?", (lo, hi)):
                            out.setdefault(d, Counter())[(kind, key)] += n
                    finally:
                        conn.close()
                except (sqlite3.Error, OSError) as exc:
                    self.last_error = f"{self.path}: {exc}"
            for (d, kind, key), n in self._unwritten.items():
                if lo <= d <= hi:
                    out.setdefault(d, Counter())[(kind, key)] += n
        return out

    def daily(self, kind: str, days: int = 30) -> list[tuple[date, int]]:
        """Totals of one kind (all keys) for the last `days` days, oldest first (for a small chart)."""
        last = self._today()
        first = last - timedelta(days=days - 1)
        by_day = self.totals_between(first, last)
        return [(first + timedelta(i), sum(n for (k, _key), n in by_day.get((first + timedelta(i)).isoformat(),
                                                                              Counter()).items() if k == kind))
                for i in range(days)]


def day_summary(totals: Counter[tuple[str, str]]) -> dict:
    """One day's counts as the JSON object of a report (see README, "Usage counts")."""
    def keyed(kind: str) -> dict[str, int]:
        return dict(sorted(((key, n) for (k, key), n in totals.items() if k == kind), key=lambda kv: (-kv[1], kv[0])))

    searches = totals.get(("search", ""), 0)
    terms = keyed("search_term")
    return {
        "visits": totals.get(("visit", ""), 0),
        "needs": keyed("need"),
        "audiences": keyed("audience"),
        "offers": {"viewed": keyed("offer_viewed"), "qr": keyed("offer_qr"), "printed": keyed("offer_printed"),
                   "listed": keyed("offer_listed")},
        "languages": keyed("language"),
        "speech_visits": totals.get(("speech", ""), 0),
        "searches": {"total": searches, "found_nothing": totals.get(("search_nothing", ""), 0),
                     "below_k": max(0, searches - sum(terms.values())),
                     "terms": terms, "terms_found_nothing": keyed("search_term_nothing")},
    }


def days_with_counts(path: Path, before: date) -> list[str]:
    """ISO days before `before` that have counts in the file."""
    conn = connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT DISTINCT day FROM counts WHERE day < ? ORDER BY day",
                                           (before.isoformat(),))]
    finally:
        conn.close()


def make_statistics(settings: StatisticsSettings) -> Statistics | None:
    """The kiosk's counter, or None when statistics are switched off."""
    if not settings.enabled:
        return None
    return Statistics(settings.path, k=settings.min_search_count)

