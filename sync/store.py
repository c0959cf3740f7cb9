"""Writing a sync: staging, the one transaction that makes it visible, and the lock around it.

How a sync stays atomic (see DESIGN.md 7, "SQLite file swap"): new records are first written with
plain inserts into a *staging* file next to the catalogue. Nothing the kiosk reads changes while that
happens, so a killed or failed sync only leaves a stale staging file behind (removed on the next run).
When the feed was read completely and passed its checks, `apply_staging` copies the staged rows into
the live file inside ONE ``BEGIN IMMEDIATE … COMMIT``. The live file is never replaced, so open WAL
connections of the kiosk see the old catalogue or the new one, never a mix and never a stale copy.

The tables are in sync/schema.py; the copy of the last good catalogue that `apply_staging` writes
after the commit, and the repair of a damaged file that `open_live` runs, in sync/snapshots.py.
"""
from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StoreError, SyncBusy
from .schema import (
    CHILD_TABLES,
    COLUMNS,
    FTS_COLUMNS,
    connect,
    create_schema,
    create_staging_schema,
    now_iso,
    write_meta,
)
from .snapshots import backup_path, check_file, restore, save_last_good

if TYPE_CHECKING:  # the kiosk reads the store at start-up; the record parser (dateutil, babel) waits
    from .hsds import OfferRecord

# What a staged row may hold, per table (the live `key` of an offer is given when it goes live).
_STAGED_COLUMNS = {table: tuple(c for c in cols if c != "key") for table, cols in COLUMNS.items()}
_STAGED_COLUMNS["fts_rows"] = ("offer_id", *FTS_COLUMNS)
#: Tables of the staging file whose rows hang off an offer id (`fts_rows` too), and their column.
_STAGED_BY_ID = {"offers": "id", "fts_rows": "offer_id", **{t: "offer_id" for t in CHILD_TABLES}}


