"""Start to interactive Home, and the kiosk's memory, with 50,000 offers.

DESIGN.md 6: "Start to interactive Home: at most 1.5x a minimal Textual app on the same machine" and
"Memory of the running kiosk with 50,000 offers: under 80 MB RSS".

Each side runs in a fresh Python process (imports included, as at a real start) under Textual's
headless test driver at 80x24: the baseline is a minimal Textual app with one button; ours is
`make_app` on a 50,000-offer catalogue, timed until the Home screen's need buttons are mounted and
the screen has been drawn. Then ours opens a need's results and searches, and the process reports
its peak RSS. Each side runs three times; the fastest run counts (scheduler noise on 2 cores).
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.benchmarks.catalogue_gen import build_catalogue
from tests.benchmarks.targets import judge, runs, size

OFFERS = size(50_000)
# DESIGN's target is 1.5x: measured 2.2-2.5x in session 1 (395-431 ms against 160-200 ms; it was 7x
# before the category tree was counted in SQL and cached per catalogue version).
MAX_START_RATIO = 1.5
MAX_RSS_MB = 80
RUNS = runs(3)

BASELINE = textwrap.dedent("""
    import time
    start = time.perf_counter()
    import asyncio, json
    from textual.app import App
    from textual.widgets import Button

    class Minimal(App):
        def compose(self):
            yield Button("Start")

    async def main():
        app = Minimal()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            print(json.dumps({"start": time.perf_counter() - start}))

    asyncio.run(main())
""")

OURS = textwrap.dedent("""
    import time
    start = time.perf_counter()
    import asyncio, json, resource, sys
    from pathlib import Path
    from kiosk.app import make_app
    from kiosk.config import Settings
    from kiosk.screens.results import ResultsScreen
    from sync.catalogue import Catalogue

    async def main():
        app = make_app(Settings.defaults(), Catalogue(Path(sys.argv[1])))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.screen.query("Button"), "no buttons on Home"
            started = time.perf_counter() - start
            await pilot.click("#need-0") if app.screen.query("#need-0") else None
            await pilot.pause()
            app.search_text = ""
            found = app.catalogue.search("schuldnerberatung", limit=100)
            print(json.dumps({"start": started, "found": len(found),
                              "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))

    asyncio.run(main())
""")


def best(script: str, *args: str) -> dict:
    runs = []
    for _ in range(RUNS):
        done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300,
                              cwd=Path(__file__).resolve().parents[2])
        assert done.returncode == 0, done.stderr[-2000:]
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["start"])


@pytest.mark.benchmark
def test_start_to_home_and_memory_with_50000_offers() -> None:
    db = build_catalogue(OFFERS)
    base = best(BASELINE)
    ours = best(OURS, str(db))
    ratio = ours["start"] / base["start"]
    print(f"\n  minimal Textual app: {base['start'] * 1000:.0f} ms to first screen")
    print(f"  kiosk, {OFFERS} offers: {ours['start'] * 1000:.0f} ms to Home (ratio {ratio:.2f}, target 1.5)")
    print(f"  kiosk peak RSS after Home, a need and a search: {ours['rss_mb']:.0f} MB (target < {MAX_RSS_MB})")
    assert ours["found"] > 0
    judge(
        (ratio <= MAX_START_RATIO, f"start to Home {ratio:.2f}x a minimal Textual app (target <= {MAX_START_RATIO})"),
        (ours["rss_mb"] < MAX_RSS_MB, f"peak RSS {ours['rss_mb']:.0f} MB (target < {MAX_RSS_MB} MB)"),
    )
