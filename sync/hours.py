"""Opening hours from HSDS 3.0 schedule objects, as Europe/Berlin wall-clock time.

A schedule is a plain dict with the HSDS keys (any may be missing, None or the CSV text "null").
Recurrences are expanded with dateutil.rrule; local times become aware datetimes with zoneinfo.

Choices (HSDS leaves them open):
- `opens_at`/`closes_at` are wall-clock times in the schedule's `timezone` when it gives one (an IANA
  name like "America/New_York", or HSDS 3.0's number of hours from UTC, a fixed offset), else
  Europe/Berlin; zone suffixes on the times ("Z", "+01:00") are ignored. Whatever the schedule's
  zone, hours are shown in the kiosk's Europe/Berlin time, the time of the visitor who reads them
  (a helpline in New York open 9:00-17:00 there is open 15:00-23:00 for a caller in Lengerich).
- `closes_at <= opens_at` runs past midnight; `closes_at` 23:59, 23:59:59 or 24:00 means midnight,
  so the "24 hours" convention 00:00-23:59 is a whole day and joins the next day seamlessly.
- An occurrence belongs to the day it opens: `valid_from`/`valid_to` (inclusive) and `until` are
  compared with that day.
- Where counting starts (`dtstart`): the schedule's `dtstart`, else its `valid_from`. With interval 1
  and no `count` the phase does not matter, so without either date the rule is expanded from the
  start of the requested window. With `interval` > 1 or `count` and neither date, the phase is
  unknown: the schedule is ignored (and reported) rather than guessed, because a wrong guess would
  show "open" on the wrong weeks. Weeks are counted from `wkst` (default Monday), as in RFC 5545.
- Without opens_at/closes_at a schedule tells nothing about the hours and is ignored.
- Nothing here raises on bad schedule data: an unusable schedule is skipped; `problems()` says why.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_day_names
from babel.lists import format_list
from dateutil import rrule as _rr

TZ = ZoneInfo("Europe/Berlin")
HORIZON = timedelta(days=60)  # how far ahead status_at looks, and which end dates are worth a mention
AROUND_THE_CLOCK = timedelta(days=7)  # open without a break at least this long: "open around the clock"

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQS = {"WEEKLY": _rr.WEEKLY, "MONTHLY": _rr.MONTHLY}
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?", re.I)
_BYDAY_RE = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_END_OF_DAY = {(24, 0, 0), (23, 59, 0), (23, 59, 59)}


@dataclass(frozen=True)
class Opening:
    """One opening interval; aware datetimes in TZ, `end` exclusive."""
    start: datetime
    end: datetime


class Status(StrEnum):
    """Whether a place is open; compares equal to the plain strings."""
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class HoursStatus:
    """`until`: closing time when open. `next_open`: next opening when closed (None if none in 60 days)."""
    state: Status
    until: datetime | None = None
    next_open: datetime | None = None


@dataclass(frozen=True)
class DayHours:
    """Opening spans starting on `day`, as wall-clock (opens, closes); closes <= opens means past midnight."""
    day: date
    spans: list[tuple[time, time]]


@dataclass(frozen=True)
class _Rule:
    freq: int
    interval: int
    byday: tuple[tuple[int, int | None], ...]  # (weekday 0=Monday, ordinal or None)
    bymonthday: tuple[int, ...]
    opens: time
    closes: time
    anchor: date | None  # dtstart, else valid_from
    valid_from: date | None
    valid_to: date | None
    until: date | None
    count: int | None
    wkst: int
    end: date | None  # the earlier of valid_to and until: the last day it can open on
    tz: tzinfo = TZ  # the zone of opens/closes: the schedule's `timezone`, else Europe/Berlin


class _Bad(ValueError):
    """A schedule that cannot be used; the message says why."""

# ---------------------------------------------------------------- parsing

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", "null", "none"))


def _time(value: Any, name: str, *, closing: bool = False) -> time:
    if isinstance(value, time):
        h, m, s = value.hour, value.minute, value.second
    else:
        match = _TIME_RE.fullmatch(value.strip()) if isinstance(value, str) else None
        if not match:
            raise _Bad(f"{name} {value!r} is not a time (HH:MM)")
        h, m, s = int(match[1]), int(match[2]), int(match[3] or 0)
    if closing and (h, m, s) in _END_OF_DAY:
        return time(0)  # midnight at the end of the day
    if h > 23 or m > 59 or s > 59:
        raise _Bad(f"{name} {value!r} is not a time of day")
    return time(h, m, s)


def _date(value: Any, name: str) -> date | None:
    if _blank(value) or isinstance(value, date):
        return None if _blank(value) else value.date() if isinstance(value, datetime) else value
    try:
        return date.fromisoformat(value.strip()[:10])
    except (AttributeError, ValueError):
        raise _Bad(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def _int(value: Any, name: str, *, low: int = 1) -> int | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0.5
    if isinstance(value, bool) or not number.is_integer() or number < low:
        raise _Bad(f"{name} {value!r} is not a whole number >= {low}")
    return int(number)


def _tokens(value: Any) -> list[str]:
    if _blank(value):
        return []
    parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return [t for t in (str(p).strip().upper().replace(" ", "") for p in parts) if t]


def _parse(s: Mapping[str, Any]) -> _Rule:
    missing = [k for k in ("opens_at", "closes_at") if _blank(s.get(k))]
    if missing:
        raise _Bad("no opens_at/closes_at: hours unknown" if len(missing) == 2 else f"{missing[0]} is missing")
    opens = _time(s["opens_at"], "opens_at")
    closes = _time(s["closes_at"], "closes_at", closing=True)
    byday: list[tuple[int, int | None]] = []
    for token in _tokens(s.get("byday")):
        match = _BYDAY_RE.fullmatch(token)
        n = int(match[1]) if match and match[1] else None
        if not match or (n is not None and not 1 <= abs(n) <= 5):
            raise _Bad(f"byday {s.get('byday')!r} is not like 'MO,TU' or '1SA,-1FR'")
        byday.append((_DAYS.index(match[2]), n))
    monthdays = _tokens(s.get("bymonthday"))
    if not all(re.fullmatch(r"[+-]?\d{1,2}", t) and 1 <= abs(int(t)) <= 31 for t in monthdays):
        raise _Bad(f"bymonthday {s.get('bymonthday')!r} is not like '1,15' or '-1'")
    monthdays = [int(t) for t in monthdays]
    freq_name = str(s["freq"]).strip().upper() if not _blank(s.get("freq")) else (  # tolerate a missing freq
        "MONTHLY" if monthdays or any(n for _, n in byday) else "WEEKLY" if byday else None)
    if freq_name is None:
        raise _Bad("no freq, byday or bymonthday: no recurrence")
    if freq_name not in _FREQS:
        raise _Bad(f"freq {s.get('freq')!r} is not WEEKLY or MONTHLY")
    if freq_name == "WEEKLY" and any(n for _, n in byday):
        raise _Bad(f"byday {s.get('byday')!r} has an ordinal, which needs freq MONTHLY")
    interval = _int(s.get("interval"), "interval") or 1
    count = _int(s.get("count"), "count")
    valid_from, valid_to = _date(s.get("valid_from"), "valid_from"), _date(s.get("valid_to"), "valid_to")
    if valid_from and valid_to and valid_from > valid_to:
        raise _Bad(f"valid_from {valid_from} is after valid_to {valid_to}")
    anchor = _date(s.get("dtstart"), "dtstart") or valid_from
    wkst_text = "MO" if _blank(s.get("wkst")) else str(s["wkst"]).strip().upper()
    if wkst_text not in _DAYS:
        raise _Bad(f"wkst {s.get('wkst')!r} is not a weekday code")
    if anchor is None and (interval > 1 or count or not (byday or monthdays)):
        raise _Bad("interval, count or a rule without byday/bymonthday needs dtstart or valid_from")
    if not (byday or monthdays):  # RFC 5545: the start date supplies the day
        byday, monthdays = ([(anchor.weekday(), None)], []) if freq_name == "WEEKLY" else ([], [anchor.day])
    until = _date(s.get("until"), "until")
    return _Rule(_FREQS[freq_name], interval, tuple(byday), tuple(monthdays), opens, closes, anchor, valid_from,
                 valid_to, until, count, _DAYS.index(wkst_text), min((d for d in (valid_to, until) if d), default=None),
                 zone(s.get("timezone")) or TZ)


def zone(value: Any) -> tzinfo | None:
    """A schedule's `timezone`: an IANA name ("Europe/London"), or hours from UTC (HSDS 3.0: a
    number, -12 to 14, quarter hours allowed); None when missing or not a zone."""
    if _blank(value) or isinstance(value, bool):
        return None
    text = str(value).strip()
    try:
        hours = float(text.removeprefix("UTC").removeprefix("GMT") or "0")
    except ValueError:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    if not -12 <= hours <= 14 or (hours * 4) % 1:
        return None
    return timezone(timedelta(hours=hours))


def _parse_all(schedules: Any) -> tuple[list[_Rule], list[str]]:
    if schedules is None:
        return [], []
    if isinstance(schedules, Mapping):
        schedules = [schedules]
    if isinstance(schedules, (str, bytes)) or not isinstance(schedules, Iterable):
        return [], [f"schedules: expected a list of objects, got {type(schedules).__name__}"]
    rules, problems = [], []
    for i, s in enumerate(schedules):
        label = f"schedule {i}"
        try:
            if not isinstance(s, Mapping):
                raise _Bad(f"expected an object, got {type(s).__name__}")
            if not _blank(s.get("id")):
                label += f" ({s['id']})"
            rules.append(_parse(s))
        except _Bad as e:
            problems.append(f"{label}: {e}")
        except Exception as e:  # never let odd data reach the caller
            problems.append(f"{label}: unusable ({type(e).__name__}: {e})")
    return rules, problems


def text_lines(schedules: Any) -> list[str]:
    """What schedules without a usable rule say in words: their `description`, `notes` and
    `attending_type` ("Thursdays, 5:30 p.m. - 6:30 p.m."), each text once, in order. Schedules
    with a rule are shown from the rule instead; text never makes an offer "open now"."""
    if isinstance(schedules, Mapping):
        schedules = [schedules]
    if isinstance(schedules, (str, bytes)) or not isinstance(schedules, Iterable):
        return []
    lines: list[str] = []
    for s in schedules:
        if not isinstance(s, Mapping):
            continue
        try:
            _parse(s)
            continue
        except Exception:  # noqa: BLE001 - no usable rule: its words are all there is
            pass
        for key in ("description", "notes", "attending_type"):
            text = s.get(key)
            if isinstance(text, str) and not _blank(text) and text.strip() not in lines:
                lines.append(text.strip())
    return lines


def problems(schedules: Any) -> list[str]:
    """Why schedules are ignored, one line each ("schedule 2 (id): closes_at '25:00' is not ...")."""
    return _parse_all(schedules)[1]


# ---------------------------------------------------------------- expansion

def _utc(day: date, at: time, tz: tzinfo = TZ) -> datetime:
    # Wall-clock in a DST gap (02:30 on the spring-forward day) comes out one hour later.
    return datetime.combine(day, at, tzinfo=tz).astimezone(timezone.utc)


def _as_utc(moment: datetime) -> datetime:
    """A naive datetime is taken as Europe/Berlin wall-clock time."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=TZ)).astimezone(timezone.utc)


