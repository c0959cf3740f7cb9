"""What the phone gets: the data of an offer's QR code, and the same facts in words.

`payload(offer, mode)` decides what a phone gets (the offer's web page, a contact card, a `tel:`
link or a map link) and falls back to the next useful kind when the offer lacks the data;
`holds_text` says in words what a code holds (shown under the code, printed, read aloud).
`list_text(offers)` is a visitor's whole list as plain text (names, phones, addresses) for one code.
`phone_text` and `address_line` are how a phone number and an address are written everywhere a
visitor takes an offer along: on the screen's caption, on the slip and in the list's code.

Pure functions of the catalogue's data: no QR library, no screen, no printer; the printers use it
from a worker thread.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sync.text import CONTROL_CHARS

from ..i18n import N_, _

if TYPE_CHECKING:
    from sync.offers import Location, Offer

KINDS = ("web", "contact", "tel", "map")
# What to try when the configured kind has no data, in order. "auto" prefers the web page: it is
# the shortest code (scans from afar) and shows everything the offer has.
FALLBACKS = {
    "auto": ("web", "contact", "tel", "map"),
    "web": ("web", "contact", "tel", "map"),
    "contact": ("contact", "web", "tel", "map"),
    "tel": ("tel", "contact", "web", "map"),
    "map": ("map", "contact", "web", "tel"),
}
_CONTROL = re.compile(f"[\t\n{CONTROL_CHARS}]+")  # one line: tabs and line breaks go too


def clean(text: str | None) -> str:
    """One line of catalogue text without control characters (they would corrupt a card or a printer)."""
    # NFC: decomposed umlauts (u + combining diaeresis) would not encode in a printer's code page.
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text or "")).split())


# --- phone numbers ------------------------------------------------------------------------------

def dial_number(number: str | None, extension: str | None = None) -> str | None:
    """A phone number as digits with a leading + where it is international, or None.

    German numbers written nationally ("05481 123-45", "+49 (0) 5481 12345", "0049 5481 …") become
    +49…; short numbers without a trunk prefix (110, 116117, a local number) stay as they are, since
    adding +49 would break them. A German extension (Durchwahl) is dialled by appending its digits.
    """
    raw = clean(number)
    if not raw:
        return None
    raw = re.sub(r"\(0\)", "", raw)  # "+49 (0) 5481": the (0) is not dialled from abroad
    plus = raw.lstrip().startswith("+")
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return None
    if plus:
        result = "+" + digits
    elif digits.startswith("00"):
        result = "+" + digits[2:]
    elif digits.startswith("0"):
        result = "+49" + digits[1:]
    else:
        result = digits
    if result.startswith("+490"):  # "+49 05481": a national 0 left in an international number
        result = "+49" + result[4:]
    ext = re.sub(r"\D", "", clean(extension))
    if ext and result.startswith("+49"):
        result += ext
    return result if len(result.lstrip("+")) >= 3 else None


# HSDS 3 has no field for an emergency line: a phone says so in its `description` (free text) or
# `type`, e.g. "Notruf", "Notfall", "Krisentelefon", "emergency".
_EMERGENCY = re.compile(r"notruf|notfall|krisen|emergency|crisis", re.IGNORECASE)


def is_emergency(phone: Any) -> bool:
    return bool(_EMERGENCY.search(f"{phone.description or ''} {phone.type or ''}"))


def phones_first_emergency(offer: Offer) -> list[Any]:
    """The offer's phones, those marked as emergency lines first (stable otherwise)."""
    return sorted(offer.phones, key=lambda p: not is_emergency(p))


def phone_label(phone: Any) -> str:
    """A phone's own label as the catalogue writes it ("Notruf", "Zentrale"), or ""."""
    return clean(phone.description)[:40]


def phone_text(phone: Any) -> str:
    """A phone number as the catalogue writes it, with its extension: "05481 123-45"; "" if none."""
    number = clean(phone.number)
    ext = clean(phone.extension)
    return f"{number}-{ext}" if number and ext else number


def tel_uri(offer: Offer) -> str | None:
    """`tel:` URI (RFC 3966) of the offer's first usable phone number, an emergency line first."""
    for phone in phones_first_emergency(offer):
        number = dial_number(phone.number, phone.extension)
        if number:
            ext = re.sub(r"\D", "", clean(phone.extension))
            if ext and not number.startswith("+49"):  # abroad: the RFC 3966 way
                return f"tel:{number};ext={ext}"
            return f"tel:{number}"
    return None


