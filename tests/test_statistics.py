"""The anonymous picture of needs: exact counts after scripted visits through the real app (Pilot),
the k rule for search words, and no trace of a name or phone number in any file the kiosk wrote.
"""
from __future__ import annotations

import asyncio
import dataclasses
import shutil
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.config import SpeechSettings
from kiosk.screens.home import HomeScreen
from kiosk.screens.offer import OfferScreen
from kiosk.screens.qr import QrScreen
from kiosk.screens.speechmenu import SpeechMenuScreen
from kiosk.speech import EspeakSpeech
from kiosk.statistics import Statistics, connect, day_summary, make_statistics, normalise_term
from kiosk.takeaway import QrMaker
from kiosk.takeaway.printing import EscposPrinter
from tests.conftest import FROZEN_NOW, small_services, tap
from tests.test_speech import card

DAY = FROZEN_NOW.date()  # the frozen clock's day: Tuesday 11 March 2025
BIG = (160, 48)
NAME = "Annegret Kowalczyk 0171 2345678"
SECRETS = [b"annegret", b"kowalczyk", b"0171", b"2345678", "Kowalczyk".encode("utf-16-le")]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """A volunteer's real keyboard (digits and all), key by key."""
    for ch in text:
        await pilot.press("space" if ch == " " else ch)
    await settle(pilot)


async def walk_away(app, pilot) -> None:
    """The visitor leaves: time runs past the idle limit and the kiosk resets."""
    now = [0.0]
    app.idle_clock = lambda: now[0]
    app._last_input = 0.0
    now[0] = app.settings.kiosk.idle_seconds + 1
    await pilot.pause(app.IDLE_TICK * 3)
    assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


def rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT day, kind, key, n FROM counts ORDER BY kind, key").fetchall()
    finally:
        conn.close()


# --- the counter alone ----------------------------------------------------------------------------

def test_a_search_text_is_normalised_to_whole_folded_words():
    assert normalise_term("  Zahnärzte   in  RHEINE!! ") == "zahnarzte in rheine"
    assert normalise_term("Straße") == "strasse"
    assert normalise_term("-- ; ") == ""
    assert normalise_term("a b c d e f g h") == "a b c d e f"


def test_k_rule_keeps_the_words_only_from_the_kth_visit(tmp_path):
    path = tmp_path / "statistics.db"
    stats = Statistics(path, k=3, today=lambda: DAY)
    for visit in range(5):
        stats.searched("Zahnarzt", found=False)
        stats.searched("zahnarzt", found=False)  # the same visit twice: one search
        if visit < 2:
            stats.searched("Tafel", found=True)
        stats.end_visit("de")
        terms = {key: n for _day, kind, key, n in rows(path) if kind == "search_term"}
        # Below k the words are nowhere; at k they appear with all k searches counted.
        assert terms == ({} if visit < 2 else {"zahnarzt": visit + 1})
    totals = stats.totals(DAY)
    assert totals[("visit", "")] == 5 and totals[("search", "")] == 7 and totals[("search_nothing", "")] == 5
    assert totals[("search_term_nothing", "zahnarzt")] == 5
    summary = day_summary(totals)
    assert summary["searches"] == {"total": 7, "found_nothing": 5, "below_k": 2, "terms": {"zahnarzt": 5},
                                   "terms_found_nothing": {"zahnarzt": 5}}
    assert b"tafel" not in path.read_bytes()


def test_the_k_count_starts_again_each_day_and_after_a_restart(tmp_path):
    path = tmp_path / "statistics.db"
    day = [DAY]
    stats = Statistics(path, k=2, today=lambda: day[0])
    stats.searched("Tafel", found=True)
    stats.end_visit("de")
    day[0] = date(2025, 3, 12)  # one visit each day: never two on one day
    stats.searched("Tafel", found=True)
    stats.end_visit("de")
    restarted = Statistics(path, k=2, today=lambda: day[0])  # the hashes of before are gone with the key
    restarted.searched("Tafel", found=True)
    restarted.end_visit("de")
    assert not [r for r in rows(path) if r[1] == "search_term"]
    restarted.searched("Tafel", found=True)
    restarted.end_visit("de")
    assert [r for r in rows(path) if r[1] == "search_term"] == [("2025-03-12", "search_term", "tafel", 2)]
    again = Statistics(path, k=2, today=lambda: day[0])  # a term already on disk keeps counting at once
    again.searched("Tafel", found=False)
    again.end_visit("de")
    assert ("2025-03-12", "search_term", "tafel", 3) in rows(path)


