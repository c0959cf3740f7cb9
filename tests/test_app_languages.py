"""Every screen in every language at 80x24, 100x30 and 160x48, with and without "Größer": it renders,
every button shows its whole label (never cut with "…") inside the screen, Back and Home are there;
the language screen lists each language in its own name and script, switching is instant and the
idle reset brings the default language back.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Button

from kiosk import i18n, programme
from kiosk.app import make_app
from kiosk.bidi import visual_line
from kiosk.combined import WithProgramme
from kiosk.screens.home import HomeScreen
from kiosk.screens.idle import IdleWarning
from kiosk.screens.language import LanguageScreen, button_id
from kiosk.screens.offer import OfferScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.volunteer import PinScreen, VolunteerScreen
from tests.conftest import FROZEN_NOW, screen_text, small_services
from tests.test_app_largetext import region_text

LANGUAGES = ["de", i18n.EASY_GERMAN, "en", "uk", "ar", "tr", "ru", "fa", "pl", "ro"]
OWN_NAMES = ["Deutsch", "Einfache Sprache", "English", "Українська", "العربية", "Türkçe", "Русский", "فارسی",
             "Polski", "Română"]
SIZE = (80, 24)
SIZES = [SIZE, (100, 30), (160, 48)]


class IdleTime:
    """The app's idle clock, moved on by the test (as in test_app_kiosk)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def check_screen(app, code: str, where: str, size: tuple[int, int] = SIZE) -> list[str]:
    """What is wrong on the active screen: a button outside the screen, too small, its label cut
    ("…" or words missing) or needing more lines than the button holds; no way home or back; words
    of another language in the top bar."""
    problems: list[str] = []
    width, height = size
    words = i18n.translations(code)
    buttons = [b for b in app.screen.query(Button) if b.display and b.visible]
    strips = app.screen._compositor.render_strips()
    if not buttons:
        problems.append("no buttons")
    for button in buttons:
        region = button.region
        label = button.label.plain
        if region.area == 0:
            continue  # scrolled out of view in a scrolling list (the cards); reached by Up/Down
        if region.bottom > height or region.right > width or region.x < 0 or region.y < 0:
            problems.append(f"{label!r} lies outside the screen: {region}")
        if region.height < 3 or region.width < 12:
            problems.append(f"{label!r} is too small: {region}")
        # Textual's own word wrap, into the button's room (padding, line padding and the half-row
        # edges off); a label that does not wrap into it loses its end. Not wrapped: one line.
        room = button.content_region
        if button.styles.text_wrap == "wrap":
            lines = len(Content(label).wrap(max(1, room.width - 2 * button.styles.line_pad)))
        else:
            lines = 1 if cell_len(label) <= room.width else 2
        if lines > max(1, room.height):
            problems.append(f"{label!r} needs {lines} lines, {region} holds {room.height}")
        shown = region_text(app, region, strips)
        if "…" in "".join(shown) and "…" not in label:
            problems.append(f"{label!r} is cut: {shown}")
        if not i18n.is_rtl(code):  # right to left the letters are shaped and reordered
            joined = " ".join(line.strip() for line in shown)
            if missing := [word for word in label.split() if word not in joined]:
                problems.append(f"{label!r} shows without {missing}: {shown}")
    if not isinstance(app.screen, (HomeScreen, IdleWarning)):
        home = app.screen.query("#home")
        if not home or home.first().region.area == 0:
            problems.append("no way home")
    back = app.screen.query("#back")
    arrow = "▶ " if i18n.is_rtl(code) else "◀ "  # Back points the way the language reads
    if back and back.first().label.plain != arrow + words.gettext("Back"):
        problems.append(f"Back says {back.first().label.plain!r}")
    large = " larger" if app.large_text else ""
    return [f"{code} {width}x{height}{large} {where} ({type(app.screen).__name__}): {p}" for p in problems]


async def click(pilot, selector: str) -> None:
    assert await pilot.click(selector), f"the tap on {selector} did not reach it"
    await pilot.pause()
    await pilot.pause()


async def home(pilot) -> None:
    await click(pilot, "#home")
    assert isinstance(pilot.app.screen, HomeScreen)


@pytest.fixture
def place(settings, tmp_path: Path, make_catalogue):
    """Settings and a catalogue with the place's own programme: one offer on Thursday, so that Home
    shows its longest action, "This week here (1)" (the frozen clock says Tuesday)."""
    catalogue = make_catalogue(small_services())
    local = dataclasses.replace(
        settings, place=dataclasses.replace(settings.place, programme=tmp_path / "programme.json"),
        catalogue=dataclasses.replace(settings.catalogue, database=catalogue.path))
    programme.add(local, programme.EntryFields(name="Frauencafé", weekly=["do 15-17"]))
    programme.rebuild(local)
    return local, WithProgramme(catalogue, programme.programme_db(local))


