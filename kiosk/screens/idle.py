"""The short countdown before an idle reset: visible, and any touch keeps the visitor's place."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from ..i18n import _, ngettext
from ..widgets import BigButton, Plain


class IdleWarning(ModalScreen[None]):
    """"Are you still there?" with the seconds left; the app closes it on any input."""

    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(id="idle-box"):
            yield Plain(_("Are you still there?"), classes="heading")
            yield Plain(self.countdown_text(), id="countdown")
            yield BigButton(_("Yes, continue"), id="stay")

    def countdown_text(self) -> str:
        return ngettext("Back to the start in {n} second.", "Back to the start in {n} seconds.",
                        self.seconds).format(n=self.seconds)

    def set_seconds(self, seconds: int) -> None:
        if seconds != self.seconds:
            self.seconds = seconds
            self.query_one("#countdown", Plain).show(self.countdown_text())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()
