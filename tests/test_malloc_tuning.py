"""glibc's allocator as the kiosk sets it (kiosk/malloc_tuning.py): threads allocate from the one main
arena, and big blocks are mapped on their own also after a bigger one was freed. Each case runs in a
fresh interpreter, once with the kiosk's settings and once with glibc's defaults (which must show the
difference, or the check would prove nothing)."""
from __future__ import annotations

import ctypes
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import ctypes, json, sys, threading
if sys.argv[1] == "tuned":
    from kiosk import malloc_tuning
    assert malloc_tuning.tune() and malloc_tuning.tune()  # a second call changes nothing

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
kept = []
# A thread's blocks above Python's own pools (512 bytes) come from malloc: which arena?
worker = threading.Thread(target=lambda: kept.append([bytearray(2000) for _ in range(2000)]))
worker.start()
worker.join()
sys.stderr.flush()
libc.malloc_stats()  # one "Arena n:" per arena, on stderr
# A 4 MiB block freed (glibc then raises its threshold to 4 MiB), then a 512 KiB one: mapped on its own?
big = bytearray(4 << 20)
del big
before = libc.mallinfo2().hblkhd
middle = bytearray(512 << 10)
print(json.dumps({"mapped": libc.mallinfo2().hblkhd - before}))
"""


def run(mode: str) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def glibc_with_mallinfo2() -> bool:
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.gnu_get_libc_version and libc.mallinfo2)
    except (OSError, AttributeError):
        return False


needs_glibc = pytest.mark.skipif(not glibc_with_mallinfo2(), reason="needs glibc 2.33 or later")


@needs_glibc
def test_a_thread_allocates_from_the_main_arena() -> None:
    _figures, stats = run("tuned")
    assert "Arena 0:" in stats and "Arena 1:" not in stats, stats
    _figures, stats = run("defaults")
    assert "Arena 1:" in stats, stats  # glibc's default: an arena of the thread's own


@needs_glibc
def test_a_big_block_is_mapped_on_its_own_after_a_bigger_one_was_freed() -> None:
    figures, _stats = run("tuned")
    assert figures["mapped"] >= 512 << 10  # given back to the system whole when freed
    figures, _stats = run("defaults")
    assert figures["mapped"] == 0  # glibc's default: in the heap, where freeing it may leave a hole


APP = """
import asyncio, ctypes, sys
from pathlib import Path
from kiosk import malloc_tuning
from kiosk.app import make_app
from kiosk.config import Settings
from sync.catalogue import Catalogue

if sys.argv[2] == "untuned":
    malloc_tuning.tune = lambda: False  # the control: glibc's defaults

async def main():
    app = make_app(Settings.defaults(), Catalogue(Path(sys.argv[1])))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        while app.finder._warming is None:  # the finder's warm-up thread, 0.5 s after Home
            await pilot.pause(0.1)
        app.finder._warming.join(30)
        await pilot.pause()
    sys.stderr.flush()
    ctypes.CDLL(None).malloc_stats()

asyncio.run(main())
"""

COMMAND = """
import ctypes, sys, threading
from kiosk import cli
assert cli.main(["--db", sys.argv[1]]) == 2  # no terminal here: the kiosk says so and ends
worker = threading.Thread(target=lambda: [bytearray(2000) for _ in range(2000)])
worker.start()
worker.join()
sys.stderr.flush()
ctypes.CDLL(None).malloc_stats()
"""


@needs_glibc
def test_the_apps_threads_allocate_from_the_main_arena(catalogue) -> None:
    """The app tunes when it loads (as tests and benchmarks build it), before Home and the finder's
    warm-up thread; the `kiosk` command first of all, before its own threads (the catalogue's check)."""
    def stats(script: str, *args: str) -> str:
        done = subprocess.run([sys.executable, "-c", script, str(catalogue.path), *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stderr

    tuned = stats(APP, "tuned")
    assert "Arena 0:" in tuned and "Arena 1:" not in tuned, tuned
    assert "Arena 1:" in stats(APP, "untuned")  # the warm-up thread's own arena
    command = stats(COMMAND)
    assert "needs a terminal" in command and "Arena 0:" in command and "Arena 1:" not in command, command
