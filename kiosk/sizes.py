"""The layout numbers of the two text sizes: normal, and the visitor's "Larger" toggle (issue 11).

A terminal cannot make its font bigger (OSC 50 did not resize the grid), so "larger" is a layout
mode: fewer, taller elements. kiosk.tcss draws it under the app's class `-large` (taller buttons
whose labels wrap onto more lines instead of being cut, more padding, more line spacing); what the
screens compute - columns of need tiles, tiles on Home, cards per page, keyboard rows - comes from
here, so that no screen keeps size rules of its own. The row counts must agree with kiosk.tcss.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.content import Content

NORMAL_TILE_ROWS = 3  # one line of text between two half-row edges: the least a tile is high


@dataclass(frozen=True)
class Sizes:
    """What one text size means in rows and columns (for any screen size)."""

    large: bool
    grid_gap: int  # rows between (and around) the buttons of the language and "for whom" grids
    button_rows: int  # a row of big buttons (filters, paging, actions): 1 or 3 lines between half-row edges
    tile_rows: int  # the least height of a need tile
    tile_width: int  # the width a need tile aims at: it sets the columns
    max_tile_columns: int
    tile_gutter: int  # columns between two need tiles (kiosk.tcss #needs grid-gutter)
    home_fixed_rows: int  # Home's rows besides the tiles
    max_home_tiles: int  # a larger screen shows more, but Home stays a calm choice
    card_rows: int  # one offer card and the blank row below it
    two_card_columns_from: int  # screen columns from which result cards stand in two columns
    town_tile_width: int
    keyboard_share: float  # the on-screen keyboard's part of the screen's height
    keyboard_max_rows: int
    key_width: int  # the on-screen keyboard shows whole rows only where keys get this many columns

    def least_width(self, label: str, lines: int = 1, wrapped: bool = False) -> int:
        """Columns a button needs to show `label` whole in at most `lines` lines: on one line its
        length and padding; wrapped (more lines, `wrapped`, or larger text) the narrowest width at which Textual's
        word wrap needs no more lines, padding and line padding included, an icon or box
        ("☐ Kontrast") kept with the word after it; never below the least target of 12."""
        if lines == 1 and not (self.large or wrapped):
            return max(12, cell_len(label) + 2)  # one line, not wrapped: no line padding
        words = label.split()
        if len(words) > 1 and cell_len(words[0]) <= 2:
            words[:2] = [f"{words[0]} {words[1]}"]
        least = max(12, max(map(cell_len, words), default=0) + 4)
        whole = max(least, cell_len(label) + 4)
        text = Content(label)
        return next((width for width in range(least, whole) if len(text.wrap(width - 4)) <= lines), whole)

    def fit_row(self, labels: list[str], stretch: list[bool], room: int, most_lines: int = 4) -> tuple[list[int], int]:
        """(widths, rows) of a row of buttons in `room` columns (gaps taken off) whose labels all
        show whole on the fewest lines: one where they fit, else wrapped onto two, three ...; the
        row as tall as that needs (never lower than `button_rows`). The fixed ones (switches such
        as "☐ Mai mare") keep their words on one line. Where not even `most_lines` do, the
        buttons share the row equally."""
        for lines in range(1, most_lines + 1):
            least = [self.least_width(label, lines if grows else 1, wrapped=lines > 1)
                     for label, grows in zip(labels, stretch)]
            widths = row_widths(least, stretch, room)
            if widths is not None:
                return widths, max(self.button_rows, lines + 2)
        return [max(12, room // max(1, len(labels)))] * len(labels), most_lines + 2

    def tile_columns(self, width: int) -> int:
        """Normal: 3 columns at 80, 4 at 120, 5 at 160. Larger: 2 at 80 and 120, 3 at 160."""
        return max(2, min(self.max_tile_columns, (width + 20) // self.tile_width))

    @staticmethod
    def tile_inner_width(width: int, columns: int, gutter: int = 1) -> int:
        """The columns inside one tile (the grid has one column of padding each side and a gutter between)."""
        return max(1, (width - 2 - gutter * (columns - 1)) // columns)

    def tile_rows_for(self, labels: list[str], width: int) -> int:
        """Rows a tile needs: its least height, or one more when a label needs more lines than it holds."""
        room = self.tile_inner_width(width, self.tile_columns(width))
        lines = max((-(-cell_len(text) // room) for text in labels), default=1)
        return max(self.tile_rows, min(lines, self.tile_rows - 1) + 2)

    def topics_grid(self, labels: list[str], width: int, room: int) -> tuple[int, int] | None:
        """(columns, least rows of a tile) for a page of need tiles with `room` rows ("More
        topics"), so that every tile is on the screen: this size's own tiles where all fit; else
        lower tiles (down to 3 rows, one line of text), then more columns, each label whole
        (1,000 categories, or larger text at 80x24, hold more than two columns of 5-row tiles
        show). None when not even tiles 12 columns wide fit: then the page scrolls."""
        own = self.tile_columns(width)
        for columns in range(own, max(own, width // 13) + 1):
            inner = self.tile_inner_width(width, columns, self.tile_gutter)
            if inner < 12:
                break
            lines = -(-len(labels) // columns)
            wrapped = max((len(Content(label).wrap(inner)) for label in labels), default=1)
            least = max(NORMAL_TILE_ROWS, wrapped + 2)
            most = max(least, self.tile_rows_for(labels, width) if columns == own else self.tile_rows)
            for rows in range(most, least - 1, -1):
                if lines * rows <= room:
                    return columns, rows
        return None

    def home_room(self, width: int, height: int, labels: list[str], extra_rows: int = 0) -> int:
        """How many tiles fit on Home at this size (at least 3), each tall enough for its label
        (`extra_rows`: an action row taller than `button_rows`, its labels wrapped)."""
        rows = max(1, (height - self.home_fixed_rows - extra_rows) // self.tile_rows_for(labels, width))
        return max(3, min(self.max_home_tiles, rows * self.tile_columns(width)))

    def card_columns(self, width: int) -> int:
        return 2 if width >= self.two_card_columns_from else 1

    def results_chrome(self, divider: bool = False) -> int:
        """Rows of the results screen besides the cards: top bar, filters, paging (and a divider line)."""
        return 3 + 2 * self.button_rows + (1 if divider else 0)

    def cards_per_page(self, height: int, configured: int, chrome: int | None = None, columns: int = 1) -> int:
        """As many cards as fit without scrolling, at least one; at most the configured number per
        column and per 24 rows of screen (a screen twice as tall may show twice as many)."""
        chrome = self.results_chrome() if chrome is None else chrome
        most = configured * max(1, height // 24)
        # Larger text: the last card needs no blank row below it (2 cards at 80x24, not 1 and 6
        # empty rows); normal text keeps a calm blank row above the paging buttons.
        room = height - chrome + (1 if self.large else 0)
        return max(1, columns * min(most, room // self.card_rows))

    def card_height(self, height: int, chrome: int, rows_of_cards: int) -> int:
        """Rows of one card: larger text shares the rows of the page among its cards (a page of
        fewer cards than fit shows them taller, not above empty rows); normal text keeps 3."""
        least = self.card_rows - 1
        if not self.large or rows_of_cards < 1:
            return least
        return max(least, (height - chrome + 1) // rows_of_cards - 1)

    def fallback_room(self, rows: int, limit: int) -> int:
        """General counselling cards that fit in `rows` below a sentence of up to two lines (1 to `limit`)."""
        return max(1, min(limit, (rows - 2) // self.card_rows))

    def list_page(self, height: int, count: int) -> tuple[int, bool]:
        """The visitor's list: (cards per page, paged?); paging only when all do not fit."""
        room = max(0, height - 3 - self.button_rows)  # the top bar and the action row
        if count * self.card_rows <= room:
            return max(1, count), False
        return max(1, (room - self.button_rows) // self.card_rows), True  # the paging row

    def keyboard_rows(self, height: int) -> int:
        """Rows of the on-screen keyboard (as in kiosk.tcss): normal 40 % of the screen, 12 to 20;
        larger 50 %, 12 to 26 (taller keys where the screen has the rows)."""
        return max(12, min(self.keyboard_max_rows, int(height * self.keyboard_share)))

    def whole_keyboard(self, width: int, keys_in_longest_row: int, gap: int = 1) -> bool:
        """Whether the on-screen keyboard shows every letter at once (else half a row at a time,
        with keys as wide as half the screen allows)."""
        return width >= keys_in_longest_row * (self.key_width + gap)

    def town_columns(self, width: int) -> int:
        return max(2, min(8, (width - 2) // self.town_tile_width))

    def town_grid(self, labels: list[str], width: int, room: int,
                  paged: bool = False) -> tuple[int, int] | None:
        """(columns, rows of a tile) for the towns page's tiles in `room` rows, so that every tile
        is on the screen, each label whole in a tile without padding: this size's own columns and
        tiles where all fit; else lower tiles (larger text: down to 3 rows), then more columns,
        then (for long names) fewer. `labels[0]` ("Here first (Lengerich)") spans two columns.
        None when no such grid of tiles at least 12 columns wide holds them all.

        `paged`: the grid for a page of the tiles, `labels[0]` on every page, as many lines of tiles
        as `room` holds: of those grids the one of the fewest pages, of these the first in the order
        above (the biggest tiles). None when no grid holds "Here first" and a town."""
        own = self.town_columns(width)
        best: tuple[int, int, int] | None = None  # (pages, columns, rows)
        for columns in [*range(own, max(own, width // 13) + 1), *range(own - 1, 1, -1)]:
            inner = self.tile_inner_width(width, columns)  # kiosk.tcss #towns: gutter 1, padding 1
            if inner < 12:
                continue
            lines = -(-(len(labels) + 1) // columns)  # the first tile takes two cells
            for rows in range(self.button_rows, NORMAL_TILE_ROWS - 1, -1):
                if paged:
                    per_page = room // rows * columns - 2
                    if per_page < 1 or not self._labels_whole(labels, inner, rows):
                        continue
                    pages = -(-(len(labels) - 1) // per_page)
                    if best is None or pages < best[0]:
                        best = (pages, columns, rows)
                elif lines * rows <= room and self._labels_whole(labels, inner, rows):
                    return columns, rows
        return best[1:] if best is not None else None

    @staticmethod
    def _labels_whole(labels: list[str], inner: int, rows: int) -> bool:
        """Each label whole in a tile `inner` columns wide and `rows` high (the first: two cells wide)."""
        return all(_whole(label, 2 * inner + 1 if i == 0 else inner, rows - 2) for i, label in enumerate(labels))

    def grid_rows(self, count: int, columns: int) -> int:
        """Rows a grid of `count` buttons in `columns` takes, with its gaps and padding (kiosk.tcss)."""
        lines = -(-count // columns)
        return lines * (self.button_rows + self.grid_gap) - self.grid_gap + 2 * self.grid_gap


def _whole(label: str, width: int, lines: int) -> bool:
    """Whether `label` shows whole in `width` columns on at most `lines` lines, no word split."""
    if lines <= 1:
        return cell_len(label) <= width
    return (max(map(cell_len, label.split()), default=0) <= width
            and len(Content(label).wrap(width)) <= lines)


def row_widths(least: list[int], stretch: list[bool], room: int) -> list[int] | None:
    """Widths for a row of buttons with `room` columns (gaps taken off): each at least its `least`,
    the `stretch` ones made as equal as the room allows; None when the least widths do not fit."""
    if sum(least) > room:
        return None
    widths = list(least)
    grow = [i for i, s in enumerate(stretch) if s]
    spare = room - sum(least)
    while spare > 0 and grow:
        smallest = min(widths[i] for i in grow)
        for i in grow:
            if widths[i] == smallest and spare > 0:
                widths[i] += 1
                spare -= 1
    return widths


NORMAL = Sizes(large=False, grid_gap=1, button_rows=3, tile_rows=NORMAL_TILE_ROWS, tile_width=33, max_tile_columns=5,
               tile_gutter=1,
               # speech hint 1, top bar 3, greeting 2, question 2, actions 4, note 1
               home_fixed_rows=13, max_home_tiles=20, card_rows=4, two_card_columns_from=140,
               town_tile_width=19, keyboard_share=0.4, keyboard_max_rows=20, key_width=12)
LARGE = Sizes(large=True, grid_gap=0, button_rows=5, tile_rows=5, tile_width=50, max_tile_columns=3, tile_gutter=2,
              # speech hint 1, top bar 3, question 2, actions 5, note 1 (no greeting: fewer elements)
              home_fixed_rows=12, max_home_tiles=9, card_rows=6, two_card_columns_from=10_000,
              town_tile_width=26, keyboard_share=0.5, keyboard_max_rows=26, key_width=18)


def sizes_for(large: bool) -> Sizes:
    return LARGE if large else NORMAL
