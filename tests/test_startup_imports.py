"""The kiosk starts with only what Home needs (issue 13), and Home's buttons come from a file.

Importing the network client, the PDF and receipt printer libraries, the typo tolerance and the
search engine costs start-up time on a slow box; they load when first used. Checked in a fresh
interpreter (this test process has imported everything already), so that the gain cannot rot.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk import homecache
from kiosk.app import KioskApp, make_app
from kiosk.finder import Finder
from kiosk.services import NoPrinter, NoQrCodes, NoSpeech

from .conftest import small_services

ROOT = Path(__file__).resolve().parents[1]
LATER = ["httpx", "fpdf", "escpos", "rapidfuzz", "qrcode", "sync.search", "sync.query", "sync.vocabulary",
         "sync.pull", "dateutil", "kiosk.takeaway.printing", "kiosk.screens.search", "sync.hours", "arabic_reshaper",
         "bidi", "kiosk.syncjob", "kiosk.widgets.keyboard", "kiosk.keyboards", "importlib.resources", "zipfile"]
# babel's message catalogue code (and its dates with it) compiles a .po at start unless install.sh
# has compiled the .mo files, as it does on a kiosk; a checkout for development has none.
# The catalogue's own modules (offers, places, the thesaurus) load with its first question, after Home
# is drawn from what an earlier start kept (kiosk.cli.CheckedLater); the probe below opens a
# catalogue itself, so they are checked on import only.
NOT_ON_IMPORT = [*LATER, "babel.dates", "babel.messages", "sync.catalogue", "sync.offers", "sync.thesaurus",
                 "kiosk.present"]

PROBE = """
import asyncio, json, sys
from pathlib import Path
# what the kiosk command imports before the app
import kiosk.app, kiosk.cli, kiosk.combined, kiosk.programme, kiosk.speech, kiosk.statistics, kiosk.takeaway
import kiosk.screens.home
imported = [m for m in json.loads(sys.argv[3]) if m in sys.modules]
later = json.loads(sys.argv[2])
from kiosk.app import make_app
from kiosk.config import Settings
from sync.catalogue import Catalogue

async def main():
    app = make_app(Settings.defaults(), Catalogue(Path(sys.argv[1])))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        buttons = [str(b.label) for b in app.screen.query("Button")]
        thesaurus_read = app.catalogue._synonyms is not None  # read at the first search
    from kiosk.cli import open_catalogue
    open_catalogue(Path(sys.argv[1])).close()  # as the kiosk command opens an existing catalogue
    print(json.dumps({"after_import": imported, "after_home": [m for m in later if m in sys.modules],
                      "buttons": buttons, "thesaurus_read": thesaurus_read}))

asyncio.run(main())
"""


def test_importing_the_app_and_drawing_home_loads_none_of_the_later_libraries(make_catalogue) -> None:
    catalogue = make_catalogue(small_services())
    done = subprocess.run([sys.executable, "-c", PROBE, str(catalogue.path), json.dumps(LATER),
                           json.dumps(NOT_ON_IMPORT)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["after_import"] == [], f"import kiosk.app loaded {seen['after_import']}"
    assert seen["after_home"] == [], f"drawing Home loaded {seen['after_home']}"
    assert any("Suchen" in b for b in seen["buttons"]), seen["buttons"]  # Home really was drawn
    assert seen["thesaurus_read"] is False


def finder_for(catalogue) -> Finder:
    return Finder(catalogue, location_names=["Teestube Lengerich"], town="Lengerich",
                  latitude=52.1875, longitude=7.866)


def test_home_buttons_come_from_the_file_until_the_catalogue_changes(make_catalogue) -> None:
    catalogue = make_catalogue(small_services())
    built = finder_for(catalogue).needs()
    kept = homecache.cache_path(catalogue.path)
    assert kept.is_file()
    # A new start reads the file: the same buttons, without building the finder's cache.
    fresh = finder_for(catalogue)
    assert fresh.needs() == built and fresh.audiences() == finder_for(catalogue).audiences()
    assert fresh._cache.version is None
    # A file written for another state of the catalogue is not used.
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["needs"][0]["count"] += 1000
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert finder_for(catalogue).needs()[0].count == built[0].count + 1000  # same key: read as written
    data["key"] = "another catalogue"
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert finder_for(catalogue).needs() == built  # built again, and the file written anew
    assert json.loads(kept.read_text(encoding="utf-8"))["key"] != "another catalogue"
    # A broken file is ignored.
    kept.write_text("{not json", encoding="utf-8")
    assert finder_for(catalogue).needs() == built
    # Home's counts are kept too, so that Home is drawn without reading the catalogue (kiosk.cli.CheckedLater) ...
    status = catalogue.status()
    facts = finder_for(catalogue).kept_home()
    assert facts is not None and (facts.offers, facts.last_success) == (status.offers, status.last_success)
    assert facts.here == len(finder_for(catalogue).here())
    # ... and they are keyed by the file's state: a file changed in any way is read again.
    st = catalogue.path.stat()
    os.utime(catalogue.path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert finder_for(catalogue).kept_home() is None


def test_the_direction_known_without_babel_is_babels() -> None:
    """Home asks for the default language's direction at start: for the kiosk's own languages it is
    known without loading Babel's data, and must be what Babel says."""
    from babel import Locale

    from kiosk import i18n

    for code in i18n.available_languages():
        expected = Locale.parse(i18n.babel_code(code)).character_order == "right-to-left"
        assert i18n.is_rtl(code) == expected, code
    assert {c for c in i18n.available_languages() if i18n.is_rtl(c)} == {"ar", "fa"}


