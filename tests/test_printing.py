"""Slips and the ESC/POS printer: golden bytes from python-escpos's Dummy device, the QR code
decoded back out of the raster image in the byte stream, real device files and sockets, one slip
per tap, and every failure a ServiceError in words."""
from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from datetime import date

import pytest
import zxingcpp
from escpos.printer import Dummy
from PIL import Image

from kiosk.config import Settings
from kiosk.i18n import translations
from kiosk.services import NoPrinter, Printer, ServiceError
from kiosk.takeaway.printing import (
    CupsPrinter,
    EscposPrinter,
    PrintGuard,
    Slip,
    compose_list_slip,
    compose_slip,
    escpos_bytes,
    make_printer,
    open_escpos_device,
    plain,
    slip_lines,
    wrap_paragraphs,
)
from sync.offers import Location, Offer, Phone

TODAY = date(2026, 3, 5)  # a Thursday


def offer(**over) -> Offer:
    base = dict(id="o1", name="Schuldnerberatung für Familien", organization="Diakonie Münsterland e.V.",
                town="Lengerich", location_name=None, latitude=None, longitude=None,
                url="https://www.diakonie-ml.de/schuldnerberatung", phones=(Phone("05481 123", "45"),),
                schedules=({"freq": "WEEKLY", "byday": "MO,TU,WE", "opens_at": "09:00", "closes_at": "12:00"},),
                locations=(Location("Haus Ökumene", "Münsterstraße 12", None, "49525", "Lengerich", 52.1875, 7.866),))
    base.update(over)
    return Offer(**base)


def rasters(stream: bytes) -> list[Image.Image]:
    """The GS v 0 raster images in an ESC/POS stream (1 bit = a black dot), stacked per image."""
    images = []
    for m in re.finditer(rb"\x1dv0(.)(..)(..)", stream, re.S):
        xbytes, rows = int.from_bytes(m.group(2), "little"), int.from_bytes(m.group(3), "little")
        data = stream[m.end(): m.end() + xbytes * rows]
        img = Image.frombytes("1", (xbytes * 8, rows), bytes(b ^ 0xFF for b in data))  # PIL "1": 1 = white
        images.append(img)
    return images


def decode_stream(stream: bytes) -> list[str]:
    found = []
    for img in rasters(stream):
        framed = Image.new("L", (img.width + 80, img.height + 80), 255)  # the white paper around it
        framed.paste(img.convert("L"), (40, 40))
        found += [b.text for b in zxingcpp.read_barcodes(framed)]
    return found


# --- the slip's words ---------------------------------------------------------------------------

def test_slip_lines_say_what_where_when_and_who():
    t = translations("de").gettext
    lines = slip_lines(offer(), place_name="Teestube Lengerich", today=TODAY, width=42, language="de")
    text = "\n".join(lines)
    assert lines[0] == "Schuldnerberatung für Familien"
    assert t("Offered by: {organization}").format(organization="Diakonie Münsterland e.V.") in text
    assert "Haus Ökumene" in text and "Münsterstraße 12, 49525 Lengerich" in text
    assert t("Phone: {number}").format(number="05481 123-45") in text
    assert "Montag bis Mittwoch: 9:00–12:00" in text  # opening hours in words, in the slip's language
    assert "Teestube Lengerich" in " ".join(lines[-2:]) and "05.03.2026" in lines[-1]
    assert all(len(line) <= 42 for line in lines)


def test_slip_lines_wrap_long_text_to_the_paper():
    long = offer(name="Offener Treff für Alleinerziehende und ihre Kinder mit Frühstück und Beratung")
    lines = slip_lines(long, place_name="Teestube Lengerich", today=TODAY, width=20, language="en")
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines[:5]).startswith("Offener Treff für Alleinerziehende und ihre Kinder")
    assert "Monday to Wednesday: 9:00–12:00" in " ".join(line.strip() for line in lines)


def test_slip_carries_the_same_qr_payload_as_the_screen():
    slip = compose_slip(offer(), place_name="T", today=TODAY, language="de", qr_content="tel")
    assert (slip.qr.data, slip.qr.kind) == ("tel:+49548112345", "tel")
    assert compose_slip(offer(url=None, phones=(), locations=(), schedules=()), place_name="T", today=TODAY,
                        language="de").qr is None


