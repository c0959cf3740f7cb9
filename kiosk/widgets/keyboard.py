"""On-screen keyboards: QWERTZ with umlauts for search, a number pad for the volunteer PIN.

Keys are not focusable: a volunteer with a real keyboard types directly, and Tab should not have
to walk through forty keys. Each key posts a message; the screen decides what the text becomes.

Every key must be at least 12 columns wide (a fingertip). Eleven letters in a row need
11 x 13 = 143 columns with the gaps, so a narrower keyboard shows QWERTZ in two halves, as a
split tablet keyboard does: Q-T / A-G / Y-B on the left, Z-Ü / H-Ä / N-ß on the right. One big
key switches; it shows the very letters it leads to, each beside the row it continues, with an
arrow pointing to where they sit on a whole keyboard - so a visitor looking for "N" sees "N" and
taps there.
Clear all, Space and Delete stay in the same place in every layout.
"""
from __future__ import annotations

from typing import Literal

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from ..i18n import _
from .buttons import BigButton

QWERTZ = ("qwertzuiopü", "asdfghjklöä", "yxcvbnmß")
LEFT_HALF = ("qwert", "asdfg", "yxcvb")  # the rest of each row is the right half
DIGITS = ("123", "456", "789")

KEY_WIDTH = 12  # columns: the smallest touch target (issue 3)
KEY_GAP = 1  # margin-right of every key, see kiosk.tcss
FULL_WIDTH = len(QWERTZ[0]) * (KEY_WIDTH + KEY_GAP)  # 143: below this, two halves

Half = Literal["left", "right"]


def _label(ch: str) -> str:
    return ch if ch == "ß" else ch.upper()


def _letters(rows: tuple[str, ...]) -> list[str]:
    return ["".join(_label(ch) for ch in row) for row in rows]


class Key(BigButton, can_focus=False):
    """One key of an on-screen keyboard; `value` is the character it types (or a command)."""

    def __init__(self, label: str, value: str, *, classes: str = "key", id: str | None = None) -> None:
        super().__init__(label, classes=classes, id=id)
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
    """QWERTZ letters with ä ö ü ß, space, delete and clear; posts `KeyPressed`.

    Whole when at least `FULL_WIDTH` columns wide, else one half at a time (see the module doc).
    The breakpoint follows the widget's own width, so it holds in any terminal and any layout.
    """

    half: reactive[Half] = reactive("left", init=False)
    """The half shown when the keyboard is too narrow for all eleven keys of a row."""
    whole: reactive[bool] = reactive(False, init=False)
    """True when the keyboard is wide enough to show every letter at once."""

    def compose(self) -> ComposeResult:
        left = _letters(LEFT_HALF)
        with Horizontal(id="letter-area"):
            with Vertical(id="letter-rows"):
                for i, row in enumerate(QWERTZ):
                    with Horizontal(classes="keyrow"):
                        if i == len(QWERTZ) - 1:
                            # Where Y-B would be: back to the left half.
                            yield Key("◀  " + "  ".join(left), "", classes="key switch", id="to-left")
                        for j, ch in enumerate(row):
                            side = "left" if j < len(LEFT_HALF[i]) else "right"
                            yield Key(_label(ch), ch, classes=f"key letter {side}")
                        if i == len(QWERTZ) - 1:
                            yield Static(classes="gap")  # keeps the letters of the last row as wide
            # Tall, beside the left half, where the right half would be.
            yield Key(self._right_label([]), "", classes="key switch", id="to-right")
        with Horizontal(classes="keyrow", id="edit-row"):
            yield Key(_("Clear all"), KeyPressed.CLEAR, classes="key clear")
            yield Key(_("Space"), " ", classes="key space")
            yield Key(_("Delete"), KeyPressed.DELETE, classes="key delete")

    def on_mount(self) -> None:
        self._show()

    def on_resize(self, event: events.Resize) -> None:
        self.whole = event.size.width >= FULL_WIDTH
        self.call_after_refresh(self._align_right_label)

    @staticmethod
    def _right_label(lines_at: list[int], height: int = 0) -> str:
        """The right half's letters, one QWERTZ row per line, each on line `lines_at[i]` if given."""
        rows = _letters(tuple(row[len(left):] for row, left in zip(QWERTZ, LEFT_HALF)))
        width = max(map(len, rows))
        texts = [f"{row:<{width}} ▶" for row in rows]
        if len(lines_at) != len(texts) or sorted(lines_at) != lines_at or lines_at[0] < 0:
            return "\n".join(texts)
        lines = [""] * max(height, lines_at[-1] + 1)
        for at, text in zip(lines_at, texts):
            lines[at] = text
        return "\n".join(lines)

    def _align_right_label(self) -> None:
        """Put each line of the tall switch key level with the row of letters it continues."""
        key = self.query_one("#to-right", Key)
        if not key.display or not key.content_region.height:
            return
        top = key.content_region.y
        rows = self.query_one("#letter-rows").query_children(".keyrow")
        lines_at = [row.region.y + row.region.height // 2 - top for row in rows]
        key.label = self._right_label(lines_at, key.content_region.height)

    def watch_half(self) -> None:
        self._show()
        self.call_after_refresh(self._align_right_label)

    def watch_whole(self) -> None:
        self._show()

    def _show(self) -> None:
        self.set_class(self.whole, "-whole")
        self.set_class(not self.whole and self.half == "left", "-left")
        self.set_class(not self.whole and self.half == "right", "-right")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if not isinstance(event.button, Key):
            return
        event.stop()
        if event.button.id == "to-right":
            self.half = "right"
        elif event.button.id == "to-left":
            self.half = "left"
        else:
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
