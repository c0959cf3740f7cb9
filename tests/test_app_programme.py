"""The place's own programme on the screen (Pilot): "Heute hier" / "Diese Woche hier" on Home, its
offers first in search and marked as being at this place, the offer screen, and a change made with
`kiosk-sync local` while the kiosk runs.
"""
from __future__ import annotations

import dataclasses
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
