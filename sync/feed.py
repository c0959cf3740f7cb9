"""HTTP side of a catalogue sync: fetch HSDS 3.0 pages and static snapshots with httpx.

The time budget, retries and streamed bodies live in `sync.transport`; this module knows the HSDS
endpoints: ``/services`` pages (full, delta, minimal), ``/taxonomy_terms`` and static snapshots.

Errors raised: :class:`FeedUnreachable` (connection, timeout, deadline, HTTP status, body cut
short) and :class:`FeedRejected` (the answer cannot be a catalogue: not JSON, wrong shape, a server
that ignores ``page``). Writing a snapshot to the caller's file raises :class:`StoreError` on
``OSError`` (disk full, permissions).

This module never imports Textual or the kiosk.
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

import httpx

from sync.errors import FeedRejected, FeedUnreachable, StoreError
from sync.transport import (
    _GZIP_MAGIC,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
    Deadline,
    NotServed,
    RetryPolicy,
    get_json,
    json_kind,
    make_client,
    open_stream,
    stream_body,
)

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "DEFAULT_USER_AGENT",
    "Deadline",
    "Page",
    "RetryPolicy",
    "SnapshotResult",
    "count_services",
    "fetch_minimal_ids",
    "fetch_snapshot",
    "fetch_taxonomy_terms",
    "iter_service_pages",
    "service_exists",
    "make_client",
    "open_maybe_gzip",
]

#: A snapshot file larger than this (decoded) is refused rather than filling the disk.
MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024 * 1024
#: Safety stop for paging: no real feed has this many pages.
MAX_PAGES = 100_000

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SnapshotResult:
    """Outcome of :func:`fetch_snapshot`.

    ``not_modified``: the server answered 304 to ``If-None-Match``; ``path`` is then None and ``dest``
    untouched. Otherwise ``path`` is ``dest`` holding the body as received (a ``.gz`` file stays
    gzip, a ``Content-Encoding: gzip`` body is decoded), ``size`` its length in bytes.
    ``etag``: the ETag to send next time (verbatim header value, quotes included), if any.
    ``server_date``: the response's ``Date`` header.
    """

    not_modified: bool
    etag: str | None
    path: Path | None
    size: int
    server_date: str | None


@dataclass(frozen=True)
class Page:
    """One page of a paged HSDS list.

    ``number`` is the page number requested (1-based); ``total_pages``/``total_items`` are the
    server's, if it sent integers; ``services`` is the page's ``contents`` as sent (records are not
    validated here); ``server_date`` is the response's ``Date`` header.
    """

    number: int
    total_pages: int | None
    total_items: int | None
    services: list[dict]
    server_date: str | None


# --------------------------------------------------------------------------- snapshot


def fetch_snapshot(
    url: str,
    *,
    client: httpx.Client,
    deadline: Deadline,
    etag: str | None,
    dest: Path,
    retry: RetryPolicy = DEFAULT_RETRY,
    max_bytes: int = MAX_SNAPSHOT_BYTES,
) -> SnapshotResult:
    """Download a static HSDS snapshot to ``dest`` (a temporary file the caller owns).

    Sends ``If-None-Match: etag`` when ``etag`` is given; a 304 returns ``not_modified=True`` and
    leaves ``dest`` alone. The body is streamed in chunks; a ``.gz`` file stays gzip on disk (read
    it with :func:`open_maybe_gzip`). On any failure ``dest`` is removed.
    """
    dest = Path(dest)
    headers = {"If-None-Match": etag} if etag else None
    response = open_stream(client, url, deadline=deadline, retry=retry, headers=headers,
                           accept=(200, 304) if etag else (200,))
    try:
        server_date = response.headers.get("date")
        new_etag = response.headers.get("etag")
        if response.status_code == 304:
            return SnapshotResult(not_modified=True, etag=new_etag or etag, path=None, size=0, server_date=server_date)
        try:
            out = open(dest, "wb")
        except OSError as exc:
            raise StoreError(f"could not write the snapshot to {dest}: {exc.strerror or exc}") from exc
        ok = False
        try:
            with out:
                def write(data: bytes) -> None:
                    try:
                        out.write(data)
                    except OSError as exc:
                        raise StoreError(f"could not write the snapshot to {dest}: {exc.strerror or exc}") from exc

                size = stream_body(response, url, deadline=deadline, base=client.timeout, sink=write,
                                   max_bytes=max_bytes)
            ok = True
        finally:
            if not ok:
                dest.unlink(missing_ok=True)
        return SnapshotResult(not_modified=False, etag=new_etag, path=dest, size=size, server_date=server_date)
    finally:
        response.close()


def open_maybe_gzip(path: Path | str) -> BinaryIO:
    """Open ``path`` for binary reading, transparently gunzipping it if it starts with 1f 8b."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


# --------------------------------------------------------------------------- paged lists


