"""The local SQLite catalogue: schema, staging and the one transaction that makes a sync visible.

How a sync stays atomic (see DESIGN.md 7, "SQLite file swap"): new records are first written with
sqlite-utils into a *staging* file next to the catalogue. Nothing the kiosk reads changes while that
happens, so a killed or failed sync only leaves a stale staging file behind (removed on the next run).
When the feed was read completely and passed its checks, `apply_staging` copies the staged rows into
the live file inside ONE ``BEGIN IMMEDIATE … COMMIT``. The live file is never replaced, so open WAL
connections of the kiosk see the old catalogue or the new one, never a mix and never a stale copy.

After every sync that changed the catalogue, a copy is written beside it with SQLite's backup API
(``catalogue.db.last-good``, in rollback-journal mode so it opens on a read-only file system). When
the live file is found damaged (`check_file`: truncated, pages overwritten), the kiosk reads that copy
(see kiosk/cli.py) and `set_aside` moves the damaged file out of the way for a full re-import.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from typing import TYPE_CHECKING

from .errors import StoreError, SyncBusy

if TYPE_CHECKING:  # the kiosk reads the store at start-up; the record parser (dateutil, babel) waits
    from .hsds import OfferRecord

SCHEMA_VERSION = 1

# Child tables hang off an offer by its HSDS id; their rows are replaced together with the offer.
CHILD_TABLES = ("locations", "phones", "schedules", "languages", "offer_categories")

_COLUMNS: dict[str, dict[str, type]] = {
    "offers": {
        "key": int, "id": str, "name": str, "alternate_name": str, "description": str,
        "organization_id": str, "organization_name": str, "organization_website": str, "url": str,
        "email": str, "status": str, "visible": int, "fees": str, "costs": str, "eligibility": str,
        "application_process": str, "minimum_age": float, "maximum_age": float, "alert": str,
        "last_modified": str, "location_name": str, "address": str, "postal_code": str, "town": str,
        "latitude": float, "longitude": float, "translations": str,
    },
    "locations": {
        "offer_id": str, "position": int, "location_id": str, "name": str, "address_1": str,
        "address_2": str, "postal_code": str, "city": str, "latitude": float, "longitude": float,
        "accessibility": str, "transportation": str, "state_province": str, "country": str,
    },
    "phones": {"offer_id": str, "position": int, "number": str, "extension": str, "type": str, "description": str},
    "schedules": {
        "offer_id": str, "position": int, "location_id": str, "freq": str, "interval": str, "byday": str,
        "bymonthday": str, "opens_at": str, "closes_at": str, "valid_from": str, "valid_to": str,
        "dtstart": str, "until": str, "count": str, "wkst": str, "description": str,
        "notes": str, "attending_type": str, "timezone": str,
    },
    "languages": {"offer_id": str, "position": int, "code": str, "name": str},
    "offer_categories": {"offer_id": str, "category_id": str},
    "categories": {"id": str, "name": str, "code": str, "parent_id": str, "taxonomy": str, "description": str},
    "meta": {"key": str, "value": str},
}
FTS_COLUMNS = ("name", "organization", "keywords", "description", "place")
# What a staged row may hold, per table (the live `key` of an offer is given when it goes live).
_STAGED_COLUMNS = {table: tuple(c for c in cols if c != "key") for table, cols in _COLUMNS.items()}
_STAGED_COLUMNS["fts_rows"] = ("offer_id", *FTS_COLUMNS)
# bm25 weights per FTS column: a hit in the name counts most, then categories, organisation, place.
FTS_WEIGHTS = (10.0, 3.0, 4.0, 1.0, 2.0)


def now_iso() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the catalogue with WAL and a busy timeout, in autocommit mode (we manage transactions).

    `readonly` opens it for reading; where even that fails because nothing beside the file may be
    written (a read-only file system or folder: WAL needs its ``-shm`` file), it is opened as
    immutable — nobody can change it there anyway.
    """
    try:
        if readonly:
            return _connect_readonly(Path(path))
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=10000")
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the catalogue: {describe_error(exc)}") from exc
    return conn


