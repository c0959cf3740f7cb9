"""The kiosk as a real package: a built wheel, installed into a fresh venv outside the checkout, runs.

The wheel is built from a copy of the project's files (so the checkout is not written to), then
installed with its dependencies at the versions of constraints.txt (from the registry or pip's
cache) into a venv under a temporary folder. Everything then runs with that venv's Python, in a
folder far from the checkout and with its own $HOME: `import`, `kiosk-sync import` and `search` on
the bundled demo catalogue, and the kiosk itself on the demo, driven by Textual's Pilot.

Slow (a venv and a wheel, 30-90 s), so it is one module-scoped installation for all tests here.
Without a registry or a cache the tests are skipped, naming why; under CI=true a skip fails.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What a wheel is built from; everything else (tests, deploy, .git) stays out of the copy.
SOURCES = ("pyproject.toml", "README.md", "kiosk", "sync", "assets", "locales")
OFFLINE = re.compile(r"No matching distribution|Could not find a version|NewConnectionError|"
                     r"Temporary failure in name resolution|Network is unreachable", re.IGNORECASE)


def _run(args, *, env=None, cwd=None, timeout=600, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, **kw)


class Installed:
    def __init__(self, base: Path, wheel: Path, venv: Path) -> None:
        self.base, self.wheel, self.venv = base, wheel, venv
        self.home = base / "home"
        self.work = base / "elsewhere"  # the working directory: neither the checkout nor the venv
        self.home.mkdir()
        self.work.mkdir()
        self.python = venv / "bin" / "python"
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("PYTHONPATH", "VIRTUAL_ENV", "KIOSK_CONFIG") and not k.startswith("XDG_")}
        self.env.update(HOME=str(self.home), PYTHONNOUSERSITE="1", LANG="C.UTF-8")

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        done = _run(list(args), env=self.env, cwd=self.work, timeout=timeout)
        assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT)
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(src, source / name)
    dist = base / "dist"
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(source)])
    if done.returncode and OFFLINE.search(done.stderr):
        pytest.skip(f"no package registry or cache to build the wheel with (setuptools): {done.stderr[-300:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    wheel, = dist.glob("dritte_orte_kiosk-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    done = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-c", str(ROOT / "constraints.txt"),
                 str(wheel)], cwd=base)
    if done.returncode and OFFLINE.search(done.stderr):
        pytest.skip(f"no package registry or cache to install the wheel's dependencies from: {done.stderr[-300:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    return Installed(base, wheel, venv)


def test_the_wheel_holds_the_stylesheet_translations_assets_and_demo(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    expected = {"kiosk/kiosk.tcss", "kiosk/other-screens.tcss", "kiosk_assets/demo-catalogue.json",
                "kiosk_assets/needs.toml", "kiosk_assets/synonyms.txt", "kiosk_locales/de/LC_MESSAGES/kiosk.po"}
    # Every data file of assets/ (not the demo generator) and every translation, also ones added later.
    expected |= {"kiosk_assets/" + str(p.relative_to(ROOT / "assets")) for p in (ROOT / "assets").rglob("*")
                 if p.is_file() and p.suffix not in (".py", ".pyc")}
    expected |= {"kiosk_locales/" + str(p.relative_to(ROOT / "locales")) for p in (ROOT / "locales").rglob("*.po")}
    assert expected <= names, sorted(expected - names)
    # Every module of the checkout is in the wheel (a new subpackage must be listed in pyproject.toml).
    modules = {str(p.relative_to(ROOT)) for pkg in ("kiosk", "sync") for p in (ROOT / pkg).rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules <= names, f"missing from the wheel (add the package to pyproject.toml): {sorted(modules - names)}"
    assert not any(n.startswith(("tests/", "var/")) or n.endswith(".db") for n in names)


def test_the_installed_package_is_imported_from_the_venv_not_the_checkout(installed):
    out = installed.run(str(installed.python), "-c", (
        "import json, kiosk, sync, kiosk.app, kiosk_assets, kiosk_locales\n"
        "from kiosk import i18n\n"
        "print(json.dumps({'files': [kiosk.__file__, sync.__file__, kiosk_assets.__file__],"
        " 'languages': i18n.available_languages()}))")).stdout
    found = json.loads(out)
    for path in found["files"]:
        assert Path(path).resolve().is_relative_to(installed.venv.resolve()), path
        assert not Path(path).resolve().is_relative_to(ROOT)
    assert {"de", "en"} <= set(found["languages"])


def test_kiosk_sync_imports_and_searches_the_demo_into_the_xdg_data_folder(installed):
    code = "from kiosk.cli import DEMO_CATALOGUE as d; print(d)"
    demo = installed.run(str(installed.python), "-c", code).stdout.strip()
    assert Path(demo).resolve().is_relative_to(installed.venv.resolve()) and Path(demo).is_file()
    sync_cmd = str(installed.venv / "bin" / "kiosk-sync")
    installed.run(sync_cmd, "import", demo)
    database = installed.home / ".local" / "share" / "dritte-orte-kiosk" / "catalogue.db"
    assert database.is_file(), "the default catalogue belongs in $XDG_DATA_HOME, not next to the code"
    assert not list(installed.venv.rglob("*.db")), "nothing may be written into the venv"
    hits = json.loads(installed.run(sync_cmd, "search", "Pflege", "--json").stdout)
    assert hits and all(hit["id"] and hit["name"] for hit in hits)
    # (search reads the thesaurus assets/synonyms.txt: from the wheel, or it would fail with its path)
    status = installed.run(sync_cmd, "status", "--json").stdout
    assert json.loads(status)["offers"] > 10


KIOSK_ON_DEMO = r"""
import asyncio, json
from kiosk.app import make_app
from kiosk.cli import open_catalogue
from kiosk.config import Settings