def test_an_empty_visit_is_no_visit_and_events_count_once_per_visit(tmp_path):
    stats = Statistics(tmp_path / "s.db", today=lambda: DAY)
    stats.end_visit("de")
    assert stats.totals(DAY) == Counter()
    for _ in range(3):
        stats.count("offer_viewed", "s01")
    stats.count("language", "en")
    stats.end_visit("de")
    assert stats.totals(DAY) == Counter({("visit", ""): 1, ("offer_viewed", "s01"): 1, ("language", "en"): 1})
    with pytest.raises(ValueError, match="unknown count kind"):
        stats.count("search_term", "anything")  # words reach the file only through the k rule


def test_a_file_that_cannot_be_written_keeps_the_counts_in_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    stats = Statistics(blocker / "statistics.db", today=lambda: DAY)
    stats.count("need", "gesundheit")
    stats.end_visit("de")
    assert stats.totals(DAY)[("need", "gesundheit")] == 1
    assert stats.last_error and "statistics.db" in stats.last_error


def test_old_raw_search_texts_are_dropped_and_zeroed(tmp_path):
    path = tmp_path / "statistics.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE search_misses (day TEXT, query TEXT, count INTEGER)")
    old.execute("INSERT INTO search_misses VALUES ('2025-03-10', 'annegret kowalczyk 0171', 1)")
    old.commit()
    old.close()
    connect(path).close()
    data = path.read_bytes()
    assert b"kowalczyk" not in data and b"search_misses" not in data


def test_switched_off_counts_nothing(settings, tmp_path):
    off = dataclasses.replace(settings.statistics, enabled=False, path=tmp_path / "s.db")
    assert make_statistics(off) is None
    on = make_statistics(dataclasses.replace(off, enabled=True, min_search_count=7))
    assert on is not None and on.k == 7 and on.path == tmp_path / "s.db"


# --- scripted visits through the real app --------------------------------------------------------

@pytest.fixture
def kiosk_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kiosk"
    folder.mkdir()
    return folder


