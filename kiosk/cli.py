"""`kiosk`: start the touchscreen kiosk (full screen, offline) for one place.

    kiosk [--config kiosk.toml] [--db catalogue.db]
    kiosk --new-pin [--config kiosk.toml]   a random volunteer PIN into kiosk.local.toml, if there is none
    kiosk doctor [--config kiosk.toml] [--json]   say in words what is wrong (exit 1 if anything is)

A broken config is reported with file and key and the kiosk does not start (exit 2). Without a
catalogue file the bundled demo catalogue is imported first, so a fresh box shows offers at once
and needs no network.

A damaged catalogue file never stops the kiosk (under systemd it would restart every few seconds
with a black screen): it reads the copy of the last good catalogue that every sync keeps beside
the file, or else the demo catalogue, says so on stderr and in the volunteer menu
(`Catalogue.status().notice`), and the next sync ("Sync now", `kiosk-sync pull` or `repair`)
rebuilds the file. A catalogue on a read-only file system is opened read-only (immutable).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sync import package_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from sync.catalogue import Catalogue

    from .app import KioskApp


# Package data: assets/ is installed as the package `kiosk_assets` (see pyproject.toml).
ASSETS = package_dir("kiosk_assets")
DEMO_CATALOGUE = ASSETS / "demo-catalogue.json"


class StartError(Exception):
    """The kiosk cannot start; the message says why in words, `status` is the exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Start the Dritte-Orte-Kiosk for one place.")
    parser.add_argument("--config", metavar="PATH",
                        help="settings file (default: $KIOSK_CONFIG, else kiosk.toml of the checkout, "
                             "else ~/.config/dritte-orte-kiosk/kiosk.toml)")
    parser.add_argument("--db", metavar="PATH",
                        help="catalogue file (default: catalogue.database from the settings)")
    parser.add_argument("command", nargs="?", choices=["doctor"],
                        help="doctor: check the catalogue, feed, network, voice, sound, printer, disk and "
                             "terminal and say in words what is wrong; the kiosk does not start")
    parser.add_argument("--json", action="store_true", help="with doctor: the findings as JSON")
    parser.add_argument("--new-pin", action="store_true",
                        help="if the kiosk has no volunteer PIN (or the public example PIN), write a random "
                             "one into kiosk.local.toml beside the settings file (owner only), print it once "
                             "and exit; the kiosk does not start")
    return parser


class CheckInBackground:
    """SQLite's quick check of the catalogue file (0.1 s at 50,000 offers, seconds on a Raspberry Pi)
    in a thread of its own, with a connection of its own (SQLite lets go of the GIL while it reads
    the pages). Started at once, or with `start()` (the `kiosk` command: once Home is drawn, see
    `CheckedLater`); `finding()` starts it if nobody has and waits for it. `open_catalogue` waits
    for its finding before any offer is read, so a damaged file still falls back to the last good
    copy before a visitor can see it."""

    def __init__(self, db: Path, *, start: bool = True) -> None:
        import threading

        from sync import snapshots  # imported here, not by the thread while this one imports too

        self.db, self._check = db, snapshots.check_file
        self._finding: str | None = None
        self._thread = threading.Thread(target=self._run, name="catalogue-check", daemon=True)
        self._starting = threading.Lock()
        if start:
            self.start()

    def start(self) -> None:
        """Start the check (once; later calls do nothing)."""
        with self._starting:
            if self._thread.ident is None:
                self._thread.start()

    def _run(self) -> None:
        try:
            self._finding = self._check(self.db)
        except Exception as exc:  # noqa: BLE001 - any failure of the check counts as a damaged file
            self._finding = f"{self.db}: the file could not be checked ({exc})"

    def finding(self) -> str | None:
        """None when the file passed the check, else why not (a sentence naming the file)."""
        self.start()
        self._thread.join()
        return self._finding


