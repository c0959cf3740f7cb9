"""Larger text (issue 11): the visitor's "Größer" switch on Home, in the real app driven by its Pilot.

With it on, every visitor screen at 80x24 and 160x48, in German, Ukrainian and Arabic (right to
left), shows its buttons inside the screen, at least 12x3 and on the whole bigger than without it,
each label whole (wrapped, never cut with "…"), and nothing outside the screen; every need is still
at most two taps from Home; the idle reset switches it back (or on, where kiosk.toml starts with it);
in speech mode a first tap says it and its state.
"""
from __future__ import annotations

import asyncio
import shutil
from statistics import mean

import pytest
from textual.containers import ScrollableContainer
from textual.widgets import Button

from kiosk import i18n
from kiosk.app import make_app
from kiosk.palette import CONTRAST, DAYLIGHT
from kiosk.screens.home import HomeScreen
from kiosk.screens.idle import IdleWarning
from kiosk.screens.offer import OfferScreen
from kiosk.screens.qr import QrScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.speechmenu import SpeechMenuScreen
from kiosk.screens.topics import TopicsScreen
from kiosk.sizes import LARGE, NORMAL
from kiosk.takeaway import QrMaker
from tests.conftest import FROZEN_NOW, find_button, screen_text, tap, with_kiosk

SIZES = [(80, 24), (160, 48)]
LANGUAGES = ["de", "uk", "ar"]


def region_text(app, region, strips=None) -> list[str]:
    """The text the terminal shows inside `region`, line by line (`strips`: the screen's lines,
    rendered once for many regions: a render of the whole screen costs some 25 ms)."""
    strips = app.screen._compositor.render_strips() if strips is None else strips
    lines = []
    for y in range(max(0, region.y), min(len(strips), region.bottom)):
        text = strips[y].text
        lines.append(text[region.x:region.right])
    return lines


def look(app, where: str, size: tuple[int, int]) -> tuple[list[str], list[tuple[str | None, int]]]:
    """(problems, [(button id, area)]) of the active screen: buttons outside the screen, too small or
    with a cut label; any widget outside the screen."""
    width, height = size
    problems: list[str] = []
    areas: list[tuple[str | None, int]] = []
    rtl = i18n.is_rtl(i18n.current_language())
    strips = app.screen._compositor.render_strips()
    for widget in app.screen.query("*"):
        region = widget.region
        if not (widget.display and widget.visible and region.area):
            continue  # hidden, or scrolled out of view
        scrolled = any(isinstance(a, ScrollableContainer) for a in widget.ancestors)  # the container is checked
        if not scrolled and (region.x < 0 or region.y < 0 or region.right > width or region.bottom > height):
            problems.append(f"{where}: {widget!r} lies outside the screen: {region}")
        if not isinstance(widget, Button):
            continue
        label = widget.label.plain
        areas.append((widget.id, region.area))
        if region.height < 3 or region.width < 12:
            problems.append(f"{where}: {label!r} is too small: {region}")
        shown = region_text(app, region, strips)
        if "…" in "".join(shown) and "…" not in label:
            problems.append(f"{where}: {label!r} is cut: {shown}")
        if not rtl:  # right to left the letters are shaped and reordered: no plain words to find
            joined = " ".join(line.strip() for line in shown)
            missing = [word for word in label.split() if word not in joined]
            if missing:
                problems.append(f"{where}: {label!r} shows without {missing}: {shown}")
    return problems, areas


async def click(pilot, selector: str) -> None:
    assert await pilot.click(selector), f"the tap on {selector} did not reach it"
    await pilot.pause()
    await pilot.pause()


