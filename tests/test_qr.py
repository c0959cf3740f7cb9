"""What the kiosk's QR codes hold, checked by decoding every one with a real decoder (zxing-cpp)."""
from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

from kiosk.services import QrCodes
from kiosk.takeaway.codes import QUIET_ZONE, QrMaker, make_matrix
from kiosk.takeaway.halfblocks import SIDE_GAP, arrange, fit_scale, halfblock_lines, render_halfblocks
from kiosk.takeaway.payload import dial_number, map_url, mecard, payload, tel_uri, vcard, web_url
from sync.offers import Location, Offer, Phone


def offer(**over) -> Offer:
    base = dict(id="o1", name="Schuldnerberatung für Familien", organization="Diakonie Münsterland e.V.",
                town="Lengerich", location_name=None, latitude=None, longitude=None,
                url="https://www.diakonie-ml.de/schuldnerberatung", phones=(Phone("05481 12345"),),
                locations=(Location("Haus Ökumene", "Münsterstraße 12", None, "49525", "Lengerich",
                                    52.18751, 7.86602),))
    base.update(over)
    return Offer(**base)


BARE = dict(url=None, organization_website=None, phones=(), locations=(), email=None)


def decode(matrix: list[list[bool]], scale: int = 6) -> list[zxingcpp.Barcode]:
    """Decode a matrix drawn as a plain image (what the qrcode library would print)."""
    size = len(matrix)
    img = Image.new("L", (size, size), 255)
    img.putdata([0 if dark else 255 for row in matrix for dark in row])
    return zxingcpp.read_barcodes(img.resize((size * scale, size * scale), Image.NEAREST))


def halfblock_image(lines: list[str], scale: int = 4) -> Image.Image:
    """Half-block text (black on white) back into pixels: ▀ top dark, ▄ bottom dark, █ both."""
    img = Image.new("L", (max(map(len, lines)) * scale, len(lines) * 2 * scale), 255)
    for y, line in enumerate(lines):
        for x, ch in enumerate(line):
            for dy, dark in ((0, ch in "▀█"), (1, ch in "▄█")):
                if dark:
                    img.paste(0, (x * scale, (y * 2 + dy) * scale, (x + 1) * scale, (y * 2 + dy + 1) * scale))
    return img


# --- payloads -----------------------------------------------------------------------------------

def test_auto_prefers_the_offers_web_page():
    assert payload(offer(), "auto") == ("https://www.diakonie-ml.de/schuldnerberatung", "web")
    assert payload(offer(url=None, organization_website="www.diakonie-ml.de"), "auto") == \
        ("https://www.diakonie-ml.de", "web")


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x.de/a", "nur Text", "https://"])
def test_web_accepts_only_http_links(bad):
    assert web_url(offer(url=bad, organization_website=None)) is None


def test_auto_without_web_page_gives_a_contact_card():
    data, kind = payload(offer(url=None, organization_website=None), "auto")
    assert kind == "contact"
    assert data == ("MECARD:N:Schuldnerberatung für Familien;ORG:Diakonie Münsterland e.V.;TEL:+49548112345;"
                    "ADR:Münsterstraße 12\\, 49525 Lengerich;;")


def test_mecard_escapes_reserved_characters():
    card = mecard(offer(name='Hilfe; Rat, Tat: "Jetzt" \\ hier', url=None))
    assert card.startswith('MECARD:N:Hilfe\\; Rat\\, Tat\\: \\"Jetzt\\" \\\\ hier;')


def test_vcard_3_is_escaped_and_structured():
    card = vcard(offer(name="Rat, Tat; Hilfe", url=None, email="info@diakonie-ml.de",
                       phones=(Phone("05481 12345"), Phone("0800 1110111"))))
    assert card.split("\r\n") == [
        "BEGIN:VCARD", "VERSION:3.0", "N:Rat\\, Tat\\; Hilfe;;;;", "FN:Rat\\, Tat\\; Hilfe",
        "ORG:Diakonie Münsterland e.V.", "TEL;TYPE=WORK,VOICE:+49548112345", "TEL;TYPE=WORK,VOICE:+498001110111",
        "EMAIL;TYPE=INTERNET:info@diakonie-ml.de", "ADR;TYPE=WORK:;;Münsterstraße 12;Lengerich;;49525;",
        "END:VCARD", ""]


