"""One sync: read a feed (HSDS API, static snapshot or local file), check it, and make it live.

Every path ends in `store.apply_staging`, the single transaction that swaps the catalogue. Anything
that goes wrong before it (unreachable feed, broken JSON, too few offers, a killed process) leaves
the last good catalogue untouched and is written to the catalogue's `last_error` for the operator.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import ijson

from . import feed, formats, jsondiag, jsonstream, removals, schema, store
from .errors import FeedError, FeedRejected, StoreError, SyncBusy, SyncError, clean_message
from .hsds import NOT_SERVICE_WORDS, OfferRecord, RecordError, normalise_service, normalise_term, record_kind

BATCH = 500
SNAPSHOT_SUFFIXES = (".json", ".gz", ".ndjson", ".jsonl")
#: A report line (a skipped record, a warning) is cut to this length.
MAX_REPORT_LINE = 500


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


class Lines(list):
    """Report lines that clean what they are given: record ids, field values and parser messages
    are outside text, so every line is made safe here, once, whoever appends it."""

    def append(self, item: object) -> None:
        super().append(clean_message(item, MAX_REPORT_LINE))

    def extend(self, items) -> None:
        super().extend(clean_message(i, MAX_REPORT_LINE) for i in items)

    def insert(self, index, item: object) -> None:
        super().insert(index, clean_message(item, MAX_REPORT_LINE))

    def __iadd__(self, items):  # type: ignore[misc]  # any iterable, as list's own += takes
        self.extend(items)
        return self


@dataclass
class SyncReport:
    """What one sync did, in terms an operator can read.

    `caution` is a warning about the sync as a whole (e.g. removals skipped because the server's id
    list could not be trusted); it is kept in the catalogue's status until the next good sync.
    """

    source: str
    mode: str = "full"  # "full", "delta" or "not-modified"
    received: int = 0
    skipped: list[str] = field(default_factory=Lines)
    warnings: list[str] = field(default_factory=Lines)
    removed: int = 0
    before: int = 0
    after: int = 0
    caution: str | None = None
    #: Records that are other HSDS objects (organizations, taxonomy terms, ...): kind -> how many,
    #: and where the first of each kind was.
    not_services: dict[str, int] = field(default_factory=dict)
    not_service_first: dict[str, str] = field(default_factory=dict)
    #: Offers whose opening hours are only words (a schedule with a description but no times).
    hours_as_text: int = 0

    def __post_init__(self) -> None:
        self.source = clean_message(self.source)

    def summary(self) -> str:
        if self.mode == "not-modified":
            return f"{self.source}: unchanged since the last sync ({self.after} offers)."
        text = (f"{self.source}: {self.mode} sync, {self.received} records read, "
                f"{len(self.skipped)} skipped; visible offers {self.before} -> {self.after}")
        if self.removed:
            text += f", {self.removed} removed"
        text += "."
        for line in self.not_service_lines():
            text += f" {line}."
        if self.hours_as_text:
            text += (f" Offers with opening hours only as text: {self.hours_as_text} (visitors see that text, "
                     f"never 'open now').")
        return text + (f" Warning: {self.caution}" if self.caution else "")

    def not_service_lines(self) -> list[str]:
        """"12 organizations skipped (not services), first: <where>", one line per kind."""
        lines = []
        for kind, count in self.not_services.items():
            one, many = NOT_SERVICE_WORDS.get(kind, (f"a {kind}", f"{kind} records"))
            what = f"1 record is {one}" if count == 1 else f"{count} {many}"
            lines.append(f"{what} skipped (not services; first: {self.not_service_first[kind]})")
        return lines

    def not_service_words(self) -> str:
        """"10 organizations and 1 taxonomy term": what the records were instead of services."""
        parts = []
        for kind, count in self.not_services.items():
            one, many = NOT_SERVICE_WORDS.get(kind, (f"a {kind}", f"{kind} records"))
            parts.append(one if count == 1 else f"{count} {many}")
        return " and ".join(parts)


class _Collector:
    """Normalises raw services into the staging file in batches, noting bad records."""

    def __init__(self, staging: store.Staging, report: SyncReport,
                 progress: Callable[[int], None] | None = None, *, keep_ids: bool = False) -> None:
        self.staging, self.report, self.progress = staging, report, progress
        self.batch: list[OfferRecord] = []
        # A delta keeps the id of every record it reads (None: none usable), see sync.removals.
        self.received: list[str | None] | None = [] if keep_ids else None

    def add(self, raw: object, where: str) -> None:
        self.report.received += 1
        if self.received is not None:
            offer_id = raw.get("id") if isinstance(raw, dict) else None
            self.received.append(offer_id if isinstance(offer_id, str) and offer_id else None)
        kind = record_kind(raw)
        if kind != "service":
            report = self.report
            report.not_services[kind] = report.not_services.get(kind, 0) + 1
            report.not_service_first.setdefault(kind, clean_message(where, MAX_REPORT_LINE))
            return
        try:
            rec: OfferRecord = normalise_service(raw)
        except RecordError as exc:
            self.report.skipped.append(f"{where}: {exc}")
            return
        rec.where = where
        if rec.schedules and all(not s["opens_at"] and not s["closes_at"] for s in rec.schedules) and \
                any(s["description"] or s["notes"] for s in rec.schedules):
            self.report.hours_as_text += 1
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


def iter_file_services(path: Path, name: str | None = None) -> Iterator[tuple[object, str]]:
    """Yield (raw service, where) from a JSON array, an HSDS page document, one service, or NDJSON.

    `name` is how messages call the file (default: its path; a downloaded snapshot: its URL).
    `.gz` files are recognised by their magic bytes. Large arrays are streamed with ijson, so memory
    stays flat. UTF-8 is expected; a byte-order mark is skipped, UTF-16/32 are decoded. A file that
    is not JSON, not UTF-8 or ends early raises FeedRejected naming the file, the byte offset or
    line, and the reason (never quoting the file's bytes).
    """
    name = name or str(path)
    try:
        with feed.open_maybe_gzip(path) as raw:
            encoding = jsondiag.detect_encoding(raw.read(4))
            raw.seek(0)
            fh = jsondiag.utf8_reader(raw, encoding)
            first = _first_char(fh)
            if first is None:
                raise FeedRejected(name, "the file is empty")
            if first == b"[":
                fh.seek(0)
                for i, item in enumerate(jsonstream.items(fh, "item")):
                    yield item, f"{name} record #{i + 1}"
                return
            if first != b"{":
                fh.seek(0)
                if formats.looks_like_csv(fh.readline(), path):
                    raise FeedRejected(name, formats.CSV_WORDS)
                shown = repr(first.decode()) if first.isascii() and first.decode().isprintable() else \
                    f"the byte 0x{first[0]:02X}"
                if encoding != "utf-8":
                    shown += f" (read as {jsondiag.encoding_words(encoding)})"
                raise FeedRejected(name, f"not JSON: it starts with {shown}, expected '[' or '{{'")
            fh.seek(0)
            line = fh.readline()
            try:
                head = json.loads(line)
            except (ValueError, RecursionError):
                head = None
            if isinstance(head, dict) and formats.is_data_package(head):
                raise FeedRejected(name, formats.PACKAGE_WORDS)
            if isinstance(head, dict) and "contents" not in head:
                yield from _ndjson(fh, head, name)
                return
            fh.seek(0)
            keys = jsonstream.top_level_keys(fh)
            fh.seek(0)
            if formats.is_data_package(dict.fromkeys(keys)):
                raise FeedRejected(name, formats.PACKAGE_WORDS)
            if "contents" in keys:
                for i, item in enumerate(jsonstream.items(fh, "contents.item")):
                    yield item, f"{name} contents #{i + 1}"
                fh.seek(0)
                partial = formats.partial_page(formats.top_level_scalars(fh))
                if partial:
                    yield {"__caution__": partial}, name
            elif "id" in keys or "name" in keys:
                yield json.load(fh), f"{name}"
            elif "openapi_url" in keys:
                raise FeedRejected(name, "this is the root document of an HSDS API, not services: give the API's "
                                         "base URL as the feed (the kiosk reads /services below it)")
            else:
                raise FeedRejected(name, "an object that is neither an HSDS page (no 'contents') nor a service")
    except ijson.JSONError as exc:
        raise FeedRejected(name, _diagnose(path, truncated="premature EOF" in str(exc))) from exc
    except UnicodeDecodeError as exc:
        raise FeedRejected(name, _diagnose(path, truncated=False)) from exc
    except json.JSONDecodeError as exc:
        raise FeedRejected(name, _diagnose(path, truncated=False)) from exc
    except EOFError as exc:
        raise FeedRejected(name, "the gzip file ends early (cut off before its end marker)") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise FeedRejected(name, f"the gzip data is damaged ({exc})") from exc
    except RecursionError as exc:
        raise FeedRejected(name, "not JSON the parser accepts: nested too deeply") from exc
    except (OSError, ValueError) as exc:
        raise FeedRejected(name, f"cannot read the file: {getattr(exc, 'strerror', None) or exc}") from exc


def _diagnose(path: Path, *, truncated: bool) -> str:
    try:
        return jsondiag.describe_stream(lambda: feed.open_maybe_gzip(path), truncated=truncated)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return f"not valid JSON (and the file could not be read again to say where: {exc})"


def _first_char(fh) -> bytes | None:
    while True:
        c = fh.read(1)
        if not c:
            return None
        if not c.isspace():
            return c


def _ndjson(fh, head: dict, name: str) -> Iterator[tuple[object, str]]:
    yield head, f"{name} line 1"
    for number, line in enumerate(fh, start=2):
        if not line.strip():
            continue
        try:
            yield json.loads(line), f"{name} line {number}"
        except UnicodeDecodeError:
            raise  # the file is not UTF-8: rejected as a whole, with the byte offset
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
    if full and report.received and not staging.count and sum(report.not_services.values()) == report.received:
        raise FeedRejected(report.source, f"this holds {report.not_service_words()}, not services: the kiosk "
                                          "reads HSDS 3 services (a /services page, an array of services or "
                                          "one service); kept the old catalogue")
    if full and report.received and not staging.count:
        raise FeedRejected(report.source, f"none of the {report.received} records is usable "
                                          f"(first problem: {report.skipped[0] if report.skipped else '?'})")
    if full and report.received == 0:
        raise FeedRejected(report.source, "the feed holds no services")
    last_report = {"skipped": report.skipped[:200], "warnings": report.warnings[:200],
                   "not_services": report.not_services, "not_service_lines": report.not_service_lines()}
    meta = {**meta, "last_success": schema.now_iso(), "source": report.source, "last_error": None,
            "last_error_at": None, "last_error_source": None, "last_mode": report.mode,
            "last_warning": report.caution,
            "last_report": json.dumps(last_report, ensure_ascii=False)}
    report.before, report.after = store.apply_staging(
        conn, staging, full=full, removed=removed, meta=meta, check=_guard(options, report.source))
    return report


def import_file(path: Path, db_path: Path, options: SyncOptions | None = None) -> SyncReport:
    """Replace the catalogue with the services in a local file."""
    options = options or SyncOptions()
    source = str(path)
    if path.is_dir():
        tables = any(path.glob("*.csv")) or (path / "datapackage.json").is_file()
        raise FeedRejected(source, formats.FOLDER_OF_TABLES_WORDS if tables else
                           "this is a folder, not a file: give the JSON file of services inside it")
    if not path.is_file():
        raise FeedRejected(source, "no such file")
    return _run(db_path, source, lambda conn, staging, report: _from_file(conn, staging, report, options, path))


def _from_file(conn, staging, report, options, path: Path, meta: dict | None = None,
               name: str | None = None) -> SyncReport:
    collector = _Collector(staging, report, options.progress)
    for raw, where in iter_file_services(path, name):
        if isinstance(raw, dict) and "__caution__" in raw:
            report.caution = raw["__caution__"]
            continue
        if isinstance(raw, dict) and "__broken__" in raw:
            report.received += 1
            report.skipped.append(where)
            continue
        collector.add(raw, where)
    collector.flush()
    return _finish(conn, staging, report, options, full=True,
                   meta=meta or {"etag": None, "api_base": None, **removals.not_api()})


def pull(feed_url: str, db_path: Path, options: SyncOptions | None = None, *, transport=None) -> SyncReport:
    """Sync from an HSDS API base URL, a snapshot URL, or a local path, by `options.feed_kind`."""
    options = options or SyncOptions()
    kind = options.feed_kind
    try:
        parts = urlsplit(feed_url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise FeedRejected(feed_url, f"not a valid URL ({exc})") from exc
    if parts.scheme in ("", "file"):
        return import_file(Path(parts.path if parts.scheme == "file" else feed_url), db_path, options)
    if parts.scheme not in ("http", "https"):
        raise FeedRejected(feed_url, "the feed must be an http(s) URL or a file path")
    if parts.path.lower().endswith(formats.TABLE_SUFFIXES):
        raise FeedRejected(feed_url, formats.CSV_WORDS.replace("a CSV table", "a table file") +
                           "; this address is not an HSDS 3 API base or JSON snapshot")
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
    with store.fewer_collections():
        return _run_work(db_path, source, work)


def _run_work(db_path: Path, source: str, work) -> SyncReport:
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


#: A download file of an older naming is removed only when untouched this long (it may be another
#: catalogue's, in the same folder, whose sync is running).
STALE_DOWNLOAD_SECONDS = 3600


def _download_prefix(staging) -> str:
    return staging.path.name.removesuffix(".staging") + ".snapshot-"


def remove_stale_downloads(staging) -> list[Path]:
    """Remove snapshot downloads that a killed sync of this catalogue left behind (we hold its lock)."""
    folder, gone = staging.path.parent, []
    old = time.time() - STALE_DOWNLOAD_SECONDS
    candidates = [*folder.glob(_download_prefix(staging) + "*.download"),
                  *(p for p in folder.glob("snapshot-*.download") if _mtime(p) < old)]
    for stale in candidates:
        try:
            stale.unlink()
            gone.append(stale)
        except OSError:
            pass
    return gone


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def _from_snapshot(conn, staging, report, options, client, deadline, url: str) -> SyncReport:
    meta = schema.read_meta(conn)
    etag = meta.get("etag") if meta.get("source") == url else None
    remove_stale_downloads(staging)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_download_prefix(staging), suffix=".download", dir=staging.path.parent)
    except OSError as exc:
        raise StoreError(f"{staging.path.parent}: cannot create the download file: {exc.strerror or exc}") from exc
    os.close(fd)
    try:
        result = feed.fetch_snapshot(url, client=client, deadline=deadline, etag=etag, dest=Path(tmp))
        if result.not_modified:
            report.mode = "not-modified"
            report.before = report.after = store.count_visible(conn)
            schema.write_meta(conn, {"last_success": schema.now_iso(), "last_error": None, "last_error_at": None,
                                    "last_error_source": None, "last_mode": report.mode})
            return report
        return _from_file(conn, staging, report, options, Path(tmp), name=url,
                          meta={"etag": result.etag, "api_base": None, "next_modified_after": None,
                                **removals.not_api()})
    finally:
        Path(tmp).unlink(missing_ok=True)


def _from_api(conn, staging, report, options, client, deadline, base: str) -> SyncReport:
    meta = schema.read_meta(conn)
    since = meta.get("next_modified_after") if meta.get("api_base") == base else None
    collector = _Collector(staging, report, options.progress, keep_ids=since is not None)
    server_date, total_items = None, None
    for page in feed.iter_service_pages(base, client=client, deadline=deadline, per_page=options.per_page,
                                        modified_after=since):
        server_date, total_items = server_date or page.server_date, page.total_items
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
        return _finish(conn, staging, report, options, full=True,
                       meta={**next_meta, **removals.after_full_sync(total_items)})
    report.mode = "delta"
    removed, counts = removals.removed_ids(conn, staging, report, client, deadline, base, meta=meta,
                                           received=collector.received or [])
    report.removed = len(removed)
    return _finish(conn, staging, report, options, full=False, removed=removed, meta={**next_meta, **counts})


def _iso_from_http_date(value: str | None) -> str:
    """The server's own clock as ISO text (so a wrong kiosk clock cannot skip changes)."""
    from email.utils import parsedate_to_datetime

    if value:
        try:
            return parsedate_to_datetime(value).isoformat()
        except (TypeError, ValueError):
            pass
    return schema.now_iso()


__all__ = ["SyncOptions", "SyncReport", "import_file", "pull", "iter_file_services", "FeedError"]
