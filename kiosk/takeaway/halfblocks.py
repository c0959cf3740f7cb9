"""How a QR code looks on screen: half blocks in fixed black on white, as large as the space allows.

`render_halfblocks` draws a matrix with half blocks in fixed black on white: the terminal's own
colours (as qrcode's `print_ascii` uses them) make a code that decodes on one theme only, and an
inverted code is missed by many phone cameras. `arrange` picks the first of an offer's codes that
fits the screen with its caption (a smaller code rather than none); the widget is
`kiosk.widgets.qrview.QrView`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.content import Content

from .codes import QrCode

BLACK_ON_WHITE = "#000000 on #ffffff"


def fit_scale(modules: int, max_width: int, max_height: int) -> int:
    """Largest n such that n×n cells-per-module fit: n columns and n half rows per module; 0 = too small."""
    if modules <= 0:
        return 0
    return max(0, min(max_width // modules, (max_height * 2) // modules))


def halfblock_lines(matrix: list[list[bool]], scale: int = 1) -> list[str]:
    """The matrix as text lines, each module `scale` columns wide and `scale` half rows high.

    The characters assume a black foreground on a white background: ▀ = dark top half.
    An odd number of half rows is padded with one light half row (more quiet zone, harmless).
    """
    rows = [[dark for dark in row for _ in range(scale)] for row in matrix for _ in range(scale)]
    if len(rows) % 2:
        rows.append([False] * (len(rows[0]) if rows else 0))
    chars = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
    pairs = zip(rows[0::2], rows[1::2], strict=True)
    return ["".join(chars[cell] for cell in zip(top, bottom, strict=True)) for top, bottom in pairs]


SIDE_MIN = 20  # columns a caption needs beside the code to be read in a few short lines
SIDE_MAX = 40
SIDE_GAP = 2  # columns between the code and a caption beside it


@dataclass(frozen=True)
class Arrangement:
    """Which code to show and where its text goes: `beside` the code or below it, in `text_width` columns."""

    code: QrCode
    scale: int
    beside: bool
    text_width: int


def arrange(codes: Sequence[QrCode], width: int, height: int,
            text_lines: Callable[[QrCode, int], int]) -> Arrangement | None:
    """The first of `codes` that can be drawn in `width` × `height` cells together with its text.

    `text_lines(code, columns)` is how many rows the code's caption takes in that many columns.
    The text goes below the code, or beside it when that gives a larger code (a terminal is wide:
    at 80x24 a code beside its caption can have 42 modules, one above its caption only 40).
    None when not even the smallest code fits: the screen then says so in words.
    """
    for code in codes:
        modules = len(code.matrix)
        below = fit_scale(modules, width, height - text_lines(code, width))
        best = Arrangement(code, below, False, width) if below else None
        side = fit_scale(modules, width - SIDE_MIN - SIDE_GAP, height)
        if side > (below or 0):
            text_width = min(SIDE_MAX, width - modules * side - SIDE_GAP)
            if text_lines(code, text_width) <= height:
                best = Arrangement(code, side, True, text_width)
        if best is not None:
            return best
    return None


def render_halfblocks(matrix: list[list[bool]], max_width: int, max_height: int) -> Content | None:
    """The matrix as large as fits in `max_width` × `max_height` cells, black on white; None if it can't fit.

    Colours are explicit (#000000 on #ffffff) so neither the theme nor a light/dark switch can
    change or invert them. The result is a Textual `Content` (never markup: nothing is parsed).
    """
    scale = fit_scale(len(matrix), max_width, max_height)
    if scale == 0:
        return None
    return Content.styled("\n".join(halfblock_lines(matrix, scale)), BLACK_ON_WHITE)


