"""Taking an offer home, through the real app (Pilot): the QR screen decoded from the rendered
terminal cells with zxing-cpp, printing through a real CUPS server (cups-pdf, see tests/cups.py),
no printer or a failing one (the QR code instead), and a volunteer printing a whole list as one job.
"""
from __future__ import annotations

import asyncio
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import zxingcpp

from kiosk.app import make_app
from kiosk.screens.offer import OfferScreen
from kiosk.screens.qr import QrScreen
from kiosk.screens.volunteer import VolunteerScreen
from kiosk.takeaway import QrMaker
from kiosk.takeaway.printing import CupsPrinter
from kiosk.widgets.qrview import QrView
from tests.conftest import hsds_service, screen_text, small_services, tap
from tests.test_qr_view import cells_image, screen_cells

WEB = "https://www.caritas-tecklenburg.de/pflegeberatung"  # 49 bytes: version 4, 41 modules
WEB_OFFER = hsds_service("web", "Pflegeberatung Caritas", needs=("alter-pflege",), url=WEB,
                         phones=[{"number": "05481 4711"}])
# Phone and address only: the contact card is the preferred code, too large for 80x24.
CARD_OFFER = hsds_service("card", "Pflegeberatung im Tecklenburger Land", needs=("alter-pflege",),
                          phones=[{"number": "05481 1234"}])
CARD = ("MECARD:N:Pflegeberatung im Tecklenburger Land;ORG:Caritas Tecklenburger Land;TEL:+4954811234;"
        "ADR:Bahnhofstraße 1\\, 49525 Lengerich;;")
# Only a long web page and no place: nothing small enough for 80x24.
LONG_WEB = "https://www.example.org/angebote/beratung/" + "sehr-lange-adresse-" * 4 + "ende"
LONG_OFFER = hsds_service("long", "Beratung mit langer Adresse", town=None, url=LONG_WEB)

TODAY = date(2025, 3, 11)


def app_with(settings, catalogue, clock, **services):
    return make_app(settings, catalogue, clock=clock, qr=QrMaker(settings.qr), **services)


async def open_offer(app, pilot, offer_id: str) -> None:
    await pilot.pause()
    await app.push_screen(OfferScreen(offer_id))
    await pilot.pause()


def words(app) -> str:
    """The screen's words in reading order, without the code's blocks (a caption may sit beside it)."""
    return " ".join(re.sub("[▀▄█▔▁]", " ", screen_text(app)).split())


def decoded(app) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(cells_image(screen_cells(app)))]


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def print_fails(app, pilot, button: str, screen: type | None) -> str:
    """Tap the print button `button` with a printer that fails: the screen says so in plain words (and
    is the QR screen `screen`, when given). Returns the screen's words."""
    await tap(pilot, button)
    await settle(app, pilot)
    if screen is not None:
        assert isinstance(app.screen, screen)
    text = words(app)
    assert "Der Drucker geht gerade nicht. Nehmen Sie den QR-Code." in text  # plain words
    return text


# --- QR on screen -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("offer_id, expected, caption", [
    ("web", {(80, 24): WEB, (160, 48): WEB}, {(80, 24): "Internetseite", (160, 48): "Internetseite"}),
    # The card needs 57 modules: at 80x24 the phone number comes instead, and the caption says so.
    ("card", {(80, 24): "tel:+4954811234", (160, 48): CARD},
     {(80, 24): "Telefonnummer dieses Angebots anrufen", (160, 48): "Kontaktdaten dieses Angebots speichern"}),
])
async def test_show_qr_decodes_from_the_screen(settings, make_catalogue, clock, size, offer_id, expected, caption):
    app = app_with(settings, make_catalogue([WEB_OFFER, CARD_OFFER]), clock)
    async with app.run_test(size=size) as pilot:
        await open_offer(app, pilot, offer_id)
        await tap(pilot, "QR-Code zeigen")
        await pilot.pause()
        assert isinstance(app.screen, QrScreen)
        assert decoded(app) == [expected[size]]
        text = words(app)
        assert caption[size] in text
        assert "zu klein" not in text
        assert app.screen.query_one(QrView).shown.data == expected[size]


