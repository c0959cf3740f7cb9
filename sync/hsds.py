"""Validate, clean and flatten HSDS 3.0 services into rows of the local store.

A fully nested HSDS service (``GET /services/{id}`` or one item of ``?full=true``) becomes one
`OfferRecord`: the offer row plus its locations, phones, schedules, languages and categories. A record
that cannot be shown (no id, no name, a field of the wrong type, nested absurdly deep) raises
`RecordError` naming the record and the field, so that the caller can skip it and report it while the
good records still land. A field whose value breaks its meaning (a `javascript:` address, an age of
-5, "keine mail" as e-mail, see `fields.py`) is repaired or dropped with a warning; so is a lone
surrogate (replaced with U+FFFD). Warnings name the record and the field.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import fields, hours
from .text import RecordTooComplex, clean_deep, fold, surrogate_fields

ACTIVE = "active"
STATUSES = (ACTIVE, "inactive", "defunct", "temporarily closed")


class RecordError(ValueError):
    """One service record is unusable; `record_id` may be None when the id itself is missing."""

    def __init__(self, record_id: str | None, field_name: str, reason: str) -> None:
        self.record_id = record_id
        self.field = field_name
        self.reason = reason
        super().__init__(f"record {record_id or '(no id)'}: {field_name}: {reason}")


@dataclass
class OfferRecord:
    """One service flattened into table rows, ready for the store."""

    offer: dict[str, Any]
    locations: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    languages: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fts: dict[str, str] = field(default_factory=dict)
    modified: datetime | None = None  # last_modified: of two records with one id, the newer wins
    where: str = ""                   # where in the feed it came from (set by the caller, for reports)

    @property
    def id(self) -> str:
        return self.offer["id"]


_TEXT = (str,)
_NUMBER = (int, float)


def _typed(obj: dict, key: str, kinds: tuple, rid: str | None, where: str) -> Any:
    """Return obj[key] if it is None or of `kinds`, else raise a RecordError naming the field."""
    value = obj.get(key)
    if value is None or (isinstance(value, kinds) and not isinstance(value, bool)):
        return value
    want = "text" if kinds is _TEXT else "a number" if kinds is _NUMBER else "/".join(k.__name__ for k in kinds)
    raise RecordError(rid, f"{where}{key}", f"expected {want}, got {type(value).__name__} {_short(value)}")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _objects(obj: dict, key: str, rid: str | None, where: str) -> list[dict]:
    """Return obj[key] as a list of objects (missing or null means empty)."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RecordError(rid, f"{where}{key}", f"expected a list of objects, got {_short(value)}")
    return value


def _object(obj: dict, key: str, rid: str | None, where: str) -> dict | None:
    value = obj.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise RecordError(rid, f"{where}{key}", f"expected an object, got {_short(value)}")


# Catalogue text in other languages: the extension field `x-translations` of a service,
# {"uk": {"name": "...", "description": "..."}, "ar": {...}}. HSDS 3 has no translations; unknown
# fields are allowed, so a feed that does not know this one is unaffected. Kept as JSON.
TRANSLATED_FIELDS = ("name", "description")


