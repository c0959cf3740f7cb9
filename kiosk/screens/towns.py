"""Choose a town: the catalogue's own towns as big tiles; its offers then come first in a list."""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button

from ..i18n import _, current_language
from ..speech import CATALOGUE_LANGUAGE, utterance_parts
from ..widgets import BigButton, Plain
from ..widgets.rtl import grid_in_reading_order, in_reading_order, next_label, previous_label
from .base import KioskScreen

TOP_BAR_ROWS = 3


class TownLayout(NamedTuple):
    """How the towns page stands: `columns` of tiles `rows` high (None: this size's own tiles, the
    page scrolls), `per_page` towns a page (None: all on one)."""

    columns: int
    rows: int | None
    per_page: int | None


class TownScreen(KioskScreen):
    """Big tiles: "this place first" and every town of the catalogue, alphabetically.

    Every tile on the screen where they fit (more columns or lower tiles where this size's own do
    not, kiosk/sizes.py town_grid); else a page of them at a time, "Here first" on each, with the
    results' big Previous / "Page x of y" / More row: a finger cannot scroll, so no town may lie
    below the edge. Composed anew when the screen's size or the text size changes the grid, on the
    page that holds the town shown first (or the focused one)."""

    def __init__(self, chosen: str | None, on_choose: Callable[[str | None], None]) -> None:
        super().__init__()
        self.chosen = chosen
        self.on_choose = on_choose
        self._towns: list[str] = []
        self._layout = TownLayout(0, None, None)
        self._anchor: int | None = None  # the town whose page is shown (None: the chosen town's)
        self._first = 0  # the first town shown
        self._shown: list[str] = []

    def title_text(self) -> str:
        return _("Which town?")

    def prompt(self) -> str:
        return _("Offers in the town you choose come first, then the nearest.")

    def here_label(self) -> str:
        return _("Here first ({town})").format(town=self.kiosk.settings.place.town)

    def grid_layout(self) -> TownLayout:
        """Every tile on the screen where town_grid fits them; else pages of tiles above a paging
        row as high as a big button; where not even that fits, this size's own tiles, scrolling."""
        (width, height), sizes = self.app.size, self.kiosk.sizes
        prompt = 1 + len(Content(self.prompt()).wrap(width - 4))  # kiosk.tcss #prompt: margin and padding
        labels, room = [self.here_label(), *self._towns], height - TOP_BAR_ROWS - prompt
        fit = sizes.town_grid(labels, width, room)
        if fit is not None:
            return TownLayout(*fit, None)
        room -= sizes.button_rows  # kiosk.tcss #paging: as high as a big button
        paged = sizes.town_grid(labels, width, room, paged=True)
        if paged is not None:
            columns, rows = paged
            return TownLayout(columns, rows, room // rows * columns - 2)  # "Here first" takes two cells
        return TownLayout(sizes.town_columns(width), None, None)

    def compose_body(self) -> ComposeResult:
        self._towns = self.safely(self.kiosk.finder.towns, [])
        if self._anchor is None:
            self._anchor = self._towns.index(self.chosen) if self.chosen in self._towns else 0
        yield Plain(self.prompt(), id="prompt")
        columns, rows, per_page = self._layout = self.grid_layout()
        count = len(self._towns)
        page_size = per_page or max(1, count)
        pages = max(1, -(-count // page_size))
        page = min(self._anchor // page_size, pages - 1)
        first = self._first = page * page_size
        self._shown = self._towns[first:first + page_size]
        scroll = VerticalScroll(id="town-list")
        scroll.can_focus = False  # the keys go from tile to tile (each scrolled into view), not to the list
        with scroll:
            grid = Grid(id="towns")
            grid.styles.grid_size_columns = columns
            here = BigButton(self.here_label(), id="town-here", classes="chosen" if self.chosen is None else "")
            here.styles.column_span = 2  # a longer label than a town's
            tiles = [here] + [BigButton(town, id=f"town-{first + i}", classes="chosen" if town == self.chosen else "")
                              for i, town in enumerate(self._shown)]
            if rows is not None:  # all on the screen: each label in its tile's whole width (as town_grid)
                grid.styles.grid_rows = str(rows)
                for tile in tiles:
                    tile.styles.height = rows
                    tile.styles.padding = 0
                    tile.styles.line_pad = 0
                    tile.styles.text_wrap = "wrap" if rows > 3 else "nowrap"
            with grid:  # right to left each row from the right (kiosk/widgets/rtl.py)
                yield from grid_in_reading_order(tiles, columns)
        if pages > 1:
            with Horizontal(id="paging"):  # as on the results: right to left mirrored
                yield from in_reading_order([
                    BigButton(previous_label(), id="prev", disabled=page == 0),
                    Plain(_("Page {page} of {pages}").format(page=page + 1, pages=pages), id="pageinfo"),
                    BigButton(next_label(_("More")), id="next", disabled=page >= pages - 1)])

    async def on_resize(self) -> None:
        # Other columns, tiles or pages for the new size (the rows are composed mirrored right to left).
        if self.is_attached and self.grid_layout() != self._layout:
            focused = (self.focused.id or "") if self.focused is not None else ""
            if focused.removeprefix("town-").isdigit():  # the focused town stays on the screen
                self._anchor = int(focused.removeprefix("town-"))
            await self.rerender()

    def spoken_parts(self) -> list[tuple[str, str]]:
        ui = current_language()
        return utterance_parts([(self.title_text(), ui), (self.here_label(), ui),
                                *((town, CATALOGUE_LANGUAGE) for town in self._shown),
                                *((text, ui) for text in self.shown_texts("#pageinfo"))])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id in ("prev", "next"):
            event.stop()
            per_page = self._layout.per_page or max(1, len(self._towns))
            self._anchor = max(0, self._first + (per_page if button_id == "next" else -per_page))
            # Focus stays on the button pressed; where that is now off (the first or last page), the other.
            off = self._anchor == 0 if button_id == "prev" else self._anchor + per_page >= len(self._towns)
            await self.rerender(focus={"prev": "next", "next": "prev"}[button_id] if off else button_id)
        elif button_id.startswith("town-"):
            event.stop()
            key = button_id.removeprefix("town-")
            self.on_choose(None if key == "here" else self._towns[int(key)])
            await self.kiosk.go_back()
