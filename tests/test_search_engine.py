"""The search as visitors use it: synonyms, compounds, typos, stop words, misses, fallback, safety."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.pull import SyncOptions, import_file
from sync.query import normalise
from sync.search import MissRecorder
from tests.hsdsdata import TOWNS, many, service, uid, write_json


def load(db: Path, services: list[dict], tmp_path: Path, name: str = "feed.json"):
    return import_file(write_json(tmp_path / name, services), db, SyncOptions(guard_min_offers=10 ** 6))


SERVICES = [
    service("pflege", "Pflegestützpunkt", town="Steinfurt", description="Neutrale Beratung zu Pflege und Pflegegrad.",
            categories=[("alter-pflege", "Alter & Pflege")]),
    service("juz", "Jugendzentrum Emsufer", town="Rheine", description="Kicker, Billard und Musik."),
    service("schuldner", "Schuldnerberatung Lengerich", description="Hilfe bei Schulden und Mahnungen."),
    service("schuldner-rh", "Schuldnerberatung Rheine", town="Rheine", description="Hilfe bei Schulden."),
    service("deutsch", "Deutschkurs am Abend", description="Deutsch lernen für Anfänger."),
    service("integration", "Integrationskurs mit Kinderbetreuung", town="Ibbenbüren",
            description="Deutsch lernen bis B1."),
    service("tafel-rh", "Tafel Rheine", town="Rheine", description="Lebensmittel für Menschen mit wenig Geld."),
    service("tafel-ib", "Tafel Ibbenbüren", town="Ibbenbüren", description="Lebensmittel für Menschen mit wenig Geld."),
    service("handy", "Smartphone-Sprechstunde", description="Fragen zu Tablet und Apps.",
            languages=[{"id": uid("lang:handy-ar"), "code": "ar", "name": "Arabisch"},
                       {"id": uid("lang:handy-de"), "code": "de", "name": "Deutsch"}]),
    service("sozial-lg", "Allgemeine Sozialberatung Lengerich", description="Beratung bei Geldsorgen."),
    service("sozial-st", "Sozialberatung der Diakonie Steinfurt", town="Steinfurt", description="Beratung bei Sorgen."),
    service("senioren", "Seniorentreff", town="Rheine", description="Kaffee und Kuchen."),
    *many(20),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "catalogue.db"
    load(path, SERVICES, tmp_path)
    return path


@pytest.fixture
def cat(db: Path):
    with Catalogue(db) as catalogue:
        yield catalogue


def names(cat: Catalogue, text: str, limit: int = 50) -> list[str]:
    return [o.name for o in cat.search(text, limit=limit)]


# -- compounds, synonyms, phrases, stop words ---------------------------------------------------

@pytest.mark.parametrize("query", ["stützpunkt", "stutzpunkt", "stuetzpunkt", "pflegestütz", "stützp"])
def test_part_of_a_compound_finds_it(cat: Catalogue, query: str) -> None:
    assert names(cat, query)[0] == "Pflegestützpunkt"


def test_compound_head_and_prefix(cat: Catalogue) -> None:
    assert names(cat, "zentrum")[0] == "Jugendzentrum Emsufer"
    assert names(cat, "jugend")[0] == "Jugendzentrum Emsufer"
    assert names(cat, "beratung")[:2] != []  # every *beratung is in the index as one word


def test_synonyms_expand_at_query_time(cat: Catalogue) -> None:
    assert names(cat, "handy")[0] == "Smartphone-Sprechstunde"
    assert set(names(cat, "essen umsonst")) == {"Tafel Rheine", "Tafel Ibbenbüren"}
    assert "Schuldnerberatung Lengerich" in names(cat, "mahnung")


def test_a_new_synonym_list_needs_no_reimport(db: Path, tmp_path: Path) -> None:
    custom = tmp_path / "synonyms.txt"
    custom.write_text("stop: wo, ich\n", encoding="utf-8")
    with Catalogue(db, synonyms=custom) as cat:
        assert names(cat, "handy") == []
    custom.write_text("stop: wo, ich\nhandy, smartphone\n", encoding="utf-8")
    with Catalogue(db, synonyms=custom) as cat:
        assert names(cat, "handy") == ["Smartphone-Sprechstunde"]


def test_stop_words_and_phrases(cat: Catalogue) -> None:
    plain = names(cat, "deutsch lernen")
    assert plain[:2] == ["Deutschkurs am Abend", "Integrationskurs mit Kinderbetreuung"] or \
        set(plain[:2]) == {"Deutschkurs am Abend", "Integrationskurs mit Kinderbetreuung"}
    assert names(cat, "Wo kann ich Deutsch lernen?") == plain
    assert names(cat, "ich suche hilfe bei schulden")[:2] == names(cat, "schulden")[:2]
    # Only stop words: they are searched rather than dropped (never an empty query).
    assert isinstance(names(cat, "wo ich"), list)


def test_town_narrows(cat: Catalogue) -> None:
    assert names(cat, "tafel rheine") == ["Tafel Rheine"]
    assert names(cat, "rheine tafel") == ["Tafel Rheine"]
    assert names(cat, "schuldnerberatung rheine") == ["Schuldnerberatung Rheine"]


def test_a_town_without_such_offers_shows_the_nearest_and_says_so(cat: Catalogue) -> None:
    found = cat.find("tafel lengerich")   # no Tafel in Lengerich: Ibbenbüren is ~15 km away, Rheine ~29 km
    assert [o.name for o in found.offers] == ["Tafel Ibbenbüren", "Tafel Rheine"]
    assert (found.town, found.town_empty) == ("Lengerich", True)
    narrowed = cat.find("Tafel Rheine")
    assert [o.name for o in narrowed.offers] == ["Tafel Rheine"]
    assert (narrowed.town, narrowed.town_empty) == ("Rheine", False)
    assert cat.find("tafel").town is None
    alone = cat.find("rheine")            # a town alone is a word: the offers there, nothing narrowed
    assert "Tafel Rheine" in [o.name for o in alone.offers] and alone.town is None


def test_every_known_word_must_still_match(cat: Catalogue) -> None:
    assert names(cat, "tafel smartphone") == []
    found = cat.find("tafel xqzvw")
    assert [o.name for o in found.offers] == ["Tafel Rheine", "Tafel Ibbenbüren"] or \
        {o.name for o in found.offers} == {"Tafel Rheine", "Tafel Ibbenbüren"}
    assert found.ignored == ("xqzvw",)


def test_spoken_languages_are_searchable_but_german_is_not_a_keyword(cat: Catalogue) -> None:
    assert names(cat, "arabisch") == ["Smartphone-Sprechstunde"]
    assert "Smartphone-Sprechstunde" not in names(cat, "deutsch")


# -- typos ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("schuldnerberatng", "Schuldnerberatung"),
    ("schuldnerbreatung", "Schuldnerberatung"),   # swapped letters count as one edit
    ("deutschkurz", "Deutschkurs am Abend"),
    ("integrazionskurs", "Integrationskurs mit Kinderbetreuung"),
    ("jugenzentrum", "Jugendzentrum Emsufer"),
    ("smartfone", "Smartphone-Sprechstunde"),
    ("tafel reine", "Tafel Rheine"),
])
def test_close_spellings_are_found(cat: Catalogue, query: str, expected: str) -> None:
    assert any(n.startswith(expected) for n in names(cat, query)[:3])


def test_corrections_are_reported(cat: Catalogue) -> None:
    found = cat.find("deutschkurz")
    assert found.approximate
    assert ("deutschkurz", "deutschkurs") in found.corrections
    exact = cat.find("deutschkurs")
    assert not exact.approximate and exact.corrections == ()


def test_short_words_are_never_corrected(cat: Catalogue) -> None:
    assert names(cat, "taf") == ["Tafel Rheine", "Tafel Ibbenbüren"] or \
        set(names(cat, "taf")) == {"Tafel Rheine", "Tafel Ibbenbüren"}
    assert names(cat, "zzz") == []


# -- safety ---------------------------------------------------------------------------------------

NASTY = ['"', "'", "-", "AND", "OR", "NOT", "*", "(", ")", "C++", "a AND (b", 'sen" OR "x', "NEAR(a b)",
         "name:x", "^", "{name}: x", "\x00", "😀", "   ", "-tafel", "tafel*", "ta*fel", "(tafel OR rheine)",
         "rank", "bm25(offers_fts)", "'; DROP TABLE offers; --", "\\", "%", "_", "²³", "ﬁ", "İstanbul",
         "x" * 200, "tafel " * 40, "ä" * 200, "schuldnerberatung " * 12, "\u202etafel", "ta\u200bfel",
         "مرحبا", "Привет", "你好", "ئ", "\ufeff", "a" * 5000]


@pytest.mark.parametrize("query", NASTY)
def test_search_never_raises(cat: Catalogue, query: str) -> None:
    result = cat.find(query)
    assert isinstance(result.offers, list)
    assert cat.search(query, limit=3) == result.offers[:3] or len(cat.search(query, limit=3)) <= 3


def test_random_unicode_never_raises(cat: Catalogue) -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(32, 0x3000) if not 0xD800 <= c <= 0xDFFF] + list("aeiou äöüß\"'*()-:^")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        assert isinstance(cat.search(text), list)


def test_limits(cat: Catalogue) -> None:
    assert cat.search("beratung", limit=0) == []
    assert cat.search("beratung", limit=-3) == []
    assert len(cat.search("a", limit=2)) == 2
    assert len(cat.search("angebot", limit=50)) == 20


# -- the index vocabulary follows syncs -----------------------------------------------------------

def test_an_open_catalogue_learns_the_words_of_a_new_sync(db: Path, tmp_path: Path) -> None:
    with Catalogue(db) as cat:
        assert names(cat, "hospiz") == []
        load(db, SERVICES + [service("hospiz", "Ambulanter Hospizdienst", town="Ibbenbüren")], tmp_path, "new.json")
        assert names(cat, "hospiz") == ["Ambulanter Hospizdienst"]
        assert names(cat, "dienst") == ["Ambulanter Hospizdienst"]       # compound part of a new word
        assert names(cat, "hospitz") == ["Ambulanter Hospizdienst"]      # typo of a new word
        load(db, SERVICES, tmp_path, "old.json")
        assert names(cat, "hospiz") == []


# -- never a dead end: misses and the fallback ----------------------------------------------------

def test_misses_are_reported_once_per_typing_run(db: Path) -> None:
    seen: list[str] = []
    with Catalogue(db, on_miss=seen.append) as cat:
        for typed in ["z", "za", "zah", "zahn", "zahna", "zahnar", "zahnarz", "zahnarzt", "zahnar"]:
            cat.search(typed)
        assert seen == []                      # still the same wish
        cat.search("tafel")                    # something else: the held-back miss is reported
        assert seen == ["zahnarzt"]
        cat.search("Qqqxx, Ärztin!")
        cat.flush_misses()
        assert seen == ["zahnarzt", "qqqxx arztin"]
        cat.search("yyyzz")
    assert seen == ["zahnarzt", "qqqxx arztin", "yyyzz"]  # close() reports what is left


def test_found_searches_are_not_misses_and_a_failing_hook_never_breaks_search(db: Path) -> None:
    def broken(_: str) -> None:
        raise RuntimeError("statistics are down")

    with Catalogue(db, on_miss=broken) as cat:
        assert names(cat, "qqqxx") == []
        assert names(cat, "tafel rheine") == ["Tafel Rheine"]
        cat.flush_misses()


def test_miss_runs_end_after_a_pause(monkeypatch) -> None:
    seen: list[str] = []
    clock = [100.0]
    monkeypatch.setattr("sync.search.time.monotonic", lambda: clock[0])
    rec = MissRecorder(seen.append)
    rec.seen("zahnarzt", found=False)
    clock[0] += 120
    rec.seen("zahnarzt", found=False)          # the next visitor asks the same
    assert seen == ["zahnarzt"]


def test_normalised_query_holds_only_the_folded_words() -> None:
    assert normalise("  Wo ist die ÄRZTIN?? 😀 ") == "wo ist die arztin"


def test_fallback_gives_general_counselling_nearest_first(cat: Catalogue) -> None:
    _, lat, lon = TOWNS["Steinfurt"]
    near = cat.fallback(lat, lon)
    assert [o.name for o in near] == ["Sozialberatung der Diakonie Steinfurt", "Allgemeine Sozialberatung Lengerich"]
    _, lat, lon = TOWNS["Lengerich"]
    assert cat.fallback(lat, lon, limit=1)[0].name == "Allgemeine Sozialberatung Lengerich"
    assert [o.name for o in cat.fallback()] == ["Allgemeine Sozialberatung Lengerich",
                                                "Sozialberatung der Diakonie Steinfurt"]
    assert cat.fallback(limit=0) == []


def test_fallback_without_counselling_offers_is_empty(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    load(db, many(5), tmp_path)
    with Catalogue(db) as cat:
        assert cat.fallback(52.0, 7.5) == []
