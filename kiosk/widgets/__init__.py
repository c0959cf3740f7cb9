"""Finger-sized widgets of the kiosk: buttons, toggles, offer cards, on-screen keyboards."""
from typing import TYPE_CHECKING, Any

from .buttons import BigButton, Toggle
from .cards import OfferCard, Plain

if TYPE_CHECKING:
    from .keyboard import NumberPad, OnScreenKeyboard

__all__ = ["BigButton", "NumberPad", "OfferCard", "OnScreenKeyboard", "Plain", "Toggle"]


def __getattr__(name: str) -> Any:
    # The keyboards are imported with the first screen that shows one (search, the PIN pad), not
    # with Home (issue 13: start-up; tests/test_startup_imports.py).
    if name in ("NumberPad", "OnScreenKeyboard"):
        from . import keyboard

        return getattr(keyboard, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
