"""A damaged or read-only catalogue file never stops the kiosk, and `kiosk-sync` says what to do.

Real files damaged the way disks and power cuts do it (truncated, pages overwritten with garbage,
the header gone), the real `kiosk` and `kiosk-sync` commands in subprocesses, the real app under
its Pilot. After every faulted run the file the kiosk reads passes ``PRAGMA integrity_check`` and
holds the last good offers or the complete new ones, never a part.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kiosk import cli as kiosk_cli
from kiosk.app import make_app
from kiosk.combined import WithProgramme
from sync import pull, snapshots
from sync.catalogue import Catalogue
from sync.errors import StoreError
from sync.pull import import_file
from tests.conftest import screen_text
from tests.hsdsdata import many, write_json

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GOOD = 40  # offers of the last good sync


def truncate(db: Path) -> None:
    with open(db, "r+b") as fh:
        fh.truncate(db.stat().st_size // 2)


def garbage_pages(db: Path) -> None:
    page = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()[0]
    rng = random.Random(12)
    with open(db, "r+b") as fh:
        pages = db.stat().st_size // page
        for number in range(2, pages, 3):  # every third page from the second on
            fh.seek(number * page)
            fh.write(bytes(rng.randrange(256) for _ in range(page)))


def header(db: Path) -> None:
    with open(db, "r+b") as fh:
        fh.write(b"this is no longer an SQLite file" * 4)


DAMAGE = {"truncated": truncate, "garbage pages": garbage_pages, "header overwritten": header}


def read_one(path: Path, sql: str):
    """The first value `sql` gives on the file at `path`, opened read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def integrity(path: Path) -> str:
    return read_one(path, "PRAGMA integrity_check")


def offers(path: Path) -> int:
    return read_one(path, "SELECT count(*) FROM offers WHERE visible = 1")


@pytest.fixture
def synced(tmp_path: Path) -> Path:
    """A catalogue after two good syncs (the second one is the last good one)."""
    db = tmp_path / "var" / "catalogue.db"
    db.parent.mkdir()
    import_file(write_json(tmp_path / "first.json", many(10, "Erst")), db)
    import_file(write_json(tmp_path / "feed.json", many(GOOD)), db)
    return db


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=ROOT, **kw)


def test_every_sync_keeps_a_sound_copy_of_the_last_good_catalogue(synced: Path) -> None:
    copy = snapshots.backup_path(synced)
    assert integrity(copy) == "ok" and offers(copy) == GOOD
    # In rollback-journal mode: it opens where no -wal/-shm can be created beside it.
    assert sqlite3.connect(copy).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not Path(f"{copy}-wal").exists()


@pytest.mark.parametrize("damage", DAMAGE)
def test_the_check_finds_the_damage_and_says_so_in_words(synced: Path, damage: str) -> None:
    DAMAGE[damage](synced)
    with pytest.raises(StoreError) as info:
        Catalogue(synced, check=True)
    text = str(info.value)
    assert str(synced) in text and "damaged" in text and "kiosk-sync repair" in text


