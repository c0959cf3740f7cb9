"""A visitor's journeys through the real app (Pilot), on real SQLite catalogues."""
from __future__ import annotations

import json

import pytest

from kiosk.app import make_app
from kiosk.screens.home import HomeScreen
from kiosk.screens.offer import OfferScreen
from kiosk.screens.results import ResultsScreen, cards_per_page
from kiosk.screens.search import SearchScreen
from sync.pull import import_file
from tests.conftest import WEEKDAYS_9_TO_12, hsds_service, screen_text, small_services, tap, tap_keys


def cards(app) -> list[str]:
    return [card.visual.plain.splitlines()[0] for card in app.screen.query("OfferCard")]


async def test_need_results_offer_back_home(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Teestube Lengerich" in text and "Wobei brauchen Sie Hilfe?" in text
        await tap(pilot, "Alter & Pflege")
        assert isinstance(app.screen, ResultsScreen)
        assert cards(app) == ["Pflegeberatung im Tecklenburger Land", "Pflegekurs für Angehörige"]
        assert "Jetzt geöffnet bis 12:00" in screen_text(app)  # Tuesday 10:30, open 9-12
        await pilot.click("OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen)
        text = screen_text(app)
        assert "Pflegeberatung im Tecklenburger Land" in text and "Was?" in text
        assert "Beratung zu Pflegegrad" in text
        await tap(pilot, "Zurück")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.click("OfferCard")
        await pilot.pause()
        await tap(pilot, "Start")
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


async def test_escape_goes_back_and_enter_opens(settings, catalogue, clock):
    """Keyboard alone: Tab to a need, Enter, Enter on a card, Escape back."""
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#need-0").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        app.screen.query_one("OfferCard").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_offer_screen_shows_all_sections(settings, make_catalogue, clock):
    offer = hsds_service(
        "full", "Beratungsstelle Komplett", needs=("beratung-notlagen",), groups=("alle",),
        schedules=[WEEKDAYS_9_TO_12], description="Hilft bei allem.", eligibility_description="Für alle ab 18.",
        minimum_age=18, url="https://example.org/komplett", email="info@example.org",
        phones=[{"number": "05481 99", "extension": "12"}], languages=[{"code": "tr"}, {"name": "Arabisch"}],
        fees_description="kostenlos")
    offer["service_at_locations"][0]["location"]["accessibility"] = [{"description": "rollstuhlgerecht"}]
    app = make_app(settings, make_catalogue([offer]), clock=clock)
    async with app.run_test(size=(120, 60)) as pilot:
        await app.push_screen(OfferScreen("full"))
        await pilot.pause()
        text = app.screen.query_one("#offer-text").visual.plain
        for expected in ("Hilft bei allem.", "Für alle ab 18.", "Ab 18 Jahren", "Bahnhofstraße 1, 49525 Lengerich",
                         "km von hier", "Zugang: rollstuhlgerecht", "Jetzt geöffnet bis 12:00",
                         "Montag bis Freitag: 9:00–12:00", "Telefon: 05481 99 Durchwahl 12",
                         "Internet: https://example.org/komplett", "E-Mail: info@example.org", "Türkisch",
                         "Arabisch", "kostenlos"):
            assert expected in text, expected
        # Today first: the state now comes before the week.
        assert text.index("Jetzt geöffnet") < text.index("Montag bis Freitag")


async def test_search_by_tapping_keys(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Suchen")
        assert isinstance(app.screen, SearchScreen)
        await tap_keys(pilot, "PFLE")  # switching halves of the keyboard as needed
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.search_text == "Pfle"
        assert "Pfle" in screen_text(app)
        assert "2 Treffer zeigen" in screen_text(app)
        await tap(pilot, "Löschen")
        assert app.search_text == "Pfl"
        await tap(pilot, "Alles löschen")
        await tap_keys(pilot, "XQß")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.search_text == "Xqß"
        assert "Nichts gefunden" in screen_text(app)
        await tap(pilot, "Alles löschen")
        await tap_keys(pilot, "SCHULD")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await tap(pilot, "Treffer zeigen")
        assert isinstance(app.screen, ResultsScreen)
        assert cards(app) == ["Schuldnerberatung"]


async def test_search_by_typing_on_a_real_keyboard(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await tap(pilot, "Suchen")
        await pilot.press(*"wohngeld")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.search_text == "Wohngeld"
        assert cards(app)[0] == "Hilfe beim Wohngeldantrag"
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.search_text == "Wohn"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


async def test_stale_search_results_are_dropped(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await tap(pilot, "Suchen")
        screen = app.screen
        await pilot.press(*"pflege")
        await app.workers.wait_for_complete()
        await pilot.pause()
        old = screen._generation
        await screen.show_results(old - 1, [])  # an answer to an older query arrives late
        assert "Pflegeberatung im Tecklenburger Land" in cards(app)


async def test_filters(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await tap(pilot, "Treffen & Freizeit")
        # This place's own offer first, then its town, then by distance (Rheine is farthest).
        assert cards(app) == ["Seniorentreff Teestube", "Jugendtreff Lengerich", "Lauftreff am See"]
        await tap(pilot, "Ort: Lengerich")
        towns = [b.label.plain for b in app.screen.query("#towns Button")]
        assert towns == ["Hier zuerst (Lengerich)", *sorted({s["service_at_locations"][0]["location"]["addresses"][0]
                                                              ["city"] for s in small_services()})]
        await tap(pilot, "Rheine")
        assert isinstance(app.screen, ResultsScreen)
        assert cards(app)[0] == "Lauftreff am See"  # the chosen town first, nothing left out
        assert sorted(cards(app)) == sorted(["Seniorentreff Teestube", "Jugendtreff Lengerich", "Lauftreff am See"])
        assert "Ort: Rheine" in screen_text(app)
        await tap(pilot, "Ort: Rheine")
        await tap(pilot, "Hier zuerst (Lengerich)")
        assert cards(app) == ["Seniorentreff Teestube", "Jugendtreff Lengerich", "Lauftreff am See"]
        await tap(pilot, "Jetzt geöffnet")  # Tuesday 10:30: none of these is open
        assert cards(app) == []
        assert "Schalten Sie einen Filter aus" in screen_text(app)
        await tap(pilot, "Jetzt geöffnet")
        assert len(cards(app)) == 3


async def test_paging_without_scrolling(settings, make_catalogue, clock):
    services = [hsds_service(f"p{i:02}", f"Angebot {i:02}", needs=("gesundheit",)) for i in range(10)]
    app = make_app(settings, make_catalogue(services), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Gesundheit")
        per_page = cards_per_page(24, settings.kiosk.results_per_page)
        assert per_page == 3
        seen = cards(app)
        assert seen == ["Angebot 00", "Angebot 01", "Angebot 02"]
        assert "Seite 1 von 4" in screen_text(app)
        assert find_disabled(app, "Vorige")
        for _ in range(3):
            await tap(pilot, "Mehr")
            seen += cards(app)
        assert seen == [f"Angebot {i:02}" for i in range(10)]
        assert find_disabled(app, "Mehr")
        await tap(pilot, "Vorige")
        assert cards(app) == ["Angebot 06", "Angebot 07", "Angebot 08"]
        # Every card lies fully on the screen: nothing needs scrolling.
        for card in app.screen.query("OfferCard"):
            assert card.region.bottom <= 24 - 3


def find_disabled(app, label: str) -> bool:
    return any(label in b.label.plain and b.disabled for b in app.screen.query("Button"))


async def test_help_for_whom_narrows(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Hilfe für wen?")
        await tap(pilot, "Für mein Kind")
        assert isinstance(app.screen, HomeScreen)
        assert "Für mein Kind: Wobei brauchen Sie Hilfe?" in screen_text(app)
        await tap(pilot, "Treffen & Freizeit")
        # Children's offers and offers for everyone, not the seniors' café.
        assert cards(app) == ["Jugendtreff Lengerich", "Lauftreff am See"]


async def test_offers_of_this_place(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Hier im Haus (2)")
        assert cards(app) == ["Seniorentreff Teestube", "Smartphone-Sprechstunde"]


async def test_language_switch_changes_every_word(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Alter & Pflege")
        await tap(pilot, "Start")
        await tap(pilot, "Sprache")
        assert "Deutsch" in screen_text(app) and "English" in screen_text(app)
        await tap(pilot, "English")
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "What do you need help with?" in text and "Age & care" in text
        assert "Wobei" not in text and "Alter & Pflege" not in text
        await tap(pilot, "Age & care")
        assert "Open now until 12:00" in screen_text(app) and "Town: Lengerich" in screen_text(app)
        await tap(pilot, "Start")
        await tap(pilot, "Language")
        await tap(pilot, "Deutsch")
        assert "Wobei brauchen Sie Hilfe?" in screen_text(app)


async def test_services_say_when_they_are_not_there(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Vorlesen")
        assert title(app) == "Vorlesen ist hier nicht möglich."
        await tap(pilot, "Alter & Pflege")
        await pilot.click("OfferCard")
        await pilot.pause()
        for label, message in (("Vorlesen", "Vorlesen ist hier nicht möglich."),
                               ("QR-Code zeigen", "Ein QR-Code kann hier nicht gezeigt werden.")):
            await tap(pilot, label)
            assert title(app) == message
        # No printer: no "Drucken" at all (a button that can only fail is a dead end).
        assert not [b for b in app.screen.query("Button") if b.display and "Drucken" in b.label.plain]
        assert app.is_running


def title(app) -> str:
    return app.screen.query_one("#title").visual.plain


async def test_a_sync_while_running_shows_on_the_next_screen(settings, make_catalogue, tmp_path, clock):
    catalogue = make_catalogue(small_services())
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Gesundheit")
        assert "Hausärztlicher Notdienst" in cards(app)
        newer = small_services()[:9] + [hsds_service("n1", "Neue Gesundheitssprechstunde", needs=("gesundheit",))]
        source = tmp_path / "newer.json"
        source.write_text(json.dumps(newer), encoding="utf-8")
        import_file(source, catalogue.path)
        await tap(pilot, "Start")
        await tap(pilot, "Gesundheit")
        assert cards(app) == ["Neue Gesundheitssprechstunde", "Lauftreff am See"]  # s10 is gone; Lengerich first


async def test_a_broken_database_shows_a_message_not_a_crash(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        catalogue.close()  # every query now fails with sqlite3.ProgrammingError
        await tap(pilot, "Alter & Pflege")
        assert isinstance(app.screen, ResultsScreen)
        assert "Keine Angebote gefunden." in screen_text(app)
        assert "können gerade nicht gelesen werden" in title(app)
        await tap(pilot, "Start")
        await tap(pilot, "Suchen")
        await pilot.press(*"pflege")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_start_screen_fits(settings, catalogue, clock, size):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=size):
        needs = list(app.screen.query(".need"))
        assert 6 <= len(needs) <= 9
        for widget in app.screen.query("BigButton"):
            assert widget.region.bottom <= size[1], widget


async def test_qr_code_of_an_offer(settings, catalogue, clock):
    from kiosk.screens.qr import QrScreen
    from kiosk.takeaway import QrMaker

    app = make_app(settings, catalogue, clock=clock, qr=QrMaker(settings.qr))
    async with app.run_test(size=(120, 40)) as pilot:
        await tap(pilot, "Alter & Pflege")
        await pilot.click("OfferCard")  # Pflegeberatung has a phone number
        await pilot.pause()
        await tap(pilot, "QR-Code zeigen")
        assert isinstance(app.screen, QrScreen)
        text = screen_text(app)
        assert "▀" in text or "▄" in text
        assert "Pflegeberatung im Tecklenburger Land" in text
        await tap(pilot, "Zurück")
        assert isinstance(app.screen, OfferScreen)
        await tap(pilot, "Zurück")
        await pilot.click("OfferCard", offset=(2, 5))  # the second card: no phone, no web, but a place
        await pilot.pause()
        await tap(pilot, "QR-Code zeigen")
        assert isinstance(app.screen, (QrScreen, OfferScreen))
        assert app.is_running