class CheckedLater:
    """The catalogue at `db`, opened by `open_catalogue` only once `checked` has passed (else the
    last good copy or the demo), at the first question asked of it: nothing is read from the file
    before its check. The `kiosk` command draws Home from what an earlier start kept for this very
    file (kiosk.homecache: the need buttons and counts, not offer text), starts the check once
    Home is drawn (`open_in_background`), and the first tap waits for it if it comes sooner. On a
    slow single core the check then runs while the visitor looks at Home, not before.

    Answers every question of a `Catalogue` (by `__getattr__`); `path` without opening the file.
    """

    def __init__(self, db: Path, checked: CheckInBackground) -> None:
        import threading

        self.path = db
        self._checked = checked
        self._real: Catalogue | None = None
        self._opening = threading.Lock()

    def opened(self) -> Catalogue:
        """The catalogue, checked and opened (waits for the check); raises StartError as
        `open_catalogue` does when nothing can be shown."""
        with self._opening:
            if self._real is None:
                self._real = open_catalogue(self.path, checked=self._checked)
            return self._real

    @property
    def is_open(self) -> bool:
        return self._real is not None

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name in ("_real", "_opening", "_checked"):
            raise AttributeError(name)  # copy, pickle and an unfinished __init__ must not open the file
        return getattr(self.opened(), name)

    def open_in_background(self, done: Callable[[Catalogue], object], failed: Callable[[StartError], object]) -> None:
        """Check and open the catalogue in a thread; then `done(catalogue)` or `failed(error)` (from
        that thread)."""
        import threading

        def run() -> None:
            try:
                catalogue = self.opened()
            except StartError as exc:
                failed(exc)
            else:
                done(catalogue)

        threading.Thread(target=run, name="catalogue-open", daemon=True).start()

    def close(self) -> None:
        with self._opening:
            if self._real is not None:
                self._real.close()

    def __enter__(self) -> CheckedLater:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_catalogue(db: Path, *, demo: Path = DEMO_CATALOGUE, on_miss: Callable[[str], object] | None = None,
                   checked: CheckInBackground | None = None) -> Catalogue:
    """The catalogue at `db`; a missing file is first filled with the demo catalogue.

    A damaged file falls back to the last good copy, else to the demo catalogue (imported into a
    temporary folder, so the damaged file stays for the repair); `status().notice` says which.
    `on_miss` is the catalogue's own hook for searches that found nothing; the kiosk counts searches
    on the screen instead (`kiosk.statistics`: only texts the visitor acted on). `checked`, a check
    of `db` started earlier, replaces the check of the file here.
    """
    from sync.catalogue import Catalogue
    from sync.errors import SyncError

    try:
        if checked is not None and checked.db == db and db.exists():
            problem = checked.finding()
            if problem is None:
                try:
                    return Catalogue(db, on_miss=on_miss)
                except SyncError as exc:  # e.g. the file changed after the check
                    problem = str(exc)
            return _last_good_instead(db, demo, problem, on_miss)
        if not db.exists():
            # Only here: the importer brings httpx, ssl, ijson and sqlite-utils (0.1 s at start-up).
            from sync.pull import import_file

            if not demo.is_file():
                raise StartError(f"no catalogue at {db} and no demo catalogue at {demo}; "
                                 f"run `kiosk-sync pull` first", 1)
            print(f"kiosk: no catalogue at {db} yet, importing the demo catalogue", file=sys.stderr)
            try:
                db.parent.mkdir(parents=True, exist_ok=True)
                import_file(demo, db)
            except (SyncError, OSError) as exc:  # a read-only disk: the demo from a temporary folder
                return _demo_instead(db, demo, f"{db}: no catalogue and it cannot be written ({exc})", on_miss)
        try:
            return Catalogue(db, on_miss=on_miss, check=True)
        except SyncError as exc:
            problem = str(exc)
        return _last_good_instead(db, demo, problem, on_miss)
    except (SyncError, OSError) as exc:
        raise StartError(f"cannot open the catalogue: {exc}", 1) from exc


def _last_good_instead(db: Path, demo: Path, problem: str,
                       on_miss: Callable[[str], object] | None) -> Catalogue:
    from sync import snapshots
    from sync.catalogue import Catalogue
    from sync.errors import SyncError

    copy = snapshots.backup_path(db)
    if copy.is_file():
        try:
            cat = Catalogue(db, read_from=copy, on_miss=on_miss, check=True, fallback_kind="last-good")
        except SyncError as exc:
            problem += f"; the last good copy is not usable either ({exc})"
        else:
            when = cat.status().last_success or "an unknown time"
            cat.notice = (f"{problem}. The kiosk shows the last good copy of the catalogue (synced {when}). "
                          f"\"Sync now\" or `kiosk-sync repair` rebuilds the file.")
            print(f"kiosk: {cat.notice}", file=sys.stderr)
            return cat
    return _demo_instead(db, demo, problem, on_miss)


