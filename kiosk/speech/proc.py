"""The child-process machinery of read-aloud: utterances as process chains that never block the UI.

Every utterance runs in child processes, never in the kiosk process (DESIGN.md section 7).
Children get stdin/stdout from /dev/null and stderr into a temporary file, and lead their own
session: no controlling terminal, so nothing can print onto the kiosk screen. Stopping signals the
whole process group: SIGTERM at once, SIGKILL 0.5 s later. One daemon thread per utterance reaps
it and reports failures afterwards, each a `SpeechProblem` with its reason code. The engines in
`kiosk.speech.engines` build on `_Speaker`.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..config import SpeechSettings
from ..services import SpeechError, SpeechProblem, SpeechProblemHandler
from .spoken import speakable

MAX_CHARS = 10_000  # far more than any screen; keeps the command line below the kernel's limit
KILL_AFTER = 0.5  # seconds between SIGTERM and SIGKILL

ErrorHandler = SpeechProblemHandler
Procs = list[subprocess.Popen]
Logs = list[IO[bytes]]


def _prepare(text: str, language: str, normalise: bool) -> str:
    text = speakable(text, language) if normalise else " ".join(text.replace("\x00", " ").split())
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0]


def _seconds(text: str, rate: int) -> float:
    """A generous bound for speaking `text`; an engine still running after it hangs."""
    return 30 + 3 * 60 * max(1, len(text.split())) / max(rate, 80)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    """Signal `proc` and what it started (aplay under pyttsx3); it leads its own process group."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, sig)
        elif proc.poll() is None:
            proc.terminate()  # Windows: no groups, no SIGKILL
    except OSError:  # already gone
        pass


def _tail(data: bytes | IO[bytes]) -> str:
    """The last line a child wrote to stderr (its reason), or ""."""
    if not isinstance(data, bytes):
        data.seek(0)
        data = data.read(16384)
    lines = data.decode("utf-8", "replace").strip().splitlines()
    return lines[-1].strip() if lines else ""


