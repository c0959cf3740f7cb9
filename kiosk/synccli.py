"""`kiosk-sync` as installed: the catalogue's commands of `sync.cli`, and the commands on the kiosk's data.

`report` (this kiosk's day totals), `merge-reports` (the central team's table of many kiosks) and
`local` (the place's own programme) work on what only the kiosk knows: its statistics and all of
kiosk.toml, not only `[catalogue]`. They live here, on the kiosk's side, because `sync` never
imports `kiosk` (tests/test_import_hygiene.py); `sync.cli` runs them as `Command`s in its own frame,
so every command has the same `--config`, help, error words and exit statuses.

No Textual here: the systemd timer runs this without a screen, and the `kiosk` command never
imports this module (its start-up stays lean).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from sync.cli import EXIT_FEED, EXIT_OK, EXIT_USAGE, Command, UsageError, config_path
from sync.cli import main as sync_main
from sync.errors import FeedError, StoreError, clean_message
from sync.hours import TZ
from sync.settings import CatalogueSettings

from . import programme
from .config import Settings, load_settings
from .merge import merge, write_outputs
from .report import outbox, report


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk-sync` command; returns the exit status."""
    return sync_main(argv, extra=KIOSK_COMMANDS)


def _today() -> date:
    return datetime.now(TZ).date()


def _with_kiosk_settings(run: Callable[[argparse.Namespace, Settings, date], int],
                         ) -> Callable[[argparse.Namespace, CatalogueSettings, Path], int]:
    """The prologue of `report` and `local`: all of kiosk.toml (the place, `[statistics]`) and today
    in the kiosk's time zone. A wrong file raises SettingsError, which `sync.cli` reports (exit 2)."""
    def command(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
        return run(args, load_settings(config_path(args)), _today())
    return command


# --- report -------------------------------------------------------------------------------------


def _report_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="send every queued report now, without waiting")
    p.add_argument("--list", action="store_true", help="only list the queued and sent reports")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")


def cmd_report(args: argparse.Namespace, full: Settings, today: date) -> int:
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
        new, outcome = report(full, today=today, force=args.force)
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


# --- merge-reports ------------------------------------------------------------------------------


