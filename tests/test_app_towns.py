"""The towns page ("Ort: …" on the results) composes its tiles anew when the screen's size or the
text size changes them, in the real app driven by its Pilot: at 80x24 and 160x48, with and without
"Larger", German and Arabic (mirrored), the demo's few towns and the county's 24. Every tile on the
screen where they fit (more columns, or lower tiles, where this size's own do not), each label
whole; where they cannot fit the page scrolls, labels still whole (kiosk/sizes.py town_grid).
"""
from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.content import Content

from kiosk import i18n
from kiosk.app import make_app
from kiosk.screens.towns import TownScreen
from kiosk.sizes import LARGE, NORMAL, Sizes
from tests import countyfeed
from tests.conftest import FROZEN_NOW
from tests.test_app_largetext import look
from tests.test_app_mirrored import assert_in_reading_order, open_results

# One run: the page opened at 80x24, then the terminal resized and "Larger" switched, back and forth.
STEPS = [((160, 48), False), ((80, 24), False), ((80, 24), True), ((160, 48), True), ((80, 24), True),
         ((160, 48), False), ((80, 24), False)]


def tiles_in_reading_order(screen) -> list:
    return [screen.query_one("#town-here"), *sorted(screen.query("#towns BigButton").exclude("#town-here"),
                                                    key=lambda b: int(b.id.removeprefix("town-")))]


@pytest.fixture
def county(make_catalogue):
    return make_catalogue(countyfeed.services(), name="county.db")  # 24 towns


@pytest.mark.parametrize("code", ["de", "ar"])
@pytest.mark.parametrize("feed", ["demo", "county"])
async def test_the_towns_page_follows_the_screen_and_the_text_size(settings, catalogue, county, feed, code):
    app = make_app(settings, county if feed == "county" else catalogue, clock=lambda: FROZEN_NOW)
    towns = app.finder.towns()
    assert len(towns) == (24 if feed == "county" else len(towns)) and len(towns) >= 4
    async with app.run_test(size=(80, 24)) as pilot:
        await open_results(pilot, code, False)  # the first need's offers
        assert await pilot.click("#f-town")  # the results' town filter opens the page
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TownScreen)
        columns_at = {}
        for step, ((width, height), large) in enumerate([((80, 24), False), *STEPS]):
            if step:
                if large != app.large_text:
                    app.set_large_text(large)  # as the switch on Home: the open screens compose anew
                await pilot.resize_terminal(width, height)
                for _ in range(3):
                    await pilot.pause()
            where = f"{code} {feed} {width}x{height}{' larger' if large else ''}"
            assert app.screen is screen and app.large_text == large
            problems, _areas = look(app, where, (width, height))
            assert not problems, "\n".join(problems)  # nothing cut, nothing outside the screen
            tiles = tiles_in_reading_order(screen)
            assert [t.label.plain for t in tiles[1:]] == towns
            # Every tile on the screen, none scrolled off: the county's 24 towns fit at both sizes.
            assert screen.query_one("#town-list", VerticalScroll).max_scroll_y == 0, where
            for tile in tiles:
                region = tile.region
                assert region.height >= 3 and region.width >= 12 and region.bottom <= height, (where, tile.id, region)
            assert assert_in_reading_order(tiles, i18n.is_rtl(code)) >= 2
            columns = columns_at[width, large] = screen.query_one("#towns").styles.grid_size_columns
            if len(towns) >= 2 * columns:  # the tiles really stand in that many columns
                assert len({t.region.x for t in tiles[1:]}) == columns, where
        # The wider screen holds more columns than the narrow one, with either text size.
        assert columns_at[160, False] > columns_at[80, False] and columns_at[160, True] > columns_at[80, True]


async def test_focus_stays_on_its_town_when_the_page_is_composed_anew(settings, county):
    app = make_app(settings, county, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.push_screen(TownScreen(None, lambda town: None))
        await pilot.pause()
        app.screen.query_one("#town-5").focus()
        await pilot.resize_terminal(80, 24)
        for _ in range(3):
            await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == "town-5"
        assert app.screen.query_one("#towns").styles.grid_size_columns != NORMAL.town_columns(160)


def whole(label: str, width: int, lines: int) -> bool:
    """`label` shows whole in `width` columns on `lines` lines (a one-line tile does not wrap)."""
    if lines == 1:
        return cell_len(label) <= width
    return max(map(cell_len, label.split())) <= width and len(Content(label).wrap(width)) <= lines


@pytest.mark.parametrize("sizes", [NORMAL, LARGE], ids=["normal", "larger"])
@pytest.mark.parametrize(("width", "height"), [(80, 24), (80, 16), (100, 30), (160, 48)])
@pytest.mark.parametrize("count", [3, 24, 60])
def test_town_grid_fits_every_tile_or_scrolls(sizes, width, height, count):
    """kiosk/sizes.py town_grid: this size's own columns and tiles where they fit; else lower tiles,
    then more columns, every tile in the room and each label whole; None only where no grid of
    tiles 12 columns wide holds them (the page scrolls)."""
    labels = ["Hier zuerst (Lengerich)"] + [f"Westerkappeln {i}"[:13 + (i % 3)] for i in range(count)]
    room = height - 5
    fit = sizes.town_grid(labels, width, room)
    own = sizes.town_columns(width)
    cells = len(labels) + 1  # the first tile spans two columns

    def holds(columns: int, rows: int) -> bool:
        inner = Sizes.tile_inner_width(width, columns)
        return (inner >= 12 and -(-cells // columns) * rows <= room
                and whole(labels[0], 2 * inner + 1, rows - 2) and all(whole(t, inner, rows - 2) for t in labels[1:]))

    if holds(own, sizes.button_rows):
        assert fit == (own, sizes.button_rows)  # nothing changes where the tiles fit
    elif fit is None:
        assert not any(holds(c, r) for c in range(own, width // 12 + 1) for r in range(3, sizes.button_rows + 1))
    else:
        columns, rows = fit
        assert columns >= own and 3 <= rows <= sizes.button_rows and holds(columns, rows)
    if count == 3 or (width, height) == (160, 48):
        assert fit is not None  # a few towns, or a big screen: all on it
