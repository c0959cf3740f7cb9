"""The catalogue file's layout and how to open it: tables, the FTS index, connections, bookkeeping.

Both sides use this module: the kiosk opens the file read-only (`connect(..., readonly=True)`, see
sync/reader.py), a sync creates the tables (`create_schema`) and writes its bookkeeping into the
``meta`` table (`write_meta`). Writing a sync is in sync/store.py, the copy of the last good
catalogue and the repair of a damaged file in sync/snapshots.py.
"""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from .errors import StoreError

SCHEMA_VERSION = 1

# Child tables hang off an offer by its HSDS id; their rows are replaced together with the offer.
CHILD_TABLES = ("locations", "phones", "schedules", "languages", "offer_categories")

COLUMNS: dict[str, dict[str, type]] = {
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
FTS_NAME_COLUMN = FTS_COLUMNS[0]  # a hit here ranks first (search tiers, the vocabulary's name counts)
# bm25 weights per FTS column: a hit in the name counts most, then categories, organisation, place.
FTS_WEIGHTS = (10.0, 3.0, 4.0, 1.0, 2.0)


def now_iso() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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


#: The indexes `create_schema` makes (sqlite-utils names them idx_<table>_<columns>).
INDEXES = ("idx_offers_id", "idx_offers_visible_town", *(f"idx_{t}_offer_id" for t in CHILD_TABLES),
           "idx_offer_categories_category_id", "idx_locations_lower_name")
_SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "FLOAT"}  # as sqlite-utils writes them


def create_schema(conn: sqlite3.Connection, *, fts: bool = True) -> None:
    """Create the tables (idempotent). The staging file has the same tables, less the FTS index."""
    if fts and _complete(conn):  # every sync opens a catalogue that has them all: no sqlite-utils
        _fts_settings(conn)
        return
    import sqlite_utils  # only sync writes; the kiosk's reads need no sqlite-utils at start-up

    db = sqlite_utils.Database(conn)
    # db.table(), not db[...]: our names are tables, never views (db[...] may return a View).
    for table, columns in COLUMNS.items():
        t = db.table(table)
        if t.exists():
            # A catalogue written by an older kiosk lacks columns added since; they are added empty
            # (the next sync fills them).
            have = t.columns_dict
            for column, kind in columns.items():
                if column not in have:
                    t.add_column(column, kind)
            continue
        pk = {"offers": "key", "categories": "id", "meta": "key"}.get(table)
        t.create(columns, pk=pk, not_null={"id"} if table == "offers" else None)
    db.table("offers").create_index(["id"], unique=True, if_not_exists=True)
    db.table("offers").create_index(["visible", "town"], if_not_exists=True)
    for table in CHILD_TABLES:
        db.table(table).create_index(["offer_id"], if_not_exists=True)
    db.table("offer_categories").create_index(["category_id"], if_not_exists=True)
    # The kiosk finds the offers held at its own place by location name, case-insensitively.
    conn.execute("CREATE INDEX IF NOT EXISTS idx_locations_lower_name ON locations(lower(name))")
    if fts:
        cols = ", ".join(FTS_COLUMNS)
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS offers_fts USING fts5({cols}, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
        )
        _fts_settings(conn)
    else:
        db.table("fts_rows").create({"offer_id": str, **{c: str for c in FTS_COLUMNS}}, if_not_exists=True)


def _fts_settings(conn: sqlite3.Connection) -> None:
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    conn.execute("INSERT INTO offers_fts(offers_fts, rank) VALUES('rank', ?)", (f"bm25({weights})",))
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', ?)", (str(SCHEMA_VERSION),))


def _complete(conn: sqlite3.Connection) -> bool:
    """Whether the file already has every table, column, index and the FTS index of `create_schema`
    (then there is nothing to create or add, and sqlite-utils, 45 ms to import, is not needed)."""
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'index')"))
    if any(kinds.get(name) != "index" for name in INDEXES) or kinds.get("offers_fts") != "table":
        return False
    for table, columns in COLUMNS.items():
        if kinds.get(table) != "table" or \
                not set(columns) <= {row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")}:
            return False
    return True


def create_staging_schema(conn: sqlite3.Connection) -> None:
    """The staging file's tables: the catalogue's columns and types, no index, no FTS index, an
    `fts_rows` table instead (plain SQL: a delta's sync imports no sqlite-utils)."""
    tables: dict[str, dict[str, type]] = {**COLUMNS, "fts_rows": {"offer_id": str, **dict.fromkeys(FTS_COLUMNS, str)}}
    for table, columns in tables.items():
        pk = {"offers": "key", "categories": "id", "meta": "key"}.get(table)
        defs = ", ".join(f'"{name}" {_SQL_TYPES[kind]}' + (" PRIMARY KEY" if name == pk else "")
                         + (" NOT NULL" if (table, name) == ("offers", "id") else "") for name, kind in columns.items())
        conn.execute(f'CREATE TABLE "{table}" ({defs})')


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
