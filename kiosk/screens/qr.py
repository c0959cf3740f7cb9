"""QR codes on a screen of their own, as large as the terminal allows: one offer's, or a whole list's."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from sync.offers import Offer

from ..i18n import _, current_language
from ..speech import CATALOGUE_LANGUAGE, Part, utterance_parts
from ..takeaway.codes import QrCode
from ..widgets import BigButton, Plain
from ..widgets.qrview import QrView
from ..widgets.rtl import in_reading_order, next_label, previous_label
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

    def spoken_parts(self) -> list[Part]:
        """Read aloud: the offer's name (German), then what the caption says the phone gets."""
        return utterance_parts([(self.offer.name, CATALOGUE_LANGUAGE), *_view_lines(self)])

    def announcement(self) -> list[Part]:
        """Speech mode: the whole caption, with what the code holds (a number, an address)."""
        return self.spoken_parts()

    def compose_body(self) -> ComposeResult:
        yield QrView.for_offer(self.kiosk.qr, self.offer, note=self.note, id="qr-view")


class ListQrScreen(KioskScreen):
    """A visitor's list to take along with a phone, in as few scans as the screen allows.

    One code holding the whole list as text (names, phones, addresses: `takeaway.payload.list_text`) when
    it fits the screen as it is now; otherwise one code per offer, paged with big buttons (each
    the best of that offer's codes that fits, as on the offer's own QR screen). The choice is made
    again on every resize. `note` is said above the caption (e.g. the printer did not work).
    """

    SHOW_LIST = False  # Back leads to the list

    def __init__(self, offers: list[Offer], note: str = "") -> None:
        super().__init__()
        self.offers = offers
        self.note = note
        self.page: int | None = None  # None: the whole list in one code

    def title_text(self) -> str:
        # Paged: the offer's name is the title (the widest text row above the code).
        return _("My list") if self.page is None else self.offers[self.page].name

    def whole_code(self) -> QrCode:
        return self.kiosk.qr.list_code(self.offers, _("My list"))

    def spoken_parts(self) -> list[Part]:
        """Read aloud: the title, the note and caption, and which offer this page shows."""
        ui = current_language()
        heading: list[Part] = [(self.title_text(), ui)] if self.page is None else \
            [(self.offers[self.page].name, CATALOGUE_LANGUAGE), (self.page_text(), ui)]
        return utterance_parts([*heading, *_view_lines(self)])

    def announcement(self) -> list[Part]:
        return self.spoken_parts()

    def page_text(self) -> str:
        return _("Offer {number} of {count}").format(number=(self.page or 0) + 1, count=len(self.offers))

    def compose_body(self) -> ComposeResult:
        codes = [self.whole_code()] if self.page is None else self.kiosk.qr.codes(self.offers[self.page])
        yield QrView(codes=codes, note=self.note, id="qr-view")
        paging = Horizontal(id="qr-paging")
        paging.display = self.page is not None and len(self.offers) > 1
        last = self.page is None or self.page >= len(self.offers) - 1
        with paging:  # filled here too: a language switch composes the screen again; mirrored right to left
            yield from in_reading_order([
                BigButton(previous_label(), id="prev", disabled=not self.page),
                Plain(self.page_text() if self.page is not None else "", id="qr-pageinfo"),
                BigButton(next_label(_("Next")), id="next", disabled=last)])

    def on_qr_view_arranged(self, event: QrView.Arranged) -> None:
        """Choose again for the size now: the whole list if it fits, else a code per offer."""
        event.stop()
        view = event.view
        if self.page is None and event.shown is None:
            self.page = 0  # too large for this screen: a page per offer
        elif self.page is not None and view.would_fit(self.whole_code(), extra_rows=self._paging_rows()):
            self.page = None  # the screen grew: one scan again
        else:
            return
        self._show_page()

    def _paging_rows(self) -> int:
        return self.kiosk.sizes.button_rows if len(self.offers) > 1 else 0

    def _show_page(self) -> None:
        view = self.query_one(QrView)
        self._show_paging()
        for title in self.query("#title").results(Plain):
            title.show(self.title_text())
        if self.page is None:
            view.set_codes([self.whole_code()])
        else:
            view.set_codes(self.kiosk.qr.codes(self.offers[self.page]))

    def _show_paging(self) -> None:
        paged = self.page is not None and len(self.offers) > 1
        for row in self.query("#qr-paging"):
            row.display = paged
        if self.page is None:
            return
        self.query_one("#qr-pageinfo", Plain).show(self.page_text())
        self.query_one("#prev", BigButton).disabled = self.page == 0
        self.query_one("#next", BigButton).disabled = self.page >= len(self.offers) - 1

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("prev", "next") and self.page is not None:
            event.stop()
            self.kiosk.stop_speaking()
            self.page = max(0, min(len(self.offers) - 1, self.page + (1 if event.button.id == "next" else -1)))
            self._show_page()


def _view_lines(screen: KioskScreen) -> list[list[Part]]:
    """The spoken lines of the screen's QR view (its note and caption), none before it is composed."""
    return [line for view in screen.query(QrView) for line in view.spoken_lines()]