def _connect_readonly(path: Path) -> sqlite3.Connection:
    uri = "file:" + quote(str(path.absolute()))
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False, timeout=10)
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if not any(w in str(exc) for w in ("readonly", "read-only", "unable to open")):
            conn.close()
            raise
    conn.close()
    conn = sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def describe_error(exc: BaseException) -> str:
    """SQLite's words for a damaged file, said so that an operator knows what to do."""
    text = str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and any(
            w in text for w in ("malformed", "not a database", "corrupt", "disk I/O error")):
        return f"the file is damaged ({text}); run `kiosk-sync repair` to rebuild it from the feed"
    return text


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None when SQLite's quick check passes, else its first findings on one line."""
    found = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
    if found == ["ok"]:
        return None
    lines = [line.strip() for row in found for line in row.splitlines() if not line.startswith("***")]
    text = "; ".join(line for line in lines if line)
    return text if len(text) <= 160 else text[:157] + "..."


def backup_path(live_path: Path) -> Path:
    """Where the copy of the last good catalogue lives."""
    return live_path.with_name(live_path.name + ".last-good")


def check_file(path: Path) -> str | None:
    """None when `path` holds a readable catalogue, else why not (a sentence naming the file).
    Sentences about damage (not about permissions) contain the word "damaged".

    Runs ``PRAGMA quick_check``: it reads every page and checks every b-tree (0.1 s for 50,000
    offers), which finds a truncated file and overwritten pages; unlike ``integrity_check`` (4x
    slower) it does not compare indexes with their tables.
    """
    if not path.is_file():
        return f"{path}: no catalogue file"
    try:
        conn = connect(path, readonly=True)
    except StoreError as exc:
        return str(exc)
    except sqlite3.Error as exc:
        return f"{path}: cannot open the catalogue: {describe_error(exc)}"
    try:
        found = quick_check(conn)
        if found:
            return f"{path}: the file is damaged ({found})"
        conn.execute("SELECT count(*) FROM offers").fetchone()
        conn.execute("SELECT count(*) FROM meta").fetchone()
        return None
    except sqlite3.Error as exc:
        return f"{path}: the file is damaged or not a catalogue ({exc})"
    finally:
        conn.close()


def save_last_good(conn: sqlite3.Connection, live_path: Path) -> None:
    """Copy the (just committed) catalogue to `backup_path` with SQLite's backup API.

    The copy is written in place inside one transaction of its own, so a killed copy rolls back to
    the previous good copy, and a kiosk that reads the copy sees the new one once it is done.
    """
    target = backup_path(live_path)
    for attempt in (1, 2):
        try:
            dst = sqlite3.connect(target, isolation_level=None, timeout=30)
            try:
                conn.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # no -wal/-shm: opens on a read-only disk
            finally:
                dst.close()
            return
        except sqlite3.DatabaseError as exc:
            if attempt == 2 or "malformed" not in str(exc) and "not a database" not in str(exc):
                raise StoreError(f"{target}: cannot keep a copy of the last good catalogue: {exc}") from exc
            target.unlink(missing_ok=True)  # a damaged copy is worth nothing: start it afresh
        except OSError as exc:
            raise StoreError(f"{target}: cannot keep a copy of the last good catalogue: {exc}") from exc


DELTA_KEYS = ("next_modified_after", "etag", "api_base")


def restore(path: Path, problem: str) -> str:
    """Rebuild a damaged live catalogue: move it aside, put the last good copy (if it is sound) in
    its place and forget the delta state, so that the sync that follows reads the whole feed.
    Returns what was done, in words. Until the sync lands, the kiosk has the last good offers."""
    aside = set_aside(path)
    said = f"{problem}; moved it to {aside}"
    copy = backup_path(path)
    if copy.exists() and check_file(copy) is None:
        src = connect(copy, readonly=True)
        try:
            dst = sqlite3.connect(path, isolation_level=None, timeout=30)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=WAL")
                write_meta(dst, dict.fromkeys(DELTA_KEYS))
            finally:
                dst.close()
        except sqlite3.Error as exc:
            path.unlink(missing_ok=True)
            return said + f"; the last good copy could not be restored ({exc}), so the whole feed is read into a new file"
        finally:
            src.close()
        return said + ", restored the last good copy and read the whole feed again"
    return said + "; there is no sound copy of the last good catalogue, so the whole feed is read into a new file"


