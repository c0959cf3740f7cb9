"""The kiosk's two colour themes, chosen to keep 7:1 contrast in truecolor, 256 and 16 colours.

Textual writes every colour through `rich.color.Color.downgrade` to what the terminal has
(textual/strip.py `render_ansi`): in 256 colours the nearest of the 6x6x6 cube or the grey ramp, in
16 colours the nearest of Rich's standard palette - which the terminal then draws with its own
palette (xterm: blue #0000ee, bright black #7f7f7f, ...). So every theme colour is picked to land on
a 16-colour index whose xterm colour keeps the contrast:

* text #111111 -> black (0), background white -> bright white (15), blue $primary -> blue (4, white
  on it 9.4:1), $secondary/$success/$error -> black (0) (their 16-colour "nearest" would be grey or
  red, 4:1 and 5.8:1 under white text). In 256 colours they become 18, 53, 22, 52 (8:1 and more).
  $secondary (the keyboard's switch keys, the word completions, "More topics") is a dark purple
  that stays apart from the blue letter keys in 16 colours too: black there, not blue as the
  earlier #5613b3 was (Rich's nearest 16-colour match of a mid purple is blue).
* xterm draws bold text in colours 0-7 in the bright colours 8-15 (its `boldColors`, on by default),
  so bold black became mid-grey #7f7f7f on white (4:1): the offer names, titles and the query.
  `BoldColoursGuard` drops the bold attribute from such text in 16-colour terminals only.

`contrast()` and `terminal_rgb()` measure what a terminal shows (tests/test_app_kiosk.py).
"""
from __future__ import annotations

from collections.abc import Callable

from rich.color import Color, ColorSystem, ColorType
from rich.segment import Segment
from rich.style import Style
from textual.color import Color as TextualColor
from textual.filter import LineFilter
from textual.theme import Theme

# The daylight theme: near-black on white, white on dark blue.
DAYLIGHT = Theme(
    name="kiosk-daylight", dark=False,
    primary="#0b2e8f", secondary="#440050", accent="#ffb000", warning="#8a4b00", error="#551520",
    success="#154119", foreground="#111111", background="#ffffff", surface="#eef1f6", panel="#dde3ee",
    variables={
        "kiosk-on-button": "#ffffff",  # text on $primary, $secondary, $success, $error
        "kiosk-disabled": "#d5d9e0", "kiosk-disabled-text": "#1f1f1f",
        "kiosk-message": "#fff1cc", "kiosk-error-message": "#ffe0e0", "kiosk-note": "#2b2b2b",
    },
)

# High contrast, a visitor's toggle: white on black, black on yellow, cyan and green buttons.
CONTRAST = Theme(
    name="kiosk-contrast", dark=True,
    primary="#ffff00", secondary="#00ffff", accent="#ff00ff", warning="#ffff00", error="#ffffff",
    success="#00ff00", foreground="#ffffff", background="#000000", surface="#000000", panel="#000000",
    variables={
        "kiosk-on-button": "#000000",
        "kiosk-disabled": "#262626", "kiosk-disabled-text": "#ffffff",
        "kiosk-message": "#000000", "kiosk-error-message": "#000000", "kiosk-note": "#ffffff",
    },
)

THEMES = (DAYLIGHT, CONTRAST)

# xterm's default 16 colours (XTerm-col.ad): what a 16-colour kiosk terminal draws for 0-15.
XTERM_16 = (
    (0x00, 0x00, 0x00), (0xcd, 0x00, 0x00), (0x00, 0xcd, 0x00), (0xcd, 0xcd, 0x00),
    (0x00, 0x00, 0xee), (0xcd, 0x00, 0xcd), (0x00, 0xcd, 0xcd), (0xe5, 0xe5, 0xe5),
    (0x7f, 0x7f, 0x7f), (0xff, 0x00, 0x00), (0x00, 0xff, 0x00), (0xff, 0xff, 0x00),
    (0x5c, 0x5c, 0xff), (0xff, 0x00, 0xff), (0x00, 0xff, 0xff), (0xff, 0xff, 0xff),
)


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance (WCAG 2)."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    """WCAG contrast ratio, 1 to 21."""
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def terminal_rgb(color: Color, system: ColorSystem, *, bold: bool = False,
                 foreground: bool = True) -> tuple[int, int, int]:
    """The colour a terminal with `system` shows for `color` (as Textual writes it): downgraded
    like textual/strip.py does, 16 colours drawn with xterm's palette, bold 0-7 as bright 8-15."""
    if system == ColorSystem.TRUECOLOR:
        return tuple(color.get_truecolor())  # type: ignore[return-value]
    low = color.downgrade(system)
    if system == ColorSystem.STANDARD or (low.type == ColorType.STANDARD and low.number is not None):
        number = low.number or 0
        if bold and foreground and number < 8:
            number += 8
        return XTERM_16[number]
    return tuple(low.get_truecolor())  # type: ignore[return-value]


def _standard_number(color: Color | None) -> int | None:
    if color is None or color.is_default:
        return None
    return color.downgrade(ColorSystem.STANDARD).number


class BoldColoursGuard(LineFilter):
    """In a 16-colour terminal, no bold on text drawn in colours 0-7: xterm (and the Linux console)
    would draw it in the bright colours 8-15, and dark text on white would turn grey."""

    def __init__(self, color_system: Callable[[], str | None], enabled: bool = True) -> None:
        super().__init__(enabled=enabled)
        self._color_system = color_system
        self._not_bold = Style(bold=False)

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        if self._color_system() != "standard":
            return segments
        out = []
        for segment in segments:
            style = segment.style
            if style is not None and style.bold and (n := _standard_number(style.color)) is not None and n < 8:
                segment = Segment(segment.text, style + self._not_bold, segment.control)
            out.append(segment)
        return out