async def walk(pilot, size: tuple[int, int]) -> tuple[list[str], dict[str, list[tuple[str | None, int]]]]:
    """Every visitor screen once: (problems, the buttons' areas per screen)."""
    app = pilot.app
    problems: list[str] = []
    seen: dict[str, list[tuple[str | None, int]]] = {}

    async def screen(where: str) -> None:
        await pilot.pause()
        found, areas = look(app, where, size)
        problems.extend(found)
        seen[where] = areas

    await screen("home")
    if app.screen.query("#more-topics"):
        await click(pilot, "#more-topics")
        assert isinstance(app.screen, TopicsScreen)
        await screen("more topics")
        await click(pilot, "#back")
    await click(pilot, "#whom")
    await screen("whom")
    await click(pilot, "#back")
    await click(pilot, "#need-0")
    assert isinstance(app.screen, ResultsScreen)
    await screen("results")
    await click(pilot, "#f-town")
    await screen("towns")
    await click(pilot, "#back")
    await click(pilot, "OfferCard")
    assert isinstance(app.screen, OfferScreen)
    await screen("offer")
    await click(pilot, "#keep")
    await click(pilot, "#qr")
    assert isinstance(app.screen, QrScreen)
    await screen("QR code")
    await click(pilot, "#home")
    await click(pilot, "#mylist")
    await screen("my list")
    await click(pilot, "#home")
    await click(pilot, "#search")
    await screen("search")
    for _ in range(2):  # two letters: word completions and the results preview
        letter = next(k for k in app.screen.query(".key.letter") if k.display and k.region.area)
        assert await pilot.click(letter)
        await asyncio.sleep(0.25)  # a Button ignores a second press within 0.2 s (touch bounce)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await screen("search, typed")
    await click(pilot, "#home")
    await click(pilot, "#language")
    await screen("language")
    await click(pilot, "#back")
    await app.push_screen(SpeechMenuScreen(app.screen))  # the corner button opens it in speech mode
    await screen("speech menu")
    await click(pilot, "#back")
    assert isinstance(app.screen, HomeScreen)
    return problems, seen


def qr_app(settings, catalogue):
    return make_app(settings, catalogue, clock=lambda: FROZEN_NOW, qr=QrMaker(settings.qr))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_every_visitor_screen_with_larger_text(settings, catalogue, code, size):
    walks = {}
    for large in (False, True):
        app = qr_app(settings, catalogue)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.set_language(code)
            await pilot.pause()
            if large:
                await click(pilot, "#large")  # the visitor's switch, beside "Kontrast"
                assert app.large_text and app.has_class("-large")
            walks[large] = await walk(pilot, size)
    problems, large_areas = walks[True]
    assert not problems, "\n".join(problems)
    normal_areas = walks[False][1]
    assert set(normal_areas) <= set(large_areas)  # "More topics" may be new: fewer tiles on Home
    for where, areas in large_areas.items():
        if where not in normal_areas:
            continue
        before = dict(a for a in normal_areas[where] if a[0])
        # every button that is on both is no smaller, and the screen's buttons are bigger on the whole
        smaller = [(i, before[i], a) for i, a in areas if i in before and a < before[i]]
        assert not smaller, (where, smaller)
        assert mean(a for _, a in areas) > mean(a for _, a in normal_areas[where]), where


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_fewer_tiles_and_cards_with_larger_text(settings, catalogue, size):
    """The numbers the screens compute come from kiosk/sizes.py: fewer columns, fewer cards."""
    width, height = size
    assert LARGE.tile_columns(width) < NORMAL.tile_columns(width)
    assert LARGE.cards_per_page(height, 4) < NORMAL.cards_per_page(height, 4, columns=NORMAL.card_columns(width))
    app = qr_app(settings, catalogue)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        normal_tiles = [b for b in app.screen.query("#needs Button")]
        await click(pilot, "#large")
        tiles = [b for b in app.screen.query("#needs Button")]
        assert app.screen.query_one("#needs").styles.grid_size_columns == LARGE.tile_columns(width)
        assert len(tiles) <= len(normal_tiles)
        assert min(t.region.height for t in tiles) >= 5
        assert min(t.region.width for t in tiles) > max(t.region.width for t in normal_tiles)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", ["de", "ar"])
async def test_every_need_within_two_taps_with_larger_text(settings, catalogue, code, size):
    width, height = size
    app = qr_app(settings, catalogue)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.set_language(code)
        await pilot.pause()
        await click(pilot, "#large")
        needs = app.finder.needs(None)
        assert len(needs) >= 5

        def reachable(index: int) -> bool:
            found = app.screen.query(f"#need-{index}")
            if not found:
                return False
            region = found.first().region
            return region.area > 0 and region.right <= width and region.bottom <= height

        on_home = {i for i in range(len(needs)) if reachable(i)}
        rest = set(range(len(needs))) - on_home
        if rest:
            more = app.screen.query("#more-topics")
            assert more, "no way to the other needs"
            assert more.first().region.bottom <= height
            await click(pilot, "#more-topics")
            assert isinstance(app.screen, TopicsScreen)
            assert rest == {i for i in rest if reachable(i)}, "a need is not on the screen"
            last = max(rest)
            await click(pilot, f"#need-{last}")  # the second tap: the need's offers
            assert isinstance(app.screen, ResultsScreen) and app.screen.need == needs[last]


class IdleTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_idle_reset_switches_larger_text_off(settings, catalogue):
    app = make_app(with_kiosk(settings, idle_seconds=60, idle_warning_seconds=20), catalogue,
                   clock=lambda: FROZEN_NOW)
    app.idle_clock = IdleTime()
    async with app.run_test(size=(80, 24)) as pilot:
        app._last_input = app.idle_clock()
        await pilot.pause()
        assert "☐ Größer" in screen_text(app) and not app.large_text
        await tap(pilot, "Größer")
        assert app.large_text and app.has_class("-large")
        assert "☑ Größer" in screen_text(app)
        assert find_button(app, "Suchen").region.height == 5
        assert not app._pristine()  # a changed view is a visit the idle reset must end
        app.idle_clock.now += 45
        await app._idle_tick()
        await pilot.pause()
        assert isinstance(app.screen, IdleWarning)  # the warning is larger too
        stay = app.screen.query_one("#stay", Button)
        assert stay.region.height == 5 and "…" not in "".join(region_text(app, stay.region))
        app.idle_clock.now += 16
        await app._idle_tick()
        await pilot.pause()
        assert not app.large_text and not app.has_class("-large")
        assert "☐ Größer" in screen_text(app)
        assert find_button(app, "Suchen").region.height == 3


async def test_a_volunteer_can_start_with_larger_text(settings, catalogue):
    app = make_app(with_kiosk(settings, large_text=True, idle_seconds=60, idle_warning_seconds=20), catalogue,
                   clock=lambda: FROZEN_NOW)
    app.idle_clock = IdleTime()
    async with app.run_test(size=(80, 24)) as pilot:
        app._last_input = app.idle_clock()
        await pilot.pause()
        assert app.large_text and "☑ Größer" in screen_text(app)
        assert app._pristine()  # the start state: nothing to forget
        await tap(pilot, "Größer")
        assert not app.large_text
        app.idle_clock.now += 61
        await app._idle_tick()
        await pilot.pause()
        assert app.large_text and app.has_class("-large") and "☑ Größer" in screen_text(app)


async def test_a_volunteer_can_start_with_high_contrast(settings, catalogue):
    """`[kiosk] high_contrast = true`: the start state, and the idle reset returns to it."""
    app = make_app(with_kiosk(settings, high_contrast=True, idle_seconds=60, idle_warning_seconds=20), catalogue,
                   clock=lambda: FROZEN_NOW)
    app.idle_clock = IdleTime()
    async with app.run_test(size=(80, 24)) as pilot:
        app._last_input = app.idle_clock()
        await pilot.pause()
        assert app.high_contrast and app.theme == CONTRAST.name and "☑ Kontrast" in screen_text(app)
        assert app._pristine()  # the start state: nothing to forget
        await tap(pilot, "Kontrast")
        assert not app.high_contrast and app.theme == DAYLIGHT.name and "☐ Kontrast" in screen_text(app)
        assert not app._pristine()
        app.idle_clock.now += 61
        await app._idle_tick()
        await pilot.pause()
        assert app.high_contrast and app.theme == CONTRAST.name and "☑ Kontrast" in screen_text(app)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
async def test_speech_mode_says_the_switch_and_its_state(settings, catalogue, tmp_path):
    from kiosk.config import SpeechSettings
    from kiosk.speech import EspeakSpeech
    from tests.test_app_speechmode import heard, speech_mode_on
    from tests.test_speech import card

    speech = EspeakSpeech(SpeechSettings(), player=[str(card(tmp_path) / "aplay"), "-q"])
    app = make_app(settings, catalogue, speech=speech, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await tap(pilot, "Größer")
        await heard(pilot, "Größer. Aus. Noch einmal tippen")
        assert not app.large_text  # the first tap only speaks
        await tap(pilot, "Größer")
        assert app.large_text
