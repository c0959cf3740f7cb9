"""`kiosk-sync`: the offline catalogue at a shell, for operators, volunteers and systemd timers.

This module holds the catalogue's own commands (pull, import, repair, status, search, locations)
and what every command shares: the parser with `--config` and `--db`, loading the settings, and
turning errors into words and an exit status. The installed `kiosk-sync` is `kiosk.synccli:main`:
it adds the commands on the kiosk's own data (report, merge-reports, local) as `Command`s, because
`sync` never imports `kiosk` (nor Textual): it runs on a server, in the sync child and in tests
without a screen (tests/test_import_hygiene.py). `python -m sync` runs the catalogue commands alone.

Exit status: 0 success, 1 the feed was rejected or unreachable or the store could not be written
(the old catalogue is kept), 2 a usage or settings error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import snapshots
from .catalogue import Catalogue
from .errors import FeedError, StoreError, SyncBusy, clean_message
from .pull import SyncOptions, SyncReport, import_file, pull
from .settings import (
    CatalogueSettings,
    SettingsError,
    load_catalogue_settings,
    resolve_config_path,
    url_or_path_problem,
)
from .thesaurus import SynonymError

EXIT_OK, EXIT_FEED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """The command cannot run as it was called; the message says why in words (exit status 2)."""


@dataclass(frozen=True)
class Command:
    """One command of `kiosk-sync`.

    `name`, `help` (one line in the list of commands) and `description` make its parser, which gets
    the shared `--config` and `--db` options; `arguments(parser, common)` adds its own. A command
    with actions of its own (`local add|edit|remove|list`) sets `shared_options=False` and gives
    `common` to each action's parser instead. `run(args, settings, db)` does the work with the
    `[catalogue]` settings and the catalogue file and returns the exit status; it may raise what
    `main` turns into words and a status: UsageError, SettingsError, FeedError, StoreError,
    SynonymError, SyncBusy.
    """

    name: str
    help: str
    description: str
    arguments: Callable[[argparse.ArgumentParser, argparse.ArgumentParser], object]
    run: Callable[[argparse.Namespace, CatalogueSettings, Path], int]
    shared_options: bool = True


# --- the parser ---------------------------------------------------------------------------------


def build_parser(extra: Sequence[Command] = ()) -> argparse.ArgumentParser:
    """The argument parser with one sub-parser per command (the catalogue's, then `extra`)."""
    parser = argparse.ArgumentParser(
        prog="kiosk-sync", description="Keep the kiosk's offline copy of the HSDS 3.0 catalogue.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH",
                        help="settings file (default: $KIOSK_CONFIG, else kiosk.toml of the checkout, "
                             "else ~/.config/dritte-orte-kiosk/kiosk.toml)")
    common.add_argument("--db", metavar="PATH", help="catalogue file (default: [catalogue] database)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in (*COMMANDS, *extra):
        command.arguments(sub.add_parser(command.name, parents=[common] if command.shared_options else [],
                                         help=command.help, description=command.description), common)
    return parser


def _feed_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """pull and repair."""
    p.add_argument("--feed", metavar="URL", help="feed URL (default: [catalogue] feed_url)")
    p.add_argument("--kind", choices=("auto", "api", "snapshot"),
                   help="how to read the feed (default: [catalogue] feed_kind)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def _pull_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    _feed_arguments(p, common)
    p.add_argument("--if-due", action="store_true",
                   help="pull only if [catalogue] sync_interval_minutes have passed since the last sync or "
                        "failed attempt, or the catalogue is not from this feed yet (for the systemd timer, "
                        "which runs often so the interval is read from the settings at run time)")


def _import_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="file to import")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def _status_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print an object with offers, last_success, "
                                                      "source and last_error")


def _search_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    p.add_argument("text", metavar="TEXT", nargs="+", help="what to look for")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    p.add_argument("--json", action="store_true", help="print a list of objects with id and name")


def _locations_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    p.add_argument("--near", required=True, metavar="LAT,LON", type=_lat_lon,
                   help="the place's coordinates in decimal degrees, e.g. 52.1875,7.8660 "
                        "([place] latitude, longitude)")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N locations (default 10)")
    p.add_argument("--json", action="store_true", help="print a list of objects with name, town, km and offers")


def _lat_lon(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in text.replace(";", ",").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected LAT,LON in decimal degrees like 52.1875,7.8660, got {text!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise argparse.ArgumentTypeError(f"expected a latitude from -90 to 90 and a longitude from -180 to 180, "
                                         f"got {text!r}")
    return lat, lon


# --- what every command shares: settings, errors, exit status -----------------------------------


def main(argv: Sequence[str] | None = None, extra: Sequence[Command] = ()) -> int:
    """Run one command (the catalogue's or one of `extra`); returns the exit status.

    Output into a pipe that closes early (`kiosk-sync search … | head`) ends quietly: the rest of the
    output is dropped, the command's own outcome stands.
    """
    try:
        status = _main(argv, extra)
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_to_devnull()
        return EXIT_OK
    return status


def stdout_to_devnull() -> None:
    """After a reader closed the pipe early: Python flushes stdout again at exit, so stdout points at
    /dev/null, where that flush cannot fail with a traceback (also used by `kiosk doctor`)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _main(argv: Sequence[str] | None, extra: Sequence[Command]) -> int:
    try:
        args = build_parser(extra).parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    run = {command.name: command.run for command in (*COMMANDS, *extra)}[args.command]
    as_json = getattr(args, "json", False)
    try:
        settings = load_catalogue_settings(config_path(args))
        return run(args, settings, Path(args.db) if args.db else settings.database)
    except UsageError as exc:
        return _failed(as_json, "usage", str(exc), None, EXIT_USAGE)
    except SettingsError as exc:
        return _failed(as_json, "settings", "settings error:", exc, EXIT_USAGE)
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


def config_path(args: argparse.Namespace) -> Path | None:
    """The settings file of this call: `--config`, else $KIOSK_CONFIG, else the default (SettingsError)."""
    return resolve_config_path(getattr(args, "config", None), os.environ)


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


# --- the catalogue's commands -------------------------------------------------------------------


def _options(settings: CatalogueSettings, kind: str | None = None) -> SyncOptions:
    return SyncOptions(timeout_seconds=settings.timeout_seconds, per_page=settings.per_page,
                       min_keep_ratio=settings.min_keep_ratio, guard_min_offers=settings.guard_min_offers,
                       feed_kind=kind or settings.feed_kind)


def _feed_url(args: argparse.Namespace, settings: CatalogueSettings) -> str:
    """The feed of `pull` and `repair`: `--feed`, else `[catalogue] feed_url`; UsageError if none or unusable."""
    feed_url: str = args.feed or settings.feed_url
    if not feed_url:
        raise UsageError("no feed: give --feed URL or set [catalogue] feed_url in the settings.")
    why = url_or_path_problem(feed_url) if args.feed else None
    if why:
        raise UsageError(f"--feed {clean_message(feed_url)!r} cannot be used: {why}.")
    return feed_url


def _print_report(report: SyncReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"ok": True, "source": report.source, "mode": report.mode, "received": report.received,
                          "skipped": report.skipped, "warnings": report.warnings, "removed": report.removed,
                          "before": report.before, "after": report.after, "warning": report.caution,
                          "not_services": report.not_services, "hours_as_text": report.hours_as_text},
                         ensure_ascii=False, indent=1))
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


def cmd_pull(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
    feed_url = _feed_url(args, settings)
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


def cmd_repair(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
    feed_url = _feed_url(args, settings)
    problem = snapshots.check_file(db) if db.exists() else None
    if problem and "damaged" in problem:
        print(snapshots.restore(db, problem))
    elif db.exists():
        snapshots.forget_delta_state(db)
        print(f"{db}: the file is sound; reading the whole feed again.")
    _print_report(pull(feed_url, db, _options(settings, args.kind)), args.json)
    return EXIT_OK


def cmd_import(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
    _print_report(import_file(Path(args.path), db, _options(settings)), args.json)
    return EXIT_OK


def cmd_status(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
    if not db.exists():
        status = {"offers": 0, "last_success": None, "source": None,
                  "last_error": f"{db}: no catalogue yet (run kiosk-sync import or pull)"}
        # The next step in words: the configured feed first (a box with a feed has no file to import).
        step = "kiosk-sync pull" if settings.feed_url else "kiosk-sync import PATH, or set [catalogue] feed_url"
        print(json.dumps(status) if args.json else f"No catalogue at {db} yet. Run: {step}")
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


def cmd_search(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
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


def cmd_locations(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
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


COMMANDS: tuple[Command, ...] = (
    Command("pull", "pull the catalogue from the configured feed",
            "Pull from an HSDS 3.0 API base URL (paged, incremental after the first pull) or a static "
            "snapshot URL (JSON array, optionally gzipped, with ETag).", _pull_arguments, cmd_pull),
    Command("import", "replace the catalogue with a local file",
            "Import services from a local JSON array, HSDS page document or NDJSON file (.gz accepted).",
            _import_arguments, cmd_import),
    Command("repair", "rebuild a damaged catalogue by a full re-import",
            "Check the catalogue file; move a damaged one aside (<file>.damaged), put the last good copy "
            "(<file>.last-good) in its place, and read the whole feed again (not only the changes).",
            _feed_arguments, cmd_repair),
    Command("status", "show offers, last good sync and last error",
            "Show how many offers the catalogue holds, when and from where the last good sync came, and the "
            "last error if any.", _status_arguments, cmd_status),
    Command("search", "search the catalogue like the kiosk does",
            "Search the offline catalogue with the kiosk's own search, best first.", _search_arguments, cmd_search),
    Command("locations", "list the catalogue's locations near a point",
            "List named locations of the catalogue nearest to a point, with town, distance and number of "
            "offers: the names to put into [place] location_names, spelled as the catalogue spells them.",
            _locations_arguments, cmd_locations),
)


if __name__ == "__main__":
    sys.exit(main())
