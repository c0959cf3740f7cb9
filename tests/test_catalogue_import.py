"""Importing HSDS files into a real SQLite catalogue, and reading it back the way the kiosk does."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.errors import FeedRejected
from sync.pull import SyncOptions, import_file
from tests.hsdsdata import many, service, uid, write_json, write_ndjson

# The official HSDS examples, copied with their attribution into tests/fixtures/hsds.
EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "hsds"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "catalogue.db"


def load(db: Path, services: list[dict], tmp_path: Path, **opts):
    return import_file(write_json(tmp_path / "feed.json", services), db, SyncOptions(**opts))


# -- the official HSDS examples --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["service_full.json", "service_list.json"])
def test_official_examples_import(db: Path, name: str) -> None:
    report = import_file(EXAMPLES / name, db)
    assert report.received == 1 and not report.skipped
    with Catalogue(db) as cat:
        assert cat.count() == 1
        [hit] = cat.search("counselling")
        assert hit.name == "Community Counselling"
        offer = cat.offer(hit.id)
        assert offer.organization == "Example Organization Inc."


def test_official_full_example_keeps_details_and_drops_impossible_coordinates(db: Path) -> None:
    report = import_file(EXAMPLES / "service_full.json", db)
    assert any("latitude/longitude 100/101" in w for w in report.warnings)
    with Catalogue(db) as cat:
        offer = cat.offer("ac148810-d857-441c-9679-408f346de14b")
    assert offer.latitude is None and offer.town == "MyCity"
    # The example's number carries literal quote characters; they are not part of a number.
    assert offer.phones[0].number == "+44 1234 234567"
    assert [language.code for language in offer.languages] == ["ur"]
    assert offer.schedules and offer.schedules[0]["byday"] == "TH,FR"


def test_page_document_imports_its_contents(db: Path, tmp_path: Path) -> None:
    page = json.loads((EXAMPLES / "service_list.json").read_text())
    page["contents"] = [service("a", "Erstes Angebot"), service("b", "Zweites Angebot")]
    (tmp_path / "page.json").write_text(json.dumps(page, indent=2))
    assert import_file(tmp_path / "page.json", db).received == 2


# -- search ------------------------------------------------------------------------------------------

@pytest.fixture
def cat(db: Path, tmp_path: Path):
    services = [
        service("arzt", "Ärztin für Kinder", description="Sprechstunde"),
        service("strasse", "Beratung in der Langen Straße"),
        service("senioren", "Seniorenberatung", town="Rheine"),
        service("desc", "Offener Treff", description="Auch Beratung für Senioren und Ärztinnen"),
        service("pflege", "Pflegestützpunkt", categories=[("alter-pflege", "Alter & Pflege")]),
        service("cafe", "Café International", town="Steinfurt"),
        *many(30),
    ]
    load(db, services, tmp_path)
    with Catalogue(db) as catalogue:
        yield catalogue


@pytest.mark.parametrize("query, expected", [
    ("arztin", "Ärztin für Kinder"),
    ("aerztin", "Ärztin für Kinder"),
    ("ÄRZTIN", "Ärztin für Kinder"),
    ("strasse", "Beratung in der Langen Straße"),
    ("straße", "Beratung in der Langen Straße"),
    ("senio", "Seniorenberatung"),
    ("cafe", "Café International"),
    ("pflegestuetz", "Pflegestützpunkt"),
])
def test_search_folds_case_umlauts_and_prefixes(cat: Catalogue, query: str, expected: str) -> None:
    assert expected in [r.name for r in cat.search(query)]


def test_search_ranks_name_matches_first(cat: Catalogue) -> None:
    names = [r.name for r in cat.search("senioren")]
    assert names[0] == "Seniorenberatung"
    assert "Offener Treff" in names  # found by its description, but after the name match


def test_search_finds_by_category_and_town(cat: Catalogue) -> None:
    assert [r.name for r in cat.search("alter pflege")] == ["Pflegestützpunkt"]
    assert "Café International" in [r.name for r in cat.search("steinfurt")]


@pytest.mark.parametrize("query", ['"', "'", "-", "AND", "OR", "NOT", "*", "(", ")", "C++", "a AND (b",
                                   'sen" OR "x', "NEAR(a b)", "name:x", "^", "{name}: x", "\x00", "😀", "   "])
def test_search_never_raises_on_visitor_input(cat: Catalogue, query: str) -> None:
    assert isinstance(cat.search(query), list)


def test_search_words_must_all_match(cat: Catalogue) -> None:
    assert [r.name for r in cat.search("ärztin kinder")] == ["Ärztin für Kinder"]
    assert cat.search("ärztin pflegestützpunkt") == []
    # A town is not a word that must match: no Ärztin in Rheine, so the nearest are shown, and said so.
    found = cat.find("ärztin rheine")
    assert "Ärztin für Kinder" in [o.name for o in found.offers] and found.town_empty


def test_categories_tree_counts_visible_offers(cat: Catalogue) -> None:
    [top] = cat.categories()
    assert (top.name, top.count) == ("Alter & Pflege", 1)
    assert [o.name for o in cat.in_category(top.id)] == ["Pflegestützpunkt"]


# -- what visitors must not see ----------------------------------------------------------------------

def test_inactive_services_are_hidden(db: Path, tmp_path: Path) -> None:
    load(db, [service("a", "Aktiv"), service("b", "Pause", status="temporarily closed"),
              service("c", "Vorbei", status="defunct"), service("d", "Ruht", status="inactive")], tmp_path)
    with Catalogue(db) as cat:
        assert cat.count() == 1
        assert [r.name for r in cat.search("pause")] == []
        assert cat.offer(uid("b")) is None
        assert cat.offer(uid("a")).name == "Aktiv"


def test_control_characters_never_reach_the_store(db: Path, tmp_path: Path) -> None:
    nasty = "Treff\x1b]0;pwned\x07\x1b[2J\u202eevil\u200b\x9b31m\x00 ok"
    load(db, [service("x", nasty, description="a\x1b]52;c;Zm9v\x07b\r\nzeile")], tmp_path)
    raw = sqlite3.connect(db).execute("SELECT name, description FROM offers").fetchone()
    for text in raw:
        assert not any(ord(c) < 32 and c not in "\n\t" for c in text), repr(text)
        assert "\u202e" not in text and "\u200b" not in text and "\x9b" not in text
    assert raw[0] == "Treff]0;pwned[2Jevil31m ok"
    assert raw[1] == "a]52;c;Zm9vb\nzeile"


def test_markup_like_text_is_stored_verbatim(db: Path, tmp_path: Path) -> None:
    load(db, [service("m", "[@click=app.quit]x[/]"), service("n", "Öffnungszeiten [Mo-Fr]")], tmp_path)
    with Catalogue(db) as cat:
        assert {r.name for r in cat.all_offers()} == {"[@click=app.quit]x[/]", "Öffnungszeiten [Mo-Fr]"}


# -- bad records and bad files -----------------------------------------------------------------------

def test_bad_records_are_skipped_and_reported_good_ones_land(db: Path, tmp_path: Path) -> None:
    good = many(3)
    bad = [
        {"name": "ohne id", "status": "active"},
        {"id": uid("noname"), "status": "active"},
        service("wrongtype", "Falscher Typ", description=["a", "list"]),
        service("badphones", "Falsche Telefone", phones="05481 1"),
        "not even an object",
    ]
    report = load(db, good[:1] + bad + good[1:], tmp_path)
    assert report.received == 8 and len(report.skipped) == 5
    text = "\n".join(report.skipped)
    assert "(no id): id: missing" in text
    assert f"{uid('noname')}: name: missing" in text
    assert f"{uid('wrongtype')}: description: expected text, got list" in text
    assert f"{uid('badphones')}: phones: expected a list of objects" in text
    assert "record #" in text  # where in the file
    with Catalogue(db) as cat:
        assert cat.count() == 3
        assert len(cat.status().skipped) == 5


def test_ndjson_and_gzip_are_accepted(db: Path, tmp_path: Path) -> None:
    lines = [service("a", "Eins"), "{not json", service("b", "Zwei")]
    report = import_file(write_ndjson(tmp_path / "feed.ndjson", lines), db)
    assert report.received == 3 and report.skipped == [f"{tmp_path / 'feed.ndjson'} line 2 (not JSON: "
                                                       "Expecting property name enclosed in double quotes: "
                                                       "line 1 column 2 (char 1))"]
    report = import_file(write_json(tmp_path / "feed.json.gz", many(4), gz=True), db)
    assert report.received == 4
    with Catalogue(db) as cat:
        assert cat.count() == 4


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"<html>Fehler 502</html>", "not JSON"),
    (b'[{"id": "a", "name": "x", "status": "active"}, {"id": "b", "na', "not valid JSON"),
    (b'{"hello": "world"}', "none of the 1 records is usable"),
    (b'{\n "hello": "world"\n}', "neither an HSDS page"),
    (b"[]", "no services"),
])
def test_broken_files_are_rejected_and_the_old_catalogue_kept(db: Path, tmp_path: Path, content: bytes,
                                                             reason: str) -> None:
    load(db, many(5), tmp_path)
    (tmp_path / "broken.json").write_bytes(content)
    with pytest.raises(FeedRejected, match=reason) as info:
        import_file(tmp_path / "broken.json", db)
    assert str(tmp_path / "broken.json") in str(info.value)
    with Catalogue(db) as cat:
        assert cat.count() == 5
        status = cat.status()
    assert reason in status.last_error and status.last_success is not None


def test_guard_rejects_a_feed_that_suddenly_shrinks(db: Path, tmp_path: Path) -> None:
    load(db, many(40), tmp_path)
    with pytest.raises(FeedRejected, match="would leave 10 visible offers where we have 40"):
        load(db, many(10), tmp_path, min_keep_ratio=0.5, guard_min_offers=20)
    with Catalogue(db) as cat:
        assert cat.count() == 40
    # A lower guard lets the same feed through: the operator can decide.
    load(db, many(10), tmp_path, min_keep_ratio=0.2)
    with Catalogue(db) as cat:
        assert cat.count() == 10


def test_all_records_bad_is_a_rejected_feed(db: Path, tmp_path: Path) -> None:
    load(db, many(3), tmp_path)
    with pytest.raises(FeedRejected, match="none of the 2 records is usable"):
        load(db, [{"id": "x"}, {"id": "y"}], tmp_path)


# -- atomicity with the kiosk reading -----------------------------------------------------------------

def test_open_reader_sees_the_new_catalogue_after_a_sync(db: Path, tmp_path: Path) -> None:
    load(db, many(5, "Alt"), tmp_path)
    with Catalogue(db) as cat:
        assert cat.count() == 5 and cat.search("alt")
        load(db, many(7, "Neu"), tmp_path)
        assert cat.count() == 7
        assert cat.search("alt") == [] and len(cat.search("neu")) == 7


def test_reader_in_a_transaction_sees_old_or_new_never_a_mix(db: Path, tmp_path: Path) -> None:
    load(db, many(5, "Alt"), tmp_path)
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM offers").fetchone()[0] == 5
    load(db, many(7, "Neu"), tmp_path)
    names = {r[0].split()[0] for r in reader.execute("SELECT name FROM offers")}
    assert names == {"Alt"}  # the snapshot it started with, whole
    reader.execute("COMMIT")
    assert {r[0].split()[0] for r in reader.execute("SELECT name FROM offers")} == {"Neu"}
    assert reader.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_stale_staging_file_from_a_killed_run_is_ignored(db: Path, tmp_path: Path) -> None:
    load(db, many(3), tmp_path)
    staging = db.with_name(db.name + ".staging")
    staging.write_bytes(b"garbage left by kill -9")
    load(db, many(4), tmp_path)
    assert not staging.exists()
    with Catalogue(db) as cat:
        assert cat.count() == 4


def test_catalogue_on_missing_or_foreign_file_says_so(tmp_path: Path) -> None:
    from sync.errors import StoreError
    with pytest.raises(StoreError, match="no catalogue here yet"):
        Catalogue(tmp_path / "none.db")
    shutil.copy(__file__, tmp_path / "foreign.db")
    with pytest.raises(StoreError, match="foreign.db"):
        Catalogue(tmp_path / "foreign.db")


def test_category_counts_include_children_once_and_leave_hidden_offers_out(db: Path, tmp_path: Path) -> None:
    parent = {"id": uid("term:alter"), "name": "Alter & Pflege", "code": "alter-pflege", "description": "x",
              "taxonomy": "Dritte Orte Bedarfe"}
    child = {**parent, "id": uid("term:pflegeberatung"), "name": "Pflegeberatung", "code": "pflegeberatung",
             "parent_id": uid("term:alter")}

    def filed(key: str, name: str, terms: list[dict], status: str = "active") -> dict:
        svc = service(key, name, status=status)
        svc["attributes"] = [{"id": uid(f"a:{key}:{t['id']}"), "taxonomy_term": t} for t in terms]
        return svc

    load(db, [filed("both", "Im Oberbegriff und darunter", [parent, child]),
              filed("child", "Nur darunter", [child]),
              filed("top", "Nur oben", [parent]),
              filed("hidden", "Ruht", [child], status="inactive"),
              service("none", "Ohne Thema")], tmp_path)
    with Catalogue(db) as cat:
        [top] = cat.categories()
        [below] = top.children
    assert (top.name, top.count) == ("Alter & Pflege", 3)
    assert (below.name, below.count) == ("Pflegeberatung", 2)
