"""The place's own programme: a local HSDS file kept apart from the catalogue, edited with
`kiosk-sync local`, never lost on a bad entry, surviving every sync; the same search and hours apply.
"""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import programme
from kiosk.config import load_settings
from sync.catalogue import Catalogue
from sync.hours import TZ, Status, status_at
from sync.pull import import_file
from tests.conftest import small_services
from tests.feedserver import FeedServer

TUESDAY = datetime(2025, 3, 11, 10, 30, tzinfo=TZ)  # the frozen clock of the other tests


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A kiosk folder with its kiosk.toml; the programme file is programme.json beside it."""
    (tmp_path / "kiosk.toml").write_text('[catalogue]\ndatabase = "var/catalogue.db"\n', encoding="utf-8")
    return tmp_path


def local(place: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    return subprocess.run([sys.executable, "-m", "kiosk.synccli", "local", args[0],
                           "--config", str(place / "kiosk.toml"), *args[1:]],
                          capture_output=True, text=True, env=env, timeout=60)


def settings_of(place: Path):
    return load_settings(place / "kiosk.toml")


def test_add_edit_remove_list_at_the_shell(place):
    done = local(place, "add", "--name", "Smartphone-Sprechstunde", "--weekly", "di 10:00-12:00",
                 "--description", "Hilfe mit Handy und Tablet", "--phone", "05481 999")
    assert done.returncode == 0, done.stderr
    assert "Added hier-smartphone-sprechstunde: Smartphone-Sprechstunde — Dienstag: 10:00–12:00" in done.stdout
    assert "The kiosk shows 1 entry" in done.stdout
    assert local(place, "add", "--name", "Frauencafé", "--weekly", "Donnerstag 15-17 Uhr").returncode == 0
    done = local(place, "add", "--name", "Adventsbasteln", "--date", "3.12.2026 14:00-16:00")
    assert "Adventsbasteln — 03.12.2026 14:00–16:00" in done.stdout
    done = local(place, "edit", "hier-frauencafe", "--weekly", "do 15:00-17:30", "--weekly", "sa 10-12")
    assert done.returncode == 0, done.stderr
    assert "Changed hier-frauencafe: Frauencafé — Donnerstag: 15:00–17:30; Samstag: 10:00–12:00" in done.stdout
    done = local(place, "remove", "hier-adventsbasteln")
    assert done.returncode == 0 and "Removed hier-adventsbasteln: Adventsbasteln" in done.stdout
    listed = local(place, "list")
    assert listed.stdout.splitlines() == [
        "hier-smartphone-sprechstunde: Smartphone-Sprechstunde — Dienstag: 10:00–12:00",
        "hier-frauencafe: Frauencafé — Donnerstag: 15:00–17:30; Samstag: 10:00–12:00"]
    entries = json.loads(local(place, "list", "--json").stdout)
    assert [e["id"] for e in entries] == ["hier-smartphone-sprechstunde", "hier-frauencafe"]
    assert entries[0]["phones"][0]["number"] == "05481 999"
    # The same importer, search and hours as the catalogue: the kiosk's copy finds and times it.
    with Catalogue(place / "var" / "programme.db") as cat:
        found = cat.search("handy")
        assert [o.id for o in found] == ["hier-smartphone-sprechstunde"]
        assert found[0].location_name == "Teestube Lengerich" and found[0].town == "Lengerich"
        assert status_at(list(found[0].schedules), TUESDAY).state == Status.OPEN


def test_local_list_into_a_pipe_closed_early_ends_quietly(place):
    """`kiosk-sync local list | head -1` once the reader has gone: quiet, not "cannot write programme.json"."""
    assert local(place, "add", "--name", "Frauencafé", "--weekly", "do 15-17").returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    for extra in ([], ["--json"]):
        read, write = os.pipe()
        os.close(read)
        with os.fdopen(write, "wb") as out:
            done = subprocess.run([sys.executable, "-m", "kiosk.synccli", "local", "list", "--config",
                                   str(place / "kiosk.toml"), *extra], stdout=out, stderr=subprocess.PIPE,
                                  text=True, env=env, timeout=60)
        assert done.stderr == "" and done.returncode == 0, done.stderr
    assert "Frauencafé" in local(place, "list").stdout  # nothing was lost


@pytest.mark.parametrize("args, message", [
    (("add", "--name", "  "), "name: must not be empty"),
    (("add", "--name", "X", "--weekly", "xx 10-12"), '"xx" is not a day'),
    (("add", "--name", "X", "--weekly", "di 12-10"), '"12-10" ends before it starts'),
    (("add", "--name", "X", "--weekly", "di 25:00-26:00"), "is not a time of day"),
    (("add", "--name", "X", "--date", "31.2.2026 10-12"), '"31.2.2026" is not a date'),
    (("add", "--name", "X", "--url", "javascript:alert(1)"), "url: expected an address starting with https://"),
    (("add", "--name", "X", "--phone", "ruf an"), "phone: expected a number to dial"),
    (("add", "--name", "Y", "--id", "hier-frauencafe"), '"hier-frauencafe" is already in the programme'),
    (("edit", "nope", "--name", "Y"), 'no entry "nope" (entries: hier-frauencafe)'),
    (("remove", "nope"), 'no entry "nope"'),
])
def test_a_bad_entry_changes_nothing_and_says_why(place, args, message):
    assert local(place, "add", "--name", "Frauencafé", "--weekly", "do 15-17").returncode == 0
    before = (place / "programme.json").read_bytes()
    db_before = (place / "var" / "programme.db").stat().st_mtime_ns
    done = local(place, *args)
    assert done.returncode == 2 and message in done.stderr and "Nothing was changed." in done.stderr
    assert "Traceback" not in done.stderr
    assert (place / "programme.json").read_bytes() == before
    assert (place / "var" / "programme.db").stat().st_mtime_ns == db_before


def test_a_broken_hand_edited_file_is_named_and_never_overwritten(place):
    broken = b'[{"id": "a", "name": "Frauencaf\xc3\xa9",\n  "schedules": [}]\n'
    (place / "programme.json").write_bytes(broken)
    done = local(place, "add", "--name", "Neu")
    assert done.returncode == 2
    assert "programme.json: not valid JSON: Expecting value (line 2, column 17); nothing changed" in done.stderr
    assert (place / "programme.json").read_bytes() == broken
    (place / "programme.json").write_text('[{"id": "a"}]', encoding="utf-8")
    done = local(place, "list")
    assert done.returncode == 2 and "entry 1: record a: name: missing or empty" in done.stderr


def test_save_is_atomic_when_the_rename_fails(place, monkeypatch):
    settings = settings_of(place)
    programme.add(settings, programme.EntryFields(name="Frauencafé", weekly=["do 15-17"]))
    before = settings.place.programme.read_bytes()

    def power_cut(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError):
        programme.add(settings, programme.EntryFields(name="Spieleabend", weekly=["fr 18-21"]))
    assert settings.place.programme.read_bytes() == before
    assert [p.name for p in place.iterdir() if p.name.startswith(".programme")] == []  # no temp file left


def test_the_programme_survives_every_sync(place):
    settings = settings_of(place)
    programme.add(settings, programme.EntryFields(name="Frauencafé", weekly=["do 15-17"]))
    programme.rebuild(settings)
    feed = place / "feed.json"
    feed.write_text(json.dumps(small_services()), encoding="utf-8")
    import_file(feed, settings.catalogue.database)
    with FeedServer(services=small_services()[:11]) as server:
        done = subprocess.run([sys.executable, "-m", "sync", "pull", "--config", str(place / "kiosk.toml"),
                               "--feed", server.url + "/snapshot.json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with Catalogue(settings.catalogue.database) as cat:
        assert cat.count() == 11 and not cat.search("frauencafe")
    with Catalogue(programme.programme_db(settings)) as local_cat:
        assert [o.name for o in local_cat.search("frauencafe")] == ["Frauencafé"]
    assert json.loads(settings.place.programme.read_text(encoding="utf-8"))[0]["name"] == "Frauencafé"


def test_refresh_rebuilds_a_newer_file_and_keeps_the_last_good_copy_of_a_broken_one(place):
    settings = settings_of(place)
    assert programme.refresh(settings) is None and programme.open_programme(settings) is None
    programme.save(settings.place.programme, [])
    entry = programme.apply_fields({"id": "hand"}, programme.EntryFields(name="Nähcafé", weekly=["mi 9-11"]),
                                   settings)
    settings.place.programme.write_text(json.dumps([entry]), encoding="utf-8")
    assert programme.refresh(settings) is None
    with programme.open_programme(settings) as cat:
        assert [o.id for o in cat.all_offers()] == ["hand"]
    settings.place.programme.write_text("[{", encoding="utf-8")
    os.utime(settings.place.programme, ns=(2**62, 2**62))  # newer than the copy
    why = programme.refresh(settings)
    assert why and "not valid JSON" in why and "programme.json" in why
    with programme.open_programme(settings) as cat:
        assert [o.id for o in cat.all_offers()] == ["hand"]  # the last good copy is still shown


def test_removing_the_last_entry_leaves_no_programme(place):
    settings = settings_of(place)
    programme.add(settings, programme.EntryFields(name="Frauencafé", weekly=["do 15-17"]))
    assert programme.rebuild(settings) == 1
    programme.remove(settings, "hier-frauencafe")
    assert programme.rebuild(settings) == 0 and programme.open_programme(settings) is None


def test_today_and_this_week_here(place):
    settings = settings_of(place)
    add = lambda name, **kw: programme.add(settings, programme.EntryFields(name=name, **kw))  # noqa: E731
    add("Smartphone-Sprechstunde", weekly=["di 10:00-12:00"])        # open now (Tuesday 10:30)
    add("Mittagstisch", weekly=["di,fr 12:30-14:00"])                 # later today
    add("Frühstück", weekly=["di 8-9", "do 8-9"])                     # over today: Thursday
    add("Frauencafé", weekly=["do 15-17"])
    add("Adventsbasteln", dates=["2025-03-16 14:00-16:00"])           # Sunday this week
    add("Sommerfest", dates=["2025-07-05 14:00-18:00"])               # not this week
    add("Ohne Zeiten")
    programme.rebuild(settings)
    with programme.open_programme(settings) as cat:
        today, week = programme.upcoming(cat.all_offers(), TUESDAY)
    assert [(u.offer.name, f"{u.start:%a %H:%M}") for u in today] == [
        ("Smartphone-Sprechstunde", "Tue 10:00"), ("Mittagstisch", "Tue 12:30")]
    assert [(u.offer.name, f"{u.start:%a %H:%M}") for u in week] == [
        ("Frühstück", "Thu 08:00"), ("Frauencafé", "Thu 15:00"), ("Adventsbasteln", "Sun 14:00")]


def test_the_programme_setting_resolves_against_the_config_folder(place):
    (place / "kiosk.toml").write_text('[place]\nprogramme = "data/hier.json"\n', encoding="utf-8")
    settings = settings_of(place)
    assert settings.place.programme == place / "data" / "hier.json"
    settings = dataclasses.replace(settings)  # frozen settings are fine to pass around
    entry = programme.add(settings, programme.EntryFields(name="Spieleabend", weekly=["fr 18-21"]))
    assert entry["id"] == "hier-spieleabend" and (place / "data" / "hier.json").is_file()
