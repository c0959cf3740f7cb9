"""`kiosk-sync report`: the day totals of this kiosk, sent to the central team, plus a heartbeat.

Each finished day becomes one report (JSON, see README "Usage counts"). It is built once and kept
in the statistics file's `outbox` table before anything is sent, in a transaction written with
`synchronous = FULL`: a crash or power cut loses nothing, and a retry sends the very same bytes.
Each report carries an idempotency key (kiosk and day), as a header and in the body, so a report
that reached the server although the kiosk never heard the answer is recognised there, not counted
twice. A failed send waits longer each time (1 min, 2, 4 … at most 6 h, with some jitter) before
the next `kiosk-sync report` tries it again; the systemd timer runs it after every pull
attempt (deploy/kiosk-sync.service, every five minutes).

The heartbeat part says how the kiosk itself is: version, catalogue age and last sync result,
voice, sound and printer, so the central team sees which places need a visit. No Textual here.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from sync.errors import clean_message

from .statistics import Statistics, connect, day_summary, days_with_counts

if TYPE_CHECKING:
    from .config import Settings

FORMAT = "dritte-orte-kiosk-report/1"
FIRST_WAIT = 60.0          # seconds before the first retry
MAX_WAIT = 6 * 3600.0      # longest wait between two tries
SEND_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
KEEP_SENT_DAYS = 400       # sent reports are kept this long (so a day is never built twice)


def kiosk_name(settings: Settings) -> str:
    """The kiosk's name in its reports: `[statistics] kiosk_id`, else made from town and place."""
    if settings.statistics.kiosk_id:
        return settings.statistics.kiosk_id
    text = unicodedata.normalize("NFKD", f"{settings.place.town}-{settings.place.name}")
    text = text.replace("ß", "ss").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64] or "kiosk"


def idempotency_key(kiosk: str, day: str) -> str:
    return f"{kiosk}/{day}"


# --- the heartbeat ---------------------------------------------------------------------------------

