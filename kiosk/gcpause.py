"""Python's cyclic garbage collector paused while the kiosk starts, until Home is drawn (issue 13).

A start allocates some 80,000 objects, nearly all of which live as long as the kiosk (modules,
classes, Textual's styles and widgets). The collector kept walking over them while they were made:
120 young and 11 middle passes and one full pass, 50-100 ms of every start on the 2-core test
machine (tests/benchmarks/RESULTS.md). Paused from the start of the `kiosk` command (or of the app,
in tests and benchmarks) until Home has been drawn, it then runs as before and collects the little
garbage the start left, after the visitor already sees Home. Reference counting frees everything
else at once, paused or not.
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
