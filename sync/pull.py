"""One sync: read a feed (HSDS API, static snapshot or local file), check it, and make it live.

Every path ends in `store.apply_staging`, the single transaction that swaps the catalogue. Anything
that goes wrong before it (unreachable feed, broken JSON, too few offers, a killed process) leaves
the last good catalogue untouched and is written to the catalogue's `last_error` for the operator.
"""
from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import ijson

from . import feed, jsonstream, store
from .errors import FeedError, FeedRejected, StoreError, SyncBusy, SyncError
from .hsds import OfferRecord, RecordError, normalise_service, normalise_term

BATCH = 500
SNAPSHOT_SUFFIXES = (".json", ".gz", ".ndjson", ".jsonl")


@dataclass
class SyncOptions:
    """Knobs of one sync; the CLI fills them from kiosk.toml's [catalogue] section."""

    timeout_seconds: float = 300.0
    per_page: int = 200
    min_keep_ratio: float = 0.5
    guard_min_offers: int = 20
    feed_kind: str = "auto"
    # Called from the syncing thread with the number of records read so far (every few hundred),
    # so a volunteer watching "sync now" sees it move.
    progress: Callable[[int], None] | None = field(default=None, compare=False, repr=False)


@dataclass
class SyncReport:
    """What one sync did, in terms an operator can read."""

    source: str
    mode: str = "full"  # "full", "delta" or "not-modified"
    received: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    removed: int = 0
    before: int = 0
    after: int = 0

    def summary(self) -> str:
        if self.mode == "not-modified":
            return f"{self.source}: unchanged since the last sync ({self.after} offers)."
        text = (f"{self.source}: {self.mode} sync, {self.received} records read, "
                f"{len(self.skipped)} skipped; visible offers {self.before} -> {self.after}")
        if self.removed:
            text += f", {self.removed} removed"
        return text + "."


class _Collector:
    """Normalises raw services into the staging file in batches, noting bad records."""

    def __init__(self, staging: store.Staging, report: SyncReport,
                 progress: Callable[[int], None] | None = None) -> None:
        self.staging, self.report, self.batch, self.progress = staging, report, [], progress

    def add(self, raw: object, where: str) -> None:
        self.report.received += 1
        try:
            rec: OfferRecord = normalise_service(raw)
        except RecordError as exc:
            self.report.skipped.append(f"{where}: {exc}")
            return
        rec.where = where
        self.report.warnings += [f"{where}: {w}" for w in rec.warnings]
        self.batch.append(rec)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.staging.add(self.batch)
        self.report.skipped += self.staging.take_notes()  # duplicated ids: the older record is skipped
        self.batch = []
        if self.progress is not None:
            self.progress(self.report.received)


