"""The place's own programme: its offers and recurring events, kept apart from the central catalogue.

The programme is a local HSDS file (`[place] programme`, a JSON array of services, the same shape
as a catalogue snapshot), edited with `kiosk-sync local add|edit|remove|list` or in the volunteer
menu. The kiosk reads it through a second SQLite file beside the catalogue (`programme.db`), built
from the JSON by the very importer a sync uses (`sync.pull.import_file`), so the same parser, opening
hours and search apply.

Why a second file and not rows in the catalogue under a "local" marker: every full sync replaces
the catalogue's offers in one transaction, its shrink guard counts offers, and removals compare id
lists with the feed; each of those paths would have to learn to spare local rows, and one slip would
delete a place's programme. A file no sync ever opens cannot lose it. The price is two small
searches instead of one (the programme has a handful of offers).

Nothing is lost on a bad entry: an entry is checked with the HSDS parser and the hours parser
before the file is touched, and the file is replaced atomically (written beside it, flushed to disk,
renamed over it). A hand-edited file that is broken is refused with its line and column, never
overwritten. No Textual here.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import N_, _, translations

if TYPE_CHECKING:
    from sync.catalogue import Catalogue
    from sync.offers import OfferSummary

    from .config import Settings

_DAYS = {"mo": "MO", "montag": "MO", "monday": "MO", "di": "TU", "dienstag": "TU", "tu": "TU", "tue": "TU",
         "tuesday": "TU", "mi": "WE", "mittwoch": "WE", "we": "WE", "wed": "WE", "wednesday": "WE", "do": "TH",
         "donnerstag": "TH", "th": "TH", "thu": "TH", "thursday": "TH", "fr": "FR", "freitag": "FR", "fri": "FR",
         "friday": "FR", "sa": "SA", "samstag": "SA", "sat": "SA", "saturday": "SA", "so": "SU", "sonntag": "SU",
         "su": "SU", "sun": "SU", "sunday": "SU"}
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_SPAN = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?(?:\s*(?:uhr|h))?", re.I)
MAX_TEXT = 2000
# The fields as named in messages: the option names of `kiosk-sync local` (English), the form's
# words in the volunteer menu.
NAME, DESCRIPTION, WEEKLY, DATE, PHONE, URL, EMAIL = (
    N_("name"), N_("description"), N_("weekly"), N_("date"), N_("phone"), N_("url"), N_("email"))


class ProgrammeError(Exception):
    """The programme file or an entry cannot be used; the message says where and why, in words."""


# --- the file ----------------------------------------------------------------------------------

def programme_db(settings: Settings) -> Path:
    """The kiosk's SQLite copy of the programme, beside the catalogue (never the catalogue itself)."""
    return settings.catalogue.database.parent / "programme.db"


