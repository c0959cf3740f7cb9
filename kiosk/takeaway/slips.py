"""What a printed slip says: one offer's slip, a visitor's whole list on one slip, the test page.

A `Slip` is the printer-independent content; `kiosk.takeaway.printing` renders it as a PDF page
(CUPS) or as ESC/POS bytes (receipt printer). Labels are translated into the slip's language;
catalogue text is printed as it is, without control characters (`payload.clean`). The code on
the slip is the one the screen shows first (`QrMaker.code`).

Read aloud ("Read the slip", `slip_parts`): the slip's own words in the slip's language, the
catalogue's text (names, addresses, a phone's label, the place) in the catalogue's language, as
the screen is read: each paragraph is a `Said` line that knows its parts.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..i18n import N_, is_rtl, translations
from ..speech.spoken import CATALOGUE_LANGUAGE, Part, Said, fill, parts_of
from .codes import QrCode, QrMaker, make_matrix
from .payload import CAPTIONS, address_line, clean, phone_label, phone_text

if TYPE_CHECKING:
    from sync.offers import Offer

Paragraph = tuple[str, str]  # (kind, text): kind "title", "heading", "text", "rule" or "footer"; text may be `Said`


@dataclass(frozen=True)
class Slip:
    """One slip: paragraphs, a QR code with its note; a list slip has `entries` and `closing` too.

    A list slip (`compose_list_slip`) prints `paragraphs` (its heading), then each entry (an offer's
    paragraphs and its own code) and `closing` (the footer), all on one slip: one cut, one job.
    """

    title: str
    paragraphs: tuple[Paragraph, ...]
    qr: QrCode | None = None
    qr_note: str = ""
    entries: tuple[Slip, ...] = ()
    closing: tuple[Paragraph, ...] = ()
    rtl: bool = False  # the slip's language is written right to left: printed right-aligned, shaped
    language: str = CATALOGUE_LANGUAGE  # of the slip's own words (labels, hours, notes)


def slip_pieces(slip: Slip) -> Iterator[tuple[tuple[Paragraph, ...], QrCode | None, str]]:
    """(paragraphs, code, note) in printing order: the slip itself, each entry, the closing lines."""
    yield slip.paragraphs, slip.qr, slip.qr_note
    for entry in slip.entries:
        yield entry.paragraphs, entry.qr, entry.qr_note
    if slip.closing:
        yield slip.closing, None, ""


def _date_text(day: date, language: str) -> str:
    try:
        from babel.dates import format_date
        return format_date(day, format="medium", locale=language)  # de: 05.03.2026
    except Exception:  # an unknown locale must not stop a slip
        return day.strftime("%d.%m.%Y")


def _catalogue(text: str) -> Said:
    return Said(text, [(text, CATALOGUE_LANGUAGE)])


def _offer_paragraphs(offer: Offer, t: Callable[[str], str], today: date, language: str,
                      name_kind: str = "title") -> list[Paragraph]:
    """Name, who offers it, place, address, phones, e-mail, web, opening hours."""
    from sync.hours_words import describe_week  # dateutil and babel: when the first slip is made

    name = clean(offer.name)
    paras: list[Paragraph] = [(name_kind, _catalogue(name))]
    if offer.organization and clean(offer.organization) != name:
        paras.append(("text", fill(t(N_("Offered by: {organization}")), language,
                                   organization=_catalogue(clean(offer.organization)))))
    place = next((clean(loc.name) for loc in offer.locations if clean(loc.name)), "")
    if place and place not in (name, clean(offer.organization)):
        paras.append(("text", _catalogue(place)))
    if address := address_line(offer):
        paras.append(("text", _catalogue(address)))
    for phone in offer.phones[:3]:
        if number := phone_text(phone):
            # The catalogue's own label ("Notruf", "Zentrale") is kept: it says which number to call.
            label = phone_label(phone)
            paras.append(("text", _catalogue(f"{label}: {number}") if label
                          else fill(t(N_("Phone: {number}")), language, number=number)))
    if email := clean(offer.email):
        paras.append(("text", fill(t(N_("Email: {email}")), language, email=email)))
    if url := clean(offer.url or offer.organization_website):
        paras.append(("text", fill(t(N_("Web: {url}")), language, url=url)))
    if offer.schedules:
        paras.append(("text", t(N_("Opening hours:"))))
        week = describe_week(offer.schedules, today, language, translations(language))
        paras += [("text", "  " + line) for line in week]
    return paras


def _footer(t: Callable[[str], str], place_name: str, today: date, language: str) -> list[Paragraph]:
    return [("rule", ""), ("footer", fill(t(N_("Printed at {place} on {date}")), language,
                                          place=_catalogue(clean(place_name)), date=_date_text(today, language)))]


def compose_slip(offer: Offer, *, place_name: str, today: date, language: str,
                 qr_content: str = "auto") -> Slip:
    """The slip of one offer in `language` (labels translated; catalogue text as it is)."""
    t = translations(language).gettext  # not `_`: a volunteer may print in another language than shown
    paras = _offer_paragraphs(offer, t, today, language) + _footer(t, place_name, today, language)
    qr = QrMaker(qr_content).code(offer)
    note = " ".join((t(N_("Scan the code with your phone's camera.")), t(CAPTIONS[qr.kind]))) if qr else ""
    return Slip(clean(offer.name), tuple(paras), qr, note, rtl=is_rtl(language), language=language)


def compose_list_slip(offers: Sequence[Offer], *, place_name: str, today: date, language: str,
                      qr_content: str = "auto") -> Slip:
    """A visitor's list on ONE slip: a heading, then per offer its words and its own code, one footer."""
    t = translations(language).gettext
    title = t(N_("My list"))
    heading: tuple[Paragraph, ...] = (("title", title), ("text", t(N_("Scan each code with your phone's camera."))))
    entries = []
    for offer in offers:
        qr = QrMaker(qr_content).code(offer)
        paras = [("rule", ""), *_offer_paragraphs(offer, t, today, language, name_kind="heading")]
        entries.append(Slip(clean(offer.name), tuple(paras), qr, t(CAPTIONS[qr.kind]) if qr else "",
                            rtl=is_rtl(language), language=language))
    return Slip(title, heading, entries=tuple(entries), closing=tuple(_footer(t, place_name, today, language)),
                rtl=is_rtl(language), language=language)


