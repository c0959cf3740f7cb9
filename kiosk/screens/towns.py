"""Choose a town: the catalogue's own towns as big tiles; its offers then come first in a list."""
from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Button

from ..i18n import _, current_language
from ..speech import CATALOGUE_LANGUAGE, utterance_parts
from ..widgets import BigButton, Plain
from ..widgets.rtl import grid_in_reading_order
from .base import KioskScreen


class TownScreen(KioskScreen):
    """Big tiles: "this place first" and every town of the catalogue, alphabetically.

    Every tile on the screen where they fit (more columns or lower tiles where this size's own do
    not, kiosk/sizes.py town_grid), composed anew when the screen's size or the text size changes
    them; else the page scrolls."""

    def __init__(self, chosen: str | None, on_choose: Callable[[str | None], None]) -> None:
        super().__init__()
        self.chosen = chosen
        self.on_choose = on_choose
        self._towns: list[str] = []
        self._layout: tuple[int, int | None] = (0, None)

    def title_text(self) -> str:
        return _("Which town?")

    def prompt(self) -> str:
        return _("Offers in the town you choose come first, then the nearest.")

    def here_label(self) -> str:
        return _("Here first ({town})").format(town=self.kiosk.settings.place.town)

    def grid_layout(self) -> tuple[int, int | None]:
        """(columns, rows of a tile) where every tile fits on the screen; (this size's own
        columns, None) where not: then the tiles keep their own height and the page scrolls."""
        (width, height), sizes = self.app.size, self.kiosk.sizes
        prompt = 1 + len(Content(self.prompt()).wrap(width - 4))  # kiosk.tcss #prompt: margin and padding
        fit = sizes.town_grid([self.here_label(), *self._towns], width, height - 3 - prompt)  # top bar 3
        return fit if fit is not None else (sizes.town_columns(width), None)

    def compose_body(self) -> ComposeResult:
        self._towns = self.safely(self.kiosk.finder.towns, [])
        yield Plain(self.prompt(), id="prompt")
        columns, rows = self._layout = self.grid_layout()
        with VerticalScroll(id="town-list"):
            grid = Grid(id="towns")
            grid.styles.grid_size_columns = columns
            here = BigButton(self.here_label(), id="town-here", classes="chosen" if self.chosen is None else "")
            here.styles.column_span = 2  # a longer label than a town's
            tiles = [here] + [BigButton(town, id=f"town-{i}", classes="chosen" if town == self.chosen else "")
                              for i, town in enumerate(self._towns)]
            if rows is not None:  # all on the screen: each label in its tile's whole width (as town_grid)
                grid.styles.grid_rows = str(rows)
                for tile in tiles:
                    tile.styles.height = rows
                    tile.styles.padding = 0
                    tile.styles.line_pad = 0
                    tile.styles.text_wrap = "wrap" if rows > 3 else "nowrap"
            with grid:  # right to left each row from the right (kiosk/widgets/rtl.py)
                yield from grid_in_reading_order(tiles, columns)

    async def on_resize(self) -> None:
        # Other columns or tiles for the new size (the rows are composed mirrored right to left).
        if self.is_attached and self.grid_layout() != self._layout:
            await self.rerender()

    def spoken_parts(self) -> list[tuple[str, str]]:
        ui = current_language()
        return utterance_parts([(self.title_text(), ui), (self.here_label(), ui),
                                *((town, CATALOGUE_LANGUAGE) for town in self._towns)])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("town-"):
            event.stop()
            key = button_id.removeprefix("town-")
            self.on_choose(None if key == "here" else self._towns[int(key)])
            await self.kiosk.go_back()
