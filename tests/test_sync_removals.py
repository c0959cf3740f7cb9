"""When a delta sync reads the server's whole id list (sync.removals), against a real feed server.

The list is 4.7 MB at 50,000 offers; a delta reads the server's count instead (one id) and reads
the list only when the count says something may have been deleted, or when it was last read a day
ago. Whatever the count says, offers are only deleted on a trusted list (tests/faults/test_lying_server.py).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sync.catalogue import Catalogue
from sync.pull import SyncOptions, pull
from sync.removals import CHECKED_KEY, COUNT_KEY
from tests.feedserver import FeedServer
from tests.hsdsdata import service, uid

OPTIONS = SyncOptions(timeout_seconds=20, per_page=10)
LATER = "2099-01-01T00:00:00Z"


def feed(n: int = 30) -> list[dict]:
    return [service(f"r{i}", f"Angebot {i}") for i in range(n)]


def ids(db: Path) -> set[str]:
    with Catalogue(db) as cat:
        return {o.id for o in cat.all_offers()}


def meta(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def set_meta(db: Path, key: str, value: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def list_reads(server: FeedServer) -> list:
    """Requests for the whole id list (the count asks for one id a page)."""
    return [r for r in server.requests_for("/services")
            if r.query.get("minimal") == "true" and r.query.get("per_page") != "1"]


def count_reads(server: FeedServer) -> list:
    return [r for r in server.requests_for("/services")
            if r.query.get("minimal") == "true" and r.query.get("per_page") == "1"]


def test_a_delta_without_deletions_reads_the_count_not_the_id_list(tmp_path: Path) -> None:
    db, services = tmp_path / "c.db", feed()
    with FeedServer(services=services) as server:
        assert pull(server.url, db, OPTIONS).after == 30
        assert meta(db)[COUNT_KEY] == "30"
        server.services[3] = service("r3", "Angebot 3 neu", last_modified=LATER)
        server.services.append(service("new", "Ganz neu", last_modified=LATER))
        server.clear_log()
        report = pull(server.url, db, OPTIONS)
        assert len(count_reads(server)) == 1 and list_reads(server) == []
    assert report.mode == "delta" and report.removed == 0 and report.caution is None
    assert ids(db) == {s["id"] for s in services} | {uid("new")}
    assert meta(db)[COUNT_KEY] == "31"


def test_one_deleted_and_one_added_reads_the_list_and_removes_the_deleted(tmp_path: Path) -> None:
    """The server's total stays the same, but the new offer is in the delta: one more was expected."""
    db, services = tmp_path / "c.db", feed()
    with FeedServer(services=services) as server:
        pull(server.url, db, OPTIONS)
        gone = server.services.pop(5)
        server.services.append(service("new", "Ganz neu", last_modified=LATER))
        server.clear_log()
        report = pull(server.url, db, OPTIONS)
        assert list_reads(server), "the id list was not read"
    assert report.removed == 1 and report.caution is None
    assert ids(db) == {s["id"] for s in services} - {gone["id"]} | {uid("new")}
    assert meta(db)[COUNT_KEY] == "30"


def test_a_record_skipped_before_does_not_hide_a_deletion(tmp_path: Path) -> None:
    """The server counts a record the kiosk skipped (no name): its count is one higher than the kiosk's
    offers. A deletion then makes them equal, which must not look like 'nothing deleted'."""
    db, services = tmp_path / "c.db", feed()
    broken = {"id": uid("broken"), "last_modified": "2026-01-01T00:00:00Z", "description": "ohne Namen"}
    with FeedServer(services=[*services, broken]) as server:
        assert pull(server.url, db, OPTIONS).after == 30
        assert meta(db)[COUNT_KEY] == "31"
        server.clear_log()
        assert pull(server.url, db, OPTIONS).removed == 0  # nothing changed: no list
        assert list_reads(server) == []
        gone = server.services.pop(0)
        server.clear_log()
        report = pull(server.url, db, OPTIONS)
        assert list_reads(server)
    assert report.removed == 1 and ids(db) == {s["id"] for s in services} - {gone["id"]}


def test_a_new_record_the_kiosk_skips_counts_as_new(tmp_path: Path) -> None:
    """A new record the kiosk cannot use and a deletion: the count is equal, but the list is read."""
    db, services = tmp_path / "c.db", feed()
    with FeedServer(services=services) as server:
        pull(server.url, db, OPTIONS)
        gone = server.services.pop(2)
        server.services.append({"id": uid("nameless"), "description": "ohne Namen", "last_modified": LATER})
        server.clear_log()
        report = pull(server.url, db, OPTIONS)
        assert list_reads(server) and report.skipped
        assert report.removed == 1 and gone["id"] not in ids(db)
        # Without an id at all: the list is read too (and, holding an entry without an id, not trusted).
        gone = server.services.pop(2)
        server.services[-1] = {"description": "ohne id", "last_modified": LATER}
        server.clear_log()
        report = pull(server.url, db, OPTIONS)
        assert list_reads(server) and report.removed == 0 and "has no id" in (report.caution or "")
    assert gone["id"] in ids(db)


def test_a_lying_count_deletes_nothing_and_the_daily_list_finds_the_deletion(tmp_path: Path) -> None:
    db, services = tmp_path / "c.db", feed()
    with FeedServer(services=services) as server:
        pull(server.url, db, OPTIONS)
        gone = server.services.pop(4)
        server.set_lie("/services", when={"minimal": "true", "per_page": "1"}, total_items=30)
        server.clear_log()
        report = pull(server.url, db, OPTIONS)
        assert list_reads(server) == [] and report.removed == 0
        assert ids(db) == {s["id"] for s in services}  # a deletion seen late, never a wrong one
        set_meta(db, CHECKED_KEY, "2020-01-01T00:00:00+00:00")  # the list was last read long ago
        report = pull(server.url, db, OPTIONS)
        assert list_reads(server) and report.removed == 1
    assert gone["id"] not in ids(db)
    assert meta(db)[CHECKED_KEY] > "2020"


def test_no_kept_count_or_no_count_from_the_server_reads_the_list(tmp_path: Path) -> None:
    db, services = tmp_path / "c.db", feed()
    with FeedServer(services=services) as server:
        pull(server.url, db, OPTIONS)
        set_meta(db, COUNT_KEY, "")  # e.g. a catalogue synced before this code: no count kept
        server.clear_log()
        pull(server.url, db, OPTIONS)
        assert len(list_reads(server)) == 1
        server.clear_log()
        pull(server.url, db, OPTIONS)  # now the count is kept: no list
        assert list_reads(server) == []
        server.set_lie("/services", when={"minimal": "true", "per_page": "1"}, fields={"total_items": None})
        server.clear_log()
        pull(server.url, db, OPTIONS)
        assert len(list_reads(server)) == 1
        set_meta(db, CHECKED_KEY, "2999-01-01T00:00:00+00:00")  # a clock that was set far ahead
        server.clear_fault()
        server.clear_log()
        pull(server.url, db, OPTIONS)
        assert len(list_reads(server)) == 1


def test_a_file_import_forgets_the_count(tmp_path: Path) -> None:
    db, services = tmp_path / "c.db", feed()
    with FeedServer(services=services) as server:
        pull(server.url, db, OPTIONS)
        assert pull(server.url + "/snapshot.json", db, OPTIONS).mode == "full"
    assert COUNT_KEY not in meta(db) and CHECKED_KEY not in meta(db)
