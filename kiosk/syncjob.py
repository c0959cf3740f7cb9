""""Sync now" isolated from the kiosk: one child process per sync, bounded in time, CPU and memory.

A sync parses whatever a feed sends. A hostile or broken feed can raise anything (an integer too
large for SQLite, a 10,000-level nesting), loop at full CPU or grow memory; inside the kiosk's own
process that would crash or freeze the visitor's screen. So the kiosk never parses a feed itself:

* the child, ``python -m kiosk.syncjob``, reads one JSON request on stdin, limits its own memory and
  CPU time (``resource.setrlimit``), lowers its priority, runs ``sync.pull.pull`` and writes JSON
  lines on its stdout: ``{"progress": n}`` while reading, then ``{"report": {...}}`` or
  ``{"error": {"kind": ..., "source": ..., "reason": ...}}``. It has no terminal: it runs in a session
  of its own, stdin and stderr are pipes, so nothing it prints can reach the kiosk's screen;
* the parent, `run_sync`, starts it with asyncio (no thread, no GIL shared with the parse), reads the
  lines, kills the child's process group at the wall-clock limit, and turns every ending (a report,
  an error, a crash, a kill, running out of memory) into one `SyncOutcome`. Failures the child
  could not record itself are written to the catalogue's ``last_error`` for ``kiosk-sync status``.

This module must not import Textual: the child runs it without a screen.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.text import clean_text

# Ways a sync can end; the volunteer menu says each in words (kiosk.screens.volunteer.sync_words).
OK, NOT_MODIFIED = "ok", "not-modified"
UNREACHABLE, REJECTED, STORE, BUSY = "unreachable", "rejected", "store", "busy"
TIMEOUT, MEMORY, CRASHED, INTERNAL, NOT_STARTED = "timeout", "memory", "crashed", "internal", "not-started"

MAX_LINE = 1 << 20  # one protocol line; a report holds only counts and a few examples
MAX_DETAIL = 300  # characters of a technical detail kept for the volunteer menu
_STDERR_TAIL = 4096
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


@dataclasses.dataclass(frozen=True)
class SyncLimits:
    """Bounds of one sync child. `wall_seconds` None: the sync's own deadline plus a grace period."""

    wall_seconds: float | None = None
    memory_bytes: int = 1024 * 1024 * 1024  # address space; a 50,000-offer sync needs far less
    grace_seconds: float = 30.0  # beyond the sync's own deadline (it stops itself then)

    def wall(self, timeout_seconds: float) -> float:
        return self.wall_seconds if self.wall_seconds is not None else timeout_seconds + self.grace_seconds


@dataclasses.dataclass(frozen=True)
class SyncRequest:
    """Everything the child needs; sent as JSON on its stdin (no config file: tests build settings)."""

    feed_url: str
    database: str
    timeout_seconds: float = 300.0
    per_page: int = 200
    min_keep_ratio: float = 0.5
    guard_min_offers: int = 20
    feed_kind: str = "auto"


@dataclasses.dataclass(frozen=True)
class SyncOutcome:
    """How one sync ended. `detail` is the technical reason (English, cleaned, shortened)."""

    kind: str
    source: str = ""
    detail: str = ""
    before: int = 0
    after: int = 0
    received: int = 0
    skipped: int = 0
    removed: int = 0
    not_services: int = 0  # records that are other HSDS objects (organizations, taxonomy terms)
    notes: str = ""        # the sync's own words about them and its caution (English, cleaned)

    @property
    def ok(self) -> bool:
        return self.kind in (OK, NOT_MODIFIED)


def shorten(text: str, limit: int = MAX_DETAIL) -> str:
    """Outside text made safe to show: no control or escape characters, one paragraph, bounded."""
    text = " ".join(clean_text(str(text)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the parent side ---------------------------------------------------------------------------


async def run_sync(request: SyncRequest, limits: SyncLimits = SyncLimits(),
                   on_progress: Callable[[int], None] | None = None) -> SyncOutcome:
    """Run one sync in a child process; never raises (except CancelledError, after killing it)."""
    wall = limits.wall(request.timeout_seconds)
    env = {**os.environ, "MALLOC_ARENA_MAX": "2", "PYTHONIOENCODING": "utf-8",
           "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH")) if p)}
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kiosk.syncjob", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, limit=MAX_LINE,
            start_new_session=True, env=env, close_fds=True)
    except OSError as exc:
        return SyncOutcome(NOT_STARTED, request.feed_url, shorten(f"cannot start the sync process: {exc}"))
    stdin, stdout, stderr = proc.stdin, proc.stdout, proc.stderr
    assert stdin is not None and stdout is not None and stderr is not None  # all three are pipes
    message = {**dataclasses.asdict(request), "cpu_seconds": int(wall) + 1, "memory_bytes": limits.memory_bytes}
    result: dict[str, Any] | None = None
    tail = bytearray()

    async def read_stdout() -> None:
        nonlocal result
        while True:
            try:
                line = await stdout.readline()
            except ValueError:  # a line beyond MAX_LINE: not our child's protocol
                continue
            if not line:
                return
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("progress"), int) and on_progress is not None:
                on_progress(item["progress"])
            elif isinstance(item.get("report"), dict) or isinstance(item.get("error"), dict):
                result = item

    async def read_stderr() -> None:
        while chunk := await stderr.read(65536):
            tail.extend(chunk)
            del tail[:-_STDERR_TAIL]

    tasks: list[asyncio.Future[Any]] = [asyncio.ensure_future(read_stdout()), asyncio.ensure_future(read_stderr())]
    try:
        with contextlib.suppress(OSError):  # a child dead at once: its exit status tells
            stdin.write(json.dumps(message).encode("utf-8"))
            await stdin.drain()
            stdin.close()
        tasks.append(asyncio.ensure_future(proc.wait()))
        _done, pending = await asyncio.wait(tasks, timeout=wall)
        timed_out = bool(pending)
    finally:
        # Killed at the bound, or the kiosk is closing (cancelled): no sync outlives its kiosk. After
        # the kill the readers end at EOF; gathering them keeps their ends from being reported.
        if proc.returncode is None:
            _kill(proc.pid)
        await asyncio.shield(asyncio.gather(*tasks, proc.wait(), return_exceptions=True))
    outcome = _outcome(request, result, proc.returncode, bytes(tail), timed_out, wall)
    if not outcome.ok and result is None:
        # The child did not get to record this itself (killed, crashed): note it for `status`.
        await asyncio.to_thread(_record_failure, request, outcome)
    return outcome


