"""The on-screen QWERTZ keyboard: finger-sized keys at 80x24 (in two halves), whole when wide."""
from __future__ import annotations

import asyncio

import pytest

from kiosk.app import make_app
from kiosk.screens.search import SearchScreen
from kiosk.widgets.keyboard import FULL_WIDTH, QWERTZ, Key, OnScreenKeyboard
from tests.conftest import find_button, screen_text, tap, tap_keys

LETTERS = "".join(QWERTZ)


def visible_keys(app) -> list[Key]:
    return [k for k in app.screen.query(Key) if k.display and k.region.area]


def visible_letters(app) -> str:
    return "".join(k.value for k in visible_keys(app) if k.value and k.value in LETTERS)


def assert_finger_sized(app, size: tuple[int, int]) -> None:
    width, height = size
    for key in visible_keys(app):
        region = key.region
        assert region.height >= 3 and region.width >= 12, (key.label.plain, region)
        assert region.right <= width and region.bottom <= height, (key.label.plain, region)


async def open_search(pilot) -> OnScreenKeyboard:
    await tap(pilot, "Suchen")
    assert isinstance(pilot.app.screen, SearchScreen)
    await pilot.pause()
    return pilot.app.screen.query_one(OnScreenKeyboard)


async def test_every_key_is_finger_sized_at_80x24_on_both_halves(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        keyboard = await open_search(pilot)
        assert keyboard.has_class("-left")
        assert visible_letters(app) == "qwertasdfgyxcvb"
        assert_finger_sized(app, (80, 24))
        # The big switch key names the letters it leads to, each beside the row it continues.
        switch = app.screen.query_one("#to-right", Key)
        assert switch.region.height >= 9
        lines = switch.label.plain.split("\n")
        for row in ("Q", "A", "Y"):
            key = next(k for k in visible_keys(app) if k.label.plain == row)
            at = key.region.y + key.region.height // 2 - switch.content_region.y
            assert lines[at].split()[0] in ("ZUIOPÜ", "HJKLÖÄ", "NMß"), (row, lines)
        await tap(pilot, "ZUIOPÜ")
        assert keyboard.has_class("-right")
        assert visible_letters(app) == "zuiopühjklöänmß"
        assert_finger_sized(app, (80, 24))
        await tap(pilot, "QWERT")
        assert keyboard.has_class("-left")
        # Delete, Clear all and Space never move.
        labels = {k.label.plain for k in visible_keys(app)}
        assert {"Löschen", "Alles löschen", "Leerzeichen"} <= labels


@pytest.mark.parametrize("word", ["Straße", "Ärztin"])
async def test_typing_a_word_by_tapping_keys(settings, catalogue, clock, word):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot)
        await tap_keys(pilot, word)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.search_text == word
        assert word in screen_text(app)