def _run_blocking(cmd: Sequence[str], timeout: float, input: bytes | None = None,
                  env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """subprocess.run, but a timeout kills the whole process group. Raises SpeechError (process_failed)."""
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
    except OSError as exc:
        raise SpeechError(SpeechProblem(f"could not start {Path(cmd[0]).name}: {exc.strerror or exc}")) from exc
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _signal_group(proc, signal.SIGKILL)
        proc.communicate()
        raise SpeechError(SpeechProblem(f"{Path(cmd[0]).name} did not finish within {timeout:.0f} s")) from None
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


Spawn = Callable[[], tuple[Procs, Logs]]
Outcome = Callable[[Procs, Logs], "SpeechProblem | None"]


@dataclass(frozen=True)
class Segment:
    """One part of an utterance as it is spoken: normalised text, its language, the voice used."""

    text: str
    language: str
    voice: str


class _Run:
    """One utterance: its steps (one per voice) played one after another, and the daemon thread
    that reaps each step's processes and starts the next. Cancelling ends the whole chain."""

    def __init__(self, procs: Procs, logs: Logs, seconds: float, sweep: bool,
                 outcome: Outcome, finished: Callable[[_Run, SpeechProblem | None], None],
                 then: Sequence[tuple[Spawn, Outcome]] = (), ended: Callable[[], None] | None = None):
        self.procs, self.logs, self.sweep = procs, logs, sweep  # of the step playing now
        self.deadline = time.monotonic() + seconds
        self.cancelled, self.done = threading.Event(), threading.Event()
        self.timed_out = False
        self._outcome, self._finished = outcome, finished
        self._then, self._ended = list(then), ended
        self._lock = threading.Lock()  # cancel() and starting the next step exclude each other
        threading.Thread(target=self._reap, name="speech-reaper", daemon=True).start()

    def cancel(self) -> None:
        """Non-blocking: SIGTERM now; the reaper follows up with SIGKILL and starts no next step."""
        with self._lock:
            if self.cancelled.is_set():
                return
            self.cancelled.set()
            procs = list(self.procs)
        for p in procs:
            _signal_group(p, signal.SIGTERM)

    def _step_outcome(self) -> SpeechProblem | None:
        try:
            return self._outcome(self.procs, self.logs)
        except Exception as exc:  # noqa: BLE001 - a report must never kill the reaper silently
            return SpeechProblem(f"speech failed: {exc}")

    def _next(self) -> tuple[bool, SpeechProblem | None]:
        """Start the next step: (started, error). Not started when cancelled or none is left."""
        with self._lock:
            if self.cancelled.is_set() or not self._then:
                return False, None
            spawn, self._outcome = self._then.pop(0)
            for log in self.logs:
                log.close()
            try:
                self.procs, self.logs = spawn()
            except OSError as exc:
                self.procs, self.logs = [], []
                return False, SpeechProblem(f"could not start speaking: {exc.strerror or exc}")
            return True, None

    def _reap(self) -> None:
        cancelled_at: float | None = None
        error: SpeechProblem | None = None
        while True:
            alive = [p for p in self.procs if p.poll() is None]
            now = time.monotonic()
            if now > self.deadline and not self.cancelled.is_set():
                self.timed_out = True
                self.cancel()
            if self.cancelled.is_set():
                cancelled_at = cancelled_at or now
                if not alive or now - cancelled_at >= KILL_AFTER:
                    # sweep: pyttsx3's aplay may outlive its worker; the group signal still reaches it.
                    for p in self.procs if self.sweep else alive:
                        _signal_group(p, getattr(signal, "SIGKILL", signal.SIGTERM))
                    for p in alive:
                        try:
                            p.wait(timeout=5)
                        except subprocess.TimeoutExpired:  # unkillable (stuck in the kernel)
                            pass
                    break
            elif not alive:
                error = self._step_outcome()
                if error is not None:
                    break
                started, error = self._next()
                if not started:
                    break
                continue
            self.cancelled.wait(0.05)
        if self.timed_out:
            error = SpeechProblem("speaking took far too long and was stopped", "too_long")
        elif self.cancelled.is_set():
            error = None
        for log in self.logs:
            log.close()
        self._finished(self, error)  # first, so last_error is set once `speaking` turns False
        self.done.set()
        if self._ended is not None:
            self._ended()


class _Speaker:
    """What both backends share: one utterance at a time, replaced by the next, stoppable."""

    def __init__(self, settings: SpeechSettings | None, normalise: bool, on_error: ErrorHandler | None):
        self.settings = settings or SpeechSettings()
        self.normalise = normalise  # apply spoken.speakable() to every text
        # Called on a reaper thread with the problem (English words, a reason code); keep it short
        # and hop to the UI thread (App.call_from_thread) before touching widgets.
        self.on_error = on_error
        # Called on the reaper thread once an utterance has ended (finished, failed, stopped or
        # replaced) and `speaking` tells the new state: a Read-aloud button shows "Stop" no more.
        self.on_done: Callable[[], None] | None = None
        self.last_error: SpeechProblem | None = None  # of the last utterance that ran to its end; None = fine
        # The segments of the last utterance started: what was (or is being) said, in which voice.
        self.last_utterance: tuple[Segment, ...] = ()
        self._lock = threading.Lock()
        self._run: _Run | None = None

    @property
    def speaking(self) -> bool:
        """True while an utterance runs (a Read-aloud button can stop on the second press)."""
        run = self._run
        return run is not None and not run.done.is_set() and not run.cancelled.is_set()

    def stop(self) -> None:
        """Stop speaking at once; never blocks (the reaper thread finishes the job)."""
        with self._lock:
            run, self._run = self._run, None
        if run is not None:
            run.cancel()

    close = stop  # when the app exits, so no voice outlives the kiosk

    def say(self, text: str, language: str) -> None:
        """Start speaking `text` in `language`'s voice, replacing what was being said; non-blocking.

        Raises SpeechError when the engine or the language's voice is missing."""
        self.say_parts([(text, language)])

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """Speak (text, language) parts one after another, each in its language's voice, as one
        utterance: it replaces what was being said and `stop()` ends all of it. Non-blocking.

        Raises SpeechError (and speaks nothing) when the engine or any part's voice is missing;
        callers that want the rest spoken leave such parts out (see `missing_voice_reason`)."""
        raise NotImplementedError

    def _segments(self, parts: Sequence[tuple[str, str]], voice: Callable[[str], str]) -> list[Segment]:
        """Parts normalised, empty ones dropped, neighbours with the same voice joined."""
        segments: list[Segment] = []
        for text, language in parts:
            text = _prepare(text, language, self.normalise)
            if not text:
                continue
            chosen = voice(language)
            if segments and segments[-1].voice == chosen:
                last = segments[-1]
                segments[-1] = Segment(_prepare(f"{last.text} {text}", last.language, False), last.language, chosen)
            else:
                segments.append(Segment(text, language, chosen))
        return segments

    def _start(self, steps: Sequence[tuple[Spawn, Outcome]], seconds: float, sweep: bool) -> None:
        with self._lock:  # held while spawning: of two concurrent says, exactly one keeps running
            if self._run is not None:
                self._run.cancel()
                self._run = None
            (spawn, outcome), *then = steps
            try:
                procs, logs = spawn()
            except OSError as exc:
                raise SpeechError(SpeechProblem(f"could not start speaking: {exc.strerror or exc}")) from exc
            self._run = _Run(procs, logs, seconds, sweep, outcome, self._finished, then, self._ended)

    def _ended(self) -> None:
        if self.on_done is not None:
            try:
                self.on_done()
            except Exception:  # noqa: BLE001, S110 - the UI's problem must not kill the reaper
                pass

    def _finished(self, run: _Run, error: SpeechProblem | None) -> None:
        if run.cancelled.is_set() and not run.timed_out:
            return  # stopped on purpose: says nothing about the audio
        self.last_error = error
        if error and self.on_error is not None:
            try:
                self.on_error(error)
            except Exception:  # noqa: BLE001 - the UI's problem must not kill the reaper
                pass
