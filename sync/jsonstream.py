"""Streamed JSON that one hostile record cannot stop: ijson's fast C parser, and its Python parser
for the rest of a file where the C one gives up.

yajl (ijson's C backend) stops the whole file at a number beyond 64 bits ("integer overflow") and
at a lone surrogate escape such as ``"\\udc00"`` (a UnicodeDecodeError), although both are valid
JSON. Then the file is read again with ijson's pure-Python backend, which reads both (the number
as a Python int, the surrogate kept for `text.clean_text` to replace), skipping the items already
yielded. That is about 20x slower (9 s for 50,000 offers instead of 0.5 s) but only for such files.
Items stay streamed in both cases, so memory stays flat in the size of the file.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

import ijson

_PYTHON = ijson.get_backend("python")


def _only_c_fails(exc: BaseException) -> bool:
    """True for the errors of the C backend that the Python backend does not have."""
    return isinstance(exc, UnicodeDecodeError) or "integer overflow" in str(exc)


def items(fh: BinaryIO, prefix: str) -> Iterator[object]:
    """Like ``ijson.items(fh, prefix, use_float=True)``; `fh` must be seekable."""
    done = 0
    try:
        for item in ijson.items(fh, prefix, use_float=True):
            yield item
            done += 1
        return
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        if not _only_c_fails(exc):
            raise
    fh.seek(0)
    for i, item in enumerate(_PYTHON.items(fh, prefix, use_float=True)):
        if i >= done:
            yield item


def top_level_keys(fh: BinaryIO) -> set[str]:
    """The keys of the JSON object in `fh` (read to the end, nothing kept but the keys)."""
    try:
        return {v for p, e, v in ijson.parse(fh) if p == "" and e == "map_key"}
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        if not _only_c_fails(exc):
            raise
    fh.seek(0)
    return {v for p, e, v in _PYTHON.parse(fh) if p == "" and e == "map_key"}


def parse_whole(body: bytes) -> object | None:
    """The one JSON value in `body`, built without recursion (for what `json.loads` refuses as
    nested too deeply), or None when it is not valid JSON after all."""
    try:
        return next(items(io.BytesIO(body), ""), None)
    except (ijson.JSONError, UnicodeDecodeError, ValueError):
        return None
