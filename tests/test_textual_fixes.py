"""kiosk/textual_fixes.py: the pinned Textual's style caches no longer outlive their widgets."""
from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.widget import Widget

from kiosk import textual_fixes
from kiosk.app import make_app
from kiosk.screens.home import HomeScreen
from kiosk.screens.results import ResultsScreen


def test_the_patched_method_gives_textuals_own_styles():
    cache = StylesCache()
    for base, background in [(Color(0, 0, 0), Color(255, 255, 255, 0.5)), (Color(10, 20, 30), Color(0, 0, 0, 0)),
                              (Color(250, 250, 250), Color(0, 0, 139))]:
        assert cache.get_inner_outer(base, background) == textual_fixes.ORIGINAL(cache, base, background)


def test_the_patch_is_what_kiosk_app_runs_with():
    assert StylesCache.get_inner_outer is textual_fixes._get_inner_outer


def _live(kind: type) -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


async def test_screens_opened_and_closed_leave_no_style_caches_behind(settings, catalogue, clock):
    """Each need opened and closed made ~40 widgets; Textual's lru_cache kept every one's style cache
    (and its rendered lines) alive, up to 1,024 of them: 10 rounds left ~400 here before the fix."""
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(10):
            await pilot.click("#need-0")
            await pilot.pause()
            assert isinstance(app.screen, ResultsScreen)
            await pilot.click("#back")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        gc.collect()
        caches, widgets = _live(StylesCache), _live(Widget)
        # One per live widget (and a screen that Textual still holds for a moment), never one per
        # widget ever made.
        assert caches <= widgets + 10, (caches, widgets)
