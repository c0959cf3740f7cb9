"""Opening hours from HSDS schedules (sync/hours.py).

Every expected date below was read off a printed 2026 calendar, not computed by the code under test:
June 2026 starts on a Monday (1 Mon ... 7 Sun); in Germany DST starts Sun 2026-03-29, ends Sun 2026-10-25.
"""
from __future__ import annotations

import ast
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from sync import hours
from sync.hours import (
    TZ,
    DayHours,
    HoursStatus,
    Opening,
    Status,
    openings,
    problems,
    status_at,
    week,
)

# A temporary German catalogue of the sentences around Babel's day names and dates (the kiosk's
# real one is locales/de/LC_MESSAGES/kiosk.po); other languages get no translation, so English.
GERMAN = {
    "{first} to {last}": "{first} bis {last}", "Closed": "Geschlossen",
    "Opening hours unknown": "Öffnungszeiten unbekannt",
    "Closed for the next 7 days": "In den nächsten 7 Tagen geschlossen", "(until {date})": "(bis {date})",
    "(from {date})": "(ab {date})", "every {days} of the month": "jeden {days} im Monat",
    "on the {days} day of the month": "am {days} Tag im Monat", "(every {n} months)": "(alle {n} Monate)",
    "every {n} weeks on {days}": "alle {n} Wochen {days}", "last": "letzten", "{nth}-to-last": "{nth}-letzten",
    "Open now until {when}": "Jetzt geöffnet bis {when}", "Opens {when}": "Öffnet {when}",
    "Open around the clock": "Rund um die Uhr geöffnet", "around the clock": "rund um die Uhr",
    "{n}st": "{n}.", "{n}nd": "{n}.", "{n}rd": "{n}.", "{n}th": "{n}.",
}


def _translate(locale: str):
    return (lambda m: GERMAN.get(m, m)) if str(locale).startswith("de") else None


def describe_week(schedules, today, locale="de"):
    return hours.describe_week(schedules, today, locale, _translate(locale))


def describe_status(status, now, locale="de"):
    return hours.describe_status(status, now, locale, _translate(locale))



