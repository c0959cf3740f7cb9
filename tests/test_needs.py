"""Needs and audiences from the need map, on feeds of every shape: the demo, another taxonomy, no
taxonomy, 1,000 categories (tests/shapes.py). Real catalogues via the real importer."""
from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from kiosk import i18n
from kiosk.config import SettingsError, load_settings
from kiosk.finder import MAX_TOPICS, OTHER_KEY, Finder
from kiosk.needmap import BUNDLED, NeedMapError, Rule, load_need_map, spelling
from sync.catalogue import Catalogue
from sync.cli import main as sync_main
from sync.offers import distance_km
from sync.text import fold
from tests import shapes
from tests.conftest import hsds_service, small_services

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "assets" / "demo-catalogue.json"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
LENGERICH = dict(town="Lengerich", latitude=52.1875, longitude=7.8660)


def finder(catalogue: Catalogue, **kw) -> Finder:
    return Finder(catalogue, location_names=kw.pop("location_names", ["Teestube Lengerich"]), **{**LENGERICH, **kw})


def visible_ids(catalogue: Catalogue) -> set[str]:
    return set(catalogue.places())


def ids_of(f: Finder, need) -> set[str]:
    return {s.id for s in f.listing(need).offers}


@pytest.fixture
def demo(make_catalogue) -> Catalogue:
    return make_catalogue(json.loads(DEMO.read_text(encoding="utf-8")), "demo.db")


@pytest.fixture
def other(make_catalogue) -> Catalogue:
    return make_catalogue(shapes.other_taxonomy(), "other.db")


# -- the map itself ----------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [("alter-pflege", "Alter_Pflege"), ("GELD_AEMTER", "geld-ämter"),
                                  ("Alter & Pflege", "alter pflege"),
                                  ("Kinder, Jugend & Familie", "kinder_jugend_familie")])
def test_spellings_agree(a, b):
    assert spelling(a) == spelling(b) != ""


def test_rule_by_taxonomy_and_code_by_name_and_by_parent():
    rule = Rule(codes=frozenset(), names=frozenset({spelling("Hilfe in Not")}),
                parents=frozenset({spelling("Soziales")}),
                terms=frozenset({(spelling("Mein Katalog"), spelling("x_1"))}))
    assert rule.matches(code="X-1", name="?", taxonomy="mein katalog")
    assert not rule.matches(code="X-1", name="?", taxonomy="Anderer Katalog")
    assert rule.matches(code=None, name="Hilfe in NOT", taxonomy=None)
    assert rule.matches(code="k", name="Kind", taxonomy=None, parent_code=None, parent_name="soziales")
    assert not rule.matches(code="k", name="Kind", taxonomy=None, parent_name="Gesundheit")


def test_bundled_icons_are_in_the_kiosk_font_and_one_column_wide():
    from fontTools.ttLib import TTFont

    if not FONT.exists():
        pytest.skip(f"{FONT} is not installed here")
    cmap = TTFont(str(FONT)).getBestCmap()
    need_map = load_need_map()
    assert all(n.icon for n in need_map.needs)
    for need in need_map.needs:
        assert ord(need.icon) in cmap, need
        assert cell_len(need.icon) == 1 and unicodedata.east_asian_width(need.icon) == "N", need


def test_every_bundled_label_is_translated():
    from babel.messages.pofile import read_po

    need_map = load_need_map()
    labels = [n.label for n in need_map.needs] + [a.label for a in need_map.audiences] + \
             [a.title for a in need_map.audiences if a.title]
    for code in ("de", "en"):
        with i18n.po_path(code).open("rb") as fh:
            catalog = read_po(fh, locale=code, domain=i18n.DOMAIN)
        for label in labels:
            assert catalog.get(label) is not None and catalog.get(label).string, (code, label)


