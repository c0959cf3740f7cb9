"""rapidfuzz (the typo tolerance) loads only when a search needs a correction.

Its libraries and libstdc++ cost ~4 MB of resident memory (tests/benchmarks/RESULTS.md, fifth
session): a kiosk whose visitors spell their words right never pays them. Drives the real app in a
fresh interpreter, so that no other test has imported rapidfuzz before.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import hsds_service, small_services

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import asyncio, json, sys
from pathlib import Path
from kiosk.app import make_app
from kiosk.config import Settings
from sync.catalogue import Catalogue

async def main():
    app = make_app(Settings.defaults(), Catalogue(Path(sys.argv[1])))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#search")
        await pilot.pause()
        await pilot.press(*sys.argv[2])
        await app.workers.wait_for_complete()
        await pilot.pause()
        answer = app.screen._answer
        shown = [str(b.label) for b in app.screen.query("#did-you-mean Button")]
        print(json.dumps({"found": [o.name for o in answer.offers], "did_you_mean": shown,
                          "loaded": sorted(m for m in sys.modules if m.split(".")[0] == "rapidfuzz")}))

asyncio.run(main())
"""


def _search(catalogue: Path, typed: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, str(catalogue), typed],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


TOWNS = ("Rheine", "Ibbenbüren", "Steinfurt")


def _services() -> list[dict]:
    """The small feed and three more debt advice offers: a word spelled right finds at least
    search.FEW offers, so nothing widens the search with close spellings."""
    return small_services() + [hsds_service(f"x{n}", f"Schuldnerberatung {town}", town=town,
                                            needs=("geld-aemter",), groups=("alle",))
                               for n, town in enumerate(TOWNS)]


def _debt_advice(seen: dict) -> list[str]:
    return sorted(seen["found"])


@pytest.mark.parametrize("typed", ["schuldner", "schuldnerberatung"])
def test_a_search_spelled_right_loads_no_rapidfuzz(make_catalogue, typed: str) -> None:
    seen = _search(make_catalogue(_services()).path, typed)
    assert _debt_advice(seen) == sorted(["Schuldnerberatung"] + [f"Schuldnerberatung {t}" for t in TOWNS])
    assert seen["did_you_mean"] == []
    assert seen["loaded"] == []


def test_a_typo_loads_rapidfuzz_and_is_corrected(make_catalogue) -> None:
    seen = _search(make_catalogue(_services()).path, "schuldnerberatnug")
    assert _debt_advice(seen) == sorted(["Schuldnerberatung"] + [f"Schuldnerberatung {t}" for t in TOWNS])
    assert [w.lower() for w in seen["did_you_mean"]] == ["schuldnerberatung"]
    assert "rapidfuzz" in seen["loaded"]
