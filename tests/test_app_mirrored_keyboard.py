"""The search keyboard right to left (Arabic, Persian), in the real app driven by its Pilot: the
alphabet from the right (its first letter top right), each page of a split keyboard from the right
with the tall key on its left, the key back to page 1 at the right end of the last page's last
row, the bottom row from "Clear all" on the right to "Delete" on the left; tapping still types the
letter tapped. German stays as it was. See tests/test_app_mirrored.py for the rest of the app.
"""
from __future__ import annotations

import asyncio

import pytest

from kiosk import i18n
from kiosk.app import make_app
from kiosk.config import SpeechSettings
from kiosk.screens.search import SearchScreen
from kiosk.speech import EspeakSpeech
from kiosk.widgets.keyboard import Key, OnScreenKeyboard
from tests.conftest import FROZEN_NOW
from tests.test_app_keyboard import assert_finger_sized
from tests.test_app_largetext import region_text
from tests.test_app_mirrored import (
    LANGUAGES,
    SIZES,
    focus_order,
    heard_control,
    left_to_right,
    mirrored,
    needs_espeak,
    open_home,
    saying,
    shown,
)
from tests.test_app_speech import until
from tests.test_speech import card


async def open_search(pilot, code: str, large: bool) -> OnScreenKeyboard:
    app = pilot.app
    await open_home(pilot, code, large)
    await app.push_screen(SearchScreen())
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, SearchScreen)
    return app.screen.query_one(OnScreenKeyboard)


def from_start(rtl: bool):
    """A sort key: smaller is nearer the side where reading starts (right to left: the right)."""
    return lambda widget: -widget.region.right if rtl else widget.region.x


def letter_rows(app, rtl: bool) -> list[str]:
    """The letter keys shown, row by row from the top, each row in reading order."""
    keys = [k for k in app.screen.query(".letter").results(Key) if k.display and k.region.area]
    rows: dict[int, list[Key]] = {}
    for key in keys:
        rows.setdefault(key.region.y, []).append(key)
    return ["".join(k.value for k in sorted(row, key=from_start(rtl))) for _y, row in sorted(rows.items())]


async def tap_key(pilot, key: Key) -> None:
    await asyncio.sleep(0.25)  # touch bounce: not the same key twice at once
    assert await pilot.click(key)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_keyboard_letters_and_bottom_row_mirrored(settings, catalogue, code, size, large):
    rtl = i18n.is_rtl(code)
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        keyboard = await open_search(pilot, code, large)
        assert app.large_text == large
        layout = keyboard.letters
        assert keyboard.mirrored == rtl == layout.reads_right_to_left
        assert_finger_sized(app, size)
        # The letters in reading order, page by page: right to left each row from the right.
        pages = [tuple(layout.rows)] if keyboard.whole else layout.pages
        first = next(k for k in app.screen.query(Key) if k.value == layout.keys[0])
        top = [k for k in app.screen.query(".letter").results(Key) if k.display and k.region.y == first.region.y]
        # The alphabet's (or QWERTZ's) first letter stands top right right to left, top left otherwise.
        assert first.region.y == min(k.region.y for k in top)
        assert first is min(top, key=from_start(rtl)), [(k.value, k.region) for k in top]
        letters = app.screen.query_one("#letter-rows").region
        labels = {k.value: k.label.plain for k in app.screen.query(".letter").results(Key)}
        between = " " if rtl else ""  # Arabic letters apart, lest they join into a word

        def written(part: str) -> str:
            return between.join(labels[ch] for ch in part)
        tall = app.screen.query_one("#to-right", Key)
        for p, page in enumerate(pages):
            assert letter_rows(app, rtl) == [part for part in page if part], p
            last = p == len(pages) - 1
            assert tall.display == (not last)
            if not last:  # beside the page, where the next page would be: right to left on its left
                await until(pilot, lambda: "\n" in tall.label.plain.strip())  # aligned with the rows
                assert (tall.region.right <= letters.x) if rtl else (tall.region.x >= letters.right), tall.region
                arrow = "◀" if rtl else "▶"
                lines = [line for line in shown(app, "#to-right") if line]
                assert len(lines) == len(pages[p + 1]) and all(
                    (line.startswith(arrow) if rtl else line.endswith(arrow)) for line in lines), lines
                assert len({(line.index(arrow)) for line in lines}) == 1, lines  # one column of arrows
                # Each line level with the row of letters it continues (larger keys too).
                beside = [tall.region.y + y for y, line in enumerate(region_text(app, tall.region)) if arrow in line]
                rows_at = sorted({k.region.y + next(y for y, line in enumerate(region_text(app, k.region))
                                                    if line.strip("▔▁ "))
                                  for k in app.screen.query(".letter").results(Key) if k.display and k.region.area})
                assert beside == rows_at[:len(beside)] and len(rows_at) == len(beside), (beside, rows_at)
                for part in pages[p + 1]:  # its letters, in the layout's order (shown shaped)
                    assert written(part) in tall.label.plain, tall.label.plain
                await tap_key(pilot, tall)
                assert keyboard.page == p + 1
                assert_finger_sized(app, size)
        if len(pages) > 1:  # the last page's key back: where the first letters stand in a row
            back = app.screen.query_one("#to-left", Key)
            row = [k for k in app.screen.query(Key) if k.display and k.region.y == back.region.y and k.region.area]
            assert back is min(row, key=from_start(rtl)), [(k.value, k.region) for k in row]
            text = "".join(shown(app, "#to-left")).strip()
            assert text.endswith("▶") if rtl else text.startswith("◀"), text
            await tap_key(pilot, back)
            assert keyboard.page == 0
            # The tall key shows page 2's letters again (not those of the page it was last seen beside).
            assert tall.region.area and all(written(part) in tall.label.plain for part in layout.pages[1]), \
                tall.label.plain
        # Typing: the first letter (top right right to left), then the one read after it.
        second = next(k for k in app.screen.query(Key) if k.value == layout.keys[1])
        assert (second.region.x < first.region.x) == rtl
        await tap_key(pilot, first)
        await tap_key(pilot, second)
        assert app.search_text.lower() == layout.keys[:2]
        # The bottom row from the side where reading starts: Clear all first, Delete last.
        row = ["#edit-row .clear", "#to-digits", "#edit-row .space", "#edit-row .delete"]
        assert left_to_right(app, *row) == mirrored(code, row)
        keys = sorted((k for k in app.screen.query(Key) if k.display and k.region.area), key=from_start(rtl))
        # The keyboard's outer gap, one column, on the side where reading ends (after the last key's margin).
        assert keys[0].region.right == size[0] if rtl else keys[0].region.x == 0, keys[0].region
        await tap_key(pilot, app.screen.query_one("#edit-row .delete", Key))
        assert app.search_text.lower() == layout.keys[:1]
        await tap_key(pilot, app.screen.query_one("#edit-row .clear", Key))
        assert app.search_text == ""
        # The digits stay left to right, in Arabic and Persian as everywhere.
        await tap_key(pilot, app.screen.query_one("#to-digits", Key))
        digits = sorted((k for k in app.screen.query(".digit").results(Key) if k.display),
                        key=lambda k: (k.region.y, k.region.x))
        assert "".join(k.value for k in digits) == "1234567890"
        await app.workers.wait_for_complete()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("code", LANGUAGES)
