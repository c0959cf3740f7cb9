"""Hostile feeds through "Sync now" in the running kiosk, served by the real local feed server.

Each feed is one that crashed or froze the kiosk when the sync ran inside its process: a number too
large for SQLite, a 10,000-level nesting, a feed that never ends, a server that drops the connection.
Now the sync runs in a child process (kiosk.syncjob). Each test drives the real app by its Pilot and
checks the same outcome: the app keeps running and answering, the volunteer menu says what happened
in a sentence (no traceback, no control characters), and the catalogue file is intact, with exactly
the old offers or exactly the complete new ones, never a part.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.screens.home import HomeScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.volunteer import VolunteerScreen
from kiosk.syncjob import SyncLimits
from tests.conftest import hsds_service, screen_text, small_services, tap, with_feed
from tests.feedserver import FeedServer

OLD_IDS = {s["id"] for s in small_services()}
TRACEBACK_WORDS = ("Traceback", 'File "', "\x1b")


def feed_services() -> list[dict]:
    """What the feed holds: ten of the old offers and three new ones (13, never a count of the old)."""
    return small_services()[:10] + [hsds_service(f"n{i}", f"Neues Angebot {i}") for i in range(1, 4)]


def visible_ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT id FROM offers WHERE visible = 1")}


@pytest.fixture
def kiosk_in_menu(settings, make_catalogue):
    """Starts the real app on the twelve old offers with the feed at `url`, opens the volunteer menu:
    ``async with kiosk_in_menu(url, size=..., limits=..., **catalogue_settings) as (app, pilot):``;
    the catalogue is `app.catalogue`."""

    @contextlib.asynccontextmanager
    async def start(url: str, *, size=(80, 24), limits: SyncLimits | None = None, **catalogue):
        app = make_app(with_feed(settings, url, **catalogue), make_catalogue(small_services()))
        if limits is not None:
            app.sync_limits = limits
        async with app.run_test(size=size) as pilot:
            await open_menu(pilot)
            yield app, pilot

    return start


async def open_menu(pilot) -> None:
    app = pilot.app
    await pilot.press("f12", *app.settings.kiosk.volunteer_pin, "enter")
    await pilot.pause()
    assert isinstance(app.screen, VolunteerScreen), screen_text(app)


async def sync_now(pilot, seconds: float = 60) -> str:
    """Tap "Sync now" and wait until the sync has ended; returns the result line shown then, which
    must be told in words (`assert_told_in_words`)."""
    app = pilot.app
    await tap(pilot, "Jetzt aktualisieren")
    assert app.sync_progress is not None, screen_text(app)  # it started
    end = time.monotonic() + seconds
    while app.sync_progress is not None:
        assert time.monotonic() < end, "the sync did not end within its bounds"
        await asyncio.sleep(0.1)
    await pilot.pause()
    await pilot.pause()
    text = result_line(app)
    assert_told_in_words(app, text)
    return text


def result_line(app) -> str:
    return str(app.screen.query_one("#result").render())


def assert_told_in_words(app, text: str) -> None:
    assert app.is_running and app.return_code is None
    assert text.strip(), "nothing was said"
    shown = screen_text(app)
    for word in TRACEBACK_WORDS:
        assert word not in shown, (word, shown)
    assert all(c.isprintable() or c == "\n" for c in text), repr(text)


async def test_a_number_too_large_for_sqlite_becomes_a_sentence(kiosk_in_menu):
    big = hsds_service("big", "Riesenzahl", minimum_age=10**30)
    with FeedServer(services=feed_services() + [big]) as server:
        async with kiosk_in_menu(server.url) as (app, pilot):
            text = await sync_now(pilot)
            ids = visible_ids(app.catalogue.path)
            new = {s["id"] for s in feed_services()}
            if ids == OLD_IDS:  # the whole feed refused: said so, the old catalogue stays
                assert "Der bisherige Katalog bleibt." in text, text
                assert "Angebote im Katalog: 12" in screen_text(app)
            else:  # the bad record skipped (or repaired), the rest imported, the count told
                assert ids in (new, new | {"big"}), ids
                assert f"Aktualisiert: {len(ids)} Angebote (vorher: 12)." in text, text


async def test_a_deeply_nested_record_neither_freezes_nor_crashes_the_kiosk(kiosk_in_menu):
    body = json.dumps(feed_services(), ensure_ascii=False)[:-1]
    body += ', {"id": "deep", "name": "Tief", "status": "active", "funding": ' + "[" * 10_000 + "]" * 10_000 + "}]"
    with FeedServer(snapshot=body.encode("utf-8")) as server:
        async with kiosk_in_menu(server.url + "/snapshot.json") as (app, pilot):
            text = await sync_now(pilot)
            ids = visible_ids(app.catalogue.path)
            new = {s["id"] for s in feed_services()}
            if ids == OLD_IDS:
                assert "Der bisherige Katalog bleibt." in text, text
            else:
                assert ids == new, ids
                assert "Aktualisiert: 13 Angebote (vorher: 12)." in text and "übersprungen" in text, text


async def test_memory_growth_in_the_sync_is_bounded_and_told(kiosk_in_menu):
    """A record with a 60 MB description needs some 180 MB to read, against a 150 MB bound: the
    child is stopped. (Deep nesting no longer grows memory: the sync builds records with a depth
    limit, see tests/faults/test_hostile_records.py.)"""
    body = json.dumps(feed_services(), ensure_ascii=False)[:-1]
    body += ', {"id": "huge", "name": "Riesig", "description": "' + "y" * 60_000_000 + '"}]'
    with FeedServer(snapshot=body.encode("utf-8")) as server:
        limits = SyncLimits(memory_bytes=150 * 1024 * 1024)
        async with kiosk_in_menu(server.url + "/snapshot.json", size=(120, 40), limits=limits) as (app, pilot):
            text = await sync_now(pilot)
            assert app.sync_outcome.kind == "memory", app.sync_outcome
            assert "Die Aktualisierung brauchte zu viel Speicher und wurde abgebrochen." in text
            assert visible_ids(app.catalogue.path) == OLD_IDS
            status = app.catalogue.status()
            assert status.last_error and "memory" in status.last_error  # recorded for `kiosk-sync status`


async def test_a_server_that_drops_the_connection_is_told_and_changes_nothing(kiosk_in_menu):
    with FeedServer(services=feed_services()) as server:
        server.set_fault("/services", "close")
        async with kiosk_in_menu(server.url, size=(120, 40)) as (app, pilot):
            text = await sync_now(pilot)
            assert text.startswith("Die Quelle war nicht erreichbar, deshalb wurde der Katalog nicht aktualisiert. "
                                   "Der bisherige Katalog bleibt."), text
            assert "Technische Angabe für die Betreuung (Englisch):" in text and server.url in text
            assert visible_ids(app.catalogue.path) == OLD_IDS
            # Told once: the status lines do not repeat the failure just told below them.
            assert screen_text(app).count("Technische Angabe") == 1


@pytest.mark.parametrize("who_stops", ["the sync's own deadline", "the kiosk's wall-clock bound"])
async def test_a_feed_that_never_ends_is_stopped_and_the_kiosk_keeps_working(kiosk_in_menu, who_stops):
    with FeedServer(services=feed_services()) as server:
        if who_stops == "the sync's own deadline":
            server.set_fault("/services", "slow", drip_interval=0.05, drip_limit=30)  # one byte at a time
            timeout, limits = 8.0, SyncLimits()
        else:
            server.set_fault("/services", "hang", drip_limit=30)  # says nothing, for 30 s
            timeout, limits = 120.0, SyncLimits(wall_seconds=8.0)
        # 8 s: the sync must still be running after the taps below, which took 1.7-3.1 s on this
        # loaded 2-core machine (3 s was too little room there).
        async with kiosk_in_menu(server.url, limits=limits, timeout_seconds=timeout) as (app, pilot):
            started = time.monotonic()
            await tap(pilot, "Jetzt aktualisieren")
            assert "Aktualisiere" in result_line(app)
            # Meanwhile the kiosk answers a visitor: Home, a topic, its offers.
            await tap(pilot, "Start")
            assert isinstance(app.screen, HomeScreen)
            await tap(pilot, "Alter & Pflege")
            assert isinstance(app.screen, ResultsScreen) and "Pflegeberatung" in screen_text(app)
            assert app.sync_progress is not None, "the hostile feed should still be running"
            while app.sync_progress is not None:
                assert time.monotonic() - started < 40, "the sync was not stopped"
                await asyncio.sleep(0.1)
            await open_menu(pilot)  # the app owns the sync: its end is shown in a new menu
            text = result_line(app)
            assert_told_in_words(app, text)
            if who_stops == "the sync's own deadline":
                assert text.startswith("Die Quelle war nicht erreichbar"), text
            else:
                assert text.startswith("Die Aktualisierung hat zu lange gedauert und wurde abgebrochen."), text
                assert "took longer than 8 s" in app.catalogue.status().last_error
            assert visible_ids(app.catalogue.path) == OLD_IDS


async def test_progress_is_shown_in_words_while_a_big_feed_is_read(kiosk_in_menu):
    services = [hsds_service(f"p{i:04d}", f"Angebot Nummer {i}") for i in range(1100)]
    with FeedServer(services=services) as server:
        # Every page comes slowly, so the count read so far stays on the screen for a while.
        server.set_fault("/services", "slow", drip_bytes=16384, drip_interval=0.1, drip_limit=30)
        async with kiosk_in_menu(server.url, per_page=500, timeout_seconds=120.0) as (app, pilot):
            await tap(pilot, "Jetzt aktualisieren")
            seen = set()
            end = time.monotonic() + 90
            while app.sync_progress is not None and time.monotonic() < end:
                seen.add(result_line(app))
                await asyncio.sleep(0.05)
            await pilot.pause()
            assert any("bisher 500 Angebote gelesen" in line for line in seen), seen
            assert "Aktualisiert: 1100 Angebote (vorher: 12)." in result_line(app)
            assert "Angebote im Katalog: 1100" in screen_text(app)
            assert len(visible_ids(app.catalogue.path)) == 1100


@pytest.fixture
def self_signed(tmp_path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no authority signed, made by the real openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs openssl")  # the tool check of CI turns this into a failure naming it
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


async def test_a_feed_with_a_certificate_nobody_signed_is_refused(kiosk_in_menu, self_signed):
    """TLS is verified: a man in the middle with his own certificate gets no sync, and it is told."""
    cert, key = self_signed
    with FeedServer(services=feed_services()) as server:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server._httpd.socket = context.wrap_socket(server._httpd.socket, server_side=True)
        url = f"https://127.0.0.1:{server.port}"
        async with kiosk_in_menu(url, size=(120, 40)) as (app, pilot):
            text = await sync_now(pilot)
            assert text.startswith("Die Quelle war nicht erreichbar"), text
            assert "certificate" in text.lower() or "tls" in text.lower(), text
            assert visible_ids(app.catalogue.path) == OLD_IDS
        assert server.requests == []  # not one request got through the handshake


async def test_control_bytes_quoted_from_a_broken_feed_never_reach_the_terminal(kiosk_in_menu):
    """A feed broken by an OSC title change, a bell and a screen clear: none of those bytes reaches
    the menu, the sync's answer or the stored status; the place where it broke is named in words."""
    body = b'[{"id": "a", "name": "ok"}, {"id": "b", "name": "\x1b]0;HACKED\x07\x1b[2J\xc2\x9b31m\x07 Angebot"}]'
    with FeedServer(snapshot=body) as server:
        async with kiosk_in_menu(server.url + "/snapshot.json", size=(160, 48)) as (app, pilot):
            text = await sync_now(pilot)
            assert "Die Quelle hat keinen brauchbaren Katalog geliefert" in text, text
            # The sync names the place (URL, line, column, byte offset) in its own words instead of
            # quoting the feed's bytes.
            assert "snapshot.json" in text and "byte offset" in text, text
            for control in ("\x1b", "\x07", "\x9b"):
                assert control not in app.sync_outcome.detail
            # What the next start of the kiosk shows: the stored last error, from the status lines.
            app.sync_outcome = None
            await app.screen.recompose()
            await pilot.pause()
            shown = screen_text(app)
            assert "Die letzte Aktualisierung ist fehlgeschlagen." in shown and "snapshot.json" in shown, shown
            for control in ("\x1b", "\x07", "\x9b"):
                assert control not in shown and control not in result_line(app)
            assert visible_ids(app.catalogue.path) == OLD_IDS


