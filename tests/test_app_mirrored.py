"""Right to left (Arabic, Persian) the kiosk's rows are mirrored, in the real app driven by its Pilot:
what is read first stands on the right. The results' filters and paging row ("More ◀" on the left,
"▶ Previous" on the right, as Back in the top bar), the two card columns, the card's accent bar (on
its right edge), the offer's actions, the visitor's list's paging and actions; Home's action row and
the grids of tiles (Home's needs, "More topics", "Help for whom?", the languages, the towns): the
first tile in reading order top right, each row filled from the right. German stays as it was.
"""
from __future__ import annotations

import shutil

import pytest
from textual.geometry import Region

from kiosk import i18n
from kiosk.app import make_app
from kiosk.config import SpeechSettings
from kiosk.screens.home import HomeScreen, catalogue_age_days
from kiosk.screens.language import LanguageScreen, button_id
from kiosk.screens.mylist import MyListScreen
from kiosk.screens.offer import OfferScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.topics import TopicsScreen
from kiosk.screens.towns import TownScreen
from kiosk.screens.whom import WhomScreen
from kiosk.speech import CATALOGUE_LANGUAGE, EspeakSpeech
from kiosk.speech.mode import label_text
from kiosk.speech.spoken import speakable
from kiosk.takeaway import QrMaker
from kiosk.widgets import OfferCard
from kiosk.widgets.rtl import GridGap
from tests.conftest import FROZEN_NOW, hsds_service
from tests.test_app_largetext import region_text
from tests.test_app_speech import until
from tests.test_speech import card

LANGUAGES = ["ar", "fa", "de"]
SIZES = [(80, 24), (160, 48)]


@pytest.fixture
def many(make_catalogue):
    """Twenty offers of one need, more than a page holds at 160x48 with two columns."""
    return make_catalogue([hsds_service(f"t{n:02}", f"Treffpunkt {n:02}", needs=("treffen-freizeit",))
                           for n in range(1, 21)], name="many.db")  # beside `catalogue`


def left_to_right(app, *selectors: str) -> list[str]:
    """The selectors' widgets on the active screen, ordered by where they stand, from the left."""
    widgets = [app.screen.query_one(s) for s in selectors]
    for widget, selector in zip(widgets, selectors):
        assert widget.display and widget.region.area, f"{selector} is not shown"
    return [s for _x, s in sorted((w.region.x, s) for w, s in zip(widgets, selectors))]


def mirrored(code: str, row: list[str]) -> list[str]:
    """A row given in reading order, as it stands from the left in `code`."""
    return row[::-1] if i18n.is_rtl(code) else row


def shown(app, selector: str) -> list[str]:
    """The lines of text a widget shows (a button's half-row edges left out)."""
    lines = [line.strip() for line in region_text(app, app.screen.query_one(selector).region)]
    return [line for line in lines if line.strip("▔▁ ")]


