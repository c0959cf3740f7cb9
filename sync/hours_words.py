"""Opening hours in words, in the visitor's language: "Montag bis Freitag: 9:00–12:00",
"jeden 1. Samstag im Monat, 10:00–13:00", "Öffnet morgen 9:00". The rules come from sync/hours.py.

Everything a language's CLDR data knows comes from Babel: day names, "A, B and C" lists, dates,
"today"/"tomorrow", ordinal categories. The sentences around them are English gettext message ids,
marked here for locales/update.py; the caller passes the gettext catalogue of the visitor's
language (sync never imports the kiosk). Without one they stay English.

Agreement: a sentence with a weekday in it is one message per weekday ("every {nth} Saturday of the
month"), and the ordinals that go into it are messages with that weekday as their context
(msgctxt "Saturday", msgid "1st"), so Russian can write "каждую первую субботу" but "каждый первый
понедельник", and Polish "w każdą pierwszą sobotę" but "w każdy pierwszy poniedziałek". Counts
("every 2 weeks") are plural messages (ngettext), for Arabic duals and Slavic and Romanian forms.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, Protocol

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_day_names
from babel.lists import format_list
from dateutil import rrule as _rr

from .hours import HORIZON, TZ, HoursStatus, Status, _as_utc, _covers, _days, _occurrences, _parse_all, _Rule

AROUND_THE_CLOCK = timedelta(days=7)  # open without a break at least this long: "open around the clock"


class Catalogue(Protocol):
    """What the caller passes for the sentences: a gettext catalogue (gettext.NullTranslations)."""

    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, msgid1: str, msgid2: str, n: int, /) -> str: ...
    def pgettext(self, context: str, message: str, /) -> str: ...


class _English:
    """The message ids themselves: English."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int, /) -> str:
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str, /) -> str:
        return message