def B(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """Europe/Berlin wall-clock time."""
    return datetime(y, m, d, h, mi, tzinfo=TZ)


def S(byday: str | None = None, opens: str | None = "09:00", closes: str | None = "12:00",
      freq: str | None = "WEEKLY", **more) -> dict:
    return {"freq": freq, "byday": byday, "opens_at": opens, "closes_at": closes, **more}


# Mo-Fr 9-12 plus Mo and Th 14-16.
REALISTIC = [S("MO,TU,WE,TH,FR"), S("MO,TH", "14:00", "16:00")]
SPLIT_TUE = [S("TU", "10:00", "13:00"), S("TU", "14:00", "17:00")]
WEEKEND = [S("SA,SU", "10:00", "18:00")]
OVERNIGHT_FRI = [S("FR", "20:00", "02:00")]
VALID_MONDAYS = [S("MO", valid_from="2026-06-08", valid_to="2026-06-22")]


# ------------------------------------------------------------------ status_at

STATUS = [
    # id, schedules, now, state, until, next_open
    ("split-open-morning", SPLIT_TUE, B(2026, 6, 2, 10), "open", B(2026, 6, 2, 13), None),
    ("split-closed-lunch", SPLIT_TUE, B(2026, 6, 2, 13), "closed", None, B(2026, 6, 2, 14)),
    ("split-open-afternoon", SPLIT_TUE, B(2026, 6, 2, 15), "open", B(2026, 6, 2, 17), None),
    ("split-after-close-next-week", SPLIT_TUE, B(2026, 6, 2, 17), "closed", None, B(2026, 6, 9, 10)),
    ("weekend-sat-open", WEEKEND, B(2026, 6, 6, 11), "open", B(2026, 6, 6, 18), None),
    ("weekend-fri-evening", WEEKEND, B(2026, 6, 5, 20), "closed", None, B(2026, 6, 6, 10)),
    ("weekend-sun-evening", WEEKEND, B(2026, 6, 7, 19), "closed", None, B(2026, 6, 13, 10)),
    ("overnight-fri-late", OVERNIGHT_FRI, B(2026, 6, 5, 23), "open", B(2026, 6, 6, 2), None),
    ("overnight-sat-early", OVERNIGHT_FRI, B(2026, 6, 6, 1), "open", B(2026, 6, 6, 2), None),
    ("overnight-sat-after", OVERNIGHT_FRI, B(2026, 6, 6, 3), "closed", None, B(2026, 6, 12, 20)),
    ("today-later", REALISTIC, B(2026, 6, 1, 7, 30), "closed", None, B(2026, 6, 1, 9)),
    ("next-week", REALISTIC, B(2026, 6, 5, 13), "closed", None, B(2026, 6, 8, 9)),
    ("touching-merged", [S("MO", "09:00", "12:00"), S("MO", "12:00", "14:00")], B(2026, 6, 1, 10),
     "open", B(2026, 6, 1, 14), None),
    ("overlap-merged", [S("MO", "09:00", "12:00"), S("MO", "11:00", "15:00")], B(2026, 6, 1, 10),
     "open", B(2026, 6, 1, 15), None),
    ("24h-sat", [S("SA", "00:00", "23:59")], B(2026, 6, 6, 12), "open", B(2026, 6, 7, 0), None),
    ("24h-weekend-merged", [S("SA,SU", "00:00", "23:59")], B(2026, 6, 6, 12), "open", B(2026, 6, 8, 0), None),
    ("24:00-close", [S("SA", "18:00", "24:00")], B(2026, 6, 6, 23), "open", B(2026, 6, 7, 0), None),
    ("utc-now-summer", REALISTIC, datetime(2026, 6, 1, 7, 30, tzinfo=UTC), "open", B(2026, 6, 1, 12), None),
    ("utc-now-winter", REALISTIC, datetime(2026, 1, 5, 8, 30, tzinfo=UTC), "open", B(2026, 1, 5, 12), None),
    ("utc-now-winter-lunch", REALISTIC, datetime(2026, 1, 5, 11, 30, tzinfo=UTC), "closed", None,
     B(2026, 1, 5, 14)),
    ("naive-now-is-berlin", REALISTIC, datetime(2026, 6, 1, 9, 30), "open", B(2026, 6, 1, 12), None),
    ("valid-before", VALID_MONDAYS, B(2026, 6, 1, 10), "unknown", None, None),
    ("valid-first-day", VALID_MONDAYS, B(2026, 6, 8, 10), "open", B(2026, 6, 8, 12), None),
    ("valid-inside", VALID_MONDAYS, B(2026, 6, 15, 10), "open", B(2026, 6, 15, 12), None),
    ("valid-to-inclusive", VALID_MONDAYS, B(2026, 6, 22, 10), "open", B(2026, 6, 22, 12), None),
    ("valid-to-day-evening", VALID_MONDAYS, B(2026, 6, 22, 23, 59), "closed", None, None),
    ("valid-after-expired", VALID_MONDAYS, B(2026, 6, 23, 10), "unknown", None, None),
    ("until-ended-is-closed", [S("MO", until="2026-06-08")], B(2026, 6, 9, 10), "closed", None, None),
    ("no-schedules-none", None, B(2026, 6, 1, 10), "unknown", None, None),
    ("no-schedules-empty", [], B(2026, 6, 1, 10), "unknown", None, None),
    ("only-garbage", [None, "x", 3, {"opens_at": "nonsense"}, S("XX")], B(2026, 6, 1, 10), "unknown", None, None),
    ("no-times", [S("MO", None, None)], B(2026, 6, 1, 10), "unknown", None, None),
    ("interval-without-phase", [S("MO", interval=2)], B(2026, 6, 1, 10), "unknown", None, None),
    ("garbage-beside-good", [{"byday": 7}, *REALISTIC], B(2026, 6, 1, 10), "open", B(2026, 6, 1, 12), None),
]


@pytest.mark.parametrize("schedules,now,state,until,next_open", [c[1:] for c in STATUS], ids=[c[0] for c in STATUS])
def test_status_at(schedules, now, state, until, next_open):
    got = status_at(schedules, now)
    assert (got.state, got.until, got.next_open) == (state, until, next_open)
    assert got.state == Status(state)
    for moment in (got.until, got.next_open):
        assert moment is None or moment.tzinfo is TZ


# ------------------------------------------------------------------ openings

def days_of(schedules, start: date, end: date) -> list[date]:
    return [o.start.date() for o in openings(schedules, B(start.year, start.month, start.day),
                                             B(end.year, end.month, end.day))]


WEEKDAYS = [("MO", date(2026, 6, 1)), ("TU", date(2026, 6, 2)), ("WE", date(2026, 6, 3)),
            ("TH", date(2026, 6, 4)), ("FR", date(2026, 6, 5)), ("SA", date(2026, 6, 6)), ("SU", date(2026, 6, 7))]


@pytest.mark.parametrize("code,day", WEEKDAYS, ids=[c for c, _ in WEEKDAYS])
def test_each_weekday(code, day):
    got = openings([S(code, "10:00", "12:00")], B(2026, 6, 1), B(2026, 6, 8))
    start = datetime.combine(day, time(10), tzinfo=TZ)
    assert got == [Opening(start, start + timedelta(hours=2))]
    assert status_at([S(code, "10:00", "12:00")], start + timedelta(hours=1)).state == "open"


DATES = [
    # id, schedules, window start, window end (exclusive), expected opening days
    ("monthly-1SA", [S("1SA", freq="MONTHLY")], date(2026, 10, 1), date(2027, 1, 1),
     [date(2026, 10, 3), date(2026, 11, 7), date(2026, 12, 5)]),
    ("monthly-last-FR", [S("-1FR", freq="MONTHLY")], date(2026, 10, 1), date(2027, 1, 1),
     [date(2026, 10, 30), date(2026, 11, 27), date(2026, 12, 25)]),
    ("monthly-2TU-4TU", [S("2TU,4TU", freq="MONTHLY")], date(2026, 10, 1), date(2027, 1, 1),
     [date(2026, 10, 13), date(2026, 10, 27), date(2026, 11, 10), date(2026, 11, 24), date(2026, 12, 8),
      date(2026, 12, 22)]),
    ("monthly-freq-missing", [S("1SA", freq=None)], date(2026, 10, 1), date(2026, 11, 1), [date(2026, 10, 3)]),
    ("bymonthday-last", [S(None, freq="MONTHLY", bymonthday="-1")], date(2026, 10, 1), date(2027, 1, 1),
     [date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31)]),
    ("bymonthday-1-15", [S(None, freq="MONTHLY", bymonthday="1,15")], date(2026, 11, 1), date(2026, 12, 1),
     [date(2026, 11, 1), date(2026, 11, 15)]),
    ("hsds-example-until", [S("1SA", "09:00:00Z", "17:00:00Z", "MONTHLY", dtstart="2020-07-04",
                              until="2020-11-07", valid_from="null", valid_to="null")],
     date(2020, 6, 1), date(2021, 3, 1),
     [date(2020, 7, 4), date(2020, 8, 1), date(2020, 9, 5), date(2020, 10, 3), date(2020, 11, 7)]),
    ("until-inclusive", [S("MO", until="2026-06-15")], date(2026, 6, 1), date(2026, 7, 1),
     [date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15)]),
    ("count-2", [S("MO", dtstart="2026-06-01", count=2)], date(2026, 6, 1), date(2026, 7, 1),
     [date(2026, 6, 1), date(2026, 6, 8)]),
    ("count-from-valid-from", [S("MO", valid_from="2026-06-15", count="2")], date(2026, 6, 1), date(2026, 7, 1),
     [date(2026, 6, 15), date(2026, 6, 22)]),
    ("interval-2-dtstart", [S("MO", interval=2, dtstart="2026-06-01")], date(2026, 6, 1), date(2026, 7, 1),
     [date(2026, 6, 1), date(2026, 6, 15), date(2026, 6, 29)]),
    ("interval-2-valid-from-phase", [S("MO", interval=2.0, valid_from="2026-06-08")], date(2026, 6, 1),
     date(2026, 7, 1), [date(2026, 6, 8), date(2026, 6, 22)]),
    # 2020-01-06 to 2026-06-01 is 334 weeks (even), so 2026-06-01 is an "on" week.
    ("interval-2-old-dtstart", [S("MO", interval=2, dtstart="2020-01-06")], date(2026, 6, 1), date(2026, 7, 1),
     [date(2026, 6, 1), date(2026, 6, 15), date(2026, 6, 29)]),
    ("interval-2-midweek-dtstart", [S("MO", interval=2, dtstart="2026-05-27")], date(2026, 6, 1),
     date(2026, 7, 1), [date(2026, 6, 8), date(2026, 6, 22)]),
    # Jan, Mar, May, Jul, Sep, Nov 2026: the first Saturday of November is the 7th.
    ("monthly-interval-2", [S("1SA", freq="MONTHLY", interval=2, dtstart="2026-01-03")], date(2026, 10, 1),
     date(2027, 1, 1), [date(2026, 11, 7)]),
    ("weekly-no-byday-uses-dtstart", [S(None, dtstart="2026-06-03")], date(2026, 6, 1), date(2026, 6, 15),
     [date(2026, 6, 3), date(2026, 6, 10)]),
    ("dtstart-limits-start", [S("MO", dtstart="2026-06-10")], date(2026, 6, 1), date(2026, 6, 22),
     [date(2026, 6, 15)]),
    ("valid-range", VALID_MONDAYS, date(2026, 6, 1), date(2026, 7, 1),
     [date(2026, 6, 8), date(2026, 6, 15), date(2026, 6, 22)]),
    ("valid-window-before", VALID_MONDAYS, date(2026, 5, 1), date(2026, 6, 8), []),
    ("valid-window-after", VALID_MONDAYS, date(2026, 6, 23), date(2026, 8, 1), []),
    ("date-objects", [S("MO", valid_from=date(2026, 6, 8), valid_to=datetime(2026, 6, 15, 0, 0))],
     date(2026, 6, 1), date(2026, 7, 1), [date(2026, 6, 8), date(2026, 6, 15)]),
    ("list-byday-and-time-objects", [S(["MO", "WE"], time(9), time(12))], date(2026, 6, 1), date(2026, 6, 8),
     [date(2026, 6, 1), date(2026, 6, 3)]),
    ("lower-case-and-spaces", [S(" mo, we ", freq="weekly")], date(2026, 6, 1), date(2026, 6, 8),
     [date(2026, 6, 1), date(2026, 6, 3)]),
]