async def open_results(pilot, code: str, large: bool) -> ResultsScreen:
    app = pilot.app
    await app.set_language(code)
    if large:
        app.set_large_text(True)
    need = app.finder.needs()[0]
    await app.push_screen(ResultsScreen.for_need(need, None))
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)
    return app.screen


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_results_paging_filters_and_cards_mirrored(settings, many, code, size, large):
    rtl = i18n.is_rtl(code)
    app = make_app(settings, many, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        screen = await open_results(pilot, code, large)
        await pilot.click("#next")
        await pilot.pause()
        assert screen.page == 1  # both paging buttons enabled
        assert left_to_right(app, "#prev", "#pageinfo", "#next") == mirrored(code, ["#prev", "#pageinfo", "#next"])
        assert left_to_right(app, "#f-open", "#f-town") == mirrored(code, ["#f-open", "#f-town"])
        # The arrows point the way the page turns and stand on the outer side: right to left "next"
        # points left from the left end of its button, "previous" right from the right end.
        prev, nxt = shown(app, "#prev"), shown(app, "#next")
        if rtl:
            assert prev[0].endswith("▶") and nxt[-1].startswith("◀"), (prev, nxt)
        else:
            assert prev[0].startswith("◀") and nxt[-1].endswith("▶"), (prev, nxt)
        back, on = ("▶", "◀") if rtl else ("◀", "▶")
        assert "".join(prev).count(back) == 1 and on not in "".join(prev), prev
        assert "".join(nxt).count(on) == 1 and back not in "".join(nxt), nxt
        # The card's accent bar: on its right edge right to left, on its left edge otherwise.
        card = screen.query("OfferCard").first()
        bar, other = ("right", "left") if rtl else ("left", "right")
        assert getattr(card.styles, f"border_{bar}")[0] == "outer"
        assert getattr(card.styles, f"border_{other}")[0] in ("", "none")
        region = card.region
        row = region_text(app, region)[0]
        assert row[-1 if rtl else 0] == ("▐" if rtl else "▌"), row
        assert row[0 if rtl else -1] != ("▌" if rtl else "▐"), row
        card.focus()
        await pilot.pause()
        assert getattr(card.styles, f"border_{bar}")[0] == "outer"
        assert getattr(card.styles, f"border_{other}")[0] in ("", "none")
        # Two columns: the first card in reading order stands in the right column, right to left.
        columns = list(screen.query(".card-column"))
        assert len(columns) == app.sizes.card_columns(size[0])
        assert len(columns) == 2 or large or size[0] < 160
        if len(columns) == 2:
            cards = list(screen.query("OfferCard"))
            top_left = min(cards, key=lambda c: (c.region.x, c.region.y))
            top_right = min(cards, key=lambda c: (-c.region.x, c.region.y))
            first = screen._this_page(screen.per_page)[0][0]  # the page's first offer in reading order
            assert (top_right if rtl else top_left).offer_id == first.id
            # Read aloud in reading order too: the first column (right to left the right one) first.
            spoken = " ".join(text for text, _language in screen.spoken_cards())
            page = screen._this_page(screen.per_page)[0]
            names = [o.name for o in page]
            assert [n for n in sorted(names, key=spoken.find)] == names, spoken


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_offer_actions_and_my_list_mirrored(settings, many, cups, code, size, large):
    """The offer's row: "Add to my list" (read first) on the right, right to left; QR and Print to
    its left. The list's paging and its actions the same way. A real CUPS queue gives the Print button."""
    from kiosk.takeaway.printing import CupsPrinter

    rtl = i18n.is_rtl(code)
    app = make_app(settings, many, clock=lambda: FROZEN_NOW, qr=QrMaker(settings.qr),
                   printer=CupsPrinter(cups.queue, place_name="Teestube Lengerich"))
    async with app.run_test(size=size) as pilot:
        await app.set_language(code)
        app.set_large_text(large)
        await app.push_screen(OfferScreen("t01"))
        await pilot.pause()
        row = ["#keep", "#qr", "#print"]
        assert left_to_right(app, *row) == mirrored(code, row)
        # The row's outer buttons keep the screen's edge on the side where reading starts.
        keep = app.screen.query_one("#keep").region
        assert (size[0] - keep.right if rtl else keep.x) <= 1, keep
        for n in range(1, 21):
            app.my_list.add(f"t{n:02}")
        app.my_list_changed()
        await app.push_screen(MyListScreen())
        await pilot.pause()
        card = app.screen.query_one(".mylist-row OfferCard")
        remove = app.screen.query_one(".mylist-row .remove")
        assert (card.region.x > remove.region.x) == rtl  # the card is read first, Remove after it
        row = ["#print-all", "#list-qr", "#done"]
        assert left_to_right(app, *row) == mirrored(code, row)
        assert app.screen.query("#mylist-paging") or size[1] > 24  # 80x24: the list has pages
        if app.screen.query("#mylist-paging"):
            await pilot.click("#next")
            await pilot.pause()
            row = ["#prev", "#mylist-pageinfo", "#next"]
            assert left_to_right(app, *row) == mirrored(code, row)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_offer_text_and_its_scroll_buttons_mirrored(settings, make_catalogue, code, size):
    """A long offer: its text (read first) on the right right to left, Up/Down on its left, their
    spare column towards the text as left to right; its lines, which start on the right, keep a
    column between their first letters and the scroll bar."""
    rtl = i18n.is_rtl(code)
    long = "\n".join(["Beratung zu Rente, Grundsicherung, Wohnen im Alter und Pflege."] * 60)
    catalogue = make_catalogue([hsds_service("long", "Seniorenberatung", description=long,
                                             needs=("alter-pflege",))], name="long.db")
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        await app.set_language(code)
        await app.push_screen(OfferScreen("long"))
        screen = app.screen
        body, column = screen.query_one("#offer-body"), screen.query_one("#offer-scroll")
        await until(pilot, lambda: column.display and column.region.area)  # shown once the text is laid out
        assert body.max_scroll_y > 0
        assert left_to_right(app, "#offer-body", "#offer-scroll") == mirrored(code, ["#offer-body", "#offer-scroll"])
        up = screen.query_one("#up").region
        # The buttons' spare column as left to right: one column from the screen's edge.
        assert (up.x if rtl else size[0] - up.right) == 1, up
        bar = body.vertical_scrollbar.region
        assert bar.area and bar.x >= body.region.x + body.region.width // 2  # Textual's bar: on the right
        if rtl:  # the lines end (on the right) one column before the bar
            gap, edge = (region_text(app, Region(x, bar.y, 1, bar.height)) for x in (bar.x - 1, bar.x - 2))
            assert not "".join(gap).strip() and "".join(edge).strip(), (gap, edge)


def assert_in_reading_order(cells: list, rtl: bool) -> int:
    """The grid `cells`, given in reading order, stand in rows top to bottom, each row from the side
    where reading starts (right to left: from the right), each row's first cell on that edge, the
    first cell at the top. Returns the number of rows."""
    rows: list[list] = []
    for cell in cells:
        region = cell.region
        assert cell.display and region.area, f"#{cell.id} is not shown"
        if rows and rows[-1][-1].y == region.y:
            rows[-1].append(region)
        else:
            assert not rows or region.y > rows[-1][-1].y, f"#{cell.id} stands above the row before it"
            rows.append([region])

    def from_start(region) -> int:  # smaller: nearer the side where reading starts
        return -region.right if rtl else region.x

    edge = from_start(cells[0].region)
    assert edge == min(from_start(c.region) for c in cells), "the first tile is not in the corner reading starts in"
    for row in rows:
        assert from_start(row[0]) == edge, f"a row starts away from the edge: {row}"
        steps = [from_start(r) for r in row]
        assert steps == sorted(set(steps)), f"a row does not run in reading order: {row}"
    return len(rows)


def need_order(screen) -> list:
    """Home's or More topics' tiles in reading order: by their need's number, "More topics" last."""
    tiles = sorted(screen.query("#needs .need").exclude("#more-topics"), key=lambda t: int(t.id.removeprefix("need-")))
    return tiles + list(screen.query("#more-topics"))


async def open_home(pilot, code: str, large: bool) -> HomeScreen:
    app = pilot.app
    await pilot.pause()
    await app.set_language(code)
    app.set_large_text(large)
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
    return app.screen


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_home_tiles_and_action_row_mirrored(settings, catalogue, code, size, large):
    """Home right to left: the first need top right, rows filled from the right, "More topics" last;
    the action row from "Help for whom?" on the right to "Larger" on the left, its outer gaps
    mirrored. Read aloud in reading order, whatever the layout."""
    rtl = i18n.is_rtl(code)
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        screen = await open_home(pilot, code, large)
        assert screen.has_class("-rtl") == rtl
        assert app.large_text == large
        tiles = need_order(screen)
        assert assert_in_reading_order(tiles, rtl) >= 2
        row = [s for s in ("#whom", "#search", "#here", "#contrast", "#large") if screen.query(s)]
        assert row[:2] == ["#whom", "#search"] and row[-2:] == ["#contrast", "#large"]
        assert left_to_right(app, *row) == mirrored(code, row)
        first, last = (screen.query_one(s).region for s in (row[0], row[-1]))
        # One column between the row and the screen's edge on both sides, as in German.
        outer = (size[0] - first.right, last.x) if rtl else (first.x, size[0] - last.right)
        assert outer == (1, 1), (first, last)
        assert screen.query_one("#topbar").children[-1 if rtl else 0].id == "language"
        for _more in screen.query("#more-topics"):  # "» More topics": right to left "«", pointing the way it reads
            mark = "".join(shown(app, "#more-topics")).strip()
            assert (mark.endswith("«") and "»" not in mark) if rtl else mark.startswith("»"), mark
        # Read aloud: the needs, then the row, in reading order.
        texts = [text for text, _language in screen.spoken_parts()]
        labels = [t.label.plain.removeprefix("» ") for t in tiles]
        labels += [screen.query_one(s).label.plain for s in row]
        found = [next((i for i, text in enumerate(texts) if label.split(" ", 1)[-1] in text), -1) for label in labels]
        assert -1 not in found and found == sorted(found), (labels, texts)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_home_stale_note_mirrored(settings, catalogue, code, size, large):
    """Home's discreet note that the offers are old stands at the end of the reading: on the right
    left to right, right to left on the left; whole, shaped, its padding to the screen's edge kept."""
    rtl = i18n.is_rtl(code)
    late = FROZEN_NOW.replace(year=2099)  # long after the import: the catalogue is stale
    app = make_app(settings, catalogue, clock=lambda: late)
    async with app.run_test(size=size) as pilot:
        screen = await open_home(pilot, code, large)
        note = screen.query_one("#note")
        days = str(catalogue_age_days(app.catalogue.status().last_success, late))
        assert days in note.text and note.region.width == size[0], (note.text, note.region)
        line = region_text(app, note.region)[0]
        text = line.strip()
        before, after = line.index(text), len(line) - len(line.rstrip())
        assert (before, after > 2) == (2, True) if rtl else (before > 2, after) == (True, 2), repr(line)
        # What stands there is the whole note: in Arabic script, shaped (presentation forms), not cut.
        assert days in text and not text.endswith("…")
        if rtl:
            assert any("\ufb50" <= ch <= "\ufeff" for ch in text), text
        else:
            assert text == note.text


async def open_grid(pilot, where: str) -> list:
    """Open the screen `where`; its grid's cells in reading order."""
    app = pilot.app
    if where == "topics":
        await app.push_screen(TopicsScreen(app.finder.needs(), 0))
    elif where == "whom":
        await app.push_screen(WhomScreen())
    elif where == "language":
        await app.push_screen(LanguageScreen())
    else:
        await app.push_screen(TownScreen(None, lambda town: None))
    await pilot.pause()
    await pilot.pause()
    screen = app.screen
    if where == "topics":
        assert isinstance(screen, TopicsScreen)
        return need_order(screen)
    if where == "whom":
        return sorted(screen.query(".audience"), key=lambda b: int(b.id.removeprefix("whom-")))
    if where == "language":
        assert isinstance(screen, LanguageScreen)
        return [screen.query_one("#" + button_id(code)) for code in screen.offered()]
    return [screen.query_one("#town-here"), *sorted(screen.query("#towns BigButton").exclude("#town-here"),
                                                    key=lambda b: int(b.id.removeprefix("town-")))]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("where", ["topics", "whom", "language", "towns"])
async def test_grids_mirrored(settings, catalogue, where, code, size, large):
    """More topics, Help for whom?, the languages and the towns: each row from the right, right to
    left; a row the tiles do not fill (the last) keeps them on the right, its gap on the left."""
    rtl = i18n.is_rtl(code)
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        await open_home(pilot, code, large)
        cells = await open_grid(pilot, where)
        assert app.screen.has_class("-rtl") == rtl
        assert len(cells) >= 5
        assert assert_in_reading_order(cells, rtl) >= 2
        for gap in app.screen.query(GridGap):  # the left end of a row not filled: blank, right to left only
            assert rtl and gap.region.area and not "".join(region_text(app, gap.region)).strip()
        if where == "language":  # fewer rows: more columns, the grid composed anew for them
            await pilot.resize_terminal(size[0], 16)
            await pilot.pause()
            await pilot.pause()
            cells = [app.screen.query_one("#" + button_id(code)) for code in app.screen.offered()]
            assert assert_in_reading_order(cells, rtl) >= 2


async def focus_order(pilot, most: int = 60) -> list:
    """The widgets Tab reaches from nothing focused, once round (speech mode's number pad keys
    move the same way: Screen.focus_next)."""
    app, order = pilot.app, []
    for _ in range(most):
        await pilot.press("tab")
        focused = app.screen.focused
        if focused is None or focused in order:
            break
        order.append(focused)
    return order


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_tab_reaches_home_and_the_cards_in_reading_order(settings, catalogue, many, code, size):
    """A visitor who cannot see the screen moves with the keys: right to left too, from the first
    tile in reading order (top right) along its row, the action row from the right, the results'
    right column first."""
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        screen = await open_home(pilot, code, False)
        order = [w.id for w in await focus_order(pilot)]
        tiles = [t.id for t in need_order(screen)]
        row = [s.removeprefix("#") for s in ("#whom", "#search", "#here", "#contrast", "#large") if screen.query(s)]
        assert [i for i in order if i in tiles] == tiles, order
        assert [i for i in order if i in row] == row, order
        assert order.index("language") < order.index("read") < order.index(tiles[0]) < order.index(row[0]), order
    app = make_app(settings, many, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        results = await open_results(pilot, code, False)
        page = [o.id for o in results._this_page(results.per_page)[0]]
        cards = [w.offer_id for w in await focus_order(pilot) if w.has_class("card")]
        assert cards == page, (cards, page)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_the_speech_hint_points_at_the_read_aloud_button(settings, catalogue, code, size):
    """Home's first line ends in "▼" over the read-aloud button: top right, or right to left top left.
    (The real engine, never asked to speak here: the line is shown only with one.)"""
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW, speech=EspeakSpeech(settings.speech))
    async with app.run_test(size=size) as pilot:
        screen = await open_home(pilot, code, False)
        hint, read = screen.query_one("#speech-hint"), screen.query_one("#read").region
        assert hint.display and hint.region.area, "no speech here: no hint to look at"
        line = region_text(app, hint.region)[0]
        assert line.count("▼") == 1 and read.x <= hint.region.x + line.index("▼") < read.right, (line, read)


needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


def saying(speech) -> str:
    """What the engine was last asked to say (normalised, every voice's part)."""
    return " ".join(segment.text for segment in speech.last_utterance)


async def heard_control(pilot, control) -> str:
    """Wait until the engine says `control` (a button's label, an offer card's offer name)."""
    app = pilot.app
    label = (app.catalogue.offer(control.offer_id).name if isinstance(control, OfferCard)
             # the corner button reads "Speech", "Stop" while speaking: what it is when heard
             else i18n._("Press 5 or Enter to choose.") if control.id == "read"
             else label_text(str(control.label)))
    # As the engine gets it: "Alter & Pflege" is said "Alter und Pflege" (the UI's words, or the catalogue's).
    said = {speakable(label, language) for language in (i18n.current_language(), CATALOGUE_LANGUAGE)}
    try:
        await until(pilot, lambda: any(text in saying(app.speech) for text in said))
    except AssertionError:
        raise AssertionError(f"{control.id or control!r}: {label!r} not heard; saying {saying(app.speech)!r}") from None
    return saying(app.speech)


async def walk_by_speech_keys(pilot, key: str, most: int = 60) -> list[tuple[str, str]]:
    """Speech mode's "next control" key pressed once round the screen: (the control's id or offer
    id, what the engine was then saying), waiting for each control to be heard; nothing is chosen."""
    app, walked = pilot.app, []
    screen = app.screen
    for _step in range(most):
        await pilot.press(key)
        control = screen.focused
        assert app.screen is screen, f"{key} chose something: {app.screen!r}"
        if control is None or any(control is seen for seen, _text in walked):
            break
        walked.append((control, await heard_control(pilot, control)))
    return [(getattr(c, "offer_id", None) or c.id, text) for c, text in walked]


@needs_espeak
@pytest.mark.parametrize(("size", "key"), [((80, 24), "2"), ((160, 48), "2"), ((80, 24), "6")],
                         ids=["80x24", "160x48", "80x24-key6"])
@pytest.mark.parametrize("code", LANGUAGES)
async def test_speech_mode_keys_go_through_mirrored_rows_in_reading_order(settings, catalogue, many, tmp_path,
                                                                           code, size, key):
    """EN 301 549 5.1.6.2 / 5.5.2 by ear: the number pad's "next" key (2, or 6) moves through Home's
    action row and the results' filters, cards and paging in reading order, right to left from the
    right, each control spoken (in the UI's voice) before anything is chosen; 5 then chooses the
    control last heard. The real espeak-ng, playing into the paced stand-in sound card."""
    rtl = i18n.is_rtl(code)
    speech = EspeakSpeech(SpeechSettings(), player=[str(card(tmp_path) / "aplay"), "-q"])
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW, speech=speech)
    async with app.run_test(size=size) as pilot:
        screen = await open_home(pilot, code, False)
        await pilot.press("5")  # a number pad key switches speech mode on
        assert app.speech_mode.on
        walked = await walk_by_speech_keys(pilot, key)
        order = [control for control, _text in walked]
        row = [s.removeprefix("#") for s in ("#whom", "#search", "#here", "#contrast", "#large") if screen.query(s)]
        tiles = [t.id for t in need_order(screen)]
        assert [i for i in order if i in row] == row, order
        assert [i for i in order if i in tiles] == tiles, order
        assert order.index("language") < order.index("read") < order.index(tiles[0]) < order.index(row[0]), order
        # Heard, not chosen: the switches as they were, the screen still Home.
        assert not app.high_contrast and not app.large_text and app.screen is screen
        for control, text in walked:
            if control in row:
                assert i18n._("Press 5 or Enter to choose.") in text, (control, text)
        assert next(s.voice for s in speech.last_utterance) == speech.voice_for(code)
        while screen.focused.id != "search":  # onwards to Search, heard, then chosen with 5
            await pilot.press(key)
        await heard_control(pilot, screen.focused)
        await pilot.press("5")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))
    app = make_app(settings, many, clock=lambda: FROZEN_NOW,
                   speech=EspeakSpeech(SpeechSettings(), player=[str(card(tmp_path) / "aplay"), "-q"]))
    async with app.run_test(size=size) as pilot:
        await open_home(pilot, code, False)
        await pilot.press("5")
        assert app.speech_mode.on
        results = await open_results(pilot, code, False)
        while results.focused is None or results.focused.id != "next":  # "More", heard, then chosen
            await pilot.press(key)
        await heard_control(pilot, results.focused)
        await pilot.press("5")
        await until(pilot, lambda: results.page == 1)  # page 2: both paging buttons can be chosen
        results.set_focus(None)
        await pilot.pause()
        order = [control for control, _text in await walk_by_speech_keys(pilot, key)]
        page = [o.id for o in results._this_page(results.per_page)[0]]
        assert [i for i in order if i in page] == page, (order, page)
        assert order.index("f-open") < order.index("f-town") < order.index(page[0]), order
        paging = [i for i in ("prev", "next") if not results.query_one(f"#{i}").disabled]  # the last page: no "More"
        assert "prev" in paging and [i for i in order if i in paging] == paging, order
        assert order.index(page[-1]) < order.index("prev"), order
        assert results.page == 1 and not results.filters.open_now  # nothing chosen by moving
        assert (results.query_one("#prev").region.x > results.query_one("#next").region.x) == rtl
