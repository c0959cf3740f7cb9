"""Tap to settled screen, measured in a real terminal (tmux, SGR mouse taps) as a visitor feels it.

Issue 13: "p95 of each <= 2x the baseline at 50,000 offers", the baseline being a plain screen switch
(Back -> Home). The real `kiosk` runs in tmux at 80x24 on a generated catalogue of 1,000, 10,000 and
50,000 offers; each action is a tap sent as an SGR mouse press and release, and its time runs from
sending the tap until the screen shows the expected text and then stays unchanged for `QUIET`
seconds (the settled time is the moment of the last change, so the quiet wait is not counted).
The screen is read with `tmux capture-pane` (a few ms per read; the same for every action).

Actions, each `REPEAT` times, interleaved so machine noise hits all alike:
  back      Back on a results list -> Home (the baseline: a plain screen switch)
  need      a need tile on Home -> its results drawn
  offer     the first result card -> the offer screen
  page      "Mehr" on a results list -> page 2
  letter    a letter on the on-screen keyboard -> the results for the new prefix

Raspberry Pi stand-in: the same run with the kiosk pinned to one core (taskset) inside a cgroup-v1
CPU quota of `PI_QUOTA` percent, where this machine allows it (root and a writable cgroup);
reported beside the full-speed figures, judged by the same ratio.
"""
from __future__ import annotations

import atexit
import functools
import math
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.benchmarks.catalogue_gen import build_catalogue
from tests.benchmarks.targets import SMOKE, judge, runs
from tests.tmuxkiosk import Kiosk

SIZES = [500] if SMOKE else [1_000, 10_000, 50_000]
REPEAT = runs(20)
QUIET = 0.3          # seconds without a change that count as settled
MAX_RATIO = 2.0      # p95 of each action against the p95 of Back -> Home, at the largest size
PI_QUOTA = 40        # percent of one core
WARMED_AFTER = 0 if SMOKE else 4  # seconds after Home settles: the finder's cache is built by then
CGROUP = Path("/sys/fs/cgroup/cpu")
HOME_TEXT = "Wobei brauchen Sie Hilfe"
# Need tiles of the generated catalogue, the first found is tapped (labels may come from a need map).
NEED_LABELS = ("Geld & Ämter", "Geld Aemter", "Gesundheit", "Beratung")