def _translations(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    kept = {}
    for code, given in value.items():
        if not (isinstance(code, str) and re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", code)
                and isinstance(given, dict)):
            continue
        texts = {f: t for f in TRANSLATED_FIELDS if (t := _text(given.get(f)))}
        if texts:
            kept[code.replace("_", "-").lower()] = texts
    return json.dumps(kept, ensure_ascii=False) if kept else None


def _text(value: Any) -> str | None:
    """Scalars as text for free-form fields (a number where text was expected is fine)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip()
    return text or None


def _coordinate(value: Any, limit: float) -> float | None:
    """A latitude/longitude as float, or None when missing, not a number or out of range."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer of 400 digits
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


#: Fields only a service has (HSDS 3.0 `service`): one of them makes a record a service. (Not
#: `organization_id` or `schedules`: a location has them too.)
SERVICE_SIGNS = frozenset({
    "organization", "service_at_locations", "status", "cost_options",
    "eligibility_description", "fees_description", "fees", "application_process", "minimum_age",
    "maximum_age", "service_areas", "program", "required_documents", "interpretation_services",
    "wait_time", "accreditations", "alert", "assured_date"})
#: Fields of the other HSDS objects that a feed may put where services belong.
_ORGANIZATION_SIGNS = frozenset({"services", "organization_identifiers", "legal_status", "year_incorporated",
                                 "website", "tax_status", "tax_id", "parent_organization_id", "logo"})
_TERM_SIGNS = frozenset({"taxonomy", "parent_id", "vocabulary", "taxonomy_detail", "taxonomy_id", "term_uri"})
_LOCATION_SIGNS = frozenset({"latitude", "longitude", "addresses", "location_type", "external_identifier"})
#: What a record that is not a service is called in reports: singular, plural.
NOT_SERVICE_WORDS = {
    "organization": ("an organization", "organizations"),
    "taxonomy term": ("a taxonomy term", "taxonomy terms"),
    "taxonomy": ("a taxonomy", "taxonomies"),
    "location": ("a location", "locations"),
    "service at location": ("a service-at-location link", "service-at-location links"),
    "api root": ("the API's root document (the feed address is the URL before /services)", "API root documents"),
}


def record_kind(raw: Any) -> str:
    """What an HSDS record is: "service", or the kind of object it looks like instead
    ("organization", "taxonomy term", "taxonomy", "location", "service at location").

    A record is a service when it carries a field only services have (see SERVICE_SIGNS). Without
    one it is judged by the fields of the other HSDS objects; a bare record (id and name, perhaps a
    description) stays a service, since small feeds write services like that.
    """
    if not isinstance(raw, dict):
        return "service"  # normalise_service says what is wrong with it
    keys = raw.keys()
    if isinstance(raw.get("service"), dict) or {"service_id", "location_id"} <= keys:
        return "service at location"  # a service has no "service" of its own
    if not SERVICE_SIGNS.isdisjoint(keys):
        return "service"
    if "openapi_url" in keys or {"version", "profile"} <= keys and "name" not in keys:
        return "api root"
    if "code" in keys and not _TERM_SIGNS.isdisjoint(keys) or {"taxonomy", "parent_id"} <= keys:
        return "taxonomy term"
    if not _ORGANIZATION_SIGNS.isdisjoint(keys):
        return "organization"
    if not _LOCATION_SIGNS.isdisjoint(keys):
        return "location"
    if isinstance(raw.get("location"), dict):
        return "service at location"
    if {"uri", "version"} & keys and "name" in keys and not keys - {"id", "name", "description", "uri", "version"}:
        return "taxonomy"
    return "service"


SCHEDULE_FIELDS = ("freq", "interval", "byday", "bymonthday", "opens_at", "closes_at", "valid_from",
                   "valid_to", "dtstart", "until", "count", "wkst", "description", "notes", "attending_type",
                   "timezone")


def normalise_service(raw: Any) -> OfferRecord:
    """Turn one raw HSDS service into an `OfferRecord`, or raise `RecordError`.

    Never raises anything else: whatever a hostile record holds (a 10,000-level nesting, a number
    too large for SQLite or for `str`), it becomes a `RecordError` naming the record and the field.
    """
    if not isinstance(raw, dict):
        raise RecordError(None, "(record)", f"expected an object, got {_short(raw)}")
    raw_id = raw.get("id")
    rid_hint = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() and raw_id.isprintable() else None
    try:
        return _normalise(raw)
    except RecordError:
        raise
    except RecordTooComplex as exc:
        path = "".join(exc.path).lstrip(".") or "(record)"
        raise RecordError(rid_hint, path if len(path) <= 60 else path[:57] + "...", exc.reason) from None
    except (RecursionError, OverflowError, ValueError, TypeError, MemoryError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else f"cannot be read ({exc})"
        raise RecordError(rid_hint, "(record)", reason[:200]) from None


def _normalise(raw: dict) -> OfferRecord:
    counts: dict[str, int] = {}
    cleaned = clean_deep(raw, counts=counts)
    assert isinstance(cleaned, dict)
    rid = cleaned.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise RecordError(None, "id", "missing or not text" if rid is None else f"expected text, got {_short(rid)}")
    rid = rid.strip()
    warnings: list[str] = []

    def warn(field_name: str, problem: str | None) -> None:
        if problem:
            warnings.append(f"record {rid}: {field_name}: {problem}")

    if counts.get("surrogates"):
        for path in surrogate_fields(raw):
            warn(path, "a broken character (a lone surrogate escape) was replaced with U+FFFD")
    raw = cleaned
    name = _typed(raw, "name", _TEXT, rid, "")
    if not name:
        raise RecordError(rid, "name", "missing or empty")
    for key in ("description", "url", "email", "status", "fees_description", "eligibility_description",
                "application_process", "alert", "alternate_name", "last_modified", "interpretation_services"):
        _typed(raw, key, _TEXT, rid, "")
    min_age, max_age, problems = fields.age_range(raw.get("minimum_age"), raw.get("maximum_age"))
    for field_name, said in problems:
        warn(field_name, said)
    status = (raw.get("status") or "").strip().lower()
    if not status:
        warnings.append(f"record {rid}: status missing, treated as active")
        status = ACTIVE
    elif status not in STATUSES:
        warn("status", f"{_short(raw.get('status'))} is not an HSDS status; the offer is hidden")
    modified, problem = fields.timestamp(_text(raw.get("last_modified")))
    warn("last_modified", problem)

    org = _object(raw, "organization", rid, "") or {}
    org_name = _typed(org, "name", _TEXT, rid, "organization.")
    url, problem = fields.web_address(_text(raw.get("url")))
    warn("url", problem)
    website, problem = fields.web_address(_text(org.get("website")))
    warn("organization.website", problem)
    email, problem = fields.email_address(_text(raw.get("email")))
    warn("email", problem)
    if email is None:
        email, problem = fields.email_address(_text(org.get("email")))
        warn("organization.email", problem)

    locations = _locations(raw, rid, warnings)
    schedules = _schedules(raw, rid, warn)
    phones = _phones(raw, org, rid, warn)
    languages = _languages(raw, rid, warn)
    categories = _categories(raw, rid)
    costs = _costs(raw, rid, warn)
    first = next((loc for loc in locations if loc["city"] or loc["latitude"] is not None), None)
    offer = {
        "id": rid,
        "name": name.strip(),
        "alternate_name": _text(raw.get("alternate_name")),
        "description": _text(raw.get("description")),
        "organization_id": _text(org.get("id")),
        "organization_name": _text(org_name),
        "organization_website": website,
        "url": url,
        "email": email,
        "status": status,
        "visible": 1 if status == ACTIVE else 0,
        "fees": _text(raw.get("fees_description")),
        "costs": json.dumps(costs, ensure_ascii=False) if costs else None,
        "translations": _translations(raw.get("x-translations")),
        "eligibility": _text(raw.get("eligibility_description")),
        "application_process": _text(raw.get("application_process")),
        "minimum_age": min_age,
        "maximum_age": max_age,
        "alert": _text(raw.get("alert")),
        "last_modified": _text(raw.get("last_modified")),
        "location_name": first["name"] if first else None,
        "address": first["address_1"] if first else None,
        "postal_code": first["postal_code"] if first else None,
        "town": first["city"] if first else None,
        "latitude": first["latitude"] if first else None,
        "longitude": first["longitude"] if first else None,
    }
    # Search words beyond the name: categories, the alternate name, and the languages spoken other
    # than German (almost every offer speaks German, so "deutsch" would otherwise match them all).
    spoken = [lang["name"] for lang in languages if lang["name"] and (lang["code"] or "") != "de"
              and fold(lang["name"]) != "deutsch"]
    keywords = " ".join(filter(None, [c["name"] for c in categories] + [offer["alternate_name"]] + spoken))
    fts = {
        "name": fold(offer["name"]),
        "organization": fold(offer["organization_name"] or ""),
        "keywords": fold(keywords),
        "description": fold(" ".join(filter(None, [offer["description"], offer["eligibility"]]))),
        "place": fold(" ".join(filter(None, {(loc["city"] or "") + " " + (loc["name"] or "") for loc in locations}))),
    }
    return OfferRecord(offer, locations, phones, schedules, languages, categories, warnings, fts, modified)


def _costs(raw: dict, rid: str, warn) -> list[dict]:
    out = []
    for i, cost in enumerate(_objects(raw, "cost_options", rid, "")):
        row = {k: cost.get(k) for k in ("option", "amount", "currency", "amount_description", "valid_from",
                                        "valid_to") if cost.get(k) is not None}
        for key, check in (("amount", fields.amount), ("currency", fields.currency)):
            if key in row:
                value, problem = check(row[key])
                warn(f"cost_options[{i}].{key}", problem)
                if value is None:
                    del row[key]
                else:
                    row[key] = value
        for key in ("option", "amount_description", "valid_from", "valid_to"):
            if key in row:
                row[key] = _text(row[key])
        if row:
            out.append(row)
    return out


def _locations(raw: dict, rid: str, warnings: list[str]) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    sals = _objects(raw, "service_at_locations", rid, "")
    for i, sal in enumerate(sals):
        loc = _object(sal, "location", rid, f"service_at_locations[{i}].")
        if not loc:
            continue
        where = f"service_at_locations[{i}].location."
        key = _text(loc.get("id")) or f"#{i}"
        if key in seen:
            continue
        seen.add(key)
        if loc.get("location_type") == "virtual":
            continue
        addresses = _objects(loc, "addresses", rid, where)
        addr = next((a for a in addresses if a.get("address_type") in (None, "physical")), None) or (
            addresses[0] if addresses else {})
        lat = _coordinate(loc.get("latitude"), 90)
        lon = _coordinate(loc.get("longitude"), 180)
        if (lat is None) != (lon is None) or (lat is None and loc.get("latitude") is not None):
            warnings.append(f"record {rid}: {where}latitude/longitude {_short(loc.get('latitude'))}/"
                            f"{_short(loc.get('longitude'))} not usable, coordinates dropped")
            lat = lon = None
        lat, lon, problem = fields.coordinates(lat, lon)
        if problem:
            warnings.append(f"record {rid}: {where}latitude/longitude: {problem}")
        access = [
            " – ".join(filter(None, (_text(a.get("description")), _text(a.get("details")))))
            for a in _objects(loc, "accessibility", rid, where)
        ]
        out.append({
            "offer_id": rid,
            "position": len(out),
            "location_id": _text(loc.get("id")),
            "name": _text(loc.get("name")),
            "address_1": _text(addr.get("address_1")),
            "address_2": _text(addr.get("address_2")),
            "postal_code": _text(addr.get("postal_code")),
            "city": _text(addr.get("city")),
            "state_province": _text(addr.get("state_province")),
            "country": _text(addr.get("country")),
            "latitude": lat,
            "longitude": lon,
            "accessibility": json.dumps([a for a in access if a], ensure_ascii=False),
            "transportation": _text(loc.get("transportation")),
        })
    return out


def _schedules(raw: dict, rid: str, warn) -> list[dict]:
    found: list[tuple[dict, str | None]] = [(s, None) for s in _objects(raw, "schedules", rid, "")]
    for i, sal in enumerate(_objects(raw, "service_at_locations", rid, "")):
        loc = _object(sal, "location", rid, f"service_at_locations[{i}].") or {}
        loc_id = _text(loc.get("id"))
        found += [(s, loc_id) for s in _objects(sal, "schedules", rid, f"service_at_locations[{i}].")]
        found += [(s, loc_id) for s in _objects(loc, "schedules", rid, f"service_at_locations[{i}].location.")]
    out: list[dict] = []
    seen: set[str] = set()
    for sched, loc_id in found:
        key = _text(sched.get("id")) or json.dumps(sched, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        row: dict[str, Any] = {k: _text(sched.get(k)) for k in SCHEDULE_FIELDS}
        if row["timezone"] and hours.zone(row["timezone"]) is None:
            warn("schedules.timezone", f"{_short(sched.get('timezone'))} is not a time zone (like "
                                       f"'Europe/London' or hours from UTC like -5); Europe/Berlin time assumed")
            row["timezone"] = None
        row.update(offer_id=rid, location_id=loc_id, position=len(out))
        out.append(row)
    return out


def _phones(raw: dict, org: dict, rid: str, warn) -> list[dict]:
    found = list(_objects(raw, "phones", rid, ""))
    for i, sal in enumerate(_objects(raw, "service_at_locations", rid, "")):
        found += _objects(sal, "phones", rid, f"service_at_locations[{i}].")
        loc = _object(sal, "location", rid, f"service_at_locations[{i}].") or {}
        found += _objects(loc, "phones", rid, f"service_at_locations[{i}].location.")
    for contact in _objects(raw, "contacts", rid, ""):
        found += _objects(contact, "phones", rid, "contacts[].")
    found += _objects(org, "phones", rid, "organization.")
    out: list[dict] = []
    seen: set[str] = set()
    for phone in found:
        number = _text(phone.get("number"))
        if not number:
            continue
        number, problem = fields.phone_number(number.strip('"\' '))
        warn("phones.number", problem)
        if not number or number in seen:
            continue
        seen.add(number)
        ext, problem = fields.extension(_text(phone.get("extension")))
        warn("phones.extension", problem)
        out.append({
            "offer_id": rid,
            "position": len(out),
            "number": number,
            "extension": ext,
            "type": _text(phone.get("type")),
            "description": _text(phone.get("description")),
        })
    return out


def _languages(raw: dict, rid: str, warn) -> list[dict]:
    found = list(_objects(raw, "languages", rid, ""))
    for i, sal in enumerate(_objects(raw, "service_at_locations", rid, "")):
        loc = _object(sal, "location", rid, f"service_at_locations[{i}].") or {}
        found += _objects(loc, "languages", rid, f"service_at_locations[{i}].location.")
    out: list[dict] = []
    seen: set[str] = set()
    for lang in found:
        code, problem = fields.language_code((_text(lang.get("code")) or "").lower() or None)
        warn("languages.code", problem)
        name = _text(lang.get("name"))
        key = code or (name or "").lower()
        if not key or key in seen:
            continue
        seen.add(key)
        out.append({"offer_id": rid, "position": len(out), "code": code, "name": name})
    return out


def _categories(raw: dict, rid: str) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for i, attr in enumerate(_objects(raw, "attributes", rid, "")):
        term = _object(attr, "taxonomy_term", rid, f"attributes[{i}].")
        if not term:
            continue
        row = _term_row(term)
        if row is None or row["id"] in seen:
            continue
        seen.add(row["id"])
        out.append(row)
    return out


def normalise_term(raw: Any) -> dict | None:
    """A taxonomy term from ``/taxonomy_terms`` as a category row, or None when unusable."""
    cleaned = clean_deep(raw) if isinstance(raw, dict) else None
    return _term_row(cleaned) if isinstance(cleaned, dict) else None


def _term_row(term: dict) -> dict | None:
    """A (cleaned) taxonomy term as a category row; None without an id or a name."""
    term_id, name = _text(term.get("id")), _text(term.get("name"))
    if not term_id or not name:
        return None
    detail = term.get("taxonomy_detail")
    if not isinstance(detail, dict):
        detail = {}
    return {
        "id": term_id,
        "name": name,
        "code": _text(term.get("code")),
        "parent_id": _text(term.get("parent_id")),
        "taxonomy": _text(term.get("taxonomy")) or _text(detail.get("name")) or _text(term.get("taxonomy_id")),
        "description": _text(term.get("description")),
    }
