"""The visitor's own list: the chosen offers as cards, each removable, printed or scanned together.

"Print all" sends ONE slip with every offer and its own code (`Printer.print_list`); "QR code"
shows the whole list as one code where the screen can show it, else one code per offer, paged
(`ListQrScreen`). A printer failure leads to that code, in plain words. "Done" ends the visit:
the list is forgotten, as at the idle reset.
"""
from __future__ import annotations

from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button

from sync.offers import Offer

from ..i18n import _, current_language
from ..present import card_content
from ..services import ServiceError
from ..sizes import NORMAL, Sizes
from ..speech import Part, utterance_parts
from ..widgets import BigButton, OfferCard, Plain
from ..widgets.rtl import in_reading_order, next_label, previous_label
from .base import KioskScreen

ROW_HEIGHT = NORMAL.card_rows  # a card of 3 rows and a blank row (larger text: kiosk/sizes.py)


def cards_per_page(height: int, count: int, sizes: Sizes = NORMAL) -> tuple[int, bool]:
    """(cards per page, paged?) for a screen `height` rows high: paging only when all do not fit."""
    return sizes.list_page(height, count)


class MyListScreen(KioskScreen):
    """The chosen offers; a tap on a card opens it, "Remove" takes it off the list."""

    SHOW_LIST = False  # this is the list

    def __init__(self) -> None:
        super().__init__()
        self.page = 0
        self._shown_version = -1
        self._shown_layout: tuple[int, bool] | None = None

    def title_text(self) -> str:
        my_list = self.kiosk.my_list
        return _("My list: {count} of at most {limit}").format(count=len(my_list), limit=my_list.limit)

    def offers(self) -> list[Offer]:
        """The listed offers the catalogue still has, in the order they were chosen."""
        catalogue = self.kiosk.catalogue
        found = [self.safely(partial(catalogue.offer, offer_id), None) for offer_id in self.kiosk.my_list]
        return [offer for offer in found if offer is not None]

    def spoken_parts(self) -> list[Part]:
        """Read aloud: the title, what the screen says, the offers on this page, the page."""
        ui = current_language()
        parts: list[Part] = [(self.title_text(), ui)] + [(t, ui) for t in self.shown_texts("#mylist-cards Plain")]
        parts += self.spoken_cards() + [(t, ui) for t in self.shown_texts("#mylist-pageinfo")]
        return utterance_parts(parts)

    def compose_body(self) -> ComposeResult:
        kiosk = self.kiosk
        ids = list(kiosk.my_list)
        self._shown_version = kiosk.my_list.version
        per_page, paged = self._shown_layout = cards_per_page(self.app.size.height, len(ids), kiosk.sizes)
        pages = max(1, -(-len(ids) // per_page))
        self.page = max(0, min(self.page, pages - 1))
        now = kiosk.now()
        with Vertical(id="mylist-cards"):
            if not ids:
                yield Plain(_("Your list is empty. On an offer, tap \u201cAdd to my list\u201d."), classes="message")
            for index, offer_id in enumerate(ids[self.page * per_page:(self.page + 1) * per_page]):
                offer = self.safely(partial(kiosk.catalogue.offer, offer_id), None)
                content = (Content(_("This offer is no longer in the catalogue.")) if offer is None
                           else card_content(offer, kiosk.finder, now))
                with Horizontal(classes="mylist-row"):  # right to left: the card on the right, Remove left
                    yield from in_reading_order([
                        OfferCard(offer_id, content, classes="card"),
                        BigButton("✕ " + _("Remove"), id=f"remove-{self.page * per_page + index}", classes="remove")])
        if paged:
            with Horizontal(id="mylist-paging"):  # right to left mirrored (kiosk/widgets/rtl.py)
                yield from in_reading_order([
                    BigButton(previous_label(), id="prev", disabled=self.page == 0),
                    Plain(_("Page {page} of {pages}").format(page=self.page + 1, pages=pages), id="mylist-pageinfo"),
                    BigButton(next_label(_("More")), id="next", disabled=self.page >= pages - 1)])
        actions = [BigButton(_("Print all"), id="print-all", disabled=not ids)] if kiosk.printer.available else []
        actions += [BigButton(_("QR code"), id="list-qr", disabled=not ids),  # no printer: no "Print all"
                    BigButton("✓ " + _("Done"), id="done", classes="done")]
        with Horizontal(id="mylist-actions"):
            yield from in_reading_order(actions)

    async def on_screen_resume(self) -> None:
        # Back from an offer: it may have been taken off the list there.
        if self.kiosk.my_list.version != self._shown_version:
            await self.rerender()

    async def on_resize(self) -> None:
        layout = cards_per_page(self.app.size.height, len(self.kiosk.my_list), self.kiosk.sizes)
        if self._shown_layout is not None and layout != self._shown_layout:
            await self.rerender()

    async def on_offer_card_chosen(self, event: OfferCard.Chosen) -> None:
        from .offer import OfferScreen

        event.stop()
        await self.app.push_screen(OfferScreen(event.offer_id))

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("remove-"):
            ids = list(self.kiosk.my_list)
            index = int(button_id.removeprefix("remove-"))
            if index < len(ids):
                self.kiosk.my_list.remove(ids[index])
                self.kiosk.tell(_("Taken off your list."))
                self.kiosk.my_list_changed()
            await self.rerender()
        elif button_id in ("prev", "next"):
            self.page = max(0, self.page + (1 if button_id == "next" else -1))
            await self.rerender(focus=button_id)
        elif button_id == "print-all":
            self.start_print()
        elif button_id == "list-qr":
            self.show_qr()
        elif button_id == "done":
            await self.kiosk.reset_to_home()
        else:
            return  # Back, Read aloud and Home: KioskScreen's handler runs next
        event.stop()

    def show_qr(self, note: str = "") -> None:
        from .qr import ListQrScreen

        offers = self.offers()
        if not self.kiosk.qr.available:
            self.kiosk.tell(_("A QR code cannot be shown here."))
        elif offers:
            for offer in offers:
                self.kiosk.count("offer_listed", offer.id)  # taken home via the list
            self.app.push_screen(ListQrScreen(offers, note))

    # Printing: as on the offer screen, every tap goes to the printer in a worker; the printer's
    # guard turns a double tap into one slip. A failure is told in plain words (the details are
    # logged and kept on the printer for the volunteer) and the list's QR code is shown instead.

    def start_print(self) -> None:
        offers = self.offers()
        if not offers:
            return
        if not self.kiosk.printer.available:
            self.print_failed(_("There is no printer here."))
            return
        self.kiosk.tell(_("Printing…"))
        self._print(offers, current_language())

    @work(thread=True, group="print")
    def _print(self, offers: list[Offer], language: str) -> None:
        try:
            sent = self.kiosk.printer.print_list(offers, language)
        except ServiceError:
            self.app.call_from_thread(self.print_failed, _("The printer is not working right now."))
        else:
            for offer in offers:
                self.kiosk.count("offer_listed", offer.id)  # taken home via the list
            self.app.call_from_thread(self.kiosk.tell, _("The page is already being printed.") if sent is False
                                      else _("Printed. Please take the page from the printer."))

    def print_failed(self, problem: str) -> None:
        """No dead end: the whole list as a QR code instead, or the words alone."""
        if self.app.screen is self and self.kiosk.qr.available:
            self.show_qr(problem + " " + _("Take the QR code."))
        else:
            self.kiosk.tell(problem, "error")
