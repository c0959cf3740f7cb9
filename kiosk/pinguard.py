"""The volunteer PIN's lockout: wrong PINs lock the pad for longer and longer.

One `PinGuard` lives as long as the app, not the PIN pad: leaving the pad and opening it again (F12,
the hidden taps, Back) does not reset it, and taps and a keyboard go through the same `check`, so a
keyboard guesses no faster than a finger. The first `FREE_TRIES - 1` wrong PINs cost nothing (a
volunteer mistypes); from the `FREE_TRIES`-th on, every wrong PIN locks the pad, 1 minute, then 2, 4,
8, up to `MAX_LOCK_SECONDS`. The right PIN forgets all. Not kept across restarts of the kiosk (a
restart needs access to the box, which is more than the PIN protects).

No Textual here: the rule is plain code, tested on its own and through the app.
"""
from __future__ import annotations

import hmac
import time
from collections.abc import Callable

FREE_TRIES = 5  # wrong PINs in a row until the first lock
FIRST_LOCK_SECONDS = 60.0
MAX_LOCK_SECONDS = 15 * 60.0


class PinGuard:
    """Counts wrong PINs and says how long the pad stays locked. `clock` is replaceable in tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.failures = 0
        self._locked_until = 0.0

    def locked_for(self) -> float:
        """Seconds until the pad takes a PIN again; 0 when it is open."""
        return max(0.0, self._locked_until - self.clock())

    def lock_seconds(self, failures: int) -> float:
        """How long the `failures`-th wrong PIN in a row locks the pad (0: not at all)."""
        if failures < FREE_TRIES:
            return 0.0
        return min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** min(failures - FREE_TRIES, 20))

    def check(self, entered: str, pin: str) -> bool | None:
        """True: the right PIN. False: wrong (counted, may lock). None: locked, nothing was tried."""
        if self.locked_for() > 0:
            return None
        if pin and hmac.compare_digest(entered.encode(), pin.encode()):
            self.failures = 0
            self._locked_until = 0.0
            return True
        self.failures += 1
        lock = self.lock_seconds(self.failures)
        if lock:
            self._locked_until = self.clock() + lock
        return False
