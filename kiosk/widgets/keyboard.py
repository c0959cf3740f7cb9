"""On-screen keyboards: letters in the script of the UI language for search, a number pad for the PIN.

Keys are not focusable: a volunteer with a real keyboard types directly, and Tab should not have
to walk through forty keys. Each key posts a message; the screen decides what the text becomes.

The letters come from a table per language (kiosk/keyboards.py): QWERTZ with umlauts for German,
ЙЦУКЕН for Ukrainian and Russian, the alphabet for Arabic and Farsi, …, and an alphabetical "ABC"
layout for a visitor who has never used a keyboard (a toggle key beside Space).

Every key must be at least 12 columns wide (a fingertip). Eleven letters in a row need
11 x 13 = 143 columns with the gaps, so a narrower keyboard shows the rows in pages, as a split
tablet keyboard does: for QWERTZ, Q-T / A-G / Y-B on the left, Z-Ü / H-Ä / N-ß on the right. One
big key switches; it shows the very letters it leads to, each beside the row it continues, with an
arrow pointing to where they sit on a whole keyboard - so a visitor looking for "N" sees "N" and
taps there. The last page has a key back to the first in its last row.
"123" shows the digits instead of the letters. Clear all, Space and Delete stay in the same place
in every layout.

Right to left (Arabic, Persian), where the layout is that script's alphabet, the keyboard is
mirrored as the app's other rows are (kiosk/widgets/rtl.py): the first letter top right, each row
and each page from the right, the tall key on the page's left with its arrow pointing left, the
key back in the last row's right end; the bottom row from Clear all on the right to Delete on the
left. Digits stay left to right, as they are written there. A standard physical layout is never
mirrored (kiosk/keyboards.py says why).
"""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Static

from .. import keyboards
from ..i18n import _, current_language
from .buttons import BigButton
from .rtl import in_reading_order, rtl_active