# --- ESC/POS bytes ------------------------------------------------------------------------------

def test_golden_bytes_with_german_characters_in_cp858():
    slip = Slip("T", (("title", "Café Ölde"), ("text", "Grüße: 5 € – äöü ÄÖÜ ß"), ("rule", ""), ("footer", "x")))
    assert escpos_bytes([slip], codepage="CP858", width=24) == (
        b"\x1b@"  # ESC @: initialise, forget the last job's modes
        b"\x1bt\x13"  # ESC t 19: code page CP858 (CP850 with €), chosen explicitly
        b"\x1b!\x00\x1b!\x00\x1b!\x10\x1bE\x01\x1ba\x00"  # title: double height, bold, left
        b"Caf\x82 \x99lde\n"
        b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x00"  # normal size, not bold
        b"Gr\x81\xe1e: 5 \xd5 - \x84\x94\x81 \x8e\x99\x9a \xe1\n"  # ü ß € (0xD5), en dash made plain
        b"------------------------\n"
        b"x\n"
        b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00\x1ba\x01"  # centre for the QR block
        b"\x1ba\x00"
        b"\x1bd\x06\x1dV\x01"  # feed, partial cut
    )


def test_letters_outside_the_code_page_lose_accents_not_meaning():
    assert plain("Łódź – „Café“ …", lambda ch: ord(ch) < 128 or ch in "é") == 'Lodz - "Café" ...'
    stream = escpos_bytes([Slip("T", (("text", "Kolberg Łukasz 😀"),))])
    assert b"Kolberg Lukasz ?\n" in stream


def test_unknown_code_page_is_a_service_error():
    with pytest.raises(ServiceError, match="CP9999"):
        escpos_bytes([Slip("T", (("text", "x"),))], codepage="CP9999")


def test_qr_image_in_the_stream_decodes_to_the_payload():
    slip = compose_slip(offer(url=None), place_name="Teestube Lengerich", today=TODAY, language="de")
    assert slip.qr.kind == "contact"
    assert decode_stream(escpos_bytes([slip], width=42)) == [slip.qr.data]
    assert decode_stream(escpos_bytes([slip], width=32)) == [slip.qr.data]  # 58 mm paper


def test_native_qr_sends_the_utf8_payload_with_error_correction_m():
    slip = compose_slip(offer(url=None), place_name="T", today=TODAY, language="de")
    stream = escpos_bytes([slip], native_qr=True)
    data = slip.qr.data.encode("utf-8")
    assert b"\x1d(k\x03\x001E1" in stream  # GS ( k: error correction level M (48 + 1)
    assert b"\x1d(k" + (len(data) + 3).to_bytes(2, "little") + b"1P0" + data in stream


def test_several_offers_are_one_job_with_a_cut_each():
    stream = escpos_bytes([compose_slip(offer(id=str(i)), place_name="T", today=TODAY, language="de")
                           for i in range(3)])
    assert stream.count(b"\x1b@") == 1 and stream.count(b"\x1dV\x01") == 3
    assert decode_stream(stream) == ["https://www.diakonie-ml.de/schuldnerberatung"] * 3


# --- real devices -------------------------------------------------------------------------------

def test_file_device_gets_the_whole_job(tmp_path):
    device = tmp_path / "lp0"
    device.touch()
    printer = EscposPrinter(f"file:{device}", place_name="Teestube Lengerich", today=lambda: TODAY)
    printer.print_offer(offer(), "de")
    written = device.read_bytes()
    assert written.startswith(b"\x1b@\x1bt\x13") and written.endswith(b"\x1dV\x01")
    assert b"M\x81nsterstra\xe1e 12" in written
    assert decode_stream(written) == ["https://www.diakonie-ml.de/schuldnerberatung"]


def test_network_printer_gets_the_job(tmp_path):
    import socket
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    received = bytearray()

    def accept():
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = server.getsockname()[1]
    EscposPrinter(f"net:127.0.0.1:{port}", place_name="T", today=lambda: TODAY).test_page()
    thread.join(5)
    server.close()
    assert received.startswith(b"\x1b@\x1bt\x13") and "ä ö ü Ä Ö Ü ß €".encode("cp858") in received
    assert decode_stream(bytes(received)) == ["Dritte-Orte-Kiosk: T – äöüß €"]


