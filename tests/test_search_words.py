"""How the search reads words (issue 9), on real SQLite catalogues built by the real importer.

The typed word in a name before synonyms; a town narrows or shows the nearest; compounds and
hyphenated ellipses both ways; stems reach derived words. Offers are written like a county
catalogue names them, in a taxonomy with underscore codes.
"""
from __future__ import annotations

import pytest

from sync.catalogue import Catalogue
from sync.pull import SyncOptions, import_file
from sync.vocabulary import Vocabulary
from tests.hsdsdata import service, write_json

SERVICES = [
    service("efl", "Ehe-, Familien- und Lebensberatung", town="Rheine", description="Für Paare in Krisen.",
            categories=[("LK_03_01", "Paar- und Lebensberatung")]),
    service("ehe", "Eheberatung im Pfarrbüro", town="Steinfurt", description="Gespräche für Paare."),
    service("insolvenz", "Schuldner- und Insolvenzberatung", town="Rheine", description="Bei Überschuldung."),
    service("telefon", "Kinder- und Jugendtelefon", town="Rheine", description="Anonym und kostenlos."),
    service("alz", "Beratungsstelle für Arbeitslose", town="Ibbenbüren", description="Bescheide, Widerspruch."),
    service("alz2", "Treff gegen Arbeitslosigkeit", town="Lengerich", description="Frühstück am Mittwoch."),
    service("bewo", "Ambulant Betreutes Wohnen", town="Lengerich", description="Für Menschen mit Behinderung."),
    # "senioren" is a synonym of "ältere menschen": this offer is found only through it …
    service("pflege", "Pflegestützpunkt", town="Lengerich", description="Beratung für ältere Menschen."),
    # … and these two hold the typed word in their names.
    service("sb", "Seniorenbüro", town="Steinfurt", description="Ausflüge und Beratung."),
    service("st", "Offener Treff für Senioren", town="Ibbenbüren", description="Kaffee und Kuchen."),
    service("tafel-rh", "Tafel Rheine e.V.", town="Rheine", description="Lebensmittel für wenig Geld."),
    service("tafel-ib", "Tafel Ibbenbüren e.V.", town="Ibbenbüren", description="Lebensmittel für wenig Geld."),
    service("tafel-st", "Tafel Steinfurt e.V.", town="Steinfurt", description="Lebensmittel für wenig Geld."),
]


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    folder = tmp_path_factory.mktemp("words")
    import_file(write_json(folder / "feed.json", SERVICES), folder / "c.db", SyncOptions(guard_min_offers=10 ** 6))
    with Catalogue(folder / "c.db") as catalogue:
        yield catalogue


def names(cat: Catalogue, text: str) -> list[str]:
    return [o.name for o in cat.search(text, limit=20)]


def test_a_name_holding_the_typed_word_ranks_above_synonym_finds(cat: Catalogue) -> None:
    found = names(cat, "senioren")
    assert "Pflegestützpunkt" in found  # the synonym still finds it …
    assert set(found[:2]) == {"Seniorenbüro", "Offener Treff für Senioren"}  # … but after the names
    assert found.index("Pflegestützpunkt") == 2


@pytest.mark.parametrize("query, expected", [
    ("eheberatung", {"Ehe-, Familien- und Lebensberatung", "Eheberatung im Pfarrbüro"}),
    ("familienberatung", {"Ehe-, Familien- und Lebensberatung"}),
    ("schuldnerberatung", {"Schuldner- und Insolvenzberatung"}),
    ("kindertelefon", {"Kinder- und Jugendtelefon"}),
    ("ehe beratung", {"Ehe-, Familien- und Lebensberatung", "Eheberatung im Pfarrbüro"}),
    ("Ehe Beratung", {"Ehe-, Familien- und Lebensberatung", "Eheberatung im Pfarrbüro"}),
    ("kinder telefon", {"Kinder- und Jugendtelefon"}),
])
def test_compounds_and_hyphenated_ellipses_match_both_ways(cat: Catalogue, query: str, expected: set) -> None:
    found = names(cat, query)
    assert set(found[:len(expected)]) == expected, found


def test_a_compound_typed_as_one_word_does_not_find_unrelated_offers(cat: Catalogue) -> None:
    # "ehe" + "*beratung" needs both in one offer: the debt advice has "beratung" but no "Ehe".
    assert "Schuldner- und Insolvenzberatung" not in names(cat, "eheberatung")


@pytest.mark.parametrize("query", ["arbeitslos", "arbeitslose", "arbeitslosigkeit"])
def test_stems_reach_derived_nouns_and_adjectives(cat: Catalogue, query: str) -> None:
    assert set(names(cat, query)[:2]) == {"Beratungsstelle für Arbeitslose", "Treff gegen Arbeitslosigkeit"}


