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

The hours in words, in the visitor's language, are in sync/hours_words.py.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule as _rr

TZ = ZoneInfo("Europe/Berlin")
HORIZON = timedelta(days=60)  # how far ahead status_at looks, and which end dates are worth a mention

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
    monthday_tokens = _tokens(s.get("bymonthday"))
    if not all(re.fullmatch(r"[+-]?\d{1,2}", t) and 1 <= abs(int(t)) <= 31 for t in monthday_tokens):
        raise _Bad(f"bymonthday {s.get('bymonthday')!r} is not like '1,15' or '-1'")
    monthdays = [int(t) for t in monthday_tokens]
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
    if not (byday or monthdays) and anchor:  # RFC 5545: the start date supplies the day (checked above)
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
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _as_utc(moment: datetime) -> datetime:
    """A naive datetime is taken as Europe/Berlin wall-clock time."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=TZ)).astimezone(UTC)


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
    byday = rule.byday
    if any(n for _, n in byday) and not all(n for _, n in byday):
        # RFC 5545: monthly "MO,1SA" is every Monday and the 1st Saturday; dateutil would take only
        # the days that are both (none). Every Monday of a month is its 1st to 5th Monday.
        byday = tuple((d, k) for d, n in byday for k in ([n] if n else range(1, 6)))
    try:
        recurrence = _rr.rrule(
            rule.freq, dtstart=datetime.combine(start, time()), interval=rule.interval,
            wkst=rule.wkst, count=rule.count, cache=False,
            byweekday=[_rr.weekdays[d](n) for d, n in byday] or None,
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
