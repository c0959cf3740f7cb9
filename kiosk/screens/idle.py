"""The countdown before an idle reset (WCAG 2.2.1): visible, spoken in speech mode, at least 20 s
before the reset (`[kiosk] idle_warning_seconds`); any touch anywhere gives the full time again, as
often as the visitor needs."""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from ..i18n import _, ngettext
from ..widgets import BigButton, Plain
from .context import kiosk_of


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

    def on_mount(self) -> None:
        kiosk_of(self.app).speech_mode.idle_warning(_("Are you still there?") + " " + self.countdown_text())

    def _forward_event(self, event: events.Event) -> None:
        # A tap anywhere on the warning is the visitor's answer (also one that misses the button).
        if isinstance(event, (events.MouseDown, events.MouseUp)):
            kiosk_of(self.app).note_input()
        super()._forward_event(event)

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