@pytest.mark.parametrize("schedules,start,end,expected", [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_opening_days(schedules, start, end, expected):
    assert days_of(schedules, start, end) == expected


TIMES = ["09:00", "09:00:00", "09:00Z", "09:00:00Z", "09:00+01:00", "09:00:00-05:00", "9:00", "09:00:00.000"]


@pytest.mark.parametrize("opens", TIMES, ids=TIMES)
def test_time_formats_are_berlin_wall_clock(opens):
    assert openings([S("MO", opens, "12:00Z")], B(2026, 6, 1), B(2026, 6, 2)) == [
        Opening(B(2026, 6, 1, 9), B(2026, 6, 1, 12))]


def test_overnight_and_window_overlap():
    # The Friday opening reaches into a window that starts on Saturday; it is not clipped.
    assert openings(OVERNIGHT_FRI, B(2026, 6, 6, 1), B(2026, 6, 6, 5)) == [Opening(B(2026, 6, 5, 20), B(2026, 6, 6, 2))]
    assert openings(OVERNIGHT_FRI, B(2026, 6, 6, 2), B(2026, 6, 6, 5)) == []
    assert openings(REALISTIC, B(2026, 6, 2), B(2026, 6, 1)) == []


DST = [
    # id, schedule, day, UTC start, UTC end (real duration follows), offset at start, offset at end
    ("spring-sunday", S("SU"), date(2026, 3, 29), datetime(2026, 3, 29, 7, tzinfo=UTC),
     datetime(2026, 3, 29, 10, tzinfo=UTC), 2, 2),
    ("spring-saturday-before", S("SA"), date(2026, 3, 28), datetime(2026, 3, 28, 8, tzinfo=UTC),
     datetime(2026, 3, 28, 11, tzinfo=UTC), 1, 1),
    ("fall-sunday", S("SU"), date(2026, 10, 25), datetime(2026, 10, 25, 8, tzinfo=UTC),
     datetime(2026, 10, 25, 11, tzinfo=UTC), 1, 1),
    ("fall-saturday-before", S("SA"), date(2026, 10, 24), datetime(2026, 10, 24, 7, tzinfo=UTC),
     datetime(2026, 10, 24, 10, tzinfo=UTC), 2, 2),
    # Overnight 20:00-04:00 across the switch: 7 real hours in spring, 9 in autumn.
    ("spring-overnight", S("SA", "20:00", "04:00"), date(2026, 3, 28), datetime(2026, 3, 28, 19, tzinfo=UTC),
     datetime(2026, 3, 29, 2, tzinfo=UTC), 1, 2),
    ("fall-overnight", S("SA", "20:00", "04:00"), date(2026, 10, 24), datetime(2026, 10, 24, 18, tzinfo=UTC),
     datetime(2026, 10, 25, 3, tzinfo=UTC), 2, 1),
]


@pytest.mark.parametrize("schedule,day,utc_start,utc_end,off_start,off_end", [c[1:] for c in DST],
                         ids=[c[0] for c in DST])
def test_dst(schedule, day, utc_start, utc_end, off_start, off_end):
    (got,) = openings([schedule], B(day.year, day.month, day.day), B(day.year, day.month, day.day, 23))
    assert (got.start.astimezone(UTC), got.end.astimezone(UTC)) == (utc_start, utc_end)
    assert got.start.utcoffset() == timedelta(hours=off_start)
    assert got.end.utcoffset() == timedelta(hours=off_end)
    assert got.start.tzinfo is TZ and got.end.tzinfo is TZ


def test_dst_sunday_is_three_wall_clock_hours():
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        start, end = datetime.combine(day, time(), tzinfo=TZ), datetime.combine(day, time(23), tzinfo=TZ)
        (got,) = openings([S("SU")], start, end)
        assert (got.start.hour, got.end.hour) == (9, 12)
        assert got.end.astimezone(UTC) - got.start.astimezone(UTC) == timedelta(hours=3)


# ------------------------------------------------------------------ problems

GARBAGE = [
    ("none-entry", None, "expected an object"),
    ("no-times", S("MO", None, None), "hours unknown"),
    ("only-opens", S("MO", closes=None), "closes_at is missing"),
    ("bad-time", S("MO", "25:00"), "opens_at"),
    ("bad-closes", S("MO", closes="noon"), "closes_at"),
    ("bad-day", S("XY"), "byday"),
    ("ordinal-weekly", S("1SA"), "MONTHLY"),
    ("bad-ordinal", S("9SA", freq="MONTHLY"), "byday"),
    ("bad-freq", S("MO", freq="DAILY"), "freq"),
    ("no-recurrence", S(None, freq=None), "no recurrence"),
    ("bad-interval", S("MO", interval=0), "interval"),
    ("fraction-interval", S("MO", interval=1.5, dtstart="2026-06-01"), "interval"),
    ("bool-count", S("MO", count=True, dtstart="2026-06-01"), "count"),
    ("bad-date", S("MO", valid_to="31.12.2026"), "valid_to"),
    ("reversed-validity", S("MO", valid_from="2026-07-01", valid_to="2026-06-01"), "after"),
    ("bad-monthday", S(None, freq="MONTHLY", bymonthday="32"), "bymonthday"),
    ("interval-without-phase", S("MO", interval=2), "dtstart"),
    ("count-without-start", S("MO", count=3), "dtstart"),
    ("bad-wkst", S("MO", wkst="XX"), "wkst"),
]


@pytest.mark.parametrize("schedule,fragment", [c[1:] for c in GARBAGE], ids=[c[0] for c in GARBAGE])
def test_garbage_is_ignored_and_explained(schedule, fragment):
    assert status_at([schedule], B(2026, 6, 1, 10)).state == "unknown"
    assert openings([schedule], B(2026, 6, 1), B(2026, 7, 1)) == []
    (why,) = problems([schedule])
    assert why.startswith("schedule 0") and fragment in why


def test_problems_of_good_data_and_odd_containers():
    assert problems(REALISTIC) == [] and problems(None) == []
    assert problems("MO") and problems(42)
    assert problems([{"id": "abc", "opens_at": "x"}])[0].startswith("schedule 0 (abc): ")


# ------------------------------------------------------------------ week

def test_week_starts_today():
    got = week(REALISTIC, date(2026, 6, 3))
    morning, afternoon = (time(9), time(12)), (time(14), time(16))
    assert got == [
        DayHours(date(2026, 6, 3), [morning]),
        DayHours(date(2026, 6, 4), [morning, afternoon]),
        DayHours(date(2026, 6, 5), [morning]),
        DayHours(date(2026, 6, 6), []),
        DayHours(date(2026, 6, 7), []),
        DayHours(date(2026, 6, 8), [morning, afternoon]),
        DayHours(date(2026, 6, 9), [morning]),
    ]
    assert week([S("FR", "20:00", "02:00")], date(2026, 6, 5))[0].spans == [(time(20), time(2))]
    assert week(None, date(2026, 6, 5))[0] == DayHours(date(2026, 6, 5), [])


# ------------------------------------------------------------------ words

WORDS = [
    ("realistic", REALISTIC, "de", ["Montag: 9:00–12:00, 14:00–16:00", "Dienstag und Mittwoch: 9:00–12:00",
                                    "Donnerstag: 9:00–12:00, 14:00–16:00", "Freitag: 9:00–12:00"]),
    ("realistic", REALISTIC, "en", ["Monday: 9:00–12:00, 14:00–16:00", "Tuesday and Wednesday: 9:00–12:00",
                                    "Thursday: 9:00–12:00, 14:00–16:00", "Friday: 9:00–12:00"]),
    ("mo-fr-split", [S("MO,TU,WE,TH,FR"), S("MO,TU,WE,TH,FR", "14:00", "16:00")], "de",
     ["Montag bis Freitag: 9:00–12:00, 14:00–16:00"]),
    ("mo-fr-split", [S("MO,TU,WE,TH,FR"), S("MO,TU,WE,TH,FR", "14:00", "16:00")], "en",
     ["Monday to Friday: 9:00–12:00, 14:00–16:00"]),
    ("weekend-overnight", [S("SA,SU", "20:00", "00:00")], "de", ["Samstag und Sonntag: 20:00–24:00"]),
    ("monthly-1SA", [S("1SA", "10:00", "13:00", "MONTHLY")], "de", ["jeden 1. Samstag im Monat, 10:00–13:00"]),
    ("monthly-1SA", [S("1SA", "10:00", "13:00", "MONTHLY")], "en", ["every 1st Saturday of the month, 10:00–13:00"]),
    ("monthly-last-FR", [S("-1FR", "15:00", "18:00", "MONTHLY")], "de",
     ["jeden letzten Freitag im Monat, 15:00–18:00"]),
    ("monthly-last-FR", [S("-1FR", "15:00", "18:00", "MONTHLY")], "en",
     ["every last Friday of the month, 15:00–18:00"]),
    ("monthly-2TU-4TU", [S("2TU,4TU", freq="MONTHLY")], "de", ["jeden 2. und 4. Dienstag im Monat, 9:00–12:00"]),
    ("monthly-2TU-4TU", [S("2TU,4TU", freq="MONTHLY")], "en", ["every 2nd and 4th Tuesday of the month, 9:00–12:00"]),
    ("monthday-last", [S(None, freq="MONTHLY", bymonthday="-1")], "de", ["am letzten Tag im Monat, 9:00–12:00"]),
    ("fortnightly", [S("SA", interval=2, dtstart="2026-06-06")], "en", ["every 2 weeks on Saturday, 9:00–12:00"]),
    ("monthly-starts-later", [S("1SA", freq="MONTHLY", valid_from="2026-09-01")], "de",
     ["jeden 1. Samstag im Monat, 9:00–12:00 (ab 01.09.2026)"]),
    ("weekly-and-monthly", [S("MO"), S("1SA", freq="MONTHLY")], "de",
     ["Montag: 9:00–12:00", "jeden 1. Samstag im Monat, 9:00–12:00"]),
    ("ends-soon", [S("MO,TU", valid_to="2026-07-31")], "de", ["Montag und Dienstag: 9:00–12:00 (bis 31.07.2026)"]),
    ("ends-soon", [S("MO,TU", valid_to="2026-07-31")], "en", ["Monday and Tuesday: 9:00–12:00 (until 7/31/2026)"]),
    ("ends-late", [S("MO,TU", valid_to="2026-12-31")], "de", ["Montag und Dienstag: 9:00–12:00"]),
    ("monthly-ends-soon", [S("1SA", freq="MONTHLY", until="2026-07-04")], "de",
     ["jeden 1. Samstag im Monat, 9:00–12:00 (bis 04.07.2026)"]),
    ("monthly-ended", [S("1SA", freq="MONTHLY", until="2026-05-02")], "de",
     ["In den nächsten 7 Tagen geschlossen"]),  # `until` is a real end, unlike valid_to
    ("unknown", [], "de", ["Öffnungszeiten unbekannt"]),
    ("unknown", [S("MO", None, None)], "en", ["Opening hours unknown"]),
    ("expired", [S("MO", valid_to="2026-05-31")], "de", ["Öffnungszeiten unbekannt"]),
    ("locale-region", [S("MO")], "de_DE", ["Montag: 9:00–12:00"]),
    ("locale-fallback-words", [S("MO,TU")], "fr", ["lundi et mardi: 9:00–12:00"]),
    ("locale-unknown", [S("MO,TU,WE")], "xx", ["Monday to Wednesday: 9:00–12:00"]),
]


@pytest.mark.parametrize("schedules,locale,expected", [c[1:] for c in WORDS],
                         ids=[f"{c[0]}-{c[2]}" for c in WORDS])
def test_describe_week(schedules, locale, expected):
    # Wednesday 2026-06-03: the lines are still Monday first.
    assert describe_week(schedules, date(2026, 6, 3), locale) == expected


NOW = B(2026, 6, 7, 11)  # Sunday
STATUS_WORDS = [
    ("open", HoursStatus(Status.OPEN, until=B(2026, 6, 7, 12)), "Jetzt geöffnet bis 12:00", "Open now until 12:00"),
    ("open-midnight", HoursStatus(Status.OPEN, until=B(2026, 6, 8, 0)), "Jetzt geöffnet bis 24:00",
     "Open now until 24:00"),
    ("open-overnight", HoursStatus(Status.OPEN, until=B(2026, 6, 8, 2)), "Jetzt geöffnet bis 2:00",
     "Open now until 2:00"),
    ("open-days", HoursStatus(Status.OPEN, until=B(2026, 6, 9, 18)), "Jetzt geöffnet bis Di 18:00",
     "Open now until Tue 18:00"),
    ("opens-today", HoursStatus(Status.CLOSED, next_open=B(2026, 6, 7, 14)), "Öffnet heute 14:00", "Opens today 14:00"),
    ("opens-tomorrow", HoursStatus(Status.CLOSED, next_open=B(2026, 6, 8, 9)), "Öffnet morgen 9:00",
     "Opens tomorrow 9:00"),
    ("opens-tuesday", HoursStatus(Status.CLOSED, next_open=B(2026, 6, 9, 10)), "Öffnet Di 10:00", "Opens Tue 10:00"),
    ("opens-far", HoursStatus(Status.CLOSED, next_open=B(2026, 6, 16, 10)), "Öffnet Di 16.06. 10:00",
     "Opens Tue 6/16 10:00"),
    ("closed-no-next", HoursStatus(Status.CLOSED), "Geschlossen", "Closed"),
    ("unknown", HoursStatus(Status.UNKNOWN), "Öffnungszeiten unbekannt", "Opening hours unknown"),
]


@pytest.mark.parametrize("status,german,english", [c[1:] for c in STATUS_WORDS], ids=[c[0] for c in STATUS_WORDS])
def test_describe_status(status, german, english):
    assert describe_status(status, NOW, "de") == german
    assert describe_status(status, NOW.astimezone(UTC), "en") == english


ALWAYS = [S("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")]


@pytest.mark.parametrize("now", [B(2026, 6, 7, 11), B(2026, 6, 8, 0), B(2026, 6, 7, 23, 59), B(2026, 1, 29, 0)])
def test_open_around_the_clock_says_so(now):
    status = status_at(ALWAYS, now)
    assert status.state == Status.OPEN
    assert describe_status(status, now, "de") == "Rund um die Uhr geöffnet"
    assert describe_status(status, now, "en") == "Open around the clock"
    assert describe_week(ALWAYS, now.date(), "de") == ["Montag bis Sonntag: rund um die Uhr"]
    assert describe_week(ALWAYS, now.date(), "en") == ["Monday to Sunday: around the clock"]


def test_open_for_days_but_not_a_week_names_the_end():
    # Open from Monday 0:00 to Friday 24:00 without a break: not around the clock.
    weekdays = [S("MO,TU,WE,TH,FR", "00:00", "24:00")]
    now = B(2026, 6, 9, 11)  # Tuesday
    assert describe_status(status_at(weekdays, now), now, "de") == "Jetzt geöffnet bis Sa 0:00"
    assert describe_week(weekdays, now.date(), "de") == ["Montag bis Freitag: rund um die Uhr"]
    # Ending within the week (valid_to): the end is named, not "around the clock".
    ending = [S("MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00", valid_to="2026-06-11")]
    assert describe_status(status_at(ending, now), now, "de") == "Jetzt geöffnet bis Fr 0:00"


def test_describe_status_end_to_end():
    now = B(2026, 6, 6, 12)  # Saturday; next opening is Monday 9:00
    assert describe_status(status_at(REALISTIC, now), now, "de") == "Öffnet Mo 9:00"
    now = B(2026, 6, 1, 10)
    assert describe_status(status_at(REALISTIC, now), now, "en") == "Open now until 12:00"
    assert describe_status(status_at([], now), now, "en") == "Opening hours unknown"


# ------------------------------------------------------------------ imports

def test_imports_only_stdlib_dateutil_babel():
    source = Path(__file__).resolve().parents[1] / "sync" / "hours.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    roots = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}
    roots |= {node.module.split(".")[0] for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert roots - set(sys.stdlib_module_names) <= {"dateutil", "babel"}
    assert not roots & {"textual", "kiosk"}


# ------------------------------------------------------------------ any language through Babel

@pytest.mark.parametrize("locale,monday,tuesday,conjunction", [
    ("uk", "понеділок", "вівторок", " і "), ("ar", "الاثنين", "الثلاثاء", " و"), ("tr", "Pazartesi", "Salı", " ve "),
    ("ru", "понедельник", "вторник", " и "), ("fa", "دوشنبه", "سه‌شنبه", " و "), ("pl", "poniedziałek", "wtorek", " i "),
    ("ro", "luni", "marți", " și "),
])
def test_days_and_lists_come_from_cldr_for_every_language(locale, monday, tuesday, conjunction):
    (line,) = hours.describe_week([S("MO,TU")], date(2026, 6, 3), locale)
    assert monday.lower() in line.lower() and tuesday.lower() in line.lower() and conjunction in line


def test_sentences_come_from_the_callers_translation_and_dates_from_cldr():
    catalogue = {"Opens {when}": "Відкривається {when}", "(until {date})": "(до {date})"}
    translate = lambda m: catalogue.get(m, m)  # noqa: E731
    opens = hours.describe_status(HoursStatus(Status.CLOSED, next_open=B(2026, 6, 8, 9)), NOW, "uk", translate)
    assert opens == "Відкривається завтра 9:00"  # "tomorrow" from CLDR, the sentence from gettext
    far = hours.describe_status(HoursStatus(Status.CLOSED, next_open=B(2026, 6, 16, 10)), NOW, "uk", translate)
    assert far == "Відкривається вт 16.06 10:00"
    (line,) = hours.describe_week([S("MO,TU", valid_to="2026-07-31")], date(2026, 6, 3), "uk", translate)
    assert line.endswith("(до 31.07.2026)")
    (monthly,) = hours.describe_week([S("1SA", freq="MONTHLY")], date(2026, 6, 3), "en")
    assert monthly.startswith("every 1st Saturday")  # English ordinal categories (one/two/few/other)