def _merge_reports_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    p.add_argument("folder", metavar="DIR", help="folder of received reports")
    p.add_argument("--out", metavar="DIR", help="where to write the tables and chart (default: DIR/merged)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="searches that found nothing to list")


def cmd_merge_reports(args: argparse.Namespace, settings: CatalogueSettings, db: Path) -> int:
    """Needs no kiosk.toml of its own: the central team runs it on the reports of many kiosks."""
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"merge-reports: {folder} is not a folder")
    out = Path(args.out) if args.out else folder / "merged"
    merged = merge(folder)
    try:
        text = write_outputs(merged, out, _today(), top=max(1, args.top))
    except OSError as exc:
        print(f"kiosk-sync: merge-reports: cannot write into {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FEED
    print(text, end="")
    print(f"Written: {out / 'needs.csv'}, {out / 'needs.svg'}, {out / 'nothing-found.csv'}, {out / 'kiosks.csv'}")
    return EXIT_OK


# --- local --------------------------------------------------------------------------------------


_ID_HELP = "the entry's id, as kiosk-sync local list shows it"


def _local_arguments(p: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """Each action takes --config and --db: they stand after the action (kiosk-sync local list --config X)."""
    local = p.add_subparsers(dest="action", metavar="ACTION", required=True,
                             help="what to do; kiosk-sync local ACTION --help says more")
    fields = argparse.ArgumentParser(add_help=False)
    fields.add_argument("--description", metavar="TEXT", help="what happens, for whom")
    fields.add_argument("--weekly", metavar="'DAYS HH:MM-HH:MM'", action="append",
                        help='a weekly time, e.g. "di 10:00-12:00" or "mo,do 15-17"; repeat for more')
    fields.add_argument("--date", metavar="'DATE HH:MM-HH:MM'", action="append", dest="dates",
                        help='one day only, e.g. "2026-12-03 10:00-12:00" or "3.12.2026 10-12"; repeat for more')
    fields.add_argument("--phone", metavar="NUMBER", help="a phone number to call")
    fields.add_argument("--url", metavar="URL", help="a web page with more")
    fields.add_argument("--email", metavar="ADDRESS", help="an e-mail address")
    q = local.add_parser("add", parents=[common, fields], help="add an entry")
    q.add_argument("--name", required=True, metavar="TEXT", help="what it is called, e.g. Smartphone-Sprechstunde")
    q.add_argument("--id", metavar="ID", help="the entry's id (default: made from the name)")
    q = local.add_parser("edit", parents=[common, fields], help="change an entry (only the fields given)")
    q.add_argument("id", metavar="ID", help=_ID_HELP)
    q.add_argument("--name", metavar="TEXT", help="a new name")
    q.add_argument("--no-times", action="store_true", help="remove all times (before --weekly/--date)")
    q = local.add_parser("remove", parents=[common], help="remove an entry")
    q.add_argument("id", metavar="ID", help=_ID_HELP)
    q = local.add_parser("list", parents=[common], help="list the entries with their times")
    q.add_argument("--json", action="store_true", help="print the entries as HSDS JSON")


def cmd_local(args: argparse.Namespace, full: Settings, today: date) -> int:
    path = full.place.programme
    try:
        if args.action == "list":
            return _list_programme(path, args.json, today)
        done = _change_programme(args, full, today)
    except BrokenPipeError:  # `local list | head`: not the file's fault; sync.cli.main ends quietly
        raise
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


def _list_programme(path: Path, as_json: bool, today: date) -> int:
    entries = programme.load(path)
    if as_json:
        print(json.dumps(entries, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not entries:
        print(f"The programme {path} has no entries yet. Add one with: kiosk-sync local add --name …")
    for entry in entries:
        print(programme.describe(entry, today))
    return EXIT_OK


def _change_programme(args: argparse.Namespace, full: Settings, today: date) -> str:
    """Add, edit or remove one entry; what was done, in words (ProgrammeError: nothing was changed)."""
    if args.action == "remove":
        gone = programme.remove(full, args.id)
        return f"Removed {gone.get('id')}: {gone.get('name')}"
    weekly, dates = args.weekly, args.dates
    if args.action == "edit" and args.no_times:
        weekly, dates = weekly or [], dates or []
    fields = programme.EntryFields(name=args.name, description=args.description, weekly=weekly,
                                   dates=dates, phone=args.phone, url=args.url, email=args.email)
    if args.action == "add":
        return "Added " + programme.describe(programme.add(full, fields, args.id), today)
    return "Changed " + programme.describe(programme.edit(full, args.id, fields), today)


KIOSK_COMMANDS: tuple[Command, ...] = (
    Command("report", "send the anonymous day totals to [statistics] report_url",
            "Queue a report for every finished day (counts and a heartbeat: version, catalogue age, last sync, "
            "voice, sound, printer) and send what is due. A failed send is retried by the next run, each time "
            "after a longer wait.", _report_arguments, _with_kiosk_settings(cmd_report)),
    Command("merge-reports", "merge received reports of many kiosks (for the central team)",
            "Merge a folder of received kiosk reports (*.json) into needs per town and month (CSV and an SVG "
            "chart), the top searches that found nothing, and the kiosks that need a visit.",
            _merge_reports_arguments, cmd_merge_reports),
    Command("local", "the place's own programme: add, edit, remove, list entries",
            "Edit the place's own programme ([place] programme, an HSDS file that no sync touches). Every entry "
            "is checked before the file is replaced atomically.",
            _local_arguments, _with_kiosk_settings(cmd_local), shared_options=False),
)


if __name__ == "__main__":
    sys.exit(main())
