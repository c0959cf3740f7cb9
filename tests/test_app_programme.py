"""The place's own programme on the screen (Pilot): "Heute hier" / "Diese Woche hier" on Home, its
offers first in search and marked as being at this place, the offer screen, and a change made with
`kiosk-sync local` while the kiosk runs.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kiosk import programme
from kiosk.app import make_app
from kiosk.combined import WithProgramme
from kiosk.screens.offer import OfferScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.search import SearchScreen
from tests.conftest import find_button, screen_text, small_services, tap

BIG = (160, 48)


@pytest.fixture
def place(settings, tmp_path: Path, make_catalogue):
    """Settings whose programme lives in tmp_path, a real catalogue, and the programme beside it."""
    catalogue = make_catalogue(small_services())
    local = dataclasses.replace(
        settings, place=dataclasses.replace(settings.place, programme=tmp_path / "programme.json"),
        catalogue=dataclasses.replace(settings.catalogue, database=catalogue.path))
    return local, catalogue


def add(settings, name: str, **fields) -> None:
    programme.add(settings, programme.EntryFields(name=name, **fields))
    programme.rebuild(settings)


def cards(app) -> list[str]:
    return [card.visual.plain.splitlines()[0] for card in app.screen.query("OfferCard")]


def card_text(app, name: str) -> str:
    return next(c.visual.plain for c in app.screen.query("OfferCard") if c.visual.plain.startswith(name))


@pytest.mark.parametrize("size", [(80, 24), BIG], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_today_here_on_home_and_the_programme_first(place, clock, size):
    settings, catalogue = place
    add(settings, "Handy-Sprechstunde", weekly=["di 10:00-12:00"], description="Hilfe mit Smartphone und Tablet")
    add(settings, "Mittagstisch", weekly=["di,fr 12:30-14:00"])
    add(settings, "Frauencafé", weekly=["do 15-17"])
    app = make_app(settings, WithProgramme(catalogue, programme.programme_db(settings)), clock=clock)
    async with app.run_test(size=size) as pilot:  # Tuesday 10:30
        assert find_button(app, "Heute hier (2)").display
        await tap(pilot, "Heute hier (2)")
        assert isinstance(app.screen, ResultsScreen)
        assert cards(app)[:2] == ["Handy-Sprechstunde", "Mittagstisch"]
        assert "Hier im Haus" in card_text(app, "Handy-Sprechstunde")
        assert "Jetzt geöffnet bis 12:00" in card_text(app, "Handy-Sprechstunde")
        await pilot.click("OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen) and app.screen.offer_id == "hier-handy-sprechstunde"
        assert "Hilfe mit Smartphone und Tablet" in screen_text(app)
        await tap(pilot, "Start")
        await tap(pilot, "Suchen")
        for ch in "Smartphone":
            await pilot.press(ch)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert cards(app)[0] == "Handy-Sprechstunde"  # the place's own first, then the catalogue's
        assert "Hier im Haus" in card_text(app, "Handy-Sprechstunde")


async def test_this_week_here_and_a_change_while_the_kiosk_runs(place, clock):
    settings, catalogue = place
    app = make_app(settings, WithProgramme(catalogue, programme.programme_db(settings)), clock=clock)
    async with app.run_test(size=BIG) as pilot:
        assert "Hier im Haus (2)" in [b.label.plain for b in app.screen.query("Button")]  # no programme yet
        add(settings, "Frauencafé", weekly=["do 15-17"])  # kiosk-sync local add, from another process
        await app.screen.recompose()
        await pilot.pause()
        await tap(pilot, "Diese Woche hier (1)")
        assert cards(app) == ["Frauencafé", "Seniorentreff Teestube", "Smartphone-Sprechstunde"]
        await tap(pilot, "Start")
        programme.remove(settings, "hier-frauencafe")
        programme.rebuild(settings)
        await app.screen.recompose()
        await pilot.pause()
        assert "Hier im Haus (2)" in [b.label.plain for b in app.screen.query("Button")]


async def test_a_broken_programme_never_hides_the_catalogue(place, clock):
    settings, catalogue = place
    db = programme.programme_db(settings)
    db.write_bytes(b"this is not a database at all" * 100)
    app = make_app(settings, WithProgramme(catalogue, db), clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Hier im Haus (2)")
        assert cards(app) == ["Seniorentreff Teestube", "Smartphone-Sprechstunde"]


# --- the volunteer menu: usage figures and the programme ------------------------------------------

async def open_menu(pilot, button: str) -> None:
    await pilot.press("f12", *pilot.app.settings.kiosk.volunteer_pin, "enter")
    await pilot.pause()
    await tap(pilot, button)


def test_bar_chart_scales_to_the_highest_day():
    from kiosk.screens.place import bar_chart

    assert bar_chart([0, 4, 8], height=2) == ["  █", " ██"]
    assert bar_chart([0, 3, 8], height=2) == ["  █", " ▆█"]
    assert bar_chart([0, 0], height=2) == ["  ", "▁▁"]
    assert bar_chart([1, 16], height=1) == ["▁█"]


@pytest.mark.parametrize("size", [(80, 24), BIG], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_usage_figures_of_the_last_30_days(place, clock, tmp_path, size):
    from datetime import timedelta

    from kiosk.statistics import Statistics

    settings, catalogue = place
    today = clock().date()
    day = [today - timedelta(days=40)]
    stats = Statistics(tmp_path / "statistics.db", k=2, today=lambda: day[0])
    for back, visits in ((40, 9), (3, 2), (0, 4)):  # 40 days ago is outside the chart
        day[0] = today - timedelta(days=back)
        for _ in range(visits):
            stats.count("need", "gesundheit")
            stats.searched("Xylofon", found=False)
            stats.end_visit("de")
    app = make_app(settings, catalogue, clock=clock, statistics=stats)
    async with app.run_test(size=size) as pilot:
        await open_menu(pilot, "Nutzungszahlen")
        text = app.screen.query_one("#usage-text").visual.plain
    lines = text.splitlines()
    assert lines[0] == "Besuche pro Tag, letzte 30 Tage (höchstens: 4, zusammen: 6):"
    # Two visits three days ago fill half the height of today's four; 40 days ago is not shown.
    assert [row[2:] for row in lines[1:5]] == [" " * 29 + "█"] * 2 + [" " * 26 + "█  █"] * 2
    assert "Geöffnete Themen: Gesundheit 6" in text
    assert "Suchen: 6, davon ohne Ergebnis: 6" in text and "Oft gesucht, nichts gefunden: „xylofon“ 6" in text


async def test_the_programme_is_edited_in_the_volunteer_menu(place, clock):
    settings, catalogue = place
    path = settings.place.programme
    app = make_app(settings, WithProgramme(catalogue, programme.programme_db(settings)), clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await open_menu(pilot, "Unser Programm")
        assert "Noch keine Einträge." in screen_text(app)
        await tap(pilot, "Neuer Eintrag")
        app.screen.query_one("#field-name").value = "Frauencafé"
        app.screen.query_one("#field-weekly").value = "do 25-26"
        await tap(pilot, "Speichern")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Nicht gespeichert: Jede Woche: „25-26“ ist keine Uhrzeit" in screen_text(app)
        assert not path.exists()  # nothing written
        app.screen.query_one("#field-weekly").value = "do 15-17; sa 10:00-12:00"
        await tap(pilot, "Speichern")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Gespeichert: Frauencafé" in text
        assert [w.visual.plain for w in app.screen.query(".programme-entry")] == [
            "Frauencafé — Donnerstag: 15:00–17:00; Samstag: 10:00–12:00"]
        await tap(pilot, "Ändern")
        assert app.screen.query_one("#field-weekly").value == "do 15:00-17:00; sa 10:00-12:00"
        app.screen.query_one("#field-name").value = "Frauencafé am Donnerstag"
        await tap(pilot, "Speichern")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert json.loads(path.read_text(encoding="utf-8"))[0]["name"] == "Frauencafé am Donnerstag"
        await tap(pilot, "Entfernen")
        assert path.exists() and find_button(app, "Wirklich entfernen?")
        await tap(pilot, "Wirklich entfernen?")
        assert "Entfernt: Frauencafé am Donnerstag" in screen_text(app)
        assert json.loads(path.read_text(encoding="utf-8")) == []
        await tap(pilot, "Start")
        assert "Hier im Haus (2)" in [b.label.plain for b in app.screen.query("Button")]
