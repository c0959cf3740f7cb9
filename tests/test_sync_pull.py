"""Pulling from a real HSDS feed server on 127.0.0.1 into a real SQLite catalogue."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.errors import FeedRejected, FeedUnreachable
from sync.pull import SyncOptions, pull
from tests.feedserver import FeedServer
from tests.hsdsdata import many, service, uid, write_json

FAST = SyncOptions(timeout_seconds=10, per_page=3)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "catalogue.db"


def names(db: Path) -> set[str]:
    with Catalogue(db) as cat:
        return {o.name for o in cat.all_offers()}


def test_api_full_pull_follows_pages_and_reads_taxonomy(db: Path) -> None:
    terms = [{"id": uid("term:alter"), "name": "Alter & Pflege", "description": "x", "code": "alter-pflege",
              "taxonomy": "Dritte Orte Bedarfe"}]
    services = many(7) + [service("p", "Pflege", categories=[("alter", "Alter & Pflege (alt)")])]
    with FeedServer(services=services, taxonomy_terms=terms) as server:
        url = server.url
        report = pull(url, db, FAST)
        pages = [r.query["page"] for r in server.requests_for("/services")]
        assert pages == ["1", "2", "3"]
        assert all(r.query.get("full") == "true" and r.query["per_page"] == "3"
                   for r in server.requests_for("/services"))
    assert (report.mode, report.received, report.after) == ("full", 8, 8)
    with Catalogue(db) as cat:
        # The feed's own term list wins over the copy nested in the service.
        assert [c.name for c in cat.categories()] == ["Alter & Pflege"]
        assert cat.status().source == url


def test_second_api_pull_is_incremental_and_finds_removals(db: Path) -> None:
    services = [service(f"s{i}", f"Angebot {i}", last_modified="2026-01-01T00:00:00Z") for i in range(6)]
    with FeedServer(services=services) as server:
        pull(server.url, db, FAST)
        server.clear_log()
        # One service changes, one is removed, one becomes inactive, one is new.
        server.services[0] = service("s0", "Angebot 0 neu", last_modified="2099-01-01T00:00:00Z")
        server.services[1] = service("s1", "Angebot 1", status="inactive", last_modified="2099-01-01T00:00:00Z")
        del server.services[2]
        server.services.append(service("s9", "Ganz neu", last_modified="2099-01-01T00:00:00Z"))
        report = pull(server.url, db, FAST)
        first = server.requests_for("/services")[0]
        assert "modified_after" in first.query
        assert any(r.query.get("minimal") == "true" for r in server.requests_for("/services"))
    assert report.mode == "delta" and report.received == 3 and report.removed == 1
    assert names(db) == {"Angebot 0 neu", "Angebot 3", "Angebot 4", "Angebot 5", "Ganz neu"}


def test_snapshot_with_etag_is_not_downloaded_twice(db: Path) -> None:
    with FeedServer(services=many(4)) as server:
        url = server.url + "/snapshot.json"
        assert pull(url, db, FAST).after == 4
        report = pull(url, db, FAST)
        assert report.mode == "not-modified"
        second = server.requests_for("/snapshot.json")[-1]
        assert second.headers.get("if-none-match") == server.snapshot_etag
        server.services = many(5)
        assert pull(url, db, FAST).after == 5


def test_gzipped_snapshot_file(db: Path) -> None:
    with FeedServer(services=many(3)) as server:
        assert pull(server.url + "/snapshot.json.gz", db, FAST).after == 3


@pytest.mark.parametrize("path, mode, kwargs, error, words", [
    ("/services", "status", {"status": 503}, FeedUnreachable, "503"),
    ("/services", "garbage", {}, FeedRejected, "not JSON"),
    ("/services", "wrong_shape", {}, FeedRejected, "array"),
    ("/services", "close", {}, FeedUnreachable, ""),
    ("/snapshot.json", "truncate", {}, FeedUnreachable, "bytes"),
    ("/snapshot.json", "slow", {"drip_interval": 0.05, "drip_limit": 8}, FeedUnreachable, "deadline"),
    ("/snapshot.json", "garbage", {}, FeedRejected, "not JSON"),
])
def test_feed_failures_keep_the_old_catalogue_and_say_why(db: Path, tmp_path: Path, path, mode, kwargs, error,
                                                          words) -> None:
    with FeedServer(services=many(25, "Neu")) as server:
        from sync.pull import import_file
        import_file(write_json(tmp_path / "old.json", many(5, "Alt")), db)
        server.set_fault(path, mode, **kwargs)
        base = server.url
        url = base + ("/snapshot.json" if path == "/snapshot.json" else "")
        started = time.monotonic()
        with pytest.raises(error) as info:
            pull(url, db, SyncOptions(timeout_seconds=2, per_page=10))
        assert time.monotonic() - started < 8
    assert base in str(info.value) and words in str(info.value)
    assert names(db) == {f"Alt {i}" for i in range(5)}
    with Catalogue(db) as cat:
        assert base in cat.status().last_error


def test_unreachable_feed(db: Path, tmp_path: Path) -> None:
    from sync.pull import import_file
    import_file(write_json(tmp_path / "old.json", many(2)), db)
    with pytest.raises(FeedUnreachable, match="127.0.0.1:9"):
        pull("http://127.0.0.1:9/hsds", db, SyncOptions(timeout_seconds=3))
    assert len(names(db)) == 2


# -- the real command, killed -------------------------------------------------------------------------

def kiosk_sync() -> list[str]:
    script = Path(sys.executable).with_name("kiosk-sync")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kiosk.synccli"]


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    (tmp_path / "kiosk.toml").write_text("[catalogue]\ndatabase = 'catalogue.db'\n")
    env["KIOSK_CONFIG"] = str(tmp_path / "kiosk.toml")
    return env


def test_kill_9_mid_transfer_keeps_the_old_catalogue(db: Path, tmp_path: Path) -> None:
    from sync.pull import import_file
    import_file(write_json(tmp_path / "old.json", many(5, "Alt")), db)
    with FeedServer(services=many(50, "Neu")) as server:
        server.set_fault("/snapshot.json", "slow", drip_interval=0.02, drip_bytes=200, drip_limit=20)
        proc = subprocess.Popen([*kiosk_sync(), "pull", "--feed", server.url + "/snapshot.json", "--db", str(db)],
                                env=clean_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not server.requests_for("/snapshot.json") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # bytes are flowing now
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)
        # The kiosk, opening the catalogue now, still gets the old offers, whole.
        assert names(db) == {f"Alt {i}" for i in range(5)}
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        server.clear_fault()
        done = subprocess.run([*kiosk_sync(), "pull", "--feed", server.url + "/snapshot.json", "--db", str(db)],
                              env=clean_env(tmp_path), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    assert len(names(db)) == 50


@pytest.mark.parametrize("delay", [0.15, 0.3, 0.45, 0.6, 0.9])
def test_kill_9_at_any_moment_of_an_import_leaves_old_or_new(db: Path, tmp_path: Path, delay: float) -> None:
    from sync.pull import import_file
    import_file(write_json(tmp_path / "old.json", many(5, "Alt")), db)
    big = write_json(tmp_path / "big.json", many(3000, "Neu"))
    proc = subprocess.Popen([*kiosk_sync(), "import", str(big), "--db", str(db)], env=clean_env(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(5)
    with Catalogue(db) as cat:
        count = cat.count()
        assert count in (5, 3000)
        prefixes = {o.name.split()[0] for o in cat.all_offers()}
        assert prefixes == ({"Alt"} if count == 5 else {"Neu"})
        assert len(cat.search("alt" if count == 5 else "neu", limit=10_000)) == count
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_full_disk_during_a_sync_keeps_the_old_catalogue(db: Path, tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes every write past the limit fail with EFBIG, like a full disk."""
    from sync.pull import import_file
    import_file(write_json(tmp_path / "old.json", many(5, "Alt")), db)
    big = write_json(tmp_path / "big.json", many(2000, "Neu"))
    limit = 256 * 1024

    def small_disk() -> None:
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([*kiosk_sync(), "import", str(big), "--db", str(db)], env=clean_env(tmp_path),
                          capture_output=True, text=True, timeout=60, preexec_fn=small_disk)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "old catalogue is kept" in done.stderr and str(db) in done.stderr
    assert names(db) == {f"Alt {i}" for i in range(5)}


