"""Need tiles sized to the screen, and the "More topics" page for the needs Home has no room for.

Every need with offers is reachable from Home in at most two taps: Home shows as many tiles as fit
(more on a bigger screen); when there are more, its last tile opens this page with all the others.
"""
from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Button

from ..finder import Need
from ..i18n import _, current_language
from ..sizes import NORMAL, Sizes
from ..speech import CATALOGUE_LANGUAGE, Part, utterance_parts
from ..widgets import BigButton, Plain
from ..widgets.rtl import grid_in_reading_order
from .base import KioskScreen

TILE_ROWS = NORMAL.tile_rows  # the least height of a tile (one line of text between two half-row borders)
PAGE_FIXED_ROWS = 5  # top bar 3, question 2


def tile_columns(width: int, sizes: Sizes = NORMAL) -> int:
    """3 columns at 80, 4 at 120, 5 at 160 and more (larger text: 2, 2, 3): see kiosk/sizes.py."""
    return sizes.tile_columns(width)


def tile_rows(needs: list[Need], width: int, sizes: Sizes = NORMAL) -> int:
    """Rows a tile needs: its least height, or one more when a label needs more lines."""
    return sizes.tile_rows_for([n.text() for n in needs], width)


def home_room(width: int, height: int, needs: list[Need] | None = None, sizes: Sizes = NORMAL,
              extra_rows: int = 0) -> int:
    """How many tiles fit on Home at this size (at least 3), each tall enough for its label."""
    return sizes.home_room(width, height, [n.text() for n in needs or []], extra_rows)


def split_for_home(needs: list[Need], room: int) -> tuple[list[Need], list[Need]]:
    """The needs Home shows and those on the "More topics" page (room for its tile included)."""
    if len(needs) <= room:
        return needs, []
    return needs[:room - 1], needs[room - 1:]


def tile_label(need: Need, width: int) -> str:
    """The need's label, with its icon when both fit on one line of the tile."""
    text = need.text()
    if need.icon and cell_len(need.icon) == 1 and cell_len(text) + 2 <= width:
        return f"{need.icon} {text}"
    return text


def need_tiles(needs: list[Need], width: int, *, first: int = 0, extra: tuple[BigButton, ...] = (),
               sizes: Sizes = NORMAL, columns: int | None = None, least_rows: int | None = None) -> Grid:
    """A grid of need tiles (ids `need-N`, N counted from `first`) for a screen `width` wide; in
    `columns` and at least `least_rows` high where given (else as `sizes` says)."""
    columns = columns or tile_columns(width, sizes)
    inner = Sizes.tile_inner_width(width, columns, sizes.tile_gutter)
    tiles = [BigButton(tile_label(need, inner), id=f"need-{first + i}", classes="need")
             for i, need in enumerate(needs)]
    for tile in (*tiles, *extra):
        tile.styles.line_pad = 0  # the whole tile width for the label (this CSS cannot say 0)
        if least_rows:
            tile.styles.min_height = least_rows
    grid = Grid(*grid_in_reading_order((*tiles, *extra), columns), id="needs")  # right to left: from the right
    grid.styles.grid_size_columns = columns
    return grid


def spoken_needs(needs: list[Need]) -> list[Part]:
    ui = current_language()
    return [(n.text(), ui) if n.translate else (n.text(), CATALOGUE_LANGUAGE) for n in needs]


class TopicsScreen(KioskScreen):
    """"More topics": the needs that did not fit on Home, as tiles; a tap opens a need's offers."""

    def __init__(self, needs: list[Need], first: int) -> None:
        super().__init__()
        self.needs = needs
        self.first = first  # index of needs[0] in the finder's list, so ids match Home's

    def title_text(self) -> str:
        return _("More topics")

    def compose_body(self) -> ComposeResult:
        yield Plain(_("What do you need help with? Tap a button."), id="prompt")
        (width, height), sizes = self.app.size, self.kiosk.sizes
        room = height - PAGE_FIXED_ROWS
        # Every tile on the screen, a tap away: lower tiles in more columns where this size's own
        # do not all fit (larger text at 80x24, a catalogue of many categories).
        fit = sizes.topics_grid([n.text() for n in self.needs], width, room)
        with VerticalScroll(id="topics"):
            if fit is None:  # a tiny screen: scroll rather than cut
                grid = need_tiles(self.needs, width, first=self.first, sizes=sizes)
                lines = -(-len(self.needs) // tile_columns(width, sizes))
                grid.styles.height = lines * tile_rows(self.needs, width, sizes)
            else:  # tiles up to 5 rows high (larger text: 7), not one huge tile when only a few are left
                columns, rows = fit
                grid = need_tiles(self.needs, width, first=self.first, sizes=sizes, columns=columns,
                                  least_rows=rows if rows < sizes.tile_rows else None)
                lines = -(-len(self.needs) // columns)
                grid.styles.height = min(room, lines * max(rows, sizes.tile_rows + 2))
            yield grid

    def spoken_parts(self) -> list[Part]:
        return utterance_parts([(self.title_text(), current_language()),
                                (_("What do you need help with? Tap a button."), current_language()),
                                *spoken_needs(self.needs)])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("need-"):
            event.stop()
            await open_need(self, self.needs[int(button_id.removeprefix("need-")) - self.first])

    async def on_resize(self) -> None:
        await self.rerender()


async def open_need(screen: KioskScreen, need: Need) -> None:
    """The offers of a need for the visitor's "help for whom?" choice (from `screen`)."""
    from .results import ResultsScreen

    screen.kiosk.count("need", need.key)
    await screen.app.push_screen(ResultsScreen.for_need(need, screen.kiosk.audience))
