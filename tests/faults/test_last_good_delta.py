"""After a delta sync the last good copy is refreshed with the delta's rows instead of copied whole,
and it is still a sound copy of the last good catalogue: equal to it row for row, written whole
again whenever it is not the catalogue the delta started from, old or new after a kill -9.

Real HSDS API on 127.0.0.1 (tests/feedserver.py), real SQLite files, a real `pull` in a subprocess
for the kill.
"""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync import snapshots, store
from sync.errors import StoreError
from sync.pull import SyncOptions, pull
from tests.feedserver import FeedServer
from tests.hsdsdata import service

ROOT = Path(__file__).resolve().parents[2]
FAST = SyncOptions(timeout_seconds=30, per_page=500)
OLD, NEW = "2026-01-01T00:00:00Z", "2099-01-01T00:00:00Z"
#: Bookkeeping written after the copy (or on a failure): not part of "the last good catalogue".
NOT_COPIED = {"last_good_error", "last_error", "last_error_at", "last_error_source"}


def services(n: int, prefix: str = "Angebot") -> list[dict]:
    return [service(f"s{i}", f"{prefix} {i}", last_modified=OLD,
                    categories=[(f"c{i % 4}", f"Bereich {i % 4}")]) for i in range(n)]


def contents(path: Path) -> dict[str, list]:
    """Every row a visitor or the next sync could read, in a stable order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                  for t in ("offers", "categories", *store.CHILD_TABLES)}
        tables["fts"] = conn.execute("SELECT rowid, * FROM offers_fts ORDER BY rowid").fetchall()
        tables["search"] = conn.execute("SELECT rowid FROM offers_fts WHERE offers_fts MATCH 'neu' "
                                        "ORDER BY rowid").fetchall()
        tables["meta"] = [r for r in conn.execute("SELECT key, value FROM meta ORDER BY key")
                          if r[0] not in NOT_COPIED]
        return tables
    finally:
        conn.close()


def change(server: FeedServer, *, every: int = 3) -> None:
    """Rename every `every`-th offer, drop one and add one, all modified after the last sync."""
    for s in server.services[::every]:
        s["name"] += " neu"
        s["last_modified"] = NEW
    del server.services[1]
    server.services.append(service(f"s-new-{len(server.services)}", "Ganz neu", last_modified=NEW))


def test_a_delta_refreshes_the_copy_row_for_row_without_copying_the_whole_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "catalogue.db"
    with FeedServer(services=services(30)) as server:
        assert pull(server.url, db, FAST).mode == "full"
        change(server)

        def no_whole_copy(*args: object) -> None:
            raise StoreError("the whole copy was not expected after this delta")

        monkeypatch.setattr(store, "save_last_good", no_whole_copy)
        report = pull(server.url, db, FAST)
    assert report.mode == "delta" and report.removed == 1 and report.after == 30
    live, copy = contents(db), contents(snapshots.backup_path(db))
    assert copy == live
    assert len(live["search"]) == 11  # the renamed offers are found in the copy's search index too
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'last_good_error'").fetchone() is None


@pytest.mark.parametrize("copy_is", ["older", "missing", "damaged", "from another catalogue"])
def test_a_copy_that_is_not_the_catalogue_the_delta_started_from_is_written_whole(
        tmp_path: Path, copy_is: str) -> None:
    db, other = tmp_path / "catalogue.db", tmp_path / "other.db"
    copy = snapshots.backup_path(db)
    with FeedServer(services=services(30)) as server:
        pull(server.url, db, FAST)
        older = copy.read_bytes()
        change(server, every=5)
        pull(server.url, db, FAST)  # the copy is refreshed to this catalogue
        if copy_is == "from another catalogue":
            with FeedServer(services=services(30, "Anders")) as elsewhere:
                pull(elsewhere.url, other, FAST)
        change(server, every=7)
        if copy_is == "older":
            copy.write_bytes(older)  # e.g. the copy of a sync whose own copy failed (disk full)
        elif copy_is == "missing":
            copy.unlink()
        elif copy_is == "damaged":
            with open(copy, "r+b") as fh:
                fh.truncate(copy.stat().st_size // 2)
        else:
            copy.write_bytes(snapshots.backup_path(other).read_bytes())
        report = pull(server.url, db, FAST)
    assert report.mode == "delta"
    assert contents(copy) == contents(db)


def test_kill_9_while_a_delta_refreshes_the_copy_leaves_it_old_and_the_next_sync_makes_it_new(
        tmp_path: Path) -> None:
    db = tmp_path / "catalogue.db"
    copy = snapshots.backup_path(db)
    journal = Path(f"{copy}-journal")
    script = ("import sys; from pathlib import Path; from sync.pull import SyncOptions, pull\n"
              "pull(sys.argv[1], Path(sys.argv[2]), SyncOptions(timeout_seconds=60, per_page=1000))")
    with FeedServer(services=services(3000)) as server:
        pull(server.url, db, SyncOptions(timeout_seconds=60, per_page=1000))
        old = contents(db)
        change(server, every=1)  # a delta of every offer: the refresh takes long enough to be caught
        proc = subprocess.Popen([sys.executable, "-c", script, server.url, str(db)], cwd=ROOT)
        while proc.poll() is None and not journal.exists():
            time.sleep(0.0005)
        assert proc.poll() is None, "the sync ended before the copy was written"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert journal.exists()  # killed while the copy was being written
        new = contents(db)  # (the catalogue itself had committed before the copy was touched)
        conn = sqlite3.connect(copy)  # read-write, as the next sync opens it: the hot journal rolls back
        conn.execute("SELECT count(*) FROM offers").fetchone()
        conn.close()
        assert contents(copy) == old and new != old
        assert len([r for r in new["offers"] if r[2].endswith(" neu")]) == 3000  # 2,999 renamed, 1 new
        # The next sync finds a copy that is not the catalogue it starts from, and writes it whole.
        report = pull(server.url, db, SyncOptions(timeout_seconds=60, per_page=1000))
    assert report.mode == "delta"
    assert contents(copy) == contents(db)


def _by_id(path: Path) -> dict[str, list]:
    """Every row a visitor reads, keyed by offer id instead of row keys (a full sync numbers them anew)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cols = ", ".join(c for c in store.COLUMNS["offers"] if c != "key")
        tables = {"offers": sorted(conn.execute(f"SELECT {cols} FROM offers").fetchall())}
        for table in store.CHILD_TABLES:
            tables[table] = sorted(map(repr, conn.execute(f"SELECT * FROM {table}")))
        tables["fts"] = sorted(conn.execute("SELECT o.id, f.* FROM offers_fts f JOIN offers o ON o.key = f.rowid"))
        tables["fts_count"] = conn.execute("SELECT count(*) FROM offers_fts").fetchall()
        return tables
    finally:
        conn.close()


