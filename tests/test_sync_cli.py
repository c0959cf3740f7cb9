"""`kiosk-sync` as an operator uses it: real processes, real files, exit codes and words."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.synccli import KIOSK_COMMANDS
from kiosk.synccli import main as kiosk_sync_main
from sync.cli import build_parser, main
from tests.hsdsdata import many, service, write_json
from tests.test_sync_pull import clean_env, kiosk_sync


def run(args: list[str], tmp_path: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*kiosk_sync(), *args], env=clean_env(tmp_path), capture_output=True, text=True,
                          timeout=60, **kw)


ALL_COMMANDS = ["pull", "import", "repair", "status", "search", "locations", "report", "merge-reports", "local"]


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_every_command_has_help(command: str, capsys) -> None:
    assert kiosk_sync_main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"kiosk-sync {command}" in out
    sub = build_parser(KIOSK_COMMANDS)._subparsers._group_actions[0].choices[command]
    assert sub.description and all(a.help for a in sub._actions)
    if command == "local":  # the options come with its actions: kiosk-sync local add --help
        actions = sub._subparsers._group_actions[0].choices
        assert set(actions) == {"add", "edit", "remove", "list"}
        assert all(a.help for action in actions.values() for a in action._actions)
        assert kiosk_sync_main(["local", "add", "--help"]) == 0
        out = capsys.readouterr().out
    assert "--config" in out and "--db" in out


def test_the_installed_command_lists_every_command_and_sync_alone_the_catalogues(tmp_path: Path, capsys) -> None:
    done = run(["--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.findall(r"^    (\S+)", done.stdout, re.MULTILINE) == ALL_COMMANDS
    # sync.cli alone (`python -m sync`) has the catalogue's commands only: sync never imports kiosk.
    assert main(["report"]) == 2
    assert "invalid choice: 'report'" in capsys.readouterr().err


def test_import_status_and_search_json(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    feed = write_json(tmp_path / "feed.json", [service("s", "Seniorenberatung"), *many(3), {"id": "x"}])
    done = run(["import", str(feed), "--db", str(db)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "5 records read, 1 skipped" in done.stdout and "record x: name: missing" in done.stdout

    status = json.loads(run(["status", "--db", str(db), "--json"], tmp_path).stdout)
    assert status["offers"] == 4 and status["source"] == str(feed) and status["last_error"] is None
    assert status["last_success"].startswith("20")

    hits = json.loads(run(["search", "senio", "--db", str(db), "--json"], tmp_path).stdout)
    assert hits[0]["name"] == "Seniorenberatung" and set(hits[0]) >= {"id", "name"}
    assert json.loads(run(["search", '"AND (', "--db", str(db), "--json"], tmp_path).stdout) == []


def test_db_defaults_to_the_settings_file(tmp_path: Path) -> None:
    done = run(["import", str(write_json(tmp_path / "f.json", many(2)))], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "catalogue.db").exists()  # clean_env's kiosk.toml: database = 'catalogue.db'


def test_exit_1_on_a_rejected_feed_with_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run(["import", str(write_json(tmp_path / "f.json", many(2))), "--db", str(db)], tmp_path)
    (tmp_path / "bad.json").write_text("<html>")
    done = run(["import", str(tmp_path / "bad.json"), "--db", str(db)], tmp_path)
    assert done.returncode == 1
    assert "old catalogue is kept" in done.stderr and "bad.json" in done.stderr and "not JSON" in done.stderr
    status = json.loads(run(["status", "--db", str(db), "--json"], tmp_path).stdout)
    assert status["offers"] == 2 and "bad.json" in status["last_error"]
    done = run(["pull", "--feed", "http://127.0.0.1:9/", "--db", str(db)], tmp_path)
    assert done.returncode == 1 and "127.0.0.1:9" in done.stderr


def test_exit_2_on_usage_and_settings_errors(tmp_path: Path) -> None:
    assert run(["frobnicate"], tmp_path).returncode == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[catalogue]\nper_page = 'viele'\n")
    done = run(["status", "--config", str(bad)], tmp_path)
    assert done.returncode == 2
    assert str(bad) in done.stderr and "catalogue.per_page" in done.stderr
    done = run(["pull"], tmp_path)  # no feed configured
    assert done.returncode == 2 and "feed_url" in done.stderr




def test_pull_if_due_reads_the_interval_from_the_settings_at_run_time(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from sync.cli import not_due
    from tests.feedserver import FeedServer

    db = tmp_path / "catalogue.db"
    with FeedServer(services=many(3, "Neu")) as server:
        feed = server.url + "/snapshot.json"
        # A catalogue from elsewhere (the demo, an import) does not count: the feed is due at once.
        assert run(["import", str(write_json(tmp_path / "demo.json", many(2, "Demo")))], tmp_path).returncode == 0
        env = clean_env(tmp_path)
        config = Path(env["KIOSK_CONFIG"])
        config.write_text(f"[catalogue]\ndatabase = 'catalogue.db'\nfeed_url = '{feed}'\nsync_interval_minutes = 60\n")

        def pull_if_due() -> subprocess.CompletedProcess:
            return subprocess.run([*kiosk_sync(), "pull", "--if-due"], env=env, capture_output=True, text=True,
                                  timeout=60)

        done = pull_if_due()
        assert done.returncode == 0 and "not due" not in done.stdout, done.stdout + done.stderr
        assert len(server.requests_for("/snapshot.json")) == 1
        done = pull_if_due()
        assert done.returncode == 0 and "not due yet" in done.stdout and "sync_interval_minutes = 60" in done.stdout
        assert len(server.requests_for("/snapshot.json")) == 1  # nothing fetched
        # The interval is read when the timer fires, not when it was installed.
        config.write_text(config.read_text().replace("= 60", "= 5"))
        done = pull_if_due()
        assert "sync_interval_minutes = 5" in done.stdout
    later = datetime.now(UTC) + timedelta(minutes=6)
    assert not_due(db, feed, 5, now=later) is None
    assert not_due(db, feed, 60, now=later) is not None
    assert not_due(db, "https://other.example/feed", 60) is None
    assert not_due(tmp_path / "none.db", feed, 60) is None


def test_status_without_a_catalogue_names_the_next_step(tmp_path: Path) -> None:
    """A fresh box: `status` says what to run, the configured feed's pull first."""
    with_feed = tmp_path / "feed.toml"
    with_feed.write_text(f'[catalogue]\nfeed_url = "https://example.org/hsds"\ndatabase = "{tmp_path / "a.db"}"\n')
    done = run(["status", "--config", str(with_feed)], tmp_path)
    assert done.returncode == 0 and "No catalogue at" in done.stdout
    assert "kiosk-sync pull" in done.stdout, done.stdout
    without = tmp_path / "nofeed.toml"
    without.write_text(f'[catalogue]\nfeed_url = ""\ndatabase = "{tmp_path / "b.db"}"\n')
    done = run(["status", "--config", str(without)], tmp_path)
    assert "kiosk-sync import PATH" in done.stdout and "feed_url" in done.stdout, done.stdout