def slip_for_test_page(*, place_name: str, today: date, language: str, printer: str) -> Slip:
    """The volunteer's test page: German characters, the place, the printer, and a code to scan."""
    t = translations(language).gettext
    data = f"Dritte-Orte-Kiosk: {clean(place_name)} – äöüß €"
    paras = (("title", t(N_("Test page"))), ("text", t(N_("Printer: {printer}")).format(printer=printer)),
             ("text", t(N_("German characters: {chars}")).format(chars="ä ö ü Ä Ö Ü ß €")),
             ("rule", ""), ("footer", f"{clean(place_name)}, {_date_text(today, language)}"))
    return Slip(t(N_("Test page")), paras, QrCode(data, "test", make_matrix(data)),
                t(N_("Scan the code with your phone's camera.")), rtl=is_rtl(language), language=language)


def slip_text(slip: Slip) -> list[str]:
    """Everything a slip says, as lines to be read aloud: its words, the code's note, what it holds."""
    lines: list[str] = []
    for paragraphs, code, note in slip_pieces(slip):
        lines += [text.strip() for kind, text in paragraphs if kind != "rule" and text.strip()]
        if note:
            lines.append(note)
        if code is not None and code.holds:
            lines.append(code.holds)
    return lines


def slip_parts(slip: Slip) -> list[list[Part]]:
    """What `slip_text` says, as lines of (text, language) parts for `utterance_parts`: the slip's
    words in its language's voice, catalogue text (and what a code holds) in the catalogue's."""
    lines: list[list[Part]] = []
    for paragraphs, code, note in slip_pieces(slip):
        lines += [parts_of(text.strip() if not isinstance(text, Said) else text, slip.language)
                  for kind, text in paragraphs if kind != "rule" and text.strip()]
        if note:
            lines.append([(note, slip.language)])
        if code is not None and code.holds:
            lines.append([(code.holds, CATALOGUE_LANGUAGE)])
    return lines


def wrap_paragraphs(paragraphs: Sequence[Paragraph], width: int) -> list[str]:
    """Paragraphs as lines of at most `width` characters; continuation lines keep the indent."""
    lines: list[str] = []
    for kind, text in paragraphs:
        if kind == "rule":
            lines.append("-" * width)
            continue
        indent = text[: len(text) - len(text.lstrip())]
        lines += textwrap.wrap(text, width, subsequent_indent=indent * 2, break_long_words=True,
                               break_on_hyphens=False) or [""]
    return lines


def slip_lines(offer: Offer, *, place_name: str, today: date, width: int, language: str) -> list[str]:
    """The text of an offer's slip wrapped to `width` characters (the QR code is in `compose_slip`)."""
    slip = compose_slip(offer, place_name=place_name, today=today, language=language)
    return wrap_paragraphs(slip.paragraphs, width)


__all__ = ["Slip", "compose_list_slip", "compose_slip", "slip_for_test_page", "slip_lines", "slip_parts", "slip_pieces",
           "slip_text", "wrap_paragraphs"]