def _demo_instead(db: Path, demo: Path, problem: str, on_miss: Callable[[str], object] | None) -> Catalogue:
    from sync.catalogue import Catalogue
    from sync.pull import import_file

    if not demo.is_file():
        raise StartError(f"{problem}; and there is no demo catalogue at {demo}", 1)
    folder = Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    import_file(demo, folder / "demo.db")
    notice = (f"{problem}. The kiosk shows the demo catalogue. \"Sync now\" or `kiosk-sync repair` "
              f"rebuilds the file.")
    print(f"kiosk: {notice}", file=sys.stderr)
    return Catalogue(db, read_from=folder / "demo.db", on_miss=on_miss, notice=notice, fallback_kind="demo")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `kiosk` command; returns the exit status."""
    from . import gcpause, malloc_tuning

    malloc_tuning.tune()  # before any thread starts (kiosk/malloc_tuning.py)
    gcpause.pause()  # until Home is drawn (the app resumes it), through the imports below
    try:
        return _main(argv)
    finally:
        gcpause.resume()


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    # Imported here so that `kiosk --help` answers fast and without Textual.
    from .config import SettingsError, load_settings, resolve_config_path

    try:
        settings = load_settings(resolve_config_path(args.config, os.environ))
    except SettingsError as exc:
        print(f"kiosk: cannot start, the settings are wrong:\n  {exc}", file=sys.stderr)
        return 2
    if args.command == "doctor":
        from .doctor import PROBLEM, diagnose, emit, report

        findings = diagnose(settings, config=resolve_config_path(args.config, os.environ))
        # A pipe closed early (| head -1) ends quietly; the findings' exit status stands.
        emit(json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=1) if args.json
             else report(findings))
        return 1 if any(f.level == PROBLEM for f in findings) else 0
    if args.new_pin:
        return new_pin(resolve_config_path(args.config, os.environ))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Into a pipe or a file the full-screen app cannot draw, and it would spin at 100 % CPU.
        print("kiosk: cannot start: the kiosk is a full-screen terminal app and needs a terminal for its input "
              "and output, not a pipe or a file. Start it in a terminal (the systemd unit runs it in foot).",
              file=sys.stderr)
        return 2
    db = Path(args.db).expanduser() if args.db else settings.catalogue.database
    # With Home kept from an earlier start (kiosk.homecache) the file is checked once Home is drawn;
    # else (e.g. the first start after a sync) Home needs the catalogue: the check starts now and
    # runs beside the imports below.
    checked = CheckInBackground(db, start=not _home_kept(db)) if db.exists() else None
    from .app import make_app
    from .combined import WithProgramme
    from .programme import programme_db, refresh
    from .speech import make_speech
    from .statistics import make_statistics

    pending = CheckedLater(db, checked) if checked is not None else None
    try:
        catalogue = pending if pending is not None else open_catalogue(db)
    except StartError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return exc.status

    problem = refresh(settings)  # the place's own programme, rebuilt if its file is newer
    if problem:
        print(f"kiosk: {problem}", file=sys.stderr)
    combined = WithProgramme(cast("Catalogue", catalogue), programme_db(settings))

    from .takeaway import QrMaker  # qrcode itself is imported with the first code

    speech = make_speech(settings.speech)  # the app reports its failures (on_error) in the title bar
    with combined:  # WithProgramme answers every question of a Catalogue (kiosk/combined.py)
        app = make_app(settings, cast("Catalogue", combined), speech=speech, printer=configured_printer(settings),
                       qr=QrMaker(settings.qr), statistics=make_statistics(settings.statistics))
        if pending is not None:
            try:
                if app.finder.kept_home() is None:
                    pending.opened()  # Home needs the catalogue: checked and opened before it is drawn
            except StartError as exc:
                print(f"kiosk: {exc}", file=sys.stderr)
                return exc.status
            app.when_drawn.append(lambda: open_after_home(app, pending))
        app.keep_imports_for_good = True  # full collections walk only what the visitor's screens make
        try:
            app.run()
        finally:
            speech.close()  # no voice outlives the kiosk, even after a crash
    return app.return_code or 0


def _home_kept(db: Path) -> bool:
    """Whether Home was probably kept for the file as it is (kiosk.homecache: written after the
    file's last change). Only when to start the check depends on it; whether the kept Home is used
    is decided by its key (`Finder.kept_home`)."""
    from . import homecache

    try:
        kept = homecache.cache_path(db).stat().st_mtime_ns
        wal = Path(f"{db}-wal").stat() if Path(f"{db}-wal").exists() else None
        changed = max(db.stat().st_mtime_ns, wal.st_mtime_ns if wal is not None and wal.st_size else 0)
    except OSError:
        return False
    return kept >= changed


def open_after_home(app: KioskApp, pending: CheckedLater) -> None:
    """Check and open the catalogue now that Home is drawn (`CheckedLater`); Home is built again if
    the file had to be replaced by the last good copy or the demo, or counts other than those it
    shows; a catalogue that cannot be opened at all ends the kiosk as it would have at start."""
    if pending.is_open:
        app.catalogue_opened()
        return

    def failed(exc: StartError) -> None:
        app.call_from_thread(app.exit, None, exc.status, f"kiosk: {exc}")

    pending.open_in_background(lambda catalogue: app.call_from_thread(app.catalogue_opened), failed)


def configured_printer(settings):
    """The configured printer, or None (the app's NoPrinter) without one: then the printing module
    (fpdf, QR codes, Pillow, dateutil) is not imported at start-up."""
    if settings.printer.backend not in ("cups", "escpos"):
        return None
    from .takeaway.printing import make_printer

    return make_printer(settings)


def new_pin(path: Path | None) -> int:
    """`kiosk --new-pin`: a random volunteer PIN into the box-local settings file, told once on stdout."""
    from .config import SettingsError, local_settings_path, pin_file, set_random_pin

    try:
        pin = set_random_pin(path)
        where = pin_file(path)
    except (SettingsError, OSError) as exc:
        print(f"kiosk: could not set a volunteer PIN: {exc}", file=sys.stderr)
        return 2
    if pin is None:
        print(f"kiosk: this kiosk already has a volunteer PIN of its own ([kiosk] volunteer_pin in {where}); "
              f"left as it is.")
    else:
        print(f"The volunteer PIN of this kiosk is now: {pin}\n"
              f"Note it down. It opens the volunteer menu (F12, or five taps on the title at the top), the only\n"
              f"way to leave the kiosk. It is stored in {local_settings_path(path)} ([kiosk] volunteer_pin), "
              f"readable only by its owner.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
