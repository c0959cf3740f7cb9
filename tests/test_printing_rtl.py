"""Printed slips in a right-to-left language: shaped, right to left, right-aligned; the slip's own
text (and its QR code) stay logical. PDF read back with poppler, ESC/POS through its raster images."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.bidi import visual_line
from kiosk.takeaway.printing import _font_files, escpos_bytes, render_pdf, rtl_raster
from kiosk.takeaway.slips import compose_slip
from tests.test_printing import TODAY, decode_stream, offer, rasters

NAME = "دورة لغة ألمانية للنساء"
PHONE = "02572 123-45"


def arabic_offer():
    return offer(name=NAME, organization="مقهى الشاي", phones=(), url="https://example.org/kurs")


def test_an_arabic_slip_keeps_logical_text_and_knows_its_direction():
    slip = compose_slip(arabic_offer(), place_name="Teestube Lengerich", today=TODAY, language="ar")
    assert slip.rtl and not compose_slip(offer(), place_name="T", today=TODAY, language="de").rtl
    texts = [text for _kind, text in slip.paragraphs]
    assert NAME in texts and not any("\ufb50" <= c <= "\ufeff" for t in texts for c in t)  # no presentation forms
    assert slip.qr.data == "https://example.org/kurs"  # the code carries the logical payload


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_pdf_lines_are_right_aligned_and_shaped(tmp_path: Path):
    slip = compose_slip(arabic_offer(), place_name="Teestube Lengerich", today=TODAY, language="ar")
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(render_pdf([slip]))
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    import re

    words = [(float(x1), float(x2), w) for x1, x2, w in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                                                                   r'yMax="[\d.]+">([^<]*)<', html)]
    right_edge = 595.28 - 18 / 25.4 * 72 - 2.835  # A4 width minus the 18 mm margin and fpdf2's 1 mm cell padding
    arabic = [w for w in words if any("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in w[2])]
    assert arabic, words
    assert max(x2 for _x1, x2, _w in arabic) == pytest.approx(right_edge, abs=2)  # right-aligned
    assert min(x1 for x1, _x2, _w in arabic) > 100  # short Arabic lines do not start at the left margin
    # The title's first logical word is drawn at the right end of its line (right to left).
    first = max((w for w in arabic if w[1] > right_edge - 2), key=lambda w: w[1])
    assert first[2] in (visual_line("دورة"), "دورة")


def test_escpos_prints_arabic_as_a_picture_and_the_code_still_decodes():
    slip = compose_slip(arabic_offer(), place_name="Teestube Lengerich", today=TODAY, language="ar")
    stream = escpos_bytes([slip], width=42)
    assert decode_stream(stream) == ["https://example.org/kurs"]
    pictures = rasters(stream)
    assert len(pictures) > 3  # the title, the lines, the code, the note
    assert b"?" * 3 not in stream  # no letters lost to the code page
    german = escpos_bytes([compose_slip(offer(), place_name="T", today=TODAY, language="de")], width=42)
    assert len(rasters(german)) == 1  # German text stays text: only the QR code is a picture


def test_the_raster_line_is_right_aligned_and_fits_the_paper():
    if not _font_files():
        pytest.skip("DejaVu Sans is not installed")
    image = rtl_raster(f"الهاتف: {PHONE}", 504, _font_files()[0], 22)
    assert image.width == 504
    ink = image.convert("L").point(lambda v: 255 if v < 128 else 0).getbbox()  # the black dots
    assert ink is not None and ink[2] >= 504 - 6 and ink[0] > 200  # ends at the right margin, short line
    long = rtl_raster(" ".join([NAME] * 6), 504, _font_files()[0], 22)
    assert long.height > 2 * image.height  # wrapped into several lines, none cut off
