"""Larger text and the languages on feeds the kiosk was not written for, in the real app (Pilot).

The walks of tests/test_app_largetext.py and tests/test_app_languages.py go over the bundled demo
catalogue only; this one goes over the feed shapes of tests/shapes.py (another taxonomy and
spelling, no taxonomy, 1,000 categories) and a generated catalogue of 50,000 offers
(tests/benchmarks/catalogue_gen.py), at 80x24 and 160x48, with and without "Größer", in German,
Arabic (right to left) and Romanian (long words). Each walk goes Home → the first needs, the
largest and the last → their results → an offer → its QR code, then "help for whom?" and the
search, and checks on every screen what the other walks check (tests.test_app_languages.check_screen,
tests.test_app_largetext.look): every button inside the screen, at least 12x3, its label whole;
every need at most two taps from Home, its tile on the screen; no empty list behind a need that
has offers.

Not the whole product of shapes x sizes x text sizes x languages (48 walks, some 3 minutes of CPU
time): each shape at each size with and without "Größer" (16 walks, ~4 s of CPU time each, and
~15 s once to build the 50,000 offers), the language turned so that every shape meets every
language and every size and text size meets every language.
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.content import Content

from kiosk import i18n
from kiosk.app import make_app
from kiosk.screens.home import HomeScreen
from kiosk.screens.offer import OfferScreen
from kiosk.screens.qr import QrScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.topics import PAGE_FIXED_ROWS, TopicsScreen
from kiosk.screens.whom import WhomScreen
from kiosk.sizes import LARGE, NORMAL, Sizes
from kiosk.takeaway import QrMaker
from sync.catalogue import Catalogue
from sync.pull import import_file
from tests import shapes
from tests.conftest import FROZEN_NOW
from tests.test_app_languages import check_screen, click
from tests.test_app_largetext import look

LARGE_OFFERS = 50_000
SHAPES: dict[str, Callable[[], list[dict]]] = {
    "other_taxonomy": shapes.other_taxonomy,
    "no_taxonomy": shapes.no_taxonomy,
    "many_categories": lambda: shapes.many_categories(1000),
}
SIZES = [(80, 24), (160, 48)]
LANGUAGES = ["de", "ar", "ro"]


def walks() -> Iterator:
    """(shape, size, language, larger?): every shape at every size with and without larger text;
    the language turns so that each shape meets all three, and so does each size and text size."""
    for j, shape in enumerate([*SHAPES, "50000_offers"]):
        for k, size in enumerate(SIZES):
            for large in (False, True):
                code = LANGUAGES[(j + 2 * k + large) % len(LANGUAGES)]
                name = f"{shape}-{size[0]}x{size[1]}-{code}{'-larger' if large else ''}"
                yield pytest.param(shape, size, code, large, id=name)


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory) -> Iterator[Callable[[str], Catalogue]]:
    """Each shape's catalogue, imported once for the module through the real importer."""
    folder = tmp_path_factory.mktemp("shapes")
    opened: dict[str, Catalogue] = {}

    def get(shape: str) -> Catalogue:
        if shape not in opened:
            if shape == "50000_offers":
                from tests.benchmarks.catalogue_gen import build_catalogue

                path = build_catalogue(LARGE_OFFERS, folder)
            else:
                source = folder / f"{shape}.json"
                source.write_text(json.dumps(SHAPES[shape](), ensure_ascii=False), encoding="utf-8")
                path = folder / f"{shape}.db"
                import_file(source, path)
            opened[shape] = Catalogue(Path(path))
        return opened[shape]

    yield get
    for catalogue in opened.values():
        catalogue.close()


class Walk:
    """One walk's problems, screen by screen."""

    def __init__(self, pilot, code: str, size: tuple[int, int]) -> None:
        self.pilot, self.app, self.code, self.size = pilot, pilot.app, code, size
        self.problems: list[str] = []

    async def look(self, where: str) -> None:
        await self.pilot.pause()
        found = check_screen(self.app, self.code, where, self.size)
        # look(): besides the buttons, any widget outside the screen (not in a scrolling list)
        found += [f"{self.code} {where}: {p}" for p in look(self.app, where, self.size)[0]
                  if "lies outside the screen" in p]
        self.problems.extend(found)

    def tile(self, index: int):
        """Need tile `index` on the active screen, if it is there and inside the screen."""
        width, height = self.size
        found = [b for b in self.app.screen.query(f"#need-{index}") if b.display]
        if not found:
            return None
        region = found[0].region
        return found[0] if region.area and region.right <= width and region.bottom <= height else None

    async def open_need(self, index: int, need) -> None:
        """Tap need `index` from Home (on "More topics" where Home has no room for it); its list."""
        app = self.app
        if self.tile(index) is None:
            assert isinstance(app.screen, HomeScreen) and app.screen.query("#more-topics")
            await click(self.pilot, "#more-topics")
        tile = self.tile(index)
        if tile is None:  # found already by the two-taps check: scroll to it to see the rest
            tile = app.screen.query_one(f"#need-{index}")
            tile.scroll_visible(animate=False, immediate=True)
            await self.pilot.pause()
        assert await self.pilot.click(tile), f"the tap on need {index} did not reach it"
        await self.pilot.pause()
        await self.pilot.pause()
        assert isinstance(app.screen, ResultsScreen) and app.screen.need == need
        await self.look(f"results of {need.text()!r}")
        if need.count > 0 and not app.screen.query("OfferCard"):
            self.problems.append(f"{self.code}: {need.text()!r} has {need.count} offers, its list none")


