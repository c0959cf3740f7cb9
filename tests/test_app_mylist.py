"""A visitor's own list, through the real app (Pilot): chosen on offer screens, shown as cards,
printed as one slip through a real CUPS server (cups-pdf) or a real ESC/POS device file, taken
along as a QR code decoded from the rendered terminal cells with zxing-cpp, forgotten at the end.
"""
from __future__ import annotations

import asyncio
import re

import pytest

from kiosk.app import make_app
from kiosk.mylist import LIMIT
from kiosk.screens.home import HomeScreen
from kiosk.screens.mylist import MyListScreen
from kiosk.screens.offer import OfferScreen
from kiosk.screens.qr import ListQrScreen
from kiosk.takeaway import QrMaker
from kiosk.takeaway.printing import CupsPrinter, EscposPrinter
from kiosk.widgets.qrview import QrView
from tests.conftest import find_button, hsds_service, screen_text, tap, with_kiosk
from tests.test_app_kiosk import IdleTime, wait_idle
from tests.test_app_takeaway import TODAY, decoded, open_offer, pdf_text, print_fails, settle, words

# Names with umlauts and an ampersand, phones written as catalogues write them.
OFFERS = [
    hsds_service("a", "Schuldnerberatung Caritas", needs=("geld-aemter",), phones=[{"number": "05481 3030"}]),
    hsds_service("b", "Tafel Lengerich", needs=("geld-aemter",), phones=[{"number": "05481 99 88 7"}]),
    hsds_service("c", "Deutschkurs für Frauen & Mütter", needs=("ankommen-migration",), town="Tecklenburg",
                 phones=[{"number": "05482 4711"}]),
    hsds_service("d", "Wohngeld-Sprechstunde", needs=("geld-aemter",), phones=[{"number": "0251 12345"}]),
] + [hsds_service(f"x{i}", f"Treffpunkt Nummer {i}", needs=("treffen-freizeit",)) for i in range(1, 9)]
NAMES = {s["id"]: s["name"] for s in OFFERS}


def app_with(settings, catalogue, clock, **services):
    return make_app(settings, catalogue, clock=clock, qr=QrMaker(settings.qr), **services)


async def add_offer(app, pilot, offer_id: str) -> str:
    """Open an offer and tap its list button ("Auf meine Liste"); return what the title bar said."""
    await app.push_screen(OfferScreen(offer_id))
    await pilot.pause()
    assert await pilot.click("#keep")
    await pilot.pause()
    return title(app)


async def open_list(app, pilot, offer_ids: str, then: str | None = None) -> None:
    """Put these offers on the list, each from its offer screen, open the list and tap `then` there."""
    await pilot.pause()
    for offer_id in offer_ids:
        await add_offer(app, pilot, offer_id)
    await tap(pilot, f"Meine Liste ({len(offer_ids)})")
    if then is not None:
        await tap(pilot, then)


async def open_card(pilot, name: str) -> None:
    [card] = [c for c in pilot.app.screen.query("OfferCard") if name in c.visual.plain]
    assert await pilot.click(card)
    await pilot.pause()
    await pilot.pause()


def title(app) -> str:
    """The title bar's words (a message there wraps over its three rows)."""
    return " ".join(app.screen.query_one("#title").visual.plain.split())


def card_names(app) -> list[str]:
    return [n for n in NAMES.values() for c in app.screen.query("OfferCard") if c.visual.plain.startswith(n)]


def assert_big_targets(app, size) -> None:
    for widget in app.screen.query("*"):
        if widget.focusable and widget.region.area:
            assert widget.region.height >= 3 and widget.region.width >= 12, (widget, widget.region)
            assert widget.region.right <= size[0] and widget.region.bottom <= size[1], (widget, widget.region)


# --- the journey --------------------------------------------------------------------------------