def test_an_operators_map_replaces_and_adds(tmp_path, make_catalogue):
    own = tmp_path / "meine-bedarfe.toml"
    own.write_text('[[need]]\nkey = "kultur"\norder = 5\nicon = "♫"\nlabel = "Culture"\n'
                   'labels = { de = "Kultur & Glaube", en = "Culture & faith" }\nnames = ["Kultur und Glaube"]\n'
                   '[[need]]\nkey = "gesundheit"\nlabel = "Health"\nnames = []\ncodes = []\n', encoding="utf-8")
    need_map = load_need_map(own)
    assert [n.key for n in need_map.needs][0] == "kultur"
    f = finder(make_catalogue(shapes.other_taxonomy()), need_map=need_map)
    needs = {n.key: n for n in f.needs()}
    i18n.set_language("de")
    assert needs["kultur"].text() == "Kultur & Glaube"
    i18n.set_language("en")
    assert needs["kultur"].text() == "Culture & faith"
    assert "gesundheit" not in needs  # replaced by an entry that matches nothing ...
    labels = [n.text() for n in f.needs()]
    assert "Gesundheit und Vorsorge" in labels  # ... so the catalogue's own term has a button


@pytest.mark.parametrize("text, words", [
    ("[[need]]\nkey = \"x\"\n", ["[[need]] 'x'", "label"]),
    ("[[need]]\nkey = \"x\"\nlabel = \"X\"\nfarbe = 1\n", ["unknown key 'farbe'"]),
    ("[[need]\n", ["not valid TOML", "line 1"]),
    ("[[audience]]\nkey = \"a\"\nlabel = \"A\"\ngroups = [\"nobody\"]\n", ["no [[group]] with the key 'nobody'"]),
    ("[[need]]\nkey = \"x\"\nlabel = \"X\"\nicon = \"ab\"\n", ["icon", "one symbol"]),
])
def test_a_broken_map_is_a_settings_error_that_names_file_and_entry(tmp_path, text, words):
    own = tmp_path / "bedarfe.toml"
    own.write_text(text, encoding="utf-8")
    with pytest.raises(NeedMapError) as caught:
        load_need_map(own)
    for word in [str(own), *words]:
        assert word in str(caught.value)
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nneed_map = "bedarfe.toml"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    assert "need_map" in str(caught.value) and str(own) in str(caught.value)


def test_the_bundled_map_reads():
    assert BUNDLED.is_file()
    need_map = load_need_map()
    assert len(need_map.needs) >= 13 and need_map.audiences[0].groups == ()


# -- feeds of every shape ------------------------------------------------------------------------

def test_demo_needs_in_map_order_with_english_labels(demo):
    f = finder(demo)
    needs = f.needs()
    assert [n.key for n in needs] == ["alter-pflege", "behinderung-teilhabe", "ankommen-migration",
                                      "kinder-jugend-familie", "beratung-notlagen", "digital-lernen",
                                      "treffen-freizeit", "geld-aemter", "gesundheit"]
    i18n.set_language("en")
    assert [n.text() for n in needs][:2] == ["Age & care", "Disability & inclusion"]
    assert set().union(*(ids_of(f, n) for n in needs)) == visible_ids(demo)


def test_other_taxonomy_every_offer_has_a_button(other):
    f = finder(other)
    needs = f.needs()
    assert len(needs) == len(shapes.TOP_THEMES)  # 14: 12 from the map, 2 by their own names
    own = [n for n in needs if not n.translate]
    assert sorted(n.label for n in own) == sorted(shapes.UNMAPPED)
    i18n.set_language("en")
    mapped = [n.text() for n in needs if n.translate]
    assert "Meeting & leisure" in mapped and "Children, youth & family" in mapped and "Money & offices" in mapped
    every = set()
    for need in needs:
        ids = ids_of(f, need)
        assert ids and len(ids) == need.count, need  # no button leads to no offers
        every |= ids
    assert every == visible_ids(other)
    biggest = max(needs, key=lambda n: n.count)
    assert biggest.key == "treffen-freizeit" and biggest.count > len(every) // 4