def forget_delta_state(path: Path) -> None:
    """Make the next sync of `path` a full one (`kiosk-sync repair` on a sound file)."""
    conn = connect(path)
    try:
        write_meta(conn, dict.fromkeys(DELTA_KEYS))
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: {describe_error(exc)}") from exc
    finally:
        conn.close()


def set_aside(path: Path) -> Path | None:
    """Move a damaged catalogue (and its -wal/-shm) to ``<name>.damaged`` so that a full re-import
    starts from an empty file; returns the new name (None when there was no file)."""
    if not path.exists():
        return None
    target = path.with_name(path.name + ".damaged")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{target}{suffix}"))
        else:
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    return target


def create_schema(conn: sqlite3.Connection, *, fts: bool = True) -> None:
    """Create the tables (idempotent). The staging file has the same tables, less the FTS index."""
    import sqlite_utils  # only sync writes; the kiosk's reads need no sqlite-utils at start-up

    db = sqlite_utils.Database(conn)
    for table, columns in _COLUMNS.items():
        if db[table].exists():
            # A catalogue written by an older kiosk lacks columns added since; they are added empty
            # (the next sync fills them).
            have = db[table].columns_dict
            for column, kind in columns.items():
                if column not in have:
                    db[table].add_column(column, kind)
            continue
        pk = {"offers": "key", "categories": "id", "meta": "key"}.get(table)
        db[table].create(columns, pk=pk, not_null={"id"} if table == "offers" else None)
    db["offers"].create_index(["id"], unique=True, if_not_exists=True)
    db["offers"].create_index(["visible", "town"], if_not_exists=True)
    for table in CHILD_TABLES:
        db[table].create_index(["offer_id"], if_not_exists=True)
    db["offer_categories"].create_index(["category_id"], if_not_exists=True)
    # The kiosk finds the offers held at its own place by location name, case-insensitively.
    conn.execute("CREATE INDEX IF NOT EXISTS idx_locations_lower_name ON locations(lower(name))")
    if fts:
        cols = ", ".join(FTS_COLUMNS)
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS offers_fts USING fts5({cols}, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        conn.execute("INSERT INTO offers_fts(offers_fts, rank) VALUES('rank', ?)", (f"bm25({weights})",))
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', ?)", (str(SCHEMA_VERSION),))
    else:
        db["fts_rows"].create({"offer_id": str, **{c: str for c in FTS_COLUMNS}}, if_not_exists=True)


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
        create_schema(self.conn, fts=False)
        self.ids: set[str] = set()
        self.categories: dict[str, dict] = {}
        self._staged: dict[str, _Seen] = {}  # id -> the staged record's modified/where, for duplicates
        self.notes: list[str] = []  # duplicates found, in words, for the sync report

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes

    def add(self, records: Iterable[OfferRecord]) -> int:
        """Stage records and return how many. Of two records with one id (in this batch or an
        earlier one) the one with the newer `last_modified` is kept, on a tie the later one; the
        other is noted in `notes`."""
        batch: dict[str, OfferRecord] = {}
        repeated: list[str] = []
        for rec in records:
            earlier = batch.get(rec.id) or self._staged.get(rec.id)
            if earlier is not None:
                later_wins = _not_older(rec.modified, earlier.modified)
                kept, dropped = (rec, earlier) if later_wins else (earlier, rec)
                self.notes.append(
                    f"{dropped.where or 'a record'}: record {rec.id}: id: the same id as {kept.where or 'another record'}; "
                    + ("kept the later one (same last_modified)" if rec.modified == earlier.modified
                       else f"kept the one with the newer last_modified ({kept.modified.isoformat() if kept.modified else '-'})")
                    + ", skipped this one")
                if not later_wins:
                    continue
                if rec.id not in batch:
                    repeated.append(rec.id)
                batch.pop(rec.id, None)
            batch[rec.id] = rec
            self._staged[rec.id] = _Seen(rec.modified, rec.where)
        if not batch:
            return 0
        if repeated:
            self.remove(repeated)
        rows: dict[str, list[dict]] = {t: [] for t in ("offers", "fts_rows", *CHILD_TABLES)}
        for rec in batch.values():
            self.ids.add(rec.id)
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
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot stage records: {exc}") from exc
        return len(batch)

    def _insert(self, table: str, rows: list[dict]) -> None:
        # Plain executemany into the tables sqlite-utils created: its insert_all inspects and
        # converts every value, which was a third of a 50,000-offer sync. Our rows are flat and
        # of known columns, so there is nothing to convert.
        cols = _STAGED_COLUMNS[table]
        marks = ", ".join("?" for _ in cols)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                              [tuple(row.get(c) for c in cols) for row in rows])

    def remove(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for table in ("offers", "fts_rows", *CHILD_TABLES):
            col = "id" if table == "offers" else "offer_id"
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
            raise SyncBusy(f"{live_path}: another sync is running right now; try again when it has finished")
        yield
    finally:
        fh.close()


def count_visible(conn: sqlite3.Connection, schema: str = "main") -> int:
    """Number of offers a visitor can see (status active)."""
    return conn.execute(f"SELECT count(*) FROM {schema}.offers WHERE visible = 1").fetchone()[0]


def apply_staging(conn: sqlite3.Connection, staging: Staging, *, full: bool, removed: Iterable[str] = (),
                  meta: dict[str, str | None], check=None) -> tuple[int, int]:
    """Make the staged sync live in one transaction.

    `full` replaces everything; otherwise staged offers are upserted and `removed` ids deleted.
    `check(old_visible, new_visible)` may raise to veto the result before it commits (the guard
    against a feed that suddenly holds far fewer offers). Returns (old, new) visible counts.
    After the commit the new catalogue is copied to `backup_path` (`save_last_good`); when that
    fails (disk full), the sync still counts and ``last_good_error`` in `meta` says why.
    """
    removed = list(removed)
    attached = False
    try:
        conn.execute("ATTACH DATABASE ? AS staging", (str(staging.path),))
        attached = True
        conn.execute("BEGIN IMMEDIATE")
        old = count_visible(conn)
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
            for table in CHILD_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE offer_id IN (SELECT id FROM temp.gone)")
            conn.execute("DELETE FROM offers WHERE id IN (SELECT id FROM temp.gone)")
        offer_cols = [c for c in _COLUMNS["offers"] if c != "key"]
        cols = ", ".join(offer_cols)
        conn.execute(f"INSERT INTO offers ({cols}) SELECT {cols} FROM staging.offers")
        for table in CHILD_TABLES:
            tcols = ", ".join(_COLUMNS[table])
            conn.execute(f"INSERT INTO {table} ({tcols}) SELECT {tcols} FROM staging.{table}")
        fcols = ", ".join(FTS_COLUMNS)
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
        new = count_visible(conn)
        if check is not None:
            check(old, new)
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
        save_last_good(conn, live)
        problem = None
    except StoreError as exc:
        problem = str(exc)
    with contextlib.suppress(sqlite3.Error):
        write_meta(conn, {"last_good_error": problem})
    return old, new


def write_meta(conn: sqlite3.Connection, values: dict[str, str | None]) -> None:
    """Upsert key/value pairs of sync bookkeeping (None deletes a key)."""
    for key, value in values.items():
        if value is None:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """All sync bookkeeping as a dict (empty for a catalogue that was never synced)."""
    try:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return {}


def record_failure(path: Path, source: str, message: str) -> None:
    """Note a failed sync in the catalogue without touching its offers; never raises."""
    with contextlib.suppress(Exception):
        conn = open_live(path)
        try:
            write_meta(conn, {"last_error": message, "last_error_at": now_iso(), "last_error_source": source})
        finally:
            conn.close()
