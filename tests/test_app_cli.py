"""The `kiosk` command: clear start errors, the demo catalogue on first start, a real terminal run."""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from kiosk import cli

ROOT = Path(__file__).resolve().parents[1]


def test_a_broken_config_names_file_and_key(tmp_path, capsys):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[kiosk]\nidle_seconds = "lang"\n', encoding="utf-8")
    assert cli.main(["--config", str(bad), "--db", str(tmp_path / "c.db")]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "kiosk.idle_seconds" in err and "expected an integer" in err
    assert not (tmp_path / "c.db").exists()  # nothing started, nothing written


def test_a_missing_config_file_is_an_error(tmp_path, capsys):
    assert cli.main(["--config", str(tmp_path / "nope.toml")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_first_start_imports_the_demo_catalogue(tmp_path):
    assert cli.DEMO_CATALOGUE.is_file()
    db = tmp_path / "var" / "catalogue.db"
    with cli.open_catalogue(db) as catalogue:
        assert catalogue.count() > 50
        assert catalogue.taxonomies()  # needs and visitor groups


def test_no_demo_and_no_catalogue_says_what_to_do(tmp_path):
    with pytest.raises(cli.StartError, match="kiosk-sync pull"):
        cli.open_catalogue(tmp_path / "c.db", demo=tmp_path / "missing.json")


def test_help_has_every_option():
    text = cli.build_parser().format_help()
    assert "--config" in text and "--db" in text


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_runs_in_a_real_terminal_and_leaves_only_by_pin(tmp_path):
    from tests import tmuxkiosk
    kiosk_bin = Path(sys.executable).parent / "kiosk"
    config = tmp_path / "kiosk.toml"
    config.write_text('[catalogue]\ndatabase = "var/c.db"\n[kiosk]\nvolunteer_pin = "5791"\n', encoding="utf-8")
    k = tmuxkiosk.Kiosk([str(kiosk_bin), "--config", str(config)], size=(80, 24),
                        env={"TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")})
    try:
        assert k.wait_for("Wobei brauchen Sie Hilfe?", timeout=30), k.screen()
        assert (tmp_path / "var" / "c.db").exists()
        for key in ("C-q", "C-c", "C-z", "C-\\", "C-p"):
            k.key(key)
        time.sleep(1)
        assert k.alive() and "Wobei brauchen Sie Hilfe?" in k.screen()
        assert k.tap("Gesundheit")
        assert k.wait_for("Seite 1 von"), k.screen()
        k.key("F12")
        assert k.wait_for("PIN"), k.screen()
        for digit in "5791":
            assert k.tap(f" {digit} ") or k.tap(digit)
            time.sleep(0.3)
        assert k.tap("OK")
        assert k.wait_for("Kiosk beenden"), k.screen()
        assert k.tap("Kiosk beenden")
        assert k.wait_for("Ja, beenden")
        assert k.tap("Ja, beenden")
        end = time.time() + 10
        while k.alive() and time.time() < end:
            time.sleep(0.2)
        assert not k.alive()
    finally:
        k.close()
