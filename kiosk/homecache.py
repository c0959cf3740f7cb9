"""The start screen's need buttons and "help for whom?" answers, kept in a file beside the catalogue.

Building them reads the category of every offer: 0.3 to 0.6 s at 50,000 offers here, seconds on a
Raspberry Pi, at every start of the kiosk. They change only when the catalogue, the need map or the
code that builds them changes, so the finder writes them to `<catalogue>.home.json` and the next
start draws Home from that file; the full cache (which offers each button holds) is built after
Home is drawn. A file made for another state of the catalogue, another map or another version of
this code is ignored and replaced. A folder the kiosk may not write to only costs the speed-up.

The file also keeps what else Home shows of the catalogue: the number of offers, the last good
sync and the number of offers held at this place. With it, the `kiosk` command draws Home before
the catalogue file has been opened at all: SQLite's quick check runs after Home is drawn
(kiosk.cli.CheckedLater), and nothing is read from the file before it has passed. These are counts
and the words of the need buttons, written by an earlier start from the same file (same identity,
size and change time) after that file had passed its check; damage that leaves a file's size and
time alone (bit rot) is found by the check a moment later, and Home is then built again from the
last good copy.

The file holds catalogue words and counts, nothing about a visitor.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .topics import Audience, Need

FORMAT = 2  # bump when the file's content changes shape
_CODE = [Path(__file__).with_name(name) for name in ("topics.py", "needmap.py", "homecache.py")]


class Kept(NamedTuple):
    """What Home shows of the catalogue, as an earlier start found it."""

    needs: list[Need]
    audiences: list[Audience]
    offers: int  # visible offers (`CatalogueStatus.offers`)
    last_success: str | None  # the last good sync (`CatalogueStatus.last_success`)
    here: int | None  # offers held at this place; None: not known without reading (a programme)


def cache_path(catalogue: Path) -> Path:
    return catalogue.with_name(catalogue.name + ".home.json")


def fingerprint(catalogue: Path, state: Iterable[object], sources: Iterable[Path]) -> str:
    """What the buttons depend on: the catalogue file read (its identity, size and change time, and
    those of a -wal file with commits in it, where a sync's commits land), `state` (e.g. the place's
    location names), and the bytes of the need map files and of the code that builds the buttons.

    Nothing is read from the catalogue itself, so this can be asked before the file is opened and
    checked. An empty -wal file counts as none: opening a WAL file creates one. The caller takes
    the fingerprint BEFORE reading what it keeps under it, so that a sync that commits in between
    changes the file's state and the next start does not take older buttons for newer ones."""
    parts: list[object] = [FORMAT, str(catalogue.resolve()), *state]
    for path in (catalogue, Path(f"{catalogue}-wal")):
        try:
            st = path.stat()
        except OSError:
            st = None
        parts += [st.st_ino, st.st_size, st.st_mtime_ns] if st is not None and st.st_size else [None]
    for source in [*sources, *_CODE]:
        try:
            parts.append(hashlib.sha256(source.read_bytes()).hexdigest())
        except OSError:
            parts.append(None)
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def read(path: Path, key: str) -> Kept | None:
    """What the file keeps if it was written for `key`, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        needs = [Need(n["key"], n["label"], bool(n["translate"]), n["icon"], int(n["count"]), dict(n["labels"]))
                 for n in data["needs"]]
        audiences = [Audience(a["key"], a["label"], a["title"], bool(a["translate"]), tuple(a["groups"]),
                              dict(a["labels"]), dict(a["titles"])) for a in data["audiences"]]
        last, here = data["last_success"], data["here"]
        return Kept(needs, audiences, int(data["offers"]), None if last is None else str(last),
                    None if here is None else int(here))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(path: Path, key: str, kept: Kept) -> None:
    """Keep Home's buttons and counts for the next start (atomically; a failure to write is not an error)."""
    needs, audiences = kept.needs, kept.audiences
    data = {
        "key": key, "offers": kept.offers, "last_success": kept.last_success, "here": kept.here,
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
