"""Help for whom? Me, my child, my parents, someone I care for: narrows the needs by visitor group.

The answers come from the need map's `[[audience]]` entries whose groups the catalogue tags, and
from the catalogue's own groups the map does not know (labelled with their names), see kiosk/topics.py.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button

from ..i18n import _, current_language
from ..speech import CATALOGUE_LANGUAGE, utterance_parts
from ..widgets import BigButton, Plain
from ..widgets.rtl import grid_in_reading_order
from .base import KioskScreen

COLUMNS = 2  # of the grid of choices


class WhomScreen(KioskScreen):
    """The choice is kept in the app until Start is pressed again after idle reset."""

    def title_text(self) -> str:
        return _("Help for whom?")

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: the question and every choice."""
        ui = current_language()
        parts = [(_("Who are you looking for help for?"), ui)]
        parts += [(a.text(), ui if a.translate else CATALOGUE_LANGUAGE)
                  for a in self.safely(self.kiosk.finder.audiences, [])]
        return utterance_parts(parts)

    def compose_body(self) -> ComposeResult:
        yield Plain(_("Who are you looking for help for?"), id="prompt")
        grid = Grid(id="audiences")
        grid.styles.grid_size_columns = COLUMNS
        with grid:  # right to left each row from the right (kiosk/widgets/rtl.py)
            yield from grid_in_reading_order(
                [BigButton(audience.text(), id=f"whom-{i}", classes="audience")
                 for i, audience in enumerate(self.safely(self.kiosk.finder.audiences, []))], COLUMNS)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("whom-"):
            event.stop()
            audiences = self.safely(self.kiosk.finder.audiences, [])
            index = int(button_id.removeprefix("whom-"))
            chosen = audiences[index] if index < len(audiences) else None
            if chosen is not None:
                self.kiosk.count("audience", chosen.key)
            self.kiosk.audience = chosen if chosen is not None and chosen.narrows else None
            await self.kiosk.go_home()
