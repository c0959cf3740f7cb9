"""HTTP plumbing of a sync: one time budget, retries, and bodies streamed under a deadline.

* a :class:`Deadline` covers the whole sync; every request gets ``min(client timeout, remaining)``
  per phase, and streamed bodies check the deadline after every network read, because httpx
  timeouts are per read (a server dripping one byte a second never times out on its own);
* the transport retries connection failures (``retries=2``); :func:`open_stream` retries HTTP 5xx
  and 429 (honouring ``Retry-After`` up to a cap) and connections dropped before an answer, never
  beyond the deadline; other 4xx fail at once;
* bodies are streamed raw and decoded here (gzip/deflate ``Content-Encoding``), so the deadline is
  checked per network read even while a compressed body trickles in;
* every failure is a :class:`~sync.errors.FeedError` whose ``source`` is the exact URL (with query)
  and whose ``reason`` is plain English; httpx exceptions never reach the caller.

`sync.feed` builds the HSDS requests on top of this.
"""
from __future__ import annotations

import email.utils
import json
import logging
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from sync.errors import FeedRejected, FeedUnreachable
from sync.jsondiag import describe_bytes

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "Dritte-Orte-Kiosk-sync/0.1 (offline kiosk; HSDS 3.0 client)"
#: Per-phase timeouts of one request; each is further cut to what is left of the Deadline.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=10.0, pool=10.0)
#: Connection failures (refused, DNS, connect timeout) are retried by the transport this often.
TRANSPORT_RETRIES = 2
#: A single JSON page larger than this (decoded) is refused rather than held in memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"


# --------------------------------------------------------------------------- time budget


def _secs(value: float) -> str:
    """Seconds for humans: 10 -> '10', 1.5 -> '1.5', 0.25 -> '0.25'."""
    return f"{round(value, 2):g}"


