"""Search that understands how people ask, on the screen: "did you mean", never a dead end, what is counted.

Pilot on real SQLite catalogues. Typing taps the on-screen keyboard at 160x48, where it shows
every letter at once; smaller screens are checked for layout with the text set directly.
"""
from __future__ import annotations

from datetime import date

import pytest

from kiosk.app import make_app
from kiosk.screens.home import HomeScreen
from kiosk.screens.offer import OfferScreen
from kiosk.screens.results import NothingFound, ResultsScreen
from kiosk.screens.search import SearchScreen
from kiosk.statistics import Statistics
from sync.catalogue import Catalogue
from tests.conftest import hsds_service, screen_text, small_services, tap

BIG = (160, 48)
DAY = date(2025, 3, 11)


def services() -> list[dict]:
    """The small catalogue plus two general counselling offers: one here in Lengerich, one in Rheine."""
    return small_services() + [
        hsds_service("c1", "Sozialberatung der Diakonie Rheine", organization="Diakonie", needs=("beratung-notlagen",),
                     town="Rheine", lat=52.28, lon=7.44),
        hsds_service("c2", "Allgemeine Sozialberatung Lengerich", needs=("beratung-notlagen",),
                     lat=52.189, lon=7.868),
    ]


@pytest.fixture
def counter() -> Statistics:
    """Counts in memory; k = 1 so that every counted search text can be seen."""
    return Statistics(k=1, today=lambda: DAY)


@pytest.fixture
def searchable(make_catalogue, counter):
    """A catalogue with counselling offers."""
    built = make_catalogue(services())
    catalogue = Catalogue(built.path)
    yield catalogue
    catalogue.close()


def cards(app) -> list[str]:
    return [card.visual.plain.splitlines()[0] for card in app.screen.query("OfferCard")]


def hint(app) -> str:
    return "".join(w.visual.plain for w in app.screen.query("#search-hint"))


def suggestions(app) -> list[str]:
    """The labels of the "Did you mean" buttons."""
    return [b.label.plain for b in app.screen.query("#did-you-mean Button")]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def type_on_keyboard(pilot, word: str) -> None:
    """Tap the letter keys of the on-screen keyboard, one by one, as a finger would."""
    for ch in word:
        await tap(pilot, ch if ch == "ß" else ch.upper())
    await settle(pilot)