def test_other_taxonomy_audiences_and_the_crisis_offers_for_children(other):
    f = finder(other)
    audiences = {a.key: a for a in f.audiences()}
    assert {"me", "child", "parents", "care"} <= set(audiences)
    assert "newcomers" not in audiences  # nobody is tagged as an immigrant in this feed
    own = [a for a in audiences.values() if not a.translate]
    assert [a.label for a in own] == ["Alleinerziehende"]
    i18n.set_language("de")
    assert own[0].title_text() == "Für Alleinerziehende"
    assert audiences["child"].title_text() == "Für Kinder und Jugendliche"
    crisis = next(n for n in f.needs(audiences["child"]) if n.key == "beratung-notlagen")
    listing = f.listing(crisis, audiences["child"])
    names = [s.name for s in listing.offers]
    tagged, untagged = names[:listing.tagged], names[listing.tagged:]
    assert {"Kinder- und Jugendtelefon", "Krisendienst für junge Menschen"} <= set(tagged)
    assert "Offene Krisensprechstunde" in untagged  # names no group: after the tagged ones
    assert "Krisentelefon für Ältere" not in names  # for another group only: left out
    # Untagged offers never come before tagged ones, and the tagged ones are really tagged.
    groups = {s.id for s in f.listing(crisis).offers} - {s.id for s in listing.offers}
    assert "krise-alt" in groups


def test_no_taxonomy_needs_by_words_and_the_rest_under_other(make_catalogue):
    catalogue = make_catalogue(shapes.no_taxonomy())
    f = finder(catalogue)
    needs = f.needs()
    keys = [n.key for n in needs]
    assert {"alter-pflege", "digital-lernen", "ankommen-migration"} <= set(keys) and keys[-1] == OTHER_KEY
    assert {s.name for s in f.listing(needs[-1]).offers} == {"Nähstube", "Repair-Werkstatt"}
    assert "Pflegeberatung" in {s.name for s in f.listing(needs[0]).offers}
    assert set().union(*(ids_of(f, n) for n in needs)) == visible_ids(catalogue)
    assert f.audiences() == []


def test_a_thousand_categories_do_not_flood_home(make_catalogue):
    catalogue = make_catalogue(shapes.many_categories(1000))
    assert len(catalogue.categories()) == 1000
    f = finder(catalogue)
    needs = f.needs()
    assert len(needs) <= MAX_TOPICS
    assert {"wohnen", "gesundheit"} <= {n.key for n in needs}  # terms the map knows by name
    assert needs[-1].key == OTHER_KEY
    every = set()
    for need in needs:
        ids = ids_of(f, need)
        assert ids
        every |= ids
    assert every == visible_ids(catalogue)


def test_a_feed_with_only_a_few_own_terms_keeps_them_all(make_catalogue):
    services = []
    for i, term in enumerate(["Sport", "Kultur", "Essen", "Ohne Code"]):
        service = hsds_service(f"c{i}", f"Angebot {i}")
        service["attributes"] = [{"taxonomy_term": {"id": f"t{i}", "name": term, "taxonomy": "Fremd"}}]
        services.append(service)
    services.append(hsds_service("u1", "Ohne Kategorie"))
    f = finder(make_catalogue(services))
    i18n.set_language("de")
    labels = [n.text() for n in f.needs()]
    assert labels == ["Essen", "Kultur", "Ohne Code", "Sport", "Sonstige Angebote"]  # biggest first, then by name


# -- order by place, town, distance --------------------------------------------------------------