# --- web, map -----------------------------------------------------------------------------------

def web_url(offer: Offer) -> str | None:
    """The offer's own page, else its organisation's website; http(s) only (never javascript: etc.)."""
    for candidate in (offer.url, offer.organization_website):
        url = clean(candidate).replace(" ", "")
        if not url:
            continue
        if re.match(r"(?i)^www\.", url):
            url = "https://" + url  # catalogues often leave the scheme out
        if re.match(r"(?i)^https?://[^/\s]+\.[^/\s]+", url):
            return url
    return None


def _first_location(offer: Offer) -> Location | None:
    return next((loc for loc in offer.locations if loc.address_1 or loc.city or loc.latitude is not None), None)


def _coordinates(offer: Offer) -> tuple[float, float] | None:
    for loc in offer.locations:
        if loc.latitude is not None and loc.longitude is not None:
            return loc.latitude, loc.longitude
    if offer.latitude is not None and offer.longitude is not None:
        return offer.latitude, offer.longitude
    return None


def _degrees(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")  # 5 decimals: about one metre


def map_url(offer: Offer) -> str | None:
    """An OpenStreetMap link with a marker at the offer's place.

    A web link rather than `geo:`: iPhone cameras do not open `geo:` URIs, while every phone opens a
    web page (and Android offers its map apps for openstreetmap.org links).
    """
    point = _coordinates(offer)
    if point is None:
        return None
    lat, lon = (_degrees(v) for v in point)
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}&zoom=17"


def address_line(offer: Offer) -> str | None:
    """"Münsterstraße 12, 49525 Lengerich" of the first location, or the offer's own address."""
    loc = _first_location(offer)
    if loc is not None:
        town = " ".join(p for p in (clean(loc.postal_code), clean(loc.city)) if p)
        parts = [p for p in (clean(loc.address_1), clean(loc.address_2), town) if p]
    elif clean(offer.address):  # a town alone is no address to go to
        parts = [p for p in (clean(offer.address), clean(offer.postal_code), clean(offer.town)) if p]
    else:
        return None
    return ", ".join(parts) or None


# --- contact cards ------------------------------------------------------------------------------

