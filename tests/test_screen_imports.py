"""No circle between the app and its screens: `kiosk.app` imports the screens, never the other way.

Screens and widgets know the app only as `kiosk.screens.context.KioskContext`, a typed interface
that `kiosk.app.KioskApp` implements (mypy checks that it does). Checked twice, on every module that
exists rather than on a hand-kept list:

* in a fresh interpreter (this test process has imported the app long ago), importing each screen
  and widget module loads no `kiosk.app`;
* in the source, no screen or widget module imports `kiosk.app` at module level, not even for
  type checking only (`if TYPE_CHECKING:`), where mypy and import-graph tools would still see a
  circle.
"""
from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import kiosk.screens
import kiosk.widgets

APP = "kiosk.app"

_PROBE = r"""
import importlib, json, sys
found = {}
for name in sys.argv[2:]:
    importlib.import_module(name)
    if sys.argv[1] in sys.modules:
        found[name] = True
        break  # the first module that pulled it in is the one to name
print(json.dumps(sorted(found)))
"""


def _modules() -> list[str]:
    """Every module of kiosk.screens and kiosk.widgets."""
    return sorted(info.name for package in (kiosk.screens, kiosk.widgets)
                  for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))


def _source(name: str) -> tuple[Path, ast.Module]:
    spec = find_spec(name)
    assert spec is not None and spec.origin, name
    path = Path(spec.origin)
    return path, ast.parse(path.read_text(encoding="utf-8"))


def _imported(name: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The absolute module names an import statement in module `name` may load."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    package = name.rsplit(".", 1)[0]  # screens and widgets are modules, not packages
    if node.level:
        base = package.split(".")
        base = base[:len(base) - node.level + 1]
        stem = ".".join(base + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
    return {stem} | {f"{stem}.{alias.name}" for alias in node.names}


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported or that type checkers follow: the module's own
    statements, `if` blocks (`if TYPE_CHECKING:`) and `try` blocks; not those inside functions."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, (ast.If, ast.Try)):
            todo += node.body + node.orelse
            todo += [stmt for handler in getattr(node, "handlers", []) for stmt in handler.body]
            todo += getattr(node, "finalbody", [])
    return found


def test_the_discovery_finds_every_screen_and_widget_module():
    names = _modules()
    for package in (kiosk.screens, kiosk.widgets):
        folder = Path(package.__path__[0])
        stems = {p.stem for p in folder.glob("*.py")} - {"__init__"}
        assert {f"{package.__name__}.{stem}" for stem in stems} <= set(names)
    assert {"kiosk.screens.base", "kiosk.screens.context", "kiosk.screens.home", "kiosk.widgets.cards"} <= set(names)


def test_importing_the_screens_and_widgets_does_not_load_the_app():
    names = _modules()
    done = subprocess.run([sys.executable, "-c", _PROBE, APP, *names], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == [], f"importing this module loads {APP}: {done.stdout}"


def test_the_probe_would_see_the_app_being_loaded():
    # The check above can fail: a module that does load the app is named.
    done = subprocess.run([sys.executable, "-c", _PROBE, APP, "kiosk.screens.base", APP],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == [APP]


def test_no_screen_or_widget_imports_the_app_module_even_for_types():
    offenders = []
    for name in _modules():
        path, tree = _source(name)
        for node in _module_level_imports(tree):
            if APP in _imported(name, node):
                offenders.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert offenders == [], "screens must reach the app through kiosk.screens.context, not kiosk.app"


def test_the_source_check_recognises_each_way_of_importing_the_app():
    cases = ["from ..app import KioskApp", "from .. import app", "import kiosk.app",
             "from kiosk.app import make_app", "from kiosk import app",
             "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..app import KioskApp"]
    for source in cases:
        nodes = _module_level_imports(ast.parse(source))
        assert any(APP in _imported("kiosk.screens.base", node) for node in nodes), source
    harmless = "from ..config import Settings\nfrom .context import KioskContext\nfrom textual.app import App"
    nodes = _module_level_imports(ast.parse(harmless))
    assert not any(APP in _imported("kiosk.screens.base", node) for node in nodes)
