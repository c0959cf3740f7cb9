"""Streamed JSON that one hostile record cannot stop or blow up.

`items` yields the values at an ijson prefix ("item", "contents.item", or "" for the whole
document) like ``ijson.items``, with two differences:

* Bounded memory per record. ``ijson.items`` builds the path of every event as a string, so a
  record nested 10,000 deep costs 250 MB (100,000 deep: 25 GB). Here records are built from
  ``basic_parse`` events (no paths) and a value nested deeper than `MAX_BUILD_DEPTH`, or past
  `text.MAX_NODES` values in one record, is not built: a `text.Cut` marker stands in its place and
  the rest of it is read past. `hsds.normalise_service` then refuses that record by id and field.
  Building in Python costs about 0.6 s per 50,000 offers over ``ijson.items`` in C.
* Valid JSON that yajl (ijson's C backend) refuses: a number beyond 64 bits ("integer overflow")
  and a lone surrogate escape such as ``"\\udc00"`` (a UnicodeDecodeError). The file is then read
  again with ijson's pure-Python backend, which reads both, skipping the items already yielded:
  about 20x slower (9 s for 50,000 offers), but only for such files.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

import ijson

from .text import MAX_DEPTH, MAX_NODES, Cut

_PYTHON = ijson.get_backend("python")
MAX_BUILD_DEPTH = MAX_DEPTH + 2  # the record check (text.MAX_DEPTH) speaks first where it can


def _only_c_fails(exc: BaseException) -> bool:
    """True for the errors of the C backend that the Python backend does not have."""
    return isinstance(exc, UnicodeDecodeError) or "integer overflow" in str(exc)


def items(fh: BinaryIO, prefix: str) -> Iterator[object]:
    """Like ``ijson.items(fh, prefix, use_float=True)``, bounded per item; `fh` must be seekable."""
    target = prefix.split(".") if prefix else []
    done = 0
    try:
        for item in _items(ijson.basic_parse(fh, use_float=True), target):
            yield item
            done += 1
        return
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        if not _only_c_fails(exc):
            raise
    fh.seek(0)
    for i, item in enumerate(_items(_PYTHON.basic_parse(fh, use_float=True), target)):
        if i >= done:
            yield item


def top_level_keys(fh: BinaryIO) -> set[str]:
    """The keys of the JSON object in `fh` (read to the end, nothing kept but the keys)."""
    def keys(events) -> set[str]:
        found, depth = set(), 0
        for event, value in events:
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
            elif event == "map_key" and depth == 1:
                found.add(value)
        return found

    try:
        return keys(ijson.basic_parse(fh))
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        if not _only_c_fails(exc):
            raise
    fh.seek(0)
    return keys(_PYTHON.basic_parse(fh))


def parse_whole(body: bytes) -> object | None:
    """The one JSON value in `body`, bounded like `items` (for what `json.loads` refuses as nested
    too deeply), or None when it is not valid JSON after all."""
    try:
        return next(items(io.BytesIO(body), ""), None)
    except (ijson.JSONError, UnicodeDecodeError, ValueError):
        return None


def _items(events, target: list[str]) -> Iterator[object]:
    outer: list[str | None] = []  # the ijson path of the current place, outside the items
    for event, value in events:
        if event == "map_key":
            outer[-1] = value
        elif event == "end_map" or event == "end_array":
            outer.pop()
        elif outer == target:
            yield _build(events, event) if event in ("start_map", "start_array") else value
        elif event == "start_map":
            outer.append(None)
        elif event == "start_array":
            outer.append("item")


def _build(events, first: str, limit: int = MAX_BUILD_DEPTH + 1) -> object:
    # Item-level containers count from the target container: an item in a page document
    # ("contents.item") is the same depth as one in a plain array ("item").
    root: dict | list = {} if first == "start_map" else []
    stack: list = [root]
    keys: list = [None]
    nodes = 0
    for event, value in events:
        if event == "map_key":
            keys[-1] = value
            continue
        if event == "end_map" or event == "end_array":
            stack.pop()
            keys.pop()
            if not stack:
                return root
            continue
        nodes += 1
        opening = event == "start_map" or event == "start_array"
        if nodes > MAX_NODES:
            value = Cut("holds too many values for one service")
            _read_past(events, len(stack) + opening)
            _put(stack[-1], keys[-1], value)
            return root
        if opening:
            if len(stack) >= limit:
                value = Cut(f"nested deeper than {MAX_DEPTH} levels")
                _read_past(events, 1)
                _put(stack[-1], keys[-1], value)
                continue
            value = {} if event == "start_map" else []
            _put(stack[-1], keys[-1], value)
            stack.append(value)
            keys.append(None)
            continue
        _put(stack[-1], keys[-1], value)
    raise ijson.IncompleteJSONError("the file ends inside a record")


def _put(container, key, value) -> None:
    if type(container) is dict:
        container[key] = value
    else:
        container.append(value)


def _read_past(events, depth: int) -> None:
    """Consume events until `depth` open containers have closed."""
    for event, _value in events:
        if event == "start_map" or event == "start_array":
            depth += 1
        elif event == "end_map" or event == "end_array":
            depth -= 1
            if depth == 0:
                return
