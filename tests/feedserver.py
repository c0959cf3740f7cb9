"""A small real HSDS 3.0 feed server for tests, on 127.0.0.1 only (stdlib, daemon threads).

Usage::

    with FeedServer(services=[...]) as server:
        server.set_fault("/services", "status", status=503, retry_after=0, fail_times=1)
        ... httpx against server.url ...
        assert server.requests_for("/services")[0].query["page"] == "1"

Routes:

* ``/services``: HSDS pages of ``services`` honouring ``page`` (1-based), ``per_page`` (default 50),
  ``full`` (``true``: records as given; otherwise list records without array fields),
  ``modified_after`` (keeps records whose ``last_modified`` >= value, ISO strings compared as text),
  ``minimal=true`` (only ``id`` and ``last_modified``). Page fields ``total_items``,
  ``total_pages``, ``page_number``, ``size``, ``first_page``, ``last_page``, ``empty``, ``contents``
  (``page_fields=False`` sends only ``contents``).
* ``/services/{id}``: one record or 404.
* ``/taxonomy_terms``: paged like ``/services`` if ``taxonomy_terms`` is not None, else 404.
* ``/snapshot.json``: ``snapshot`` bytes (default: JSON array of ``services``); strong ETag from
  the bytes, 304 to a matching ``If-None-Match``. With ``snapshot_content_encoding=True`` it is sent
  gzip-compressed with ``Content-Encoding: gzip`` when the client accepts gzip.
* ``/snapshot.json.gz``: the same bytes gzip-compressed, as a plain ``application/gzip`` file.
* anything else: 404.

``bytes_sent`` counts the body bytes of every answer sent in full (headers not counted), and
``bytes_by_request`` the same per path and ``minimal`` parameter ("/services?minimal=true"); a
benchmark compares what two syncs cost on the wire with them (reset both between the syncs).

Faults (``set_fault(path, mode, ...)``, path without query, applied to GET of exactly that path):

* ``status``: answer ``status`` (default 500) with a small JSON body, plus ``Retry-After`` if given;
  ``reason`` replaces the reason phrase (a str of latin-1 characters, sent byte for byte).
* ``slow``: send the normal headers, then drip the body ``drip_bytes`` at a time every
  ``drip_interval`` s; after ``drip_limit`` s it closes the connection (so it always ends).
* ``truncate``: ``Content-Length`` of the full body, send only ``truncate_to`` bytes (default
  half), close.
* ``garbage``: 200 with an HTML body that is not JSON.
* ``close``: drop the connection without answering.
* ``wrong_shape``: 200 with a JSON array (the page's contents) where a page object is expected.
* ``ignore_page``: serve page 1 whatever ``page`` asks for.
* ``hang``: send nothing for ``drip_limit`` s, then close.
* ``body``: 200 with the given ``body`` bytes and ``content_type`` (a broken or hostile document).

``fail_times=N`` applies the fault to the first N matching requests only, then serves normally.
``when={"minimal": "true"}`` applies it only to requests with these query parameters.

Lying pagination (``set_lie(path, ...)``, for the paged lists ``/services`` and ``/taxonomy_terms``):
the records are real, but the page says something else. ``total_items``/``total_pages`` replace
the announced numbers (any JSON value, so also wrong types); ``last_page_at=N`` says
``last_page: true`` from page N on; ``empty_pages`` serves those pages with no records;
``repeat={3: 2}`` serves page 2's records as page 3; ``fields`` overrides any other page field;
``when`` matches query parameters as for faults (e.g. only the ``minimal=true`` list).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAULT_MODES = ("status", "slow", "truncate", "garbage", "close", "wrong_shape", "ignore_page", "hang", "body")
_KEEP = object()  # a Lie field that leaves the true value


@dataclass
class Lie:
    when: dict[str, str] = field(default_factory=dict)
    total_items: Any = _KEEP
    total_pages: Any = _KEEP
    last_page_at: int | None = None
    empty_pages: frozenset[int] = frozenset()
    repeat: dict[int, int] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)

    def matches(self, query: dict[str, str]) -> bool:
        return all(query.get(k) == v for k, v in self.when.items())


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]  # last value of each parameter
    headers: dict[str, str]  # lower-case names


@dataclass
class Fault:
    mode: str
    status: int = 500
    retry_after: str | None = None
    fail_times: int | None = None  # None: always
    drip_interval: float = 0.2
    drip_bytes: int = 1
    drip_limit: float = 5.0
    truncate_to: int | None = None
    body: bytes = b""
    content_type: str = "application/json"
    when: dict[str, str] = field(default_factory=dict)
    reason: str | None = None
    applied: int = 0

    def take(self) -> bool:
        """Count one matching request; True if the fault applies to it."""
        if self.fail_times is not None and self.applied >= self.fail_times:
            return False
        self.applied += 1
        return True


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    # If-None-Match uses weak comparison (RFC 9110 13.1.2).
    candidates = [part.strip() for part in header.split(",")]
    return any(c.removeprefix("W/") == etag.removeprefix("W/") for c in candidates)


class FeedServer:
    """Real HTTP server with an HSDS feed, a static snapshot and switchable faults."""

    def __init__(
        self,
        *,
        services: list[dict] | None = None,
        taxonomy_terms: list[dict] | None = None,
        snapshot: bytes | None = None,
        snapshot_content_encoding: bool = False,
        page_fields: bool = True,
        default_per_page: int = 50,
        max_per_page: int | None = None,
    ) -> None:
        self.services: list[dict] = list(services or [])
        self.taxonomy_terms = taxonomy_terms
        self._snapshot = snapshot
        self.snapshot_content_encoding = snapshot_content_encoding
        self.page_fields = page_fields
        self.default_per_page = default_per_page
        self.max_per_page = max_per_page  # like real APIs: a larger per_page is served as this many
        self.faults: dict[str, Fault] = {}
        self.lies: dict[str, Lie] = {}
        self.requests: list[RecordedRequest] = []
        self.bytes_sent = 0  # body bytes of the answers sent with _send
        self.bytes_by_request: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- configuration

    @property
    def snapshot_bytes(self) -> bytes:
        if self._snapshot is not None:
            return self._snapshot
        return json.dumps(self.services, ensure_ascii=False).encode("utf-8")

    @snapshot_bytes.setter
    def snapshot_bytes(self, value: bytes | None) -> None:
        self._snapshot = value

    @property
    def snapshot_gz_bytes(self) -> bytes:
        return gzip.compress(self.snapshot_bytes, mtime=0)

    @property
    def snapshot_etag(self) -> str:
        return _etag(self.snapshot_bytes)

    def set_fault(
        self,
        path: str,
        mode: str,
        *,
        status: int = 500,
        retry_after: float | str | None = None,
        fail_times: int | None = None,
        drip_interval: float = 0.2,
        drip_bytes: int = 1,
        drip_limit: float = 5.0,
        truncate_to: int | None = None,
        body: bytes = b"",
        content_type: str = "application/json",
        when: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> Fault:
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}; one of {', '.join(FAULT_MODES)}")
        if drip_limit > 30:
            raise ValueError("drip_limit is capped at 30 s so that tests end")
        fault = Fault(
            mode=mode,
            status=status,
            retry_after=None if retry_after is None else str(retry_after),
            fail_times=fail_times,
            drip_interval=drip_interval,
            drip_bytes=max(1, drip_bytes),
            drip_limit=drip_limit,
            truncate_to=truncate_to,
            body=body,
            content_type=content_type,
            when=dict(when or {}),
            reason=reason,
        )
        with self._lock:
            self.faults[path] = fault
        return fault

    def set_lie(self, path: str, *, when: dict[str, str] | None = None, total_items: Any = _KEEP,
                total_pages: Any = _KEEP, last_page_at: int | None = None, empty_pages=(),
                repeat: dict[int, int] | None = None, fields: dict[str, Any] | None = None) -> Lie:
        lie = Lie(when=dict(when or {}), total_items=total_items, total_pages=total_pages,
                  last_page_at=last_page_at, empty_pages=frozenset(empty_pages), repeat=dict(repeat or {}),
                  fields=dict(fields or {}))
        with self._lock:
            self.lies[path] = lie
        return lie

    def clear_fault(self, path: str | None = None) -> None:
        with self._lock:
            if path is None:
                self.faults.clear()
                self.lies.clear()
            else:
                self.faults.pop(path, None)
                self.lies.pop(path, None)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # ---------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FeedServer is not started")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FeedServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        handler = type("_BoundHandler", (_Handler,), {"feed": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="FeedServer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # ends drips and hangs
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- content

    def _page(self, records: list[Any], query: dict[str, str], *, ignore_page: bool, lie: Lie | None = None) -> _Reply:
        try:
            page = int(query.get("page", "1"))
            per_page = int(query.get("per_page", str(self.default_per_page)))
        except ValueError:
            return _json_reply(400, {"error": "page and per_page must be integers"})
        if page < 1 or per_page < 1:
            return _json_reply(400, {"error": "page and per_page must be positive"})
        if ignore_page:
            page = 1
        if self.max_per_page is not None:
            per_page = min(per_page, self.max_per_page)
        total = len(records)
        total_pages = math.ceil(total / per_page)
        served = lie.repeat.get(page, page) if lie else page
        contents = records[(served - 1) * per_page: served * per_page]
        if lie and page in lie.empty_pages:
            contents = []
        if not self.page_fields:
            body: dict[str, Any] = {"contents": contents}
        else:
            body = {
                "total_items": total,
                "total_pages": total_pages,
                "page_number": page,
                "size": len(contents),
                "first_page": page == 1,
                "last_page": page >= total_pages,
                "empty": total == 0,
                "contents": contents,
            }
        if lie:
            for key in ("total_items", "total_pages"):
                if getattr(lie, key) is not _KEEP:
                    body[key] = getattr(lie, key)
            if lie.last_page_at is not None:
                body["last_page"] = page >= lie.last_page_at
            body.update(lie.fields)
        return _json_reply(200, body)

    def _services(self, query: dict[str, str], *, ignore_page: bool, lie: Lie | None = None) -> _Reply:
        records = list(self.services)
        after = query.get("modified_after")
        if after is not None:
            records = [s for s in records if str(s.get("last_modified", "")) >= after]
        if query.get("minimal") == "true":
            records = [{k: s[k] for k in ("id", "last_modified") if k in s} for s in records]
        elif query.get("full") != "true":
            records = [{k: v for k, v in s.items() if not isinstance(v, list)} for s in records]
        return self._page(records, query, ignore_page=ignore_page, lie=lie)

    def _snapshot_reply(self, data: bytes, content_type: str, headers: dict[str, str]) -> _Reply:
        etag = _etag(data)
        if _etag_matches(headers.get("if-none-match"), etag):
            return _Reply(304, b"", {"ETag": etag})
        out = {"Content-Type": content_type, "ETag": etag}
        if (
            self.snapshot_content_encoding
            and content_type == "application/json"
            and "gzip" in headers.get("accept-encoding", "")
        ):
            data = gzip.compress(data, mtime=0)
            out["Content-Encoding"] = "gzip"
        return _Reply(200, data, out)

    def _route(self, path: str, query: dict[str, str], headers: dict[str, str], *, ignore_page: bool,
               lie: Lie | None = None) -> _Reply:
        if path == "/services":
            return self._services(query, ignore_page=ignore_page, lie=lie)
        if path.startswith("/services/"):
            wanted = path.removeprefix("/services/")
            for s in self.services:
                if s.get("id") == wanted:
                    return _json_reply(200, s)
            return _json_reply(404, {"error": "not found"})
        if path == "/taxonomy_terms" and self.taxonomy_terms is not None:
            return self._page(list(self.taxonomy_terms), query, ignore_page=ignore_page, lie=lie)
        if path == "/snapshot.json":
            return self._snapshot_reply(self.snapshot_bytes, "application/json", headers)
        if path == "/snapshot.json.gz":
            return self._snapshot_reply(self.snapshot_gz_bytes, "application/gzip", headers)
        if path == "/":
            return _json_reply(200, {"version": "3.0", "profile": "", "openapi_url": ""})
        return _json_reply(404, {"error": "not found"})


def _json_reply(status: int, value: Any) -> _Reply:
    return _Reply(status, json.dumps(value).encode("utf-8"), {"Content-Type": "application/json"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    feed: FeedServer  # set on the bound subclass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep tests quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        feed = self.feed
        split = urlsplit(self.path)
        path = split.path
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        with feed._lock:
            feed.requests.append(RecordedRequest("GET", path, query, headers))
            fault = feed.faults.get(path)
            if fault is not None and not all(query.get(k) == v for k, v in fault.when.items()):
                fault = None
            active = fault.take() if fault is not None else False
            lie = feed.lies.get(path)
            if lie is not None and not lie.matches(query):
                lie = None
        mode = fault.mode if (fault is not None and active) else None

        if mode == "close":
            self.close_connection = True
            return
        if mode == "hang":
            feed._stopping.wait(fault.drip_limit)
            self.close_connection = True
            return
        if mode == "status":
            reply = _json_reply(fault.status, {"error": HTTPStatus(fault.status).phrase})
            if fault.retry_after is not None:
                reply.headers["Retry-After"] = fault.retry_after
            self._send(reply, reason=fault.reason)
            return
        if mode == "garbage":
            self._send(_Reply(200, b"<html><body>Bad gateway (not JSON)</body></html>", {"Content-Type": "text/html"}))
            return
        if mode == "body":
            self._send(_Reply(200, fault.body, {"Content-Type": fault.content_type}))
            return

        reply = feed._route(path, query, headers, ignore_page=(mode == "ignore_page"), lie=lie)
        if mode == "wrong_shape":
            try:
                contents = json.loads(reply.body).get("contents", [])
            except (ValueError, AttributeError):
                contents = []
            reply = _json_reply(200, contents)
        if mode == "truncate":
            cut = fault.truncate_to if fault.truncate_to is not None else len(reply.body) // 2
            self._send(reply, body=reply.body[:cut], content_length=len(reply.body))
            self.close_connection = True
            return
        if mode == "slow":
            self._send_headers(reply, len(reply.body))
            started = time.monotonic()
            body = reply.body
            for start in range(0, len(body), fault.drip_bytes):
                if time.monotonic() - started > fault.drip_limit or feed._stopping.is_set():
                    break
                try:
                    self.wfile.write(body[start:start + fault.drip_bytes])
                    self.wfile.flush()
                except OSError:
                    break
                if feed._stopping.wait(fault.drip_interval):
                    break
            self.close_connection = True
            return
        self._send(reply)

    def _send_headers(self, reply: _Reply, content_length: int, reason: str | None = None) -> None:
        self.send_response(reply.status, reason)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 304:
            self.send_header("Content-Length", str(content_length))
        self.end_headers()

    def _send(self, reply: _Reply, *, body: bytes | None = None, content_length: int | None = None,
              reason: str | None = None) -> None:
        data = reply.body if body is None else body
        if reply.status == 304:
            data = b""
        try:
            self._send_headers(reply, len(data) if content_length is None else content_length, reason)
            if data and self.command != "HEAD":
                self.wfile.write(data)
                split = urlsplit(self.path)
                what = split.path + ("?minimal=true" if "minimal=true" in split.query else "")
                with self.feed._lock:
                    self.feed.bytes_sent += len(data)
                    self.feed.bytes_by_request[what] = self.feed.bytes_by_request.get(what, 0) + len(data)
        except OSError:
            self.close_connection = True