QWERTZ = keyboards.QWERTZ.rows
LEFT_HALF = keyboards.QWERTZ.pages[0]  # the rest of each row is the right half
DIGITS = ("123", "456", "789")  # the PIN pad
KEY_WIDTH = keyboards.KEY_WIDTH
KEY_GAP = keyboards.KEY_GAP
FULL_WIDTH = keyboards.QWERTZ.full_width  # 143: below this, QWERTZ in two halves


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
    """The letters of a layout, space, delete and clear, digits on a page of their own; posts
    `KeyPressed`, and `StyleChanged` when the visitor switches between the standard and ABC layout.

    Whole when at least as wide as the layout's longest row, else one page at a time (see the module
    doc). The breakpoint follows the widget's own width, so it holds in any terminal and any layout.
    """

    page: reactive[int] = reactive(0, init=False)
    """The page of letters shown when the keyboard is too narrow for whole rows."""
    whole: reactive[bool] = reactive(False, init=False)
    """True when the keyboard is wide enough to show every letter at once."""
    digits: reactive[bool] = reactive(False, init=False)
    """True while the digits are shown instead of the letters."""

    class StyleChanged(Message):
        """The visitor switched the layout: "standard" or "abc" (see kiosk/keyboards.py)."""

        def __init__(self, style: str) -> None:
            super().__init__()
            self.style = style

    def __init__(self, *, style: str = "standard", language: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.language = language or current_language()
        self.style = style
        self.letters = keyboards.layout_for(self.language, style)

    def _label(self, ch: str) -> str:
        if ch == "i" and "ı" in self.letters.keys:
            return "İ"  # Turkish: dotted and dotless i are two letters
        upper = ch.upper()
        return upper if len(upper) == 1 else ch  # ß stays ß

    @property
    def mirrored(self) -> bool:
        """True when the letters run from the right: an alphabet of a right-to-left script in a
        right-to-left UI (kiosk/keyboards.py says why a standard layout never is)."""
        return self.letters.reads_right_to_left and rtl_active()

    def _arrows(self) -> tuple[str, str]:
        """(back to page 1, on to the next page): pointing where those letters stand."""
        return ("▶", "◀") if self.mirrored else ("◀", "▶")

    def _letters(self, rows: tuple[str, ...]) -> list[str]:
        """Each row's letters as a switch key shows them; Arabic letters apart, as on their keys
        (side by side they would join into a word that is none)."""
        between = " " if self.letters.reads_right_to_left else ""
        return [between.join(self._label(ch) for ch in row) for row in rows]

    def compose(self) -> ComposeResult:
        layout = self.letters
        last = len(layout.rows) - 1
        back = self._arrows()[0]
        # Tall, beside the page, where the next page would be (right to left: on its left).
        switch = Key(self._right_label([]), "", classes="key switch", id="to-right")
        with Horizontal(id="letter-area"):
            if self.mirrored:
                yield switch
            with Vertical(id="letter-rows"):
                for r, _row in enumerate(layout.rows):
                    letters: list[Key] = []
                    if r == last and len(layout.pages) > 1:
                        # On the last page, where its first letters would be: back to page 1.
                        first = self._letters(layout.pages[0])
                        letters.append(Key(back + "  " + "  ".join(first), "", classes="key switch", id="to-left"))
                    for p, page in enumerate(layout.pages):
                        for ch in page[r]:
                            side = "left" if p == 0 else "right"
                            letters.append(Key(self._label(ch), ch, classes=f"key letter {side} page-{p}"))
                    digits = [Key(ch, ch, classes="key digit")
                              for ch in (keyboards.DIGITS[r] if r < len(keyboards.DIGITS) else "")]
                    gap = Static(classes="gap")  # keeps a short row's letters as wide
                    with Horizontal(classes="keyrow"):
                        if self.mirrored:  # letters from the right, the short row's gap on the left;
                            yield gap  # digits are written left to right in Arabic and Persian too
                            yield from reversed(letters)
                            yield from digits
                        else:
                            yield from letters
                            yield from digits
                            yield gap
            if not self.mirrored:
                yield switch
        edit = [Key(_("Clear all"), KeyPressed.CLEAR, classes="key clear"),
                Key(self._digits_label(), "", classes="key mode", id="to-digits"),
                Key(_("Space"), " ", classes="key space")]
        other = keyboards.other_style(self.language, self.style)
        if other is not None:
            edit.append(Key(keyboards.layout_for(self.language, other).label, "", classes="key mode", id="layout"))
        edit.append(Key(_("Delete"), KeyPressed.DELETE, classes="key delete"))
        with Horizontal(classes="keyrow", id="edit-row"):
            yield from in_reading_order(edit)  # right to left: Clear all on the right, Delete on the left

    def _digits_label(self) -> str:
        return _("Letters") if self.digits else "123"

    def on_mount(self) -> None:
        self._show()

    def _whole_at(self, width: int) -> bool:
        # Larger text (kiosk/sizes.py) asks for wider keys before it shows whole rows.
        sizes = getattr(self.app, "sizes", None)
        if sizes is None:
            return width >= self.letters.full_width
        return sizes.whole_keyboard(width, max(map(len, self.letters.rows)), KEY_GAP)

    def on_resize(self, event: events.Resize) -> None:
        self.whole = self._whole_at(event.size.width)
        self.call_after_refresh(self._align_right_label)

    def _right_label(self, lines_at: list[int], height: int = 0) -> str:
        """The next page's letters, one row per line, each on line `lines_at[i]` if given."""
        pages = self.letters.pages
        rows = self._letters(pages[min(self.page + 1, len(pages) - 1)])
        width = max(map(len, rows))
        # Logical order: right to left the arrow ends up on the key's left, the letters on its right.
        texts = [f"{row:<{width}} {self._arrows()[1]}" for row in rows]
        if len(lines_at) != len(texts) or sorted(lines_at) != lines_at or lines_at[0] < 0:
            return "\n".join(texts)
        lines = [""] * max(height, lines_at[-1] + 1)
        for at, text in zip(lines_at, texts):
            lines[at] = text
        return "\n".join(lines)

    def _align_right_label(self, again: bool = True) -> None:
        """Put each line of the tall switch key level with the row of letters it continues."""
        key = self.query_one("#to-right", Key)
        if not key.display:
            return
        if not key.content_region.height:  # shown again, not laid out yet: the next page's letters
            key.label = self._right_label([])  # now (not the page's before), in line once laid out
            if again:
                self.call_after_refresh(self._align_right_label, False)
            return
        top = key.content_region.y
        rows = self.query_one("#letter-rows").query_children(".keyrow")
        lines_at = [self._label_line(row) - top for row in rows]
        key.label = self._right_label(lines_at, key.content_region.height)

    @staticmethod
    def _label_line(row: Widget) -> int:
        """The screen line a row's keys show their letters on (the middle of a key's content: a
        larger key's edges take a line each)."""
        for key in row.query_children(Key):
            if key.display and key.content_region.height:
                region = key.content_region
                return region.y + (region.height - 1) // 2
        return row.region.y + row.region.height // 2

    def watch_page(self) -> None:
        self._show()
        self.call_after_refresh(self._align_right_label)

    def watch_whole(self) -> None:
        self._show()

    def watch_digits(self) -> None:
        for key in self.query("#to-digits").results(Key):
            key.label = self._digits_label()
        self._show()
        self.call_after_refresh(self._align_right_label)

    def _show(self) -> None:
        """Show the keys of the current page (or all, or the digits); the rest take no room."""
        pages = self.letters.pages
        last = len(pages) - 1
        page = min(self.page, last)
        paged = not self.whole and not self.digits
        self.set_class(self.whole and not self.digits, "-whole")
        self.set_class(paged and page == 0, "-left")
        self.set_class(paged and page == last and last > 0, "-right")
        self.set_class(self.digits, "-digits")
        for p in range(len(pages)):
            shown = not self.digits and (self.whole or p == page)
            for key in self.query(f".page-{p}"):
                key.display = shown
        for key in self.query(".digit"):
            key.display = self.digits
        tall = paged and page < last
        self.query_one("#to-right", Key).display = tall
        rows = self.query_one("#letter-rows")
        rows.styles.width = f"{max(map(len, pages[page]))}fr" if tall else "1fr"
        for key in self.query("#to-left").results(Key):
            key.display = paged and page == last and last > 0
            key.styles.width = f"{max(1, max(map(len, pages[page])) - len(pages[page][-1]))}fr"
        for gap, row in zip(self.query(".gap"), self.letters.rows):
            room = max(map(len, self.letters.rows)) - len(row)
            gap.display = self.whole and not self.digits and room > 0
            gap.styles.width = f"{max(room, 1)}fr"

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if not isinstance(event.button, Key):
            return
        event.stop()
        button_id = event.button.id
        if button_id == "to-right":
            self.page = min(self.page + 1, len(self.letters.pages) - 1)
        elif button_id == "to-left":
            self.page = 0
        elif button_id == "to-digits":
            self.digits = not self.digits
        elif button_id == "layout":
            other = keyboards.other_style(self.language, self.style)
            if other is not None:
                await self.set_style(other)
                self.post_message(self.StyleChanged(other))
        else:
            self.post_message(KeyPressed(event.button.value))

    async def set_style(self, style: str) -> None:
        """Show the layout of `style` ("standard" or "abc"), letters on their first page."""
        self.style = style
        self.letters = keyboards.layout_for(self.language, style)
        self.set_reactive(OnScreenKeyboard.page, 0)
        self.set_reactive(OnScreenKeyboard.digits, False)
        self.set_reactive(OnScreenKeyboard.whole, self._whole_at(self.size.width))
        await self.recompose()
        self._show()
        self.call_after_refresh(self._align_right_label)


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