def iter_file_services(path: Path) -> Iterator[tuple[object, str]]:
    """Yield (raw service, where) from a JSON array, an HSDS page document, one service, or NDJSON.

    `.gz` files are recognised by their magic bytes. Large arrays are streamed with ijson, so memory
    stays flat. A file that is not JSON or ends early raises FeedRejected naming the file.
    """
    name = str(path)
    try:
        with feed.open_maybe_gzip(path) as fh:
            first = _first_char(fh)
            if first is None:
                raise FeedRejected(name, "the file is empty")
            if first == b"[":
                fh.seek(0)
                for i, item in enumerate(jsonstream.items(fh, "item")):
                    yield item, f"{name} record #{i + 1}"
                return
            if first != b"{":
                raise FeedRejected(name, f"not JSON: starts with {first!r}, expected '[' or '{{'")
            fh.seek(0)
            line = fh.readline()
            try:
                head = json.loads(line)
            except (ValueError, RecursionError):
                head = None
            if isinstance(head, dict) and "contents" not in head:
                yield from _ndjson(fh, head, name)
                return
            fh.seek(0)
            keys = jsonstream.top_level_keys(fh)
            fh.seek(0)
            if "contents" in keys:
                for i, item in enumerate(jsonstream.items(fh, "contents.item")):
                    yield item, f"{name} contents #{i + 1}"
            elif "id" in keys or "name" in keys:
                yield json.load(fh), f"{name}"
            else:
                raise FeedRejected(name, "an object that is neither an HSDS page (no 'contents') nor a service")
    except ijson.JSONError as exc:
        raise FeedRejected(name, f"not valid JSON (truncated or broken): {exc}") from exc
    except (OSError, EOFError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FeedRejected(name, f"cannot read the file: {exc}") from exc


def _first_char(fh) -> bytes | None:
    while True:
        c = fh.read(1)
        if not c:
            return None
        if c == b"\xef":  # UTF-8 byte order mark
            fh.read(2)
            continue
        if not c.isspace():
            return c


def _ndjson(fh, head: dict, name: str) -> Iterator[tuple[object, str]]:
    yield head, f"{name} line 1"
    for number, line in enumerate(fh, start=2):
        if not line.strip():
            continue
        try:
            yield json.loads(line), f"{name} line {number}"
        except RecursionError:  # nested thousands deep: ijson builds it without recursion, and
            # the record check refuses it by id and field
            yield next(jsonstream.items(io.BytesIO(line), ""), None), f"{name} line {number}"
        except ValueError as exc:
            yield {"__broken__": str(exc)}, f"{name} line {number} (not JSON: {exc})"


def _guard(options: SyncOptions, source: str):
    def check(old: int, new: int) -> None:
        if new == 0 and old > 0:
            raise FeedRejected(source, f"the feed has no visible offers (we have {old}); kept the old catalogue")
        if old >= options.guard_min_offers and new < old * options.min_keep_ratio:
            raise FeedRejected(
                source,
                f"the feed would leave {new} visible offers where we have {old} "
                f"(below min_keep_ratio {options.min_keep_ratio}); kept the old catalogue",
            )
    return check


def _finish(conn, staging, report: SyncReport, options: SyncOptions, *, full: bool, removed=(),
            meta: dict[str, str | None]) -> SyncReport:
    if full and report.received and not staging.ids:
        raise FeedRejected(report.source, f"none of the {report.received} records is usable "
                                          f"(first problem: {report.skipped[0] if report.skipped else '?'})")
    if full and report.received == 0:
        raise FeedRejected(report.source, "the feed holds no services")
    last_report = {"skipped": report.skipped[:200], "warnings": report.warnings[:200]}
    meta = {**meta, "last_success": store.now_iso(), "source": report.source, "last_error": None,
            "last_error_at": None, "last_error_source": None, "last_mode": report.mode,
            "last_report": json.dumps(last_report, ensure_ascii=False)}
    report.before, report.after = store.apply_staging(
        conn, staging, full=full, removed=removed, meta=meta, check=_guard(options, report.source))
    return report


def import_file(path: Path, db_path: Path, options: SyncOptions | None = None) -> SyncReport:
    """Replace the catalogue with the services in a local file."""
    options = options or SyncOptions()
    source = str(path)
    if not path.is_file():
        raise FeedRejected(source, "no such file")
    return _run(db_path, source, lambda conn, staging, report: _from_file(conn, staging, report, options, path))


def _from_file(conn, staging, report, options, path: Path, meta: dict | None = None) -> SyncReport:
    collector = _Collector(staging, report, options.progress)
    for raw, where in iter_file_services(path):
        if isinstance(raw, dict) and "__broken__" in raw:
            report.received += 1
            report.skipped.append(where)
            continue
        collector.add(raw, where)
    collector.flush()
    return _finish(conn, staging, report, options, full=True, meta=meta or {"etag": None, "api_base": None})


def pull(feed_url: str, db_path: Path, options: SyncOptions | None = None, *, transport=None) -> SyncReport:
    """Sync from an HSDS API base URL, a snapshot URL, or a local path, by `options.feed_kind`."""
    options = options or SyncOptions()
    kind = options.feed_kind
    parts = urlsplit(feed_url)
    if parts.scheme in ("", "file"):
        return import_file(Path(parts.path if parts.scheme == "file" else feed_url), db_path, options)
    if parts.scheme not in ("http", "https"):
        raise FeedRejected(feed_url, "the feed must be an http(s) URL or a file path")
    if kind == "auto":
        kind = "snapshot" if parts.path.lower().endswith(SNAPSHOT_SUFFIXES) else "api"

    def work(conn, staging, report):
        with feed.make_client(transport=transport) as client:
            deadline = feed.Deadline(options.timeout_seconds)
            if kind == "snapshot":
                return _from_snapshot(conn, staging, report, options, client, deadline, feed_url)
            return _from_api(conn, staging, report, options, client, deadline, feed_url.rstrip("/"))

    return _run(db_path, feed_url, work)


def _run(db_path: Path, source: str, work) -> SyncReport:
    """Open the store and a staging file, run `work`, and record a failure in words if it fails."""
    report = SyncReport(source=source)
    conn = store.open_live(db_path, repairs=report.warnings)  # a damaged file is rebuilt, and said so
    staging = None
    try:
        with store.sync_lock(db_path):
            staging = store.Staging(db_path)
            return work(conn, staging, report)
    except SyncBusy:
        raise  # the other sync will record its own outcome
    except SyncError as exc:
        failure: SyncError = exc
    except (OSError, sqlite3.Error) as exc:  # disk full, permissions: the transaction was rolled back
        failure = StoreError(f"{db_path}: {exc}")
        failure.__cause__ = exc
    finally:
        if staging is not None:
            staging.close()
        conn.close()
    store.record_failure(db_path, source, str(failure))
    raise failure


def _from_snapshot(conn, staging, report, options, client, deadline, url: str) -> SyncReport:
    meta = store.read_meta(conn)
    etag = meta.get("etag") if meta.get("source") == url else None
    fd, tmp = tempfile.mkstemp(prefix="snapshot-", suffix=".download", dir=staging.path.parent)
    os.close(fd)
    try:
        result = feed.fetch_snapshot(url, client=client, deadline=deadline, etag=etag, dest=Path(tmp))
        if result.not_modified:
            report.mode = "not-modified"
            report.before = report.after = store.count_visible(conn)
            store.write_meta(conn, {"last_success": store.now_iso(), "last_error": None, "last_error_at": None,
                                    "last_error_source": None, "last_mode": report.mode})
            return report
        return _from_file(conn, staging, report, options, Path(tmp),
                          meta={"etag": result.etag, "api_base": None, "next_modified_after": None})
    except FeedRejected as exc:
        raise FeedRejected(url, exc.reason) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)


