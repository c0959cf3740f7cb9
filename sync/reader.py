"""One catalogue file opened for reading: the shared connection, SQLite errors in words, a memo.

The base of `sync.catalogue.Catalogue`. Reads go to the live SQLite file in WAL mode, so each call
sees the newest committed sync. One connection is shared under a lock, so worker threads may read
too. Errors while reading a damaged file are `StoreError` sentences, never raw SQLite errors.
Whatever is costly to compute over the whole catalogue is kept once per catalogue version
(`_cached`): `PRAGMA data_version` says when a sync (another connection) has committed.
"""
from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Self, TypeVar, cast

from . import schema
from .errors import StoreError

T = TypeVar("T")
#: Columns a catalogue written by an older kiosk may lack (read as NULL there).
_NEWER_COLUMNS = {"schedules": ("notes", "attending_type", "timezone"), "locations": ("state_province", "country")}


class CatalogueReader:
    """Read-only access to one catalogue file: `path` is the file that syncs write, `read_from` (when
    the kiosk had to fall back) the file actually read, `fallback_kind` which ("last-good" or
    "demo") and `notice` why.

    A subclass calls `_open()` at the end of its own `__init__`, after its own settings are read,
    so that a bad setting fails before the file is opened.
    """

    def __init__(self, path: Path, *, read_from: Path | None = None, notice: str | None = None,
                 fallback_kind: str | None = None) -> None:
        self.path = Path(path)
        self.read_path = Path(read_from) if read_from is not None else self.path
        self.notice, self.fallback_kind = notice, fallback_kind
        if not self.read_path.exists():
            raise StoreError(f"{self.read_path}: no catalogue here yet (run kiosk-sync import or pull)")
        self._memo: dict[tuple, object] = {}
        self._memo_version: int | None = None

    def _open(self, *, check: bool) -> None:
        """Open the file read-only; with `check`, SQLite's quick check first (0.1 s at 50,000
        offers). A damaged or foreign file raises `StoreError` in words."""
        try:
            self._conn = schema.connect(self.read_path, readonly=True)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.read_path}: cannot open the catalogue: {schema.describe_error(exc)}") from exc
        self._lock = threading.Lock()
        try:
            if check:
                found = schema.quick_check(self._conn)
                if found:
                    raise sqlite3.DatabaseError(f"database disk image is malformed: {found}")
            self._conn.execute("SELECT 1 FROM offers LIMIT 1").fetchall()
            self._conn.execute("SELECT 1 FROM meta LIMIT 1").fetchall()
            self._missing = {f"{table}.{c}" for table, cols in _NEWER_COLUMNS.items()
                             for c in set(cols) - {r[1] for r in self._conn.execute(f"PRAGMA table_info({table})")}}
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"{self.read_path}: not a usable catalogue: {schema.describe_error(exc)}") from exc

    def _columns(self, table: str, names: Sequence[str]) -> str:
        """`names` for a SELECT, NULL for a column an older catalogue file does not have yet."""
        return ", ".join("NULL" if f"{table}.{n}" in self._missing else n for n in names)

    def close(self) -> None:
        """Under the lock: closing the connection while another thread (the finder warming its
        cache) runs a query on it crashed the whole process (a segfault in sqlite3). That thread's
        next query then fails with an error in words, which it reports."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Under the lock; a damaged file's SQLite error becomes a StoreError sentence."""
        with self._lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.read_path}: cannot read the catalogue: {schema.describe_error(exc)}") from exc

    def _query(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        with self._reading():
            return self._conn.execute(sql, params).fetchall()

    def _stream(self, sql: str, params: Sequence | dict = (), *, size: int = 1000) -> Iterator[tuple]:
        """The rows of a query over the whole catalogue, fetched `size` at a time, the lock held only
        while a slice is fetched: a thread working through 50,000 rows (the finder warming its
        cache) lets the screen's own short queries in between, instead of holding them for 0.1 to
        0.5 s. One statement, so one consistent read of the file from the first slice to the last;
        closing the catalogue in between ends it with an error, never a crash (see `close`)."""
        with self._reading():
            cursor = self._conn.execute(sql, params)
            rows = cursor.fetchmany(size)
        while rows:
            yield from rows
            if len(rows) < size:
                return
            with self._reading():
                rows = cursor.fetchmany(size)

    def data_version(self) -> int:
        """A number that changes when another connection (a sync) has committed to the file: a cheap
        check whether anything cached about the catalogue may be out of date."""
        return self._query("PRAGMA data_version")[0][0]

    def _cached(self, key: tuple, compute: Callable[[], T]) -> T:
        """`compute()` once per catalogue version: the start screen asks for the category tree and
        the taxonomies on every visit, which costs a pass over all offers at 50,000 of them.
        `PRAGMA data_version` changes when a sync (another connection) has committed."""
        with self._reading():
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if version != self._memo_version:
                self._memo, self._memo_version = {}, version
            if key in self._memo:
                # The memo holds what compute() returned for this key: a T.
                return cast(T, self._memo[key])
        value = compute()
        with self._lock:
            if self._memo_version == version:
                self._memo[key] = value
        return value


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size` (SQLite takes a limited number of parameters at once)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