def test_a_second_sync_while_one_runs_is_refused_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    from sync.errors import SyncBusy
    from sync.pull import import_file
    from sync.store import sync_lock
    import_file(write_json(tmp_path / "old.json", many(3, "Alt")), db)
    with sync_lock(db):  # as if a timer's sync were running
        with pytest.raises(SyncBusy, match="another sync is running"):
            import_file(write_json(tmp_path / "new.json", many(4, "Neu")), db)
    assert names(db) == {f"Alt {i}" for i in range(3)}
    with Catalogue(db) as cat:
        assert cat.status().last_error is None
    import_file(tmp_path / "new.json", db)
    assert len(names(db)) == 4


def test_progress_is_reported_while_records_are_read(db: Path, tmp_path: Path) -> None:
    from sync.pull import import_file
    seen: list[int] = []
    import_file(write_json(tmp_path / "f.json", many(1200)), db, SyncOptions(progress=seen.append))
    assert seen == sorted(seen) and seen[-1] == 1200 and len(seen) >= 3  # in batches, to the end


def test_a_sync_collects_garbage_less_often_and_gives_the_settings_back(tmp_path: Path, monkeypatch) -> None:
    # sync.store.fewer_collections: a sync runs with larger collector thresholds (a tenth of its CPU
    # time), and whatever the process had is back afterwards, after a good sync and a failed one.
    import gc

    from sync import store
    from sync.pull import import_file

    seen: list[tuple[int, int, int]] = []
    real_apply = store.apply_staging

    def apply_noting(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(store, "apply_staging", apply_noting)
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        import_file(write_json(tmp_path / "feed.json", many(3)), tmp_path / "catalogue.db")
        assert seen == [(10_000, 50, 100)] and gc.get_threshold() == (700, 10, 10)
        with pytest.raises(FeedRejected):
            import_file(write_json(tmp_path / "empty.json", []), tmp_path / "catalogue.db")
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(0)  # collection switched off stays off
        import_file(write_json(tmp_path / "feed.json", many(3)), tmp_path / "catalogue.db")
        assert seen[-1][0] == 0 and gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_a_delta_needs_no_sqlite_utils_unless_the_file_lacks_part_of_its_layout(db: Path) -> None:
    # sync.schema._complete: a catalogue with every table, column and index is opened without
    # sqlite-utils (45 ms to import, a tenth of a delta); one that lacks an index still gets it.
    probe = ("import sys; from pathlib import Path; from sync.pull import SyncOptions, pull; "
             "r = pull(sys.argv[1], Path(sys.argv[2]), SyncOptions(timeout_seconds=10, per_page=3)); "
             "print(r.mode, 'sqlite_utils' in sys.modules)")
    services = [service(f"s{i}", f"Angebot {i}", last_modified="2026-01-01T00:00:00Z") for i in range(5)]
    with FeedServer(services=services) as server:
        pull(server.url, db, FAST)
        seen = []
        for n in (1, 2):
            server.services[n] = service(f"s{n}", f"Angebot {n} neu", last_modified=f"2099-01-0{n}T00:00:00Z")
            if n == 1:
                with sqlite3.connect(db) as conn:
                    conn.execute("DROP INDEX idx_offers_visible_town")
            done = subprocess.run([sys.executable, "-c", probe, server.url, str(db)], capture_output=True,
                                  text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
            assert done.returncode == 0, done.stderr[-2000:]
            seen.append(done.stdout.split())
    assert seen == [["delta", "True"], ["delta", "False"]]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'idx_offers_visible_town'").fetchone()
    assert names(db) == {"Angebot 0", "Angebot 1 neu", "Angebot 2 neu", "Angebot 3", "Angebot 4"}