def test_here_first_then_this_town_then_nearest_and_another_town(catalogue):
    f = finder(catalogue)
    ids = [s.id for s in f.catalogue.all_offers()]
    order = f.order(ids)
    places = catalogue.places()
    assert order[:2] == ["s02", "s07"] or order[:2] == ["s07", "s02"]  # at the Teestube itself
    towns = [places[i][1] for i in order[2:]]
    in_town = [t == "Lengerich" for t in towns]
    assert in_town == sorted(in_town, reverse=True)  # all of Lengerich before any other town
    others = [i for i in order if places[i][1] != "Lengerich"]
    far = [distance_km(52.1875, 7.866, places[i][2], places[i][3]) for i in others]
    assert far == sorted(far)
    rheine = f.order(ids, "Rheine")
    assert places[rheine[0]][1] == "Rheine"
    centre = catalogue.town_centres()["Rheine"]
    rest = [distance_km(*centre, places[i][2], places[i][3]) for i in rheine[1:]]
    assert rest == sorted(rest)


def test_the_place_order_of_any_part_and_any_limit_with_umlauts_and_ties(make_catalogue):
    """A need's offers are picked out of the one place order (`Finder.order`): the same order as
    sorting them by (held here, in the town with umlauts and case folded, distance, name with case
    folded, id), for every part of the catalogue and every limit; hidden and unknown ids are left out."""
    spot = dict(lat=52.19, lon=7.87)  # one place: the names decide among the offers here
    services = [hsds_service(f"t{i:02}", name, town=town, **spot) for i, (name, town) in enumerate([
        ("Ärztehaus", "Lengerich"), ("apotheke", "LENGERICH"), ("Zahnarzt", "Lengerich"),
        ("öffentliche Bücherei", "Lengerich"), ("Übersetzung", "Lengerich"), ("Oase", "Lengerich"),
        ("ärztlicher Notdienst", "Lengerich"), ("Ölmühle", "Lengerich"), ("Apotheke", "Lengerich")])]
    elsewhere = [("Hörsteler Tafel", "Hörstel", 52.297, 7.585), ("Tafel Hoerstel", "Hoerstel", 52.298, 7.586),
                 ("Zur Mühle", "hörstel", 52.297, 7.585), ("Ibbenbürener Treff", "Ibbenbüren", 52.278, 7.717),
                 ("Ohne Ort", None, None, None), ("Emsdettener Café", "Emsdetten", 52.173, 7.530),
                 ("Ladberger Treff", "Ladbergen", 52.137, 7.739), ("ärger? Beratung", "Lengerich", 52.2, 7.9)]
    services += [hsds_service(f"h{i:02}", name, town=town, lat=lat, lon=lon)
                 for i, (name, town, lat, lon) in enumerate(elsewhere)]
    services.append(hsds_service("x01", "Verborgen", status="inactive"))
    services.append(hsds_service("t99", "Teestube", location="Teestube Lengerich", **spot))
    catalogue = make_catalogue(services)
    f = finder(catalogue)
    places = catalogue.places()

    def expected(ids, town: str, centre: tuple[float, float], first: set[str]) -> list[str]:
        def key(oid: str) -> tuple:
            name, offer_town, lat, lon = places[oid]
            far = distance_km(*centre, lat, lon) if lat is not None and lon is not None else float("inf")
            return oid not in first, fold(offer_town or "") != fold(town), far, (name or "").casefold(), oid
        return sorted((i for i in ids if i in places), key=key)

    every = [s["id"] for s in services] + ["unknown"]
    assert "x01" not in places  # hidden: never in an order
    here = (52.1875, 7.866)
    assert f.order(every) == expected(every, "Lengerich", here, {"t99"})
    assert f.order(every)[:3] == ["t99", "t01", "t08"]  # here, then one spot: "apotheke" = "Apotheke", by id
    hoerstel = catalogue.town_centres()["Hörstel"]
    assert f.order(every, "Hörstel") == expected(every, "Hörstel", hoerstel, set())
    assert {"h00", "h01", "h02"} == set(f.order(every, "Hörstel")[:3])  # "Hoerstel" and "hörstel" too
    rng = random.Random(13)
    for _ in range(30):
        part = rng.sample(every, rng.randint(0, len(every)))
        limit = rng.choice([None, 0, 1, 3, len(part)])
        for town, centre, first in ((None, here, {"t99"}), ("Hörstel", hoerstel, set())):
            want = expected(part, town or "Lengerich", centre, first)
            assert f.order(iter(part), town, limit=limit) == want[:limit]
            assert f.order(frozenset(part), town, limit=limit) == want[:limit]


