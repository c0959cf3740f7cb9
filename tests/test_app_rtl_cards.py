"""A result card's second line (organisation · town · distance) keeps its distance and town whole,
at 80x24, on the bundled demo catalogue's longest lines: Persian writes the unit out ("کیلومتر",
seven letters), so the line outgrew the card and was cut with "…" at its logical end, the unit
first ("…4.8"); with "Größer" the German line too ("· 4,8…"). Now the organisation gives way
(kiosk/widgets/cards.py): "Selbsthilfe-Kontaktstelle Kreis Steinfurt (Beispi… · Tecklenburg · 4,8 km"."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.app import make_app
from kiosk.bidi import visual_line
from kiosk.present import distance_text
from kiosk.screens.results import ResultsScreen
from tests.conftest import FROZEN_NOW
from tests.test_app_largetext import region_text
from tests.test_app_mirrored import open_home

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo-catalogue.json"


@pytest.fixture
def demo(make_catalogue):
    return make_catalogue(json.loads(DEMO.read_text(encoding="utf-8")), name="demo.db")


@pytest.mark.parametrize("large", [False, True], ids=["normal", "larger"])
@pytest.mark.parametrize("code", ["fa", "ar", "de"])
async def test_every_cards_distance_is_whole_at_80x24(settings, demo, code, large):
    app = make_app(settings, demo, clock=lambda: FROZEN_NOW)
    seen = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await open_home(pilot, code, large)
        for need in app.finder.needs():
            await app.push_screen(ResultsScreen.for_need(need, None))
            await pilot.pause()
            for card in app.screen.query("OfferCard"):
                offer = app.catalogue.offer(card.offer_id)
                distance = distance_text(app.finder.distance(offer))
                if distance is None or distance not in card.visual.plain:
                    continue  # no coordinates, or the kiosk's own place
                number = distance.split()[0]  # "1.1", "1,1" (no unit is written before its number here)
                lines = [line for line in region_text(app, card.region) if number in line]
                shown = visual_line(distance) if i18n.is_rtl(code) else distance
                # The distance with its unit and the town whole; a long organisation gives way ("…").
                assert len(lines) == 1 and shown in lines[0] and offer.town in lines[0], (code, lines, shown)
                seen += 1
            app.pop_screen()
            await pilot.pause()
    assert seen >= 5  # the demo catalogue's cards with a distance, on the first page of every need
