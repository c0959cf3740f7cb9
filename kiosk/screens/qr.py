"""An offer's QR code on a screen of its own, as large as the terminal allows."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from sync.catalogue import Offer

from ..i18n import current_language
from ..spoken import CATALOGUE_LANGUAGE, utterance_parts
from ..widgets.qrview import QrView
from .base import KioskScreen


class QrScreen(KioskScreen):
    """The code with a caption saying what the phone gets; Back returns to the offer.

    `note` is said above the caption, e.g. that the slip could not be printed: the code is then
    the way to take the offer along instead.
    """

    def __init__(self, offer: Offer, note: str = "") -> None:
        super().__init__()
        self.offer = offer
        self.note = note

    def title_text(self) -> str:
        # The offer's name is the title; every other row goes to the code, which needs them
        # at 80x24. The caption under the code says what the phone will get.
        return self.offer.name

    def spoken_parts(self) -> list[tuple[str, str]]:
        """Read aloud: the offer's name (German), then what the caption says the phone gets."""
        captions = [w.visual.plain for w in self.query(".qr-caption").results(Static) if w.display]
        return utterance_parts([(self.offer.name, CATALOGUE_LANGUAGE)] + [(t, current_language()) for t in captions])

    def compose_body(self) -> ComposeResult:
        yield QrView.for_offer(self.kiosk.qr, self.offer, note=self.note, id="qr-view")
