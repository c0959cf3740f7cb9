"""Hostile catalogue text is shown literally, everywhere, and the kiosk keeps running."""
from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.screens.offer import OfferScreen
from kiosk.screens.results import ResultsScreen
from tests.conftest import hsds_service, screen_text, tap

HOSTILE = [
    "[@click=app.quit]x[/]",
    "Öffnungszeiten [Mo-Fr]",
    "a [/] b",
    "[b]fett[/b] und [link=https://evil.example]Link[/link]",
    "$name {name} %s \\[escaped]",
    "مركز الاستشارة للاجئين والمهاجرين",
    "Café ☕ Treff 👨‍👩‍👧 für Familien 🇩🇪",
    "Beratung " + "sehr " * 80 + "lang",
]


def hostile_services() -> list[dict]:
    services = []
    for i, name in enumerate(HOSTILE):
        service = hsds_service(f"h{i}", name, organization=f"[red]Träger {i}[/red]", needs=("gesundheit",),
                               description=f"Beschreibung [@click=app.quit]{i}[/] [i]kursiv[/i]",
                               phones=[{"number": "[blink]0800 111[/blink]"}],
                               eligibility_description="[Alle] ab 18 [/]")
        services.append(service)
    return services


async def test_hostile_names_show_literally_on_cards_and_offers(settings, make_catalogue, clock):
    app = make_app(settings, make_catalogue(hostile_services()), clock=clock)
    async with app.run_test(size=(160, 60)) as pilot:
        await tap(pilot, "Gesundheit")
        assert isinstance(app.screen, ResultsScreen)
        shown = []
        while True:
            for card in app.screen.query("OfferCard"):
                plain = card.visual.plain
                shown.append(plain.splitlines()[0])
                assert "[red]Träger" in plain
                await pilot.click(card)  # a tap on text with markup must not run anything
                await pilot.pause()
                assert app.is_running
                assert isinstance(app.screen, OfferScreen)
                text = app.screen.query_one("#offer-text").visual.plain
                assert plain.splitlines()[0] in text
                assert "Beschreibung [@click=app.quit]" in text and "[i]kursiv[/i]" in text
                assert "[blink]0800 111[/blink]" in text and "[Alle] ab 18 [/]" in text
                for y in range(3, 20):  # tap all over the offer text
                    await pilot.click(offset=(10, y))
                assert app.is_running and isinstance(app.screen, OfferScreen)
                await tap(pilot, "Zurück")
            if not any(b.id == "next" and not b.disabled for b in app.screen.query("Button")):
                break
            await tap(pilot, "Mehr")
        assert sorted(shown) == sorted(HOSTILE)


async def test_exact_text_on_screen(settings, make_catalogue, clock):
    short = [n for n in HOSTILE if len(n) < 60 and n.isascii()]
    app = make_app(settings, make_catalogue([hsds_service(f"s{i}", n, needs=("gesundheit",))
                                             for i, n in enumerate(short)]), clock=clock)
    async with app.run_test(size=(160, 60)) as pilot:
        await tap(pilot, "Gesundheit")
        text = screen_text(app)
        for name in short[:4]:
            assert name in text, name


async def test_hostile_category_names_become_plain_buttons(settings, make_catalogue, clock):
    """A feed with its own taxonomy: its term names label the start buttons, literally."""
    services = []
    for i, term in enumerate(["[@click=app.quit]Quit[/]", "Hilfe [Mo-Fr]", "a [/] b", "Sport", "Kultur", "Essen"]):
        service = hsds_service(f"c{i}", f"Angebot {i}")
        service["attributes"] = [{"taxonomy_term": {"id": f"t{i}", "name": term, "taxonomy": "Fremd"}}]
        services.append(service)
    app = make_app(settings, make_catalogue(services), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        labels = [b.label.plain for b in app.screen.query(".need")]
        assert "[@click=app.quit]Quit[/]" in labels and "Hilfe [Mo-Fr]" in labels and "a [/] b" in labels
        await tap(pilot, "[@click=app.quit]Quit[/]")
        assert app.is_running and isinstance(app.screen, ResultsScreen)
        assert app.screen.query_one("#title").visual.plain == "[@click=app.quit]Quit[/]"


async def test_a_catalogue_without_categories_still_has_needs(settings, make_catalogue, clock):
    services = [hsds_service("n1", "Pflegeberatung"), hsds_service("n2", "Computerkurs für Ältere"),
                hsds_service("n3", "Sprachkurs Deutsch"), hsds_service("n4", "Familiencafé"),
                hsds_service("n5", "Wohngeld-Sprechstunde"), hsds_service("n6", "Bewegungstreff")]
    app = make_app(settings, make_catalogue(services), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        labels = [b.label.plain for b in app.screen.query(".need")]
        assert "✿ Alter & Pflege" in labels and len(labels) >= 4
        await tap(pilot, "Alter & Pflege")
        assert "Pflegeberatung" in [c.visual.plain.splitlines()[0] for c in app.screen.query("OfferCard")]
        assert not app.screen.query("#whom")


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_tiny_and_empty_catalogues_do_not_crash(settings, make_catalogue, clock, size):
    app = make_app(settings, make_catalogue([hsds_service("only", "Einziges Angebot", status="inactive")]),
                   clock=clock)
    async with app.run_test(size=size) as pilot:
        assert "Der Katalog enthält noch keine Angebote." in screen_text(app) or size[0] < 80
        assert not app.screen.query(".need")  # no tile that leads to no offers
        if size[0] >= 80:
            await tap(pilot, "Suchen")
        assert app.is_running


async def test_even_live_markup_actions_are_never_run(settings, catalogue, clock):
    """Belt and braces: should markup with an action ever reach the screen, a tap runs nothing."""
    from textual.widgets import Static

    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        trap = Static("[@click=app.quit]QUIT[/] [@click=app.push_screen('x')]PUSH[/]", id="trap")
        await app.screen.mount(trap)
        await pilot.pause()
        for x in range(0, 12):
            await pilot.click("#trap", offset=(x, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
