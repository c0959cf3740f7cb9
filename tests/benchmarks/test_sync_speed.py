"""Full sync of 50,000 offers from a local feed, against downloading and inserting the same bytes.

DESIGN.md 6: "Full sync of 50,000 offers from a local feed: within 2x the time to download the same
bytes and insert them with plain sqlite-utils; peak memory flat in the catalogue size."

Baseline (same run, same server on 127.0.0.1, same NDJSON snapshot): GET the bytes with httpx,
parse each line, and `insert_all` the raw records into a fresh SQLite file with sqlite-utils (nested
objects become JSON text) — the least any sync must do. Ours: `kiosk-sync pull` of the same URL,
which also validates, cleans, flattens into seven tables, builds the FTS index and applies it all
in one transaction. Each side runs twice, interleaved, and the faster run counts. Both run in a
fresh subprocess so peak memory is measured per run; ours is also run on a feed of a fifth of the
size to show that peak memory does not grow with it.

Peak memory is the process's own high-water mark, VmHWM from /proc/self/status. Not ru_maxrss: Linux
carries the parent's peak over the child's exec into it, so a child of this pytest process (which
holds the 61 MB feed twice and the server) reported 126-127 MB at any catalogue size, whatever it used.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.benchmarks.catalogue_gen import write_feed
from tests.benchmarks.targets import judge, runs, size
from tests.feedserver import FeedServer

OFFERS = size(50_000, smoke=2_000)
# DESIGN's target is 2x: measured 2.0-2.4x on this 2-core machine in session 1 (it was 3.3x before
# staging rows went in with plain executemany). Reported as not met when a run is above it.
MAX_RATIO = 2.0
MAX_MEMORY_GROWTH = 1.5
ROUNDS = runs(2)  # peak RSS at 50,000 offers / at 10,000 offers

BASELINE = textwrap.dedent("""
    import json, sys, time, httpx, sqlite_utils, resource
    url, db = sys.argv[1], sys.argv[2]
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    start = time.perf_counter()
    body = httpx.get(url, timeout=120).content
    records = (json.loads(line) for line in body.splitlines() if line.strip())
    sqlite_utils.Database(db)["services"].insert_all(records, pk="id", batch_size=1000)
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": cpu(),
                      "rss_kb": int(next(line for line in open("/proc/self/status")
                                         if line.startswith("VmHWM:")).split()[1])}))
""")

OURS = textwrap.dedent("""
    import json, sys, time, resource
    from pathlib import Path
    from sync.pull import SyncOptions, pull
    url, db = sys.argv[1], sys.argv[2]
    cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])  # noqa: E731
    start = time.perf_counter()
    report = pull(url, Path(db), SyncOptions(timeout_seconds=600, guard_min_offers=10**9))
    print(json.dumps({"seconds": time.perf_counter() - start, "offers": report.after, "cpu": cpu(),
                      "rss_kb": int(next(line for line in open("/proc/self/status")
                                         if line.startswith("VmHWM:")).split()[1])}))
""")


def run(script: str, url: str, db: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", script, url, str(db)], capture_output=True, text=True,
                          timeout=600, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.benchmark
def test_full_sync_against_download_and_plain_insert(tmp_path: Path) -> None:
    big = write_feed(tmp_path / "big.ndjson", OFFERS).read_bytes()
    small = write_feed(tmp_path / "small.ndjson", OFFERS // 5).read_bytes()
    with FeedServer(snapshot=big) as server:
        url = server.url + "/snapshot.json"
        # Each side twice, interleaved, into fresh files; the faster run counts (one run alone
        # varied by 20 % on a loaded 2-core machine).
        bases, ourses = [], []
        for i in range(ROUNDS):
            bases.append(run(BASELINE, url, tmp_path / f"baseline-{i}.db"))
            ourses.append(run(OURS, url, tmp_path / f"ours-{i}.db"))
        base = min(bases, key=lambda r: r["seconds"])
        ours = min(ourses, key=lambda r: r["seconds"])
        server.snapshot_bytes = small
        ours_small = run(OURS, url, tmp_path / "ours-small.db")
    ratio = ours["seconds"] / base["seconds"]
    growth = ours["rss_kb"] / ours_small["rss_kb"]
    print(f"\n  feed: {OFFERS} offers, {len(big) / 1e6:.1f} MB NDJSON")
    print(f"  baseline (download + sqlite-utils insert): {base['seconds']:.2f} s, "
          f"peak RSS {base['rss_kb'] / 1024:.0f} MB")
    print(f"  ours (kiosk-sync pull):                   {ours['seconds']:.2f} s, "
          f"peak RSS {ours['rss_kb'] / 1024:.0f} MB")
    print(f"  ratio ours/baseline = {ratio:.2f}   (DESIGN target 2.0)")
    print(f"  CPU time (user + system) of those runs: baseline {base['cpu']:.2f} s, ours {ours['cpu']:.2f} s "
          f"= {ours['cpu'] / base['cpu']:.2f}x (less affected by other processes on the machine)")
    print(f"  peak RSS at {OFFERS // 5} offers {ours_small['rss_kb'] / 1024:.0f} MB -> at {OFFERS}: "
          f"{ours['rss_kb'] / 1024:.0f} MB (x{growth:.2f})")
    assert ours["offers"] == OFFERS and ours_small["offers"] == OFFERS // 5
    judge(
        (ratio <= MAX_RATIO, f"full sync {ratio:.2f}x download + plain insert (target <= {MAX_RATIO})"),
        (growth < MAX_MEMORY_GROWTH, f"peak RSS x{growth:.2f} from {OFFERS // 5} to {OFFERS} offers "
         f"(target < x{MAX_MEMORY_GROWTH})"),
    )
