"""Choose a town: the catalogue's own towns as big tiles; its offers then come first in a list."""
from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Button

from ..i18n import _, current_language
from ..speech import CATALOGUE_LANGUAGE, utterance_parts
from ..widgets import BigButton, Plain
from ..widgets.rtl import grid_in_reading_order
from .base import KioskScreen


class TownScreen(KioskScreen):
    """Big tiles: "this place first" and every town of the catalogue, alphabetically."""

    def __init__(self, chosen: str | None, on_choose: Callable[[str | None], None]) -> None:
        super().__init__()
        self.chosen = chosen
        self.on_choose = on_choose
        self._towns: list[str] = []

    def title_text(self) -> str:
        return _("Which town?")

    def compose_body(self) -> ComposeResult:
        self._towns = self.safely(self.kiosk.finder.towns, [])
        place = self.kiosk.settings.place
        yield Plain(_("Offers in the town you choose come first, then the nearest."), id="prompt")
        columns = self.kiosk.sizes.town_columns(self.app.size.width)  # 4 at 80, 6 at 120, 8 at 160
        with VerticalScroll(id="town-list"):
            grid = Grid(id="towns")
            grid.styles.grid_size_columns = columns
            here = BigButton(_("Here first ({town})").format(town=place.town), id="town-here",
                             classes="chosen" if self.chosen is None else "")
            here.styles.column_span = 2  # a longer label than a town's
            tiles = [here] + [BigButton(town, id=f"town-{i}", classes="chosen" if town == self.chosen else "")
                              for i, town in enumerate(self._towns)]
            with grid:  # right to left each row from the right (kiosk/widgets/rtl.py)
                yield from grid_in_reading_order(tiles, columns)

    def spoken_parts(self) -> list[tuple[str, str]]:
        ui = current_language()
        place = self.kiosk.settings.place
        return utterance_parts([(self.title_text(), ui), (_("Here first ({town})").format(town=place.town), ui),
                                *((town, CATALOGUE_LANGUAGE) for town in self._towns)])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("town-"):
            event.stop()
            key = button_id.removeprefix("town-")
            self.on_choose(None if key == "here" else self._towns[int(key)])
            await self.kiosk.go_back()
