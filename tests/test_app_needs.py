"""The start screen on feeds of every shape, driven by the Pilot at 80x24 and 160x48: every need
with offers at most two taps from Home, no tile that leads to no offers, no label cut, English
labels in English; "help for whom?" narrows with a title that says so and one tap to widen."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.screens.home import HomeScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.topics import TopicsScreen
from tests import shapes
from tests.conftest import screen_text, tap

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo-catalogue.json"
SIZES = [(80, 24), (160, 48)]
FEEDS = {
    "demo": lambda: json.loads(DEMO.read_text(encoding="utf-8")),
    "other_taxonomy": shapes.other_taxonomy,
    "no_taxonomy": shapes.no_taxonomy,
    "many_categories": lambda: shapes.many_categories(1000),
}


def tiles(app) -> list:
    return [b for b in app.screen.query("#needs Button") if b.display]


def shown_label(app, button) -> str:
    """The words a tile shows on the terminal, lines joined: what a visitor can read."""
    lines = screen_text(app).split("\n")
    region = button.content_region
    text = " ".join(lines[y][region.x:region.right] for y in range(region.y, region.bottom) if y < len(lines))
    return " ".join(text.split())


def page_count(app) -> int:
    text = app.screen.query_one("#pageinfo").visual.plain
    return int(text.split("·")[-1].split()[0])


async def open_and_count(pilot, button) -> int:
    """Tap a need tile; the offers its list holds; back again."""
    app = pilot.app
    assert await pilot.click(button)
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)
    count = page_count(app) if app.screen.query("OfferCard") else 0
    await app.go_back()
    await pilot.pause()
    return count


async def check_tiles(pilot, ids: list[str], size, reached: dict[str, int], *, bottom: int) -> None:
    """Each tile lies on the screen, shows its whole label, and leads to offers."""
    app = pilot.app
    for tile_id in ids:
        button = app.screen.query_one(f"#{tile_id}")  # asked anew: the screen composes again on return
        assert button.region.bottom <= bottom, f"{tile_id} lies under the action buttons or off screen"
        label = button.label.plain
        assert shown_label(app, button) == label, f"{label!r} is cut on the screen"
        reached[label] = await open_and_count(pilot, button)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("feed", FEEDS)
async def test_every_need_within_two_taps_and_none_empty(settings, make_catalogue, clock, feed, size):
    catalogue = make_catalogue(FEEDS[feed]())
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        needs = app.finder.needs()
        reached: dict[str, int] = {}
        ids = [b.id for b in tiles(app)]
        assert ids, "Home shows need tiles"
        await check_tiles(pilot, [i for i in ids if i != "more-topics"], size, reached, bottom=size[1] - 4)
        if "more-topics" in ids:
            await tap(pilot, "Weitere Themen")
            assert isinstance(app.screen, TopicsScreen)
            await check_tiles(pilot, [b.id for b in tiles(app)], size, reached, bottom=size[1])
            await app.go_back()
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        expected = {n.text() for n in needs}
        reached_texts = {label.split(" ", 1)[1] if label[:2].strip() in {n.icon for n in needs if n.icon} else label
                         for label in reached}
        assert reached_texts == expected
        assert all(count > 0 for count in reached.values()), reached


async def test_a_larger_screen_shows_more_tiles(settings, make_catalogue, clock):
    catalogue = make_catalogue(shapes.other_taxonomy())
    counts = {}
    for size in SIZES:
        app = make_app(settings, catalogue, clock=clock)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            counts[size] = [b.id for b in tiles(app)]
    assert "more-topics" in counts[(80, 24)] and "more-topics" not in counts[(160, 48)]
    assert len(counts[(160, 48)]) == len(shapes.TOP_THEMES) > len(counts[(80, 24)])


async def test_english_labels_for_mapped_needs(settings, make_catalogue, clock):
    app = make_app(settings, make_catalogue(shapes.other_taxonomy()), clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await tap(pilot, "Sprache")
        await tap(pilot, "English")
        labels = [b.label.plain for b in tiles(app)]
        for word in ("Age & care", "Meeting & leisure", "Children, youth & family", "Money & offices", "Addiction"):
            assert any(label.endswith(word) for label in labels), (word, labels)
        assert "Mobilität" in labels  # the catalogue's own term, as the catalogue names it
        german = {"Alter & Pflege", "Treffen & Freizeit", "Geld & Ämter"}
        assert not any(label.endswith(tuple(german)) for label in labels)


async def test_for_my_child_then_help_in_need(settings, make_catalogue, clock):
    """The trial's bug: "Für mein Kind" then "Hilfe in Not" gave 0 offers."""
    app = make_app(settings, make_catalogue(shapes.other_taxonomy()), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Hilfe für wen?")
        labels = [b.label.plain for b in app.screen.query("#audiences Button")]
        assert labels[:4] == ["Für mich", "Für mein Kind", "Für meine Eltern", "Für jemanden, den ich pflege"]
        assert "Alleinerziehende" in labels
        await tap(pilot, "Für mein Kind")
        assert "Für mein Kind: Wobei brauchen Sie Hilfe?" in screen_text(app)
        await tap(pilot, "Beratung & Hilfe in Not")
        title = app.screen.query_one("#title").visual.plain
        assert title == "Für Kinder und Jugendliche · Beratung & Hilfe in Not"
        narrowed = page_count(app)
        first = [c.visual.plain.splitlines()[0] for c in app.screen.query("OfferCard")]
        assert "Kinder- und Jugendtelefon" in first or "Krisendienst für junge Menschen" in first
        await tap(pilot, "Für alle")
        assert app.screen.query_one("#title").visual.plain == "Beratung & Hilfe in Not"
        assert page_count(app) > narrowed
        assert not app.screen.query("#widen")
        await tap(pilot, "Start")
        assert "Hilfe für wen?" in screen_text(app)  # widened for the rest of the visit


async def test_untagged_offers_follow_under_a_line(settings, make_catalogue, clock):
    app = make_app(settings, make_catalogue(shapes.other_taxonomy()), clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await tap(pilot, "Hilfe für wen?")
        await tap(pilot, "Für mein Kind")
        await tap(pilot, "Beratung & Hilfe in Not")
        screen = app.screen
        listing = app.finder.listing(screen.need, screen.audience)
        assert listing.tagged and listing.untagged
        per_page = screen.per_page
        while not screen.query("#untagged"):
            await tap(pilot, "Mehr")
        assert "Angebote ohne Angabe, für wen sie sind:" in screen_text(app)
        for card in screen.query("OfferCard"):
            assert card.region.bottom <= 48 - 3  # the line takes no card's room
        assert per_page == 16  # two columns of eight at 160x48


async def test_no_distance_for_offers_at_this_place(settings, make_catalogue, clock):
    services = json.loads(DEMO.read_text(encoding="utf-8"))
    app = make_app(settings, make_catalogue(services), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await tap(pilot, "Hier im Haus")
        lines = [c.visual.plain.splitlines()[1] for c in app.screen.query("OfferCard")]
        assert lines and all(line.startswith("Hier im Haus") and " km" not in line for line in lines)
        await tap(pilot, "Start")
        await tap(pilot, "Treffen & Freizeit")
        elsewhere = [c.visual.plain.splitlines()[1] for c in app.screen.query("OfferCard")]
        assert any(" km" in line for line in elsewhere)
