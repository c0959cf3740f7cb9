"""Import contracts, checked on every module that exists, not on a hand-kept list.

* `sync` (the catalogue, its search and the catalogue's commands of `kiosk-sync`) never imports
  Textual or `kiosk`, not even lazily inside a function: it runs on a server, in the sync child and
  in tests without a screen. Checked twice: every statement of every file under sync/ is read with
  `ast` (an import that only a rare command path runs counts too), and every module is imported
  in a fresh interpreter.
* A `kiosk` module whose docstring says it has no Textual ("No Textual here", "must not import
  Textual") really imports none, so settings, the need map, the finder and the sync child load
  without a screen.

Each import check runs in a fresh interpreter (this test process has imported Textual long ago) and
names the module that pulled a forbidden one in; the statement check names file, line and statement.
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

import pytest

import kiosk
import sync

_PROBE = r"""
import importlib, json, sys
forbidden, names = sys.argv[1].split(","), sys.argv[2:]
def loaded():
    return {m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in forbidden)}
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
    files = {_package_of(p) + ("" if p.stem == "__init__" else "." + p.stem) for p in _sources(sync)}
    assert files - {"sync", "sync.__main__"} == set(names)  # subpackages too: sync/sub/x.py is sync.sub.x
    assert len(names) >= 14


def test_sync_never_imports_textual_or_kiosk():
    culprits = _probe(LAYER_FORBIDDEN, ["sync", *_modules(sync)])
    assert culprits == {}, f"these sync modules import Textual or kiosk: {culprits}"


def test_no_statement_in_sync_imports_textual_or_kiosk_not_even_lazily():
    files = _sources(sync)
    assert {"cli.py", "__init__.py", "__main__.py"} <= {p.name for p in files} and len(files) >= 16
    found = [hit for path in files for hit in forbidden_imports(path.read_text(encoding="utf-8"), _package_of(path),
                                                                LAYER_FORBIDDEN, where=str(path))]
    assert found == [], "sync must not import Textual or kiosk (the kiosk's commands of kiosk-sync live in " \
                        "kiosk/synccli.py):\n" + "\n".join(found)


@pytest.mark.parametrize("source", [
    "import kiosk",
    "import textual.app as ta",
    "import os, kiosk.config",
    "from kiosk.config import load_settings",
    "from textual import events",
    "def f():\n    from kiosk import programme\n    return programme",
    "class C:\n    def m(self):\n        import textual\n",
    "if TYPE_CHECKING:\n    from kiosk.config import Settings",
    "try:\n    import kiosk.report\nexcept ImportError:\n    pass",
    "import importlib\nimportlib.import_module('kiosk.report')",
    "from importlib import import_module as im\ndef f():\n    return im('textual.widgets')",
    "__import__('kiosk')",
    "from ... import kiosk",  # in the package sync.sub: beyond sync, at the top level
    "from ...kiosk.config import Settings",
])
def test_the_statement_check_finds_every_form_of_import(source):
    assert len(forbidden_imports(source, "sync.sub", LAYER_FORBIDDEN)) == 1


@pytest.mark.parametrize("source", [
    "import sync.kiosky, textualize",
    "from . import kiosk",  # sync.sub.kiosk, a module of sync
    "from .kiosk import x",
    "from sync.catalogue import Catalogue",
    "text = 'import kiosk'  # a string is not an import",
    "import_module(name)",  # not a literal: cannot be told, not counted
])
def test_the_statement_check_lets_other_imports_pass(source):
    assert forbidden_imports(source, "sync.sub", LAYER_FORBIDDEN) == []


def test_starting_the_kiosk_loads_no_command_line_of_kiosk_sync():
    """`kiosk` starts the app without the kiosk-sync commands: they would only cost start-up time."""
    culprits = _probe(("kiosk.synccli", "sync.cli"), ["kiosk.cli", "kiosk.app"])
    assert culprits == {}, culprits


LAYER_FORBIDDEN = ("textual", "kiosk")


def forbidden_imports(source: str, package: str, forbidden: tuple[str, ...], where: str = "") -> list[str]:
    """Every statement of `source` (a module of `package`) that imports a package in `forbidden`
    or one of its modules: `import x`, `from x import y`, relative imports that leave the top-level
    package, and `importlib.import_module("x...")` / `__import__("x")` with a literal name; at any
    depth (in functions, classes, `if TYPE_CHECKING:`, `try:`). Each as "where:line: statement"."""
    tree = ast.parse(source)
    importers = {"import_module", "__import__"} | {  # and their other names: from importlib import import_module as im
        alias.asname for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "importlib"
        for alias in node.names if alias.name == "import_module" and alias.asname}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            names = [base] if node.module else [f"{base}.{alias.name}".lstrip(".") for alias in node.names]
        elif isinstance(node, ast.Call) and _called_name(node.func) in importers and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            names = [node.args[0].value]
        if any(name.split(".")[0] in forbidden for name in names):
            found.append(f"{where or package}:{node.lineno}: {ast.get_source_segment(source, node)}")
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The absolute module name of a `from` import; a relative one beyond the top leaves the package's
    name behind (`from ... import kiosk` in sync.sub.mod is the top-level `kiosk`)."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    kept = parts[:max(0, len(parts) - node.level + 1)]
    return ".".join([*kept, node.module] if node.module else kept)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _sources(package) -> list[Path]:
    """Every Python file of `package` on disk, subfolders included (`__main__` too: it is read, not run)."""
    return sorted(p for folder in package.__path__ for p in Path(folder).rglob("*.py"))


def _package_of(path: Path) -> str:
    """The package a file's relative imports start from: sync/x.py is in sync, sync/sub/__init__.py is sync.sub."""
    return ".".join(path.parent.relative_to(Path(sync.__path__[0]).parent).parts)


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
