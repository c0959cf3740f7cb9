"""The speech menu, opened by the corner button in speech mode: again, read this screen, read the
slip (on an offer), slower/faster, quieter/louder, speech mode off. Big buttons, two per row."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Button

from sync.offers import Offer

from ..i18n import _, current_language
from ..speech import Part, utterance_parts
from ..takeaway.slips import compose_slip, slip_parts
from ..widgets import BigButton
from .base import KioskScreen


class SpeechMenuScreen(KioskScreen):
    """What a visitor can change about speech; Back (or the corner button) returns."""

    SHOW_LIST = False
    REMEMBERED = False  # "Again" repeats what was said before the menu opened
    # "Speech mode off" leaves the menu saying "Speech mode is off.": when the menu's ScreenSuspend
    # arrives (after that utterance has started, or before its worker has started it) speech mode is
    # off, and the base class would cut the words off. Every other way out stops speaking itself
    # (Back, Home, the idle reset) or leaves only when nothing is said (the corner button).
    QUIET_WHEN_COVERED = False
    DEFAULT_CSS = """
    #speech-menu {
        grid-size: 2;
        grid-gutter: 0 1;
        padding: 0 1;
        height: 1fr;
    }
    #speech-menu > Button {
        width: 1fr;
        height: 1fr;
        min-height: 3;
    }
    """

    def __init__(self, below: KioskScreen) -> None:
        super().__init__()
        self.below = below

    def title_text(self) -> str:
        return _("Speech")

    def slip_offer(self) -> Offer | None:
        return self.below.slip_offer()

    def compose_body(self) -> ComposeResult:
        with Grid(id="speech-menu"):
            yield BigButton(_("Again"), id="again")
            yield BigButton(_("Read this screen"), id="read-screen")
            if self.slip_offer() is not None:
                yield BigButton(_("Read the slip"), id="read-slip")
            yield BigButton(_("Slower"), id="slower")
            yield BigButton(_("Faster"), id="faster")
            yield BigButton(_("Quieter"), id="quieter")
            yield BigButton(_("Louder"), id="louder")
            yield BigButton(_("Speech mode off"), id="speech-off")

    def announcement(self) -> list[Part]:
        ui = current_language()
        labels = [str(b.label) for b in self.query("#speech-menu Button").results(Button)]  # str(): plain text
        return [(self.title_text() + ".", ui), (". ".join(labels) + ".", ui)]

    def read_aloud(self) -> None:
        # The corner button on the menu: stop speaking, else back to where the visitor was.
        if self.kiosk.speaking:
            self.kiosk.stop_speaking()
        else:
            self.app.pop_screen()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        mode = self.kiosk.speech_mode
        match event.button.id:
            case "again":
                mode.repeat()
            case "read-screen":
                mode.say(self.below.spoken_parts())
            case "read-slip":
                mode.say(self.slip_parts())
            case "slower" | "faster":
                mode.change(rate=-1 if event.button.id == "slower" else 1)
            case "quieter" | "louder":
                mode.change(volume=-1 if event.button.id == "quieter" else 1)
            case "speech-off":
                self.app.pop_screen()
                mode.switch_off()
            case _:
                return
        event.stop()

    def slip_parts(self) -> list[Part]:
        """Everything the printed slip holds, in the order printed (EN 301 549 5.1.3.16)."""
        kiosk, offer = self.kiosk, self.slip_offer()
        if offer is None:  # no slip here: the menu shows no "Read the slip" then
            return []
        slip = compose_slip(offer, place_name=kiosk.settings.place.name, today=kiosk.now().date(),
                            language=current_language(), qr_content=kiosk.settings.qr.content)
        # The slip's words in the UI language's voice, its catalogue text in the catalogue's.
        return utterance_parts(slip_parts(slip))