settings = Settings.defaults()
catalogue = open_catalogue(settings.catalogue.database)

def text(app):
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

async def main():
    app = make_app(settings, catalogue)
    out = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        out["home"] = text(app)
        out["css"] = [str(p) for p in app.css_path]
        out["rules"] = len(app.stylesheet.rules)
        first = app.screen.query_one("#need-0")
        out["need"] = str(first.label)
        assert await pilot.click(first)
        await pilot.pause(); await pilot.pause()
        out["screen"] = type(app.screen).__name__
        out["results"] = text(app)
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_kiosk_runs_on_the_demo_from_the_installed_wheel(installed):
    found = json.loads(installed.run(str(installed.python), "-c", KIOSK_ON_DEMO, timeout=180).stdout)
    assert "Teestube Lengerich" in found["home"] and "Willkommen" in found["home"]  # German, from the .po
    assert found["css"] and all(Path(p).resolve().is_relative_to(installed.venv.resolve()) for p in found["css"])
    assert found["rules"] > 20, "the stylesheet kiosk.tcss was not loaded"
    assert found["screen"] == "ResultsScreen"
    assert found["need"].strip() and found["need"].split()[-1] in found["results"]
    database = installed.home / ".local" / "share" / "dritte-orte-kiosk" / "catalogue.db"
    assert database.is_file()


def test_kiosk_doctor_runs_from_the_installed_wheel(installed):
    done = _run([str(installed.venv / "bin" / "kiosk"), "doctor", "--json"], env={**installed.env, "TERM": "foot"},
                cwd=installed.work, timeout=120)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    findings = {f["area"]: f for f in json.loads(done.stdout)}
    assert {"catalogue", "feed", "disk", "terminal"} <= set(findings)
    assert str(installed.home) in findings["disk"]["text"]  # the XDG data folder (or the nearest that exists)


def _pins() -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_every_dependency_is_pinned_in_constraints_txt():
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    unpinned = sorted(str(r) for r in map(Requirement, wanted) if canonicalize_name(r.name) not in _pins())
    assert not unpinned, f"add to constraints.txt (see README, 'Updating the pinned versions'): {unpinned}"


def test_the_fresh_install_holds_exactly_the_pinned_versions(installed):
    from packaging.utils import canonicalize_name

    frozen = installed.run(str(installed.python), "-m", "pip", "freeze", "--exclude", "dritte-orte-kiosk").stdout
    pins = _pins()
    for line in frozen.splitlines():
        name, _, version = line.partition("==")
        assert pins.get(canonicalize_name(name)) == version, f"{line} is not pinned in constraints.txt"