def _kill(pid: int) -> None:
    """Kill the child's own process group (it is a session leader: nothing else is in it)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _outcome(request: SyncRequest, result: dict[str, Any] | None, status: int | None, stderr: bytes,
             timed_out: bool, wall: float) -> SyncOutcome:
    source = request.feed_url
    if timed_out:
        return SyncOutcome(TIMEOUT, source, f"the sync took longer than {wall:g} s and was stopped")
    if result is not None and isinstance(result.get("report"), dict):
        report = result["report"]

        def number(key: str) -> int:
            value = report.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else 0

        kind = NOT_MODIFIED if report.get("mode") == "not-modified" else OK
        notes = report.get("notes") if isinstance(report.get("notes"), str) else ""
        return SyncOutcome(kind, shorten(report.get("source") or source), "", number("before"), number("after"),
                           number("received"), number("skipped"), number("removed"), number("not_services"),
                           shorten(notes))
    if result is not None:
        error = result["error"]
        kind = error.get("kind") if error.get("kind") in (UNREACHABLE, REJECTED, STORE, BUSY, MEMORY,
                                                          INTERNAL) else INTERNAL
        return SyncOutcome(kind, shorten(error.get("source") or source), shorten(error.get("reason") or ""))
    text = stderr.decode("utf-8", "replace")
    if "MemoryError" in text or "Cannot allocate memory" in text:
        return SyncOutcome(MEMORY, source, "the sync ran out of memory")
    if status == -signal.SIGXCPU:
        return SyncOutcome(TIMEOUT, source, "the sync used up its CPU time and was stopped")
    last = next((line for line in reversed(text.strip().splitlines()) if line.strip()), "")
    why = f"killed by signal {-status}" if status is not None and status < 0 else f"exit status {status}"
    return SyncOutcome(CRASHED, source, shorten(f"the sync process ended without a result ({why})"
                                                + (f": {last}" if last else "")))


def _record_failure(request: SyncRequest, outcome: SyncOutcome) -> None:
    from sync import store

    store.record_failure(Path(request.database), request.feed_url, outcome.detail or outcome.kind)


# --- the child side ----------------------------------------------------------------------------


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    for which, value in ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, cpu_seconds)):
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, hard))
    with contextlib.suppress(OSError):
        os.nice(10)  # the kiosk's screen comes first on a small box


def child_main() -> int:
    """The child: one sync from the request on stdin; the protocol goes to the original stdout."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # anything else printed lands in the parent's stderr pipe, never in the protocol
    sys.stdout = sys.stderr

    def send(item: dict[str, Any]) -> None:
        protocol.write(json.dumps(item, ensure_ascii=True) + "\n")
        protocol.flush()

    request_data = json.loads(sys.stdin.read(1 << 16))
    _limit(int(request_data.pop("memory_bytes")), int(request_data.pop("cpu_seconds")))
    request = SyncRequest(**request_data)

    from sync import store
    from sync.errors import FeedRejected, FeedUnreachable, StoreError, SyncBusy, SyncError
    from sync.pull import SyncOptions, pull

    options = SyncOptions(timeout_seconds=request.timeout_seconds, per_page=request.per_page,
                          min_keep_ratio=request.min_keep_ratio, guard_min_offers=request.guard_min_offers,
                          feed_kind=request.feed_kind, progress=lambda n: send({"progress": n}))
    database = Path(request.database)

    def fail(kind: str, source: str, reason: str, *, record: bool = False) -> int:
        if record:  # the sync itself records its own SyncErrors; this one got past it
            store.record_failure(database, request.feed_url, reason)
        send({"error": {"kind": kind, "source": source, "reason": shorten(reason)}})
        return 1

    try:
        report = pull(request.feed_url, database, options)
    except FeedUnreachable as exc:
        return fail(UNREACHABLE, exc.source, exc.reason)
    except FeedRejected as exc:
        return fail(REJECTED, exc.source, exc.reason)
    except SyncBusy as exc:
        return fail(BUSY, request.feed_url, str(exc))
    except StoreError as exc:
        return fail(STORE, str(database), str(exc))
    except SyncError as exc:
        return fail(INTERNAL, request.feed_url, str(exc))
    except MemoryError:
        return fail(MEMORY, request.feed_url, "the sync ran out of memory", record=True)
    except RecursionError:
        return fail(REJECTED, request.feed_url, "a record is nested too deeply to be read", record=True)
    except Exception as exc:  # noqa: BLE001 - whatever a feed provokes becomes a sentence, not a traceback
        return fail(INTERNAL, request.feed_url,
                    f"the sync stopped on an unexpected {type(exc).__name__}: {exc}", record=True)
    send({"report": {"source": report.source, "mode": report.mode, "received": report.received,
                     "skipped": len(report.skipped), "removed": report.removed, "before": report.before,
                     "after": report.after, "not_services": sum(report.not_services.values()),
                     "notes": "; ".join([*report.not_service_lines(), *filter(None, [report.caution])])}})
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
