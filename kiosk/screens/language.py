"""Choose the language: every offered language by its own name (flags are not languages)."""
from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button

from ..i18n import _, current_language, language_name, offered_languages
from ..speech import utterance_parts
from ..widgets import BigButton
from ..widgets.rtl import grid_in_reading_order, rtl_active
from .base import KioskScreen


def button_id(code: str) -> str:
    """A widget id for a language code ("de_DE@easy" -> "lang-de_DE-easy": ids allow no "@")."""
    return "lang-" + re.sub(r"[^A-Za-z0-9_-]", "-", code)


class LanguageScreen(KioskScreen):
    """One big button per language; the choice applies at once and goes back."""

    def title_text(self) -> str:
        word = _("Language")
        return word if current_language() == "en" else f"{word} / Language"

    def offered(self) -> list[str]:
        return offered_languages(self.kiosk.settings.kiosk.languages)

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: "Language", then every language's name in that language, in its own voice."""
        return utterance_parts([(_("Language"), current_language())] + [(language_name(c), c) for c in self.offered()])

    def compose_body(self) -> ComposeResult:
        grid = Grid(id="languages")
        columns = grid.styles.grid_size_columns = self.columns(self.app.size.height)
        with grid:  # right to left each row from the right (kiosk/widgets/rtl.py)
            yield from grid_in_reading_order(
                [BigButton(language_name(code), id=button_id(code),
                           classes="language -current" if code == current_language() else "language")
                 for code in self.offered()], columns)

    async def on_resize(self) -> None:
        grids = self.query("#languages")
        if grids:
            columns = self.columns(self.size.height)
            if rtl_active() and columns != grids.first().styles.grid_size_columns:
                await self.recompose()  # the rows are composed mirrored: for other columns anew
            else:
                grids.first().styles.grid_size_columns = columns

    async def rerender(self, focus: str | None = None) -> None:
        await super().rerender(focus)
        await self.on_resize()

    def columns(self, height: int) -> int:
        """Two columns where all rows of buttons fit in height, else as many more as it takes, so
        that no language button lies below the screen's edge (ten languages at 80x24 fit in two)."""
        free = height - 3  # below the top bar
        count = max(1, len(self.offered()))
        columns = 2
        sizes = self.kiosk.sizes
        while columns < count and sizes.grid_rows(count, columns) > free:
            columns += 1
        return columns

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        codes = {button_id(code): code for code in self.offered()}
        if (code := codes.get(event.button.id or "")) is not None:
            event.stop()
            await self.kiosk.set_language(code)
            await self.kiosk.go_back()