class Deadline:
    """Overall time budget of one sync (monotonic clock).

    ``check(source)`` raises :class:`FeedUnreachable` "gave up after N s (overall deadline)" once the
    budget is spent. ``timeout(base)`` gives the httpx timeout for the next request: each phase is
    ``min(base phase, remaining)``.
    """

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not seconds > 0:
            raise ValueError(f"deadline must be positive, got {seconds!r}")
        self.seconds = float(seconds)
        self._clock = clock
        self._end = clock() + self.seconds

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self._end - self._clock())

    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def reason(self) -> str:
        return f"gave up after {_secs(self.seconds)} s (overall deadline)"

    def check(self, source: str) -> None:
        """Raise FeedUnreachable(source, ...) if the budget is spent."""
        if self.expired():
            raise FeedUnreachable(source, self.reason())

    def timeout(self, base: httpx.Timeout) -> httpx.Timeout:
        """``base`` with every phase cut to the remaining time (a phase without limit gets it all)."""
        left = max(self.remaining(), 0.001)

        def cut(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cut(base.connect), read=cut(base.read), write=cut(base.write), pool=cut(base.pool)
        )

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g} s, {self.remaining():.2f} s left)"


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of HTTP 5xx / 429 and of connections dropped before an answer.

    ``tries`` counts the first attempt. Without ``Retry-After`` the wait is
    ``backoff * 2 ** (try - 1)``; a ``Retry-After`` is honoured up to ``max_retry_after`` seconds.
    No retry starts if its wait would run past the Deadline.
    """

    tries: int = 3
    backoff: float = 0.5
    max_retry_after: float = 30.0

    def __post_init__(self) -> None:
        if self.tries < 1:
            raise ValueError("tries must be at least 1")


DEFAULT_RETRY = RetryPolicy()


# --------------------------------------------------------------------------- client


def make_client(
    *,
    transport: httpx.BaseTransport | None = None,
    user_agent: str = DEFAULT_USER_AGENT,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
) -> httpx.Client:
    """An httpx.Client for feed requests: follows redirects, per-phase timeouts, gzip accepted.

    Without ``transport`` an ``httpx.HTTPTransport(retries=2)`` is used, which retries connection
    failures only. Pass e.g. ``httpx.MockTransport`` in unit tests. The caller closes the client.
    """
    if transport is None:
        transport = httpx.HTTPTransport(retries=TRANSPORT_RETRIES)
    return httpx.Client(
        transport=transport,
        follow_redirects=True,
        timeout=timeout,
        headers={
            "User-Agent": user_agent,
            "Accept": "application/json, */*;q=0.1",
            # Only what _BodyDecoder below can decode.
            "Accept-Encoding": "gzip",
        },
    )


# --------------------------------------------------------------------------- describing failures


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s" if not word.endswith("y") else f"{n} {word[:-1]}ies"


def _describe_error(
    exc: Exception, *, used: httpx.Timeout | None, base: httpx.Timeout | None, deadline: Deadline, during: str = ""
) -> str:
    """Plain-English reason for an httpx (or URL) exception."""
    suffix = f" {during}" if during else ""
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: ("connect", "while connecting"),
            httpx.ReadTimeout: ("read", "waiting for data"),
            httpx.WriteTimeout: ("write", "while sending the request"),
            httpx.PoolTimeout: ("pool", "waiting for a free connection"),
        }
        name, what = next((v for k, v in phase.items() if isinstance(exc, k)), ("read", "waiting for data"))
        used_s = getattr(used, name, None) if used is not None else None
        base_s = getattr(base, name, None) if base is not None else None
        # The per-request timeout was cut to the deadline and the deadline is (about) spent.
        if used_s is not None and (base_s is None or used_s < base_s) and deadline.remaining() < 0.05:
            return deadline.reason()
        if used_s is None:
            return f"timed out {what}{suffix}"
        return f"timed out after {_secs(used_s)} s {what}{suffix}"
    chain = list(_causes(exc))
    text = " ".join(str(c) for c in chain).lower()
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in text:
            return "connection refused"
        if any(isinstance(c, socket.gaierror) for c in chain) or any(
            s in text for s in ("name or service not known", "temporary failure in name resolution",
                                "nodename nor servname", "no address associated", "getaddrinfo")
        ):
            return "host name could not be resolved"
        if any(isinstance(c, ssl.SSLError) for c in chain) or "certificate" in text or "ssl" in text:
            return f"TLS handshake failed: {exc}"
        if "unreachable" in text:
            return "network unreachable"
        return f"could not connect: {exc or type(exc).__name__}"
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending" in text or "disconnected" in text:
            return "the server closed the connection without answering"
        return f"HTTP protocol error{suffix}: {exc}"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return f"connection lost{suffix}: {exc or type(exc).__name__}"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "invalid URL: expected an http:// or https:// address"
    if isinstance(exc, httpx.InvalidURL):
        return f"invalid URL: {exc}"
    return f"{type(exc).__name__}{suffix}: {exc}"


def _status_text(response: httpx.Response) -> str:
    phrase = response.reason_phrase
    if not phrase:
        try:
            from http import HTTPStatus

            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = ""
    return f"HTTP {response.status_code} {phrase}".rstrip()


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), or None."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        date = response.headers.get("date")
        now = email.utils.parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError, IndexError):
        return None
    if now is None or when.tzinfo is None or now.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


# --------------------------------------------------------------------------- requests


def open_stream(
    client: httpx.Client,
    url: str,
    *,
    deadline: Deadline,
    retry: RetryPolicy,
    headers: dict[str, str] | None = None,
    accept: tuple[int, ...] = (200,),
) -> httpx.Response:
    """GET ``url`` as a stream; return the open response once its status is in ``accept``.

    Retries 5xx, 429 and connections dropped before an answer. The caller closes the response.
    """
    base = client.timeout
    tries = 0
    while True:
        tries += 1
        deadline.check(url)
        used = deadline.timeout(base)
        try:
            request = client.build_request("GET", url, headers=headers, timeout=used)
            response = client.send(request, stream=True)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            # Dropped before any answer (e.g. a server restarting): worth another try.
            problem = _describe_error(exc, used=used, base=base, deadline=deadline)
            wait = retry.backoff * 2 ** (tries - 1)
            if tries >= retry.tries:
                raise FeedUnreachable(url, f"{problem}, after {_plural(tries, 'try')}") from exc
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise FeedUnreachable(url, _describe_error(exc, used=used, base=base, deadline=deadline)) from exc
        else:
            status = response.status_code
            if status in accept:
                return response
            problem = _status_text(response)
            response.close()
            if status != 429 and not 500 <= status <= 599:
                if 200 <= status < 400:
                    raise FeedRejected(url, f"unexpected answer {problem}")
                raise FeedUnreachable(url, problem)
            if tries >= retry.tries:
                raise FeedUnreachable(url, f"{problem} after {_plural(tries, 'try')}")
            asked = _retry_after(response)
            if asked is not None:
                wait = min(asked, retry.max_retry_after)
            else:
                wait = retry.backoff * 2 ** (tries - 1)
        if wait >= deadline.remaining():
            raise FeedUnreachable(
                url,
                f"{problem} after {_plural(tries, 'try')}; no time left for another try before the "
                f"overall deadline of {_secs(deadline.seconds)} s",
            )
        log.info("%s: %s; try %d of %d in %s s", url, problem, tries + 1, retry.tries, _secs(wait))
        time.sleep(wait)


class _BodyDecoder:
    """Content-Encoding decoding (identity, gzip, x-gzip, deflate) done here rather than in httpx,
    so the caller regains control after every network read, even if a read decodes to nothing."""

    def __init__(self, header: str | None, url: str) -> None:
        codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FeedRejected(url, f"unsupported Content-Encoding {header!r} (only gzip was asked for)")
        self._url = url
        self._kind = codings[0] if codings else None
        self._first = True
        self._z = (zlib.decompressobj(zlib.MAX_WBITS | 16) if self._kind in ("gzip", "x-gzip")
                   else zlib.decompressobj() if self._kind == "deflate" else None)

    def decode(self, data: bytes) -> bytes:
        z = self._z
        if z is None:
            return data
        try:
            if self._kind == "deflate":
                # "deflate" should be zlib-wrapped; some servers send raw deflate.
                if self._first:
                    self._first = False
                    try:
                        return z.decompress(data)
                    except zlib.error:
                        z = self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                return z.decompress(data)
            out = []
            while data:
                out.append(z.decompress(data))
                data = z.unused_data if z.eof else b""
                if data and not data.startswith(_GZIP_MAGIC):
                    break  # trailing garbage after the last member: ignored, as gzip(1) does
                if data:
                    z = self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)  # next gzip member
            return b"".join(out)
        except zlib.error as exc:
            raise FeedRejected(self._url, f"body is not valid {self._kind} data although Content-Encoding says so "
                                          f"({exc})") from exc

    def finish(self, raw_bytes: int) -> bytes:
        if self._z is None:
            return b""
        tail = self._z.flush()
        if not self._z.eof and raw_bytes > 0:
            raise FeedUnreachable(self._url,
                                  f"body ended after {raw_bytes} bytes in the middle of the {self._kind} stream")
        return tail


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def stream_body(
    response: httpx.Response,
    url: str,
    *,
    deadline: Deadline,
    base: httpx.Timeout,
    sink: Callable[[bytes], None],
    max_bytes: int,
) -> int:
    """Feed the decoded body to ``sink`` chunk by chunk, checking the deadline after every network
    read; detect a body cut short. Returns the decoded size."""
    decoder = _BodyDecoder(response.headers.get("content-encoding"), url)
    expected = _content_length(response)
    used = response.request.extensions.get("timeout")
    used_timeout = httpx.Timeout(**used) if isinstance(used, dict) else None
    raw = 0
    size = 0

    def emit(data: bytes) -> None:
        nonlocal size
        if not data:
            return
        size += len(data)
        if size > max_bytes:
            raise FeedRejected(url, f"body larger than {max_bytes} bytes; refused")
        sink(data)

    deadline.check(url)
    try:
        for chunk in response.iter_raw():
            raw += len(chunk)
            emit(decoder.decode(chunk))
            deadline.check(url)
        emit(decoder.finish(raw))
    except httpx.RemoteProtocolError as exc:
        if expected is not None:
            reason = f"body ended after {raw} of {expected} bytes (connection closed early)"
        else:
            reason = f"body ended after {raw} bytes (connection closed before the end of the body)"
        raise FeedUnreachable(url, reason) from exc
    except (httpx.HTTPError, httpx.StreamError) as exc:
        during = f"while reading the body ({raw} bytes received)"
        raise FeedUnreachable(
            url, _describe_error(exc, used=used_timeout, base=base, deadline=deadline, during=during)
        ) from exc
    if expected is not None and raw != expected:
        raise FeedUnreachable(url, f"body ended after {raw} of {expected} bytes")
    return size


def json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a JSON array"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool):
        return "a JSON boolean"
    if isinstance(value, (int, float)):
        return "a JSON number"
    return "JSON null"


def _preview(body: bytes, limit: int = 40) -> str:
    text = body[:limit].decode("utf-8", errors="replace")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text + ("…" if len(body) > limit else "")


def _parse_json(body: bytes, url: str) -> Any:
    if not body.strip():
        raise FeedRejected(url, "not JSON: the body is empty")
    try:
        return json.loads(body)  # UTF-8 (with or without BOM), UTF-16 and UTF-32 are all read
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        reason = describe_bytes(body, what="body")
        if reason.startswith(("not valid JSON at", "not JSON: the body does not")):
            reason += f" (the body starts with {_preview(body)!r})"
        raise FeedRejected(url, reason) from exc
    except RecursionError as exc:
        # Mostly one record nested thousands deep: ijson builds it without recursion, and the
        # record check then skips that record by id and field instead of losing the whole page.
        from .jsonstream import parse_whole

        value = parse_whole(body)
        if value is None:
            raise FeedRejected(url, "not JSON the parser accepts: nested too deeply") from exc
        return value


class NotServed(Exception):
    """First page answered 404 (optional endpoint)."""


def get_json(
    client: httpx.Client, url: str, *, deadline: Deadline, retry: RetryPolicy, optional: bool = False
) -> tuple[Any, str | None]:
    """GET a JSON document; returns (parsed value, Date header)."""
    response = open_stream(client, url, deadline=deadline, retry=retry, accept=(200, 404) if optional else (200,))
    try:
        if response.status_code == 404:
            raise NotServed()
        buffer = bytearray()
        stream_body(response, url, deadline=deadline, base=client.timeout, sink=buffer.extend, max_bytes=MAX_PAGE_BYTES)
        return _parse_json(bytes(buffer), url), response.headers.get("date")
    finally:
        response.close()


