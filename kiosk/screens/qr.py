"""An offer's QR code on a screen of its own, as large as the terminal allows."""
from __future__ import annotations

from textual.app import ComposeResult

from sync.catalogue import Offer

from ..widgets.qrview import QrView
from .base import KioskScreen


class QrScreen(KioskScreen):
    """The code with a caption saying what the phone gets; Back returns to the offer."""

    def __init__(self, offer: Offer) -> None:
        super().__init__()
        self.offer = offer

    def title_text(self) -> str:
        # The offer's name is the title; every other row goes to the code, which needs them
        # at 80x24. The caption under the code says what the phone will get.
        return self.offer.name

    def compose_body(self) -> ComposeResult:
        yield QrView.for_offer(self.kiosk.qr, self.offer, id="qr-view")