async def test_two_on_the_list_one_removed_one_added_printed_through_cups(settings, make_catalogue, clock, cups):
    printer = CupsPrinter(cups.queue, place_name="Teestube Lengerich", today=lambda: TODAY)
    app = app_with(settings, make_catalogue(OFFERS), clock, printer=printer)
    before = len(cups.jobs())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Meine Liste" not in screen_text(app)  # an empty list has no button
        await tap(pilot, "Geld & Ämter")
        await open_card(pilot, "Schuldnerberatung Caritas")
        await tap(pilot, "Auf meine Liste")
        assert title(app) == "Auf Ihrer Liste: 1 von höchstens 8 Angeboten."
        assert find_button(app, "Von meiner Liste nehmen")
        assert find_button(app, "Meine Liste (1)")
        await tap(pilot, "Zurück")
        assert find_button(app, "Meine Liste (1)")  # the results screen below follows the list
        await open_card(pilot, "Tafel Lengerich")
        await tap(pilot, "Auf meine Liste")
        await tap(pilot, "Meine Liste (2)")
        assert isinstance(app.screen, MyListScreen)
        assert card_names(app) == ["Schuldnerberatung Caritas", "Tafel Lengerich"]
        assert_big_targets(app, (80, 24))
        await tap(pilot, "Entfernen")  # the first card's
        assert card_names(app) == ["Tafel Lengerich"]
        assert title(app) == "Meine Liste: 1 von höchstens 8"
        # Start keeps the list (a visitor chooses from several topics); a card opens its offer.
        await tap(pilot, "Start")
        await tap(pilot, "Ankommen & Migration")
        await open_card(pilot, "Deutschkurs für Frauen & Mütter")
        await tap(pilot, "Auf meine Liste")
        await tap(pilot, "Meine Liste (2)")
        assert card_names(app) == ["Tafel Lengerich", "Deutschkurs für Frauen & Mütter"]
        await open_card(pilot, "Deutschkurs für Frauen & Mütter")
        assert isinstance(app.screen, OfferScreen) and app.screen.offer_id == "c"
        await tap(pilot, "Zurück")
        await tap(pilot, "Alles drucken")
        await settle(app, pilot)
        assert title(app).startswith("Gedruckt")
        [pdf] = await asyncio.to_thread(cups.wait_for_pdfs, 1)
        assert len(cups.jobs()) == before + 1  # one job for the whole list
        text = pdf_text(pdf)
        for name, phone in (("Tafel Lengerich", "05481 99 88 7"), ("Deutschkurs für Frauen & Mütter", "05482 4711")):
            assert name in text and phone in text, text
        assert "Schuldnerberatung Caritas" not in text
        # Done ends the visit: the list is forgotten.
        await tap(pilot, "Fertig")
        assert isinstance(app.screen, HomeScreen) and len(app.my_list) == 0
        assert "Meine Liste" not in screen_text(app)


async def test_the_list_is_forgotten_at_the_idle_reset(settings, make_catalogue, clock):
    app = app_with(with_kiosk(settings, idle_seconds=60, idle_warning_seconds=10), make_catalogue(OFFERS), clock)
    app.idle_clock = IdleTime()
    app._last_input = app.idle_clock()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await add_offer(app, pilot, "a")
        await tap(pilot, "Start")
        assert isinstance(app.screen, HomeScreen) and find_button(app, "Meine Liste (1)")
        await wait_idle(app, pilot, 55)  # Home with a list is not pristine: the countdown runs
        await wait_idle(app, pilot, 6)
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert len(app.my_list) == 0
        assert "Meine Liste" not in screen_text(app)


async def test_full_at_eight_with_a_clear_word(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue(OFFERS), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ids = [s["id"] for s in OFFERS]
        for offer_id in ids[:LIMIT]:
            await add_offer(app, pilot, offer_id)
        assert LIMIT == 8 and len(app.my_list) == 8
        said = await add_offer(app, pilot, ids[LIMIT])
        assert len(app.my_list) == 8 and ids[LIMIT] not in app.my_list
        assert title(app) == "Ihre Liste ist voll: höchstens 8 Angebote.", said
        assert find_button(app, "Meine Liste ist voll")  # said before a tap, too
        await tap(pilot, "Meine Liste (8)")
        assert_big_targets(app, (80, 24))
        assert "Seite 1 von" in screen_text(app)  # 8 cards do not fit 80x24: paged
        shown = set(card_names(app))
        await tap(pilot, "Mehr")
        assert set(card_names(app)).isdisjoint(shown)


# --- the list as QR codes -----------------------------------------------------------------------

async def test_list_qr_holds_every_name_and_phone(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue(OFFERS), clock)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_list(app, pilot, "abc", then="QR-Code")
        assert isinstance(app.screen, ListQrScreen) and app.screen.page is None
        [text] = decoded(app)
        for sid, phone in (("a", "05481 3030"), ("b", "05481 99 88 7"), ("c", "05482 4711")):
            assert NAMES[sid] in text and phone in text, text
        assert "Bahnhofstraße 1, 49525 Lengerich" in text
        assert "Namen, Telefonnummern und Adressen" in words(app)
        spoken = " ".join(t for t, _lang in app.screen.spoken_parts())
        assert "Meine Liste" in spoken and "Telefonnummern" in spoken


async def test_list_too_large_for_80x24_is_one_code_per_offer_paged(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue(OFFERS), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot, "abc", then="QR-Code")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ListQrScreen) and screen.page == 0
        assert_big_targets(app, (80, 24))
        seen = []
        for sid in "abc":
            assert f"Angebot {'abc'.index(sid) + 1} von 3" in words(app) and title(app) == NAMES[sid]
            [code] = decoded(app)
            assert code == app.screen.query_one(QrView).shown.data
            seen.append(code)
            if sid != "c":
                await asyncio.sleep(0.25)  # a Button ignores a second press within 0.2 s (touch bounce)
                await tap(pilot, "Nächstes")
        assert seen == ["tel:+4954813030", "tel:+4954819988" + "7", "tel:+4954824711"]
        await app.set_language("en")  # every screen composes itself again, on the same page
        await pilot.pause()
        assert "Offer 3 of 3" in words(app) and title(app) == NAMES["c"] and find_button(app, "Next").disabled
        assert decoded(app) == ["tel:+4954824711"]
        # A larger screen takes the whole list in one code again.
        await pilot.resize_terminal(160, 48)
        for _ in range(4):
            await pilot.pause()
        assert screen.page is None
        [text] = decoded(app)
        assert all(NAMES[sid] in text for sid in "abc")


