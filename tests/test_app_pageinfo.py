"""The results' page line counts in words a visitor reads as right: one offer is "1 Angebot"."""
from __future__ import annotations

import pytest

from kiosk import i18n
from kiosk.app import make_app
from tests.conftest import hsds_service, screen_text, tap


@pytest.mark.parametrize(("count", "german", "english"), [
    (1, "Seite 1 von 1 · 1 Angebot", "Page 1 of 1 · 1 offer"),
    (2, "Seite 1 von 1 · 2 Angebote", "Page 1 of 1 · 2 offers"),
])
async def test_page_line_says_one_offer_in_the_singular(settings, make_catalogue, clock, count, german, english):
    services = [hsds_service(f"g{i}", f"Angebot Nummer {i}", needs=("gesundheit",)) for i in range(count)]
    app = make_app(settings, make_catalogue(services), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Gesundheit")
        shown = app.screen.query_one("#pageinfo").text
        assert shown == german, shown
        assert german in screen_text(app)
        english_line = i18n.translations("en").ngettext(
            "Page {page} of {pages} · {count} offer", "Page {page} of {pages} · {count} offers", count)
        assert english_line.format(page=1, pages=1, count=count) == english