def load(path: Path) -> list[dict[str, Any]]:
    """The entries of the programme file ([] when it does not exist yet)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ProgrammeError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ProgrammeError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        message = _("{path}: not valid JSON: {reason} (line {line}, column {column}); nothing changed")
        raise ProgrammeError(message.format(
            path=path, reason=exc.msg, line=exc.lineno, column=exc.colno)) from None
    if not isinstance(data, list):
        raise ProgrammeError(f"{path}: expected a JSON array of HSDS services, got {type(data).__name__}")
    for i, entry in enumerate(data):
        check(entry, f"{path}: entry {i + 1}")
    return data


def check(entry: Any, where: str) -> None:
    """Raise ProgrammeError unless `entry` is an HSDS service the kiosk can show, hours included."""
    from sync import hours  # babel's dates and dateutil: not at the kiosk's start
    from sync.hsds import RecordError, normalise_service

    try:
        normalise_service(entry)
    except RecordError as exc:
        raise ProgrammeError(f"{where}: {exc}") from None
    problems = hours.problems(entry.get("schedules") or [])
    if problems:
        raise ProgrammeError(f"{where} ({entry.get('id')}): opening hours: {problems[0]}")


def save(path: Path, entries: Sequence[dict[str, Any]]) -> None:
    """Replace the file atomically: a power cut leaves the old file or the new one, never half."""
    for i, entry in enumerate(entries):
        check(entry, f"entry {i + 1}")
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(list(entries), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError:
        pass


def rebuild(settings: Settings) -> int:
    """Build programme.db from the programme file; returns the number of offers (0: no file/empty)."""
    from sync.pull import SyncOptions, import_file

    source, db = settings.place.programme, programme_db(settings)
    entries = load(source)
    if not entries:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return 0
    # No shrink guard: removing most of one's own programme is a volunteer's right.
    report = import_file(source, db, SyncOptions(min_keep_ratio=0, guard_min_offers=10**9))
    return report.after


def refresh(settings: Settings) -> str | None:
    """At kiosk start: rebuild programme.db if the file is newer; a reason in words if it cannot."""
    source, db = settings.place.programme, programme_db(settings)
    try:
        if not source.exists():
            if db.exists():
                rebuild(settings)
            return None
        if db.exists() and db.stat().st_mtime_ns >= source.stat().st_mtime_ns:
            return None
        rebuild(settings)
    except (ProgrammeError, OSError) as exc:
        return f"the place's programme is not shown: {exc}"
    except Exception as exc:  # noqa: BLE001 - a broken programme must never stop the kiosk
        return f"the place's programme is not shown: {exc}"
    return None


# --- entries --------------------------------------------------------------------------------------

@dataclass
class EntryFields:
    """What a volunteer gives for one entry; None leaves a field as it is (edit)."""

    name: str | None = None
    description: str | None = None
    weekly: Sequence[str] | None = None   # ["di 10:00-12:00", "do 15:00-17:30"]
    dates: Sequence[str] | None = None    # ["2026-12-03 10:00-12:00"] (also 3.12.2026)
    phone: str | None = None
    url: str | None = None
    email: str | None = None


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "eintrag"


def _text(value: str, what: str, *, required: bool = False) -> str | None:
    value = " ".join(value.split()) if what != DESCRIPTION else value.strip()
    if not value:
        if required:
            raise ProgrammeError(_("{field}: must not be empty").format(field=_(what)))
        return None
    if len(value) > MAX_TEXT:
        raise ProgrammeError(_("{field}: at most {limit} characters, got {n}").format(
            field=_(what), limit=MAX_TEXT, n=len(value)))
    return value


def _span(text: str, where: str) -> tuple[str, str]:
    m = _SPAN.fullmatch(text.strip())
    if not m:
        raise ProgrammeError(_('{field}: expected a time span like "10:00-12:00", got "{text}"').format(
            field=_(where), text=text.strip()))
    h1, m1, h2, m2 = (int(g or 0) for g in m.groups())
    if not (h1 < 24 and m1 < 60 and (h2 < 24 and m2 < 60 or (h2, m2) == (24, 0))):
        raise ProgrammeError(_('{field}: "{text}" is not a time of day').format(field=_(where), text=text.strip()))
    if (h2, m2) <= (h1, m1):
        raise ProgrammeError(_('{field}: "{text}" ends before it starts').format(field=_(where), text=text.strip()))
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


def weekly_schedule(spec: str) -> dict[str, str]:
    """A weekly time: "di 10:00-12:00", "Dienstag, Donnerstag 10-12 Uhr", "tue,thu 15:30-17:00"."""
    m = re.fullmatch(r"\s*([A-Za-zäöüÄÖÜ]+(?:\s*,\s*[A-Za-zäöüÄÖÜ]+)*)\s+(.+)", spec)
    if not m:
        raise ProgrammeError(_('{field}: expected days and a time like "di 10:00-12:00", got "{text}"').format(
            field=_(WEEKLY), text=spec.strip()))
    days = []
    for word in re.split(r"\s*,\s*", m.group(1).lower()):
        code = _DAYS.get(word.rstrip("."))
        if code is None:
            raise ProgrammeError(_('{field}: "{text}" is not a day (mo, di, mi, do, fr, sa, so or mon … sun)').format(
                field=_(WEEKLY), text=word))
        days.append(code)
    opens, closes = _span(m.group(2), WEEKLY)
    return {"freq": "WEEKLY", "byday": ",".join(dict.fromkeys(days)), "opens_at": opens, "closes_at": closes}


def dated_schedule(spec: str) -> dict[str, str]:
    """ "2026-12-03 10:00-12:00" or "3.12.2026 10:00-12:00": one day only."""
    m = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s+(.+)", spec)
    if not m:
        raise ProgrammeError(_('{field}: expected a date and a time like "2026-12-03 10:00-12:00", got "{text}"')
                             .format(field=_(DATE), text=spec.strip()))
    try:
        if "-" in m.group(1):
            day = date.fromisoformat(m.group(1))
        else:
            d, mo, y = (int(x) for x in m.group(1).split("."))
            day = date(y, mo, d)
    except ValueError:
        raise ProgrammeError(_('{field}: "{text}" is not a date').format(field=_(DATE), text=m.group(1))) from None
    opens, closes = _span(m.group(2), DATE)
    return {"freq": "WEEKLY", "byday": _WEEKDAY_CODES[day.weekday()], "opens_at": opens, "closes_at": closes,
            "valid_from": day.isoformat(), "valid_to": day.isoformat()}


def _location(settings: Settings, entry_id: str) -> dict[str, Any]:
    place = settings.place
    name = place.location_names[0] if place.location_names else place.name
    return {"id": f"sal-{entry_id}", "location": {
        "id": "this-place", "name": name, "latitude": place.latitude, "longitude": place.longitude,
        "addresses": [{"address_1": "", "city": place.town, "address_type": "physical"}]}}


def apply_fields(entry: dict[str, Any], fields: EntryFields, settings: Settings) -> dict[str, Any]:
    """A new entry dict: `entry` with the given fields changed (checked by `check` on save)."""
    out = dict(entry)
    if fields.name is not None:
        out["name"] = _text(fields.name, NAME, required=True)
    if fields.description is not None:
        out["description"] = _text(fields.description, DESCRIPTION)
    for key in ("url", "email"):
        value = getattr(fields, key)
        if value is not None:
            out[key] = _text(value, URL if key == "url" else EMAIL)
            if key == "url" and out[key] and not re.match(r"https?://\S+$", out[key]):
                raise ProgrammeError(_('{field}: expected an address starting with https://, got "{text}"').format(
                    field=_(URL), text=out[key]))
            if key == "email" and out[key] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", out[key]):
                raise ProgrammeError(_('{field}: expected an address like name@example.org, got "{text}"').format(
                    field=_(EMAIL), text=out[key]))
    if fields.phone is not None:
        phone = _text(fields.phone, PHONE)
        if phone and not re.search(r"\d{3}", phone):
            message = _('{field}: expected a number to dial, got "{text}"')
            raise ProgrammeError(message.format(field=_(PHONE), text=phone))
        out["phones"] = [{"id": f"phone-{out['id']}", "number": phone}] if phone else []
    if fields.weekly is not None or fields.dates is not None:
        old = [s for s in out.get("schedules") or []]
        weekly = [weekly_schedule(s) for s in fields.weekly] if fields.weekly is not None else \
            [s for s in old if not s.get("valid_to")]
        dated = [dated_schedule(s) for s in fields.dates] if fields.dates is not None else \
            [s for s in old if s.get("valid_to")]
        out["schedules"] = [{"id": f"{out['id']}-{i + 1}", **s} for i, s in enumerate(weekly + dated)]
    out.setdefault("status", "active")
    out.setdefault("organization", {"id": "this-place", "name": settings.place.name})
    out.setdefault("service_at_locations", [_location(settings, out["id"])])
    out["last_modified"] = datetime.now().astimezone().isoformat(timespec="seconds")
    return {k: v for k, v in out.items() if v is not None}


def add(settings: Settings, fields: EntryFields, entry_id: str | None = None) -> dict[str, Any]:
    """Add one entry; returns it. The file is unchanged if anything is wrong."""
    path = settings.place.programme
    entries = load(path)
    taken = {e.get("id") for e in entries}
    if entry_id is not None:
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", entry_id):
            raise ProgrammeError(f'id: up to 64 letters, digits, dots, dashes or underscores, got "{entry_id}"')
        if entry_id in taken:
            raise ProgrammeError(_('id: "{id}" is already in the programme; use edit').format(id=entry_id))
    else:
        if fields.name is None:
            raise ProgrammeError(_("{field}: must not be empty").format(field=_(NAME)))
        base = "hier-" + _slug(fields.name)
        entry_id = base
        n = 2
        while entry_id in taken:
            entry_id, n = f"{base}-{n}", n + 1
    if not (fields.name or "").strip():
        raise ProgrammeError(_("{field}: must not be empty").format(field=_(NAME)))
    entry = apply_fields({"id": entry_id}, fields, settings)
    check(entry, f"new entry {entry_id}")
    save(path, [*entries, entry])
    return entry


def edit(settings: Settings, entry_id: str, fields: EntryFields) -> dict[str, Any]:
    path = settings.place.programme
    entries = load(path)
    index = _index(entries, entry_id, path)
    entry = apply_fields(entries[index], fields, settings)
    check(entry, f"entry {entry_id}")
    entries[index] = entry
    save(path, entries)
    return entry


def remove(settings: Settings, entry_id: str) -> dict[str, Any]:
    path = settings.place.programme
    entries = load(path)
    gone = entries.pop(_index(entries, entry_id, path))
    save(path, entries)
    return gone


def _index(entries: list[dict[str, Any]], entry_id: str, path: Path) -> int:
    for i, entry in enumerate(entries):
        if entry.get("id") == entry_id:
            return i
    known = ", ".join(str(e.get("id")) for e in entries) or "none"
    raise ProgrammeError(_('{path}: no entry "{id}" (entries: {known})').format(path=path, id=entry_id, known=known))


def describe(entry: dict[str, Any], today: date, locale: str = "de", *, with_id: bool = True) -> str:
    """One entry in a line or two: (id,) name and its hours in words."""
    from sync import hours_words  # babel's dates and dateutil: not at the kiosk's start

    schedules = entry.get("schedules") or []
    once = [s for s in schedules if s.get("valid_from") and s.get("valid_from") == s.get("valid_to")]
    regular = [s for s in schedules if s not in once]
    parts = hours_words.describe_week(regular, today, locale, translations(locale)) if regular else []
    for s in once:
        day = date.fromisoformat(s["valid_from"])
        parts.append(f"{day:%d.%m.%Y} {s.get('opens_at', '')}–{s.get('closes_at', '')}" if locale == "de"
                     else f"{day:%Y-%m-%d} {s.get('opens_at', '')}–{s.get('closes_at', '')}")
    when = "; ".join(parts) or ("keine Zeiten" if locale == "de" else "no times")
    return (f"{entry.get('id')}: " if with_id else "") + f"{entry.get('name')} — {when}"


# --- "Heute hier" / "Diese Woche hier" -------------------------------------------------------------

@dataclass(frozen=True)
class Upcoming:
    offer: OfferSummary
    start: datetime
    end: datetime


def upcoming(offers: Iterable[OfferSummary], now: datetime) -> tuple[list[Upcoming], list[Upcoming]]:
    """(today, later this week): each offer's next opening that has not ended, by start time.

    Today: from now to midnight; this week: from tomorrow to the end of the 7th day. An offer open
    now counts as today. Offers without a usable schedule are in neither list.
    """
    from sync import hours  # babel's dates and dateutil: not at the kiosk's start

    start_of_day = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    tomorrow = start_of_day + timedelta(days=1)
    week_end = start_of_day + timedelta(days=7)
    today: list[Upcoming] = []
    later: list[Upcoming] = []
    for offer in offers:
        spans = [o for o in hours.openings(list(offer.schedules), now, week_end) if o.end > now]
        if not spans:
            continue
        first = spans[0]
        (today if first.start < tomorrow else later).append(Upcoming(offer, first.start, first.end))
    key = lambda u: (u.start, u.offer.name.casefold())  # noqa: E731
    return sorted(today, key=key), sorted(later, key=key)


def open_programme(settings: Settings) -> Catalogue | None:
    """The programme's catalogue for reading, or None when the place has no programme."""
    from sync.catalogue import Catalogue

    db = programme_db(settings)
    return Catalogue(db) if db.exists() else None