def _endpoint(base_url: str, name: str) -> httpx.URL:
    try:
        base = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FeedUnreachable(str(base_url), f"invalid URL: {exc}") from exc
    if base.scheme not in ("http", "https") or not base.host:
        raise FeedUnreachable(str(base_url), "invalid URL: expected an http:// or https:// address")
    return base.copy_with(path=base.path.rstrip("/") + "/" + name)


def _announced(data: dict, url: str, key: str) -> int | None:
    """A page's ``total_items``/``total_pages``: None if absent or null, else a whole number >= 0."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FeedRejected(url, f"the page's '{key}' is {_shown(value)}, expected a whole number of at least 0; "
                                f"the list cannot be checked")
    return value


def _flag(data: dict, url: str, key: str) -> bool:
    """A page's ``last_page``/``empty``: True, or False when absent or null; anything else is refused."""
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return bool(value)
    raise FeedRejected(url, f"the page's '{key}' is {_shown(value)}, expected true or false")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, default=str)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{text} ({json_kind(value)})" if isinstance(value, (str, list, dict)) else text


def _fingerprint(contents: list) -> tuple:
    ids = tuple(item.get("id") if isinstance(item, dict) else None for item in contents)
    if any(i is not None for i in ids):
        return ids
    return (json.dumps(contents, sort_keys=True, default=str),)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _iter_pages(
    endpoint: httpx.URL,
    params: dict[str, str],
    *,
    client: httpx.Client,
    deadline: Deadline,
    retry: RetryPolicy,
    per_page: int,
    max_pages: int,
    optional: bool = False,
) -> Iterator[Page]:
    """Yield the pages of one list, then check what was read against what the server announced.

    The list ends at a page with ``last_page: true`` or ``empty: true``, at page ``total_pages``, or
    at an empty page. Raised as FeedRejected (after the last page was yielded, so a caller must not
    use the records before the generator is exhausted): ``total_items``/``total_pages`` that are not
    whole numbers, that change from page to page, or that disagree with the records and pages read
    (an empty page or a ``last_page`` too early, too few pages); flags that are not booleans; a page
    that repeats an earlier one.
    """
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
        raise ValueError(f"per_page must be a positive integer, got {per_page!r}")
    seen: dict[tuple, int] = {}  # fingerprint of a page's records -> its number
    announced: dict[str, int | None] = {}
    read = 0
    for number in range(1, max_pages + 1):
        url = str(endpoint.copy_merge_params({**params, "page": str(number), "per_page": str(per_page)}))
        data, server_date = get_json(client, url, deadline=deadline, retry=retry, optional=optional and number == 1)
        if not isinstance(data, dict):
            raise FeedRejected(url, f"expected an HSDS page object with 'contents', got {json_kind(data)}")
        if "contents" not in data:
            keys = ", ".join(sorted(str(k) for k in data)[:8]) or "none"
            raise FeedRejected(url, "expected an HSDS page object with 'contents', "
                               f"got a JSON object without it (keys: {keys})")
        contents = data["contents"]
        if not isinstance(contents, list):
            raise FeedRejected(url, f"expected 'contents' to be a JSON array, got {json_kind(contents)}")
        totals = {key: _announced(data, url, key) for key in ("total_items", "total_pages")}
        last, empty = _flag(data, url, "last_page"), _flag(data, url, "empty")
        for key, value in totals.items():
            if number == 1:
                announced[key] = value
            elif value != announced[key]:
                raise FeedRejected(url, f"the list changed while it was read: page 1 announced {key} "
                                        f"{announced[key]}, page {number} announces {value}; try again later")
        if contents:
            mark = _fingerprint(contents)
            if mark in seen:
                again = seen[mark]
                hint = "; the server seems to ignore the 'page' parameter" if again in (1, number - 1) else ""
                raise FeedRejected(url, f"page {number} repeats the records of page {again}{hint}")
            seen[mark] = number
        read += len(contents)
        total_pages = announced["total_pages"]
        yield Page(
            number=number,
            total_pages=total_pages,
            total_items=announced["total_items"],
            services=contents,
            server_date=server_date,
        )
        if not contents:
            why = "was empty"
        elif last:
            why = "said last_page: true"
        elif empty:
            why = "said empty: true"
        elif total_pages is not None and number >= total_pages:
            why = f"was the last of total_pages {total_pages}"
        else:
            continue
        _check_complete(url, number, read, why, announced["total_items"], total_pages)
        return
    raise FeedRejected(url, f"still no last page after {max_pages} pages; giving up")