pytestmark = [pytest.mark.benchmark,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")]


def settled(k: Kiosk, act: Callable[[], None], expect: str, *, timeout: float = 20.0) -> float:
    """Seconds from `act()` until the screen shows `expect`, differs from before, and is then quiet."""
    before = k.screen()
    start = time.perf_counter()
    act()
    end = start + timeout
    while True:
        now_screen = k.screen()
        if expect.lower() in now_screen.lower() and now_screen != before:
            last, changed = now_screen, time.perf_counter()
            break
        if time.perf_counter() > end:
            raise AssertionError(f"{expect!r} did not appear after the tap:\n{now_screen}")
    while time.perf_counter() - changed < QUIET:
        s = k.screen()
        if s != last:
            last, changed = s, time.perf_counter()
    return changed - start


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def pi_wrapper(tmp: Path) -> list[str] | None:
    """A command prefix that runs the kiosk on one core at PI_QUOTA % of it, or None if not allowed."""
    if os.geteuid() != 0 or not (CGROUP / "cpu.cfs_quota_us").exists() or not shutil.which("taskset"):
        return None
    group = CGROUP / f"kiosk-pi-{uuid.uuid4().hex[:8]}"
    try:
        group.mkdir()
        (group / "cpu.cfs_period_us").write_text("100000")
        (group / "cpu.cfs_quota_us").write_text(str(PI_QUOTA * 1000))
    except OSError:
        return None
    atexit.register(_remove_group, group)  # empty once the kiosks have ended
    script = tmp / "pi.sh"
    script.write_text(f'#!/bin/sh\necho $$ > {group}/cgroup.procs\nexec taskset -c 0 "$@"\n')
    script.chmod(0o755)
    return [str(script)]


def _remove_group(group: Path) -> None:
    try:
        group.rmdir()
    except OSError:
        pass


def measure(db: Path, tmp: Path, prefix: list[str]) -> dict[str, list[float]]:
    config = tmp / "kiosk.toml"
    config.write_text('[catalogue]\ndatabase = "c.db"\n', encoding="utf-8")
    kiosk_bin = str(Path(sys.executable).parent / "kiosk")
    env = {"TERM": "xterm-256color", "PATH": os.environ.get("PATH", "")}
    if os.environ.get("PYTHONPATH"):  # e.g. a copy of another commit, measured with this venv
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    k = Kiosk([*prefix, kiosk_bin, "--config", str(config), "--db", str(db)], size=(80, 24), env=env)
    times: dict[str, list[float]] = {name: [] for name in ("back", "need", "offer", "page", "letter")}
    try:
        assert k.wait_for(HOME_TEXT, timeout=120), k.screen()
        k.settle()
        # The finder's cache is built in a thread from 0.5 s after Home is drawn (0.3 to 1 s at
        # 50,000 offers, 2.5x that on the Pi stand-in): the taps below are measured after it, as a
        # visitor's taps are (the first tap after a sync is measured apart: RESULTS.md).
        time.sleep(WARMED_AFTER)
        need = next((label for label in NEED_LABELS if k.find(label)), None)
        assert need, f"none of {NEED_LABELS} on Home:\n{k.screen()}"
        for _ in range(REPEAT):
            times["need"].append(settled(k, lambda: k.tap(need), "Seite 1 von"))
            times["page"].append(settled(k, lambda: k.tap("Mehr"), "Seite 2 von"))
            times["back"].append(settled(k, lambda: k.tap("Zurück"), HOME_TEXT))
            settled(k, lambda: k.tap(need), "Seite 1 von")
            card = k.find("▌")
            assert card, k.screen()
            times["offer"].append(settled(k, functools.partial(k.tap_at, card[0] + 4, card[1]), "Was?"))
            settled(k, lambda: k.tap("Start"), HOME_TEXT)
            settled(k, lambda: k.tap("Suchen"), "Löschen")
            if not k.find("Tippen Sie"):  # an earlier search still in the field
                settled(k, lambda: k.tap("Alles löschen"), "Tippen Sie")
            times["letter"].append(settled(k, lambda: k.tap(" S "), "▌"))
            settled(k, lambda: k.tap("Start"), HOME_TEXT)
    finally:
        k.close()
    return times


def report(label: str, times: dict[str, list[float]]) -> dict[str, float]:
    base = p95(times["back"])
    ratios = {}
    print(f"\n  {label}: p50 / p95 / max in ms, ratio of p95 to Back -> Home")
    for name, values in times.items():
        ratios[name] = p95(values) / base
        print(f"    {name:7s} {sorted(values)[len(values) // 2] * 1000:6.0f} {p95(values) * 1000:6.0f} "
              f"{max(values) * 1000:6.0f}   x{ratios[name]:.2f}")
    return ratios


def test_tap_to_settled_screen(tmp_path: Path) -> None:
    ratios: dict[str, float] = {}
    for offers in SIZES:
        db = build_catalogue(offers)
        (tmp_path / str(offers)).mkdir()
        ratios = report(f"{offers} offers, full speed", measure(db, tmp_path / str(offers), []))
    largest = SIZES[-1]
    checks = [(ratio <= MAX_RATIO, f"{name} p95 {ratio:.2f}x Back -> Home at {largest} offers (target <= {MAX_RATIO})")
              for name, ratio in ratios.items() if name != "back"]
    wrapper = None if SMOKE else pi_wrapper(tmp_path)
    if wrapper is None:
        print(f"\n  Raspberry Pi stand-in ({PI_QUOTA} % of one core): not run here "
              f"({'smoke mode' if SMOKE else 'needs root and a writable cgroup-v1 cpu controller'})")
    else:
        (tmp_path / "pi").mkdir()
        pi = report(f"{largest} offers, one core at {PI_QUOTA} %",
                    measure(build_catalogue(largest), tmp_path / "pi", wrapper))
        checks += [(ratio <= MAX_RATIO, f"Pi stand-in: {name} p95 {ratio:.2f}x Back -> Home (target <= {MAX_RATIO})")
                   for name, ratio in pi.items() if name != "back"]
    judge(*checks)
