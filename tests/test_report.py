"""Day reports to the central team: queued before sending, retried with growing waits, never sent
twice, never lost; against a real HTTP receiver on 127.0.0.1 (tests/reportserver.py). And the
central team's merge of many kiosks' reports into tables and a chart.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.config import Settings
from kiosk.merge import merge, write_outputs
from kiosk.report import FORMAT, backoff, outbox, report
from kiosk.statistics import Statistics
from sync.pull import import_file
from tests.conftest import small_services
from tests.reportserver import ReportServer

DAY = date(2025, 3, 11)
TODAY = DAY + timedelta(days=1)
NOW = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)


@pytest.fixture
def receiver(tmp_path):
    with ReportServer(tmp_path / "received") as server:
        yield server


def kiosk_settings(tmp_path: Path, url: str, *, town: str = "Lengerich", name: str = "Teestube Lengerich",
                   kiosk_id: str = "") -> Settings:
    base = Settings.defaults()
    folder = tmp_path / (kiosk_id or "kiosk")
    folder.mkdir(exist_ok=True)
    db = folder / "catalogue.db"
    if not db.exists():
        source = folder / "feed.json"
        source.write_text(json.dumps(small_services()), encoding="utf-8")
        import_file(source, db)
    return dataclasses.replace(
        base, place=dataclasses.replace(base.place, town=town, name=name),
        catalogue=dataclasses.replace(base.catalogue, database=db),
        statistics=dataclasses.replace(base.statistics, path=folder / "statistics.db", report_url=url,
                                       kiosk_id=kiosk_id, min_search_count=2))


def visits(settings: Settings, day: date, script: list[dict]) -> None:
    """Visits as the app would count them: each dict has counts (kind -> keys) and searches."""
    stats = Statistics(settings.statistics.path, k=settings.statistics.min_search_count, today=lambda: day)
    for visit in script:
        for kind, keys in visit.get("counts", {}).items():
            for key in keys:
                stats.count(kind, key)
        for text, found in visit.get("searches", []):
            stats.searched(text, found)
        stats.end_visit("de")


SCRIPT = [
    {"counts": {"need": ["alter-pflege"], "offer_viewed": ["s01"], "offer_printed": ["s01"]},
     "searches": [("Zahnarzt", False)]},
    {"counts": {"need": ["alter-pflege", "gesundheit"], "language": ["en"]},
     "searches": [("Zahnarzt", False), ("Annegret Kowalczyk", False)]},
]


def test_a_day_report_holds_the_counts_and_a_heartbeat_and_is_sent_once(tmp_path, receiver):
    settings = kiosk_settings(tmp_path, receiver.url)
    visits(settings, DAY, SCRIPT)
    new, outcome = report(settings, today=TODAY, now=NOW)
    assert new == ["2025-03-11"] and outcome.sent == ["2025-03-11"] and outcome.ok
    assert [r.key for r in receiver.requests] == ["lengerich-teestube-lengerich/2025-03-11"]
    body = json.loads(receiver.stored["lengerich-teestube-lengerich/2025-03-11"])
    assert body["format"] == FORMAT and body["day"] == "2025-03-11" and body["town"] == "Lengerich"
    assert body["idempotency_key"] == receiver.requests[0].key
    counts = body["counts"]
    assert counts["visits"] == 2 and counts["needs"] == {"alter-pflege": 2, "gesundheit": 1}
    assert counts["languages"] == {"de": 1, "en": 1}
    assert counts["offers"]["printed"] == {"s01": 1}
    assert body["offer_names"] == {"s01": "Pflegeberatung im Tecklenburger Land"}
    assert counts["searches"] == {"total": 3, "found_nothing": 3, "below_k": 1, "terms": {"zahnarzt": 2},
                                  "terms_found_nothing": {"zahnarzt": 2}}
    assert b"kowalczyk" not in receiver.stored[body["idempotency_key"]].lower()
    beat = body["heartbeat"]
    assert beat["version"] and beat["catalogue"]["offers"] == 12 and beat["catalogue"]["last_sync"] == "ok"
    assert beat["catalogue"]["age_days"] is not None and {"voice", "sound", "printer"} <= set(beat)
    # Run again (the timer runs every hour): nothing new, nothing sent again.
    new, outcome = report(settings, today=TODAY, now=NOW + timedelta(hours=1))
    assert new == [] and outcome.sent == [] and len(receiver.requests) == 1


def test_failures_are_retried_with_growing_waits_and_the_same_bytes(tmp_path, receiver):
    settings = kiosk_settings(tmp_path, receiver.url)
    visits(settings, DAY - timedelta(days=2), SCRIPT[:1])
    visits(settings, DAY, SCRIPT)
    receiver.set_fault("status", code=503, times=3)
    new, outcome = report(settings, today=TODAY, now=NOW)
    assert new == ["2025-03-09", "2025-03-11"] and not outcome.ok
    assert [why for _day, why in outcome.failed] == ["HTTP 503 Service Unavailable"] * 2
    first_try = [r.body for r in receiver.requests]
    rows = outbox(settings.statistics.path)
    assert [r["attempts"] for r in rows] == [1, 1] and all(r["sent_at"] is None for r in rows)
    wait = datetime.fromisoformat(rows[0]["next_try"]) - NOW
    assert timedelta(seconds=44) <= wait <= timedelta(seconds=60)
    # Too early: nothing is tried.
    _new, outcome = report(settings, today=TODAY, now=NOW + timedelta(seconds=30))
    assert len(receiver.requests) == 2 and [d for d, _t in outcome.waiting] == ["2025-03-09", "2025-03-11"]
    # Due: one more 503, then the second day goes through; the first waits twice as long now.
    later = NOW + timedelta(minutes=2)
    _new, outcome = report(settings, today=TODAY, now=later)
    assert outcome.sent == ["2025-03-11"] and [d for d, _w in outcome.failed] == ["2025-03-09"]
    row = outbox(settings.statistics.path)[0]
    assert row["attempts"] == 2
    assert timedelta(seconds=89) <= datetime.fromisoformat(row["next_try"]) - later <= timedelta(seconds=120)
    _new, outcome = report(settings, today=TODAY, now=later + timedelta(minutes=3))
    assert outcome.sent == ["2025-03-09"] and outcome.ok
    assert len(receiver.stored) == 2 and len(list(receiver.folder.glob("*.json"))) == 2
    # Every retry sent exactly the bytes of the first try.
    for body in first_try:
        key = json.loads(body)["idempotency_key"]
        assert receiver.stored[key] == body


def test_a_lost_answer_is_sent_again_and_stored_once(tmp_path, receiver):
    settings = kiosk_settings(tmp_path, receiver.url)
    visits(settings, DAY, SCRIPT)
    receiver.set_fault("lost_answer")
    _new, outcome = report(settings, today=TODAY, now=NOW)
    assert outcome.failed and "closed the connection" in outcome.failed[0][1]
    _new, outcome = report(settings, today=TODAY, now=NOW, force=True)
    assert outcome.sent == ["2025-03-11"]
    keys = [r.key for r in receiver.requests]
    assert keys == [keys[0]] * 2 and len(receiver.stored) == 1  # the same key twice, kept once


def test_a_report_queued_while_offline_survives_a_restart_and_is_sent_later(tmp_path, receiver):
    with socket.socket() as sock:  # a port nobody listens on: the network is down
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/reports"
    offline = kiosk_settings(tmp_path, dead)
    visits(offline, DAY, SCRIPT)
    _new, outcome = report(offline, today=TODAY, now=NOW)
    assert outcome.failed == [("2025-03-11", "connection refused")]
    # A new process later (after a power cut): the queued report is in the file, sent as it was built.
    queued = outbox(offline.statistics.path)
    assert [r["day"] for r in queued] == ["2025-03-11"] and queued[0]["sent_at"] is None
    online = dataclasses.replace(offline, statistics=dataclasses.replace(offline.statistics, report_url=receiver.url))
    new, outcome = report(online, today=TODAY + timedelta(days=1), now=NOW + timedelta(days=1))
    assert new == ["2025-03-12"]  # the next day's heartbeat, with no visits
    assert sorted(outcome.sent) == ["2025-03-11", "2025-03-12"]
    beat_only = json.loads(receiver.stored["lengerich-teestube-lengerich/2025-03-12"])
    assert beat_only["counts"]["visits"] == 0 and beat_only["heartbeat"]["catalogue"]["offers"] == 12


def test_sound_state_reads_the_alsa_card_list(tmp_path):
    from kiosk.report import sound_state

    cards = tmp_path / "cards"
    assert sound_state(cards) == "no sound system (ALSA) found"
    cards.write_text("--- no soundcards ---\n")
    assert sound_state(cards) == "no sound card"
    cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert sound_state(cards) == "ok"


def test_backoff_doubles_up_to_six_hours():
    assert [round(backoff(n, lambda: 1.0)) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30, lambda: 1.0) == 6 * 3600 and backoff(1, lambda: 0.0) == 45


def test_report_refuses_without_a_url_or_with_statistics_off(tmp_path):
    settings = kiosk_settings(tmp_path, "")
    with pytest.raises(ValueError, match="report_url"):
        report(settings, today=TODAY)
    off = dataclasses.replace(settings, statistics=dataclasses.replace(settings.statistics, enabled=False))
    with pytest.raises(ValueError, match="switched off"):
        report(off, today=TODAY)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KIOSK_CONFIG"}
    return subprocess.run([sys.executable, "-m", "sync", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def test_kiosk_sync_report_at_the_shell(tmp_path, receiver):
    settings = kiosk_settings(tmp_path, receiver.url)
    visits(settings, DAY, SCRIPT)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[catalogue]\ndatabase = "{settings.catalogue.database}"\n[statistics]\n'
                      f'path = "{settings.statistics.path}"\nreport_url = "{receiver.url}"\n', encoding="utf-8")
    receiver.set_fault("status", code=500)
    done = run_cli("report", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "2025-03-11: not sent (HTTP 500 Internal Server Error); kept and tried again later." in done.stdout
    done = run_cli("report", "--config", str(config), "--force", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2025-03-11" in json.loads(done.stdout)["sent"]
    listed = run_cli("report", "--config", str(config), "--list", cwd=tmp_path)
    assert "2025-03-11  teestube-lengerich" not in listed.stdout  # the name is town first
    assert "2025-03-11  lengerich-teestube-lengerich/2025-03-11  sent" in listed.stdout
    config.write_text(f'[statistics]\npath = "{settings.statistics.path}"\n', encoding="utf-8")
    done = run_cli("report", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 0 and "Reports are off: no report URL" in done.stdout
    config.write_text('[statistics]\nreport_url = "ftp://example.org/x"\n', encoding="utf-8")
    done = run_cli("report", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2 and "statistics.report_url: expected an https:// URL" in done.stderr


# --- the central team's merge -------------------------------------------------------------------------

def received_reports(tmp_path: Path, receiver: ReportServer) -> None:
    """Three kiosks in two towns over two months, each reporting through the real receiver."""
    kiosks = [("lengerich-teestube", "Lengerich", "Teestube"), ("lengerich-bib", "Lengerich", "Bibliothek"),
              ("rheine-cafe", "Rheine <b>&amp;</b>", "Café")]
    for kiosk_id, town, name in kiosks:
        settings = kiosk_settings(tmp_path, receiver.url, town=town, name=name, kiosk_id=kiosk_id)
        for day in (date(2025, 2, 27), date(2025, 3, 11)):
            visits(settings, day, SCRIPT)
        report(settings, today=TODAY, now=NOW)


def test_merge_reports_of_many_kiosks(tmp_path, receiver):
    received_reports(tmp_path, receiver)
    folder = receiver.folder
    assert len(list(folder.glob("*.json"))) == 6  # 3 kiosks x 2 days (11 March is also the heartbeat day)
    (folder / "copy.json").write_bytes(next(iter(receiver.stored.values())))  # a duplicate delivery
    (folder / "broken.json").write_text('{"format": "dritte-orte-kiosk-report/1", "kiosk": ', encoding="utf-8")
    (folder / "other.json").write_text('[1, 2]', encoding="utf-8")
    merged = merge(folder)
    assert merged.reports == 6 and merged.duplicates == 1
    assert [p.split(": ", 1)[1] for p in merged.problems] == [
        "not JSON: Expecting value (line 1, column 51)", "not a JSON object"]
    assert merged.needs[("Lengerich", "2025-03", "alter-pflege")] == 4  # two kiosks, two visits each
    assert merged.needs[("Rheine <b>&amp;</b>", "2025-02", "gesundheit")] == 1
    assert merged.visits[("Lengerich", "2025-02")] == 4
    assert dict(merged.nothing) == {"zahnarzt": 12}
    out = tmp_path / "merged"
    text = write_outputs(merged, out, TODAY)
    assert "6 reports merged, 1 duplicates ignored, 2 files skipped." in text
    with (out / "needs.csv").open(encoding="utf-8") as f:
        table = list(csv.reader(f))
    assert table[0] == ["town", "month", "visits", "searches", "alter-pflege", "gesundheit"]
    assert ["Lengerich", "2025-03", "4", "6", "4", "2"] in table
    with (out / "nothing-found.csv").open(encoding="utf-8") as f:
        assert list(csv.reader(f))[1] == ["zahnarzt", "12", "Lengerich Rheine <b>&amp;</b>"]
    svg = ET.parse(out / "needs.svg").getroot()  # well-formed: the hostile town name is escaped
    labels = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "Rheine <b>&amp;</b> 2025-02" in labels and "alter-pflege" in labels
    with (out / "kiosks.csv").open(encoding="utf-8") as f:
        kiosks = {row["kiosk"]: row for row in csv.DictReader(f)}
    assert set(kiosks) == {"lengerich-teestube", "lengerich-bib", "rheine-cafe"}
    assert kiosks["rheine-cafe"]["last_report"] == "2025-03-11" and kiosks["rheine-cafe"]["last_sync"] == "ok"


def test_kiosks_that_need_a_visit_are_named(tmp_path, receiver):
    received_reports(tmp_path, receiver)
    path = receiver.folder / "lengerich-bib_2025-03-11.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    body["heartbeat"].update(voice="espeak-ng is not installed", printer="device /dev/usb/lp0 not found", sound="ok")
    body["heartbeat"]["catalogue"].update(age_days=30, last_sync="failed: connection refused")
    path.write_text(json.dumps(body), encoding="utf-8")
    merged = merge(receiver.folder)
    from kiosk.merge import kiosk_rows

    rows = {r["kiosk"]: r["needs_visit"] for r in kiosk_rows(merged, TODAY + timedelta(days=5))}
    assert rows["lengerich-bib"] == ("no report for 6 days; catalogue old; last sync: failed: connection refused; "
                                     "voice: espeak-ng is not installed; printer: device /dev/usb/lp0 not found")


def test_merge_reports_at_the_shell(tmp_path, receiver):
    received_reports(tmp_path, receiver)
    done = run_cli("merge-reports", str(receiver.folder), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Top searches that found nothing" in done.stdout and "zahnarzt" in done.stdout
    assert (tmp_path / "out" / "needs.svg").is_file()
    done = run_cli("merge-reports", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert done.returncode == 2 and "is not a folder" in done.stderr
