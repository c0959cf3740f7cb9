"""A fix for a memory leak in the pinned Textual (8.2.8), applied when kiosk.app is imported.

`textual._styles_cache.StylesCache.get_inner_outer` is an instance method under
`functools.lru_cache(1024)`, so the cache's keys hold `self`: up to 1,024 StylesCache objects of
widgets long gone stay alive, each with its rendered lines (Strips, seven small caches each).
Every screen a visitor opens adds its widgets' caches, so a kiosk that answers taps all day grew by
~0.5 MB per need opened and closed until the cache was full (tests/test_textual_fixes.py; upstream:
https://github.com/Textualize/textual/issues/6665, open, no release fixes it). The method's result
depends only on its two colours, so the cached function here is keyed by them alone and the
method looks it up: the same styles, and a style cache dies with its widget.

Textual is pinned exactly (pyproject.toml); the test fails if a new release changes what is
patched here, so that a bump decides again whether the fix is still needed.
"""
from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style

PATCHED = "get_inner_outer"
ORIGINAL = StylesCache.__dict__[PATCHED]  # Textual's own, for the test that the results agree


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """Inner and outer background styles: what Textual's method returns, keyed by the colours only."""
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def apply() -> None:
    """Replace the leaking method (once; safe to call again)."""
    if getattr(StylesCache, PATCHED) is not _get_inner_outer:
        setattr(StylesCache, PATCHED, _get_inner_outer)
