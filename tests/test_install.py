"""install.sh and the systemd units of deploy/: a dry run changes nothing, the units are sound."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _clone(tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("install.sh", "pyproject.toml", "constraints.txt", "kiosk.toml", "deploy"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, clone / name)
    return clone


def test_a_dry_run_prints_every_step_and_changes_nothing(tmp_path):
    clone = _clone(tmp_path)
    before = _tree(clone)
    env = {**os.environ, "CI": "", "PATH": os.environ["PATH"]}
    done = subprocess.run(["bash", str(clone / "install.sh"), "--dev", "--autostart", "--dry-run"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "Dry run" in out and "nothing was changed" in out
    assert "would run: " in out and "-m venv .venv" in out  # the clone has no .venv yet
    assert "-c constraints.txt -e .[dev]" in out and "kiosk --new-pin" in out
    assert "compileall" in out and "pybabel -q compile" in out  # precompiling writes files too
    assert _tree(clone) == before
    assert not (clone / ".venv").exists()


def test_a_dry_uninstall_changes_nothing(tmp_path):
    clone = _clone(tmp_path)
    before = _tree(clone)
    done = subprocess.run(["bash", str(clone / "install.sh"), "--uninstall", "--dry-run"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nothing was changed" in done.stdout
    assert _tree(clone) == before


def test_the_kiosk_starts_without_network_and_the_timer_reads_the_interval_at_run_time(tmp_path):
    kiosk = (ROOT / "deploy" / "dritte-orte-kiosk.service").read_text()
    sync_service = (ROOT / "deploy" / "kiosk-sync.service").read_text()
    timer = (ROOT / "deploy" / "kiosk-sync.timer").read_text()
    active = [line for line in kiosk.splitlines() if not line.startswith("#")]
    assert not any("network-online" in line for line in active), "an offline-first kiosk must not wait"
    assert "Wants=network-online.target" in sync_service and "pull --if-due" in sync_service
    assert "@INTERVAL@" not in timer + sync_service + kiosk
    # systemd itself checks the units where it can (cage and foot installed: the box, or --autostart)
    if shutil.which("systemd-analyze") and all(Path(p).exists() for p in ("/usr/bin/cage", "/usr/bin/foot")):
        for unit in ("dritte-orte-kiosk.service", "kiosk-sync.service", "kiosk-sync.timer"):
            text = (ROOT / "deploy" / unit).read_text().replace("@ROOT@", str(ROOT)).replace("@USER@", "daemon")
            (tmp_path / unit).write_text(text)
        done = subprocess.run(["systemd-analyze", "verify", *map(str, sorted(tmp_path.iterdir()))],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def _unit_values(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))


def test_the_timer_sync_has_the_bounds_of_the_volunteer_menus_sync_child():
    import dataclasses
    import inspect

    from kiosk import syncjob
    from sync.settings import CatalogueSettings

    unit = _unit_values((ROOT / "deploy" / "kiosk-sync.service").read_text())
    limits = syncjob.SyncLimits()
    assert unit["MemoryMax"] == "1G" and limits.memory_bytes == 2**30  # systemd: G = 1024**3
    # The child's CPU time is its wall-clock bound plus one second; the wall is the sync's own timeout
    # plus the grace: here for the longest timeout the settings allow.
    longest = next(f for f in dataclasses.fields(CatalogueSettings) if f.name == "timeout_seconds").metadata["max"]
    wall = limits.wall(longest)
    assert int(unit["LimitCPU"]) == int(wall) + 1 and int(unit["TimeoutStartSec"]) == int(wall)
    assert "os.nice(10)" in inspect.getsource(syncjob._limit) and unit["Nice"] == "10"


def test_root_runs_the_python_steps_as_the_owner_of_the_clone(tmp_path):
    if os.geteuid() != 0:
        import pytest

        pytest.skip("needs root (CI runs as root): install.sh is run by root in another user's clone")
    clone = _clone(tmp_path)
    tmp_path.chmod(0o755)
    shutil.chown(clone, "nobody")
    done = subprocess.run(["bash", str(clone / "install.sh"), "--dry-run"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "CI": ""})
    assert done.returncode == 0, done.stdout + done.stderr
    steps = [line for line in done.stdout.splitlines() if "would run:" in line]
    python_steps = [s for s in steps if any(w in s for w in ("venv", "pip", "compileall", "pybabel", "--new-pin"))]
    assert len(python_steps) >= 5
    assert all("runuser -u nobody --" in s for s in python_steps), python_steps
