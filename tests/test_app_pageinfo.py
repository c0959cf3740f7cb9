"""The results' page line counts in words a visitor reads as right: one offer is "1 Angebot", and a list
capped at kiosk.finder.FETCH_LIMIT says how many there are in all, or that there are more."""
from __future__ import annotations

import pytest

from kiosk import i18n
from kiosk.app import make_app
from kiosk.combined import WithProgramme
from kiosk.finder import FETCH_LIMIT, Finder
from kiosk.screens.results import ResultsScreen
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


# --- a list capped at FETCH_LIMIT says so (a need's true total; a search's "there are more") ----------

def quince(count: int) -> list[dict]:
    """`count` health offers whose names share a word no other offer has (a search finds all of them)."""
    return [hsds_service(f"q{i}", f"Quittenbaum {i}", needs=("gesundheit",), lat=52.19 + i / 100_000)
            for i in range(count)]


def pages(count: int, app) -> int:
    return -(-count // app.screen.per_page)


def on_screen(app) -> str:
    """The page line as the screen shows it between the paging buttons (its rows joined): all of it,
    or the words cut off are missing."""
    region = app.screen.query_one("#pageinfo").region
    rows = screen_text(app).splitlines()[region.y:region.bottom]
    return " ".join(" ".join(row[region.x:region.right].split()) for row in rows).strip()


def spoken(app) -> str:
    return " ".join(text for text, _language in app.screen.spoken_parts())


async def search_all(pilot, text: str) -> None:
    """Type `text` into the search (a volunteer's real keyboard) and open all results."""
    await tap(pilot, "Suchen")
    for ch in text:
        await pilot.press(ch)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert await pilot.click("#show-all")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_capped_need_says_the_nearest_of_how_many(settings, make_catalogue, clock, size):
    count = FETCH_LIMIT + 5
    app = make_app(settings, make_catalogue(quince(count)), clock=clock)
    async with app.run_test(size=size) as pilot:
        await tap(pilot, "Gesundheit")
        line = app.screen.query_one("#pageinfo").text
        expected = (f"Seite 1 von {pages(FETCH_LIMIT, app)} · die {FETCH_LIMIT} nächstgelegenen "
                    f"von {count} Angeboten")
        assert line == expected
        assert on_screen(app) == expected
        assert expected.replace(" · ", ". ") in spoken(app)  # speech mode reads the same


async def test_a_capped_need_in_another_language_and_open_now_says_there_are_more(settings, make_catalogue, clock):
    app = make_app(settings, make_catalogue(quince(FETCH_LIMIT + 1)), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Gesundheit")
        await app.set_language("ru")
        await pilot.pause()
        assert app.screen.query_one("#pageinfo").text == (
            f"Страница 1 из {pages(FETCH_LIMIT, app)} · ближайшие {FETCH_LIMIT} из {FETCH_LIMIT + 1} предложения")
        await app.set_language("de")
        await pilot.pause()
        await pilot.click("#f-open")  # no offer has opening hours: none of the nearest is open
        await pilot.pause()
        assert app.screen.query_one("#pageinfo").text == "Seite 1 von 1 · 0 Angebote, es gibt noch mehr"


async def test_a_need_of_exactly_the_cap_is_counted_as_before(settings, make_catalogue, clock):
    app = make_app(settings, make_catalogue(quince(FETCH_LIMIT)), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Gesundheit")
        line = app.screen.query_one("#pageinfo").text
        assert line == f"Seite 1 von {pages(FETCH_LIMIT, app)} · {FETCH_LIMIT} Angebote"


@pytest.mark.parametrize(("count", "more"), [(FETCH_LIMIT + 1, True), (FETCH_LIMIT, False)])
async def test_a_capped_search_says_there_are_more(settings, make_catalogue, clock, count, more):
    app = make_app(settings, make_catalogue(quince(count)), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await search_all(pilot, "quittenbaum")
        assert isinstance(app.screen, ResultsScreen)
        line = app.screen.query_one("#pageinfo").text
        expected = f"Seite 1 von {pages(FETCH_LIMIT, app)} · {FETCH_LIMIT} Angebote"
        assert line == (expected + ", es gibt noch mehr" if more else expected)
        assert on_screen(app) == line
        assert line.replace(" · ", ". ") in spoken(app)


def test_the_programme_beside_the_catalogue_counts_towards_the_cap(make_catalogue, tmp_path):
    """A search over the catalogue and the place's programme (kiosk.combined) asks both for one more
    than the cap: the cap's worth in the catalogue plus one in the programme are more than it holds."""
    main = make_catalogue(quince(FETCH_LIMIT))
    local = make_catalogue([hsds_service("p1", "Quittenbaum im Garten", needs=("gesundheit",))], "programme.db")
    with WithProgramme(main, local.path) as both:
        finder = Finder(both, location_names=(), town="Lengerich", latitude=52.19, longitude=7.87)
        listing = finder.search_listing("quittenbaum")
        assert len(listing.ids) == FETCH_LIMIT and listing.capped and listing.total is None
        assert listing.ids[0] == "p1"  # the programme's own offer first
        assert not finder.search_listing("quittenbaum", limit=FETCH_LIMIT + 1).capped


def test_a_narrowed_need_counts_those_for_the_group_and_those_for_no_group(make_catalogue):
    """For an audience the total is its offers plus those that name no group; offers only for another
    group are not counted (the list never shows them)."""
    services = ([hsds_service(f"s{i}", f"Sprechstunde Senioren {i}", needs=("gesundheit",), groups=("senioren",))
                 for i in range(FETCH_LIMIT - 10)]
                + [hsds_service(f"a{i}", f"Sprechstunde Alle {i}", needs=("gesundheit",), groups=("alle",))
                   for i in range(5)]
                + quince(20)
                + [hsds_service(f"k{i}", f"Sprechstunde Kinder {i}", needs=("gesundheit",), groups=("kinder-jugend",))
                   for i in range(7)])
    finder = Finder(make_catalogue(services), location_names=(), town="Lengerich", latitude=52.19, longitude=7.87)
    need = next(n for n in finder.needs() if n.key == "gesundheit")
    seniors = next(a for a in finder.audiences() if a.key == "parents")  # "For my parents": older people
    listing = finder.listing(need, seniors)
    assert len(listing.ids) == FETCH_LIMIT and listing.tagged == FETCH_LIMIT - 5
    assert listing.capped and listing.total == FETCH_LIMIT - 10 + 5 + 20
    everyone = finder.listing(need)
    assert everyone.total == FETCH_LIMIT - 10 + 5 + 20 + 7 and everyone.more == 22
    assert not finder.listing(need, seniors, limit=FETCH_LIMIT + 15).capped