async def walk(pilot, code: str, size: tuple[int, int]) -> list[str]:
    app = pilot.app
    w = Walk(pilot, code, size)
    await w.look("home")
    needs = app.finder.needs(None)
    assert needs, "Home has need buttons"

    # Every need at most two taps away: its tile on Home, or on "More topics", inside the screen.
    on_home = {i for i in range(len(needs)) if w.tile(i)}
    rest = set(range(len(needs))) - on_home
    if rest:
        assert app.screen.query("#more-topics"), f"no way to needs {sorted(rest)}"
        await click(pilot, "#more-topics")
        assert isinstance(app.screen, TopicsScreen)
        await w.look("more topics")
        if off := sorted(i for i in rest if not w.tile(i)):
            w.problems.append(f"{code}: more topics: {[needs[i].text() for i in off]} not on the screen")
        await click(pilot, "#home")

    # The first two needs, the last one and the largest; an offer of the largest and its QR code.
    largest = max(range(len(needs)), key=lambda i: needs[i].count)
    for index in sorted({0, 1, len(needs) - 1} & set(range(len(needs))) - {largest}):
        await w.open_need(index, needs[index])
        await click(pilot, "#home")
    await w.open_need(largest, needs[largest])
    await click(pilot, "OfferCard")
    assert isinstance(app.screen, OfferScreen)
    await w.look("offer")
    await click(pilot, "#qr")
    assert isinstance(app.screen, QrScreen)
    await w.look("QR code")
    await click(pilot, "#home")

    # "Help for whom?" (where the catalogue names groups): the longest choice, Home narrowed by it.
    if app.screen.query("#whom"):
        await click(pilot, "#whom")
        assert isinstance(app.screen, WhomScreen)
        await w.look("help for whom")
        choices = list(app.screen.query(".audience"))
        assert choices, "help for whom? offers no choice"
        assert await pilot.click(max(choices, key=lambda b: len(b.label.plain)))
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await w.look("home, for whom chosen")
        narrowed = app.finder.needs(app.audience)
        if narrowed and w.tile(0):
            await w.open_need(0, narrowed[0])
            await click(pilot, "#home")

    await click(pilot, "#search")
    assert isinstance(app.screen, SearchScreen)
    await w.look("search")
    for _ in range(2):  # two letters: word completions and the results preview
        letter = next(k for k in app.screen.query(".key.letter") if k.display and k.region.area)
        assert await pilot.click(letter)
        await asyncio.sleep(0.25)  # a Button ignores a second press within 0.2 s (touch bounce)
    await app.workers.wait_for_complete()
    await w.look("search, typed")
    await click(pilot, "#home")
    assert isinstance(app.screen, HomeScreen)
    return w.problems


@pytest.mark.parametrize(("shape", "size", "code", "large"), walks())
async def test_every_screen_on_a_feed_of_another_shape(settings, catalogues, shape, size, code, large):
    app = make_app(settings, catalogues(shape), clock=lambda: FROZEN_NOW, qr=QrMaker(settings.qr))
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.set_language(code)
            await pilot.pause()
            if large:
                await click(pilot, "#large")  # the visitor's switch
                assert app.large_text
            problems = await walk(pilot, code, size)
    finally:
        i18n.set_language("de")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("sizes", [NORMAL, LARGE], ids=["normal", "larger"])
@pytest.mark.parametrize(("width", "height"), [(80, 24), (80, 16), (100, 30), (160, 48)])
@pytest.mark.parametrize("count", [6, 11, 21])
def test_the_more_topics_page_fits_its_tiles_or_scrolls(sizes, width, height, count):
    """kiosk/sizes.py topics_grid: this size's own tiles where they fit; else lower ones in more
    columns, every tile inside the room and each label whole in it; None only where tiles 12
    columns wide do not fit either (the page scrolls)."""
    labels = [f"Leistung {i:04}" for i in range(count - 1)] + ["Beratung & Hilfe in Not für Familien"]
    room = height - PAGE_FIXED_ROWS
    fit = sizes.topics_grid(labels, width, room)
    own = sizes.tile_columns(width)
    own_rows = sizes.tile_rows_for(labels, width)
    if -(-count // own) * own_rows <= room:
        assert fit == (own, own_rows)  # nothing changes where the tiles fit
        return
    if fit is None:  # no grid of tiles at least 12 wide holds them all, each label whole
        for columns in range(own, width // 12 + 1):
            inner = Sizes.tile_inner_width(width, columns, sizes.tile_gutter)
            lines = max(len(Content(label).wrap(inner)) for label in labels)
            assert inner < 12 or -(-count // columns) * (lines + 2) > room, columns
        return
    columns, rows = fit
    inner = Sizes.tile_inner_width(width, columns, sizes.tile_gutter)
    assert columns >= own and inner >= 12 and rows >= 3
    assert -(-count // columns) * rows <= room
    assert all(len(Content(label).wrap(inner)) <= rows - 2 for label in labels)
