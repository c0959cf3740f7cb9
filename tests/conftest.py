"""Shared fixtures: real SQLite catalogues built from small HSDS files, settings, a frozen clock."""
from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Settings
from sync.catalogue import Catalogue
from sync.hours import TZ
from sync.pull import import_file

NEED_TAXONOMY = "Dritte Orte Bedarfe"
GROUP_TAXONOMY = "Dritte Orte Zielgruppen"
WEEKDAYS_9_TO_12 = {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "12:00"}
# Tuesday 11 March 2025, 10:30 in Lengerich: weekday morning offers are open.
FROZEN_NOW = datetime(2025, 3, 11, 10, 30, tzinfo=TZ)


def hsds_service(sid: str, name: str, *, organization: str | None = "Caritas Tecklenburger Land",
                 town: str | None = "Lengerich", location: str | None = None,
                 lat: float | None = 52.19, lon: float | None = 7.87, needs: tuple[str, ...] = (),
                 groups: tuple[str, ...] = (), schedules: list[dict] | None = None,
                 **extra: Any) -> dict:
    """One HSDS 3.0 service with a location, terms of both kiosk taxonomies and schedules."""
    attributes = [
        {"id": f"a-{sid}-{code}", "taxonomy_term": {"id": f"{prefix}-{code}", "name": label or code,
                                                     "code": code, "taxonomy": taxonomy}}
        for taxonomy, prefix, codes in ((NEED_TAXONOMY, "need", needs), (GROUP_TAXONOMY, "group", groups))
        for code, label in ((c, NEED_NAMES.get(c) or GROUP_NAMES.get(c)) for c in codes)
    ]
    service: dict[str, Any] = {"id": sid, "name": name, "status": "active", "attributes": attributes,
                               "schedules": schedules or []}
    if organization:
        service["organization"] = {"id": f"org-{organization}", "name": organization}
    if town or location:
        service["service_at_locations"] = [{"id": f"sal-{sid}", "location": {
            "id": f"loc-{sid}", "name": location or town, "latitude": lat, "longitude": lon,
            "addresses": [{"address_1": "Bahnhofstraße 1", "postal_code": "49525", "city": town}]}}]
    service.update(extra)
    return service


NEED_NAMES = {
    "alter-pflege": "Alter & Pflege", "behinderung-teilhabe": "Behinderung & Teilhabe",
    "ankommen-migration": "Ankommen & Migration", "kinder-jugend-familie": "Kinder, Jugend & Familie",
    "beratung-notlagen": "Beratung & Hilfe in Not", "digital-lernen": "Digital lernen",
    "treffen-freizeit": "Treffen & Freizeit", "geld-aemter": "Geld & Ämter", "gesundheit": "Gesundheit",
}
GROUP_NAMES = {"senioren": "Seniorinnen und Senioren", "behinderung": "Menschen mit Behinderung",
               "migration": "Zugewanderte", "kinder-jugend": "Kinder und Jugendliche", "alle": "Alle"}


def small_services() -> list[dict]:
    """Twelve offers: every need once, a few towns, this place's own offer, open and closed hours."""
    return [
        hsds_service("s01", "Pflegeberatung im Tecklenburger Land", needs=("alter-pflege",), groups=("senioren",),
                     schedules=[WEEKDAYS_9_TO_12], phones=[{"number": "05481 1234"}],
                     description="Beratung zu Pflegegrad, Pflegegeld und Hilfen zu Hause."),
        hsds_service("s02", "Seniorentreff Teestube", location="Teestube Lengerich",
                     needs=("treffen-freizeit",), groups=("senioren",),
                     schedules=[{"freq": "WEEKLY", "byday": "WE", "opens_at": "14:00", "closes_at": "17:00"}]),
        hsds_service("s03", "Offene Sprechstunde Teilhabe", needs=("behinderung-teilhabe",), groups=("behinderung",),
                     town="Ibbenbüren", lat=52.277, lon=7.716),
        hsds_service("s04", "Willkommenscafé für Geflüchtete", needs=("ankommen-migration",),
                     groups=("migration",), town="Tecklenburg", lat=52.219, lon=7.812,
                     schedules=[WEEKDAYS_9_TO_12]),
        hsds_service("s05", "Familienzentrum Regenbogen", needs=("kinder-jugend-familie",),
                     groups=("kinder-jugend",), town="Steinfurt", lat=52.147, lon=7.336),
        hsds_service("s06", "Schuldnerberatung", needs=("beratung-notlagen", "geld-aemter"), groups=("alle",),
                     schedules=[WEEKDAYS_9_TO_12]),
        hsds_service("s07", "Smartphone-Sprechstunde", location="Teestube Lengerich", needs=("digital-lernen",),
                     groups=("senioren", "alle")),
        hsds_service("s08", "Lauftreff am See", needs=("treffen-freizeit", "gesundheit"), groups=("alle",),
                     town="Rheine", lat=52.28, lon=7.44),
        hsds_service("s09", "Hilfe beim Wohngeldantrag", needs=("geld-aemter",), groups=("alle",)),
        hsds_service("s10", "Hausärztlicher Notdienst", needs=("gesundheit",), groups=("alle",),
                     town="Emsdetten", lat=52.17, lon=7.53),
        hsds_service("s11", "Jugendtreff Lengerich", needs=("kinder-jugend-familie", "treffen-freizeit"),
                     groups=("kinder-jugend",)),
        hsds_service("s12", "Pflegekurs für Angehörige", needs=("alter-pflege",), groups=("senioren", "behinderung"),
                     town="Lienen", lat=52.146, lon=7.974),
    ]


