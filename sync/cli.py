"""`kiosk-sync`: the offline catalogue at a shell, for operators, volunteers and systemd timers.

Exit status: 0 success, 1 the feed was rejected or unreachable or the store could not be written
(the old catalogue is kept), 2 a usage or settings error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import snapshots
from .catalogue import Catalogue
from .errors import FeedError, StoreError, SyncBusy, clean_message
from .pull import SyncOptions, import_file, pull
from .settings import (
    CatalogueSettings,
    SettingsError,
    load_catalogue_settings,
    resolve_config_path,
    url_or_path_problem,
)
from .thesaurus import SynonymError

EXIT_OK, EXIT_FEED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-parser per command, each with help text."""
    parser = argparse.ArgumentParser(
        prog="kiosk-sync", description="Keep the kiosk's offline copy of the HSDS 3.0 catalogue.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH",
                        help="settings file (default: $KIOSK_CONFIG, else the project's kiosk.toml)")
    common.add_argument("--db", metavar="PATH", help="catalogue file (default: [catalogue] database)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("pull", parents=[common], help="pull the catalogue from the configured feed",
                       description="Pull from an HSDS 3.0 API base URL (paged, incremental after the first "
                                   "pull) or a static snapshot URL (JSON array, optionally gzipped, with ETag).")
    p.add_argument("--feed", metavar="URL", help="feed URL (default: [catalogue] feed_url)")
    p.add_argument("--kind", choices=("auto", "api", "snapshot"),
                   help="how to read the feed (default: [catalogue] feed_kind)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--if-due", action="store_true",
                   help="pull only if [catalogue] sync_interval_minutes have passed since the last sync or "
                        "failed attempt, or the catalogue is not from this feed yet (for the systemd timer, "
                        "which runs often so the interval is read from the settings at run time)")

    p = sub.add_parser("import", parents=[common], help="replace the catalogue with a local file",
                       description="Import services from a local JSON array, HSDS page document or NDJSON "
                                   "file (.gz accepted).")
    p.add_argument("path", metavar="PATH", help="file to import")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("repair", parents=[common], help="rebuild a damaged catalogue by a full re-import",
                       description="Check the catalogue file; move a damaged one aside (<file>.damaged), put "
                                   "the last good copy (<file>.last-good) in its place, and read the whole "
                                   "feed again (not only the changes).")
    p.add_argument("--feed", metavar="URL", help="feed URL (default: [catalogue] feed_url)")
    p.add_argument("--kind", choices=("auto", "api", "snapshot"),
                   help="how to read the feed (default: [catalogue] feed_kind)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub.add_parser("status", parents=[common], help="show offers, last good sync and last error",
                       description="Show how many offers the catalogue holds, when and from where the "
                                   "last good sync came, and the last error if any.")
    p.add_argument("--json", action="store_true", help="print an object with offers, last_success, "
                                                      "source and last_error")

    p = sub.add_parser("search", parents=[common], help="search the catalogue like the kiosk does",
                       description="Search the offline catalogue with the kiosk's own search, best first.")
    p.add_argument("text", metavar="TEXT", nargs="+", help="what to look for")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    p.add_argument("--json", action="store_true", help="print a list of objects with id and name")

    p = sub.add_parser("report", parents=[common], help="send the anonymous day totals to [statistics] report_url",
                       description="Queue a report for every finished day (counts and a heartbeat: version, "
                                   "catalogue age, last sync, voice, sound, printer) and send what is due. A failed "
                                   "send is retried by the next run, each time after a longer wait.")
    p.add_argument("--force", action="store_true", help="send every queued report now, without waiting")
    p.add_argument("--list", action="store_true", help="only list the queued and sent reports")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")

    p = sub.add_parser("merge-reports", parents=[common], help="merge received reports of many kiosks (for the central team)",
                       description="Merge a folder of received kiosk reports (*.json) into needs per town and "
                                   "month (CSV and an SVG chart), the top searches that found nothing, and the "
                                   "kiosks that need a visit.")
    p.add_argument("folder", metavar="DIR", help="folder of received reports")
    p.add_argument("--out", metavar="DIR", help="where to write the tables and chart (default: DIR/merged)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="searches that found nothing to list")

    p = sub.add_parser("local", help="the place's own programme: add, edit, remove, list entries",
                       description="Edit the place's own programme ([place] programme, an HSDS file that no sync "
                                   "touches). Every entry is checked before the file is replaced atomically.")
    local = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    fields = argparse.ArgumentParser(add_help=False)
    fields.add_argument("--description", metavar="TEXT", help="what happens, for whom")
    fields.add_argument("--weekly", metavar="'DAYS HH:MM-HH:MM'", action="append",
                        help='a weekly time, e.g. "di 10:00-12:00" or "mo,do 15-17"; repeat for more')
    fields.add_argument("--date", metavar="'DATE HH:MM-HH:MM'", action="append", dest="dates",
                        help='one day only, e.g. "2026-12-03 10:00-12:00" or "3.12.2026 10-12"; repeat for more')
    fields.add_argument("--phone", metavar="NUMBER")
    fields.add_argument("--url", metavar="URL")
    fields.add_argument("--email", metavar="ADDRESS")
    q = local.add_parser("add", parents=[common, fields], help="add an entry")
    q.add_argument("--name", required=True, metavar="TEXT", help="what it is called, e.g. Smartphone-Sprechstunde")
    q.add_argument("--id", metavar="ID", help="the entry's id (default: made from the name)")
    q = local.add_parser("edit", parents=[common, fields], help="change an entry (only the fields given)")
    q.add_argument("id", metavar="ID")
    q.add_argument("--name", metavar="TEXT")
    q.add_argument("--no-times", action="store_true", help="remove all times (before --weekly/--date)")
    q = local.add_parser("remove", parents=[common], help="remove an entry")
    q.add_argument("id", metavar="ID")
    q = local.add_parser("list", parents=[common], help="list the entries with their times")
    q.add_argument("--json", action="store_true", help="print the entries as HSDS JSON")
    _add_locations_parser(sub, common)
    return parser


def _add_locations_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("locations", parents=[common], help="list the catalogue's locations near a point",
                       description="List named locations of the catalogue nearest to a point, with town, "
                                   "distance and number of offers: the names to put into [place] "
                                   "location_names, spelled as the catalogue spells them.")
    p.add_argument("--near", required=True, metavar="LAT,LON", type=_lat_lon,
                   help="the place's coordinates in decimal degrees, e.g. 52.1875,7.8660 ([place] latitude, longitude)")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N locations (default 10)")
    p.add_argument("--json", action="store_true", help="print a list of objects with name, town, km and offers")


def _lat_lon(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in text.replace(";", ",").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LAT,LON in decimal degrees like 52.1875,7.8660, got {text!r}")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(f"expected a latitude from -90 to 90 and a longitude from -180 to 180, "
                                         f"got {text!r}")
    return lat, lon


def _settings(args: argparse.Namespace) -> CatalogueSettings:
    return load_catalogue_settings(resolve_config_path(args.config, os.environ))


def _options(settings: CatalogueSettings, kind: str | None = None) -> SyncOptions:
    return SyncOptions(timeout_seconds=settings.timeout_seconds, per_page=settings.per_page,
                       min_keep_ratio=settings.min_keep_ratio, guard_min_offers=settings.guard_min_offers,
                       feed_kind=kind or settings.feed_kind)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status.

    Output into a pipe that closes early (`kiosk-sync search … | head`) ends quietly: the rest of the
    output is dropped, the command's own outcome stands.
    """
    try:
        status = _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
    return status


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        settings = _settings(args)
    except SettingsError as exc:
        return _failed(getattr(args, "json", False), "settings", "settings error:", exc, EXIT_USAGE)
    db = Path(args.db) if args.db else settings.database
    as_json = getattr(args, "json", False)
    try:
        return _COMMANDS[args.command](args, settings, db)
    except SettingsError as exc:
        print(f"kiosk-sync: settings error: {clean_message(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except FeedError as exc:
        return _failed(as_json, "feed", "feed rejected or unreachable, the old catalogue is kept.", exc, EXIT_FEED)
    except StoreError as exc:
        return _failed(as_json, "store", "cannot use the catalogue file, the old catalogue is kept.", exc, EXIT_FEED)
    except SynonymError as exc:
        return _failed(as_json, "synonyms", "the synonym list is broken:", exc, EXIT_USAGE)
    except SyncBusy as exc:
        return _failed(as_json, "busy", "", exc, EXIT_FEED)
    except KeyboardInterrupt:
        return _failed(as_json, "interrupted", "interrupted, the old catalogue is kept.", None, EXIT_FEED)


def _failed(as_json: bool, kind: str, words: str, exc: BaseException | None, status: int) -> int:
    """Say why a command failed: on stderr, and with --json also as an object on stdout, so that a
    script always gets JSON to parse ({"ok": false, "error": ..., "kind": ...})."""
    detail = clean_message(exc) if exc is not None else ""
    if words and detail:  # "settings error: <why>" on one line, "feed rejected ... kept." above the detail
        print(f"kiosk-sync: {words}{' ' if words.endswith(':') else chr(10) + '  '}{detail}", file=sys.stderr)
    else:
        print(f"kiosk-sync: {words or detail}", file=sys.stderr)
    if as_json:
        print(json.dumps({"ok": False, "kind": kind, "error": detail or words,
                          "source": getattr(exc, "source", None),
                          # Nothing that fails here changes the catalogue: the last good one stays.
                          "old_catalogue_kept": True}, ensure_ascii=False, indent=1))
    return status


def _print_report(report, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"ok": True, "source": report.source, "mode": report.mode, "received": report.received,
                          "skipped": report.skipped, "warnings": report.warnings, "removed": report.removed,
                          "before": report.before, "after": report.after, "warning": report.caution,
                          "not_services": report.not_services, "hours_as_text": report.hours_as_text}, ensure_ascii=False, indent=1))
        return
    print(report.summary())
    for line in report.skipped[:20]:
        print(f"  skipped: {line}")
    if len(report.skipped) > 20:
        print(f"  ... and {len(report.skipped) - 20} more skipped")
    for line in report.warnings[:10]:
        print(f"  warning: {line}")
    if len(report.warnings) > 10:
        print(f"  ... and {len(report.warnings) - 10} more warnings (all of them: kiosk-sync ... --json)")


def cmd_pull(args, settings: CatalogueSettings, db: Path) -> int:
    feed_url = args.feed or settings.feed_url
    if not feed_url:
        return _failed(args.json, "usage", "no feed: give --feed URL or set [catalogue] feed_url in the settings.",
                       None, EXIT_USAGE)
    why = url_or_path_problem(feed_url) if args.feed else None
    if why:
        return _failed(args.json, "usage", f"--feed {clean_message(feed_url)!r} cannot be used: {why}.", None,
                       EXIT_USAGE)
    if args.if_due:
        wait = not_due(db, feed_url, settings.sync_interval_minutes)
        if wait:
            print(f"kiosk-sync: not due yet: {wait}")
            return EXIT_OK
    _print_report(pull(feed_url, db, _options(settings, args.kind)), args.json)
    return EXIT_OK


def not_due(db: Path, feed_url: str, interval_minutes: int, now: datetime | None = None) -> str | None:
    """Why a pull from `feed_url` is not due yet (in words), or None when it is.

    Due: no readable catalogue, a catalogue from another source (the demo, an import), or the
    last good sync and the last failed attempt both `interval_minutes` ago or longer.
    """
    if not db.exists():
        return None
    try:
        with Catalogue(db) as cat:
            st = cat.status()
    except (StoreError, OSError):
        return None
    if st.last_success is None or st.source != feed_url:
        return None
    times = [t for t in (st.last_success, st.last_error_at) if t]
    try:
        last = max(datetime.fromisoformat(t) for t in times)
    except ValueError:
        return None
    now = now or datetime.now(UTC)
    due = last + timedelta(minutes=interval_minutes)
    if now >= due:
        return None
    return (f"the last sync was at {last.isoformat()}, the next is due at {due.isoformat()} "
            f"([catalogue] sync_interval_minutes = {interval_minutes})")


def cmd_repair(args, settings: CatalogueSettings, db: Path) -> int:
    feed_url = args.feed or settings.feed_url
    if not feed_url:
        return _failed(args.json, "usage", "no feed: give --feed URL or set [catalogue] feed_url in the settings.",
                       None, EXIT_USAGE)
    problem = snapshots.check_file(db) if db.exists() else None
    if problem and "damaged" in problem:
        print(snapshots.restore(db, problem))
    elif db.exists():
        snapshots.forget_delta_state(db)
        print(f"{db}: the file is sound; reading the whole feed again.")
    _print_report(pull(feed_url, db, _options(settings, args.kind)), args.json)
    return EXIT_OK


def cmd_import(args, settings: CatalogueSettings, db: Path) -> int:
    _print_report(import_file(Path(args.path), db, _options(settings)), args.json)
    return EXIT_OK


def cmd_status(args, settings: CatalogueSettings, db: Path) -> int:
    if not db.exists():
        status = {"offers": 0, "last_success": None, "source": None,
                  "last_error": f"{db}: no catalogue yet (run kiosk-sync import or pull)"}
        print(json.dumps(status) if args.json else f"No catalogue at {db} yet. Run: kiosk-sync import PATH")
        return EXIT_OK
    try:
        with Catalogue(db, check=True) as cat:
            st = cat.status()
    except StoreError as exc:
        copy = snapshots.backup_path(db)
        said = {"offers": None, "last_error": str(exc), "damaged": True,
                "last_good_copy": str(copy) if copy.is_file() else None}
        print(json.dumps(said, ensure_ascii=False) if args.json else
              f"The catalogue cannot be read: {exc}\n"
              + (f"A copy of the last good catalogue is at {copy}; the kiosk shows it.\n" if copy.is_file() else "")
              + "Run: kiosk-sync repair")
        return EXIT_FEED
    if args.json:
        print(json.dumps(st.as_json(), ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"Catalogue:     {db}")
    print(f"Offers:        {st.offers}")
    print(f"Last good sync: {st.last_success or 'never'}" + (f" ({st.mode})" if st.mode else ""))
    print(f"Source:        {st.source or '-'}")
    if st.warning:
        print(f"Warning:       {st.warning}")
    if st.last_error:
        print(f"Last error:    {st.last_error_at}: {st.last_error}")
    if st.skipped:
        print(f"Skipped records in the last sync: {len(st.skipped)}; first: {st.skipped[0]}")
    for line in st.not_services:
        print(f"Not services in the last sync: {line}")
    if st.warnings:
        print(f"Repaired records in the last sync: {len(st.warnings)}; first: {st.warnings[0]}")
    if st.last_good_error:
        print(f"No copy of the last good catalogue: {st.last_good_error}")
    return EXIT_OK


def cmd_search(args, settings: CatalogueSettings, db: Path) -> int:
    text = " ".join(args.text)
    with Catalogue(db) as cat:
        results = cat.search(text, limit=max(1, args.limit))
    if args.json:
        print(json.dumps([{"id": r.id, "name": r.name, "organization": r.organization, "town": r.town}
                          for r in results], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not results:
        print(f"Nothing found for {text!r}.")
    for r in results:
        print(f"{r.name}  —  {r.organization or '?'}, {r.town or '?'}  [{r.id}]")
    return EXIT_OK


def _kiosk_settings(args):
    """All of kiosk.toml (report and local need the place and [statistics], not only [catalogue])."""
    from kiosk.config import load_settings

    return load_settings(resolve_config_path(args.config, os.environ))


def cmd_report(args, settings: CatalogueSettings, db: Path) -> int:
    from datetime import datetime

    from kiosk.report import outbox, report
    from sync.hours import TZ

    full = _kiosk_settings(args)
    if args.list:
        rows = outbox(full.statistics.path) if full.statistics.path.exists() else []
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        for r in [] if args.json else rows:
            state = f"sent {r['sent_at']}" if r["sent_at"] else (
                f"queued, {r['attempts']} failed tries, next {r['next_try']}: {r['last_error']}" if r["attempts"]
                else "queued")
            print(f"{r['day']}  {r['idempotency_key']}  {state}")
        return EXIT_OK
    try:
        new, outcome = report(full, today=datetime.now(TZ).date(), force=args.force)
    except ValueError as exc:  # reports are off: a valid state, not an error (the timer runs this)
        print(f"Reports are off: {exc}.")
        return EXIT_OK
    if args.json:
        print(json.dumps({"queued": new, "sent": outcome.sent, "failed": [list(f) for f in outcome.failed],
                          "waiting": [list(w) for w in outcome.waiting]}, ensure_ascii=False, indent=1))
    else:
        print(f"Reports: {len(new)} new day(s) queued, {len(outcome.sent)} sent"
              + (f", {len(outcome.waiting)} waiting for their next try" if outcome.waiting else "") + ".")
        for day, why in outcome.failed:
            print(f"  {day}: not sent ({why}); kept and tried again later.")
    return EXIT_OK if outcome.ok else EXIT_FEED


def cmd_merge_reports(args, settings: CatalogueSettings, db: Path) -> int:
    from datetime import datetime

    from kiosk.merge import merge, write_outputs
    from sync.hours import TZ

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"kiosk-sync: merge-reports: {folder} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out) if args.out else folder / "merged"
    merged = merge(folder)
    try:
        text = write_outputs(merged, out, datetime.now(TZ).date(), top=max(1, args.top))
    except OSError as exc:
        print(f"kiosk-sync: merge-reports: cannot write into {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FEED
    print(text, end="")
    print(f"Written: {out / 'needs.csv'}, {out / 'needs.svg'}, {out / 'nothing-found.csv'}, {out / 'kiosks.csv'}")
    return EXIT_OK


def cmd_local(args, settings: CatalogueSettings, db: Path) -> int:
    from datetime import datetime

    from kiosk import programme
    from sync.hours import TZ

    full = _kiosk_settings(args)
    path = full.place.programme
    today = datetime.now(TZ).date()
    try:
        if args.action == "list":
            entries = programme.load(path)
            if args.json:
                print(json.dumps(entries, ensure_ascii=False, indent=1))
            elif not entries:
                print(f"The programme {path} has no entries yet. Add one with: kiosk-sync local add --name …")
            for entry in [] if args.json else entries:
                print(programme.describe(entry, today))
            return EXIT_OK
        if args.action == "remove":
            gone = programme.remove(full, args.id)
            done = f"Removed {gone.get('id')}: {gone.get('name')}"
        else:
            weekly, dates = args.weekly, args.dates
            if args.action == "edit" and args.no_times:
                weekly, dates = weekly or [], dates or []
            fields = programme.EntryFields(name=args.name, description=args.description, weekly=weekly,
                                           dates=dates, phone=args.phone, url=args.url, email=args.email)
            if args.action == "add":
                entry = programme.add(full, fields, args.id)
                done = "Added " + programme.describe(entry, today)
            else:
                entry = programme.edit(full, args.id, fields)
                done = "Changed " + programme.describe(entry, today)
    except programme.ProgrammeError as exc:
        print(f"kiosk-sync: local {args.action}: {clean_message(exc)}", file=sys.stderr)
        print("  Nothing was changed.", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"kiosk-sync: local {args.action}: cannot write {path}: {exc.strerror or exc}; nothing was changed.",
              file=sys.stderr)
        return EXIT_FEED
    print(clean_message(done, 500))
    try:
        count = programme.rebuild(full)
    except (programme.ProgrammeError, FeedError, StoreError, OSError) as exc:
        print(f"kiosk-sync: the programme is saved in {path}, but the kiosk's copy could not be built: "
              f"{clean_message(exc)}; the kiosk builds it at its next start.", file=sys.stderr)
        return EXIT_FEED
    print(f"The kiosk shows {count} entr{'y' if count == 1 else 'ies'} of {path}.")
    return EXIT_OK



def cmd_locations(args, settings: CatalogueSettings, db: Path) -> int:
    """Candidates for `[place] location_names`: the catalogue's named locations nearest to the place."""
    lat, lon = args.near
    with Catalogue(db) as cat:
        near = cat.locations_near(lat, lon, limit=max(1, args.limit))
    if args.json:
        print(json.dumps([{"name": n, "town": t, "km": round(km, 3), "offers": c} for n, t, km, c in near],
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    if not near:
        print("No named locations with coordinates in the catalogue.")
        return EXIT_OK
    print(f"Locations nearest to {lat}, {lon} (put the one that is your place into [place] location_names):")
    for name, town, km, count in near:
        print(f"  {km:6.2f} km  {name!r}  ({town or '?'}, {count} offer{'s' if count != 1 else ''})")
    return EXIT_OK


_COMMANDS = {"pull": cmd_pull, "import": cmd_import, "status": cmd_status, "search": cmd_search,
             "repair": cmd_repair, "locations": cmd_locations, "report": cmd_report,
             "merge-reports": cmd_merge_reports, "local": cmd_local}


if __name__ == "__main__":
    sys.exit(main())
