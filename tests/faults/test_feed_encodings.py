"""Feeds in the wrong encoding, cut off or broken: read when they can be, else refused in words.

UTF-8 with a byte-order mark and UTF-16/32 (JSON allows them) are read, from a file, a snapshot
URL and an API page alike. Latin-1 is refused as "not UTF-8 at byte offset N (line L)"; a cut-off
file says after how many bytes and on which line it ends; a broken one says line and column. No
message holds a bytes repr or the feed's own bytes, and a snapshot is named by its URL, never by
the temporary file it was downloaded to. The old catalogue stays, whole, after every refusal.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.errors import FeedRejected
from sync.pull import SyncOptions, import_file, pull
from tests.faults.test_lying_server import assert_intact, run_sync
from tests.feedserver import FeedServer
from tests.hsdsdata import many, service

OPTIONS = SyncOptions(timeout_seconds=20, per_page=10)
UMLAUTS = [service("u1", "Ärztliche Sprechstunde für Geflüchtete"), service("u2", "Begegnungscafé Grüße")]
UMLAUT_NAMES = {"Ärztliche Sprechstunde für Geflüchtete", "Begegnungscafé Grüße"}


@pytest.fixture
def old_db(tmp_path: Path) -> tuple[Path, set[str]]:
    """A catalogue with three good offers, to be kept by every refused import."""
    db = tmp_path / "c.db"
    old = many(3, "Alt")
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    import_file(tmp_path / "old.json", db)
    return db, {s["id"] for s in old}


def names(db: Path) -> set[str]:
    with Catalogue(db) as cat:
        return {o.name for o in cat.all_offers()}


def array(services: list[dict]) -> str:
    return json.dumps(services, ensure_ascii=False, indent=1)


def ndjson(services: list[dict]) -> str:
    return "\n".join(json.dumps(s, ensure_ascii=False) for s in services) + "\n"


def page_doc(services: list[dict]) -> str:
    return json.dumps({"total_items": len(services), "contents": services}, ensure_ascii=False)


def assert_words_only(message: str) -> None:
    """No bytes repr, no escaped byte, no control character: a sentence."""
    assert "b'" not in message and "\\x" not in message and "\\u" not in message, message
    assert all(ch.isprintable() for ch in message), repr(message)


# ------------------------------------------------------------------------------------- read anyway

@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("shape", [array, ndjson, page_doc])
@pytest.mark.parametrize("gz", [False, True])
def test_files_in_other_unicode_encodings_are_read(tmp_path: Path, encoding: str, shape, gz: bool) -> None:
    data = shape(UMLAUTS).encode(encoding)
    path = tmp_path / ("feed.json.gz" if gz else "feed.json")
    path.write_bytes(gzip.compress(data) if gz else data)
    db = tmp_path / "c.db"
    report = import_file(path, db)
    assert (report.after, report.skipped) == (2, [])
    assert names(db) == UMLAUT_NAMES
    with Catalogue(db) as cat:
        assert [o.name for o in cat.search("grüße")] == ["Begegnungscafé Grüße"]
    assert_intact(db, {s["id"] for s in UMLAUTS})


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_snapshot_and_api_pages_in_other_unicode_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    with FeedServer(services=UMLAUTS) as server:
        server.snapshot_bytes = array(UMLAUTS).encode(encoding)
        assert pull(server.url + "/snapshot.json", tmp_path / "snap.db", OPTIONS).after == 2
        body = json.dumps({"total_items": 2, "total_pages": 1, "last_page": True, "contents": UMLAUTS},
                          ensure_ascii=False).encode(encoding)
        server.set_fault("/services", "body", body=body, when={"full": "true"})
        assert pull(server.url, tmp_path / "api.db", OPTIONS).after == 2
    assert names(tmp_path / "snap.db") == names(tmp_path / "api.db") == UMLAUT_NAMES


# ------------------------------------------------------------------------------------------ refused

def first_non_ascii(data: bytes) -> tuple[int, int, int]:
    """(offset, line, byte) of the first byte above 0x7F: in Latin-1 text, the first non-UTF-8 byte."""
    offset = next(i for i, b in enumerate(data) if b > 0x7F)
    return offset, data.count(b"\n", 0, offset) + 1, data[offset]


def latin1_feed() -> tuple[bytes, int, int]:
    """A feed saved as Latin-1: (bytes, offset of the first non-UTF-8 byte, its line)."""
    data = array(many(2) + UMLAUTS).encode("latin-1")
    offset, line, _ = first_non_ascii(data)
    return data, offset, line


@pytest.mark.parametrize("shape", ["array", "ndjson"])
def test_latin1_file_is_refused_with_the_byte_offset(tmp_path: Path, old_db, shape: str) -> None:
    db, old_ids = old_db
    data = (array if shape == "array" else ndjson)(many(2) + UMLAUTS).encode("latin-1")
    offset, line, byte = first_non_ascii(data)
    path = tmp_path / "latin1.json"
    path.write_bytes(data)
    done = run_sync(["import", str(path), "--db", str(db)], tmp_path)
    assert done.returncode == 1
    assert f"{path}: not UTF-8 at byte offset {offset} (line {line}): byte 0x{byte:02X}" in done.stderr, done.stderr
    assert "Latin-1" in done.stderr
    assert_words_only(done.stderr.splitlines()[-1])
    assert_intact(db, old_ids)
    with Catalogue(db) as cat:
        assert f"not UTF-8 at byte offset {offset}" in cat.status().last_error


def test_latin1_api_page_is_refused_with_the_byte_offset(tmp_path: Path, old_db) -> None:
    db, old_ids = old_db
    data = json.dumps({"total_items": 4, "contents": many(2) + UMLAUTS}, ensure_ascii=False).encode("latin-1")
    offset, _, byte = first_non_ascii(data)
    with FeedServer() as server:
        server.set_fault("/services", "body", body=data)
        with pytest.raises(FeedRejected) as info:
            pull(server.url, db, OPTIONS)
    assert info.value.source.startswith(f"{server_url(info)}/services?full=true&page=1")
    assert info.value.reason.startswith(f"not UTF-8 at byte offset {offset} (line 1): byte 0x{byte:02X}")
    assert_words_only(str(info.value))
    assert_intact(db, old_ids)


def server_url(info) -> str:
    return info.value.source.split("/services")[0]


def test_a_cut_off_file_says_where_it_ends(tmp_path: Path, old_db) -> None:
    db, old_ids = old_db
    text = array(many(20))
    cut = text[: len(text) * 2 // 3]
    path = tmp_path / "cut.json"
    path.write_text(cut, encoding="utf-8")
    size = len(cut.rstrip().encode())
    with pytest.raises(FeedRejected) as info:
        import_file(path, db)
    assert info.value.source == str(path)
    assert info.value.reason == (f"not valid JSON: the file ends early, cut off after {size} bytes "
                                 f"(line {cut.rstrip().count(chr(10)) + 1}) in the middle of the JSON")
    assert_intact(db, old_ids)


def test_a_cut_off_gzip_file_says_so(tmp_path: Path, old_db) -> None:
    db, old_ids = old_db
    data = gzip.compress(array(many(200)).encode())
    path = tmp_path / "cut.json.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FeedRejected, match=r"cut\.json\.gz: the gzip file ends early"):
        import_file(path, db)
    assert_intact(db, old_ids)


def test_a_broken_file_names_line_and_column(tmp_path: Path, old_db) -> None:
    db, old_ids = old_db
    lines = array(many(3)).splitlines()
    lines[10] = lines[10].replace(":", "", 1)  # "name" "x": a missing colon on line 11
    path = tmp_path / "broken.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    column = len(lines[10]) - len(lines[10].lstrip()) + 1
    with pytest.raises(FeedRejected) as info:
        import_file(path, db)
    assert info.value.reason.startswith("not valid JSON at line 11 column "), info.value.reason
    assert "byte offset" in info.value.reason and column > 0
    assert_words_only(info.value.reason)
    assert_intact(db, old_ids)


@pytest.mark.parametrize("data, words", [
    (b"", "the file is empty"),
    (b"   \n  ", "the file is empty"),
    (b"\x00\x01\x02garbage", "not JSON: it starts with"),
    (b"<html>\x1b]0;pwned\x07</html>", "not JSON: it starts with '<'"),
    (b"\xff\xd8\xff\xe0 a JPEG", "not JSON: it starts with the byte 0xFF"),
])
def test_not_json_at_all(tmp_path: Path, old_db, data: bytes, words: str) -> None:
    db, old_ids = old_db
    path = tmp_path / "feed.json"
    path.write_bytes(data)
    with pytest.raises(FeedRejected) as info:
        import_file(path, db)
    assert words in info.value.reason
    assert_words_only(str(info.value))
    assert_intact(db, old_ids)


# ------------------------------------------------------------------------- snapshots name their URL

def test_snapshot_messages_name_the_url_not_the_download_file(tmp_path: Path, old_db) -> None:
    db, old_ids = old_db
    with FeedServer() as server:
        url = server.url + "/snapshot.json"
        server.snapshot_bytes = json.dumps(many(3) + [{"id": "kein-name"}]).encode()
        report = pull(url, db, OPTIONS)
        assert report.after == 3 and len(report.skipped) == 1
        assert report.skipped[0].startswith(f"{url} record #4"), report.skipped
        with Catalogue(db) as cat:
            assert cat.status().skipped[0].startswith(url)

        data, offset, line = latin1_feed()
        server.snapshot_bytes = data
        with pytest.raises(FeedRejected) as info:
            pull(url, db, OPTIONS)
    assert info.value.source == url
    assert info.value.reason.startswith(f"not UTF-8 at byte offset {offset} (line {line})")
    assert ".download" not in str(info.value) and ".download" not in "".join(report.skipped)
    assert len(names(db)) == 3
    assert_intact(db, {s["id"] for s in many(3)})
    assert not list(tmp_path.glob("*.download"))
