"""The towns page ("Ort: …" on the results) composes its tiles anew when the screen's size or the
text size changes them, in the real app driven by its Pilot: at 80x24 and 160x48, with and without
"Larger", German and Arabic (mirrored), the demo's few towns, the county's 24 and a region's 60 or
150. Every tile on the screen where they fit (more columns, or lower tiles, where this size's own do
not), each label whole (kiosk/sizes.py town_grid); where they cannot all fit, a page of them at a
time with the results' Previous / "Page x of y" / More row: a finger cannot scroll, so every town
is a tap (or two) away, and so is it by speech mode's number pad keys.
"""
from __future__ import annotations

import json

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.content import Content

from kiosk import i18n
from kiosk.app import make_app
from kiosk.config import SpeechSettings
from kiosk.screens.results import ResultsScreen
from kiosk.screens.towns import TownScreen
from kiosk.sizes import LARGE, NORMAL, Sizes
from kiosk.speech import EspeakSpeech
from sync.catalogue import Catalogue
from sync.pull import import_file
from tests import countyfeed
from tests.conftest import FROZEN_NOW, hsds_service, screen_text
from tests.test_app_largetext import look
from tests.test_app_mirrored import (
    assert_in_reading_order,
    heard_control,
    left_to_right,
    mirrored,
    needs_espeak,
    open_results,
    walk_by_speech_keys,
)
from tests.test_app_speech import until
from tests.test_speech import card

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
@pytest.mark.parametrize(("count", "longest"), [(3, 15), (24, 15), (60, 15), (60, 19), (150, 19)])
def test_town_grid_fits_every_tile_or_pages(sizes, width, height, count, longest):
    """kiosk/sizes.py town_grid: this size's own columns and tiles where they fit; else lower tiles,
    then more columns (for long names fewer), every tile in the room and each label whole; None
    only where no grid of tiles 12 columns wide holds them. Paged: the grid of the fewest pages,
    each label whole."""
    names = [f"Westerkappeln-Mitte {i}"[:13 + (i % 3)] for i in range(count - 1)] + ["Westerkappeln-Mitte"[:longest]]
    labels = ["Hier zuerst (Lengerich)"] + names
    room = height - 5
    fit = sizes.town_grid(labels, width, room)
    own = sizes.town_columns(width)
    cells = len(labels) + 1  # the first tile spans two columns
    grids = [(c, r) for c in range(2, width // 12 + 1) for r in range(3, sizes.button_rows + 1)]

    def whole_in(columns: int, rows: int) -> bool:
        inner = Sizes.tile_inner_width(width, columns)
        return (inner >= 12 and whole(labels[0], 2 * inner + 1, rows - 2)
                and all(whole(t, inner, rows - 2) for t in labels[1:]))

    def holds(columns: int, rows: int) -> bool:
        return whole_in(columns, rows) and -(-cells // columns) * rows <= room

    if holds(own, sizes.button_rows):
        assert fit == (own, sizes.button_rows)  # nothing changes where the tiles fit
    elif fit is None:
        assert not any(holds(c, r) for c, r in grids)
    else:
        columns, rows = fit
        assert 3 <= rows <= sizes.button_rows and holds(columns, rows)
    if count == 3 or (width, height, longest) == (160, 48, 15):
        assert fit is not None  # a few towns, or a big screen: all on it
    if count == 150 and height <= 30:
        assert fit is None  # a region's towns on a small screen: pages
    paged = sizes.town_grid(labels, width, room - sizes.button_rows, paged=True)
    assert paged is not None

    def pages(columns: int, rows: int) -> int:
        per_page = (room - sizes.button_rows) // rows * columns - 2
        return -(-count // per_page) if per_page > 0 else 10**9

    assert whole_in(*paged)
    assert pages(*paged) == min(pages(c, r) for c, r in grids if whole_in(c, r))
    if fit is None:
        assert pages(*paged) >= 2


# --- many towns: a page at a time --------------------------------------------------------------

SUFFIXES = ["", "-Nord", "-Süd", "-Ost", "-West", "-Mitte", "-Dorf"]  # a region's districts: longer names


def region_services(count: int) -> list[dict]:
    """One offer in each of `count` towns: the county's 24, then their districts ("Westerkappeln-Mitte")."""
    names = [town + SUFFIXES[i // len(countyfeed.ALL)] for i, town in enumerate(countyfeed.ALL * len(SUFFIXES))]
    return [hsds_service(f"r{i:03}", f"Treffpunkt {town}", town=town, lat=52.0 + i / 1000, needs=("gesundheit",))
            for i, town in enumerate(names[:count])]


@pytest.fixture(scope="module")
def region_feeds(tmp_path_factory):
    """Catalogue files of 60 and 150 towns, imported once for the module (opened anew by each test)."""
    folder = tmp_path_factory.mktemp("region")
    paths = {}
    for count in (60, 150):
        source = folder / f"region{count}.json"
        source.write_text(json.dumps(region_services(count), ensure_ascii=False), encoding="utf-8")
        import_file(source, folder / f"region{count}.db")
        paths[count] = folder / f"region{count}.db"
    return paths


@pytest.fixture
def region(region_feeds):
    opened = []

    def open_region(count: int):
        opened.append(Catalogue(region_feeds[count]))
        return opened[-1]

    yield open_region
    for catalogue in opened:
        catalogue.close()


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


async def open_towns(pilot, code: str, large: bool) -> TownScreen:
    """The results' town filter tapped ("Ort: Lengerich"), as a visitor reaches the page."""
    await open_results(pilot, code, large)
    assert await pilot.click("#f-town")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TownScreen)
    return pilot.app.screen


def shown_towns(screen) -> list[str]:
    return [t.label.plain for t in tiles_in_reading_order(screen)[1:]]


def check_page(app, screen, where: str) -> None:
    """Nothing cut or outside the screen, nothing to scroll, "Here first" leading, every tile whole
    above the paging row, the tiles and the paging row in reading order (right to left mirrored)."""
    width, height = app.size
    problems, _areas = look(app, where, (width, height))
    assert not problems, "\n".join(problems)
    assert screen.query_one("#town-list", VerticalScroll).max_scroll_y == 0, where
    tiles = tiles_in_reading_order(screen)
    assert tiles[0].label.plain == i18n._("Here first ({town})").format(town=app.settings.place.town), where
    paging = screen.query("#paging")
    bottom = paging.first().region.y if paging else height
    for tile in tiles:
        region = tile.region
        assert region.x >= 0 and region.right <= width and region.bottom <= bottom and region.height >= 3, \
            (where, tile.id, region, bottom)
    assert assert_in_reading_order(tiles, i18n.is_rtl(i18n.current_language())) >= 1
    if paging:
        code = i18n.current_language()
        assert left_to_right(app, "#prev", "#pageinfo", "#next") == mirrored(code, ["#prev", "#pageinfo", "#next"])
        assert paging.first().region.bottom <= height, where


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", ["de", "ar"])
@pytest.mark.parametrize("count", [60, 150])
async def test_every_town_is_a_tap_away(settings, region, count, code, size, large):
    """A region's towns page by page with big Previous / More buttons: each town on exactly one
    page, in the catalogue's order, its whole tile on the screen; Previous goes back; the last town
    is chosen from its page by a tap."""
    app = make_app(settings, region(count), clock=lambda: FROZEN_NOW)
    towns = app.finder.towns()
    assert len(towns) == count
    async with app.run_test(size=size) as pilot:
        screen = await open_towns(pilot, code, large)
        pages: list[list[str]] = []
        infos: list[str] = []
        for _page in range(count):
            where = f"{code} {count} towns {size[0]}x{size[1]}{' larger' if large else ''} page {len(pages) + 1}"
            check_page(app, screen, where)
            pages.append(shown_towns(screen))
            if not screen.query("#paging"):
                break
            infos.append(screen.shown_texts("#pageinfo")[0])
            assert screen.query_one("#prev").disabled == (len(pages) == 1), where
            if screen.query_one("#next").disabled:
                break
            assert await pilot.click("#next")
            await settle(pilot)
        assert [town for page in pages for town in page] == towns  # each once, in order
        assert infos == [i18n._("Page {page} of {pages}").format(page=n, pages=len(pages))
                         for n in range(1, len(pages) + 1)] or len(pages) == 1
        if size == (80, 24):  # where they cannot all stand on one screen
            assert len(pages) > 1, "all on one screen?"
        if len(pages) > 1:
            assert await pilot.click("#prev")
            await settle(pilot)
            assert shown_towns(screen) == pages[-2]
            assert await pilot.click("#next")
            await settle(pilot)
        last = screen.query_one(f"#town-{count - 1}")
        assert last.label.plain == towns[-1]
        assert await pilot.click(last)  # the last town, chosen from its page by a tap
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert i18n._("Town: {town}").format(town=towns[-1]) in app.screen.query_one("#f-town").label.plain
        if code == "de":
            assert f"Ort: {towns[-1]}" in screen_text(app)


async def test_a_smaller_screen_turns_paging_on_on_a_sensible_page(settings, region):
    """60 towns stand on one screen at 160x48; at 80x24 they are paged: the focused town's page
    opens (focus kept), and the larger text keeps it on the screen; without focus a page turned to
    comes back after a bigger screen showed them all."""
    app = make_app(settings, region(60), clock=lambda: FROZEN_NOW)
    towns = app.finder.towns()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_towns(pilot, "de", False)
        assert not screen.query("#paging") and shown_towns(screen) == towns
        screen.query_one("#town-45").focus()
        for size, large in [((80, 24), False), ((80, 24), True), ((160, 48), True), ((80, 24), True),
                            ((80, 24), False)]:
            if large != app.large_text:
                app.set_large_text(large)
            await pilot.resize_terminal(*size)
            await settle(pilot)
            where = f"{size} {'larger' if large else 'normal'}"
            check_page(app, screen, where)
            assert towns[45] in shown_towns(screen), where
            assert screen.focused is not None and screen.focused.id == "town-45", where
            if size == (80, 24):
                assert screen.query("#paging") and screen.shown_texts("#pageinfo")[0] != "Seite 1 von 4", where
        screen.set_focus(None)
        await pilot.pause()
        assert await pilot.click("#prev")
        await settle(pilot)
        page, info = shown_towns(screen), screen.shown_texts("#pageinfo")
        assert towns[45] not in page
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        assert not screen.query("#paging") and shown_towns(screen) == towns
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert shown_towns(screen) == page and screen.shown_texts("#pageinfo") == info


async def test_the_chosen_towns_page_opens(settings, region):
    """The page opens on the page of the town chosen before (the results' "Ort: …"); read aloud, that page."""
    app = make_app(settings, region(150), clock=lambda: FROZEN_NOW)
    towns = app.finder.towns()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(TownScreen(towns[100], lambda town: None))
        await settle(pilot)
        assert towns[100] in shown_towns(app.screen) and app.screen.query_one("#prev").disabled is False
        assert app.screen.query_one("#town-100").has_class("chosen")
        said = " ".join(text for text, _language in app.screen.spoken_parts())  # "Read aloud": this page, which
        assert towns[100] in said and towns[0] not in said and app.screen.shown_texts("#pageinfo")[0] in said


@needs_espeak
@pytest.mark.parametrize("code", ["de", "ar"])
async def test_speech_mode_keys_reach_previous_and_more(settings, region, tmp_path, code):
    """Without a touch: the number pad's "next" key reaches More after the page's towns, 5 turns the
    page, and on the next page the keys go through its towns, then Previous and More in reading order."""
    app = make_app(settings, region(60), clock=lambda: FROZEN_NOW,
                   speech=EspeakSpeech(SpeechSettings(), player=[str(card(tmp_path) / "aplay"), "-q"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_towns(pilot, code, False)
        await pilot.press("5")  # a number pad key switches speech mode on
        assert app.speech_mode.on and app.screen is screen
        for _step in range(40):
            if screen.focused is not None and screen.focused.id == "next":
                break
            await pilot.press("2")
        await heard_control(pilot, screen.focused)
        first = shown_towns(screen)
        await pilot.press("5")
        await until(pilot, lambda: shown_towns(screen) != first)
        assert screen.focused is not None and screen.focused.id == "next"
        screen.set_focus(None)
        await pilot.pause()
        order = [control for control, _text in await walk_by_speech_keys(pilot, "2")]
        tiles = [t.id for t in tiles_in_reading_order(screen)]
        assert [i for i in order if i in tiles] == tiles, order
        assert order.index(tiles[-1]) < order.index("prev") < order.index("next"), order
        while screen.focused.id != "prev":
            await pilot.press("2")
        await heard_control(pilot, screen.focused)
        await pilot.press("5")
        await until(pilot, lambda: shown_towns(screen) == first)
        assert app.screen is screen  # paged, nothing chosen
