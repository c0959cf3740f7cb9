"""The kiosk's styles in two files (issue 13, start-up): kiosk.tcss (Home and what every screen
shares) is parsed at start, other-screens.tcss once Home is drawn or before the first other
screen. Home must look exactly the same before and after the second file is read, in every state
it can start in: German and right to left, normal and larger text, daylight and high contrast,
80x24 and 160x48. (That every other screen looks as before is what the snapshot tests check.)
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import KioskApp
from kiosk.services import NoPrinter, NoQrCodes, NoSpeech

from .conftest import with_kiosk

ROOT = Path(__file__).resolve().parents[1]


class _Held(KioskApp):
    """The kiosk with the other screens' styles held back until the test reads them."""

    CSS_PATH = ROOT / "kiosk" / "kiosk.tcss"  # a relative one is found beside the class's module
    held = True

    def load_screen_styles(self) -> None:
        if not self.held:
            super().load_screen_styles()


def _held(settings, catalogue, clock) -> _Held:
    return _Held(settings, catalogue, speech=NoSpeech(), printer=NoPrinter(), qr=NoQrCodes(), clock=clock)


@pytest.mark.parametrize(("language", "size", "large", "contrast"), [
    ("de", (80, 24), False, False),
    ("ar", (80, 24), True, False),
    ("fa", (160, 48), False, True),
    ("de", (160, 48), True, True),
])
async def test_home_looks_the_same_before_and_after_the_other_screens_styles(
        catalogue, settings, clock, language, size, large, contrast) -> None:
    app = _held(with_kiosk(settings, large_text=large, high_contrast=contrast), catalogue, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if language != "de":
            await app.set_language(language)
            await pilot.pause()
        rules = len(app.stylesheet.rules)
        before = app.export_screenshot()
        assert app.screen_styles_read is False
        app.held = False
        app.load_screen_styles()
        await pilot.pause()
        assert app.screen_styles_read is True
        assert len(app.stylesheet.rules) > rules + 50, "other-screens.tcss was not read"
        assert app.export_screenshot() == before


async def test_the_other_screens_styles_are_read_before_the_first_other_screen(catalogue, settings, clock) -> None:
    from kiosk.screens.search import SearchScreen

    app = _held(settings, catalogue, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.held = False  # as if Home had not been drawn yet when the tap comes
        assert app.screen_styles_read is False
        await app.push_screen(SearchScreen())
        await pilot.pause()
        assert app.screen_styles_read is True
        keyboard = app.screen.query_one("#keyboard")
        assert keyboard.styles.dock == "bottom"  # a rule of other-screens.tcss


async def test_the_kiosk_reads_the_other_screens_styles_once_home_is_drawn(catalogue, settings, clock) -> None:
    from kiosk.app import make_app

    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen_styles_read is True
        sources = [Path(path).name for path, _ in app.stylesheet.source]
        assert sources.index("kiosk.tcss") < sources.index("other-screens.tcss")
