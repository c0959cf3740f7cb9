"""Offers in words: the lines of a result card, the sections of the offer screen, the spoken text.

Catalogue text is only ever placed into `Content` as plain text (never parsed as markup), so a
name like ``[@click=app.quit]x[/]`` shows exactly as written. Styles come from our own constants.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal
from textual.content import Content

from sync.catalogue import Offer, OfferSummary, distance_km
from sync.hours import describe_status, describe_week, status_at

from .finder import Finder
from .i18n import _, current_language

HEADING = "bold"


def hours_now(schedules: tuple[dict, ...], now: datetime) -> str:
    """"Jetzt geöffnet bis 12:00", "Öffnet Di 10:00" or "Öffnungszeiten unbekannt"."""
    return describe_status(status_at(schedules, now), now, current_language())


def distance_text(km: float | None) -> str | None:
    """"2,3 km" in the current language's number format, or None without coordinates."""
    if km is None:
        return None
    try:
        number = format_decimal(round(km, 1), format="#,##0.0", locale=current_language())
    except (UnknownLocaleError, ValueError):
        number = f"{km:.1f}"
    return _("{distance} km").format(distance=number)


def card_lines(offer: OfferSummary, finder: Finder, now: datetime, *, here: bool = False) -> list[str]:
    """The three lines of a result card: name, who and where, hours now."""
    where = [offer.organization, offer.town, distance_text(finder.distance(offer))]
    if here:
        where.insert(0, _("Here at this place"))
    return [offer.name, " · ".join(w for w in where if w), hours_now(offer.schedules, now)]


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
    if name:
        return name
    if not code:
        return None
    try:
        return Locale.parse(code).get_display_name(current_language()) or code
    except (UnknownLocaleError, ValueError):
        return code


def _costs(offer: Offer) -> list[str]:
    lines = [offer.fees] if offer.fees else []
    for cost in offer.costs:
        amount, currency = cost.get("amount"), cost.get("currency") or "EUR"
        money = None
        if isinstance(amount, (int, float)) and amount:  # 0 says nothing the option does not say
            try:
                money = format_currency(amount, currency, locale=current_language())
            except (UnknownLocaleError, ValueError):
                money = f"{amount} {currency}"
        parts = [str(p) for p in (cost.get("option"), money, cost.get("amount_description")) if p]
        line = " ".join(parts)
        if line and _loose(line) not in {_loose(x) for x in lines}:
            lines.append(line)
    return lines or [_("No information")]


def _loose(text: str) -> str:
    """Text compared without case and punctuation ("Kostenlos." = "kostenlos")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def offer_sections(offer: Offer, finder: Finder, now: datetime) -> list[tuple[str, list[str]]]:
    """(heading, lines) for the offer screen and for reading aloud; empty sections left out."""
    lang = current_language()
    sections: list[tuple[str, list[str]]] = []

    def add(heading: str, lines: Iterable[str | None]) -> None:
        kept = [line for line in lines if line]
        if kept:
            sections.append((heading, kept))

    add(_("Important"), [offer.alert])
    add(_("What?"), [offer.description, offer.application_process])
    groups = [c.name for c in offer.categories if c.code and c.code in {"senioren", "behinderung", "migration",
                                                                         "kinder-jugend", "alle"}]
    add(_("For whom?"), [offer.eligibility, _ages(offer), ", ".join(groups) or None])
    where: list[str | None] = []
    for loc in offer.locations or ():
        town = " ".join(p for p in (loc.postal_code, loc.city) if p)
        where += [loc.name, ", ".join(p for p in (loc.address_1, loc.address_2, town) if p) or None]
        if loc.latitude is not None and loc.longitude is not None:
            km = distance_km(finder.latitude, finder.longitude, loc.latitude, loc.longitude)
            where.append(_("{distance} from here").format(distance=distance_text(km)))
        where += [_("Access: {details}").format(details=a) for a in loc.accessibility]
        if loc.transportation:
            where.append(_("Getting there: {details}").format(details=loc.transportation))
    if not offer.locations and offer.town:
        where.append(offer.town)
    add(_("Where?"), where)
    add(_("When?"), [hours_now(offer.schedules, now), *describe_week(offer.schedules, now.date(), lang)])
    contact: list[str | None] = []
    for phone in offer.phones:
        number = phone.number + (" " + _("ext. {extension}").format(extension=phone.extension)
                                 if phone.extension else "")
        label = _("Phone: {number}").format(number=number)
        contact.append(f"{label} ({phone.description})" if phone.description else label)
    for web in dict.fromkeys(w for w in (offer.url, offer.organization_website) if w):
        contact.append(_("Web: {address}").format(address=web))
    if offer.email:
        contact.append(_("E-mail: {address}").format(address=offer.email))
    add(_("Contact"), contact)
    add(_("Languages spoken"), [", ".join(filter(None, (_language_label(x.code, x.name) for x in offer.languages)))
                                or None])
    add(_("Costs"), _costs(offer))
    return sections


def offer_content(offer: Offer, finder: Finder, now: datetime) -> Content:
    """The whole offer as styled plain text."""
    parts: list[str | tuple[str, str] | Content] = [(offer.name, "bold")]
    if offer.organization:
        parts += ["\n", offer.organization]
    for heading, lines in offer_sections(offer, finder, now):
        parts += ["\n\n", (heading, "bold underline")]
        for line in lines:
            parts += ["\n", line]
    return Content.assemble(*parts)


def offer_speech(offer: Offer, finder: Finder, now: datetime) -> str:
    """The offer as one text to read aloud."""
    sentences = [offer.name + "."]
    if offer.organization:
        sentences.append(_("Offered by {organization}.").format(organization=offer.organization))
    for heading, lines in offer_sections(offer, finder, now):
        sentences.append(heading + " " + ". ".join(line.rstrip(".") for line in lines) + ".")
    return " ".join(sentences)
