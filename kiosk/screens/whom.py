"""Help for whom? Me, my child, my parents, someone I care for: narrows the needs by visitor group."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button

from ..i18n import _, current_language
from ..spoken import utterance_parts
from ..widgets import BigButton, Plain
from .base import KioskScreen


class WhomScreen(KioskScreen):
    """The choice is kept in the app until Start is pressed again after idle reset."""

    def title_text(self) -> str:
        return _("Help for whom?")

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: the question and every choice."""
        ui = current_language()
        texts = [_("Who are you looking for help for?")] + [_(a.label) for a in self.kiosk.finder.audiences()]
        return utterance_parts([(text, ui) for text in texts])

    def compose_body(self) -> ComposeResult:
        yield Plain(_("Who are you looking for help for?"), id="prompt")
        with Grid(id="audiences"):
            for audience in self.kiosk.finder.audiences():
                yield BigButton(_(audience.label), id=f"whom-{audience.key}", classes="audience")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("whom-"):
            event.stop()
            key = button_id.removeprefix("whom-")
            chosen = next((a for a in self.kiosk.finder.audiences() if a.key == key), None)
            self.kiosk.count("audience", key)
            self.kiosk.audience = chosen
            await self.kiosk.go_home()
