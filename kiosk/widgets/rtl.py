"""Right-to-left rendering for the kiosk's text widgets (see kiosk/bidi.py).

The widgets keep their logical text (what is read aloud, searched, printed); only `render()` hands
Textual the shaped, reordered lines while the UI language is written right to left.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from textual.content import Content
from textual.widget import Widget

from ..i18n import _, current_language, is_rtl

W = TypeVar("W")


def rtl_active() -> bool:
    """True while the UI language is written right to left (Arabic, Persian)."""
    return is_rtl(current_language())


# Mirroring a screen: a row's widgets are composed in reading order and placed left to right, so
# right to left a row is composed reversed (what is read first stands on the right); arrows that
# mean "back" and "on" swap with it. A grid of tiles is composed row by row the same way
# (`grid_in_reading_order`). KioskScreen (and Home) gives its screen the class -rtl meanwhile, for
# the few styles that have a side (kiosk.tcss: a card's accent bar, the margins between a row's buttons).

def in_reading_order(row: Iterable[W]) -> list[W]:
    """A row's widgets, given in reading order, in the order to compose them (left to right)."""
    widgets = list(row)
    return widgets[::-1] if rtl_active() else widgets


class GridGap(Widget):
    """An empty grid cell: right to left, it holds the left end of a row the tiles do not fill,
    so that the row's tiles stand on the right, where reading starts."""

    def render(self) -> str:
        return ""  # (a bare Widget shows its class name)


def grid_in_reading_order(cells: Iterable[Widget], columns: int) -> list[Widget]:
    """A grid's cells, given in reading order, in the order to compose them. A grid fills its rows
    from the left; right to left each row of `columns` is reversed, and a row its cells do not
    fill (the last) starts with a GridGap as wide as the rest. A cell's column span counts."""
    cells = list(cells)
    if not rtl_active():
        return cells
    composed: list[Widget] = []
    row: list[Widget] = []
    used = 0

    def end_row() -> None:
        if used < columns:
            gap = GridGap()
            gap.styles.column_span = columns - used
            composed.append(gap)
        composed.extend(reversed(row))

    for cell in cells:
        span = min(columns, cell.styles.column_span or 1)
        if row and used + span > columns:
            end_row()
            row, used = [], 0
        row.append(cell)
        used += span
    if row:
        end_row()
    return composed


def arrows() -> tuple[str, str]:
    """(back, on): the arrows for "back" / "previous" and for "on" / "next" in the reading direction."""
    return ("▶", "◀") if rtl_active() else ("◀", "▶")


def previous_label() -> str:
    """"◀ Previous" for a paging row (right to left "▶ Previous", which stands on the right)."""
    return arrows()[0] + " " + _("Previous")


def next_label(word: str) -> str:
    """"More ▶" / "Next ▶" for a paging row (right to left the arrow points left)."""
    return word + " " + arrows()[1]


def _line_style(line: Content) -> str:
    """The style of spans covering the whole line (a heading, italics); partial spans are lost,
    since reordering would tear them apart."""
    return " ".join(str(span.style) for span in line.spans if span.start == 0 and span.end >= len(line.plain))


def rtl_content(content: Content, widget: Widget) -> Content:
    """`content` laid out right to left in the widget's content width: each logical line wrapped,
    shaped, reordered and right-aligned (centred where the widget centres its text, on the left
    where it aligns it to the end)."""
    from ..bidi import display_lines  # arabic_reshaper and python-bidi: only for a right-to-left language

    # A wrapping Button wraps inside its line padding too: lines as wide as the content would be
    # wrapped again by Textual, in the wrong (visual) order.
    wrap_lines = str(widget.styles.text_wrap) != "nowrap"  # nowrap: cut with "…", as Textual would
    limit = widget.content_size.width - (2 * widget.styles.line_pad if wrap_lines else 0)
    # Right to left a line starts on the right; "end" (a line that points at a button on the
    # reading's far side, Home's speech hint) puts it on the left.
    align = {"center": "center", "end": "left"}.get(str(widget.styles.text_align), "right")
    if limit <= 0:  # not laid out yet (measuring an auto width): no wrapping, no padding
        limit, align = max((len(line) for line in content.plain.split("\n")), default=1), "none"
    lines: list[Content] = []
    for logical in content.split("\n"):
        style = _line_style(logical)
        lines += [Content.styled(text, style) if style else Content(text)
                  for text in display_lines(logical.plain, limit, align=align, wrap_lines=wrap_lines)]
    return Content("\n").join(lines)