def _from_api(conn, staging, report, options, client, deadline, base: str) -> SyncReport:
    meta = store.read_meta(conn)
    since = meta.get("next_modified_after") if meta.get("api_base") == base else None
    collector = _Collector(staging, report, options.progress)
    server_date = None
    for page in feed.iter_service_pages(base, client=client, deadline=deadline, per_page=options.per_page,
                                        modified_after=since):
        server_date = server_date or page.server_date
        for i, raw in enumerate(page.services):
            collector.add(raw, f"{base}/services page {page.number} item #{i + 1}")
    collector.flush()
    try:
        terms = feed.fetch_taxonomy_terms(base, client=client, deadline=deadline, per_page=options.per_page)
    except FeedError as exc:  # the endpoint is optional in HSDS: use the terms inside the services
        report.warnings.append(f"taxonomy terms not read: {exc}")
        terms = None
    if terms:
        staging.add_categories(t for t in map(normalise_term, terms) if t)
    next_meta = {"api_base": base, "etag": None, "next_modified_after": _iso_from_http_date(server_date)}
    if since is None:
        return _finish(conn, staging, report, options, full=True, meta=next_meta)
    report.mode = "delta"
    live_ids = {row[0] for row in conn.execute("SELECT id FROM offers")}
    current = feed.fetch_minimal_ids(base, client=client, deadline=deadline, per_page=10000)
    removed = live_ids - current - staging.ids
    report.removed = len(removed)
    return _finish(conn, staging, report, options, full=False, removed=removed, meta=next_meta)


def _iso_from_http_date(value: str | None) -> str:
    """The server's own clock as ISO text (so a wrong kiosk clock cannot skip changes)."""
    from email.utils import parsedate_to_datetime

    if value:
        try:
            return parsedate_to_datetime(value).isoformat()
        except (TypeError, ValueError):
            pass
    return store.now_iso()


__all__ = ["SyncOptions", "SyncReport", "import_file", "pull", "iter_file_services", "FeedError"]