def _vcard_escape(text: str) -> str:
    """TEXT value escaping of RFC 2426 (vCard 3.0) section 4: backslash, comma, semicolon, newline."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _mecard_escape(text: str) -> str:
    """MeCard (NTT Docomo) escaping: backslash, semicolon, colon, comma and double quote."""
    return re.sub(r'([\\;:,"])', r"\\\1", text)


def _card_fields(offer: Offer) -> dict[str, Any] | None:
    phones = [n for p in offer.phones[:3] if (n := dial_number(p.number, p.extension))]
    email = clean(offer.email) or None
    address = address_line(offer)
    loc = _first_location(offer)
    street = bool(clean(offer.address)) if loc is None else bool(clean(loc.address_1))
    if not (phones or email or street):
        return None  # a card with only a name is nothing a visitor can use
    return {"name": clean(offer.name) or clean(offer.organization), "org": clean(offer.organization),
            "phones": phones, "email": email, "address": address, "loc": loc,
            "url": web_url(offer)}


def mecard(offer: Offer) -> str | None:
    """A MeCard: about half the size of a vCard, so the code stays scannable on a small screen."""
    f = _card_fields(offer)
    if f is None:
        return None
    parts = [f"N:{_mecard_escape(f['name'])}"]
    if f["org"] and f["org"] != f["name"]:
        parts.append(f"ORG:{_mecard_escape(f['org'])}")  # not in Docomo's list, but read by iOS and ZXing
    parts += [f"TEL:{n}" for n in f["phones"]]
    if f["email"]:
        parts.append(f"EMAIL:{_mecard_escape(f['email'])}")
    if f["address"]:
        parts.append(f"ADR:{_mecard_escape(f['address'])}")
    if f["url"]:
        parts.append(f"URL:{_mecard_escape(f['url'])}")
    return "MECARD:" + ";".join(parts) + ";;"


def vcard(offer: Offer) -> str | None:
    """A vCard 3.0 (RFC 2426), CRLF line ends, UTF-8 (the default charset of 3.0: no CHARSET=)."""
    f = _card_fields(offer)
    if f is None:
        return None
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{_vcard_escape(f['name'])};;;;", f"FN:{_vcard_escape(f['name'])}"]
    if f["org"]:
        lines.append(f"ORG:{_vcard_escape(f['org'])}")
    lines += [f"TEL;TYPE=WORK,VOICE:{n}" for n in f["phones"]]
    if f["email"]:
        lines.append(f"EMAIL;TYPE=INTERNET:{_vcard_escape(f['email'])}")
    loc = f["loc"]
    if loc is not None and (loc.address_1 or loc.city):
        street = ", ".join(p for p in (clean(loc.address_1), clean(loc.address_2)) if p)
        adr = ["", "", street, clean(loc.city), "", clean(loc.postal_code), ""]  # ADR: 7 components
        lines.append("ADR;TYPE=WORK:" + ";".join(_vcard_escape(p) for p in adr))
    elif f["address"]:
        lines.append("ADR;TYPE=WORK:;;" + _vcard_escape(f["address"]) + ";;;;")
    if f["url"]:
        lines.append(f"URL:{f['url']}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def makers(card: str) -> dict[str, Any]:
    """Per kind, the function that makes its data from an offer (None: the offer has none)."""
    return {"web": web_url, "contact": vcard if card == "vcard" else mecard, "tel": tel_uri, "map": map_url}


def kinds_for(offer: Offer, mode: str) -> tuple[str, ...]:
    """The kinds to try in order; an offer with an emergency line gives its phone first, always."""
    kinds = FALLBACKS.get(mode, FALLBACKS["auto"])
    if any(is_emergency(p) and dial_number(p.number) for p in offer.phones):
        return ("tel", *(k for k in kinds if k != "tel"))
    return kinds


def holds_text(offer: Offer, data: str, kind: str) -> str:
    """What a code holds, in words a visitor can read or hear: the number, the address, the page."""
    if kind == "tel":
        phone = next((p for p in phones_first_emergency(offer) if dial_number(p.number)), None)
        if phone is None:
            return data.removeprefix("tel:")
        label, number = phone_label(phone), phone_text(phone)
        return f"{label}: {number}" if label else number
    if kind == "map":
        return address_line(offer) or ""
    if kind == "contact":
        phone = next((clean(p.number) for p in phones_first_emergency(offer) if clean(p.number)), "")
        return ", ".join(t for t in (clean(offer.name), phone, address_line(offer) or "") if t)
    return data


def payload(offer: Offer, mode: str = "auto", *, card: str = "mecard") -> tuple[str, str] | None:
    """(data, kind) for the offer's QR code, kind one of "web", "contact", "tel", "map"; None if nothing.

    `mode` is `QrSettings.content`: auto, web, contact, tel or map. When the chosen kind has no data
    the next in `FALLBACKS[mode]` is used, so a visitor always gets something useful if there is any.
    `card` picks the contact format: "mecard" (default, smaller code) or "vcard".
    """
    make = makers(card)
    for kind in kinds_for(offer, mode):
        data = make[kind](offer)
        if data:
            return data, kind
    return None


def list_text(offers: Sequence[Offer], heading: str = "") -> str:
    """A visitor's list as text a phone shows as it is: per offer its name, phone numbers and address.

    Numbered, one blank line between offers, no labels (every byte makes the code larger); the
    phone numbers as the catalogue writes them, which phones offer to call.
    """
    blocks = [clean(heading)] if clean(heading) else []
    for i, offer in enumerate(offers, 1):
        lines = [f"{i}. {clean(offer.name) or clean(offer.organization)}"]
        lines += [number for phone in offer.phones[:2] if (number := phone_text(phone))]
        if address := address_line(offer):
            lines.append(address)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# --- captions -----------------------------------------------------------------------------------

CAPTIONS = {
    "web": N_("Your phone opens the web page of this offer."),
    "contact": N_("Your phone can save the contact details of this offer."),
    "tel": N_("Your phone can call the phone number of this offer."),
    "map": N_("Your phone shows the place of this offer on a map."),
    "list": N_("Your phone shows your list as text: names, phone numbers and addresses."),
}


def caption(kind: str) -> str:
    """What the phone will get, in the current UI language (English msgid when untranslated)."""
    return _(CAPTIONS.get(kind, CAPTIONS["web"]))