def _version() -> str:
    try:
        return metadata.version("dritte-orte-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


def catalogue_state(db: Path, today: date) -> dict[str, Any]:
    """Offers, age in days and the last sync result of the catalogue file."""
    from sync.catalogue import Catalogue
    from sync.errors import SyncError

    if not db.exists():
        return {"offers": 0, "age_days": None, "last_success": None, "last_sync": "no catalogue yet"}
    try:
        with Catalogue(db) as cat:
            st = cat.status()
    except (SyncError, sqlite3.Error, OSError) as exc:
        return {"offers": None, "age_days": None, "last_success": None,
                "last_sync": f"catalogue cannot be read: {clean_message(exc)}"}
    age = None
    if st.last_success:
        try:
            age = max(0, (today - datetime.fromisoformat(st.last_success).date()).days)
        except ValueError:
            age = None
    failed = st.last_error and (not st.last_success or (st.last_error_at or "") > st.last_success)
    return {"offers": st.offers, "age_days": age, "last_success": st.last_success,
            "last_sync": f"failed: {st.last_error}" if failed else ("ok" if st.last_success else "never synced")}


def voice_state(settings: Settings) -> str:
    backend = settings.speech.backend
    if backend == "none":
        return "off"
    if backend == "espeak-ng":
        return "ok" if shutil.which("espeak-ng") else "espeak-ng is not installed"
    try:
        import pyttsx3  # noqa: F401
    except ImportError:
        return "pyttsx3 is not installed"
    return "ok"


def sound_state(cards: Path = Path("/proc/asound/cards")) -> str:
    try:
        text = cards.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no sound system (ALSA) found"
    return "ok" if re.search(r"^\s*\d+\s+\[", text, re.M) else "no sound card"


def printer_state(settings: Settings) -> str:
    ps = settings.printer
    if ps.backend == "none":
        return "off"
    if ps.backend == "cups":
        if not shutil.which("lpstat"):
            return "CUPS is not installed"
        try:
            done = subprocess.run(["lpstat", "-p", ps.cups_queue], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"lpstat failed: {exc}"
        text = " ".join((done.stdout or done.stderr).split())
        if done.returncode != 0:
            return f"queue {ps.cups_queue}: {text or 'not found'}"
        return "ok" if "disabled" not in text else f"queue {ps.cups_queue} is disabled"
    kind, _, where = ps.escpos_device.partition(":")
    if kind in ("file", "serial"):
        device = where.split(":")[0]
        return "ok" if Path(device).exists() else f"device {device} not found"
    return f"{kind} printer configured (not checked)"


def heartbeat(settings: Settings, today: date) -> dict[str, Any]:
    return {"version": _version(), "catalogue": catalogue_state(settings.catalogue.database, today),
            "voice": voice_state(settings), "sound": sound_state(), "printer": printer_state(settings)}


# --- building and queueing --------------------------------------------------------------------------

def build_report(settings: Settings, stats: Statistics, day: str, beat: dict[str, Any],
                 offer_names: Callable[[list[str]], dict[str, str]] | None = None) -> dict[str, Any]:
    kiosk = kiosk_name(settings)
    counts = day_summary(stats.totals(date.fromisoformat(day)))
    ids = sorted({i for kind in counts["offers"].values() for i in kind})
    return {"format": FORMAT, "kiosk": kiosk, "idempotency_key": idempotency_key(kiosk, day), "day": day,
            "place": settings.place.name, "town": settings.place.town, "k": stats.k, "counts": counts,
            "offer_names": offer_names(ids) if offer_names and ids else {}, "heartbeat": beat}


def _offer_names(db: Path) -> Callable[[list[str]], dict[str, str]]:
    def names(ids: list[str]) -> dict[str, str]:
        from sync.catalogue import Catalogue

        try:
            with Catalogue(db) as cat:
                return {s.id: s.name for s in cat.summaries(ids)}
        except Exception:  # noqa: BLE001 - names are a courtesy; the ids are in the report anyway
            return {}
    return names


def queue_reports(settings: Settings, stats: Statistics, today: date) -> list[str]:
    """Build the reports of finished days not yet queued (yesterday always: the heartbeat). New days."""
    path = stats.path
    assert path is not None
    wanted = set(days_with_counts(path, today)) | {(today - timedelta(days=1)).isoformat()}
    conn = connect(path)
    try:
        have = {r[0] for r in conn.execute("SELECT day FROM outbox")}
    finally:
        conn.close()
    new = sorted(wanted - have)
    if not new:
        return []
    beat = heartbeat(settings, today)
    names = _offer_names(settings.catalogue.database)
    kiosk = kiosk_name(settings)
    rows = [(day, idempotency_key(kiosk, day),
             json.dumps(build_report(settings, stats, day, beat, names), ensure_ascii=False, sort_keys=True))
            for day in new]
    conn = connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR IGNORE INTO outbox (day, idempotency_key, body) VALUES (?, ?, ?)", rows)
        cutoff = (today - timedelta(days=KEEP_SENT_DAYS)).isoformat()
        conn.execute("DELETE FROM outbox WHERE sent_at IS NOT NULL AND day < ?", (cutoff,))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return new


# --- sending ------------------------------------------------------------------------------------------

@dataclass
class SendOutcome:
    sent: list[str] = field(default_factory=list)          # days the server has now
    failed: list[tuple[str, str]] = field(default_factory=list)  # (day, why) still queued
    waiting: list[tuple[str, str]] = field(default_factory=list)  # (day, next try) not tried yet

    @property
    def ok(self) -> bool:
        return not self.failed


def backoff(attempts: int, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most 6 h, -25 % jitter."""
    wait = min(MAX_WAIT, FIRST_WAIT * 2 ** max(0, attempts - 1))
    return wait * (0.75 + 0.25 * rand())


def _why(exc: Exception) -> str:
    from sync.transport import Deadline, _describe_error

    return _describe_error(exc, used=SEND_TIMEOUT, base=SEND_TIMEOUT, deadline=Deadline(3600))


def send_queued(path: Path, url: str, *, now: datetime | None = None, force: bool = False,
                transport: httpx.BaseTransport | None = None,
                rand: Callable[[], float] = random.random) -> SendOutcome:
    """POST every queued report whose time has come (all with `force`), oldest first."""
    now = now or datetime.now(UTC)
    out = SendOutcome()
    conn = connect(path)
    try:
        queued = conn.execute("SELECT day, idempotency_key, body, attempts, next_try FROM outbox "
                              "WHERE sent_at IS NULL ORDER BY day").fetchall()
    finally:
        conn.close()
    if not queued:
        return out
    from sync.transport import make_client

    with make_client(transport=transport, timeout=SEND_TIMEOUT) as client:
        for day, key, body, attempts, next_try in queued:
            if not force and next_try and next_try > now.isoformat():
                out.waiting.append((day, next_try))
                continue
            why = None
            try:
                response = client.post(url, content=body.encode("utf-8"), headers={
                    "Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key})
                # 409: the server has this key already (the answer to an earlier try was lost).
                if not (200 <= response.status_code < 300 or response.status_code == 409):
                    why = f"HTTP {response.status_code} {response.reason_phrase}".strip()
            except httpx.HTTPError as exc:
                why = _why(exc)
            conn = connect(path)
            try:
                if why is None:
                    conn.execute("UPDATE outbox SET sent_at = ?, last_error = NULL WHERE day = ?",
                                 (now.isoformat(timespec="seconds"), day))
                    out.sent.append(day)
                else:
                    wait = backoff(attempts + 1, rand)
                    later = (now + timedelta(seconds=wait)).isoformat(timespec="seconds")
                    conn.execute("UPDATE outbox SET attempts = attempts + 1, next_try = ?, last_error = ? "
                                 "WHERE day = ?", (later, clean_message(why, 300), day))
                    out.failed.append((day, clean_message(why, 300)))
            finally:
                conn.close()
    return out


def outbox(path: Path) -> list[dict[str, Any]]:
    """Every queued or sent report, oldest first (for `kiosk-sync report --list` and the tests)."""
    conn = connect(path)
    try:
        return [{"day": d, "idempotency_key": k, "attempts": a, "next_try": n, "sent_at": s, "last_error": e}
                for d, k, a, n, s, e in conn.execute(
                    "SELECT day, idempotency_key, attempts, next_try, sent_at, last_error FROM outbox ORDER BY day")]
    finally:
        conn.close()


def report(settings: Settings, *, today: date, now: datetime | None = None, force: bool = False,
           transport: httpx.BaseTransport | None = None) -> tuple[list[str], SendOutcome]:
    """Queue the finished days and send what is due. Raises ValueError when reports are not set up."""
    st = settings.statistics
    if not st.enabled:
        raise ValueError("statistics are switched off ([statistics] enabled = false): nothing to report")
    if not st.report_url:
        raise ValueError("no report URL: set [statistics] report_url in the settings")
    stats = Statistics(st.path, k=st.min_search_count, today=lambda: today)
    new = queue_reports(settings, stats, today)
    return new, send_queued(st.path, st.report_url, now=now, force=force, transport=transport)
