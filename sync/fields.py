"""What a field of an HSDS service must mean before the kiosk shows it (HSDS 3.0 field formats).

Each check takes a value that already passed the type checks in `hsds.py` and returns
``(value to keep, problem)``: the value as it is, repaired, or None when it was dropped; `problem`
says in words what was wrong and what was done, or is None when nothing was. A bad field never
costs the whole record: the offer is shown without it (and the operator reads the warning).
"""
from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

Checked = tuple[Any, str | None]

MAX_AGE = 120          # years; a minimum or maximum age above this is not an age
MAX_AMOUNT = 1_000_000  # a fee above a million is a typo or a trick, not a price
MAX_URL = 2000

# WHATWG HTML "valid e-mail address" (the syntax browsers check in <input type=email>).
_EMAIL = re.compile(r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+")
_HOST = re.compile(r"(?i)^(?:[\w-]+\.)+[a-z\w-]{2,}\.?$|^localhost$")
_DOMAIN_LIKE = re.compile(r"(?i)^(?:www\.)?(?:[\w-]+\.)+[a-z]{2,}(?:[/?#:]|$)")
_LANGUAGE = re.compile(r"(?i)^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _quoted(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def web_address(value: str | None) -> Checked:
    """An http(s) address with a host; "www.example.de" gets https:// (catalogues leave it out)."""
    if value is None:
        return None, None
    url = value.strip()
    if any(c.isspace() for c in url) or len(url) > MAX_URL:
        return None, f"{_quoted(value)} is not a web address (spaces or too long); dropped"
    if "://" not in url and _DOMAIN_LIKE.match(url):
        url = "https://" + url  # a plain repair, not worth a warning
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None, f"{_quoted(value)} is not a web address; dropped"
    if parts.scheme.lower() not in ("http", "https"):
        return None, f"{_quoted(value)} is not a web address (http or https); dropped"
    if not host or not _HOST.match(host):
        return None, f"{_quoted(value)} has no valid host name; dropped"
    if parts.username is not None or parts.password is not None:
        return None, f"{_quoted(value)} hides a name before '@' in the address (a phishing trick); dropped"
    return url, None


def email_address(value: str | None) -> Checked:
    """An e-mail address (a leading "mailto:" is removed); anything else is dropped."""
    if value is None:
        return None, None
    address = value.strip()
    if address.lower().startswith("mailto:"):
        address = address[7:].split("?")[0]
    if len(address) <= 254 and _EMAIL.fullmatch(address):
        return address, (f"{_quoted(value)}: 'mailto:' removed" if address != value.strip() else None)
    return None, f"{_quoted(value)} is not an e-mail address; dropped"


def phone_number(value: str | None) -> Checked:
    """A number with at least 3 digits to dial; words beside them stay ("05481 1234 (Zentrale)",
    "Tel. 0800 111 0 111 kostenfrei" are real catalogue entries). Without digits it is dropped."""
    if value is None:
        return None, None
    digits = sum(c.isdigit() for c in value)
    if digits < 3:
        return None, f"{_quoted(value)} is not a phone number (no digits to dial); dropped"
    if digits > 30 or len(value) > 80:
        return None, f"{_quoted(value)} is not a phone number (too long); dropped"
    return value, None


def extension(value: str | None) -> Checked:
    if value is None:
        return None, None
    if value.isdigit() and len(value) <= 8:
        return value, None
    return None, f"{_quoted(value)} is not a phone extension (digits only); dropped"


def age(value: Any) -> Checked:
    """Years from 0 to MAX_AGE; a number written as text ("16") is read; anything else dropped."""
    if value is None:
        return None, None
    number = value
    if isinstance(value, str):
        try:
            number = float(value.replace(",", ".").strip())
        except ValueError:
            return None, f"{_quoted(value)} is not a number of years; dropped"
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None, f"{_quoted(value)} is not a number of years; dropped"
    if isinstance(number, int) and abs(number) > 10 ** 6 or not math.isfinite(number):
        return None, f"{_quoted(value)} is not a possible age; dropped"
    if number < 0 or number > MAX_AGE:
        return None, f"{number:g} is not a possible age (0 to {MAX_AGE}); dropped"
    return float(number), (f"{_quoted(value)} read as {number:g}" if isinstance(value, str) else None)


def age_range(low: Any, high: Any) -> tuple[Any, Any, list[tuple[str, str]]]:
    """Both ages checked, and dropped together when the minimum is above the maximum (which of the
    two is wrong cannot be known: "Alter 99 bis 5 Jahre")."""
    problems: list[tuple[str, str]] = []
    low, p = age(low)
    if p:
        problems.append(("minimum_age", p))
    high, p = age(high)
    if p:
        problems.append(("maximum_age", p))
    if low is not None and high is not None and low > high:
        problems.append(("minimum_age/maximum_age",
                         f"minimum age {low:g} is above maximum age {high:g}; both dropped"))
        low = high = None
    return low, high, problems


def coordinates(lat: float | None, lon: float | None) -> tuple[float | None, float | None, str | None]:
    """Drop the placeholder 0/0 ("null island" in the Gulf of Guinea) that exports write for 'unknown'."""
    if lat is not None and lon is not None and abs(lat) < 1e-6 and abs(lon) < 1e-6:
        return None, None, "0/0 is a placeholder, not a place; coordinates dropped"
    return lat, lon, None


def language_code(value: str | None) -> Checked:
    """A BCP 47 language code ("de", "fa", "de-AT"); anything else is dropped (the name stays)."""
    if value is None or _LANGUAGE.match(value):
        return value, None
    return None, f"{_quoted(value)} is not a language code; dropped"


def amount(value: Any) -> Checked:
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"{_quoted(value)} is not an amount of money; dropped"
    if isinstance(value, int) and abs(value) > MAX_AMOUNT or not math.isfinite(value):
        return None, f"{_quoted(value)} is not a possible amount; dropped"
    if value < 0 or value > MAX_AMOUNT:
        return None, f"{value:g} is not a possible amount (0 to {MAX_AMOUNT:,}); dropped"
    return value, None


def currency(value: Any) -> Checked:
    if value is None:
        return None, None
    if isinstance(value, str) and _CURRENCY.match(value.strip().upper()):
        return value.strip().upper(), None
    return None, f"{_quoted(value)} is not a currency code (ISO 4217, like EUR); dropped"


def timestamp(value: str | None) -> tuple[datetime | None, str | None]:
    """An ISO 8601 date or date-time as an aware datetime (UTC when no zone is given)."""
    if value is None:
        return None, None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None, f"{_quoted(value)} is not an ISO 8601 date and time; ignored"
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), None