def N_(message: str) -> str:
    """Mark a message id for extraction; translated later by the caller's catalogue."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with a context (msgctxt) for extraction; translated with pgettext."""
    return context, message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with plural forms for extraction; translated with ngettext."""
    return singular, plural


_M = {
    "range": N_("{first} to {last}"), "closed": N_("Closed"), "unknown": N_("Opening hours unknown"),
    "closed_week": N_("Closed for the next 7 days"), "until": N_("(until {date})"), "from": N_("(from {date})"),
    # TRANSLATORS: {days} is one or more days of the month: "1st and 15th", "last" (from "{n}st" ... "last").
    "monthdays": N_("on the {days} day of the month"),
    # TRANSLATORS: the last day of the month, in "on the {days} day of the month".
    "last": N_("last"),
    "nth_last": N_("{nth}-to-last"), "open_until": N_("Open now until {when}"), "opens": N_("Opens {when}"),
    "around_the_clock": N_("Open around the clock"), "all_day": N_("around the clock"),
    # TRANSLATORS: the comma after "every 1st Saturday of the month" and between two time spans
    # ("9:00–12:00, 14:00–16:00"); Arabic and Farsi write "، ".
    "comma": N_(", "),
    # Ordinal numbers by the CLDR ordinal category of the visitor's language (English: 1st 2nd 3rd 4th),
    # for days of the month. A language without these categories translates only "{n}th" (German: "{n}.").
    "one": N_("{n}st"), "two": N_("{n}nd"), "few": N_("{n}rd"), "other": N_("{n}th"),
}
# TRANSLATORS: {days} is one or more weekdays. Only used for 2 or more weeks.
_WEEKS = NN_("every week on {days}", "every {n} weeks on {days}")
# TRANSLATORS: after "every 1st Saturday of the month"; only used for 2 or more months.
_MONTHS = NN_("(every month)", "(every {n} months)")

# One sentence per weekday (Monday first), so that each language can inflect the weekday itself.
# TRANSLATORS: {nth} is one or more ordinals ("1st", "2nd and 4th", "last") from the messages with the
# context "Monday" (for Monday; "Tuesday" for Tuesday ...): they agree with the weekday as you write it here.
_EVERY_NTH = (N_("every {nth} Monday of the month"), N_("every {nth} Tuesday of the month"),
              N_("every {nth} Wednesday of the month"), N_("every {nth} Thursday of the month"),
              N_("every {nth} Friday of the month"), N_("every {nth} Saturday of the month"),
              N_("every {nth} Sunday of the month"))
# The ordinals 1st ... 5th and last for each weekday: its context names the weekday they go with.
_ORDINALS = (
    # TRANSLATORS: an ordinal in "every {nth} Monday of the month": in the gender and case of Monday there.
    (NP_("Monday", "1st"), NP_("Monday", "2nd"), NP_("Monday", "3rd"), NP_("Monday", "4th"),
     NP_("Monday", "5th"), NP_("Monday", "last")),
    # TRANSLATORS: an ordinal in "every {nth} Tuesday of the month": in the gender and case of Tuesday there.
    (NP_("Tuesday", "1st"), NP_("Tuesday", "2nd"), NP_("Tuesday", "3rd"), NP_("Tuesday", "4th"),
     NP_("Tuesday", "5th"), NP_("Tuesday", "last")),
    # TRANSLATORS: an ordinal in "every {nth} Wednesday of the month": in the gender and case of Wednesday there.
    (NP_("Wednesday", "1st"), NP_("Wednesday", "2nd"), NP_("Wednesday", "3rd"), NP_("Wednesday", "4th"),
     NP_("Wednesday", "5th"), NP_("Wednesday", "last")),
    # TRANSLATORS: an ordinal in "every {nth} Thursday of the month": in the gender and case of Thursday there.
    (NP_("Thursday", "1st"), NP_("Thursday", "2nd"), NP_("Thursday", "3rd"), NP_("Thursday", "4th"),
     NP_("Thursday", "5th"), NP_("Thursday", "last")),
    # TRANSLATORS: an ordinal in "every {nth} Friday of the month": in the gender and case of Friday there.
    (NP_("Friday", "1st"), NP_("Friday", "2nd"), NP_("Friday", "3rd"), NP_("Friday", "4th"),
     NP_("Friday", "5th"), NP_("Friday", "last")),
    # TRANSLATORS: an ordinal in "every {nth} Saturday of the month": in the gender and case of Saturday there.
    (NP_("Saturday", "1st"), NP_("Saturday", "2nd"), NP_("Saturday", "3rd"), NP_("Saturday", "4th"),
     NP_("Saturday", "5th"), NP_("Saturday", "last")),
    # TRANSLATORS: an ordinal in "every {nth} Sunday of the month": in the gender and case of Sunday there.
    (NP_("Sunday", "1st"), NP_("Sunday", "2nd"), NP_("Sunday", "3rd"), NP_("Sunday", "4th"),
     NP_("Sunday", "5th"), NP_("Sunday", "last")),
)


class _Words:
    """The words of one language: Babel's CLDR data plus the caller's translations."""

    def __init__(self, locale: str, catalogue: Catalogue | None) -> None:
        try:
            self.locale = Locale.parse(str(locale or "en").replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            self.locale = Locale.parse("en")
        self.catalogue: Catalogue = catalogue or _English()

    def __getitem__(self, key: str) -> str:
        return self.catalogue.gettext(_M[key])

    def plural(self, message: tuple[str, str], n: int) -> str:
        return self.catalogue.ngettext(*message, n)

    def days(self, width: Literal["abbreviated", "wide"]) -> Mapping[int, str]:
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
        """An ordinal day of the month: "1st", "last", "2nd-to-last"."""
        if n == -1:
            return self["last"]
        if n < 0:
            return self["nth_last"].format(nth=self.nth(-n))
        form = self.locale.ordinal_form(n)
        return self[form if form in _M else "other"].format(n=n)

    def nth_weekday(self, weekday: int, n: int) -> str:
        """An ordinal that goes with `weekday` (0 = Monday): "1st", "last", "2nd-to-last"."""
        if n < -1:
            return self["nth_last"].format(nth=self.nth_weekday(weekday, -n))
        return self.catalogue.pgettext(*_ORDINALS[weekday][5 if n == -1 else n - 1])

    def every_nth(self, weekday: int, ordinals: list[int]) -> str:
        """"every 2nd and 4th Tuesday of the month" in this language."""
        ordinals = sorted(ordinals, key=lambda n: (n < 0, n))  # 1st, 3rd, ..., 2nd-to-last, last
        nth = self.join([self.nth_weekday(weekday, n) for n in ordinals])
        return self.catalogue.gettext(_EVERY_NTH[weekday]).format(nth=nth)


def _hm(at: time, *, closing: bool = False) -> str:
    return "24:00" if closing and at == time(0) else f"{at.hour}:{at.minute:02d}"


def _span(opens: time, closes: time) -> str:
    return f"{_hm(opens)}–{_hm(closes, closing=True)}"


def _rule_line(rule: _Rule, today: date, w: _Words, names: Mapping[int, str]) -> str:
    """A monthly or every-n-weeks rule in words, with its span and validity."""
    if rule.freq == _rr.WEEKLY:
        what = w.plural(_WEEKS, rule.interval).format(
            n=rule.interval, days=w.join([names[d] for d, _ in rule.byday]))
    elif rule.byday:
        ordinals: dict[int, list[int]] = {}
        for d, n in rule.byday:
            ordinals.setdefault(d, []).extend([n] if n else [])
        # A weekday without an ordinal in a monthly rule is every such weekday: its name alone.
        what = w.join([w.every_nth(d, o) if o else names[d] for d, o in ordinals.items()])
    else:
        what = w["monthdays"].format(days=w.join([w.nth(n) for n in rule.bymonthday]))
    if rule.freq == _rr.MONTHLY and rule.interval > 1:
        what += " " + w.plural(_MONTHS, rule.interval).format(n=rule.interval)
    line = what + w["comma"] + _span(rule.opens, rule.closes)
    begin = max((d for d in (rule.valid_from, rule.anchor) if d), default=None)
    if begin and begin > today + timedelta(days=6):  # later than the days the kiosk lists
        line += " " + w["from"].format(date=w.date(begin))
    if rule.end and rule.end <= today + HORIZON:
        line += " " + w["until"].format(date=w.date(rule.end))
    return line


def describe_week(schedules: Any, today: date, locale: str = "de", catalogue: Catalogue | None = None) -> list[str]:
    """Open days of the next 7 days in words, Monday first, e.g. "Montag bis Freitag: 9:00–12:00".

    Consecutive days with the same spans are grouped; monthly and every-n-weeks rules get a line
    each ("jeden 1. Samstag im Monat, 10:00–13:00"). An end date within 60 days is appended.
    `locale` picks Babel's day names, lists and dates; `catalogue` (gettext.NullTranslations or
    anything with gettext, ngettext and pgettext) the sentences.
    """
    w = _Words(locale, catalogue)
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
        line = f"{label}: {w['all_day'] if whole_day else w['comma'].join(_span(*s) for s in spans)}"
        lines.append(line + (" " + w["until"].format(date=w.date(end)) if end else ""))
    for rule in rules:
        if rule not in weekly and _occurrences(rule, today, today + timedelta(days=366)):
            lines.append(_rule_line(rule, today, w, names))
    if lines:
        return lines
    return [w["closed_week"] if any(_covers(r, today) for r in rules) else w["unknown"]]


def describe_status(status: HoursStatus, now: datetime, locale: str = "de", catalogue: Catalogue | None = None) -> str:
    """"Jetzt geöffnet bis 12:00", "Öffnet Di 10:00", "Öffnet heute 14:00", "Öffnungszeiten unbekannt".

    Open without a break for a week or more reads "Rund um die Uhr geöffnet" (a 24/7 service)."""
    w = _Words(locale, catalogue)
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
