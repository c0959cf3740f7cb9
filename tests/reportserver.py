"""A small real receiver of kiosk reports for tests, on 127.0.0.1 only (stdlib, daemon threads).

``POST /reports`` with an ``Idempotency-Key`` header: the body is stored once per key as a file in
``folder`` (what the central team merges with ``kiosk-sync merge-reports``); a repeated key is
answered 200 and not stored again. Every request is recorded in ``requests``.

Faults, for the next ``times`` requests: ``status`` (answer ``code``, nothing stored), ``close``
(drop the connection without an answer, nothing stored), ``lost_answer`` (store the report, then
drop the connection: the kiosk never hears that it arrived).
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Received:
    key: str | None
    body: bytes
    answered: int | None  # None: the connection was dropped


class ReportServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.requests: list[Received] = []
        self.stored: dict[str, bytes] = {}
        self._fault: tuple[str, int, int] | None = None  # (mode, code, times left)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                key = self.headers.get("Idempotency-Key")
                mode = server._take_fault()
                if mode is not None and mode[0] == "close":
                    server._record(key, body, None)
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if mode is not None and mode[0] == "status":
                    server._record(key, body, mode[1])
                    self._answer(mode[1], {"error": "try later"})
                    return
                if self.path != "/reports" or not key:
                    server._record(key, body, 400)
                    self._answer(400, {"error": "POST /reports with an Idempotency-Key"})
                    return
                try:
                    json.loads(body)
                except ValueError:
                    server._record(key, body, 400)
                    self._answer(400, {"error": "not JSON"})
                    return
                server._store(key, body)
                if mode is not None and mode[0] == "lost_answer":
                    server._record(key, body, None)
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                server._record(key, body, 200)
                self._answer(200, {"ok": True})

            def _answer(self, code: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/reports"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def set_fault(self, mode: str, *, code: int = 503, times: int = 1) -> None:
        assert mode in ("status", "close", "lost_answer")
        with self._lock:
            self._fault = (mode, code, times)

    def _take_fault(self) -> tuple[str, int] | None:
        with self._lock:
            if self._fault is None:
                return None
            mode, code, left = self._fault
            self._fault = (mode, code, left - 1) if left > 1 else None
            return mode, code

    def _record(self, key: str | None, body: bytes, answered: int | None) -> None:
        with self._lock:
            self.requests.append(Received(key, body, answered))

    def _store(self, key: str, body: bytes) -> None:
        with self._lock:
            if key in self.stored:
                return
            self.stored[key] = body
            (self.folder / (re.sub(r"[^A-Za-z0-9._-]+", "_", key) + ".json")).write_bytes(body)

    def __enter__(self) -> ReportServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
