"""What a sync leaves behind, malformed feed URLs, and both commands in a pipe (issues 12.11 and 9).

* A snapshot download killed half-way leaves a `*.snapshot-*.download` file; the next sync of that
  catalogue removes it (it holds the catalogue's lock, so it is no other sync's download).
* A malformed `feed_url` (or `--feed`) is a settings/usage error, exit 2, naming the key.
* `kiosk-sync search … | head` ends quietly; `kiosk … | head` refuses to start instead of spinning.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.errors import FeedError
from sync.pull import SyncOptions, import_file, pull
from tests.faults.test_lying_server import assert_intact, run_sync
from tests.feedserver import FeedServer
from tests.hsdsdata import many, write_json
from tests.test_sync_pull import clean_env, kiosk_sync


def downloads(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.download"))


def test_a_killed_download_is_cleaned_up_by_the_next_sync(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    old = many(5, "Alt")
    import_file(write_json(tmp_path / "old.json", old), db)
    with FeedServer(services=many(60, "Neu")) as server:
        url = server.url + "/snapshot.json"
        server.set_fault("/snapshot.json", "slow", drip_interval=0.02, drip_bytes=500, drip_limit=20)
        proc = subprocess.Popen([*kiosk_sync(), "pull", "--feed", url, "--db", str(db)], env=clean_env(tmp_path),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        end = time.monotonic() + 15
        while not downloads(tmp_path) and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(0.3)  # bytes are being written into it
        assert proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)
        left = downloads(tmp_path)
        assert len(left) == 1 and left[0].name.startswith("c.db.snapshot-") and left[0].stat().st_size > 0
        assert_intact(db, {s["id"] for s in old})

        # The next sync fails (the feed is still broken) and still removes the leftover.
        server.set_fault("/snapshot.json", "truncate")
        with pytest.raises(FeedError):  # the feed's fault, said as such (not a crash of the sync)
            pull(url, db, SyncOptions(timeout_seconds=5))
        assert downloads(tmp_path) == []
        server.clear_fault()
        assert pull(url, db, SyncOptions(timeout_seconds=20)).after == 60
    assert downloads(tmp_path) == []
    assert_intact(db, {s["id"] for s in many(60, "Neu")})


def test_old_style_leftovers_are_removed_once_stale_and_fresh_ones_of_others_kept(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    stale = tmp_path / "snapshot-abc123.download"
    stale.write_bytes(b"x" * 1000)
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    fresh = tmp_path / "snapshot-def456.download"  # maybe another catalogue's sync, running now
    fresh.write_bytes(b"y")
    other = tmp_path / "other.db.snapshot-zzz.download"  # another catalogue's, by name
    other.write_bytes(b"z")
    with FeedServer(services=many(3)) as server:
        assert pull(server.url + "/snapshot.json", db, SyncOptions(timeout_seconds=20)).after == 3
    assert downloads(tmp_path) == sorted([fresh, other])


# ------------------------------------------------------------------------------- malformed URLs

@pytest.mark.parametrize("url, why", [
    ("http://[::1", "Invalid IPv6 URL"),
    ("http://[::1]:99999/hsds", "Port out of range"),
    ("http://example.org:abc/", "Port could not be cast"),
    ("http://", "no host name"),
    ("https://exa mple.org/", "holds a space"),
    ("ftp://example.org/feed.json", "only http:// and https://"),
])
def test_a_malformed_feed_url_is_a_settings_error(tmp_path: Path, url: str, why: str) -> None:
    db = tmp_path / "c.db"
    config = tmp_path / "bad.toml"
    config.write_text(f'[catalogue]\nfeed_url = "{url}"\n', encoding="utf-8")
    for command in (["pull"], ["status"]):
        done = subprocess.run([*kiosk_sync(), *command, "--config", str(config), "--db", str(db)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert f"{config}: catalogue.feed_url: expected" in done.stderr and why in done.stderr
        assert "(line 2)" in done.stderr and "Traceback" not in done.stderr
    done = run_sync(["pull", "--feed", url, "--db", str(db)], tmp_path)
    assert done.returncode == 2 and why in done.stderr and "Traceback" not in done.stderr
    assert not db.exists()  # nothing was started


def test_the_api_refuses_a_malformed_url_in_words() -> None:
    from sync.errors import FeedRejected

    with pytest.raises(FeedRejected, match=r"http://\[::1: not a valid URL \(Invalid IPv6 URL\)"):
        pull("http://[::1", Path("/nonexistent/c.db"))


# ---------------------------------------------------------------------------------------- pipes

def test_kiosk_sync_search_into_head_ends_quietly(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    import_file(write_json(tmp_path / "f.json", many(2000)), db)
    command = f"'{kiosk_sync()[0]}' search angebot --limit 2000 --json --db '{db}' | head -c 100; " \
              "echo; echo status=${PIPESTATUS[0]}"
    if len(kiosk_sync()) > 1:
        pytest.skip("needs the installed kiosk-sync script")
    done = subprocess.run(["bash", "-c", command], env=clean_env(tmp_path), capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.startswith("[")
    assert "status=0" in done.stdout, done.stdout[-200:] + done.stderr
    assert done.stderr == "", done.stderr  # no BrokenPipeError, no "Exception ignored"


def test_kiosk_into_a_pipe_refuses_to_start_instead_of_spinning(tmp_path: Path) -> None:
    kiosk = Path(sys.executable).with_name("kiosk")
    config = tmp_path / "kiosk.toml"
    config.write_text('[catalogue]\ndatabase = "var/c.db"\n', encoding="utf-8")
    started = time.monotonic()
    done = subprocess.run([str(kiosk), "--config", str(config)], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "TERM": "xterm-256color"})
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert time.monotonic() - started < 30
    assert not (tmp_path / "var" / "c.db").exists()  # refused before it touched anything
