"""One offer: what, for whom, where, when, contact, languages, access, cost; read aloud, QR, print,
and put on (or take off) the visitor's own list."""
from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button

from sync.offers import Offer

from ..i18n import _, current_language
from ..present import offer_content, offer_spoken
from ..services import ServiceError
from ..widgets import BigButton, Plain
from ..widgets.rtl import in_reading_order
from .base import KioskScreen


def spaced(content: Content) -> Content:
    """Larger text: a blank line after every line of the offer, the most line spacing a terminal
    has (a blank line that parts sections stays one)."""
    lines = [line for line in content.split("\n") if line.plain.strip()]
    return Content("\n\n").join(lines)


class OfferScreen(KioskScreen):
    """The whole offer as plain text, with big buttons to take it along."""

    def __init__(self, offer_id: str) -> None:
        super().__init__()
        self.offer_id = offer_id
        self._offer: Offer | None = None

    def title_text(self) -> str:
        return _("Offer")

    def slip_offer(self) -> Offer | None:
        return self._offer

    def spoken_parts(self) -> list[tuple[str, str]]:
        """The offer: name, what, for whom, when, where and how to get there, contact, costs."""
        if self._offer is None:
            return [(_("This offer is no longer in the catalogue."), current_language())]
        return offer_spoken(self._offer, self.kiosk.finder, self.kiosk.now())

    def announcement(self) -> list[tuple[str, str]]:
        """Speech mode: a visitor who opened an offer wants to hear it (any tap stops it)."""
        ui = current_language()
        return [(self.title_text() + ".", ui), *self.spoken_parts(),
                (_("Tap a button once to hear it, twice to choose it."), ui)]

    def compose_body(self) -> ComposeResult:
        kiosk = self.kiosk
        self._offer = self.safely(lambda: kiosk.catalogue.offer(self.offer_id), None)
        if self._offer is not None:
            kiosk.count("offer_viewed", self.offer_id)
        if self._offer is None:
            text = Plain(_("This offer is no longer in the catalogue."), classes="message")
        else:
            content = offer_content(self._offer, kiosk.finder, kiosk.now())
            text = Plain(spaced(content) if kiosk.sizes.large else content, id="offer-text")
        # Up/down beside the text, so that the row below keeps room for the long list label.
        scroll = Vertical(BigButton("▲ " + _("Up"), id="up", classes="scroll"),
                          BigButton("▼ " + _("Down"), id="down", classes="scroll"), id="offer-scroll")
        with Horizontal(id="offer-main"):  # right to left mirrored: the text on the right, up/down on its left
            yield from in_reading_order([VerticalScroll(text, id="offer-body"), scroll])
        missing = self._offer is None
        listed = self.offer_id in kiosk.my_list
        actions = [BigButton(self.keep_label(listed, kiosk.my_list.full), id="keep",
                             classes="-listed" if listed else None, disabled=missing and not listed),
                   BigButton(_("Show QR"), id="qr", disabled=missing)]
        if kiosk.printer.available:  # no printer: no button that can only fail
            actions.append(BigButton(_("Print"), id="print", disabled=missing))
        with Horizontal(id="offer-actions"):  # right to left mirrored: "Add to my list" on the right
            yield from in_reading_order(actions)

    @staticmethod
    def keep_label(listed: bool, full: bool = False) -> str:
        if listed:
            return _("Remove from my list")
        return _("My list is full") if full else _("Add to my list")

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_scroll_buttons)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_scroll_buttons)

    def _show_scroll_buttons(self) -> None:
        # Up/down only when the offer is longer than the screen: buttons that do nothing confuse.
        for body in self.query("#offer-body").results(VerticalScroll):
            for column in self.query("#offer-scroll"):
                column.display = body.max_scroll_y > 0

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        body = self.query_one("#offer-body", VerticalScroll)
        match event.button.id:
            case "qr" if self._offer is not None:
                self.show_qr(self._offer)
            case "print" if self._offer is not None:
                self.start_print(self._offer)
            case "keep":
                self.toggle_listed()
            case "up":
                body.scroll_page_up(animate=False)
            case "down":
                body.scroll_page_down(animate=False)
            case _:
                return  # Back, Read aloud and Home: KioskScreen's handler runs next
        event.stop()

    def toggle_listed(self) -> None:
        """Put the offer on the visitor's list or take it off; a full list says so."""
        kiosk = self.kiosk
        my_list = kiosk.my_list
        if self.offer_id in my_list:
            my_list.remove(self.offer_id)
            kiosk.tell(_("Taken off your list."))
        elif my_list.add(self.offer_id):
            kiosk.tell(_("On your list: {count} of at most {limit} offers.").format(
                count=len(my_list), limit=my_list.limit))
        else:
            kiosk.tell(_("Your list is full: at most {limit} offers.").format(limit=my_list.limit), "error")
            return
        kiosk.my_list_changed()

    def show_list_button(self) -> None:
        """The top bar's "My list (n)", and this offer's own button: on the list, or full."""
        super().show_list_button()
        listed = self.offer_id in self.kiosk.my_list
        for button in self.query("#keep").results(BigButton):
            button.label = self.keep_label(listed, self.kiosk.my_list.full)
            button.set_class(listed, "-listed")

    def show_qr(self, offer: Offer, note: str = "") -> None:
        from .qr import QrScreen

        qr = self.kiosk.qr
        if not qr.available:
            self.kiosk.tell(_("A QR code cannot be shown here."))
        elif qr.matrix(offer) is None:
            self.kiosk.tell(_("This offer has no web address or phone number for a QR code."))
        else:
            self.kiosk.count("offer_qr", offer.id)
            self.app.push_screen(QrScreen(offer, note))

    # Printing: every tap goes to the printer in a worker (lp or a receipt printer may take seconds);
    # the printer's own guard (kiosk.takeaway.printing.PrintGuard) is the one that turns a double tap into
    # one slip and lets a tap after a failure retry. Here only the answer is put into words.

    def start_print(self, offer: Offer) -> None:
        if not self.kiosk.printer.available:
            self.print_failed(offer, _("There is no printer here."))
            return
        self.kiosk.tell(_("Printing…"))
        self._print(offer, current_language())

    @work(thread=True, group="print")
    def _print(self, offer: Offer, language: str) -> None:
        try:
            sent = self.kiosk.printer.print_offer(offer, language)
        except ServiceError:  # the details (device, errno) are logged and kept on the printer
            self.app.call_from_thread(self.print_failed, offer, _("The printer is not working right now."))
        else:
            self.kiosk.count("offer_printed", offer.id)
            self.app.call_from_thread(self.kiosk.tell, _("The page is already being printed.") if sent is False
                                      else _("Printed. Please take the page from the printer."))

    def print_failed(self, offer: Offer, problem: str) -> None:
        """No dead end: say what went wrong and show the QR code to take the offer along instead."""
        qr = self.kiosk.qr
        if self.app.screen is self and qr.available and qr.matrix(offer) is not None:
            self.show_qr(offer, problem + " " + _("Take the QR code."))
        else:  # the visitor has moved on, or there is no code: the words alone
            self.kiosk.tell(problem, "error")
