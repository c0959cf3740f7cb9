"""Feed bytes never reach a terminal through an error message (issue 12, item 3).

A broken feed may carry terminal escape sequences: OSC 0 (sets the window title), ESC[2J (clears
the screen), OSC 52 (writes the clipboard), C1 controls (a one-byte CSI), bidi overrides (turn text
around). A parser's error quotes the feed, an HTTP reason phrase is the server's own text, a URL
and a record's id come from outside. Every such message is cleaned once, when the error or the
report line is made, so what `kiosk-sync` prints, what `status` stores (`last_error`, the skipped
records) and what the volunteer menu shows holds none of them.
"""
from __future__ import annotations

import json
import pickle
import subprocess
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.errors import FeedError, FeedRejected, FeedUnreachable, StoreError, SyncBusy, clean_message
from sync.pull import SyncOptions, SyncReport, import_file, pull
from tests.faults.test_lying_server import assert_intact, run_sync
from tests.feedserver import FeedServer
from tests.hsdsdata import many, service
from tests.test_sync_pull import kiosk_sync

OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
OSC_52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
C1_CSI = "\x9b31m"
BIDI = "\u202eevil\u202c\u2066x\u2069\u200f"
HOSTILE = OSC_TITLE + CLEAR + OSC_52 + C1_CSI + BIDI + "\r\x08\x00"
BAD = set(range(0x00, 0x20)) | set(range(0x7F, 0xA0)) | {
    0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def assert_clean(text: str, *, lines: bool = False) -> None:
    """No control character (a newline only between lines of CLI output), no bidi control."""
    allowed = {0x0A} if lines else set()
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ord(ch) in BAD - allowed})
    assert not found, (found, text)


def assert_clean_status(db: Path, tmp_path: Path) -> dict:
    done = run_sync(["status", "--db", str(db)], tmp_path)
    assert done.returncode == 0 and "Last error:" in done.stdout
    assert_clean(done.stdout, lines=True)
    st = json.loads(run_sync(["status", "--db", str(db), "--json"], tmp_path).stdout)
    for value in (st["last_error"], st["source"], st["warning"], *st["skipped"]):
        assert_clean(value or "")
    return st


@pytest.fixture
def db(tmp_path: Path) -> Path:
    db = tmp_path / "c.db"
    import_file(_write(tmp_path / "old.json", json.dumps(many(4, "Alt")).encode()), db)
    return db


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


OLD_IDS = {s["id"] for s in many(4, "Alt")}


# ------------------------------------------------------------------------- the choke point itself

def test_every_sync_error_cleans_its_message() -> None:
    for exc in (FeedError("http://x/" + HOSTILE, "reason " + HOSTILE), FeedRejected(HOSTILE, HOSTILE),
                FeedUnreachable(HOSTILE, HOSTILE), StoreError(HOSTILE + " disk"), SyncBusy(HOSTILE)):
        assert_clean(str(exc))
        assert_clean(" ".join(str(a) for a in exc.args))
        if isinstance(exc, FeedError):
            assert_clean(exc.source)
            assert_clean(exc.reason)
        assert "pwned" in str(exc)  # the text stays readable, only the controls go
        again = pickle.loads(pickle.dumps(exc))  # errors cross process boundaries intact
        assert str(again) == str(exc) and type(again) is type(exc)
    assert clean_message("line 1\n   line 2\tend") == "line 1 line 2 end"
    assert len(clean_message("x" * 10_000)) == 2000


def test_report_lines_are_cleaned_whoever_adds_them() -> None:
    report = SyncReport(source="http://x/" + HOSTILE)
    report.skipped.append(f"record {HOSTILE}: name: missing")
    report.warnings += [f"field {HOSTILE}"]
    report.warnings.extend([HOSTILE])
    report.skipped.insert(0, HOSTILE)
    for line in (report.source, *report.skipped, *report.warnings, report.summary()):
        assert_clean(line)


# ----------------------------------------------------------------------------- real broken feeds