async def visitor_screens(pilot, look) -> None:
    """Every visitor screen once, from Home and back to it; the longest "for whom" choice is
    chosen (Home then shows it as its first action)."""
    app = pilot.app
    await look("home")
    await click(pilot, "#need-0")
    assert isinstance(app.screen, ResultsScreen)
    await look("results")
    await click(pilot, "#f-town")
    await look("towns")
    await click(pilot, "#back")
    await pilot.click("OfferCard")
    await pilot.pause()
    assert isinstance(app.screen, OfferScreen)
    await look("offer")
    if not app.screen.query_one("#keep").has_class("-listed"):  # the second walk finds it listed
        await click(pilot, "#keep")
    await look("offer, on my list")
    await click(pilot, "#qr")
    await look("QR code")
    await home(pilot)

    await click(pilot, "#mylist")
    await look("my list")
    await home(pilot)

    await click(pilot, "#search")
    assert isinstance(app.screen, SearchScreen)
    await look("search")
    await pilot.press(*"pflege")
    await app.workers.wait_for_complete()
    await look("search with results")
    await home(pilot)

    await click(pilot, "#here")  # the place's own programme and offers
    assert isinstance(app.screen, ResultsScreen)
    await look("offers here")
    await home(pilot)

    await click(pilot, "#whom")
    await look("help for whom")
    longest = max(app.screen.query(".audience").results(Button), key=lambda b: cell_len(b.label.plain))
    assert await pilot.click(longest)
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen) and app.audience is not None
    await look("home, for whom chosen")

    if app.screen.query("#more-topics"):
        await click(pilot, "#more-topics")
        await look("more topics")
        await home(pilot)

    await click(pilot, "#language")
    assert isinstance(app.screen, LanguageScreen)
    await look("language screen")
    await home(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_every_screen_in_every_language(place, code, size):
    """Every screen, with and without "Größer", whole and inside the screen."""
    settings, catalogue = place
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    app.idle_clock = IdleTime()
    problems: list[str] = []
    try:
        async with app.run_test(size=size) as pilot:
            app._last_input = app.idle_clock()

            async def look(where: str) -> None:
                await pilot.pause()
                problems.extend(check_screen(app, i18n.current_language(), where, size))

            await click(pilot, "#language")
            await look("language screen before the switch")
            await click(pilot, "#" + button_id(code))
            assert i18n.current_language() == code and isinstance(app.screen, HomeScreen)
            words = i18n.translations(code)
            # Arabic and Farsi reach the screen shaped and reordered (kiosk/bidi.py): look for that form.
            search = words.gettext("Search")
            assert (visual_line(search) if i18n.is_rtl(code) else search) in screen_text(app)
            await visitor_screens(pilot, look)

            await pilot.press("f12")
            await pilot.pause()
            assert isinstance(app.screen, PinScreen)
            await look("PIN")
            await pilot.press(*settings.kiosk.volunteer_pin, "enter")
            await pilot.pause()
            assert isinstance(app.screen, VolunteerScreen)
            await look("volunteer menu")
            await home(pilot)

            await click(pilot, "#large")  # the visitor's "Größer"
            assert app.large_text
            await visitor_screens(pilot, look)

            await click(pilot, "#need-0")
            app.idle_clock.now += settings.kiosk.idle_seconds - 1
            await app._idle_tick()
            await pilot.pause()
            assert isinstance(app.screen, IdleWarning)
            await look("idle warning")
            app.idle_clock.now += 2
            await app._idle_tick()
            await pilot.pause()
            # the idle reset: Home, in the default language
            assert isinstance(app.screen, HomeScreen) and i18n.current_language() == "de"
            assert "Wobei brauchen Sie Hilfe?" in screen_text(app)
    finally:
        i18n.set_language("de")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", [SIZE, (80, 16), (160, 48)])
async def test_the_language_screen_lists_each_language_in_its_own_name(settings, catalogue, size):
    """All ten, whole, on the screen: more columns when the rows would not fit in height."""
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        await click(pilot, "#language")
        buttons = list(app.screen.query("#languages Button"))
        assert [b.label.plain for b in buttons] == OWN_NAMES
        for button in buttons:
            region = button.region
            assert region.area and region.bottom <= size[1] and region.right <= size[0], (button, region)
            assert cell_len(button.label.plain) <= region.width - 2, (button, region)
        assert app.screen.query_one("#lang-de").has_class("-current")


async def test_switching_is_instant_on_every_open_screen(settings, catalogue):
    """The screens below the language screen speak the new language too, without a restart."""
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await click(pilot, "#language")
            await click(pilot, "#" + button_id("uk"))
            assert isinstance(app.screen, HomeScreen)
            text = screen_text(app)
            assert "Пошук" in text and "Suchen" not in text
            assert "Здоров'я" in text  # a need label from assets/needs.toml
            await click(pilot, "#language")
            await click(pilot, "#" + button_id(i18n.EASY_GERMAN))
            text = screen_text(app)
            assert "Computer und Handy lernen" in text or "Leben mit Behinderung" in text
    finally:
        i18n.set_language("de")


async def test_language_names_on_an_offer_are_in_the_visitors_language(settings, catalogue):
    """"Languages spoken" names the languages in the visitor's language, through Babel."""
    from kiosk.present import _language_label

    try:
        i18n.set_language("uk")
        assert _language_label("ar", None) == "арабська"
        i18n.set_language("tr")
        assert _language_label("de", None) == "Almanca"
        i18n.set_language(i18n.EASY_GERMAN)
        assert _language_label("en", None) == "Englisch"  # German names, not "English"
    finally:
        i18n.set_language("de")


def test_leichte_sprache_is_read_with_the_german_voice():
    """The code de_DE@easy needs no voice table: espeak-ng's German voice is found for it (the real
    espeak-ng's voice list), and Babel's German data for dates and numbers."""
    import shutil

    from kiosk.speech import EspeakSpeech

    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed")
    assert EspeakSpeech().voice_for(i18n.EASY_GERMAN) == "de"
    try:
        i18n.set_language(i18n.EASY_GERMAN)
        from kiosk.present import distance_text

        assert distance_text(2.345) == "2,3 Kilometer"  # German decimal comma, the word written out
    finally:
        i18n.set_language("de")
