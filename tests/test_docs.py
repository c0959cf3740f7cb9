"""The documents name what exists: files, modules, settings, tests and systemd units named in the README,
SECURITY.md, docs/, tests/benchmarks/RESULTS.md and kiosk.toml's comments are still there under that name.

Code moves (kiosk/speech.py became kiosk/speech/engines.py, sync/store.py was split, …); a document
that still names the old place sends a reader, or a volunteer fixing a box, nowhere. Each check
collects every mention first and fails with all the stale ones, each with its file and line.
"""
from __future__ import annotations

import dataclasses
import importlib
import re
import subprocess
from pathlib import Path

import pytest

from kiosk.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted({ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "tests" / "benchmarks" / "RESULTS.md",
                    *(ROOT / "docs").rglob("*.md"), ROOT / "kiosk.toml"})

# A path to a Python, shell or unit file ("kiosk/speech/mode.py", "tools/tapcheck.sh", "feed.py").
PATH = re.compile(r"(?<![\w/.-])((?:[\w-]+/)*[\w-]+\.(?:py|sh|service|timer|tcss))\b")
# A data file or document of the repository, with its folder ("docs/tap-check.png"); a bare name
# such as "catalogue.db" is something the kiosk makes, not a file of the repository.
DATA_PATH = re.compile(r"(?<![\w/.~-])((?:[\w-]+/)+[\w.-]+\.(?:png|md|toml|json|txt|svg|csv))\b")
# A dotted name in the kiosk's or the catalogue's package ("sync.catalogue.Catalogue"), in backticks.
DOTTED = re.compile(r"`((?:kiosk|sync)(?:\.[A-Za-z_]\w*)+)`")
# A settings key as the documents write it: "[section] key".
SETTING = re.compile(r"`\[(\w+)\] (\w+)")
# A test by its function name.
TEST_NAME = re.compile(r"`(test_\w+)`")
# A systemd unit the operator is told to start, stop or look at.
UNIT = re.compile(r"systemctl (?:start|stop|restart|status|enable|disable) ([\w@.-]+)")


def tracked_files() -> list[str]:
    done = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


def mentions(pattern: re.Pattern[str], documents: list[Path]) -> list[tuple[str, str]]:
    """(where, what): every match of `pattern` in `documents`, `where` as "README.md:12"."""
    found = []
    for document in documents:
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            found += [(f"{document.relative_to(ROOT)}:{number}", m.group(1)) for m in pattern.finditer(line)]
    return found


def stale_paths(documents: list[Path], files: list[str]) -> list[str]:
    """Paths named in `documents` that are no file of `files`. A path with a folder must be exact
    (from the repository's root or the document's own folder); a bare file name ("feed.py", as in the
    README's layout) must be the name of some file."""
    names = {Path(f).name for f in files}
    have = set(files)
    stale = []
    for where, path in mentions(PATH, documents) + mentions(DATA_PATH, documents):
        here = Path(where.rsplit(":", 1)[0]).parent
        if "/" in path:
            if path not in have and (here / path).as_posix() not in have:
                stale.append(f"{where}: {path}")
        elif path not in names:
            stale.append(f"{where}: {path}")
    return stale


def resolves(dotted: str) -> bool:
    """`dotted` is a module, or a module's attribute (an attribute's attribute …)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def setting_keys() -> set[tuple[str, str]]:
    keys = set()
    for section in dataclasses.fields(Settings):
        keys |= {(section.name, f.name) for f in dataclasses.fields(type(getattr(Settings(), section.name)))}
    return keys


def test_every_file_a_document_names_exists():
    stale = stale_paths(DOCUMENTS, tracked_files())
    assert not stale, "named in a document but not in the repository:\n" + "\n".join(stale)


def test_every_module_and_name_a_document_names_exists():
    stale = [f"{where}: {dotted}" for where, dotted in mentions(DOTTED, DOCUMENTS)
             if not re.search(r"\.(toml|tcss|db|json|po|pot|service|timer)$", dotted) and not resolves(dotted)]
    assert not stale, "named in a document but not in the code:\n" + "\n".join(stale)


def test_every_setting_a_document_names_exists():
    keys = setting_keys()
    stale = []
    for document in DOCUMENTS:
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            for section, key in SETTING.findall(line):
                if (section, key) not in keys:
                    stale.append(f"{document.relative_to(ROOT)}:{number}: [{section}] {key}")
    assert not stale, "settings named in a document that kiosk.toml does not have:\n" + "\n".join(stale)


def test_every_test_a_document_names_exists():
    defined = set()
    for name in tracked_files():
        if name.startswith("tests/") and name.endswith(".py"):
            defined |= set(re.findall(r"def (test_\w+)", (ROOT / name).read_text(encoding="utf-8")))
    stale = [f"{where}: {name}" for where, name in mentions(TEST_NAME, DOCUMENTS) if name not in defined]
    assert not stale, "tests named in a document that no test file defines:\n" + "\n".join(stale)


def test_every_unit_a_document_names_is_installed():
    units = {Path(name).name for name in tracked_files() if name.startswith("deploy/")}
    stale = [f"{where}: {unit}" for where, unit in mentions(UNIT, DOCUMENTS)
             if unit not in units and f"{unit}.service" not in units]
    assert not stale, "systemd units named in a document that deploy/ does not have:\n" + "\n".join(stale)


def test_the_checks_see_a_stale_name(tmp_path, monkeypatch):
    """The checks above fail for a document that names a moved module, a removed name, an unknown
    setting or a renamed test."""
    document = ROOT / "docs" / "stale-example.md"  # under ROOT, so that relative_to works; not written
    text = ("The speech mode lives in `kiosk/speechmode.py`, its processes in speechproc.py; read by\n"
            "`sync.catalogue.NoSuchReader` and `sync.nosuchmodule`. Set `[kiosk] speak_on_focus = true`.\n"
            "Tested in `test_nothing_by_this_name`. Fine: `kiosk/speech/mode.py`, `sync.catalogue.Catalogue`.\n"
            "Restart it: `sudo systemctl restart kiosk` (fine: `systemctl stop dritte-orte-kiosk`).\n"
            "See docs/gone.png; fine: docs/tap-check.png, var/catalogue.db, ~/.config/x/kiosk.toml.\n")
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: text if self == document
                        else Path.read_bytes(self).decode(encoding or "utf-8"))
    files = tracked_files()
    assert stale_paths([document], files) == ["docs/stale-example.md:1: kiosk/speechmode.py",
                                              "docs/stale-example.md:1: speechproc.py",
                                              "docs/stale-example.md:5: docs/gone.png"]
    dotted = [d for _w, d in mentions(DOTTED, [document])]
    assert [d for d in dotted if not resolves(d)] == ["sync.catalogue.NoSuchReader", "sync.nosuchmodule"]
    assert ("kiosk", "speak_on_focus") not in setting_keys() and ("kiosk", "idle_seconds") in setting_keys()
    monkeypatch.setattr("tests.test_docs.DOCUMENTS", [document])
    with pytest.raises(AssertionError, match="test_nothing_by_this_name"):
        test_every_test_a_document_names_exists()
    with pytest.raises(AssertionError, match=r"\[kiosk\] speak_on_focus"):
        test_every_setting_a_document_names_exists()
    with pytest.raises(AssertionError, match=r"stale-example.md:4: kiosk\n|stale-example.md:4: kiosk$"):
        test_every_unit_a_document_names_is_installed()