def test_a_broken_file_with_escape_sequences(tmp_path: Path, db: Path) -> None:
    """yajl (behind ijson) quotes the line around a syntax error: here, the escape sequences."""
    feed = _write(tmp_path / "feed.json",
                  b'[{"id": "a", "name": "A"},\n' + HOSTILE.encode() + b' {"id": "b"}]')
    done = run_sync(["import", str(feed), "--db", str(db)], tmp_path)
    assert done.returncode == 1 and "not valid JSON at line 2 column 1" in done.stderr, done.stderr
    assert_clean(done.stdout + done.stderr, lines=True)
    assert "Traceback" not in done.stderr
    st = assert_clean_status(db, tmp_path)
    assert str(feed) in st["last_error"]
    assert_intact(db, OLD_IDS)


def test_an_api_page_with_escape_sequences(tmp_path: Path, db: Path) -> None:
    with FeedServer() as server:
        server.set_fault("/services", "body", body=HOSTILE.encode() + b"<html>kaputt</html>")
        url = server.url
        done = run_sync(["pull", "--feed", url, "--db", str(db)], tmp_path)
    assert done.returncode == 1 and f"{url}/services?full=true&page=1" in done.stderr
    assert "pwned" in done.stderr  # the preview of the body is kept, as text
    assert_clean(done.stdout + done.stderr, lines=True)
    assert_clean_status(db, tmp_path)
    assert_intact(db, OLD_IDS)


def test_a_hostile_http_reason_phrase(tmp_path: Path, db: Path) -> None:
    # Sent byte for byte: a C1 CSI and a UTF-8 right-to-left override, both legal "obs-text" in HTTP.
    reason = "Service Unavailable \x9b2J " + "\u202e".encode().decode("latin-1") + "evil"
    with FeedServer() as server:
        server.set_fault("/services", "status", status=503, reason=reason)
        with pytest.raises(FeedUnreachable) as info:
            pull(server.url, db, SyncOptions(timeout_seconds=5, per_page=10))
    assert "503" in info.value.reason
    assert_clean(str(info.value))
    with Catalogue(db) as cat:
        assert_clean(cat.status().last_error)
    assert_intact(db, OLD_IDS)


def test_hostile_records_are_reported_clean(tmp_path: Path, db: Path) -> None:
    """Record ids and fields are outside text too: the skipped-record lines are cleaned."""
    records = [*many(3), {"id": "x" + HOSTILE}, {"id": 7, "name": HOSTILE},
               service("h", "Hostile" + HOSTILE, description=HOSTILE)]
    feed = _write(tmp_path / "feed.json", json.dumps(records).encode())
    done = run_sync(["import", str(feed), "--db", str(db)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "skipped: " in done.stdout and "xpwned" in done.stdout.replace("]0;", "")
    assert_clean(done.stdout + done.stderr, lines=True)
    json_out = run_sync(["import", str(feed), "--db", str(db), "--json"], tmp_path).stdout
    assert_clean(json_out, lines=True)
    with Catalogue(db) as cat:
        st = cat.status()
        assert len(st.skipped) == 2
        for line in st.skipped:
            assert_clean(line)
        assert [o.name for o in cat.search("hostile")] and all(
            not set(map(ord, o.name)) & BAD for o in cat.search("hostile"))
    # Someone else's damaged NDJSON: lines that are not JSON are reported, cleaned.
    nd = _write(tmp_path / "feed.ndjson",
                (json.dumps(service("n", "Gut")) + "\n{" + HOSTILE + "\n").encode())
    done = run_sync(["import", str(nd), "--db", str(db)], tmp_path)
    assert done.returncode == 0 and "line 2 (not JSON" in done.stdout
    assert_clean(done.stdout + done.stderr, lines=True)


def test_a_hostile_feed_url_is_a_usage_error_in_clean_words(tmp_path: Path, db: Path) -> None:
    done = run_sync(["pull", "--feed", "http://127.0.0.1:9/" + HOSTILE.replace("\x00", ""), "--db", str(db)],
                    tmp_path)
    assert done.returncode == 2 and "control character" in done.stderr
    assert_clean(done.stdout + done.stderr, lines=True)
    config = tmp_path / "hostile.toml"
    config.write_text('[catalogue]\nfeed_url = "http://x/\\u001b]0;pwned\\u0007\\u202e"\n', encoding="utf-8")
    done = subprocess.run([*kiosk_sync(), "pull", "--config", str(config), "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "catalogue.feed_url" in done.stderr
    assert_clean(done.stdout + done.stderr, lines=True)
    assert_intact(db, OLD_IDS)
