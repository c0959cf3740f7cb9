"""Why a JSON document cannot be read, in words an operator can act on.

A parser's own message is no use to an operator and may quote raw feed bytes (yajl, behind ijson,
prints the line around the error, escape sequences included). This module says instead *where* the
document breaks (byte offset, line, column) and *what* is wrong: not UTF-8, cut off, or not JSON.
It never quotes the document.

Encodings: UTF-8 is expected; a UTF-8 byte-order mark is accepted; UTF-16 and UTF-32 (with or
without a byte-order mark, as JSON allows) are decoded (`utf8_reader`), so every parser downstream
reads UTF-8 bytes.
"""
from __future__ import annotations

import codecs
import io
import json
from typing import BinaryIO

#: Up to this many decoded bytes a broken file is parsed again with the stdlib to find line and column.
MAX_DIAGNOSE_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 16


def detect_encoding(head: bytes) -> str:
    """The encoding of a JSON text from its first 4 bytes (RFC 8259 / `json.detect_encoding`)."""
    return json.detect_encoding(head)


def encoding_words(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8 with a byte-order mark"}.get(encoding, encoding.upper().replace("-LE", " LE")
                                                              .replace("-BE", " BE"))


class _Recoded(io.RawIOBase):
    """A UTF-16/32 (or UTF-8 with BOM) byte stream read as plain UTF-8 bytes; `seek(0)` starts over."""

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self._raw, self._encoding = raw, encoding
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = 0) -> int:
        if (pos, whence) != (0, 0):
            raise io.UnsupportedOperation("only seek(0) is supported")
        self._raw.seek(0)
        self._decoder.reset()
        self._pending, self._done = b"", False
        return 0

    def tell(self) -> int:
        raise io.UnsupportedOperation("tell")

    def readinto(self, buffer) -> int:
        while len(self._pending) < len(buffer) and not self._done:
            data = self._raw.read(_CHUNK)
            text = self._decoder.decode(data, final=not data)
            self._done = not data
            self._pending += text.encode("utf-8", "surrogatepass")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def utf8_reader(raw: BinaryIO, encoding: str) -> BinaryIO:
    """`raw` itself when it is UTF-8, else a buffered reader that yields it as UTF-8 bytes.

    A decoding error of UTF-16/32 surfaces as UnicodeDecodeError on read.
    """
    if encoding == "utf-8":
        return raw
    return io.BufferedReader(_Recoded(raw, encoding), _CHUNK)


def not_utf8(offset: int, line: int | None = None, byte: int | None = None) -> str:
    """'not UTF-8 at byte offset N (line L): …' with a hint when the byte looks like Latin-1."""
    text = f"not UTF-8 at byte offset {offset}" + (f" (line {line})" if line is not None else "")
    if byte is not None and byte >= 0x80:
        text += f": byte 0x{byte:02X} is not valid UTF-8 there (Latin-1 or Windows-1252?); save the feed as UTF-8"
    return text


def describe_bytes(data: bytes, *, what: str = "body") -> str:
    """Why `data` (a whole JSON document in memory) does not parse; `what` names it ('body', 'file')."""
    if not data.strip():
        return f"not JSON: the {what} is empty"
    encoding = detect_encoding(data[:4])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding.startswith("utf-8"):
            line = data.count(b"\n", 0, exc.start) + 1
            return not_utf8(exc.start, line, data[exc.start])
        return f"not valid {encoding_words(encoding)} text at byte offset {exc.start}"
    return _stdlib_verdict(text, what, encoding) or "not valid JSON"


def _bom(encoding: str) -> int | None:
    return {"utf-8": 0, "utf-8-sig": 3}.get(encoding)


def _stdlib_verdict(text: str, what: str, encoding: str) -> str | None:
    """Why the stdlib parser refuses `text` (decoded from `encoding`), or None when it reads it."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return describe_decode_error(exc, text, what=what, bom=_bom(encoding))
    except RecursionError:
        return "not JSON the parser accepts: nested too deeply"
    return None


def describe_decode_error(exc: json.JSONDecodeError, text: str, *, what: str = "file", bom: int | None = 0) -> str:
    """A stdlib JSONDecodeError in words, without quoting the document.

    `bom`: bytes before `text` in the UTF-8 original (3 for a byte-order mark); None when the
    original is not UTF-8, so a byte offset would mislead (line and column are given instead)."""
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        end = text.rstrip()
        lines = end.count("\n") + 1
        size = len(end.encode("utf-8", "surrogatepass"))
        return (f"not valid JSON: the {what} ends early, cut off after {size} bytes (line {lines}) "
                "in the middle of the JSON")
    offset = "" if bom is None else f" (byte offset {bom + len(text[: exc.pos].encode('utf-8', 'surrogatepass'))})"
    if not text[: exc.pos].strip("\ufeff \t\r\n"):
        return f"not JSON: the {what} does not start with a JSON value (line {exc.lineno} column {exc.colno})"
    return f"not valid JSON at line {exc.lineno} column {exc.colno}{offset}: {exc.msg}"


def describe_stream(open_stream, *, truncated: bool, what: str = "file") -> str:
    """Why the document that `open_stream()` opens (binary, gzip already undone) does not parse.

    Called after a streaming parser failed; `truncated` is the parser's own verdict that the input
    ended early. Reads the document again: a UTF-8 check over all of it (byte offset and line of
    the first bad byte), then, if it is small enough, the stdlib parser for line and column.
    """
    with open_stream() as fh:
        head = fh.read(4)
        fh.seek(0)
        encoding = detect_encoding(head)
        size: int | None = None  # bytes and lines of the whole document, known after a UTF-8 check
        lines: int | None = None
        if encoding.startswith("utf-8"):
            problem, size, lines = _scan_utf8(fh)
            if problem:
                return problem
        fh.seek(0)
        try:
            data = utf8_reader(fh, encoding).read(MAX_DIAGNOSE_BYTES + 1)
        except UnicodeDecodeError as exc:
            return f"not valid {encoding_words(encoding)} text ({exc.reason})"
    if len(data) <= MAX_DIAGNOSE_BYTES:
        verdict = _stdlib_verdict(data.decode("utf-8", "surrogatepass"), what, encoding)
        if verdict:
            return verdict
    if truncated:
        where = f" after {size} bytes (line {lines})" if size is not None else ""
        return f"not valid JSON: the {what} ends early, cut off{where} in the middle of the JSON"
    return f"not valid JSON (the {what} is too large to say where)"


def _scan_utf8(fh: BinaryIO) -> tuple[str | None, int, int]:
    """(problem or None, size in bytes, lines) of a stream that should be UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset, lines = 0, 1
    while True:
        chunk = fh.read(_CHUNK)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            # exc.start counts from the decoder's buffered bytes (at most 3) plus this chunk.
            buffered = len(exc.object) - len(chunk)
            bad = offset - buffered + exc.start
            local = exc.start
            line = lines + exc.object.count(b"\n", 0, local)
            return not_utf8(bad, line, exc.object[local]), offset, lines
        if not chunk:
            return None, offset, lines
        offset += len(chunk)
        lines += chunk.count(b"\n")
