"""Feeds from other publishers: real HSDS examples (Open Referral, Open Referral UK) and feeds that
copy what real third-party data does. Each pattern has one defined outcome: imported right, skipped
and counted, or rejected in words with the old catalogue kept. Fixtures: tests/fixtures/foreign/."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import i18n
from kiosk.finder import Finder
from kiosk.present import address_line, card_lines, offer_sections
from sync.catalogue import Catalogue
from sync.errors import FeedRejected
from sync.hours import Status, status_at, text_lines
from sync.hsds import record_kind
from sync.pull import import_file, pull
from tests.feedserver import FeedServer
from tests.hsdsdata import service, write_json
from tests.test_sync_pull import clean_env, kiosk_sync

FOREIGN = Path(__file__).parent / "fixtures" / "foreign"
OFFICIAL = Path(__file__).parent / "fixtures" / "hsds"
BERLIN_NOON = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)  # a Thursday, 12:00 in Lengerich


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*kiosk_sync(), *args], env=clean_env(tmp_path), capture_output=True, text=True,
                          timeout=60)


@pytest.fixture(autouse=True)
def _german() -> None:
    i18n.set_language("de")  # the visitors' default; conftest puts the language back afterwards


@pytest.fixture
def good_db(tmp_path: Path) -> Path:
    """A catalogue with three good offers, to see that a rejected feed keeps them."""
    db = tmp_path / "c.db"
    import_file(write_json(tmp_path / "good.json", [service(f"g{i}", f"Angebot {i}") for i in range(3)]), db)
    return db


def visible(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM offers WHERE visible = 1").fetchone()[0]


def rejected(source: Path, db: Path) -> str:
    """Import `source` into the good catalogue `db`: it must be refused and the three good offers kept.
    Returns the reason given."""
    with pytest.raises(FeedRejected) as caught:
        import_file(source, db)
    assert visible(db) == 3
    return str(caught.value)


def sections(db: Path, offer_id: str, now: datetime = BERLIN_NOON) -> dict[str, list[str]]:
    with Catalogue(db) as cat:
        offer = cat.offer(offer_id)
        finder = Finder(cat, location_names=(), town="Lengerich", latitude=52.1875, longitude=7.8660)
        return {heading: [str(line) for line in lines] for heading, lines in offer_sections(offer, finder, now)}


# --------------------------------------------------------------------------- not services


@pytest.mark.parametrize(("fixture", "words"), [
    ("hsds_service_at_location_list.json", "this holds a service-at-location link, not services"),
    ("hsds_location.json", "this holds a location, not services"),
    ("hsds_organization_list.json", "this holds an organization, not services"),
    ("hsds_organization_full.json", "this holds an organization, not services"),
    ("hsds_taxonomy_term_list.json", "this holds a taxonomy term, not services"),
])
def test_a_file_of_other_hsds_objects_is_rejected_and_the_old_catalogue_kept(fixture, words, good_db) -> None:
    why = rejected(FOREIGN / fixture, good_db)
    assert words in why and "the kiosk reads HSDS 3 services" in why


def test_the_root_document_of_an_api_is_named_as_such(good_db) -> None:
    why = rejected(FOREIGN / "hsds_base.json", good_db)
    assert "this is the root document of an HSDS API, not services: give the API" in why


def test_organizations_among_services_are_skipped_and_counted_by_kind(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    report = import_file(FOREIGN / "written_mixed_organizations.json", db)
    assert report.received == 13 and report.after == 2
    assert report.not_services == {"organization": 10, "taxonomy term": 1}
    assert "10 organizations skipped (not services; first: " in report.summary()
    assert "1 record is a taxonomy term skipped (not services" in report.summary()
    with Catalogue(db) as cat:
        assert {s.name for s in cat.summaries(list(cat.places()))} == {"Mittagstisch", "Sprachcafé"}
    done = run(["import", str(FOREIGN / "written_mixed_organizations.json"), "--db", str(db)], tmp_path)
    assert done.returncode == 0 and "10 organizations skipped (not services" in done.stdout


@pytest.mark.parametrize(("record", "kind"), [
    (json.loads((FOREIGN / "oruk_service_full.json").read_text()), "service"),
    ({"id": "x", "name": "Bare service"}, "service"),  # small feeds write services like this
    (json.loads((FOREIGN / "hsds_organization_list.json").read_text())["contents"][0], "organization"),
    (json.loads((FOREIGN / "hsds_taxonomy_term_list.json").read_text())["contents"][0], "taxonomy term"),
    ({"id": "l", "name": "Hall", "latitude": 52.1, "longitude": 7.8}, "location"),
    ({"id": "t", "name": "Open Eligibility", "uri": "http://example.org", "version": "1"}, "taxonomy"),
])
def test_record_kind_on_real_shapes(record, kind) -> None:
    assert record_kind(record) == kind


# --------------------------------------------------------------------------- real services


def test_open_referral_uk_example_service_imports_with_its_expired_price_left_out(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    report = import_file(FOREIGN / "oruk_service_full.json", db)
    assert report.after == 1 and not report.not_services
    shown = sections(db, "ac148810-d857-441c-9679-408f346de14b")
    # The only cost option ran out on 2022-12-31: not shown as today's price.
    assert not any("35" in line for line in shown.get("Kosten", []))
    # Its one schedule ended 2005: hours unknown, said once.
    when = shown["Wann?"]
    assert when.count("Öffnungszeiten unbekannt") == 1, when


def test_official_hsds_example_gbp_price_expired_and_week_said_once(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    import_file(OFFICIAL / "service_full.json", db)
    shown = sections(db, "ac148810-d857-441c-9679-408f346de14b")
    # Its cost option (35 "gbp", valid to 2022-12-31) has expired; the fees text stays.
    assert not any("35" in line or "gbp" in line for line in shown["Kosten"])
    assert any("The current rate is £50 per hour" in line for line in shown["Kosten"])
    assert shown["Wann?"] == ["Öffnungszeiten unbekannt"]
    assert "1-30 Main Street, MyVillage, MyCity, MyState ABC 1234" in shown["Wo?"]  # country US


def test_a_repeated_service_id_in_real_data_keeps_the_newest_record(tmp_path: Path) -> None:
    real = json.loads((FOREIGN / "oruk_service_full.json").read_text())
    newer = {**real, "name": "Community Counselling (new rooms)", "last_modified": "2024-01-02T00:00:00Z"}
    db = tmp_path / "c.db"
    report = import_file(write_json(tmp_path / "dup.json", [newer, real]), db)
    assert report.after == 1 and any("ac148810" in line for line in report.skipped)
    with Catalogue(db) as cat:
        assert cat.offer("ac148810-d857-441c-9679-408f346de14b").name == "Community Counselling (new rooms)"


# --------------------------------------------------------------------------- hours, costs, address


def test_hours_given_only_as_text_are_shown_and_never_make_an_offer_open(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    import_file(FOREIGN / "written_text_hours_us.json", db)
    thursday_evening = datetime(2026, 11, 26, 22, 45, tzinfo=UTC)  # 17:45 in Melbourne, FL
    shown = sections(db, "text-hours-1", thursday_evening)
    assert shown["Wann?"] == ["Öffnungszeiten unbekannt", "Thursdays, 5:30 p.m. - 6:30 p.m.",
                              "Closed on public holidays.", "Walk in"]
    with Catalogue(db) as cat:
        offer = cat.offer("text-hours-1")
        assert status_at(offer.schedules, thursday_evening).state == Status.UNKNOWN
        finder = Finder(cat, location_names=(), town="Lengerich", latitude=52.1875, longitude=7.8660)
        assert card_lines(offer, finder, thursday_evening)[2] == "Öffnungszeiten unbekannt"


def test_the_sync_report_says_how_many_offers_have_hours_only_as_text(tmp_path: Path) -> None:
    report = import_file(FOREIGN / "written_text_hours_us.json", tmp_path / "c.db")
    assert report.hours_as_text == 1
    assert "Offers with opening hours only as text: 1 (visitors see that text, never 'open now')." in report.summary()


def test_text_lines_leave_out_schedules_with_a_rule() -> None:
    rule = {"freq": "WEEKLY", "byday": "TH", "opens_at": "17:30", "closes_at": "18:30", "description": "Thu"}
    assert text_lines([rule]) == []
    assert text_lines([rule, {"description": "By appointment", "notes": "By appointment"}]) == ["By appointment"]


def test_lower_case_currency_is_formatted_and_an_expired_price_hidden(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    import_file(FOREIGN / "written_text_hours_us.json", db)
    costs = sections(db, "text-hours-1")["Kosten"]
    assert costs == ["Weekly box 35,00\xa0£"]
    i18n.set_language("en")
    assert sections(db, "text-hours-1")["Costs"] == ["Weekly box £35.00"]


def test_the_schedule_time_zone_decides_open_now(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    import_file(FOREIGN / "written_text_hours_us.json", db)
    with Catalogue(db) as cat:
        schedules = cat.offer("zone-1").schedules
    # 09:00-17:00 New York time is 15:00-23:00 in Berlin (November).
    assert status_at(schedules, datetime(2026, 11, 26, 10, 0, tzinfo=UTC)).state == Status.CLOSED
    assert status_at(schedules, datetime(2026, 11, 26, 15, 30, tzinfo=UTC)).state == Status.OPEN
    numeric = [{**schedules[0], "timezone": "-5"}]  # HSDS 3.0: hours from UTC
    assert status_at(numeric, datetime(2026, 11, 26, 14, 30, tzinfo=UTC)).state == Status.OPEN
    assert status_at(numeric, datetime(2026, 11, 26, 13, 30, tzinfo=UTC)).state == Status.CLOSED
    bad = [{"id": "z", "name": "Zone", "status": "active", "schedules": [{**schedules[0], "timezone": "Mars/Base"}]}]
    report = import_file(write_json(tmp_path / "bad.json", bad), tmp_path / "bad.db")
    assert any("'Mars/Base' is not a time zone" in w or '"Mars/Base" is not a time zone' in w
               for w in report.warnings), report.warnings
    # Shown in the time of the visitor who reads it: the kiosk's, like "open now".
    when = sections(db, "zone-1", datetime(2026, 11, 26, 15, 30, tzinfo=UTC))["Wann?"]
    assert when[0] == "Jetzt geöffnet bis 23:00" and any("15:00–23:00" in line for line in when), when


def test_addresses_are_written_the_way_of_their_country(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    import_file(FOREIGN / "written_text_hours_us.json", db)
    assert "7550 North Wickham Road, Melbourne, FL 32940" in sections(db, "text-hours-1")["Wo?"]
    assert address_line("1-30 Main Street", "MyVillage", "ABC 1234", "MyCity", "MyState", "gb") == \
        "1-30 Main Street, MyVillage, MyCity, ABC 1234"
    assert address_line("Bahnhofstraße 1", None, "49525", "Lengerich", "NRW", "DE") == \
        "Bahnhofstraße 1, 49525 Lengerich"
    assert address_line("Bahnhofstraße 1", None, "49525", "Lengerich") == "Bahnhofstraße 1, 49525 Lengerich"
    assert address_line(None, None, None, "Melbourne", None, "USA") == "Melbourne"


def test_a_catalogue_written_before_the_new_columns_still_reads_and_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    import_file(FOREIGN / "written_text_hours_us.json", db)
    with sqlite3.connect(db) as conn:
        for table, column in (("schedules", "notes"), ("schedules", "attending_type"), ("schedules", "timezone"),
                              ("locations", "state_province"), ("locations", "country")):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    assert "7550 North Wickham Road, 32940 Melbourne" in sections(db, "text-hours-1")["Wo?"]
    import_file(FOREIGN / "written_text_hours_us.json", db)
    assert "7550 North Wickham Road, Melbourne, FL 32940" in sections(db, "text-hours-1")["Wo?"]


# --------------------------------------------------------------------------- wrong formats


@pytest.mark.parametrize(("name", "words"), [
    ("hsds1_csv", "this is a folder of CSV tables (as in an HSDS 1.x CSV set), not a JSON file"),
    ("hsds1_csv/datapackage.json", "this looks like a tabular data package"),
    ("hsds1_csv/services.csv", "this looks like a CSV table (as in an HSDS 1.x CSV set), not JSON"),
])
def test_hsds_1_tables_are_named_as_such(name, words, good_db) -> None:
    why = rejected(FOREIGN / name, good_db)
    assert words in why and "the kiosk reads HSDS 3 JSON" in why


def test_a_csv_without_the_csv_name_is_recognised_by_its_header(tmp_path: Path, good_db) -> None:
    copy = tmp_path / "export.txt"
    copy.write_bytes((FOREIGN / "hsds1_csv" / "organizations.csv").read_bytes())
    with pytest.raises(FeedRejected, match="looks like a CSV table"):
        import_file(copy, good_db)


def test_an_empty_folder_is_called_a_folder(tmp_path: Path, good_db) -> None:
    (tmp_path / "feed").mkdir()
    with pytest.raises(FeedRejected, match="this is a folder, not a file"):
        import_file(tmp_path / "feed", good_db)


def test_a_csv_url_is_not_taken_for_an_api_base(good_db) -> None:
    with FeedServer(services=[service("s", "Angebot")]) as server:
        with pytest.raises(FeedRejected, match="looks like a table file"):
            pull(server.url + "/export/services.csv", good_db)
        assert server.requests == []  # told before asking the server anything
    assert visible(good_db) == 3


def test_one_page_of_many_is_imported_with_a_warning_kept_in_the_status(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    report = import_file(FOREIGN / "hsds_service_list.json", db)
    assert report.after == 1
    assert report.caution.startswith("the file is page 1 of 10 (10 services in all): only this page was read")
    status = json.loads(run(["status", "--db", str(db), "--json"], tmp_path).stdout)
    assert "page 1 of 10" in status["warning"]


# --------------------------------------------------------------------------- kiosk-sync words


def test_json_answers_also_when_the_sync_is_rejected(tmp_path: Path) -> None:
    done = run(["import", str(FOREIGN / "hsds_organization_list.json"), "--db", str(tmp_path / "c.db"), "--json"],
               tmp_path)
    assert done.returncode == 1
    answer = json.loads(done.stdout)
    assert answer["ok"] is False and answer["kind"] == "feed" and answer["old_catalogue_kept"] is True
    assert "an organization, not services" in answer["error"]
    assert answer["source"] == str(FOREIGN / "hsds_organization_list.json")
    ok = json.loads(run(["import", str(FOREIGN / "written_mixed_organizations.json"), "--db",
                         str(tmp_path / "c.db"), "--json"], tmp_path).stdout)
    assert ok["ok"] is True and ok["not_services"] == {"organization": 10, "taxonomy term": 1}


def test_the_text_report_says_how_many_warnings_were_not_listed(tmp_path: Path) -> None:
    feed = write_json(tmp_path / "f.json", [{"id": f"w{i}", "name": f"Angebot {i}"} for i in range(14)])
    done = run(["import", str(feed), "--db", str(tmp_path / "c.db")], tmp_path)
    assert done.returncode == 0
    assert done.stdout.count("  warning: ") == 10
    assert "... and 4 more warnings" in done.stdout


# --------------------------------------------------------------------------- the volunteer menu


async def test_the_volunteer_menu_says_what_was_skipped_and_warns_of_one_page(settings, make_catalogue, tmp_path):
    from kiosk.app import make_app
    from tests.conftest import small_services, sync_in_menu, with_feed
    from tests.test_app_kiosk import SCREENS, walk

    mixed = json.loads((FOREIGN / "written_mixed_organizations.json").read_text())
    feed = write_json(tmp_path / "feed.json", small_services() + mixed)
    settings = with_feed(settings, str(feed))
    app = make_app(settings, make_catalogue(small_services()))
    async with app.run_test(size=(120, 40)) as pilot:
        await walk(pilot, SCREENS["volunteer"], settings.kiosk.volunteer_pin)
        text = await sync_in_menu(pilot)
        assert "Aktualisiert: 14 Angebote (vorher: 12)." in text
        assert "Übersprungen, weil es keine Angebote sind (Organisationen, Kategorien): 11." in text
        assert "10 organizations skipped (not services" in text
        app.settings = with_feed(settings, str(FOREIGN / "hsds_service_list.json"), min_keep_ratio=0.0)
        await asyncio.sleep(0.3)  # a Button ignores a second press within 0.2 s
        text = await sync_in_menu(pilot)
        assert "Die letzte Aktualisierung kam mit einer Warnung." in text and "page 1 of 10" in text, text


def test_an_api_whose_services_are_organizations_is_rejected_and_real_services_pulled(good_db, tmp_path) -> None:
    orgs = json.loads((FOREIGN / "hsds_organization_full.json").read_text())
    with FeedServer(services=[orgs, {**orgs, "id": "second-org"}]) as server:
        with pytest.raises(FeedRejected, match="this holds 2 organizations, not services"):
            pull(server.url, good_db)
    assert visible(good_db) == 3
    official = json.loads((OFFICIAL / "service_full.json").read_text())
    uk = {**json.loads((FOREIGN / "oruk_service_full.json").read_text()), "id": "uk-1"}
    db = tmp_path / "api.db"
    with FeedServer(services=[official, uk, orgs]) as server:
        report = pull(server.url, db)
    assert report.after == 2 and report.not_services == {"organization": 1}


def test_json_answers_also_a_usage_error_and_status_lists_the_not_services(tmp_path: Path) -> None:
    done = run(["pull", "--json", "--db", str(tmp_path / "c.db")], tmp_path)  # no feed configured
    assert done.returncode == 2 and json.loads(done.stdout)["kind"] == "usage"
    assert "no feed" in json.loads(done.stdout)["error"]
    db = tmp_path / "c.db"
    import_file(FOREIGN / "written_mixed_organizations.json", db)
    status = run(["status", "--db", str(db)], tmp_path).stdout
    assert "Not services in the last sync: 10 organizations skipped (not services" in status
    assert json.loads(run(["status", "--db", str(db), "--json"], tmp_path).stdout)["not_services"][1].startswith(
        "1 record is a taxonomy term skipped")


def test_a_validators_failing_mock_pattern_is_rejected_naming_the_record_and_field(good_db, tmp_path) -> None:
    """The pattern of an ORUK validator's 'fail' mock feed (not copied: no licence found): the UK
    example service without a name, with an address and an e-mail that are neither."""
    broken = json.loads((FOREIGN / "oruk_service_full.json").read_text())
    del broken["name"]
    broken.update(url="example_counselling", email="email-example_com")
    page = {"total_items": 1, "total_pages": 1, "page_number": 1, "contents": [broken]}
    feed = tmp_path / "fail.json"
    feed.write_text(json.dumps(page))
    with pytest.raises(FeedRejected, match="record ac148810-d857-441c-9679-408f346de14b: name: missing"):
        import_file(feed, good_db)
    assert visible(good_db) == 3
    broken["name"] = "Community Counselling"
    feed.write_text(json.dumps(page))
    report = import_file(feed, tmp_path / "ok.db")
    assert report.after == 1
    assert any("url: 'example_counselling' is not a web address (http or https); dropped" in w
               for w in report.warnings), report.warnings
    assert any("email: 'email-example_com' is not an e-mail address; dropped" in w for w in report.warnings)