def open_live(path: Path, *, repairs: list[str] | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the live catalogue for writing by `sync`.

    With a `repairs` list (a sync passes its report's warnings), a damaged file is first rebuilt by
    `restore` and what was done is appended as a sentence; without it a damaged file is left alone.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path.parent}: cannot create the folder: {exc}") from exc
    if repairs is not None and path.exists():
        problem = check_file(path)
        if problem and "damaged" in problem:
            repairs.append(restore(path, problem))
    conn = connect(path)
    try:
        create_schema(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"{path}: not a usable catalogue: {exc}") from exc
    return conn


class Staging:
    """A scratch SQLite file that collects the records of one sync before they go live."""

    def __init__(self, live_path: Path) -> None:
        self.path = live_path.with_name(live_path.name + ".staging")
        for stale in (self.path, Path(f"{self.path}-journal"), Path(f"{self.path}-wal")):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        # No indexes while staging: nothing reads the staging file by index but the removal of a
        # duplicate's earlier rows (the apply reads every table whole), and each staged row would
        # update six B-trees keyed by random ids (a tenth of a 50,000-offer sync). The indexes by
        # offer id are built at the first duplicate (`remove`), so that a feed of many duplicates
        # never scans a table per duplicate. Uniqueness of ids is kept by the `seen` table below.
        create_staging_schema(self.conn)
        self._indexed = False
        # Which ids are staged, with the last_modified and place of the record kept, for duplicates:
        # in the staging file, not in a dict, so that memory stays flat in the catalogue size (a
        # dict of 50,000 ids, dates and places was 15 MB, a fifth of a full sync's peak).
        self.conn.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, modified TEXT, place TEXT) WITHOUT ROWID")
        self.count = 0  # how many distinct offers are staged
        self.categories: dict[str, dict] = {}
        self.notes: list[str] = []  # duplicates found, in words, for the sync report

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes

    def staged_ids(self) -> set[str]:
        """The ids of every staged offer (a delta's few; read from the staging file)."""
        return {row[0] for row in self.conn.execute("SELECT id FROM offers")}

    def _seen(self, ids: Iterable[str]) -> dict[str, _Seen]:
        """The records staged by earlier batches under any of `ids`."""
        rows = self.conn.execute("SELECT id, modified, place FROM seen WHERE id IN (SELECT value FROM json_each(?))",
                                 (json.dumps(list(ids)),))
        return {i: _Seen(datetime.fromisoformat(m) if m else None, p) for i, m, p in rows}

    def add(self, records: Iterable[OfferRecord]) -> int:
        """Stage records and return how many. Of two records with one id (in this batch or an
        earlier one) the one with the newer `last_modified` is kept, on a tie the later one; the
        other is noted in `notes`."""
        records = list(records)
        staged = self._seen({rec.id for rec in records})
        batch: dict[str, OfferRecord] = {}
        repeated: list[str] = []
        for rec in records:
            earlier = batch.get(rec.id) or staged.get(rec.id)
            if earlier is not None:
                later_wins = _not_older(rec.modified, earlier.modified)
                kept, dropped = (rec, earlier) if later_wins else (earlier, rec)
                newer = kept.modified.isoformat() if kept.modified else "-"
                self.notes.append(
                    f"{dropped.where or 'a record'}: record {rec.id}: id: the same id as "
                    f"{kept.where or 'another record'}; "
                    + ("kept the later one (same last_modified)" if rec.modified == earlier.modified
                       else f"kept the one with the newer last_modified ({newer})")
                    + ", skipped this one")
                if not later_wins:
                    continue
                if rec.id not in batch:
                    repeated.append(rec.id)
                batch.pop(rec.id, None)
            batch[rec.id] = rec
        if not batch:
            return 0
        self.count += sum(1 for i in batch if i not in staged)
        if repeated:
            self.remove(repeated)
        rows: dict[str, list[dict]] = {t: [] for t in ("offers", "fts_rows", *CHILD_TABLES)}
        for rec in batch.values():
            rows["offers"].append(rec.offer)
            rows["fts_rows"].append({"offer_id": rec.id, **rec.fts})
            rows["locations"] += rec.locations
            rows["phones"] += rec.phones
            rows["schedules"] += rec.schedules
            rows["languages"] += rec.languages
            rows["offer_categories"] += [{"offer_id": rec.id, "category_id": c["id"]} for c in rec.categories]
            for cat in rec.categories:
                self.categories.setdefault(cat["id"], cat)
        try:
            self.conn.execute("BEGIN")
            for table, table_rows in rows.items():
                if table_rows:
                    self._insert(table, table_rows)
            self.conn.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?, ?)",
                                  [(r.id, r.modified.isoformat() if r.modified else None, r.where)
                                   for r in batch.values()])
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot stage records: {exc}") from exc
        return len(batch)

    def _insert(self, table: str, rows: list[dict]) -> None:
        # Plain executemany into the staging tables: sqlite-utils' insert_all inspects and
        # converts every value, which was a third of a 50,000-offer sync. Our rows are flat and
        # of known columns, so there is nothing to convert.
        cols = _STAGED_COLUMNS[table]
        marks = ", ".join("?" for _ in cols)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                              [tuple(map(row.get, cols)) for row in rows])  # map: 2x a generator

    def remove(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not self._indexed:  # the first duplicate: index the rows by offer id from now on
            for table, col in _STAGED_BY_ID.items():
                self.conn.execute(f"CREATE INDEX IF NOT EXISTS staged_{table}_{col} ON {table}({col})")
            self._indexed = True
        for table, col in _STAGED_BY_ID.items():
            self.conn.executemany(f"DELETE FROM {table} WHERE {col} = ?", [(i,) for i in ids])

    def add_categories(self, rows: Iterable[dict]) -> None:
        """Stage taxonomy terms from the feed's own term list (they win over terms seen in services)."""
        for row in rows:
            self.categories[row["id"]] = row

    def close(self, *, delete: bool = True) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if delete:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


class _Seen:
    """What a staged record leaves behind for duplicate checks (not the whole record)."""

    __slots__ = ("modified", "where")

    def __init__(self, modified: datetime | None, where: str) -> None:
        self.modified, self.where = modified, where


def _not_older(new: datetime | None, old: datetime | None) -> bool:
    """True when `new` wins over `old`: newer or the same (ties go to the later record); a record
    without a date is older than one with a date."""
    if old is None:
        return True
    if new is None:
        return False
    return new >= old


@contextlib.contextmanager
def sync_lock(live_path: Path) -> Iterator[None]:
    """Let one sync at a time work on a catalogue (a timer and a volunteer may start one together).

    The lock is an flock on a file beside the catalogue: the kernel drops it when the process dies,
    so a killed sync never leaves a stale lock behind.
    """
    lock_path = live_path.with_name(live_path.name + ".lock")
    fh = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # "from None": that the lock is taken is the whole story, not an error while handling one
            raise SyncBusy(f"{live_path}: another sync is running right now; try again when it has finished"
                           ) from None
        yield
    finally:
        fh.close()


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the garbage collector's passes less often while a sync runs, then as before.

    A sync makes and drops millions of small dicts and lists (each record's JSON, its cleaned copy,
    its rows); they are freed by reference counting, without cycles, but every 700 of them start a
    young pass and every few hundred passes one over the whole heap: 10-13 % of a 50,000-offer
    sync's CPU time, measured. Cycles (an exception and its frames) are still collected, later.
    """
    before = gc.get_threshold()
    if before[0]:  # (0: automatic collection is off, and stays off)
        gc.set_threshold(max(before[0], 10_000), max(before[1], 50), max(before[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def count_visible(conn: sqlite3.Connection, schema: str = "main") -> int:
    """Number of offers a visitor can see (status active)."""
    return conn.execute(f"SELECT count(*) FROM {schema}.offers WHERE visible = 1").fetchone()[0]


def apply_staging(conn: sqlite3.Connection, staging: Staging, *, full: bool, removed: Iterable[str] = (),
                  meta: dict[str, str | None], check: Callable[[int, int], object] | None = None,
                  ) -> tuple[int, int]:
    """Make the staged sync live in one transaction.

    `full` replaces everything; otherwise staged offers are upserted and `removed` ids deleted.
    `check(old_visible, new_visible)` may raise to veto the result before it commits (the guard
    against a feed that suddenly holds far fewer offers). Returns (old, new) visible counts.
    After the commit the last good copy (`backup_path`) is brought up to date: after a delta by
    applying the same rows to it (`_refresh_last_good`), else, or when that cannot be trusted, by
    copying the whole file (`save_last_good`); when that fails (disk full), the sync still counts
    and ``last_good_error`` in `meta` says why.
    """
    removed = list(removed)
    attached = False
    try:
        conn.execute("ATTACH DATABASE ? AS staging", (str(staging.path),))
        attached = True
        conn.execute("BEGIN IMMEDIATE")
        old = count_visible(conn)
        previous = _generation(conn)
        _copy_rows(conn, staging, full=full, removed=removed)
        new = count_visible(conn)
        if check is not None:
            check(old, new)
        meta = {**meta, GENERATION_KEY: uuid.uuid4().hex}
        write_meta(conn, meta)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        if attached:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("DETACH DATABASE staging")
    live = Path(conn.execute("PRAGMA database_list").fetchone()[2])
    try:
        if full or previous is None or not _refresh_last_good(conn, live, staging, removed, meta, previous):
            save_last_good(conn, live)
        problem = None
    except StoreError as exc:
        problem = str(exc)
    with contextlib.suppress(sqlite3.Error):
        write_meta(conn, {"last_good_error": problem})
    return old, new


#: Meta key: a new random token for every committed sync. The last good copy holds the token of the
#: catalogue it copies, so a delta can tell whether the copy is the catalogue it started from.
GENERATION_KEY = "generation"


def _generation(conn: sqlite3.Connection, schema: str = "main") -> str | None:
    row = conn.execute(f"SELECT value FROM {schema}.meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
    return row[0] if row else None


def _copy_rows(conn: sqlite3.Connection, staging: Staging, *, full: bool, removed: list[str]) -> None:
    """Write the staged rows (attached as `staging`) into `conn`'s main file, inside the caller's
    transaction: all offers for a full sync; for a delta the staged and `removed` offers are
    replaced. The same statements refresh the last good copy after a delta (`_refresh_last_good`)."""
    if full:
        for table in ("offers", "categories", *CHILD_TABLES):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM offers_fts")
    else:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS gone(id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.gone")
        conn.execute("INSERT OR IGNORE INTO temp.gone SELECT id FROM staging.offers")
        conn.executemany("INSERT OR IGNORE INTO temp.gone VALUES (?)", [(i,) for i in removed])
        conn.execute("DELETE FROM offers_fts WHERE rowid IN "
                     "(SELECT key FROM offers WHERE id IN (SELECT id FROM temp.gone))")
        _note_unchanged_children(conn, set(removed))
        for table in CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE offer_id IN (SELECT id FROM temp.gone) "
                         "AND offer_id NOT IN (SELECT id FROM temp.same WHERE tbl = ?)", (table,))
        conn.execute("DELETE FROM offers WHERE id IN (SELECT id FROM temp.gone)")
    offer_cols = [c for c in COLUMNS["offers"] if c != "key"]
    cols = ", ".join(offer_cols)
    conn.execute(f"INSERT INTO offers ({cols}) SELECT {cols} FROM staging.offers")
    for table in CHILD_TABLES:
        tcols = ", ".join(COLUMNS[table])
        conn.execute(f"INSERT INTO {table} ({tcols}) SELECT {tcols} FROM staging.{table}"
                     + ("" if full else " WHERE offer_id NOT IN (SELECT id FROM temp.same WHERE tbl = ?)"),
                     () if full else (table,))
    fcols = ", ".join(FTS_COLUMNS)
    # FTS5 writes its pending terms out as a new segment (and merges segments) each time they pass
    # its hash size, 1 MB by default: 4 MB cuts a full sync's index build by a fifth, for a
    # few MB while it runs (it is kept in the index's config; an SQLite without it goes on as before).
    # A delta's few rows never fill even the default, so it leaves the config alone.
    if full:
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("INSERT INTO offers_fts(offers_fts, rank) VALUES('hashsize', ?)", (FTS_HASH_SIZE,))
    conn.execute(
        f"INSERT INTO offers_fts (rowid, {fcols}) SELECT o.key, "
        + ", ".join(f"f.{c}" for c in FTS_COLUMNS)
        + " FROM staging.fts_rows f JOIN offers o ON o.id = f.offer_id"
    )
    conn.executemany(
        "INSERT OR REPLACE INTO categories (id, name, code, parent_id, taxonomy, description) "
        "VALUES (:id, :name, :code, :parent_id, :taxonomy, :description)",
        list(staging.categories.values()),
    )


def _note_unchanged_children(conn: sqlite3.Connection, removed: set[str]) -> None:
    """Fill `temp.same` with (table, offer id) for every staged offer whose rows in that child table
    are exactly the live ones (the same multiset of whole rows, values and types), for a delta.

    Their live rows are kept instead of deleted and written again: a changed offer mostly changes
    its text, not its places, hours, phones, languages or categories, and rewriting those rows
    dirtied about half of a 1 % delta's pages (rows of random ids spread over the whole file),
    each written to the WAL, checkpointed and then written again into the last good copy. The
    result is the same rows as deleting and inserting them; reading them to compare writes nothing.
    Removed offers are never kept (`removed` is excluded even if staged).
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS same(tbl TEXT, id TEXT, PRIMARY KEY (tbl, id)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.same")
    staged = sorted({r[0] for r in conn.execute("SELECT id FROM staging.offers")} - removed)
    for start in range(0, len(staged), _COMPARED_AT_ONCE):  # in chunks: memory flat in the delta's size
        chunk = staged[start:start + _COMPARED_AT_ONCE]
        ids = json.dumps(chunk)
        for table in CHILD_TABLES:
            tcols = ", ".join(COLUMNS[table])  # offer_id first
            rows: dict[str, tuple[list[str], list[str]]] = {}
            for side in ("main", "staging"):
                for row in conn.execute(f"SELECT {tcols} FROM {side}.{table} "
                                        "WHERE offer_id IN (SELECT value FROM json_each(?))", (ids,)):
                    # repr: exact and typed (1 is not 1.0, '1' is not 1)
                    rows.setdefault(row[0], ([], []))[side == "staging"].append(repr(row))
            conn.executemany("INSERT INTO temp.same VALUES (?, ?)",
                             [(table, i) for i in chunk if i not in rows or sorted(rows[i][0]) == sorted(rows[i][1])])


#: Staged offers whose rows are compared with the live ones at a time (`_note_unchanged_children`).
_COMPARED_AT_ONCE = 500


#: Bytes of pending FTS terms kept in memory before they are written out (FTS5's "hashsize").
FTS_HASH_SIZE = 4 << 20


_SCHEMA = "SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY type, name"
#: What must agree between the catalogue and its copy after a delta was applied to both.
_FINGERPRINT = ("SELECT (SELECT count(*) FROM {s}.offers), (SELECT count(*) FROM {s}.offers WHERE visible = 1), "
                "(SELECT max(key) FROM {s}.offers), (SELECT count(*) FROM {s}.categories), "
                "(SELECT count(*) FROM {s}.offer_categories), (SELECT count(*) FROM {s}.schedules)")


def _refresh_last_good(conn: sqlite3.Connection, live: Path, staging: Staging, removed: list[str],
                       meta: dict[str, str | None], previous: str) -> bool:
    """Bring the last good copy up to date after a delta by applying the same staged rows to it, in
    one transaction of its own; True when done, False when the copy must be written whole.

    The trade-off: the backup API copies the whole file (88 MB at 50,000 offers, about 1 s, half of
    a delta sync's time) however little changed. Applying the delta again costs what the delta
    cost (milliseconds for 1 %), but is only right when the copy holds exactly the catalogue the
    delta started from. So it is done only when the copy carries that catalogue's generation token
    (written by every sync, in the same transaction as its rows) and the same schema, and the
    result is compared with the catalogue (counts of offers, visible offers, categories, links and
    hours, and the highest row key) before it commits; anything else, a missing, older, damaged or
    locked copy, or any error, rolls the copy back and falls back to the whole copy. A kill -9
    leaves the copy's rollback journal: the next opener rolls it back to the previous good copy,
    whose token no longer matches, so the next sync writes the copy whole.
    """
    target = backup_path(live)
    if not target.is_file():
        return False
    try:
        dst = sqlite3.connect(target, isolation_level=None, timeout=30)
    except sqlite3.Error:
        return False
    attached = False
    try:
        if dst.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
            return False
        dst.execute("ATTACH DATABASE ? AS staging", (str(staging.path),))
        attached = True
        dst.execute("BEGIN IMMEDIATE")
        # (not PRAGMA schema_version: the backup API changes the copy's, whatever it copied)
        same_schema = dst.execute(_SCHEMA).fetchall() == conn.execute(_SCHEMA).fetchall()
        if not same_schema or _generation(dst) != previous:
            dst.execute("ROLLBACK")
            return False
        _copy_rows(dst, staging, full=False, removed=removed)
        write_meta(dst, meta)
        if dst.execute(_FINGERPRINT.format(s="main")).fetchone() != \
                conn.execute(_FINGERPRINT.format(s="main")).fetchone():
            dst.execute("ROLLBACK")
            return False
        dst.execute("COMMIT")
        return True
    except sqlite3.Error:
        if dst.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                dst.execute("ROLLBACK")
        return False
    finally:
        if attached:
            with contextlib.suppress(sqlite3.Error):
                dst.execute("DETACH DATABASE staging")
        dst.close()


def record_failure(path: Path, source: str, message: str) -> None:
    """Note a failed sync in the catalogue without touching its offers; never raises."""
    with contextlib.suppress(Exception):
        conn = open_live(path)
        try:
            write_meta(conn, {"last_error": message, "last_error_at": now_iso(), "last_error_source": source})
        finally:
            conn.close()
