"""Import contracts, checked on every module that exists, not on a hand-kept list.

* `sync` (the catalogue, its search and `kiosk-sync`) never imports Textual or `kiosk`: it runs on a
  server, in the sync child and in tests without a screen.
* A `kiosk` module whose docstring says it has no Textual ("No Textual here", "must not import
  Textual") really imports none, so settings, the need map, the finder and the sync child load
  without a screen.

Each check runs in a fresh interpreter (this test process has imported Textual long ago) and names
the module that pulled a forbidden one in.
"""
from __future__ import annotations

import ast
import json
import pkgutil
import re
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import kiosk
import sync

_PROBE = r"""
import importlib, json, sys
forbidden, names = sys.argv[1].split(","), sys.argv[2:]
def loaded():
    return {m for m in sys.modules if m.split(".")[0] in forbidden}
culprits = {}
for name in names:
    before = loaded()
    importlib.import_module(name)
    new = sorted(loaded() - before)
    if new:
        culprits[name] = new[:5]
print(json.dumps(culprits))
"""


def _modules(package) -> list[str]:
    """Every module of `package`, subpackages included; not `__main__` (importing it runs the program)."""
    return sorted(info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
                  if not info.name.endswith(".__main__"))


def _probe(forbidden: tuple[str, ...], names: list[str]) -> dict[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", _PROBE, ",".join(forbidden), *names],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_the_module_discovery_finds_every_module_of_sync():
    names = _modules(sync)
    files = {p.stem for folder in sync.__path__ for p in Path(folder).glob("*.py")} - {"__init__", "__main__"}
    assert {f"sync.{stem}" for stem in files} <= set(names)
    assert len(names) >= 14


def test_sync_never_imports_textual_or_kiosk():
    culprits = _probe(("textual", "kiosk"), ["sync", *_modules(sync)])
    assert culprits == {}, f"these sync modules import Textual or kiosk: {culprits}"


def test_kiosk_modules_that_promise_no_textual_import_none():
    promise = re.compile(r"no textual|must not import textual", re.IGNORECASE)
    promised = []
    for name in _modules(kiosk):
        doc = _docstring(name)
        if doc and promise.search(doc):
            promised.append(name)
    assert {"kiosk.config", "kiosk.syncjob", "kiosk.needmap"} <= set(promised)
    culprits = _probe(("textual",), promised)
    assert culprits == {}, f"these kiosk modules promise no Textual but import it: {culprits}"


def _docstring(name: str) -> str | None:
    """The module's docstring, read from its source without importing it."""
    spec = find_spec(name)
    assert spec is not None and spec.origin, name
    return ast.get_docstring(ast.parse(Path(spec.origin).read_text(encoding="utf-8")))
