"""Printing through a real CUPS server (private cupsd, cups-pdf queue; see tests/cups.py): the PDF
that comes out is rasterised (pdftoppm) and its QR code decoded, its text read (pdftotext).

Skipped, with the reason, where CUPS cannot run (not root, packages missing)."""
from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.services import ServiceError
from kiosk.takeaway.printing import CupsPrinter
from tests.test_printing import TODAY, offer


def printer(cups, **kw) -> CupsPrinter:
    return CupsPrinter(cups.queue, place_name="Teestube Lengerich", today=lambda: TODAY, **kw)


def pdf_pages(pdf: Path, tmp_path: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(tmp_path / "page")], check=True,
                   capture_output=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_slip_through_cups_decodes_and_reads(cups, tmp_path):
    printer(cups).print_offer(offer(), "de")
    [pdf] = cups.wait_for_pdfs(1)
    [page] = pdf_pages(pdf, tmp_path)
    assert [b.text for b in zxingcpp.read_barcodes(page)] == ["https://www.diakonie-ml.de/schuldnerberatung"]
    text = pdf_text(pdf)
    for words in ("Schuldnerberatung für Familien", "Diakonie Münsterland e.V.", "Münsterstraße 12",
                  "05481 123-45", "9:00–12:00", "Teestube Lengerich", "05.03.2026"):
        assert words in text, text


def test_contact_card_with_umlauts_survives_cups(cups, tmp_path):
    printer(cups, qr_content="contact").print_offer(offer(), "de")
    [pdf] = cups.wait_for_pdfs(1)
    [found] = zxingcpp.read_barcodes(pdf_pages(pdf, tmp_path)[0])
    assert found.text.startswith("MECARD:N:Schuldnerberatung für Familien;ORG:Diakonie Münsterland e.V.;")
    assert "ADR:Münsterstraße 12\\, 49525 Lengerich;" in found.text


def test_double_tap_is_one_job(cups):
    p = printer(cups)
    before = len(cups.jobs())
    taps = [threading.Thread(target=p.print_offer, args=(offer(), "de")) for _ in range(2)]
    for tap in taps:
        tap.start()
    for tap in taps:
        tap.join()
    p.print_offer(offer(), "de")  # a third tap a moment later
    cups.wait_for_pdfs(1)
    assert len(cups.jobs()) == before + 1 and len(cups.pdfs()) == 1


def test_several_offers_are_one_job_with_a_page_each(cups, tmp_path):
    offers = [offer(id="a"), offer(id="b", name="Tafel Ölde", url="https://tafel.example/ölde"),
              offer(id="c", name="Café Überall", url=None)]
    before = len(cups.jobs())
    printer(cups).print_offers(offers, "de")
    [pdf] = cups.wait_for_pdfs(1)
    assert len(cups.jobs()) == before + 1
    pages = pdf_pages(pdf, tmp_path)
    assert [[b.text for b in zxingcpp.read_barcodes(page)] for page in pages] == [
        ["https://www.diakonie-ml.de/schuldnerberatung"], ["https://tafel.example/ölde"],
        [zxingcpp.read_barcodes(pages[2])[0].text]]
    assert zxingcpp.read_barcodes(pages[2])[0].text.startswith("MECARD:N:Café Überall;")


def test_test_page(cups, tmp_path):
    printer(cups).test_page()
    [pdf] = cups.wait_for_pdfs(1)
    assert "ä ö ü Ä Ö Ü ß €" in pdf_text(pdf)
    assert [b.text for b in zxingcpp.read_barcodes(pdf_pages(pdf, tmp_path)[0])] == \
        ["Dritte-Orte-Kiosk: Teestube Lengerich – äöüß €"]


def test_unknown_queue(cups):
    with pytest.raises(ServiceError, match="Printer Nirgendwo cannot print: this printer queue does not exist"):
        CupsPrinter("Nirgendwo", place_name="T").print_offer(offer(), "de")


def test_stopped_printer_gives_the_reason(cups):
    cups.run("cupsdisable", "-r", "Papierstau in Fach 2", cups.queue)
    with pytest.raises(ServiceError, match="cannot print: Papierstau in Fach 2"):
        printer(cups).print_offer(offer(), "de")
    cups.run("cupsenable", cups.queue)
    printer(cups).print_offer(offer(), "de")  # the failure did not block the retry
    cups.wait_for_pdfs(1)


def test_queue_not_accepting_jobs(cups):
    cups.run("cupsreject", "-r", "voll", cups.queue)
    with pytest.raises(ServiceError, match="does not accept jobs"):
        printer(cups).print_offer(offer(), "de")


def test_cups_not_running(cups, monkeypatch, tmp_path):
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-such.sock"))
    with pytest.raises(ServiceError, match=r"CUPS\) is not running"):
        printer(cups).print_offer(offer(), "de")


def test_missing_lp(cups):
    p = printer(cups, lp="/nonexistent/lp", lpstat="/nonexistent/lpstat")
    assert not p.available
    with pytest.raises(ServiceError, match="not installed"):
        p.print_offer(offer(), "de")


def test_jammed_printer_says_so(cups):
    jammed = cups.add_jammed_queue()
    with pytest.raises(ServiceError, match=r"cannot print: paper jam \(Paper jam in tray 1\)"):
        CupsPrinter(jammed, place_name="T").print_offer(offer(), "de")


def test_a_visitors_list_is_one_job_with_every_name_and_code(cups, tmp_path):
    from tests.test_printing import LIST

    before = len(cups.jobs())
    assert printer(cups).print_list(LIST, "de") is True
    [pdf] = cups.wait_for_pdfs(1)
    assert len(cups.jobs()) == before + 1
    text = pdf_text(pdf)
    for words in ("Meine Liste", "Schuldnerberatung für Familien", "Tafel Ölde", "Café Überall – Treffpunkt",
                  "Diakonie Münsterland e.V.", "Münsterstraße 12", "05481 123-45", "02571 55 66", "05482 4711",
                  "9:00–12:00", "Teestube Lengerich"):
        assert words in text, text
    assert text.count("Gedruckt in") == 1  # one footer: one slip, not a slip per offer
    codes = [b.text for page in pdf_pages(pdf, tmp_path) for b in zxingcpp.read_barcodes(page)]
    assert "https://www.diakonie-ml.de/schuldnerberatung" in codes and "https://tafel.example/ölde" in codes
    assert any(code.startswith("MECARD:N:Café Überall – Treffpunkt;") for code in codes) and len(codes) == 3