async def test_delete_clear_and_space(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_search(pilot)
        await tap_keys(pilot, "Hilfe zu")
        assert app.search_text == "Hilfe zu"
        await tap(pilot, "Löschen")
        await asyncio.sleep(0.25)  # a Button ignores a second press within 0.2 s (touch bounce)
        await tap(pilot, "Löschen")
        assert app.search_text == "Hilfe "
        await tap(pilot, "Alles löschen")
        assert app.search_text == ""
        assert "Tippen Sie ein Wort" in screen_text(app)
        await app.workers.wait_for_complete()


async def test_the_whole_keyboard_shows_at_160x48(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(160, 48)) as pilot:
        keyboard = await open_search(pilot)
        assert keyboard.has_class("-whole")
        assert sorted(visible_letters(app)) == sorted(LETTERS)
        assert not [k for k in visible_keys(app) if k.has_class("switch")]
        assert_finger_sized(app, (160, 48))
        rows = {}
        for key in visible_keys(app):
            if key.value and key.value in LETTERS:
                rows.setdefault(key.region.y, []).append(key.value)
        assert ["".join(r) for _, r in sorted(rows.items())] == list(QWERTZ)  # QWERTZ, row by row
        await tap_keys(pilot, "Ärztin")
        assert app.search_text == "Ärztin"
        await app.workers.wait_for_complete()


async def test_the_breakpoint_follows_the_keyboards_own_width(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(FULL_WIDTH - 1, 40)) as pilot:
        keyboard = await open_search(pilot)
        assert not keyboard.has_class("-whole")
        assert_finger_sized(app, (FULL_WIDTH - 1, 40))
        await pilot.resize_terminal(FULL_WIDTH, 40)
        await pilot.pause()
        await pilot.pause()
        assert keyboard.has_class("-whole")
        assert_finger_sized(app, (FULL_WIDTH, 40))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert keyboard.has_class("-left")
        assert_finger_sized(app, (80, 24))


# --- layouts per language, ABC, digits, completions ----------------------------------------------

SIZES = [(80, 24), (160, 48)]


async def show_every_page(pilot, keyboard) -> str:
    """Tap the big switch key through every page; the letters seen, each page finger-sized."""
    app = pilot.app
    seen = visible_letters_of(app, keyboard)
    for _ in range(len(keyboard.letters.pages) - 1):
        await asyncio.sleep(0.25)  # touch bounce: the same switch key again
        switch = app.screen.query_one("#to-right", Key)
        assert switch.display
        assert await pilot.click(switch)
        await pilot.pause()
        await pilot.pause()
        assert_finger_sized(app, app.size)
        seen += visible_letters_of(app, keyboard)
    return seen


def visible_letters_of(app, keyboard) -> str:
    keys = keyboard.letters.keys
    return "".join(k.value for k in visible_keys(app) if k.value and k.value in keys and k.has_class("letter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["uk", "ru", "ar", "fa", "tr", "pl", "ro", "xx"])
async def test_the_keyboard_offers_the_script_of_the_ui_language(settings, catalogue, clock, language, size):
    from kiosk import i18n
    from kiosk.keyboards import layout_for

    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=size) as pilot:
        await open_search(pilot)
        i18n.set_language(language)  # no translation needed for the keyboard (xx: none at all)
        await app.screen.recompose()
        await pilot.pause()
        await pilot.pause()
        keyboard = app.screen.query_one(OnScreenKeyboard)
        expected = layout_for(language)
        assert keyboard.letters == expected
        if language == "xx":
            assert expected.rows == QWERTZ  # a language without a table types German
        assert_finger_sized(app, size)
        seen = await show_every_page(pilot, keyboard) if not keyboard.whole else visible_letters_of(app, keyboard)
        assert sorted(seen) == sorted(expected.keys)  # every letter reachable, none twice
        # Typing a letter of the script puts it into the search.
        letter = expected.pages[-1][0][0]  # on the page shown last
        key = next(k for k in visible_keys(app) if k.value == letter)
        assert await pilot.click(key)
        await pilot.pause()
        assert app.search_text.lower() == letter
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_abc_layout_is_a_visitor_toggle_until_the_idle_reset(settings, catalogue, clock, size):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=size) as pilot:
        keyboard = await open_search(pilot)
        assert keyboard.letters.name == "qwertz"
        await tap(pilot, "ABC")
        keyboard = app.screen.query_one(OnScreenKeyboard)
        assert keyboard.letters.name == "abc" and app.keyboard_style == "abc"
        assert_finger_sized(app, size)
        if size[0] >= keyboard.letters.full_width:
            rows = {}
            for key in visible_keys(app):
                if key.has_class("letter"):
                    rows.setdefault(key.region.y, []).append(key.value)
            assert ["".join(r) for _, r in sorted(rows.items())] == ["abcdefghij", "klmnopqrst", "uvwxyzäöüß"]
        else:
            assert visible_letters_of(app, keyboard) == "abcdeklmnouvwxy"
            assert "FGHIJ" in app.screen.query_one("#to-right", Key).label.plain
        await tap_keys(pilot, "Tafel")
        assert app.search_text == "Tafel"
        # Another search screen keeps the visitor's choice; the idle reset forgets it.
        await tap(pilot, "Start")
        await tap(pilot, "Suchen")
        assert app.screen.query_one(OnScreenKeyboard).letters.name == "abc"
        await app.reset_to_home()
        await pilot.pause()
        assert app.keyboard_style == "standard"
        await tap(pilot, "Suchen")
        assert app.screen.query_one(OnScreenKeyboard).letters.name == "qwertz"
        await app.workers.wait_for_complete()


async def test_abc_can_be_the_places_default(settings, catalogue, clock):
    from tests.conftest import with_kiosk

    app = make_app(with_kiosk(settings, keyboard_layout="abc"), catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        keyboard = await open_search(pilot)
        assert keyboard.letters.name == "abc"
        assert find_button(app, "QWERTZ")  # the way to the usual layout


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_digits_page(settings, catalogue, clock, size):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=size) as pilot:
        await open_search(pilot)
        await tap(pilot, "123")
        assert sorted(k.value for k in visible_keys(app) if k.has_class("digit")) == sorted("0123456789")
        assert not [k for k in visible_keys(app) if k.has_class("letter")]
        assert_finger_sized(app, size)
        for digit in "30":
            await tap(pilot, digit)
        assert app.search_text == "30"
        await tap(pilot, "Buchstaben")
        assert [k for k in visible_keys(app) if k.has_class("letter")]
        assert not [k for k in visible_keys(app) if k.has_class("digit")]
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_completions_are_big_catalogue_words(settings, catalogue, clock, size):
    from kiosk.widgets.completions import CompletionButton

    app = make_app(settings, catalogue, clock=clock)
    names = " ".join(s.name for s in catalogue.all_offers())
    async with app.run_test(size=size) as pilot:
        await open_search(pilot)
        await tap_keys(pilot, "P")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query(".completion")  # one letter: too early
        await tap_keys(pilot, "f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        buttons = [b for b in app.screen.query(CompletionButton) if b.region.area]
        assert buttons
        for button in buttons:
            assert button.value.lower().startswith("pf") and button.value in names, button.value
            assert button.region.height >= 3 and button.region.width >= 12
            assert button.region.right <= size[0]
        await pilot.click(buttons[0])
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.search_text == buttons[0].value
        assert buttons[0].value in screen_text(app)
