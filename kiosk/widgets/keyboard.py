"""On-screen keyboards: QWERTZ with umlauts for search, a number pad for the volunteer PIN.

Keys are not focusable: a volunteer with a real keyboard types directly, and Tab should not have
to walk through forty keys. Each key posts a message; the screen decides what the text becomes.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button

from ..i18n import _
from .buttons import BigButton

QWERTZ = ("qwertzuiopü", "asdfghjklöä", "yxcvbnmß")
DIGITS = ("123", "456", "789")


class Key(BigButton, can_focus=False):
    """One key of an on-screen keyboard; `value` is the character it types (or a command)."""

    def __init__(self, label: str, value: str, *, classes: str = "key") -> None:
        super().__init__(label, classes=classes)
        self.value = value


class KeyPressed(Message):
    """A key of an on-screen keyboard was tapped: a character, or "\\b" (delete) / "\\x18" (clear)."""

    DELETE = "\b"
    CLEAR = "\x18"
    ENTER = "\n"

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value


class OnScreenKeyboard(Vertical):
    """QWERTZ letters with ä ö ü ß, space, delete and clear; posts `KeyPressed`."""

    def compose(self) -> ComposeResult:
        for i, row in enumerate(QWERTZ):
            with Horizontal(classes="keyrow"):
                for ch in row:
                    yield Key(ch.upper() if ch != "ß" else ch, ch)
                if i == len(QWERTZ) - 1:
                    yield Key(_("Delete"), KeyPressed.DELETE, classes="key wide")
        with Horizontal(classes="keyrow"):
            yield Key(_("Clear all"), KeyPressed.CLEAR, classes="key wide")
            yield Key(_("Space"), " ", classes="key space")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, Key):
            event.stop()
            self.post_message(KeyPressed(event.button.value))


class NumberPad(Vertical):
    """Digits 0-9, delete and OK for the PIN; posts `KeyPressed`."""

    def compose(self) -> ComposeResult:
        for row in DIGITS:
            with Horizontal(classes="keyrow"):
                for ch in row:
                    yield Key(ch, ch)
        with Horizontal(classes="keyrow"):
            yield Key(_("Delete"), KeyPressed.DELETE)
            yield Key("0", "0")
            yield Key(_("OK"), KeyPressed.ENTER, classes="key ok")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, Key):
            event.stop()
            self.post_message(KeyPressed(event.button.value))
