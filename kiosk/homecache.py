"""The start screen's need buttons and "help for whom?" answers, kept in a file beside the catalogue.

Building them reads the category of every offer: 0.3 to 0.6 s at 50,000 offers here, seconds on a
Raspberry Pi, at every start of the kiosk. They change only when the catalogue, the need map or the
code that builds them changes, so the finder writes them to `<catalogue>.home.json` and the next
start draws Home from that file; the full cache (which offers each button holds) is built after
Home is drawn. A file made for another state of the catalogue, another map or another version of
this code is ignored and replaced. A folder the kiosk may not write to only costs the speed-up.

The file holds catalogue words and counts, nothing about a visitor.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .topics import Audience, Need

FORMAT = 1  # bump when the file's content changes shape
_CODE = [Path(__file__).with_name(name) for name in ("topics.py", "needmap.py", "homecache.py")]


def cache_path(catalogue: Path) -> Path:
    return catalogue.with_name(catalogue.name + ".home.json")


def fingerprint(catalogue: Path, state: Iterable[object], sources: Iterable[Path]) -> str:
    """What the buttons depend on: the catalogue file (its identity, size and change time, and the
    -wal file's, where a sync's commits land), `state` (e.g. the last good sync and the number of
    offers), and the bytes of the need map files and of the code that builds the buttons."""
    parts: list[object] = [FORMAT, str(catalogue.resolve()), *state]
    for path in (catalogue, Path(f"{catalogue}-wal")):
        try:
            st = path.stat()
            parts += [st.st_ino, st.st_size, st.st_mtime_ns]
        except OSError:
            parts.append(None)
    for source in [*sources, *_CODE]:
        try:
            parts.append(hashlib.sha256(source.read_bytes()).hexdigest())
        except OSError:
            parts.append(None)
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def read(path: Path, key: str) -> tuple[list[Need], list[Audience]] | None:
    """The buttons from the file if it was written for `key`, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        needs = [Need(n["key"], n["label"], bool(n["translate"]), n["icon"], int(n["count"]), dict(n["labels"]))
                 for n in data["needs"]]
        audiences = [Audience(a["key"], a["label"], a["title"], bool(a["translate"]), tuple(a["groups"]),
                              dict(a["labels"]), dict(a["titles"])) for a in data["audiences"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return needs, audiences


def write(path: Path, key: str, needs: list[Need], audiences: list[Audience]) -> None:
    """Keep the buttons for the next start (atomically; a failure to write is not an error)."""
    data = {
        "key": key,
        "needs": [{"key": n.key, "label": n.label, "translate": n.translate, "icon": n.icon, "count": n.count,
                   "labels": dict(n.labels)} for n in needs],
        "audiences": [{"key": a.key, "label": a.label, "title": a.title, "translate": a.translate,
                       "groups": list(a.groups), "labels": dict(a.labels), "titles": dict(a.titles)}
                      for a in audiences],
    }
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