async def test_a_misspelling_finds_the_offer_and_says_what_was_searched(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await type_on_keyboard(pilot, "schuldnerberatng")
        assert app.search_text == "Schuldnerberatng"
        assert cards(app)[0] == "Schuldnerberatung"
        # The catalogue's own spelling (capital S), not the folded index word, as a button.
        assert suggestions(app) == ["Schuldnerberatung"]
        assert "Meinten Sie:" in screen_text(app)
        await tap(pilot, "Treffer zeigen")
        assert isinstance(app.screen, ResultsScreen)
        assert cards(app)[0] == "Schuldnerberatung"


async def test_words_left_out_are_named_and_the_hint_follows_the_language(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await pilot.press(*"pflege qqqq")
        await settle(pilot)
        assert "Pflegeberatung im Tecklenburger Land" in cards(app)
        assert hint(app) == "Nicht gefunden, darum weggelassen: qqqq"
        await tap(pilot, "Alles löschen")
        await settle(pilot)
        assert hint(app) == "" and cards(app) == []
        await app.set_language("en")
        await pilot.press(*"wohngeldantrg")
        await settle(pilot)
        assert cards(app) == ["Hilfe beim Wohngeldantrag"]
        assert suggestions(app) == ["Wohngeldantrag"] and "Did you mean:" in screen_text(app)


async def test_no_hits_offer_counselling_nearby_and_the_topics(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await type_on_keyboard(pilot, "xyzxyz")
        text = screen_text(app)
        assert "Nichts gefunden für „Xyzxyz“. Allgemeine Beratung in Ihrer Nähe:" in text
        # General counselling, nearest to this place (Lengerich) first.
        assert cards(app) == ["Allgemeine Sozialberatung Lengerich", "Sozialberatung der Diakonie Rheine"]
        assert app.screen.query_one("#show-all").disabled
        topics = app.screen.query_one("#to-topics")
        assert topics.region.height >= 3 and topics.region.width >= 12
        await pilot.click("NothingFound OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen)
        assert app.screen.offer_id == "c2"
        await tap(pilot, "Zurück")
        assert isinstance(app.screen, SearchScreen)
        assert cards(app)[0] == "Allgemeine Sozialberatung Lengerich"
        await tap(pilot, "Alle Themen ansehen")
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert "Wobei brauchen Sie Hilfe?" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_the_way_on_fits_above_the_keyboard(settings, searchable, clock, size):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=size) as pilot:
        await app.push_screen(SearchScreen("Xyzxyz"))
        await settle(pilot)
        keyboard_top = app.screen.query_one("#keyboard").region.y
        nothing = app.screen.query_one(NothingFound)
        shown = list(nothing.query("OfferCard")) + [nothing.query_one("#to-topics")]
        assert len(shown) >= 2
        for widget in shown:
            assert widget.region.height >= 3 and widget.region.bottom <= keyboard_top, widget


async def test_without_counselling_offers_the_topics_button_remains(settings, make_catalogue, clock):
    app = make_app(settings, make_catalogue(small_services()), clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await type_on_keyboard(pilot, "xyzxyz")
        assert "Nichts gefunden für „Xyzxyz“." in screen_text(app)
        assert "Allgemeine Beratung" not in screen_text(app)
        assert cards(app) == []
        await tap(pilot, "Alle Themen ansehen")
        assert isinstance(app.screen, HomeScreen)


async def test_a_results_screen_without_offers_is_no_dead_end(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ResultsScreen(lambda: "Suche: nichts", list))
        await pilot.pause()
        assert "Keine Angebote gefunden. Allgemeine Beratung in Ihrer Nähe:" in screen_text(app)
        assert cards(app)[0] == "Allgemeine Sozialberatung Lengerich"
        for widget in app.screen.query("NothingFound OfferCard, #to-topics"):
            assert widget.region.bottom <= app.screen.query_one("#paging").region.y, widget
        await pilot.click("NothingFound OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen) and app.screen.offer_id == "c2"
        await tap(pilot, "Zurück")
        await tap(pilot, "Alle Themen ansehen")
        assert isinstance(app.screen, HomeScreen)


# -- counting: a search text counts once, when acted on or left with nothing found ---------------


def terms(stats: Statistics) -> dict[str, int]:
    """The search texts kept for the day (k = 1 here, so every counted text is kept)."""
    return {key: n for (kind, key), n in stats.totals(DAY).items() if kind == "search_term"}


async def test_a_search_left_with_nothing_found_counts_once_with_the_folded_text_only(settings, searchable, counter,
                                                                                     clock):
    app = make_app(settings, searchable, clock=clock, statistics=counter)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await type_on_keyboard(pilot, "xyzäq")     # every keystroke searches: X, Xy, Xyz, Xyzä, Xyzäq
        await tap(pilot, "Löschen")
        await type_on_keyboard(pilot, "q")         # still the same wish
        assert "Nichts gefunden für „Xyzäq“." in screen_text(app)
        await tap(pilot, "Start")                  # left with nothing found: that search counts
        await tap(pilot, "Suchen")                 # a new search starts empty
        await settle(pilot)
        assert app.search_text == ""
        await type_on_keyboard(pilot, "pflege")    # found something, but not acted on: no count
        await app.reset_to_home()
    assert terms(counter) == {"xyzaq": 1}          # folded: lower case, no umlaut, nothing else
    assert counter.totals(DAY)[("search_nothing", "")] == 1


async def test_the_idle_reset_counts_the_search_left_standing(settings, searchable, counter, clock):
    app = make_app(settings, searchable, clock=clock, statistics=counter)
    async with app.run_test(size=BIG) as pilot:
        now = [0.0]
        app.idle_clock = lambda: now[0]
        app._last_input = 0.0
        await tap(pilot, "Suchen")
        await type_on_keyboard(pilot, "xylofon")
        await pilot.press(*" qqq")
        await settle(pilot)
        assert terms(counter) == {}
        now[0] = settings.kiosk.idle_seconds + 1   # the visitor has walked away
        await pilot.pause(app.IDLE_TICK * 3)
        assert isinstance(app.screen, HomeScreen) and app.search_text == ""
        assert terms(counter) == {"xylofon qqq": 1}
        await app.reset_to_home()
        assert terms(counter) == {"xylofon qqq": 1}  # counted once, not again


# -- hostile input ---------------------------------------------------------------------------------

HOSTILE = '[@click=app.quit]x[/] "near(a b)" * -- or and ^:{} \\ ü'


async def test_hostile_typing_never_crashes_and_shows_literally(settings, searchable, counter, clock):
    app = make_app(settings, searchable, clock=clock, statistics=counter)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await tap(pilot, "Löschen")                # delete on an empty text
        for _ in range(3):
            await tap(pilot, "Leerzeichen")        # only spaces: no search, no miss
        await settle(pilot)
        assert not app.screen.query("NothingFound")
        await tap(pilot, "Alles löschen")
        await pilot.press(*HOSTILE)
        app.screen.edit("😀")                      # what a real keyboard's emoji key would type
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, SearchScreen)
        assert app.search_text == HOSTILE + "😀"
        assert HOSTILE in screen_text(app)         # markup stays text, in the query and the message
        assert "Nichts gefunden für „" + HOSTILE + "😀“." in screen_text(app)
        for _ in range(70):                         # more than fits: the text stops growing
            await tap(pilot, "Ä")
        await settle(pilot)
        assert len(app.search_text) == 60
        for label in ("Löschen", "Alles löschen", "ß", "Leerzeichen", "Q"):
            await tap(pilot, label)
        await settle(pilot)
        assert app.is_running and app.search_text == "ß q"
        await app.reset_to_home()
    assert terms(counter)
    assert all(set(text) <= set("abcdefghijklmnopqrstuvwxyz0123456789 ") for text in terms(counter))


# -- did you mean as a tap target; each search starts empty; a town without such offers -----------


async def test_did_you_mean_is_a_button_that_searches_the_word(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await pilot.press(*"caritas schuldnerberatng")
        await settle(pilot)
        assert suggestions(app) == ["Schuldnerberatung"]
        button = app.screen.query_one("#did-you-mean Button")
        assert button.region.height >= 3 and button.region.bottom <= app.screen.query_one("#keyboard").region.y
        await tap(pilot, "Schuldnerberatung")
        await settle(pilot)
        # Only the misspelled word is replaced; the text now reads as typed, so no more suggestion.
        assert app.search_text == "Caritas Schuldnerberatung"
        assert "Caritas Schuldnerberatung" in screen_text(app)
        assert suggestions(app) == []


async def test_did_you_mean_fits_at_80x24(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SearchScreen("Schuldnerberatng"))
        await settle(pilot)
        button = app.screen.query_one("#did-you-mean Button")
        assert button.region.height >= 3 and button.region.bottom <= app.screen.query_one("#keyboard").region.y
        await pilot.click("#did-you-mean Button")
        await settle(pilot)
        assert app.search_text == "Schuldnerberatung"


async def test_each_search_starts_empty(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await type_on_keyboard(pilot, "schuld")
        assert cards(app) == ["Schuldnerberatung"]
        await pilot.click("#preview OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen)
        await tap(pilot, "Zurück")                 # back to the same search: its words and results stay
        assert isinstance(app.screen, SearchScreen) and app.search_text == "Schuld"
        assert cards(app) == ["Schuldnerberatung"]
        await tap(pilot, "Start")
        await tap(pilot, "Suchen")                 # a new search: empty, nothing appended to "Schuld"
        await settle(pilot)
        assert app.search_text == "" and cards(app) == []
        assert "Schuld" not in app.screen.query_one("#query").visual.plain
        await type_on_keyboard(pilot, "sozial")
        assert app.search_text == "Sozial"
        assert "Sozialberatung der Diakonie Rheine" in cards(app)


async def test_a_town_without_such_offers_says_so_and_shows_the_nearest(settings, searchable, clock):
    app = make_app(settings, searchable, clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await pilot.press(*"sozialberatung rheine")
        await settle(pilot)
        assert cards(app) == ["Sozialberatung der Diakonie Rheine"] and hint(app) == ""
        await tap(pilot, "Alles löschen")
        await pilot.press(*"schuldnerberatung rheine")   # the only Schuldnerberatung is in Lengerich
        await settle(pilot)
        assert cards(app)[0] == "Schuldnerberatung"
        assert hint(app) == "Nichts in Rheine, die nächsten Angebote:"


async def test_a_service_open_around_the_clock_says_so_on_its_card(settings, make_catalogue, clock):
    always = [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00", "closes_at": "23:59"}]
    catalogue = make_catalogue(small_services() + [
        hsds_service("tel", "TelefonSeelsorge Münsterland", needs=("beratung-notlagen",), schedules=always)])
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=BIG) as pilot:
        await tap(pilot, "Suchen")
        await pilot.press(*"telefonseelsorge")
        await settle(pilot)
        card = app.screen.query_one("#preview OfferCard").visual.plain
        assert "Rund um die Uhr geöffnet" in card and "bis" not in card
        await app.set_language("en")
        await app.screen.recompose()
        await settle(pilot)
        assert "Open around the clock" in app.screen.query_one("#preview OfferCard").visual.plain
