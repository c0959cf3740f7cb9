"""Delta sync of 1 % changed offers against a full sync of 50,000, from a real local HSDS API.

Issue 13: "Delta sync of 1 % changed offers: <= 5 % of the bytes and <= 10 % of the time of a full
sync". The feed server (tests/feedserver.py) serves the generated offers as HSDS API pages on
127.0.0.1 and honours `modified_after`. A full `kiosk-sync pull` of the API base fills a fresh
catalogue; then 1 % of the offers get a new name and a newer `last_modified`, and the next pull asks
only for what changed since the server's date of the last one (plus the id list, to find removals).
Bytes are the body bytes the server sent for each sync; time is the pull's wall time in a fresh
process. Each full/delta pair runs `ROUNDS` times into fresh files; the fastest of each counts.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.benchmarks.catalogue_gen import write_feed
from tests.benchmarks.targets import judge, runs, size
from tests.feedserver import FeedServer

OFFERS = size(50_000, smoke=2_000)
CHANGED = 0.01
MAX_BYTES_SHARE = 0.05
MAX_TIME_SHARE = 0.10
ROUNDS = runs(2)
OLD = "2026-01-01T00:00:00+00:00"

PULL = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from sync.pull import SyncOptions, pull
    url, db = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    report = pull(url, Path(db), SyncOptions(timeout_seconds=600, guard_min_offers=10**9, per_page=1000))
    print(json.dumps({"seconds": time.perf_counter() - start, "mode": report.mode, "offers": report.after}))
""")


def pull(url: str, db: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PULL, url, str(db)], capture_output=True, text=True,
                          timeout=900, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.benchmark
def test_delta_sync_of_one_percent_against_a_full_sync(tmp_path: Path) -> None:
    lines = write_feed(tmp_path / "feed.ndjson", OFFERS).read_text(encoding="utf-8").splitlines()
    services = [json.loads(line) | {"last_modified": OLD} for line in lines]
    changed = services[::int(1 / CHANGED)]
    fulls, deltas = [], []
    with FeedServer(services=services) as server:
        for i in range(ROUNDS):
            for s in changed:  # the same offers as the full sync had them
                s["name"] = s["name"].removesuffix(" (neu)")
                s["last_modified"] = OLD
            db = tmp_path / f"c{i}.db"
            server.bytes_sent = 0
            full = pull(server.url, db) | {"bytes": server.bytes_sent}
            assert full["mode"] == "full" and full["offers"] == OFFERS, full
            later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
            for s in changed:
                s["name"] += " (neu)"
                s["last_modified"] = later
            server.bytes_sent, server.bytes_by_request = 0, {}
            delta = pull(server.url, db) | {"bytes": server.bytes_sent, "by": dict(server.bytes_by_request)}
            assert delta["mode"] == "delta" and delta["offers"] == OFFERS, delta
            with sqlite3.connect(db) as conn:
                renamed = conn.execute("SELECT count(*) FROM offers WHERE name LIKE '% (neu)'").fetchone()[0]
            assert renamed == len(changed), f"the delta sync brought {renamed} of {len(changed)} changes"
            fulls.append(full)
            deltas.append(delta)
    full = min(fulls, key=lambda r: r["seconds"])
    delta = min(deltas, key=lambda r: r["seconds"])
    bytes_share = delta["bytes"] / full["bytes"]
    time_share = delta["seconds"] / full["seconds"]
    print(f"\n  full sync of {OFFERS} offers from the API: {full['seconds']:.2f} s, {full['bytes'] / 1e6:.1f} MB")
    print(f"  delta sync of {len(changed)} changed offers: {delta['seconds']:.2f} s, {delta['bytes'] / 1e6:.2f} MB")
    for what, count in sorted(delta["by"].items(), key=lambda item: -item[1]):
        print(f"    of which {what}: {count / 1e6:.2f} MB")
    print(f"  delta/full: bytes {bytes_share:.1%} (target <= {MAX_BYTES_SHARE:.0%}), "
          f"time {time_share:.1%} (target <= {MAX_TIME_SHARE:.0%})")
    judge(
        (bytes_share <= MAX_BYTES_SHARE, f"delta sync bytes {bytes_share:.1%} of a full sync "
         f"(target <= {MAX_BYTES_SHARE:.0%})"),
        (time_share <= MAX_TIME_SHARE, f"delta sync time {time_share:.1%} of a full sync "
         f"(target <= {MAX_TIME_SHARE:.0%})"),
    )