@pytest.mark.parametrize("device, words", [
    ("file:/nonexistent/folder/lp0", "cannot print"),
    ("net:127.0.0.1:1", "cannot print"),
    ("usb:0x04b8:0x0202", "cannot print"),
    ("usb:zz", "not a device"),
    ("serial:/dev/ttyNONEXISTENT", "cannot print"),
])
def test_missing_receipt_printer_is_a_service_error_in_words(device, words):
    printer = EscposPrinter(device, place_name="T", timeout=3)
    with pytest.raises(ServiceError, match=words) as info:
        printer.print_offer(offer(), "de")
    assert "Traceback" not in str(info.value)


# --- one slip per tap ---------------------------------------------------------------------------

class Recorder:
    """Opens Dummy devices and keeps them, optionally slowly (a printer taking its time)."""

    def __init__(self, delay: float = 0.0, fail: int = 0) -> None:
        self.devices: list[Dummy] = []
        self.delay, self.fail = delay, fail

    def __call__(self) -> Dummy:
        time.sleep(self.delay)
        if self.fail:
            self.fail -= 1
            raise OSError("out of paper")
        self.devices.append(Dummy())
        return self.devices[-1]

    @property
    def jobs(self) -> int:
        return sum(1 for d in self.devices if d.output)


def test_double_tap_prints_once():
    rec = Recorder()
    printer = EscposPrinter("file:/dev/null", opener=rec, place_name="T", today=lambda: TODAY)
    printer.print_offer(offer(), "de")
    printer.print_offer(offer(), "de")  # 0.5 s later, say: Button lets it through
    assert rec.jobs == 1
    printer.print_offer(offer(id="o2"), "de")  # another offer is another slip
    printer.print_offer(offer(), "en")
    assert rec.jobs == 3


def test_a_tap_while_printing_is_ignored():
    rec = Recorder(delay=2.0)
    printer = EscposPrinter("file:/dev/null", opener=rec, place_name="T", today=lambda: TODAY)
    first = threading.Thread(target=printer.print_offer, args=(offer(), "de"))
    first.start()
    time.sleep(0.1)
    printer.print_offer(offer(), "de")
    assert first.is_alive()  # the tap returned while the first slip still prints: it did not wait
    first.join()
    assert rec.jobs == 1


def test_after_the_window_or_an_error_it_prints_again():
    now = [100.0]
    guard = PrintGuard(3.0, clock=lambda: now[0])
    assert guard.claim(("a",))
    guard.release(("a",), printed=True)
    now[0] += 2.9
    assert not guard.claim(("a",))
    now[0] += 0.2
    assert guard.claim(("a",))
    guard.release(("a",), printed=False)
    assert guard.claim(("a",))  # a failed print never blocks the retry

    rec = Recorder(fail=1)
    printer = EscposPrinter("file:/dev/null", opener=rec, place_name="T", today=lambda: TODAY)
    with pytest.raises(ServiceError, match="out of paper"):
        printer.print_offer(offer(), "de")
    printer.print_offer(offer(), "de")
    assert rec.jobs == 1


# --- choosing a printer -------------------------------------------------------------------------

def test_make_printer_follows_the_settings():
    s = Settings.defaults()
    assert isinstance(make_printer(s), NoPrinter)
    cups = make_printer(replace(s, printer=replace(s.printer, backend="cups", cups_queue="Buero")))
    assert isinstance(cups, CupsPrinter) and cups.queue == "Buero" and isinstance(cups, Printer)
    pos = make_printer(replace(s, printer=replace(s.printer, backend="escpos", escpos_device="net:127.0.0.1",
                                                  paper_width_chars=32)))
    assert isinstance(pos, EscposPrinter) and pos.width == 32 and pos.codepage == "CP858"
    assert pos.place_name == s.place.name


