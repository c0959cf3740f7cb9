"""Choose the language: every offered language by its own name (flags are not languages)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button

from ..i18n import _, current_language, language_name, offered_languages
from ..spoken import utterance_parts
from ..widgets import BigButton
from .base import KioskScreen


class LanguageScreen(KioskScreen):
    """One big button per language; the choice applies at once and goes back."""

    def title_text(self) -> str:
        word = _("Language")
        return word if current_language() == "en" else f"{word} / Language"

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: "Language", then every language's name in that language, in its own voice."""
        offered = offered_languages(self.kiosk.settings.kiosk.languages)
        return utterance_parts([(_("Language"), current_language())] + [(language_name(c), c) for c in offered])

    def compose_body(self) -> ComposeResult:
        with Grid(id="languages"):
            for code in offered_languages(self.kiosk.settings.kiosk.languages):
                classes = "language -current" if code == current_language() else "language"
                yield BigButton(language_name(code), id=f"lang-{code}", classes=classes)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("lang-"):
            event.stop()
            await self.kiosk.set_language(button_id.removeprefix("lang-"))
            await self.kiosk.go_back()
