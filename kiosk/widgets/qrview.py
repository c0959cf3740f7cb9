"""A QR code as large as the space allows, in fixed black on white, with a caption under it.

The code is drawn from the qrcode matrix with half blocks (see `kiosk.qr.render_halfblocks`):
one module is at least one column wide and half a row high, about square on a terminal, and is
scaled up to n×n whenever the widget is large enough. It is re-drawn on every resize.
Nothing shown here is parsed as markup: the caption and messages are `Content`.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from sync.catalogue import Offer

from ..i18n import _
from ..qr import QrCode, render_halfblocks
from ..services import QrCodes


class QrCanvas(Widget):
    """Only the code: centred, black on white; a message in words if the space is too small."""

    DEFAULT_CSS = """
    QrCanvas {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        /* wrapping would strip the light spaces of the code and shift its columns */
        text-wrap: nowrap;
        text-overflow: clip;
        /* nothing may tint or fade the code: phones need full contrast */
        tint: transparent;
        text-opacity: 100%;
    }
    """

    def __init__(self, matrix: list[list[bool]] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._matrix = matrix

    def set_matrix(self, matrix: list[list[bool]] | None) -> None:
        self._matrix = matrix
        self.refresh()

    def render(self) -> Content:
        # Called again after every resize, so the code always uses the space it has now.
        if not self._matrix:
            return Content(_("There is no QR code for this offer."))
        size = self.content_size
        drawn = render_halfblocks(self._matrix, size.width, size.height)
        if drawn is None:
            return Content(_("The screen is too small to show the QR code."))
        return drawn


class QrView(Widget):
    """An offer's QR code filling the available space, with a caption saying what the phone gets.

    `QrView(matrix, caption)` with a matrix from `QrCodes.matrix()` (quiet zone included), or
    `QrView.for_offer(qr, offer)`, which also writes the caption when `qr` is a `kiosk.qr.QrMaker`.
    """

    DEFAULT_CSS = """
    QrView {
        layout: vertical;
        width: 1fr;
        height: 1fr;
    }
    QrView > .qr-caption {
        width: 1fr;
        height: auto;
        text-align: center;
    }
    """

    def __init__(self, matrix: list[list[bool]] | None = None, caption: str = "", *,
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._matrix = matrix
        self._caption = caption

    @classmethod
    def for_offer(cls, qr: QrCodes, offer: Offer, **kwargs) -> QrView:
        """The view of `offer`'s code; caption from the code's kind where the maker tells it."""
        code: QrCode | None = qr.code(offer) if hasattr(qr, "code") else None
        if code is not None:
            return cls(code.matrix, code.caption, **kwargs)
        return cls(qr.matrix(offer), "", **kwargs)

    def compose(self) -> ComposeResult:
        yield QrCanvas(self._matrix, classes="qr-code")
        yield Static(Content(self._caption), classes="qr-caption")

    def set_code(self, matrix: list[list[bool]] | None, caption: str = "") -> None:
        """Show another code (e.g. after a language change re-made the caption)."""
        self._matrix, self._caption = matrix, caption
        if self.is_mounted:
            self.query_one(QrCanvas).set_matrix(matrix)
            self.query_one(".qr-caption", Static).update(Content(caption))
