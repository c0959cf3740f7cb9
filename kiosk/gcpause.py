"""Python's cyclic garbage collector paused while the kiosk starts, until Home is drawn (issue 13).

A start allocates some 80,000 objects, nearly all of which live as long as the kiosk (modules,
classes, Textual's styles and widgets). The collector kept walking over them while they were made:
120 young and 11 middle passes and one full pass, 50-100 ms of every start on the 2-core test
machine (tests/benchmarks/RESULTS.md). Paused from the start of the `kiosk` command (or of the app,
in tests and benchmarks) until Home has been drawn, it then runs as before and collects the little
garbage the start left, after the visitor already sees Home. Reference counting frees everything
else at once, paused or not.

After that, the collector's full passes come every few taps: a visitor's screens leave widget
trees with reference cycles, which only a full pass frees. Each full pass walked every object the
kiosk ever made, the ~45,000 of the imports (modules, classes, functions) included, which live as
long as the kiosk: 40-230 ms in 13 of 60 taps at 50,000 offers on the test machine. The `kiosk`
command therefore puts what exists just before the app runs out of the collector's sight
(`keep_for_good`, gc.freeze): full passes then take half as long (measured: 11-105 ms, median ~38
ms instead of ~75 ms), and memory is the same (the ~450 bits of garbage of the imports stay).
"""
from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection, unless someone else already has (then leave it to them)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Automatic collection on again, if `pause` stopped it; safe to call more than once."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def keep_for_good() -> None:
    """Everything alive now stays alive as long as the process (the imports, the app object): the
    collector no longer walks it (gc.freeze). Objects made later are collected as before."""
    gc.freeze()