def _check_complete(url: str, number: int, read: int, why: str, total_items: int | None,
                    total_pages: int | None) -> None:
    """Compare the records and pages read with the server's own count; raise FeedRejected if they differ."""
    stopped = f"reading stopped at page {number}, which {why}"
    if total_items is not None and read != total_items:
        raise FeedRejected(url, f"the server announced {_plural(total_items, 'record')} (total_items) but sent "
                                f"{read} on {_plural(number, 'page')}; {stopped}; the list is incomplete")
    if total_pages is not None and number != total_pages and not (total_pages == 0 and number == 1 and read == 0):
        raise FeedRejected(url, f"the server announced {_plural(total_pages, 'page')} (total_pages) but {stopped}; "
                                f"the list is incomplete")


def iter_service_pages(
    base_url: str,
    *,
    client: httpx.Client,
    deadline: Deadline,
    per_page: int,
    modified_after: str | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
    max_pages: int = MAX_PAGES,
) -> Iterator[Page]:
    """Yield the pages of ``GET {base}/services?full=true&page=N&per_page=M[&modified_after=ISO]``.

    Starts at page 1 and stops after a page with ``last_page: true``, or ``page_number >= total_pages``,
    or empty ``contents`` (the first page is always yielded, even if empty). A page that repeats the
    records of page 1 or of the page before raises FeedRejected.
    """
    params = {"full": "true"}
    if modified_after is not None:
        params["modified_after"] = modified_after
    yield from _iter_pages(
        _endpoint(base_url, "services"), params,
        client=client, deadline=deadline, retry=retry, per_page=per_page, max_pages=max_pages,
    )


def fetch_minimal_ids(
    base_url: str,
    *,
    client: httpx.Client,
    deadline: Deadline,
    per_page: int = 10_000,
    retry: RetryPolicy = DEFAULT_RETRY,
    max_pages: int = MAX_PAGES,
) -> set[str]:
    """All service ids from ``GET {base}/services?minimal=true`` (paged like the full list), if the
    list can be trusted to delete offers by: raises FeedRejected unless the list was read completely
    (see `_iter_pages`), the server announced ``total_items``, every entry has a string ``id``, and
    the number of different ids equals ``total_items``.
    """
    ids: set[str] = set()
    total: int | None = None
    url = str(_endpoint(base_url, "services").copy_merge_params({"minimal": "true"}))
    for page in _iter_pages(
        _endpoint(base_url, "services"), {"minimal": "true"},
        client=client, deadline=deadline, retry=retry, per_page=per_page, max_pages=max_pages,
    ):
        total = page.total_items
        for i, record in enumerate(page.services):
            if not (isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]):
                raise FeedRejected(url, f"entry #{i + 1} on page {page.number} has no id")
            ids.add(record["id"])
    if total is None:
        raise FeedRejected(url, "the server does not announce total_items, so the id list cannot be checked")
    if len(ids) != total:
        raise FeedRejected(url, f"the list holds {len(ids)} different ids where the server announced {total} "
                                f"(total_items): some ids are repeated")
    return ids


def count_services(
    base_url: str,
    *,
    client: httpx.Client,
    deadline: Deadline,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> int | None:
    """How many services the server holds now: the ``total_items`` of ``GET {base}/services?minimal=true``
    read as one page of one id (a few hundred bytes instead of the whole id list), or None if the
    server does not say. A malformed count raises FeedRejected, other failures FeedError."""
    url = str(_endpoint(base_url, "services").copy_merge_params({"minimal": "true", "page": "1", "per_page": "1"}))
    data, _ = get_json(client, url, deadline=deadline, retry=retry)
    if not isinstance(data, dict):
        raise FeedRejected(url, f"expected an HSDS page object, got {json_kind(data)}")
    return _announced(data, url, "total_items")


def service_exists(
    base_url: str,
    service_id: str,
    *,
    client: httpx.Client,
    deadline: Deadline,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> bool:
    """Whether ``GET {base}/services/{id}`` still returns that service (False on 404).

    Used to confirm a few removals before offers are deleted. Other failures raise FeedError.
    """
    url = _endpoint(base_url, "services/" + quote(service_id, safe=""))
    try:
        data, _ = get_json(client, str(url), deadline=deadline, retry=retry, optional=True)
    except NotServed:
        return False
    return isinstance(data, dict) and data.get("id") == service_id


def fetch_taxonomy_terms(
    base_url: str,
    *,
    client: httpx.Client,
    deadline: Deadline,
    per_page: int = 1_000,
    retry: RetryPolicy = DEFAULT_RETRY,
    max_pages: int = MAX_PAGES,
) -> list[dict] | None:
    """All records of ``GET {base}/taxonomy_terms`` (paged), or None if the endpoint answers 404
    (it is optional in HSDS). Records are returned as sent."""
    terms: list[dict] = []
    try:
        for page in _iter_pages(
            _endpoint(base_url, "taxonomy_terms"), {},
            client=client, deadline=deadline, retry=retry, per_page=per_page, max_pages=max_pages, optional=True,
        ):
            terms.extend(page.services)
    except NotServed:
        return None
    return terms