@pytest.mark.parametrize("damage", DAMAGE)
async def test_the_kiosk_starts_on_the_last_good_copy_and_says_so(synced: Path, damage: str, settings, clock,
                                                                  capsys) -> None:
    DAMAGE[damage](synced)
    with kiosk_cli.open_catalogue(synced) as cat:
        assert cat.count() == GOOD
        status = cat.status()
        assert status.notice and "last good copy" in status.notice and str(synced) in status.notice
        assert status.fallback == "last-good"
        assert cat.path == synced and cat.read_path == snapshots.backup_path(synced)  # syncs repair the file
        app = make_app(settings, cat, clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Wobei brauchen Sie Hilfe?" in screen_text(app)
            assert app.is_running
    assert "last good copy" in capsys.readouterr().err
    assert integrity(snapshots.backup_path(synced)) == "ok"


@pytest.mark.parametrize("damage", [None, *DAMAGE])
def test_the_check_beside_the_imports_still_falls_back_before_an_offer_is_read(synced: Path, damage: str | None,
                                                                               capsys) -> None:
    """The `kiosk` command checks the file in a thread while it imports Textual (kiosk.cli.CheckInBackground);
    opening the catalogue waits for that check, so a damaged file is never read."""
    if damage:
        DAMAGE[damage](synced)
    checked = kiosk_cli.CheckInBackground(synced)
    with kiosk_cli.open_catalogue(synced, checked=checked) as cat:
        status = cat.status()
        if damage is None:
            assert cat.read_path == synced and status.notice is None and cat.count() == GOOD
            return
        assert cat.count() == GOOD and cat.read_path == snapshots.backup_path(synced)
        assert status.fallback == "last-good" and "last good copy" in status.notice
        assert str(synced) in status.notice and "damaged" in status.notice
    assert "last good copy" in capsys.readouterr().err


async def test_home_from_kept_counts_then_bit_rot_found_after_it_and_home_built_from_the_copy(
        synced: Path, settings, clock) -> None:
    """The `kiosk` command draws Home from what an earlier start kept for the file (kiosk.homecache)
    and checks the file after that (kiosk.cli.CheckedLater): nothing is read from it before. Damage
    that leaves the file's size and time alone is found then; the kiosk reads the last good copy,
    Home is built again from it, and the volunteer menu's notice says why."""
    import asyncio
    from typing import cast

    from kiosk import homecache

    with kiosk_cli.open_catalogue(synced) as cat:  # an earlier start on the sound file keeps Home
        built = make_app(settings, cat, clock=clock).finder.needs()
    assert homecache.cache_path(synced).is_file()
    st = synced.stat()
    garbage_pages(synced)
    os.utime(synced, ns=(st.st_atime_ns, st.st_mtime_ns))  # bit rot: same size, same time
    assert synced.stat().st_size == st.st_size

    pending = kiosk_cli.CheckedLater(synced, kiosk_cli.CheckInBackground(synced, start=False))
    # As the kiosk command: the catalogue with the place's programme beside it (none here).
    app = make_app(settings, cast(Catalogue, WithProgramme(cast(Catalogue, pending), synced.parent / "none.db")),
                   clock=clock)
    assert app.finder.kept_home() is not None
    opened_before_home: list[bool] = []
    app.when_drawn += [lambda: opened_before_home.append(pending.is_open),
                       lambda: kiosk_cli.open_after_home(app, pending)]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert opened_before_home == [False]  # Home drawn, the file not even opened
        for _ in range(200):
            if pending.is_open:
                break
            await asyncio.sleep(0.05)
        await pilot.pause()
        await pilot.pause()
        assert pending.read_path == snapshots.backup_path(synced)
        status = app.catalogue.status()
        assert status.fallback == "last-good" and "damaged" in status.notice and str(synced) in status.notice
        assert app.finder.kept_home() is None and app.finder._cache.version is not None  # built from the copy
        assert "Wobei brauchen Sie Hilfe?" in screen_text(app)
        assert [n.label for n in app.finder.needs()] == [n.label for n in built]
        assert app.is_running


async def test_a_tap_before_the_late_check_waits_for_it(synced: Path, settings, clock) -> None:
    """The first question to the catalogue (here a need's results) waits for the check that the
    `kiosk` command starts once Home is drawn; a damaged file is never read."""
    from typing import cast

    from kiosk import homecache

    with kiosk_cli.open_catalogue(synced) as cat:
        make_app(settings, cat, clock=clock).finder.needs()
    st = synced.stat()
    garbage_pages(synced)
    os.utime(synced, ns=(st.st_atime_ns, st.st_mtime_ns))
    pending = kiosk_cli.CheckedLater(synced, kiosk_cli.CheckInBackground(synced, start=False))
    app = make_app(settings, cast(Catalogue, WithProgramme(cast(Catalogue, pending), synced.parent / "none.db")),
                   clock=clock)
    assert homecache.cache_path(synced).is_file() and app.finder.kept_home() is not None
    async with app.run_test(size=(80, 24)) as pilot:  # nobody starts the check: the tap does
        await pilot.pause()
        assert not pending.is_open
        await pilot.click("#need-0")
        await pilot.pause()
        assert pending.is_open and pending.read_path == snapshots.backup_path(synced)
        assert "Seite 1 von" in screen_text(app)


async def test_without_a_good_copy_the_kiosk_shows_the_demo_and_says_so(synced: Path, settings, clock) -> None:
    truncate(synced)
    header(snapshots.backup_path(synced))
    with kiosk_cli.open_catalogue(synced) as cat:
        assert cat.count() > 50  # the demo catalogue
        assert "demo catalogue" in cat.status().notice and "not usable either" in cat.status().notice
        assert cat.status().fallback == "demo"
        app = make_app(settings, cat, clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Wobei brauchen Sie Hilfe?" in screen_text(app)


@pytest.mark.parametrize("damage", DAMAGE)
def test_kiosk_sync_status_and_search_print_a_sentence_not_a_traceback(synced: Path, damage: str) -> None:
    DAMAGE[damage](synced)
    for command in (["status"], ["search", "Angebot"], ["status", "--json"]):
        done = run([str(BIN / "kiosk-sync"), *command, "--db", str(synced)])
        said = done.stdout + done.stderr
        assert done.returncode == 1, said
        assert "Traceback" not in said and str(synced) in said, said
        assert "repair" in said, said


@pytest.mark.parametrize("how", ["repair", "pull"])
@pytest.mark.parametrize("damage", DAMAGE)
def test_repair_and_pull_rebuild_the_file_by_a_full_import(synced: Path, tmp_path: Path, damage: str,
                                                           how: str) -> None:
    DAMAGE[damage](synced)
    feed = write_json(tmp_path / "new.json", many(GOOD + 5))
    done = run([str(BIN / "kiosk-sync"), how, "--feed", str(feed), "--db", str(synced)])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "damaged" in done.stdout and "moved it to" in done.stdout
    assert integrity(synced) == "ok" and offers(synced) == GOOD + 5
    assert Path(f"{synced}.damaged").exists()  # kept for a look, out of the way
    with Catalogue(synced, check=True) as cat:
        assert cat.count() == GOOD + 5 and cat.status().notice is None


def test_repair_keeps_the_last_good_offers_when_the_feed_fails(synced: Path, tmp_path: Path) -> None:
    garbage_pages(synced)
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"[{\"id\": \"a\", \"na")
    done = run([str(BIN / "kiosk-sync"), "repair", "--feed", str(broken), "--db", str(synced)])
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert str(broken) in done.stderr
    # The last good copy took the damaged file's place: the old offers, whole.
    assert integrity(synced) == "ok" and offers(synced) == GOOD


def test_repair_on_a_sound_file_reads_the_whole_feed_again(synced: Path, tmp_path: Path) -> None:
    feed = write_json(tmp_path / "again.json", many(GOOD))
    done = run([str(BIN / "kiosk-sync"), "repair", "--feed", str(feed), "--db", str(synced)])
    assert done.returncode == 0 and "the file is sound" in done.stdout
    assert offers(synced) == GOOD and integrity(synced) == "ok"


def test_the_real_kiosk_command_starts_on_the_copy_of_a_damaged_file(synced: Path, tmp_path: Path) -> None:
    tmuxkiosk = _tmuxkiosk()
    garbage_pages(synced)
    k = tmuxkiosk.Kiosk([str(BIN / "kiosk"), "--db", str(synced)], size=(80, 24),
                        env={"TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")})
    try:
        assert k.wait_for("Wobei brauchen Sie Hilfe?", timeout=30), k.screen()
        assert k.alive()
    finally:
        k.close()