@pytest.fixture(autouse=True)
def _keep_ui_language():
    """Each test leaves the UI language as it found it (an app switches it for the whole process)."""
    from kiosk import i18n

    before = i18n.current_language()
    yield
    i18n.set_language(before)


@pytest.fixture
def make_catalogue(tmp_path: Path) -> Iterator[Callable[[list[dict]], Catalogue]]:
    """Builds a real catalogue file from HSDS services (via the real importer) and opens it."""
    opened: list[Catalogue] = []

    def make(services: list[dict], name: str = "catalogue.db") -> Catalogue:
        source = tmp_path / (name + ".json")
        source.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
        import_file(source, tmp_path / name)
        catalogue = Catalogue(tmp_path / name)
        opened.append(catalogue)
        return catalogue

    yield make
    for catalogue in opened:
        catalogue.close()


@pytest.fixture
def catalogue(make_catalogue) -> Catalogue:
    return make_catalogue(small_services())


@pytest.fixture
def settings() -> Settings:
    """The built-in defaults (Teestube Lengerich, German and English) with a volunteer PIN (the
    defaults have none, and the volunteer menu stays closed without one). No file is read: neither the
    checkout's kiosk.toml nor the box's kiosk.local.toml, where install.sh has put the box's own PIN."""
    return with_kiosk(Settings.defaults(), volunteer_pin=TEST_PIN)


TEST_PIN = "5791"


def with_kiosk(settings: Settings, **changes: Any) -> Settings:
    """Settings with some [kiosk] values changed (e.g. a short idle time for a test)."""
    return dataclasses.replace(settings, kiosk=dataclasses.replace(settings.kiosk, **changes))


def with_feed(settings: Settings, url: str, **catalogue: Any) -> Settings:
    """Settings with this [catalogue] feed_url (and other [catalogue] values changed)."""
    return dataclasses.replace(settings, catalogue=dataclasses.replace(settings.catalogue, feed_url=url, **catalogue))


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: FROZEN_NOW


# --- helpers for Pilot tests (plain functions, imported by the test modules) ------------------


def screen_text(app) -> str:
    """What the terminal shows now, as plain text lines (the active screen only)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def find_button(app, label: str):
    """The visible button on the active screen labelled `label` (else the first containing it)."""
    buttons = [b for b in app.screen.query("Button") if b.display]
    for button in buttons:
        if button.label.plain.strip() == label:
            return button
    for button in buttons:
        if label in button.label.plain:
            return button
    raise LookupError(f"no button {label!r} on {app.screen!r}; have "
                      f"{[b.label.plain for b in app.screen.query('Button')]}")


async def tap(pilot, label: str) -> None:
    """Tap (click) the button with this label, as a finger would, and let the app settle."""
    button = find_button(pilot.app, label)
    assert await pilot.click(button), f"the tap on {label!r} did not reach the button"
    await pilot.pause()
    await pilot.pause()


async def sync_in_menu(pilot) -> str:
    """In the volunteer menu: tap "Sync now" (Jetzt aktualisieren), wait until the sync has ended and
    return what the screen shows then, as one line of words."""
    await tap(pilot, "Jetzt aktualisieren")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
    return " ".join(screen_text(pilot.app).split())


async def tap_keys(pilot, text: str) -> None:
    """Type `text` by tapping on-screen keyboard keys; below 143 columns the keyboard shows one
    half of QWERTZ at a time, so tap the big switch key first when a letter is on the other half."""
    import asyncio

    from kiosk.widgets.keyboard import Key

    for i, ch in enumerate(text):
        if i and text[i - 1].lower() == ch.lower():
            await asyncio.sleep(0.25)  # a Button ignores a second press within 0.2 s (touch bounce)
        keys = [k for k in pilot.app.screen.query(Key) if k.value == ch.lower()]
        assert keys, f"no key for {ch!r}"
        if not keys[0].display:
            switch = [k for k in pilot.app.screen.query(".switch") if k.display]
            assert switch and await pilot.click(switch[0]), f"cannot switch halves for {ch!r}"
            await pilot.pause()
            assert keys[0].display, f"{ch!r} is on neither half"
        assert await pilot.click(keys[0]), f"the tap on {ch!r} did not reach the key"
        await pilot.pause()


# --- a real CUPS server (tests/cups.py), shared by the printing and take-away tests ---------------

@pytest.fixture(scope="module")
def cups_server():
    """A private cupsd with a cups-pdf queue; the test is skipped, with the reason, without CUPS."""
    from tests.cups import CupsServer, CupsUnavailable

    try:
        server = CupsServer.start()
    except CupsUnavailable as exc:
        pytest.skip(f"no CUPS for this test: {exc}")
    yield server
    server.stop()


@pytest.fixture
def cups(cups_server, monkeypatch):
    """The server with no PDFs yet; `lp` and `lpstat` of the code under test talk to it."""
    cups_server.clear()
    for key, value in cups_server.env.items():
        monkeypatch.setenv(key, value)
    cups_server.run("cupsenable", cups_server.queue)
    cups_server.run("cupsaccept", cups_server.queue)
    return cups_server


# --- an honest CI: a test that skips for a missing tool fails under CI=true ---------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under `CI=true` a skip is a failure that names its reason (a missing tool, e.g. espeak-ng,
    tmux or CUPS): CI installs every tool the tests use, so a skip there means a test did not run.
    An expected failure (xfail) is not a skip; a developer's machine may still skip."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"CI=true and this test was skipped: {reason}\n"
                           "CI must run every test: install what it needs (./install.sh --dev).")