def test_control_characters_never_reach_a_card():
    card = mecard(offer(name="Böse\x1b]0;x\x07Name\nzwei", url=None))
    assert "\x1b" not in card and "\x07" not in card and "\n" not in card


def test_decomposed_umlauts_are_composed():
    assert mecard(offer(name="Mu\u0308nster", url=None)).startswith("MECARD:N:Münster;")


@pytest.mark.parametrize("number, ext, dial", [
    ("05481 12345", None, "+49548112345"),
    ("(05481) 123-45", None, "+49548112345"),
    ("+49 (0) 5481 12345", None, "+49548112345"),
    ("0049 5481 12345", None, "+49548112345"),
    ("+49 05481 12345", None, "+49548112345"),
    ("05481 123", "45", "+49548112345"),  # a German extension is dialled by appending it
    ("0800 111 0 111", None, "+498001110111"),
    ("116 117", None, "116117"),  # service and emergency numbers stay as they are
    ("110", None, "110"),
    ("+31 20 123 4567", None, "+31201234567"),
    ("Tel.: 0251/12345", None, "+4925112345"),
    ("keine", None, None),
    ("", None, None),
])
def test_dial_numbers(number, ext, dial):
    assert dial_number(number, ext) == dial


def test_tel_uri_of_the_first_usable_phone():
    assert tel_uri(offer(phones=(Phone("unbekannt"), Phone("05481 12345")))) == "tel:+49548112345"
    assert tel_uri(offer(phones=(Phone("+31 20 1234567", "12"),))) == "tel:+31201234567;ext=12"
    assert payload(offer(), "tel") == ("tel:+49548112345", "tel")


def test_map_link_from_coordinates():
    assert map_url(offer()) == "https://www.openstreetmap.org/?mlat=52.18751&mlon=7.86602&zoom=17"
    only_offer = offer(locations=(), latitude=52.2, longitude=7.5)
    assert payload(only_offer, "map") == ("https://www.openstreetmap.org/?mlat=52.2&mlon=7.5&zoom=17", "map")


@pytest.mark.parametrize("mode, missing, kind", [
    ("web", dict(url=None, organization_website=None), "contact"),
    ("contact", dict(phones=(), locations=(), email=None), "web"),
    ("tel", dict(phones=()), "contact"),
    ("map", dict(locations=()), "contact"),
    ("map", dict(locations=(), phones=(), url=None, organization_website=None, latitude=1.0, longitude=2.0), "map"),
    ("auto", dict(BARE, latitude=52.0, longitude=7.0), "map"),
])
def test_falls_back_when_the_chosen_kind_has_no_data(mode, missing, kind):
    assert payload(offer(**missing), mode)[1] == kind


def test_nothing_to_link():
    assert payload(offer(**BARE), "auto") is None
    assert QrMaker("auto").matrix(offer(**BARE)) is None


# --- matrices and decoding ----------------------------------------------------------------------

def test_qrmaker_implements_the_protocol_and_reads_settings():
    class QrSettings:
        content = "tel"

    maker = QrMaker(QrSettings())
    assert isinstance(maker, QrCodes) and maker.available
    assert maker.code(offer()).data == "tel:+49548112345"
    assert QrMaker("nonsense").content == "auto"


def test_matrix_has_a_four_module_light_quiet_zone():
    matrix = make_matrix("tel:110")
    assert len(matrix) == len(matrix[0]) == 21 + 2 * QUIET_ZONE  # version 1
    for row in matrix[:QUIET_ZONE] + matrix[-QUIET_ZONE:]:
        assert not any(row)
    for row in matrix:
        assert not any(row[:QUIET_ZONE]) and not any(row[-QUIET_ZONE:])
    assert matrix[QUIET_ZONE][QUIET_ZONE]  # the finder pattern starts right after it


@pytest.mark.parametrize("mode, card, kind", [
    ("web", "mecard", "web"), ("contact", "mecard", "contact"), ("contact", "vcard", "contact"),
    ("tel", "mecard", "tel"), ("map", "mecard", "map"),
])
def test_every_kind_decodes_to_its_payload(mode, card, kind):
    maker = QrMaker(mode, card=card)
    code = maker.code(offer(name="Frühstückstreff für Ältere – „Café Überall“", email="café@beispiel.de"))
    assert code.kind == kind
    found = decode(code.matrix)
    assert [b.text for b in found] == [code.data]
    assert found[0].ec_level in ("M", "Q", "H")  # error correction M or better
    if kind == "contact":
        assert "Frühstückstreff für Ältere" in found[0].text and "Münsterstraße" in found[0].text