def test_a_participle_reaches_its_noun(cat: Catalogue) -> None:
    assert names(cat, "behindert")[0] == "Ambulant Betreutes Wohnen"  # "Behinderung" in the description


def test_a_town_word_narrows_the_list(cat: Catalogue) -> None:
    found = cat.find("tafel steinfurt")
    assert [o.name for o in found.offers] == ["Tafel Steinfurt e.V."]
    assert found.town == "Steinfurt" and not found.town_empty
    assert names(cat, "Steinfurt Tafel") == ["Tafel Steinfurt e.V."]
    assert names(cat, "tafel in steinfurt") == ["Tafel Steinfurt e.V."]  # a stop word between


def test_a_town_without_such_offers_shows_the_nearest_and_says_so(cat: Catalogue) -> None:
    found = cat.find("tafel lengerich")
    # Lengerich: Ibbenbüren ~15 km, Steinfurt ~37 km, Rheine ~29 km.
    assert [o.name for o in found.offers] == ["Tafel Ibbenbüren e.V.", "Tafel Rheine e.V.", "Tafel Steinfurt e.V."]
    assert found.town == "Lengerich" and found.town_empty


def test_a_town_word_never_empties_a_list_that_has_offers(cat: Catalogue) -> None:
    for town in ("rheine", "ibbenbüren", "ibbenbueren", "lengerich", "steinfurt"):
        assert names(cat, f"eheberatung {town}"), town


def test_vocabulary_ending_finds_whole_words_ending_so() -> None:
    vocab = Vocabulary([("beratung", 3, 1), ("eheberatung", 1, 1), ("beratungsstelle", 2, 0), ("lebensberatung", 5, 2)])
    assert vocab.ending("beratung") == ["lebensberatung", "beratung", "eheberatung"]
    assert vocab.ending("stelle") == ["beratungsstelle"]
    assert vocab.ending("xyz") == []


def test_vocabulary_containing_an_empty_fragment_answers_at_once() -> None:
    """It looped for ever, growing its list until the kernel killed the process (24 GB once)."""
    vocab = Vocabulary([("beratung", 3, 1), ("eheberatung", 1, 1), ("lebensberatung", 5, 2)])
    assert vocab.containing("") == []
    assert vocab.containing("berat") == ["lebensberatung", "eheberatung"]


def test_vocabulary_terms_are_sorted_merged_and_read_back_whole(monkeypatch) -> None:
    """Terms kept as one joined string: unsorted rows (not from fts5vocab) are sorted and merged,
    every term, slice and count reads back as it was, and a typo's scan in small chunks gives the
    same answer as one scan of all terms."""
    from sync import vocabulary

    rows = [("pflege", 2, 1), ("beratung", 3, 1), ("", 9, 9), ("pflege", 1, 0), ("bertung", 1, 1),
            ("pflegeberatung", 4, 2), ("abc", 1, 0)]
    vocab = Vocabulary(rows)
    assert list(vocab.terms) == ["abc", "beratung", "bertung", "pflege", "pflegeberatung"]
    assert vocab.terms[1:3] == ["beratung", "bertung"] and vocab.terms[-1] == "pflegeberatung"
    assert vocab.term_docs("pflege") == (3, 1) and vocab.term_docs("pfleg") == (0, 0)
    assert vocab.prefix_docs("pflege") == (7, 3) and vocab.prefix_docs("") == (12, 5)
    whole = vocab.close("pflegeberatun")
    monkeypatch.setattr(vocabulary.Terms, "CHUNK", 2)
    assert vocab.close("pflegeberatun") == whole and ("pflegeberatung", False) in whole
    assert vocab.close("beratunk") == [("beratung", False), ("bertung", False)]
    assert len(Vocabulary([])) == 0 and Vocabulary([]).close("beratunk") == []


def test_a_town_of_two_words_narrows_too(make_catalogue) -> None:
    from tests.conftest import hsds_service

    cat = make_catalogue([
        hsds_service("a", "Tafel am Kurpark", town="Bad Iburg", lat=52.159, lon=8.045),
        hsds_service("b", "Tafel Rheine", town="Rheine", lat=52.28, lon=7.44),
        hsds_service("c", "Kleiderkammer", town="Rheine", lat=52.28, lon=7.44),
    ])
    for text in ("tafel bad iburg", "Tafel in Bad Iburg", "bad iburg tafel"):
        found = cat.find(text)
        assert [o.name for o in found.offers] == ["Tafel am Kurpark"], text
        assert found.town == "Bad Iburg" and not found.town_empty
    found = cat.find("kleiderkammer bad iburg")
    assert [o.name for o in found.offers] == ["Kleiderkammer"] and found.town_empty
