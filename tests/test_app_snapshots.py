"""Snapshots of every screen at 80x24 and 120x40 with the clock frozen.

Update after a deliberate change with `pytest tests/test_app_snapshots.py --snapshot-update`, then
look at the SVGs in tests/__snapshots__/ before committing them.
"""
from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.speech import EspeakSpeech
from kiosk.takeaway import QrMaker
from sync import schema, store
from tests.conftest import FROZEN_NOW, small_services, tap

SIZES = [(80, 24), (120, 40)]


async def to_offer(pilot) -> None:
    await tap(pilot, "Alter & Pflege")
    await pilot.click("OfferCard")
    await pilot.pause()


async def search(pilot) -> None:
    await tap(pilot, "Suchen")
    for key in "PFLEGE":
        await tap(pilot, key)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def volunteer(pilot) -> None:
    await pilot.press("f12", *pilot.app.settings.kiosk.volunteer_pin, "enter")
    await pilot.pause()


async def english(pilot) -> None:
    await tap(pilot, "Sprache")
    await tap(pilot, "English")


async def in_language(pilot, name: str) -> None:
    await tap(pilot, "Sprache")
    await tap(pilot, name)


async def qr(pilot) -> None:
    await to_offer(pilot)
    await tap(pilot, "QR-Code zeigen")


async def idle_warning(pilot) -> None:
    app = pilot.app
    now = [0.0]
    app.idle_clock = lambda: now[0]
    await tap(pilot, "Gesundheit")
    now[0] = app.settings.kiosk.idle_seconds - 7  # the visitor has been away; 7 seconds are left
    await pilot.pause(app.IDLE_TICK * 2)


async def confirm_leave(pilot) -> None:
    await volunteer(pilot)
    await tap(pilot, "Kiosk beenden")


async def wrong_pin(pilot) -> None:
    await pilot.press("f12", "1", "2", "3", "4", "enter")
    await pilot.pause()


async def filtered(pilot) -> None:
    await tap(pilot, "Treffen & Freizeit")
    await tap(pilot, "Jetzt geöffnet")


async def narrowed(pilot) -> None:
    await tap(pilot, "Hilfe für wen?")
    await tap(pilot, "Für meine Eltern")
    await tap(pilot, "Treffen & Freizeit")


async def larger(pilot) -> None:
    await tap(pilot, "Größer")


async def offer_larger(pilot) -> None:
    await larger(pilot)
    await to_offer(pilot)


async def towns(pilot) -> None:
    await tap(pilot, "Treffen & Freizeit")
    await tap(pilot, "Ort: Lengerich")


STATES = {
    "home": None,
    "home_english": english,
    # One snapshot per script besides Latin: Cyrillic, and Arabic (shaped, right to left, mirrored bar).
    "home_ukrainian": lambda pilot: in_language(pilot, "Українська"),
    "home_arabic": lambda pilot: in_language(pilot, "العربية"),
    "results": lambda pilot: tap(pilot, "Alter & Pflege"),
    "results_filtered": filtered,
    "results_narrowed": narrowed,
    "towns": towns,
    "offer": to_offer,
    "qr": qr,
    "search": search,
    "language": lambda pilot: tap(pilot, "Sprache"),
    "whom": lambda pilot: tap(pilot, "Hilfe für wen?"),
    "pin": wrong_pin,
    "volunteer": volunteer,
    "confirm_leave": confirm_leave,
    "idle_warning": idle_warning,
    # Larger text (the visitor's switch on Home): fewer, taller tiles; the offer double-spaced.
    "home_larger": larger,
    "offer_larger": offer_larger,
}


@pytest.fixture
def frozen_catalogue(make_catalogue):
    catalogue = make_catalogue(small_services())
    # The catalogue's own date and source, fixed like the clock (via the store API of sync).
    conn = store.open_live(catalogue.path)
    try:
        schema.write_meta(conn, {"last_success": "2025-03-10T07:00:00+00:00", "source": "demo-catalogue.json"})
        conn.commit()
    finally:
        conn.close()
    return catalogue


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", STATES)
def test_screen(snap_compare, settings, frozen_catalogue, state, size):
    # The real engine (never asked to speak here): Home's first line promises speech only with one.
    app = make_app(settings, frozen_catalogue, clock=lambda: FROZEN_NOW, qr=QrMaker(settings.qr),
                   speech=EspeakSpeech(settings.speech))
    steps = STATES[state]

    async def run_before(pilot) -> None:
        await pilot.pause()  # the start screen is composed only after the first pause
        if steps is not None:
            await steps(pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
