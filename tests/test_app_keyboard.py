"""The on-screen QWERTZ keyboard: finger-sized keys at 80x24 (in two halves), whole when wide."""
from __future__ import annotations

import asyncio

import pytest

from kiosk.app import make_app
from kiosk.screens.search import SearchScreen
from kiosk.widgets.keyboard import FULL_WIDTH, QWERTZ, Key, OnScreenKeyboard
from tests.conftest import screen_text, tap, tap_keys

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