# --- no printer, a failing printer --------------------------------------------------------------

async def test_no_printer_no_print_buttons(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue(OFFERS), clock)  # make_app's default: NoPrinter
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await add_offer(app, pilot, "a")
        labels = [b.label.plain for b in app.screen.query("Button") if b.display]
        assert not any("Drucken" in label for label in labels), labels
        await tap(pilot, "Meine Liste (1)")
        labels = [b.label.plain for b in app.screen.query("Button") if b.display]
        assert "QR-Code" in labels and not any("drucken" in label.lower() for label in labels), labels


async def test_a_failing_printer_shows_the_whole_list_in_plain_words(settings, make_catalogue, clock, tmp_path):
    device = tmp_path / "no-such-dir" / "lp0"  # a receipt printer that is not there: a real OSError
    printer = EscposPrinter(f"file:{device}", place_name="Teestube Lengerich", today=lambda: TODAY)
    app = app_with(settings, make_catalogue(OFFERS), clock, printer=printer)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_list(app, pilot, "ab")
        text = await print_fails(app, pilot, "Alles drucken", ListQrScreen)
        assert str(tmp_path) not in text and "Errno" not in text and "lp0" not in text
        [code] = decoded(app)
        assert NAMES["a"] in code and NAMES["b"] in code
        # The details are kept for the volunteer.
        assert printer.last_error is not None and "lp0" in printer.last_error.reason
        assert "ESC/POS" in printer.last_error.printer


async def test_a_failing_printer_on_one_offer_gives_plain_words(settings, make_catalogue, clock, tmp_path):
    device = tmp_path / "gone" / "lp0"
    printer = EscposPrinter(f"file:{device}", place_name="Teestube Lengerich", today=lambda: TODAY)
    app = app_with(settings, make_catalogue(OFFERS), clock, printer=printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_offer(app, pilot, "a")
        text = await print_fails(app, pilot, "Drucken", None)
        assert "lp0" not in text and "Errno" not in text and not re.search(r"/\w", text)
        assert "lp0" in printer.last_error.reason


# --- languages, reading aloud, sizes ------------------------------------------------------------

async def test_english_labels_and_the_list_read_aloud(settings, make_catalogue, clock):
    app = app_with(settings, make_catalogue(OFFERS), clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.set_language("en")
        await app.push_screen(OfferScreen("b"))
        await pilot.pause()
        await tap(pilot, "Add to my list")
        assert find_button(app, "Remove from my list") and find_button(app, "My list (1)")
        await tap(pilot, "My list (1)")
        assert title(app) == "My list: 1 of at most 8"
        spoken = app.screen.spoken_parts()
        assert any(lang == "de" and "Tafel Lengerich" in text for text, lang in spoken)  # a German voice
        assert any(lang == "en" and "My list" in text for text, lang in spoken)
        await tap(pilot, "Remove")
        assert "Your list is empty" in words(app)
        assert find_button(app, "QR code").disabled


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_list_button_keeps_every_target_big(settings, make_catalogue, clock, size):
    app = app_with(settings, make_catalogue(OFFERS), clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for offer_id in "abcd":
            await add_offer(app, pilot, offer_id)
        assert_big_targets(app, size)  # an offer screen with "Meine Liste (4)"
        assert app.screen.query_one("#title").region.width >= 20  # the title keeps room for its messages
        await tap(pilot, "Start")
        assert isinstance(app.screen, HomeScreen) and find_button(app, "Meine Liste (4)")
        assert_big_targets(app, size)
        assert app.screen.query_one("#title").region.width >= 20
        await tap(pilot, "Meine Liste (4)")
        assert_big_targets(app, size)