@pytest.mark.parametrize("spec, cls, attrs", [
    ("net:printer.local", "Network", {"host": "printer.local", "port": 9100}),
    ("net:192.0.2.5:9101", "Network", {"host": "192.0.2.5", "port": 9101}),
    ("serial:/dev/ttyUSB0", "Serial", {"devfile": "/dev/ttyUSB0", "baudrate": 9600}),
    ("serial:/dev/ttyUSB0:19200", "Serial", {"devfile": "/dev/ttyUSB0", "baudrate": 19200}),
    ("file:/dev/usb/lp0", "File", {"devfile": "/dev/usb/lp0"}),
    ("usb:0x04b8:0x0202", "Usb", {"usb_args": {"idVendor": 0x04B8, "idProduct": 0x0202}}),
])
def test_device_strings(spec, cls, attrs):
    device = open_escpos_device(spec)  # lazy: nothing is opened until the first write
    assert type(device).__name__ == cls
    for name, value in attrs.items():
        assert getattr(device, name) == value


# --- a visitor's list: one slip -------------------------------------------------------------------

LIST = [offer(id="a"), offer(id="b", name="Tafel Ölde", url="https://tafel.example/ölde",
                             phones=(Phone("02571 55 66"),), organization="Tafel e.V."),
        offer(id="c", name="Café Überall – Treffpunkt", url=None, phones=(Phone("05482 4711"),), schedules=())]


def test_list_slip_has_every_offer_with_its_code_and_one_footer():
    slip = compose_list_slip(LIST, place_name="Teestube Lengerich", today=TODAY, language="de")
    assert [entry.title for entry in slip.entries] == [o.name for o in LIST]
    assert [entry.qr.data for entry in slip.entries][:2] == ["https://www.diakonie-ml.de/schuldnerberatung",
                                                              "https://tafel.example/ölde"]
    assert slip.entries[2].qr.kind == "contact"
    lines = wrap_paragraphs([p for e in slip.entries for p in e.paragraphs], 42)
    for words in ("Anbieter: Tafel e.V.", "Telefon: 02571 55 66", "Münsterstraße 12, 49525 Lengerich",
                  "Öffnungszeiten:", "Telefon: 05482 4711"):
        assert any(words in line for line in lines), (words, lines)
    assert [kind for kind, _text in slip.closing] == ["rule", "footer"]
    assert "Gedruckt in Teestube Lengerich am 05.03.2026" in slip.closing[1][1]


def test_list_through_escpos_to_a_file_is_one_slip_with_every_name(tmp_path):
    device = tmp_path / "lp0"
    device.touch()
    printer = EscposPrinter(f"file:{device}", place_name="Teestube Lengerich", today=lambda: TODAY)
    assert printer.print_list(LIST, "de") is True
    written = device.read_bytes()
    assert written.count(b"\x1b@") == 1 and written.count(b"\x1dV\x01") == 1  # one job, one cut
    text = " ".join(written.decode("cp858", errors="replace").split())  # a long name wraps at 42 columns
    for name in ("Schuldnerberatung für Familien", "Tafel Ölde", "Café Überall - Treffpunkt"):
        assert name in text, text
    for phone in ("05481 123-45", "02571 55 66", "05482 4711"):
        assert phone in text
    found = decode_stream(written)
    assert found[:2] == ["https://www.diakonie-ml.de/schuldnerberatung", "https://tafel.example/ölde"]
    assert len(found) == 3 and found[2].startswith("MECARD:N:Café Überall – Treffpunkt;")
    assert printer.print_list(LIST, "de") is False  # a double tap: no second slip
    assert device.read_bytes() == written
    assert printer.print_list([], "de") is False


def test_a_failure_is_kept_for_the_volunteer_and_logged(tmp_path, caplog):
    printer = EscposPrinter(f"file:{tmp_path}/missing/lp0", place_name="T", today=lambda: TODAY, timeout=3)
    assert printer.last_error is None
    with caplog.at_level("WARNING", logger="kiosk.takeaway.printing"), pytest.raises(ServiceError):
        printer.print_list(LIST, "de")
    failure = printer.last_error
    assert failure is not None and f"{tmp_path}/missing/lp0" in failure.reason and "Errno 2" in failure.reason
    assert failure.printer.startswith("ESC/POS file:") and failure.when.tzinfo is not None
    assert f"{tmp_path}/missing/lp0" in caplog.text
    assert NoPrinter().last_error is None
