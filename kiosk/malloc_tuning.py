"""The C library's allocator set for a small, long-running process (issue 13: < 80 MB at 50,000 offers).

Python keeps objects up to 512 bytes in its own pools; everything larger (the tables of big dicts and
sets, lists of 50,000 ids, SQLite's page caches) comes from glibc's malloc, and two of its defaults
cost the kiosk ~6 MB of resident memory that it never uses again (tests/benchmarks/RESULTS.md):

- **One arena per thread.** The catalogue's quick check, the catalogue's opening and the finder's
  warm-up each run in a thread; glibc gives every thread that allocates an arena of its own, and the
  pages a thread touched there stay resident after it has ended (its memory is reused only by a later
  thread that happens to get the same arena). `M_ARENA_MAX` 1: every thread allocates from the one
  main arena, whose free memory the next allocation of any thread reuses. Python threads take turns
  at the GIL anyway, so they hardly ever wait for the arena's lock.
- **A moving mmap threshold.** Blocks of 128 KiB and more are mapped on their own and given back to
  the system when freed, but glibc raises that threshold (up to 32 MiB) each time such a block is
  freed, so later big tables land in the main heap, where a freed one leaves a hole the heap cannot
  give back while anything above it lives. Setting `M_MMAP_THRESHOLD` fixes it at 128 KiB (and
  turns the raising off): the whole-catalogue sets and lists of a start or a sync's warm-up are
  mapped and given back whole.

Measured headless at 50,000 offers, the first start after a sync to a need and a search: peak 79 MB
with glibc's defaults, 73 MB with both settings (each alone gave about half). Other C libraries
(musl, macOS) have no `mallopt` with these numbers: nothing is changed there.

When: the `kiosk` command first of all, the app (as tests and benchmarks build it) when it loads.
Textual's own writer thread encodes every screen's output from Home's first paint on: tuned only
after Home was drawn, its arena alone kept 1.2-1.8 MB (measured in tmux), and the first start's
build of Home's buttons before the tuning ~4 MB. Importing ctypes costs ~1.5 ms of the start.
"""
from __future__ import annotations

import sys

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, kept from now on
ARENA_MAX = 1

_done = False


def tune() -> bool:
    """Set glibc's allocator for the kiosk, once per process (before its threads start, so that none
    gets an arena of its own). True when the settings were taken; False elsewhere (not glibc)."""
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # ~1.5 ms; not imported by anything else the kiosk's start needs

    try:
        libc = ctypes.CDLL(None)  # the C library the interpreter itself uses
        libc.gnu_get_libc_version  # noqa: B018 - glibc's alone (musl's mallopt knows other numbers)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    _done = mallopt(M_ARENA_MAX, ARENA_MAX) == 1 and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    return _done