def _tmuxkiosk():
    if shutil.which("tmux") is None:
        pytest.skip("needs tmux")
    from tests import tmuxkiosk

    return tmuxkiosk


# -- read-only --------------------------------------------------------------------------------------

def _as_nobody() -> list[str]:
    """Run a command without root (root ignores file permissions); as is when not root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot test permissions")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_a_read_only_folder_with_a_sound_catalogue_still_starts_the_kiosk(tmp_path: Path) -> None:
    # A folder outside pytest's (root-only) tmp dir, so that an unprivileged user can reach it.
    base = Path(tempfile.mkdtemp(prefix="kiosk-ro-"))
    try:
        os.chmod(base, 0o755)
        db = base / "catalogue.db"
        import_file(write_json(tmp_path / "feed.json", many(GOOD)), db)
        assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for leftover in base.glob("catalogue.db.*"):
            leftover.unlink()
        # Settings of its own: the clone's kiosk.toml holds the volunteer PIN and is owner-only.
        config = base / "kiosk.toml"
        config.write_text("", encoding="utf-8")
        os.chmod(config, 0o444)
        os.chmod(db, 0o444)
        os.chmod(base, 0o555)  # nothing can be created beside the file: no -shm for WAL
        script = ("import sys; from pathlib import Path; from kiosk.cli import open_catalogue\n"
                  "cat = open_catalogue(Path(sys.argv[1])); print(cat.count(), cat.status().notice)\n"
                  "print(len(cat.search('angebot')))")
        done = run([*_as_nobody(), sys.executable, "-c", script, str(db)])
        assert done.returncode == 0, done.stderr
        first, found = done.stdout.split("\n")[:2]
        assert first == f"{GOOD} None" and int(found) > 0  # all offers, and no notice: nothing is wrong
        done = run([*_as_nobody(), str(BIN / "kiosk-sync"), "status", "--config", str(config), "--db", str(db)])
        assert done.returncode == 0 and f"Offers:        {GOOD}" in done.stdout, done.stderr
    finally:
        os.chmod(base, 0o755)
        shutil.rmtree(base)


def test_a_read_only_folder_without_a_catalogue_shows_the_demo(tmp_path: Path) -> None:
    base = Path(tempfile.mkdtemp(prefix="kiosk-ro-"))
    try:
        os.chmod(base, 0o555)
        script = ("import sys; from pathlib import Path; from kiosk.cli import open_catalogue\n"
                  "cat = open_catalogue(Path(sys.argv[1])); print(cat.count()); print(cat.status().notice)")
        done = run([*_as_nobody(), sys.executable, "-c", script, str(base / "catalogue.db")])
        assert done.returncode == 0, done.stderr
        count, notice = done.stdout.split("\n")[:2]
        assert int(count) > 50 and "demo catalogue" in notice and "cannot be written" in notice
    finally:
        os.chmod(base, 0o755)
        shutil.rmtree(base)


def test_a_full_disk_while_keeping_the_copy_does_not_fail_the_sync(synced: Path, tmp_path: Path) -> None:
    copy = snapshots.backup_path(synced)
    copy.unlink()
    copy.mkdir()  # the copy cannot be written there (like a full disk: the write fails)
    report = import_file(write_json(tmp_path / "more.json", many(GOOD + 1)), synced)
    assert report.after == GOOD + 1
    with Catalogue(synced) as cat:
        st = cat.status()
    assert st.offers == GOOD + 1 and str(copy) in st.last_good_error
    assert json.dumps(st.as_json())


# -- kill -9 while the copy is written ----------------------------------------------------------------

@pytest.mark.parametrize("when", ["while the copy is written", 0.3, 0.8, 1.5])
def test_kill_9_during_a_sync_and_its_copy_leaves_each_file_old_or_new(tmp_path: Path, when) -> None:
    """A sync killed at some moment, or exactly while it writes the copy (its journal exists): the
    catalogue and the copy each hold the old offers or the complete new ones, never a part."""
    import signal
    import time

    db = tmp_path / "catalogue.db"
    import_file(write_json(tmp_path / "old.json", many(300, "Alt")), db)
    feed = write_json(tmp_path / "new.json", many(3000, "Neu"))
    copy = snapshots.backup_path(db)
    journal = Path(f"{copy}-journal")
    script = ("import sys; from pathlib import Path; from sync.pull import import_file\n"
              "import_file(Path(sys.argv[1]), Path(sys.argv[2]))")
    proc = subprocess.Popen([sys.executable, "-c", script, str(feed), str(db)], cwd=ROOT)
    if isinstance(when, float):
        time.sleep(when)
    else:
        while proc.poll() is None and not journal.exists():
            time.sleep(0.0005)
        assert proc.poll() is None, "the sync ended before the copy was written"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if not isinstance(when, float):
        assert journal.exists()  # killed in the middle of writing the copy
    counts = {}
    for path in (db, copy):
        conn = sqlite3.connect(path)  # read-write, as the next sync opens them: a hot journal rolls back
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts[path] = conn.execute("SELECT count(*) FROM offers WHERE visible = 1").fetchone()[0]
        finally:
            conn.close()
    assert counts[db] in (300, 3000) and counts[copy] in (300, 3000)
    assert counts[copy] <= counts[db]  # the copy is never ahead of the catalogue
    if not isinstance(when, float):
        assert counts == {db: 3000, copy: 300}


def test_a_sync_from_the_kiosk_on_the_copy_repairs_the_file_and_the_kiosk_sees_the_new_offers(
        synced: Path, tmp_path: Path) -> None:
    """What "Sync now" does: pull into `catalogue.path` (the damaged file, not the copy it reads)."""
    header(synced)
    with kiosk_cli.open_catalogue(synced) as cat:
        assert cat.count() == GOOD and cat.status().fallback == "last-good"
        report = pull.pull(str(write_json(tmp_path / "new.json", many(GOOD + 7))), cat.path)
        assert any("damaged" in w and "restored the last good copy" in w for w in report.warnings)
        # The copy it reads was rewritten in place by the sync: the new offers, whole.
        assert cat.count() == GOOD + 7
    assert integrity(synced) == "ok" and offers(synced) == GOOD + 7
    with kiosk_cli.open_catalogue(synced) as cat:  # the next start reads the file again
        assert cat.read_path == synced and cat.status().notice is None and cat.count() == GOOD + 7