@pytest.mark.parametrize("at_once", [500, 3])
def test_a_delta_that_keeps_unchanged_rows_ends_exactly_where_a_full_sync_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_once: int) -> None:
    """A delta keeps an offer's places, hours, phones, languages and categories when they are the
    same (store._note_unchanged_children); whatever changed in them, the result must be the rows a
    full sync of the same feed writes, in the catalogue and in its last good copy (compared in
    one chunk and in chunks of 3)."""
    monkeypatch.setattr(store, "_COMPARED_AT_ONCE", at_once)
    db, fresh = tmp_path / "catalogue.db", tmp_path / "fresh.db"
    with FeedServer(services=services(12)) as server:
        assert pull(server.url, db, FAST).mode == "full"
        s = server.services
        s[0]["name"] += " neu"  # text only: every child row is kept
        s[1]["attributes"] = s[1]["attributes"] + s[2]["attributes"]  # a category added
        s[2]["attributes"] = []  # a category taken away
        s[3]["schedules"][0]["closes_at"] = "13:00"  # hours changed
        s[4]["phones"] = s[4]["phones"] + [{"id": "phone-2", "number": "05481 99999"}]  # a second phone
        s[5]["phones"] = []  # no phone any more
        s[6]["languages"].append({"id": "lang-en", "code": "en", "name": "English"})
        s[7]["service_at_locations"][0]["location"]["latitude"] = 52.25  # a number changed
        s[8]["service_at_locations"][0]["location"]["addresses"][0]["city"] = "Ibbenbüren"
        for changed in s[:9]:
            changed["last_modified"] = NEW
        del s[9]
        s.append(service("s-new", "Ganz neu", last_modified=NEW, categories=[("c1", "Bereich 1")]))
        report = pull(server.url, db, FAST)
        assert report.mode == "delta" and report.received == 10 and report.removed == 1
        assert pull(server.url, fresh, FAST).mode == "full"
    assert _by_id(db) == _by_id(fresh)
    assert _by_id(snapshots.backup_path(db)) == _by_id(fresh)
    assert contents(snapshots.backup_path(db)) == contents(db)
