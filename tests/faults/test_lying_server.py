"""A server that lies about its pagination, against the real `kiosk-sync` and a real local HTTP server.

What must hold (issue 12, items 1 and 2):

* a full sync compares what it read with what the server announced (`total_items`, `total_pages`,
  `last_page`, empty or repeated pages, wrong types, HTML): any mismatch rejects the sync, exit 1,
  the old catalogue (or none, on a first sync) stays, and the reason names the URL and the page;
* a delta sync never deletes a live offer on an id list it cannot trust: the changes land, the
  removals are skipped with a warning in `status`, and the next trustworthy list removes only what
  is really gone.

After every faulted run the catalogue passes `PRAGMA integrity_check` and holds exactly the last good
offers or the complete new ones.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.pull import SyncOptions, import_file, pull
from tests.feedserver import FeedServer
from tests.hsdsdata import many, service, write_json
from tests.test_sync_pull import clean_env, kiosk_sync

PER_PAGE = 10
OPTIONS = SyncOptions(timeout_seconds=20, per_page=PER_PAGE)


def run_sync(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    """`kiosk-sync ARGS` as its own process, with a kiosk.toml that asks for 10 records a page."""
    env = clean_env(tmp_path)
    Path(env["KIOSK_CONFIG"]).write_text(
        f"[catalogue]\ndatabase = 'catalogue.db'\nper_page = {PER_PAGE}\ntimeout_seconds = 20\n")
    return subprocess.run([*kiosk_sync(), *args], env=env, capture_output=True, text=True, timeout=120)


def status(db: Path, tmp_path: Path) -> dict:
    done = run_sync(["status", "--db", str(db), "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def offer_ids(db: Path) -> set[str]:
    if not db.exists():
        return set()
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM offers")}


def assert_intact(db: Path, expected_ids: set[str]) -> None:
    """The catalogue file is sound and holds exactly `expected_ids` (the last good or the complete new)."""
    if not db.exists():
        assert not expected_ids
        return
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert offer_ids(db) == expected_ids
    with Catalogue(db) as cat:  # the kiosk's own view agrees: every offer visible and searchable
        assert cat.count() == len(expected_ids)


# ---------------------------------------------------------------------------------------- full sync

# 50 services, 10 a page: the truth is 5 pages. Each lie and the words the rejection must hold.
FULL_LIES = {
    "empty page in the middle": (dict(empty_pages={3}), ["page 3, which was empty", "total_items"]),
    "last_page on page 1": (dict(last_page_at=1), ["announced 50 records", "sent 10", "page 1",
                                                   "last_page: true"]),
    "total_pages too small": (dict(total_pages=2, last_page_at=2), ["announced 50 records", "sent 20"]),
    "total_pages too large": (dict(total_pages=9), ["announced 9 pages", "page 5, which said last_page: true"]),
    "total_pages too large, no last_page": (dict(total_pages=9, fields={"last_page": False}),
                                            ["announced 9 pages", "page 6, which was empty"]),
    "total_items too large": (dict(total_items=60), ["announced 60 records", "sent 50"]),
    "total_items too small": (dict(total_items=40), ["announced 40 records", "sent 50"]),
    "a page repeats an earlier one": (dict(repeat={4: 2}), ["page 4 repeats the records of page 2"]),
    "total_items as text": (dict(total_items="50"), ["'total_items' is \"50\" (a JSON string)"]),
    "total_pages as a fraction": (dict(total_pages=5.5), ["'total_pages' is 5.5", "whole number"]),
    "total_items negative": (dict(total_items=-1), ["'total_items' is -1"]),
    "last_page as text": (dict(fields={"last_page": "false"}), ["'last_page' is \"false\" (a JSON string)",
                                                                "true or false"]),
    "contents not an array": (dict(fields={"contents": {"id": "x"}}), ["'contents' to be a JSON array"]),
    "total_items changes on page 3": (dict(when={"page": "3"}, total_items=51),
                                      ["changed while it was read", "page 1 announced total_items 50",
                                       "page 3 announces 51"]),
}


@pytest.fixture
def services() -> list[dict]:
    return many(50, "Neu")


@pytest.mark.parametrize("lie", list(FULL_LIES))
def test_first_full_sync_on_a_lying_server_is_rejected_with_the_page(tmp_path: Path, services, lie: str) -> None:
    """No previous catalogue, so no shrink guard: only comparing with the announcement catches it."""
    db = tmp_path / "c.db"
    overrides, words = FULL_LIES[lie]
    with FeedServer(services=services) as server:
        server.set_lie("/services", **overrides)
        url = server.url
        done = run_sync(["pull", "--feed", url, "--db", str(db)], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "old catalogue is kept" in done.stderr
    assert f"{url}/services?full=true&page=" in done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)
    assert_intact(db, set())
    st = status(db, tmp_path)
    assert st["offers"] == 0 and st["last_success"] is None
    assert all(word in st["last_error"] for word in words) and url in st["last_error"]


@pytest.mark.parametrize("lie", ["empty page in the middle", "last_page on page 1", "total_pages too small",
                                 "a page repeats an earlier one", "total_items too small"])
def test_a_lying_full_sync_keeps_the_last_good_catalogue(tmp_path: Path, services, lie: str) -> None:
    db = tmp_path / "c.db"
    old = many(30, "Alt")
    assert import_file(write_json(tmp_path / "old.json", old), db).after == 30  # so the pull is a full one
    with FeedServer(services=services) as server:
        overrides, words = FULL_LIES[lie]
        server.set_lie("/services", **overrides)
        done = run_sync(["pull", "--feed", server.url, "--db", str(db)], tmp_path)
    assert done.returncode == 1 and all(w in done.stderr for w in words), done.stderr
    assert_intact(db, {s["id"] for s in old})


def test_html_instead_of_json_on_page_3(tmp_path: Path, services) -> None:
    db = tmp_path / "c.db"
    with FeedServer(services=services) as server:
        server.set_fault("/services", "body", body=b"<!DOCTYPE html><title>Wartung</title>",
                         content_type="text/html", when={"page": "3"})
        url = server.url
        done = run_sync(["pull", "--feed", url, "--db", str(db)], tmp_path)
    assert done.returncode == 1
    assert f"{url}/services?full=true&page=3&per_page=" in done.stderr
    assert "not JSON: the body does not start with a JSON value" in done.stderr
    assert_intact(db, set())


def test_the_same_server_telling_the_truth_is_read_completely(tmp_path: Path, services) -> None:
    """The control: what the lies above break is a sync that works."""
    db = tmp_path / "c.db"
    with FeedServer(services=services) as server:
        done = run_sync(["pull", "--feed", server.url, "--db", str(db)], tmp_path)
        assert done.returncode == 0, done.stderr
        assert len(server.requests_for("/services")) == 5
    assert_intact(db, {s["id"] for s in services})
    assert status(db, tmp_path)["warning"] is None


def test_a_server_without_page_fields_ends_at_the_first_empty_page(tmp_path: Path, services) -> None:
    """Nothing announced, nothing to compare: the list ends at an empty page (as before)."""
    db = tmp_path / "c.db"
    with FeedServer(services=services, page_fields=False) as server:
        assert pull(server.url, db, OPTIONS).after == 50
    assert_intact(db, {s["id"] for s in services})


# --------------------------------------------------------------------------------------- delta sync

MINIMAL = {"minimal": "true"}
# 165 services; the server gives at most 100 a page (like real APIs), so the id list has 2 pages.
DELTA_LIES = {
    "total_pages too small": dict(when=MINIMAL, total_pages=1, last_page_at=1),
    "last_page on page 1": dict(when=MINIMAL, last_page_at=1),
    "empty second page": dict(when=MINIMAL, empty_pages={2}),
    "page 2 repeats page 1": dict(when=MINIMAL, repeat={2: 1}),
    "no total_items": dict(when=MINIMAL, fields={"total_items": None}),
    "total_items as text": dict(when=MINIMAL, total_items="165"),
    "total_items too small": dict(when=MINIMAL, total_items=100),
    # A consistent lie: page 2 never comes and the count agrees with page 1. Only asking the server
    # for a few of the "removed" offers one by one shows that they are still there.
    "a consistent short list": dict(when=MINIMAL, total_items=100, total_pages=1, last_page_at=1),
}


def delta_feed() -> list[dict]:
    return [service(f"d{i}", f"Angebot {i}", last_modified="2026-01-01T00:00:00Z") for i in range(165)]


def change_feed(server: FeedServer) -> tuple[str, str]:
    """One service changes, one is really removed. Returns (changed id, removed id)."""
    server.services[0] = service("d0", "Angebot 0 neu", last_modified="2099-01-01T00:00:00Z")
    removed = server.services.pop(7)
    return server.services[0]["id"], removed["id"]


@pytest.mark.parametrize("lie", list(DELTA_LIES))
def test_a_delta_sync_never_deletes_on_an_id_list_it_cannot_trust(tmp_path: Path, lie: str) -> None:
    db = tmp_path / "c.db"
    services = delta_feed()
    all_ids = {s["id"] for s in services}
    with FeedServer(services=services, max_per_page=100) as server:
        assert pull(server.url, db, OPTIONS).after == 165
        changed, gone = change_feed(server)
        server.set_lie("/services", **DELTA_LIES[lie])
        done = run_sync(["pull", "--feed", server.url, "--db", str(db)], tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "delta sync" in done.stdout and "removed" not in done.stdout.split("Warning")[0]
        assert "Warning: no offers were removed in this sync" in done.stdout
        # Every offer is still there, the change has landed.
        assert_intact(db, all_ids)
        with Catalogue(db) as cat:
            assert cat.offer(changed).name == "Angebot 0 neu"
        st = status(db, tmp_path)
        assert st["last_error"] is None and st["mode"] == "delta"
        assert "cannot be trusted" in st["warning"] and f"{server.url}/services" in st["warning"]
        shown = run_sync(["status", "--db", str(db)], tmp_path).stdout
        assert "Warning:       no offers were removed in this sync" in shown

        # The server tells the truth again: exactly the one really removed offer goes, nothing else.
        server.clear_fault()
        done = run_sync(["pull", "--feed", server.url, "--db", str(db)], tmp_path)
        assert done.returncode == 0, done.stderr
        assert "1 removed" in done.stdout and "Warning" not in done.stdout
    assert_intact(db, all_ids - {gone})
    assert status(db, tmp_path)["warning"] is None


@pytest.mark.parametrize("fault, kwargs", [
    ("body", dict(body=b"<html>\n<h1>502 Bad Gateway</h1>", content_type="text/html")),
    ("status", dict(status=500)),
    ("truncate", dict()),
])
def test_a_broken_id_list_keeps_every_offer_and_says_why(tmp_path: Path, fault: str, kwargs: dict) -> None:
    db = tmp_path / "c.db"
    services = delta_feed()
    with FeedServer(services=services, max_per_page=100) as server:
        pull(server.url, db, OPTIONS)
        change_feed(server)
        server.set_fault("/services", fault, when=MINIMAL, **kwargs)
        report = pull(server.url, db, SyncOptions(timeout_seconds=5, per_page=PER_PAGE))
    assert report.mode == "delta" and report.removed == 0 and report.received == 1
    assert "minimal=true" in report.caution and "cannot be trusted" in report.caution
    assert_intact(db, {s["id"] for s in services})


def test_a_lying_delta_list_rejects_the_sync(tmp_path: Path) -> None:
    """The changed services themselves come as a paged list: it is held to the same rules."""
    db = tmp_path / "c.db"
    services = delta_feed()
    with FeedServer(services=services) as server:
        pull(server.url, db, OPTIONS)
        for i in range(25):
            server.services[i] = service(f"d{i}", f"Geändert {i}", last_modified="2099-01-01T00:00:00Z")
        server.set_lie("/services", when={"full": "true"}, last_page_at=1)
        done = run_sync(["pull", "--feed", server.url, "--db", str(db)], tmp_path)
    assert done.returncode == 1 and "modified_after" in done.stderr and "announced 25 records" in done.stderr
    assert_intact(db, {s["id"] for s in delta_feed()})
    with Catalogue(db) as cat:
        assert not cat.search("Geändert")


def test_a_truthful_delta_sync_removes_what_is_gone(tmp_path: Path) -> None:
    """The control for the delta lies: the same steps without a lie remove the one service."""
    db = tmp_path / "c.db"
    services = delta_feed()
    with FeedServer(services=services, max_per_page=100) as server:
        pull(server.url, db, OPTIONS)
        _, gone = change_feed(server)
        report = pull(server.url, db, OPTIONS)
        probes = [r.path for r in server.requests_for(f"/services/{gone}")]
        done = run_sync(["pull", "--feed", server.url, "--db", str(db), "--json"], tmp_path)
    assert report.removed == 1 and report.caution is None
    assert done.returncode == 0 and json.loads(done.stdout)["warning"] is None
    assert probes == [f"/services/{gone}"]  # the removal was confirmed one by one
    assert_intact(db, {s["id"] for s in services} - {gone})