async def test_search_row_and_tab_order_mirrored(settings, catalogue, code, size):
    """The words typed (read first) on the right right to left, the results button on their left;
    Tab goes through the top bar from the right, then to the results; never through the keys
    (a volunteer types on a real keyboard)."""
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        await open_search(pilot, code, False)
        await pilot.press(*"pflege")  # a volunteer's real keyboard; the catalogue is German
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query_one("#show-all").disabled
        assert left_to_right(app, "#query", "#show-all") == mirrored(code, ["#query", "#show-all"])
        order = await focus_order(pilot)
        assert not [w for w in order if isinstance(w, Key)]
        ids = [w.id for w in order if w.id]
        bar = [i for i in ("back", "home", "read") if i in ids]
        assert bar == ["back", "home", "read"] and ids.index("read") < ids.index("show-all"), ids


@needs_espeak
@pytest.mark.parametrize("code", LANGUAGES)
async def test_a_key_tapped_in_speech_mode_is_heard_then_typed(settings, catalogue, tmp_path, code):
    """Speech mode: the first tap on the letter top right (right to left) speaks it, in the UI's
    voice, and types nothing; the second types it. The real espeak-ng."""
    speech = EspeakSpeech(SpeechSettings(), player=[str(card(tmp_path) / "aplay"), "-q"])
    app = make_app(settings, catalogue, clock=lambda: FROZEN_NOW, speech=speech)
    async with app.run_test(size=(80, 24)) as pilot:
        keyboard = await open_search(pilot, code, False)
        app.speech_mode.switch_on(app.screen)
        await pilot.pause()
        letter = keyboard.letters.keys[0]
        key = next(k for k in app.screen.query(Key) if k.value == letter)
        assert key is max((k for k in app.screen.query(".letter").results(Key) if k.display),
                          key=lambda k: (-k.region.y, k.region.right if i18n.is_rtl(code) else -k.region.x))
        assert await pilot.click(key)
        await heard_control(pilot, key)
        assert app.search_text == "" and key.label.plain.strip() in saying(speech)
        assert next(s.voice for s in speech.last_utterance) == speech.voice_for(code)
        assert await pilot.click(key)
        await pilot.pause()
        assert app.search_text.lower() == letter
        await app.workers.wait_for_complete()