def test_error_correction_is_raised_when_it_costs_no_size():
    assert decode(make_matrix("tel:110"))[0].ec_level == "H"


# --- half blocks --------------------------------------------------------------------------------

def test_fit_scale():
    assert fit_scale(33, 80, 23) == 1
    assert fit_scale(33, 160, 47) == 2
    assert fit_scale(33, 32, 40) == 0
    assert fit_scale(33, 200, 16) == 0  # 32 half rows < 33 modules


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_halfblocks_decode_at_every_scale(scale):
    matrix = make_matrix("MECARD:N:Jugendzentrum Örtchen;TEL:+49548112345;;")
    lines = halfblock_lines(matrix, scale)
    assert len(lines[0]) == len(matrix) * scale
    assert len(lines) == (len(matrix) * scale + 1) // 2
    found = zxingcpp.read_barcodes(halfblock_image(lines))
    assert [b.text for b in found] == ["MECARD:N:Jugendzentrum Örtchen;TEL:+49548112345;;"]


def test_render_halfblocks_is_explicit_black_on_white():
    content = render_halfblocks(make_matrix("tel:110"), 80, 23)
    assert content is not None
    spans = content.spans
    assert len(spans) == 1 and (spans[0].start, spans[0].end) == (0, len(content.plain))
    assert str(spans[0].style) == "#000000 on #ffffff"
    assert render_halfblocks(make_matrix("tel:110"), 20, 5) is None


# --- the code that fits ---------------------------------------------------------------------------

def test_codes_lists_every_kind_best_first():
    kinds = [c.kind for c in QrMaker("contact").codes(offer())]
    assert kinds == ["contact", "web", "tel", "map"]
    assert [c.kind for c in QrMaker("auto").codes(offer(url=None, organization_website=None))] == \
        ["contact", "tel", "map"]
    assert QrMaker().codes(offer(**BARE)) == []
    for code in QrMaker("contact").codes(offer()):
        assert [b.text for b in decode(code.matrix)] == [code.data]


def test_arrange_falls_back_to_a_smaller_code_and_puts_text_beside_when_that_helps():
    codes = QrMaker("contact").codes(offer())  # card 57+ modules, web 41, tel 33, map 45

    def one_line(code, width):
        return 1

    assert arrange(codes, 160, 45, one_line).code.kind == "contact"
    small = arrange(codes, 80, 21, one_line)  # the QR screen's space at 80x24
    assert (small.code.kind, small.scale, small.beside) == ("web", 1, True)  # 41 modules: 20 rows would not do
    assert small.text_width == 80 - 41 - SIDE_GAP
    assert arrange(codes, 80, 18, one_line).code.kind == "tel"
    assert arrange(codes, 30, 10, one_line) is None
    tel = arrange(QrMaker("tel").codes(offer()), 80, 23, one_line)
    assert (tel.code.kind, tel.beside) == ("tel", False)  # same size either way: the caption below


# --- a visitor's list as one code ---------------------------------------------------------------

def test_list_text_holds_names_phones_and_addresses_without_control_characters():
    from kiosk.takeaway import list_text

    offers = [offer(), offer(id="o2", name="Tafel\x1b[31m Ölde",
                             phones=(Phone("02571 55 66", "12"), Phone("0800 111")),
                             locations=(Location(None, None, None, None, "Emsdetten", None, None),)),
              offer(id="o3", name="", organization="Nur ein Träger", phones=(), locations=(), address=None)]
    text = list_text(offers, "Meine Liste")
    assert text == ("Meine Liste\n\n"
                    "1. Schuldnerberatung für Familien\n05481 12345\nMünsterstraße 12, 49525 Lengerich\n\n"
                    "2. Tafel [31m Ölde\n02571 55 66-12\n0800 111\nEmsdetten\n\n"
                    "3. Nur ein Träger")
    assert "\x1b" not in text


def test_list_code_decodes_to_the_list_text():
    offers = [offer(), offer(id="o2", name="Café Überall", phones=(Phone("05482 4711"),))]
    code = QrMaker().list_code(offers, "Meine Liste")
    assert code.kind == "list" and "names, phone numbers and addresses" in code.caption
    [found] = decode(code.matrix)
    assert found.text == code.data
    for words in ("Schuldnerberatung für Familien", "05481 12345", "Café Überall", "05482 4711"):
        assert words in found.text