def kiosk_app(settings, make_catalogue, clock, folder: Path, k: int = 5, **services):
    stats = Statistics(folder / "var" / "statistics.db", k=k, today=lambda: DAY)
    printer = EscposPrinter(f"file:{folder / 'printer.bin'}", place_name=settings.place.name, today=lambda: DAY)
    app = make_app(settings, make_catalogue(small_services()), clock=clock, qr=QrMaker(settings.qr),
                   printer=printer, statistics=stats, **services)
    return app, stats


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
async def test_counts_after_scripted_visits_are_exactly_what_was_done(settings, make_catalogue, clock, kiosk_dir):
    speech = EspeakSpeech(SpeechSettings(), player=[str(card(kiosk_dir.parent) / "aplay"), "-q"])
    app, stats = kiosk_app(settings, make_catalogue, clock, kiosk_dir, speech=speech)
    async with app.run_test(size=BIG) as pilot:
        # Visit 1 (German): read Home aloud, for my parents, a need, an offer with QR and print,
        # back home, a search that finds nothing, another that leads to an offer.
        await tap(pilot, "Vorlesen")
        await asyncio.sleep(0.3)
        await tap(pilot, "Stopp")  # stopped again: still one visit with speech
        # Speech mode lasts until switched off: the silent corner button opens the speech menu,
        # where "Speech mode off" is chosen by two taps (the first only speaks it).
        await asyncio.sleep(0.3)  # a Button ignores a second press within 0.2 s (touch bounce)
        await pilot.click("#read")
        assert isinstance(app.screen, SpeechMenuScreen)
        await tap(pilot, "Sprachmodus aus")
        await tap(pilot, "Sprachmodus aus")
        assert isinstance(app.screen, HomeScreen) and not app.speech_mode.on
        await tap(pilot, "Hilfe für wen?")
        await tap(pilot, "Für meine Eltern")
        await tap(pilot, "Alter & Pflege")
        await pilot.click("OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen) and app.screen.offer_id == "s01"
        await tap(pilot, "QR-Code zeigen")
        assert isinstance(app.screen, QrScreen)
        await tap(pilot, "Zurück")
        await tap(pilot, "Drucken")
        await settle(pilot)
        await asyncio.sleep(0.3)
        await tap(pilot, "Drucken")  # a second slip of the same offer: the visit printed it, once
        await settle(pilot)
        await tap(pilot, "Start")
        await tap(pilot, "Suchen")
        await type_text(pilot, "Xylofonkurs")
        await tap(pilot, "Start")  # left with nothing found: counted, the words only below k
        await tap(pilot, "Suchen")
        await type_text(pilot, "Schuldner")
        await pilot.click("OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen) and app.screen.offer_id == "s06"
        await walk_away(app, pilot)
        first = stats.totals(DAY)
        assert first == Counter({
            ("visit", ""): 1, ("language", "de"): 1, ("speech", ""): 1, ("audience", "parents"): 1,
            ("need", "alter-pflege"): 1, ("offer_viewed", "s01"): 1, ("offer_qr", "s01"): 1,
            ("offer_printed", "s01"): 1, ("offer_viewed", "s06"): 1, ("search", ""): 2, ("search_nothing", ""): 1,
        })
        # Visit 2 (English): a need, an offer; nothing else.
        await tap(pilot, "Sprache")
        await tap(pilot, "English")
        await tap(pilot, "Health")
        await pilot.click("OfferCard")
        await pilot.pause()
        await walk_away(app, pilot)
        # Visit 3: nothing but the idle Home: no visit.
        await walk_away(app, pilot)
    second = stats.totals(DAY) - first
    assert second == Counter({("visit", ""): 1, ("language", "en"): 1, ("need", "gesundheit"): 1,
                              ("offer_viewed", "s10"): 1})
    on_disk = Counter({(kind, key): n for _day, kind, key, n in rows(stats.path)})
    assert on_disk == stats.totals(DAY)  # every count was written at the end of its visit


def all_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


async def test_a_name_and_phone_number_typed_once_leave_no_trace_on_disk(settings, make_catalogue, clock, kiosk_dir):
    app, stats = kiosk_app(settings, make_catalogue, clock, kiosk_dir, k=2)
    async with app.run_test(size=BIG) as pilot:
        for _visit in range(2):  # a word searched in two visits may be kept (k = 2) ...
            await tap(pilot, "Suchen")
            await type_text(pilot, "Xylofonkurs")
            await tap(pilot, "Zurück")
            await walk_away(app, pilot)
        # ... a name and a number typed once, submitted, then deleted and something else typed
        await tap(pilot, "Suchen")
        await type_text(pilot, NAME)
        await pilot.press("enter")
        await type_text(pilot, "psy")
        for _ in range(len(NAME) + 3):
            await pilot.press("backspace")
        await type_text(pilot, "Schuldner")
        await pilot.press("enter")
        await walk_away(app, pilot)
        # ... and a name typed and left standing when the visitor walked away
        await tap(pilot, "Suchen")
        await type_text(pilot, "Kowalczyk Annegret")
        await walk_away(app, pilot)
    files = all_files(kiosk_dir.parent)  # the kiosk's folder and the catalogue's, every file
    assert stats.path in files and any(p.suffix == ".db" and p != stats.path for p in files)
    for path in files:
        data = path.read_bytes().lower()
        for secret in SECRETS:
            assert secret not in data, f"{secret!r} found in {path}"
        assert b"psy" not in data, f"a half-typed word in {path}"
    assert [key for _day, kind, key, _n in rows(stats.path) if kind == "search_term"] == ["xylofonkurs"]
    # No row ids, no times: the table is keyed by day, kind and key only.
    conn = sqlite3.connect(stats.path)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(counts)")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search_misses'").fetchone()[0] == 0
    finally:
        conn.close()
    assert columns == ["day", "kind", "key", "n"]
    totals = stats.totals(DAY)
    assert totals[("search", "")] == 4 and totals[("visit", "")] == 4