async def test_qr_follows_a_resize(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue([CARD_OFFER]), clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_offer(app, pilot, "card")
        await tap(pilot, "QR-Code zeigen")
        assert decoded(app) == [CARD]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert decoded(app) == ["tel:+4954811234"]
        assert "Telefonnummer" in screen_text(app)


async def test_nothing_fits_says_so_in_words(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue([LONG_OFFER]), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_offer(app, pilot, "long")
        await tap(pilot, "QR-Code zeigen")
        text = screen_text(app)
        assert "Der Bildschirm ist zu klein für den QR-Code." in text
        assert "▀" not in text and decoded(app) == []
        assert "Internetseite" not in text  # no caption promising what cannot be scanned
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        await pilot.pause()
        assert decoded(app) == [LONG_WEB]


# --- no printer, failing printer ----------------------------------------------------------------

async def test_no_printer_no_print_button(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue([WEB_OFFER]), clock)  # make_app's default: NoPrinter
    async with app.run_test(size=(80, 24)) as pilot:
        await open_offer(app, pilot, "web")
        labels = [b.label.plain for b in app.screen.query("Button") if b.display]
        assert "Drucken" not in labels and "QR-Code zeigen" in labels  # no button that can only fail
        await tap(pilot, "QR-Code zeigen")
        assert decoded(app) == [WEB]


class FailingPrinter:
    """A printer that fails like a jammed one (the real CUPS failures are in the CUPS tests)."""

    available = True

    def __init__(self) -> None:
        self.calls = 0

    def print_offer(self, offer, language):
        from kiosk.services import ServiceError

        self.calls += 1
        raise ServiceError("Papierstau")

    def print_offers(self, offers, language):
        return self.print_offer(offers[0], language)

    def test_page(self):
        return self.print_offer(None, "de")


async def test_failing_printer_offers_the_qr_code_and_allows_a_retry(settings, make_catalogue, clock):
    printer = FailingPrinter()
    app = app_with(settings, make_catalogue([CARD_OFFER]), clock, printer=printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_offer(app, pilot, "card")
        text = await print_fails(app, pilot, "Drucken", QrScreen)
        assert "Papierstau" not in text  # the details are for the volunteer
        assert decoded(app) == ["tel:+4954811234"]  # the note takes rows: still a code that helps
        await tap(pilot, "Zurück")
        await tap(pilot, "Drucken")  # a failure never blocks the next tap
        await settle(app, pilot)
        assert printer.calls == 2


# --- a real CUPS printer ------------------------------------------------------------------------


def cups_printer(cups) -> CupsPrinter:
    return CupsPrinter(cups.queue, place_name="Teestube Lengerich", today=lambda: TODAY)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


async def test_two_quick_taps_print_one_slip_through_cups(settings, make_catalogue, clock, cups):
    app = app_with(settings, make_catalogue([WEB_OFFER]), clock, printer=cups_printer(cups))
    before = len(cups.jobs())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_offer(app, pilot, "web")
        button = app.screen.query_one("#print")
        assert await pilot.click(button)
        await pilot.pause(0.3)  # slower than Button's own 0.2 s: both taps reach the screen
        assert await pilot.click(button)
        await settle(app, pilot)
        assert isinstance(app.screen, OfferScreen)  # no error, no QR detour
        [pdf] = await asyncio.to_thread(cups.wait_for_pdfs, 1)
        await asyncio.sleep(1.0)  # a second job, if one had been sent, would show up by now
        assert len(cups.pdfs()) == 1 and len(cups.jobs()) == before + 1
        text = pdf_text(pdf)
        assert "Pflegeberatung Caritas" in text and "Teestube Lengerich" in text
        assert "Gedruckt" in screen_text(app) or "schon gedruckt" in screen_text(app)


async def test_stopped_cups_queue_offers_the_qr_code_then_retry_prints(settings, make_catalogue, clock, cups):
    app = app_with(settings, make_catalogue([WEB_OFFER]), clock, printer=cups_printer(cups))
    cups.run("cupsdisable", "-r", "Papierstau in Fach 2", cups.queue)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_offer(app, pilot, "web")
        text = await print_fails(app, pilot, "Drucken", QrScreen)
        assert "Papierstau" not in text and "KioskPDF" not in text
        assert "Papierstau in Fach 2" in app.printer.last_error.reason  # kept for the volunteer menu
        assert decoded(app) == [WEB]
        cups.run("cupsenable", cups.queue)
        await tap(pilot, "Zurück")
        await tap(pilot, "Drucken")
        await settle(app, pilot)
        [pdf] = await asyncio.to_thread(cups.wait_for_pdfs, 1)
        assert "Pflegeberatung Caritas" in pdf_text(pdf)


async def test_volunteer_prints_a_list_as_one_job(settings, catalogue, clock, cups):
    app = app_with(settings, catalogue, clock, printer=cups_printer(cups))
    before = len(cups.jobs())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tap(pilot, "Treffen & Freizeit")
        names = ["Seniorentreff Teestube", "Jugendtreff Lengerich", "Lauftreff am See"]
        await pilot.press("f12", *settings.kiosk.volunteer_pin, "enter")
        await pilot.pause()
        assert isinstance(app.screen, VolunteerScreen)
        assert "Liste zum Drucken: Treffen & Freizeit (3 Angebote)." in screen_text(app)
        await tap(pilot, "Liste drucken")
        await settle(app, pilot)
        [pdf] = await asyncio.to_thread(cups.wait_for_pdfs, 1)
        assert len(cups.jobs()) == before + 1
        text = pdf_text(pdf)
        for name in names:
            assert name in text, text
        assert "3 Angebote als ein Auftrag an den Drucker geschickt." in screen_text(app)


async def test_volunteer_without_a_list_is_told_how(settings, catalogue, clock):
    app = app_with(settings, catalogue, clock, printer=FailingPrinter())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f12", *settings.kiosk.volunteer_pin, "enter")
        await pilot.pause()
        await tap(pilot, "Liste drucken")
        text = words(app)
        assert "öffnen Sie zuerst ein Thema oder eine Suche" in text
        assert app.printer.calls == 0


async def test_volunteer_prints_the_search_typed_last(settings, catalogue, clock):
    class Recorder(FailingPrinter):
        def print_offers(self, offers, language):
            self.offers = [o.name for o in offers]
            return True

    printer = Recorder()
    app = app_with(settings, catalogue, clock, printer=printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.search_text = "Pflege"
        await pilot.press("f12", *settings.kiosk.volunteer_pin, "enter")
        await pilot.pause()
        await tap(pilot, "Liste drucken")
        await settle(app, pilot)
        assert set(printer.offers) == {s["name"] for s in small_services() if "Pflege" in s["name"]}
        assert "als ein Auftrag an den Drucker geschickt" in screen_text(app)
