"""The copy of the last good catalogue, and the repair of a damaged catalogue file.

After every sync that changed the catalogue, a copy is written beside it with SQLite's backup API
(``catalogue.db.last-good``, in rollback-journal mode so it opens on a read-only file system); after a
delta sync the copy is instead brought up to date with the same rows when it provably holds the
catalogue the delta started from (`sync.store._refresh_last_good`). When
the live file is found damaged (`check_file`: truncated, pages overwritten), the kiosk reads that copy
(see kiosk/cli.py) and `set_aside` moves the damaged file out of the way for a full re-import;
`restore` puts the copy back in place so that the next sync reads the whole feed.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .errors import StoreError
from .schema import connect, describe_error, quick_check, write_meta


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
            return said + (f"; the last good copy could not be restored ({exc}), "
                           "so the whole feed is read into a new file")
        finally:
            src.close()
        return said + ", restored the last good copy and read the whole feed again"
    return said + ("; there is no sound copy of the last good catalogue, "
                   "so the whole feed is read into a new file")


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