def test_install_compiles_every_language(tmp_path: Path) -> None:
    """install.sh runs `pybabel compile`, which skips a catalogue whose header is marked fuzzy
    (Babel's default for a new one): the kiosk then parsed that .po with Babel at every start."""
    shutil.copytree(ROOT / "locales", tmp_path / "locales", ignore=shutil.ignore_patterns("*.mo"))
    done = subprocess.run([str(Path(sys.executable).parent / "pybabel"), "compile", "-d", "locales", "-D", "kiosk"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    po = {p.parent.parent.name for p in (tmp_path / "locales").glob("*/LC_MESSAGES/kiosk.po")}
    mo = {p.parent.parent.name for p in (tmp_path / "locales").glob("*/LC_MESSAGES/kiosk.mo")}
    assert len(po) >= 10 and mo == po, f"not compiled: {sorted(po - mo)}\n{done.stderr}"


class _ThemeByAssignment(KioskApp):
    """The kiosk with its theme set the plain Textual way (`self.theme = ...`), for comparison."""

    CSS_PATH = ROOT / "kiosk" / "kiosk.tcss"  # a relative one is found beside the class's module

    def _start_theme(self, name: str) -> None:
        self.theme = name


async def _started(app: KioskApp) -> tuple[int, dict]:
    """How often the stylesheet was parsed anew while `app` started, and what it looked like."""
    reparses = []
    reparse = app.stylesheet.reparse
    app.stylesheet.reparse = lambda: (reparses.append(1), reparse())[1]  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = {"classes": sorted(app.classes), "variables": app.stylesheet._variables,
                "filters": [(type(f).__name__, getattr(f, "_terminal_theme", None), f.enabled)
                            for f in app._filters],
                "screen": app.export_screenshot(), "theme": app.theme}
    return len(reparses), seen


async def test_the_start_theme_is_textuals_own_and_the_stylesheet_is_parsed_once(catalogue, settings, clock) -> None:
    """KioskApp._start_theme puts the theme's colours into the stylesheet before its first parse:
    the same look, classes and colour filter as Textual's theme switch, without its second parse."""
    ours = await _started(make_app(settings, catalogue, clock=clock))
    plain = await _started(_ThemeByAssignment(settings, catalogue, speech=NoSpeech(), printer=NoPrinter(),
                                              qr=NoQrCodes(), clock=clock))
    assert plain[0] >= 1, "Textual's theme switch no longer parses again: _start_theme may be dropped"
    assert ours[0] == 0
    assert ours[1] == plain[1]


class _Watched(KioskApp):
    CSS_PATH = ROOT / "kiosk" / "kiosk.tcss"

    def on_mount(self) -> None:  # Textual runs KioskApp.on_mount too, after this one
        self.collector_at_mount = gc.isenabled()


async def test_the_collector_rests_while_home_is_built_and_runs_again_once_it_is_drawn(
        catalogue, settings, clock) -> None:
    """kiosk/gcpause.py: no garbage collector passes on the way to Home, and on again after it."""
    assert gc.isenabled()
    app = _Watched(settings, catalogue, speech=NoSpeech(), printer=NoPrinter(), qr=NoQrCodes(), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.collector_at_mount is False
        assert gc.isenabled(), "the collector stayed off after Home was drawn"
    assert gc.isenabled()


def test_the_kiosk_command_leaves_the_collector_on(tmp_path: Path) -> None:
    from kiosk import cli

    bad = tmp_path / "kiosk.toml"
    bad.write_text("[kiosk\n", encoding="utf-8")
    assert cli.main(["--config", str(bad)]) == 2  # a start that ends early, before any app
    assert gc.isenabled()


def test_the_kiosk_command_checks_at_once_when_home_was_not_kept_for_the_file_as_it_is(tmp_path: Path) -> None:
    """With Home kept for the file as it is, the `kiosk` command checks the file once Home is drawn;
    after a sync (the kept Home is older than the file) it starts the check at once, beside its imports."""
    from kiosk import cli
    from sync.pull import import_file
    from tests.hsdsdata import many, write_json

    db = tmp_path / "catalogue.db"
    import_file(write_json(tmp_path / "feed.json", many(12)), db)
    assert not cli._home_kept(db)  # nothing kept yet
    with cli.open_catalogue(db) as cat:
        finder_for(cat).needs()  # a start keeps Home
    assert cli._home_kept(db)
    import_file(write_json(tmp_path / "feed2.json", many(14)), db)  # a sync
    assert not cli._home_kept(db)


async def test_the_kiosk_commands_imports_are_kept_out_of_the_collectors_sight(catalogue, settings, clock) -> None:
    """kiosk/gcpause.py `keep_for_good`: what exists before the app runs is frozen, Home and every
    later screen are not (their garbage is still collected)."""
    app = make_app(settings, catalogue, clock=clock)
    app.keep_imports_for_good = True  # as the `kiosk` command sets it
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            frozen = gc.get_freeze_count()
            assert frozen > 10_000, frozen  # the imports: modules, classes, functions
            home = app.screen
            assert any(o is home for o in gc.get_objects()), "Home was frozen with the imports"
            await pilot.click("#need-0")
            await pilot.pause()
            await pilot.click("#back")
            await pilot.pause()
            gc.collect()
            assert gc.get_freeze_count() <= frozen  # nothing frozen after the start (refcounting frees some)
    finally:
        gc.unfreeze()  # this test process starts many apps
