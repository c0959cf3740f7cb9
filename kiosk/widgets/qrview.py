"""A QR code as large as the space allows, in fixed black on white, with a caption under or beside it.

The code is drawn from the qrcode matrix with half blocks (see `kiosk.takeaway.halfblocks`):
one module is at least one column wide and half a row high, about square on a terminal, and is
scaled up to n×n whenever the widget is large enough. It is re-drawn on every resize.

A view can hold several codes for one offer, best first (`QrMaker.codes`: e.g. the contact card,
then the `tel:` link). On every resize it shows the first that fits (`halfblocks.arrange`), with the
caption of that code, so that a small screen shows a smaller code that still helps rather than
none. Only when nothing fits does it say so in words. After every arrangement it posts
`QrView.Arranged`, so that a screen can choose other codes (a visitor's list: one code for the
whole list where it fits, else a code per offer; see `kiosk.screens.qr.ListQrScreen`).
Nothing shown here is parsed as markup: the caption and messages are `Content`.
"""
from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from sync.offers import Offer

from ..i18n import _, current_language
from ..services import QrCodes
from ..speech import Part, parts_of
from ..takeaway.codes import QrCode
from ..takeaway.halfblocks import SIDE_GAP, Arrangement, arrange, render_halfblocks


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

    def __init__(self, matrix: list[list[bool]] | None = None, *, pending: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._matrix = matrix
        self._pending = pending  # the view has not measured its space yet: draw nothing for now

    def set_matrix(self, matrix: list[list[bool]] | None) -> None:
        self._matrix, self._pending = matrix, False
        self.refresh()

    def render(self) -> Content:
        # Called again after every resize, so the code always uses the space it has now.
        if self._pending:
            return Content("")
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
    `QrView(codes=[...])` with codes best first, or `QrView.for_offer(qr, offer)`, which asks the
    kiosk's `QrCodes` service for all the offer's codes. `note` is shown above the caption (e.g. why the
    slip could not be printed).
    """

    class Arranged(Message):
        """The view has chosen what to show for its size now (`shown`: None if nothing fits)."""

        def __init__(self, view: QrView, shown: QrCode | None) -> None:
            super().__init__()
            self.view, self.shown = view, shown

        @property
        def control(self) -> QrView:
            return self.view

    DEFAULT_CSS = """
    QrView {
        layout: vertical;
        width: 1fr;
        height: 1fr;
    }
    QrView.-beside {
        layout: horizontal;
        align: center middle;
    }
    QrView > .qr-caption {
        width: 1fr;
        height: auto;
        text-align: center;
    }
    QrView.-beside > .qr-caption {
        height: 1fr;
        padding-left: 2;  /* kiosk.takeaway.halfblocks.SIDE_GAP */
        content-align: left middle;
        text-align: left;
    }
    """

    def __init__(self, matrix: list[list[bool]] | None = None, caption: str = "", *,
                 codes: Sequence[QrCode] | None = None, note: str = "",
                 name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._codes: list[QrCode] = []
        self._captions: list[str] = []
        self._note = note
        self.shown: QrCode | None = None  # the code on screen now (None: none fits, or none at all)
        self._set(matrix, caption, codes)

    def _set(self, matrix: list[list[bool]] | None, caption: str, codes: Sequence[QrCode] | None) -> None:
        if codes is not None:
            self._codes, self._captions = list(codes), [code.caption for code in codes]
        elif matrix:
            self._codes, self._captions = [QrCode("", "", matrix)], [caption]
        else:
            self._codes, self._captions = [], [caption]

    @classmethod
    def for_offer(cls, qr: QrCodes, offer: Offer, **kwargs) -> QrView:
        """The view of `offer`'s codes, best first, each with the caption of its kind."""
        return cls(codes=qr.codes(offer), **kwargs)

    def compose(self) -> ComposeResult:
        yield QrCanvas(None, pending=bool(self._codes), classes="qr-code")
        yield Static(self._text(None), classes="qr-caption")

    def spoken_lines(self) -> list[list[Part]]:
        """What the text beside or under the code says now, as lines of (text, language) parts: the
        note, then the shown code's caption (what the code holds in the catalogue's voice)."""
        ui = current_language()
        lines = [[(self._note, ui)]] if self._note else []
        shown = next((i for i, code in enumerate(self._codes) if code is self.shown), None)
        caption = self._captions[shown] if shown is not None else ("" if self._codes else self._captions[0])
        return lines + ([parts_of(caption, ui)] if caption else [])

    def _text(self, index: int | None) -> Content:
        """The note (bold) and the caption of code `index` (none: the note alone, or the only caption)."""
        caption = self._captions[index] if index is not None else ("" if self._codes else self._captions[0])
        return self._with_note(caption)

    def _with_note(self, caption: str) -> Content:
        parts = [Content.styled(self._note, "bold")] if self._note else []
        if caption:
            parts.append(Content(caption))
        return Content("\n").join(parts)

    def _lines(self, index: int, width: int) -> int:
        return len(self._text(index).wrap(max(1, width))) if width > 0 else 10_000

    def on_resize(self, event: events.Resize) -> None:
        self._arrange()

    def would_fit(self, code: QrCode, *, extra_rows: int = 0) -> bool:
        """Whether `code` with its caption (and the note) fits this view, `extra_rows` taller."""
        size = self.content_size
        if size.width <= 0:
            return False

        def lines(found: QrCode, width: int) -> int:
            return len(self._with_note(found.caption).wrap(max(1, width))) if width > 0 else 10_000

        return arrange([code], size.width, size.height + extra_rows, lines) is not None

    def _arrange(self) -> None:
        """Pick the code that fits now and lay it out; called on every resize."""
        if not self.is_mounted:
            return
        size = self.content_size
        canvas, caption = self.query_one(QrCanvas), self.query_one(".qr-caption", Static)
        index = {id(code): i for i, code in enumerate(self._codes)}
        found: Arrangement | None = None
        if self._codes and size.width > 0 and size.height > 0:
            found = arrange(self._codes, size.width, size.height,
                            lambda code, width: self._lines(index[id(code)], width))
        self.shown = found.code if found else None
        beside = bool(found and found.beside)
        # Beside: the code exactly as wide as drawn and its text next to it, the pair centred.
        canvas.styles.width = len(found.code.matrix) * found.scale if found and beside else "1fr"
        caption.styles.width = found.text_width + SIDE_GAP if found and beside else "1fr"
        caption.update(self._text(index[id(found.code)] if found else None))
        # Nothing fits: the canvas gets the first code and says in words that it is too large.
        canvas.set_matrix(found.code.matrix if found else (self._codes[0].matrix if self._codes else None))
        self.set_class(beside, "-beside")
        self.post_message(self.Arranged(self, self.shown))

    def set_code(self, matrix: list[list[bool]] | None, caption: str = "") -> None:
        """Show another code (e.g. after a language change re-made the caption)."""
        self._set(matrix, caption, None)
        self._arrange()

    def set_codes(self, codes: Sequence[QrCode], note: str | None = None) -> None:
        """Show other codes, best first, and optionally another note."""
        if note is not None:
            self._note = note
        self._set(None, "", codes)
        self._arrange()