def sync_children() -> list[int]:
    """Pids of this test process's own sync children (`python -m kiosk.syncjob`), from /proc."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"kiosk.syncjob" in cmdline:
            found.append(int(proc.name))
    return found


async def test_a_sync_killed_from_outside_is_told_and_none_outlives_the_kiosk(kiosk_in_menu):
    """The out-of-memory killer (here: the test) ends the child: a sentence, the old catalogue, the
    failure in `status`. And leaving the kiosk during a sync ends that sync too."""
    with FeedServer(services=feed_services()) as server:
        server.set_fault("/services", "hang", drip_limit=30)
        async with kiosk_in_menu(server.url, timeout_seconds=60.0) as (app, pilot):
            catalogue = app.catalogue
            await tap(pilot, "Jetzt aktualisieren")
            await asyncio.sleep(0.5)
            (pid,) = sync_children()
            os.kill(pid, signal.SIGKILL)
            while app.sync_progress is not None:
                await asyncio.sleep(0.1)
            await pilot.pause()
            text = result_line(app)
            assert_told_in_words(app, text)
            assert text.startswith(
                "Die Aktualisierung ist unerwartet fehlgeschlagen. Der bisherige Katalog bleibt."), text
            assert "killed by signal 9" in text and "killed by signal 9" in catalogue.status().last_error
            assert visible_ids(catalogue.path) == OLD_IDS

            await asyncio.sleep(0.3)  # a Button ignores a second press within 0.2 s
            await tap(pilot, "Jetzt aktualisieren")
            await asyncio.sleep(0.5)
            assert len(sync_children()) == 1
            await tap(pilot, "Kiosk beenden")
            await tap(pilot, "Ja, beenden")
        assert not app.is_running
        await asyncio.sleep(0.2)
        assert sync_children() == []
        assert visible_ids(catalogue.path) == OLD_IDS