def _advance(rule: _Rule, anchor: date, low: date) -> date:
    """Move the anchor forward by whole intervals, not past `low`, so expansion stays short."""
    if anchor >= low:
        return anchor
    if rule.freq == _rr.WEEKLY:
        week_start = anchor - timedelta(days=(anchor.weekday() - rule.wkst) % 7)
        k = (low - week_start).days // 7 // rule.interval
        return week_start + timedelta(weeks=k * rule.interval) if k else anchor
    k = ((low.year - anchor.year) * 12 + low.month - anchor.month) // rule.interval
    month = anchor.month - 1 + k * rule.interval
    return date(anchor.year + month // 12, month % 12 + 1, 1) if k else anchor


def _occurrences(rule: _Rule, first: date, last: date) -> list[tuple[date, datetime, datetime]]:
    """(day, start, end) in UTC for occurrences opening on local days first..last inclusive."""
    low = max(first, rule.valid_from or first)
    high = min(d for d in (last, rule.end) if d)
    if low > high:
        return []
    start = low if rule.anchor is None else rule.anchor if rule.count else _advance(rule, rule.anchor, low)
    try:
        recurrence = _rr.rrule(
            rule.freq, dtstart=datetime.combine(start, time()), interval=rule.interval,
            wkst=rule.wkst, count=rule.count, cache=False,
            byweekday=[_rr.weekdays[d](n) for d, n in rule.byday] or None,
            bymonthday=list(rule.bymonthday) or None)
        days = [dt.date() for dt in recurrence.between(
            datetime.combine(low, time()), datetime.combine(high, time()), inc=True)]
    except Exception:  # a rule dateutil refuses contributes nothing
        return []
    overnight = timedelta(days=1 if rule.closes <= rule.opens else 0)
    return [(d, _utc(d, rule.opens, rule.tz), _utc(d + overnight, rule.closes, rule.tz)) for d in days]


def _merge(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _spans(rules: list[_Rule], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    if start >= end:
        return []
    first = start.astimezone(TZ).date() - timedelta(days=1)  # yesterday's overnight opening
    last = end.astimezone(TZ).date() + timedelta(days=1)  # a zone ahead of Berlin opens "tomorrow"
    return _merge((a, b) for r in rules for _, a, b in _occurrences(r, first, last) if a < end and b > start)


def _covers(rule: _Rule, day: date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= day) and (rule.valid_to is None or day <= rule.valid_to)


def openings(schedules: Any, start: datetime, end: datetime) -> list[Opening]:
    """All opening intervals overlapping [start, end), sorted; overlapping or touching ones merged.

    Intervals are not clipped to the window. Naive `start`/`end` are Europe/Berlin wall-clock.
    """
    rules = _parse_all(schedules)[0]
    return [Opening(a.astimezone(TZ), b.astimezone(TZ)) for a, b in _spans(rules, _as_utc(start), _as_utc(end))]


def status_at(schedules: Any, now: datetime) -> HoursStatus:
    """Open (until when), closed (next opening within 60 days, or None) or unknown.

    Unknown when no usable schedule is valid today (none, all garbage, all past valid_to, or only
    future ones): HSDS says hours after valid_to are unknown, not ended. Never "open" without data.
    """
    rules = _parse_all(schedules)[0]
    now_utc = _as_utc(now)
    spans = _spans(rules, now_utc, now_utc + HORIZON)
    if spans and spans[0][0] <= now_utc:
        return HoursStatus(Status.OPEN, until=spans[0][1].astimezone(TZ))
    if not any(_covers(r, now_utc.astimezone(TZ).date()) for r in rules):
        return HoursStatus(Status.UNKNOWN)
    return HoursStatus(Status.CLOSED, next_open=spans[0][0].astimezone(TZ) if spans else None)


def _days(rules: list[_Rule], today: date) -> list[tuple[date, list[tuple[time, time]], list[date]]]:
    """For 7 days from today: (day, wall-clock spans opening that day, end dates of their rules)."""
    spans: dict[date, list[tuple[datetime, datetime]]] = {today + timedelta(i): [] for i in range(7)}
    ends: dict[date, list[date]] = {d: [] for d in spans}
    for rule in rules:
        for d, a, b in _occurrences(rule, today, today + timedelta(days=6)):
            spans[d].append((a, b))
            ends[d] += [rule.end] if rule.end else []
    return [(d, [(a.astimezone(TZ).time(), b.astimezone(TZ).time()) for a, b in _merge(spans[d])], ends[d])
            for d in spans]


def week(schedules: Any, today: date) -> list[DayHours]:
    """The 7 days starting today (today first), each with the spans that open on it."""
    return [DayHours(d, spans) for d, spans, _ in _days(_parse_all(schedules)[0], today)]


# ---------------------------------------------------------------- words
# Everything a language's CLDR data knows comes from Babel: day names, "A, B and C" lists,
# dates, "today"/"tomorrow", ordinal categories. The few sentences around them are English
# gettext message ids (marked with N_ for locales/update.py); the caller passes the gettext of the
# visitor's language as `translate` (sync never imports the kiosk). Without it they stay English.
Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a message id for extraction; translated later by the caller's `translate`."""
    return message


_M = {
    "range": N_("{first} to {last}"), "closed": N_("Closed"), "unknown": N_("Opening hours unknown"),
    "closed_week": N_("Closed for the next 7 days"), "until": N_("(until {date})"), "from": N_("(from {date})"),
    "monthly": N_("every {days} of the month"), "monthdays": N_("on the {days} day of the month"),
    "months": N_("(every {n} months)"), "weeks": N_("every {n} weeks on {days}"), "last": N_("last"),
    "nth_last": N_("{nth}-to-last"), "open_until": N_("Open now until {when}"), "opens": N_("Opens {when}"),
    "around_the_clock": N_("Open around the clock"), "all_day": N_("around the clock"),
    # Ordinal numbers by the CLDR ordinal category of the visitor's language (English: 1st 2nd 3rd 4th).
    # A language without these categories translates only "{n}th" (German: "{n}.").
    "one": N_("{n}st"), "two": N_("{n}nd"), "few": N_("{n}rd"), "other": N_("{n}th"),
}


class _Words:
    """The words of one language: Babel's CLDR data plus the caller's translations."""

    def __init__(self, locale: str, translate: Translate | None) -> None:
        try:
            self.locale = Locale.parse(str(locale or "en").replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            self.locale = Locale.parse("en")
        self.translate = translate or (lambda message: message)

    def __getitem__(self, key: str) -> str:
        return self.translate(_M[key])

    def days(self, width: str) -> Mapping[int, str]:
        return get_day_names(width, context="stand-alone", locale=self.locale)

    def join(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale)

    def date(self, day: date, *, year: bool = True) -> str:
        return format_skeleton("yMMdd" if year else "MMdd", day, locale=self.locale)

    def relative_day(self, ahead: int) -> str | None:
        """CLDR's "today" (0) and "tomorrow" (1) in this language."""
        try:
            return str(self.locale._data["date_fields"]["day"]["relative"][ahead])
        except (KeyError, TypeError):
            return None

    def nth(self, n: int) -> str:
        if n == -1:
            return self["last"]
        if n < 0:
            return self["nth_last"].format(nth=self.nth(-n))
        form = self.locale.ordinal_form(n)
        return self[form if form in _M else "other"].format(n=n)


def _hm(at: time, *, closing: bool = False) -> str:
    return "24:00" if closing and at == time(0) else f"{at.hour}:{at.minute:02d}"


def _span(opens: time, closes: time) -> str:
    return f"{_hm(opens)}–{_hm(closes, closing=True)}"


def _rule_line(rule: _Rule, today: date, w: _Words, names: Mapping[int, str]) -> str:
    """A monthly or every-n-weeks rule in words, with its span and validity."""
    if rule.freq == _rr.WEEKLY:
        what = w["weeks"].format(n=rule.interval, days=w.join([names[d] for d, _ in rule.byday]))
    elif rule.byday:
        ordinals: dict[int, list[str]] = {}
        for d, n in rule.byday:
            ordinals.setdefault(d, []).append(w.nth(n) if n else "")
        what = w["monthly"].format(days=w.join([f"{w.join(o) if any(o) else ''} {names[d]}".strip()
                                                for d, o in ordinals.items()]))
    else:
        what = w["monthdays"].format(days=w.join([w.nth(n) for n in rule.bymonthday]))
    if rule.freq == _rr.MONTHLY and rule.interval > 1:
        what += " " + w["months"].format(n=rule.interval)
    line = f"{what}, {_span(rule.opens, rule.closes)}"
    begin = max((d for d in (rule.valid_from, rule.anchor) if d), default=None)
    if begin and begin > today + timedelta(days=6):  # later than the days the kiosk lists
        line += " " + w["from"].format(date=w.date(begin))
    if rule.end and rule.end <= today + HORIZON:
        line += " " + w["until"].format(date=w.date(rule.end))
    return line


def describe_week(schedules: Any, today: date, locale: str = "de", translate: Translate | None = None) -> list[str]:
    """Open days of the next 7 days in words, Monday first, e.g. "Montag bis Freitag: 9:00–12:00".

    Consecutive days with the same spans are grouped; monthly and every-n-weeks rules get a line
    each ("jeden 1. Samstag im Monat, 10:00–13:00"). An end date within 60 days is appended.
    `locale` picks Babel's day names, lists and dates; `translate` (a gettext) the sentences.
    """
    w = _Words(locale, translate)
    names = w.days("wide")
    rules = _parse_all(schedules)[0]
    weekly = [r for r in rules if r.freq == _rr.WEEKLY and r.interval == 1]
    groups: list[list[Any]] = []  # [first weekday, last weekday, (spans, end)]
    for d, spans, ends in sorted(_days(weekly, today), key=lambda x: x[0].weekday()):
        end = min(ends, default=None)
        key = (spans, end if end and end <= today + HORIZON else None)
        if not spans:
            continue
        if groups and groups[-1][2] == key and groups[-1][1] == d.weekday() - 1:
            groups[-1][1] = d.weekday()
        else:
            groups.append([d.weekday(), d.weekday(), key])
    lines = []
    for a, b, (spans, end) in groups:
        label = names[a] if a == b else w.join([names[a], names[b]]) if b == a + 1 else \
            w["range"].format(first=names[a], last=names[b])
        whole_day = spans == [(time(0), time(0))]  # 0:00-24:00: open all day, e.g. every day
        line = f"{label}: {w['all_day'] if whole_day else ', '.join(_span(*s) for s in spans)}"
        lines.append(line + (" " + w["until"].format(date=w.date(end)) if end else ""))
    for rule in rules:
        if rule not in weekly and _occurrences(rule, today, today + timedelta(days=366)):
            lines.append(_rule_line(rule, today, w, names))
    if lines:
        return lines
    return [w["closed_week"] if any(_covers(r, today) for r in rules) else w["unknown"]]


def describe_status(status: HoursStatus, now: datetime, locale: str = "de", translate: Translate | None = None) -> str:
    """"Jetzt geöffnet bis 12:00", "Öffnet Di 10:00", "Öffnet heute 14:00", "Öffnungszeiten unbekannt".

    Open without a break for a week or more reads "Rund um die Uhr geöffnet" (a 24/7 service)."""
    w = _Words(locale, translate)
    names = w.days("abbreviated")
    now_local = _as_utc(now).astimezone(TZ)

    def when(moment: datetime, *, time_only: bool, closing: bool = False) -> str:
        local = moment.astimezone(TZ)
        clock = _hm(local.time(), closing=closing)
        if time_only:
            return clock
        ahead = (local.date() - now_local.date()).days
        day = (w.relative_day(ahead) if ahead in (0, 1) else None) or names[local.weekday()]
        return f"{day} {w.date(local.date(), year=False)} {clock}" if ahead > 6 else f"{day} {clock}"

    if status.state == Status.OPEN and status.until:
        if status.until - now_local >= AROUND_THE_CLOCK:
            return w["around_the_clock"]  # not "open until Fri 29.01. 0:00", the end of the horizon
        close_soon = status.until - now_local <= timedelta(hours=24)
        return w["open_until"].format(when=when(status.until, time_only=close_soon, closing=close_soon))
    if status.state == Status.CLOSED:
        return w["opens"].format(when=when(status.next_open, time_only=False)) if status.next_open else w["closed"]
    return w["unknown"]
