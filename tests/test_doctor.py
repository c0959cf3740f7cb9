"""`kiosk doctor`: real catalogues, a real feed server, real espeak-ng and CUPS tools, in words."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import Settings, load_settings
from kiosk.doctor import OK, PROBLEM, WARNING, check_terminal, diagnose, report
from sync.errors import SyncError
from sync.pull import import_file
from tests.feedserver import FeedServer
from tests.hsdsdata import many, write_json


def settings_for(tmp_path: Path, **catalogue) -> Settings:
    defaults = Settings.defaults()
    return dataclasses.replace(
        defaults, catalogue=dataclasses.replace(defaults.catalogue, database=tmp_path / "c.db", **catalogue))


def by_area(findings, area: str) -> list:
    return [f for f in findings if f.area == area]


def test_a_fresh_catalogue_and_a_reachable_feed_are_fine(tmp_path):
    with FeedServer(services=many(5)) as server:
        feed = server.url + "/snapshot.json"
        settings = settings_for(tmp_path, feed_url=feed)
        import_file(write_json(tmp_path / "f.json", many(5)), settings.catalogue.database)
        findings = diagnose(settings, environ={"TERM": "foot"})
    catalogue = by_area(findings, "catalogue")
    assert [f.level for f in catalogue] == [OK] and "5 offers" in catalogue[0].text
    assert [f.level for f in by_area(findings, "feed")] == [OK] and feed in by_area(findings, "feed")[0].text
    assert by_area(findings, "terminal")[0].level == OK


def test_no_network_names_the_feed(tmp_path):
    findings = diagnose(settings_for(tmp_path, feed_url="http://127.0.0.1:9/hsds"), environ={"TERM": "foot"})
    feed, = by_area(findings, "feed")
    assert feed.level == PROBLEM and "http://127.0.0.1:9/hsds cannot be reached" in feed.text
    unresolvable = diagnose(settings_for(tmp_path, feed_url="https://feed.invalid/hsds"), environ={"TERM": "foot"})
    assert "cannot be reached" in by_area(unresolvable, "feed")[0].text


def test_a_feed_server_fault_is_told_with_its_status(tmp_path):
    with FeedServer(services=many(2)) as server:
        server.set_fault("/snapshot.json", "status", status=503)
        findings = diagnose(settings_for(tmp_path, feed_url=server.url + "/snapshot.json"), environ={"TERM": "foot"})
    feed, = by_area(findings, "feed")
    assert feed.level == PROBLEM and "HTTP 503" in feed.text


def test_an_old_catalogue_and_a_failed_sync_are_problems(tmp_path):
    settings = settings_for(tmp_path)
    db = settings.catalogue.database
    import_file(write_json(tmp_path / "f.json", many(3)), db)
    later = datetime.now(UTC) + timedelta(days=20)
    catalogue = by_area(diagnose(settings, now=later, environ={"TERM": "foot"}), "catalogue")
    assert any(f.level == PROBLEM and "20 days old" in f.text and "stale after 14 days" in f.text for f in catalogue)
    (tmp_path / "bad.json").write_text("<html>")
    with pytest.raises(SyncError):
        import_file(tmp_path / "bad.json", db)
    catalogue = by_area(diagnose(settings, environ={"TERM": "foot"}), "catalogue")
    failed = [f for f in catalogue if "last sync failed" in f.text]
    assert failed and failed[0].level == PROBLEM
    assert "bad.json" in failed[0].text and "old catalogue is kept" in failed[0].text


def test_a_damaged_catalogue_says_repair(tmp_path):
    settings = settings_for(tmp_path)
    settings.catalogue.database.write_bytes(b"this is not SQLite" * 100)
    catalogue, = by_area(diagnose(settings, environ={"TERM": "foot"}), "catalogue")
    assert catalogue.level == PROBLEM and "kiosk-sync repair" in catalogue.text


def test_no_catalogue_and_no_feed_are_warnings(tmp_path):
    findings = diagnose(settings_for(tmp_path), environ={"TERM": "foot"})
    catalogue, = by_area(findings, "catalogue")
    feed, = by_area(findings, "feed")
    assert catalogue.level == WARNING and "no catalogue" in catalogue.text
    assert feed.level == WARNING and "feed_url" in feed.text


def test_a_missing_speech_engine_is_a_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on this PATH
    voice = by_area(diagnose(settings_for(tmp_path), environ={"TERM": "foot"}), "voice")
    assert [f.level for f in voice] == [PROBLEM] and "espeak-ng is not installed" in voice[0].text


def test_a_missing_voice_is_named(tmp_path):
    settings = settings_for(tmp_path)
    settings = dataclasses.replace(settings, kiosk=dataclasses.replace(settings.kiosk, languages=("de", "xq")))
    voice = by_area(diagnose(settings, environ={"TERM": "foot"}), "voice")
    assert [f.level for f in voice] == [OK, PROBLEM] and '"xq"' in voice[1].text


def test_a_missing_cups_queue_is_a_problem(tmp_path):
    settings = settings_for(tmp_path)
    settings = dataclasses.replace(settings, printer=dataclasses.replace(
        settings.printer, backend="cups", cups_queue="no-such-queue"))
    printer, = by_area(diagnose(settings, environ={"TERM": "foot"}), "printer")
    assert printer.level == PROBLEM and ("no-such-queue" in printer.text or "CUPS" in printer.text)


def test_a_missing_receipt_printer_device_is_a_problem(tmp_path):
    settings = settings_for(tmp_path)
    settings = dataclasses.replace(settings, printer=dataclasses.replace(
        settings.printer, backend="escpos", escpos_device=f"file:{tmp_path}/lp0"))
    printer, = by_area(diagnose(settings, environ={"TERM": "foot"}), "printer")
    assert printer.level == PROBLEM and f"{tmp_path}/lp0 does not exist" in printer.text
    (tmp_path / "lp0").write_bytes(b"")
    printer, = by_area(diagnose(settings, environ={"TERM": "foot"}), "printer")
    assert printer.level == OK


def test_an_almost_full_disk_is_a_problem(tmp_path):
    settings = settings_for(tmp_path)
    free = os.statvfs(tmp_path).f_bavail * os.statvfs(tmp_path).f_frsize
    disk, = by_area(diagnose(settings, environ={"TERM": "foot"}, disk_limits=(free * 2, free * 4)), "disk")
    assert disk.level == PROBLEM and "almost full" in disk.text and str(tmp_path) in disk.text
    disk, = by_area(diagnose(settings, environ={"TERM": "foot"}, disk_limits=(0, free * 4)), "disk")
    assert disk.level == WARNING
    disk, = by_area(diagnose(settings, environ={"TERM": "foot"}, disk_limits=(0, 0)), "disk")
    assert disk.level == OK and "MB free" in disk.text


def test_terminals_without_sgr_mouse_reports_are_named():
    assert check_terminal({"TERM": "linux"})[0].level == PROBLEM
    assert "taps" in check_terminal({"TERM": "linux"})[0].text
    assert check_terminal({})[0].level == PROBLEM
    assert check_terminal({"TERM": "xterm-256color"})[0].level == OK
    assert check_terminal({"TERM": "tmux-256color", "TMUX": "/tmp/x"})[0].level == OK
    assert check_terminal({"TERM": "screen-256color"})[0].level == WARNING  # GNU screen, not tmux
    assert check_terminal({"TERM": "some-unknown-terminal"})[0].level == WARNING


def test_the_report_sums_up():
    from kiosk.doctor import Finding

    text = report([Finding("disk", OK, "fine"), Finding("feed", PROBLEM, "down"), Finding("x", WARNING, "hm")])
    assert "PROBLEM feed: down" in text and text.endswith("1 problem(s), 1 warning(s).")
    assert report([Finding("disk", OK, "fine")]).endswith("All is well.")


def test_kiosk_doctor_on_the_command_line(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[catalogue]\ndatabase = "c.db"\nfeed_url = "http://127.0.0.1:9/"\n')
    kiosk = Path(sys.executable).with_name("kiosk")
    env = {**os.environ, "TERM": "linux"}
    done = subprocess.run([str(kiosk), "doctor", "--config", str(config), "--json"], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert {"area": "terminal", "level": PROBLEM} in [{k: f[k] for k in ("area", "level")} for f in findings]
    assert any(f["area"] == "feed" and "127.0.0.1:9" in f["text"] for f in findings)
    assert "Traceback" not in done.stderr
    done = subprocess.run([str(kiosk), "doctor", "--config", str(config)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert "PROBLEM terminal: this terminal (TERM=linux)" in done.stdout and "problem(s)" in done.stdout
    assert "PROBLEM pin: no volunteer PIN is set" in done.stdout and str(tmp_path / "kiosk.local.toml") in done.stdout


def test_the_pin_check_says_where_the_pin_goes(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[catalogue]\ndatabase = "c.db"\n', encoding="utf-8")
    local = tmp_path / "kiosk.local.toml"
    pin, = by_area(diagnose(load_settings(config), config=config, environ={"TERM": "foot"}), "pin")
    assert pin.level == PROBLEM and str(local) in pin.text and "kiosk --new-pin" in pin.text
    # In kiosk.toml itself (shared, in git): move it into the local file.
    config.write_text('[catalogue]\ndatabase = "c.db"\n[kiosk]\nvolunteer_pin = "730519"\n', encoding="utf-8")
    config.chmod(0o600)
    pin, = by_area(diagnose(load_settings(config), config=config, environ={"TERM": "foot"}), "pin")
    assert pin.level == WARNING and f"stands in {config}" in pin.text and f"into {local}" in pin.text
    # In the local file, but others can read it.
    local.write_text('[kiosk]\nvolunteer_pin = "730519"\n', encoding="utf-8")
    local.chmod(0o644)
    pin, = by_area(diagnose(load_settings(config), config=config, environ={"TERM": "foot"}), "pin")
    assert pin.level == WARNING and f"chmod 600 {local}" in pin.text
    local.chmod(0o600)
    pin, = by_area(diagnose(load_settings(config), config=config, environ={"TERM": "foot"}), "pin")
    assert pin.level == OK and str(local) in pin.text


def test_kiosk_doctor_into_a_pipe_closed_early_ends_quietly(tmp_path):
    """`kiosk doctor --json | head -1`: the reader goes away before the doctor writes. No traceback,
    nothing on stderr; the exit status is still the findings' (1: TERM=linux is a problem)."""
    config = tmp_path / "kiosk.toml"
    config.write_text('[catalogue]\ndatabase = "c.db"\nfeed_url = "http://127.0.0.1:9/"\n')
    kiosk = Path(sys.executable).with_name("kiosk")
    env = {**os.environ, "TERM": "linux"}
    for args in (["--json"], []):
        read, write = os.pipe()
        os.close(read)  # the reader is gone before anything is written: a real, closed pipe
        with os.fdopen(write, "wb") as out:
            done = subprocess.run([str(kiosk), "doctor", "--config", str(config), *args], stdout=out,
                                  stderr=subprocess.PIPE, text=True, timeout=120, env=env)
        assert done.stderr == "", done.stderr
        assert done.returncode == 1