def test_locations_near_the_place_for_location_names(demo, capsys):
    near = demo.locations_near(52.1875, 7.8660, limit=5)
    assert "Teestube Lengerich" in [name for name, *_ in near]
    assert [km for _n, _t, km, _c in near] == sorted(km for _n, _t, km, _c in near)
    assert sync_main(["locations", "--near", "52.1875,7.8660", "--db", str(demo.path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0]["name"] == near[0][0] and out[0]["town"] == "Lengerich"
    assert sync_main(["locations", "--near", "north", "--db", str(demo.path)]) == 2
    assert "LAT,LON" in capsys.readouterr().err


def test_small_services_still_have_every_need(catalogue):
    f = finder(catalogue)
    assert len(f.needs()) == 9
    assert {s.id for n in f.needs() for s in f.listing(n).offers} == {s["id"] for s in small_services()}


def test_a_single_root_and_a_groups_branch_inside_the_need_taxonomy(make_catalogue):
    """One root term ("Alle Themen") above unknown themes, and a "Zielgruppen" branch in the same
    taxonomy: the themes become buttons, the branch's terms become groups of people."""
    root = {"id": "root", "name": "Alle Themen", "code": "alle_themen", "taxonomy": "Kreis"}
    groups = {"id": "zg", "name": "Zielgruppen", "code": "zg", "taxonomy": "Kreis"}

    def term(tid, name, parent):
        return {"id": tid, "name": name, "code": tid, "taxonomy": "Kreis", "parent_id": parent["id"]}

    sport, kunst = term("sport", "Sport und Spiel", root), term("kunst", "Kunst", root)
    kinder, azubis = term("kinder", "Kinder", groups), term("azubis", "Auszubildende", groups)
    services = []
    # The feed names a parent only where an offer uses it: r1 is filed under the root too, r2 under the branch.
    for i, terms in enumerate([[sport, kinder], [sport, root], [kunst, azubis, groups], [kunst], [kunst, kinder]]):
        service = hsds_service(f"r{i}", f"Angebot {i}")
        service["attributes"] = [{"taxonomy_term": t} for t in terms]
        services.append(service)
    f = finder(make_catalogue(services))
    assert sorted(n.label for n in f.needs()) == ["Kunst", "Sport und Spiel"]
    audiences = {a.key: a for a in f.audiences()}
    assert "child" in audiences and "Auszubildende" in [a.label for a in audiences.values()]
    sport_need = next(n for n in f.needs() if n.label == "Sport und Spiel")
    listing = f.listing(sport_need, audiences["child"])
    assert [s.id for s in listing.offers] == ["r0", "r1"] and listing.tagged == 1


def test_a_group_term_without_its_parent_is_a_group_not_a_need(make_catalogue):
    services = [hsds_service("k1", "Hausaufgabenhilfe", needs=("kinder-jugend-familie",)),
                hsds_service("k2", "Seniorenfrühstück", needs=("treffen-freizeit",))]
    services[0]["attributes"].append({"taxonomy_term": {
        "id": "x-kj", "name": "Kinder und Jugendliche", "code": "kinder_jugendliche",
        "taxonomy": "Dritte Orte Bedarfe"}})
    f = finder(make_catalogue(services))
    assert [n.key for n in f.needs()] == ["kinder-jugend-familie", "treffen-freizeit"]
    child = next(a for a in f.audiences() if a.key == "child")
    assert [s.name for s in f.listing(f.needs()[0], child).offers] == ["Hausaufgabenhilfe"]
