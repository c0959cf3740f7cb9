"""sync.feed against a real HTTP server on 127.0.0.1 (tests/feedserver.py)."""
from __future__ import annotations

import gzip
import json
import socket
import time

import httpx
import pytest

from sync.errors import FeedError, FeedRejected, FeedUnreachable
from sync.feed import (
    Deadline,
    Page,
    RetryPolicy,
    SnapshotResult,
    fetch_minimal_ids,
    fetch_snapshot,
    fetch_taxonomy_terms,
    iter_service_pages,
    make_client,
    open_maybe_gzip,
)
from tests.feedserver import FeedServer

FAST = RetryPolicy(tries=3, backoff=0.05, max_retry_after=0.2)


def service(n: int, modified: str) -> dict:
    return {
        "id": f"svc-{n}",
        "name": f"Angebot {n}",
        "status": "active",
        "last_modified": modified,
        "phones": [{"id": f"ph-{n}", "number": "+49 30 1234"}],
    }


SERVICES = [
    service(1, "2024-01-01T00:00:00Z"),
    service(2, "2024-02-01T00:00:00Z"),
    service(3, "2024-03-01T00:00:00Z"),
    service(4, "2024-04-01T00:00:00Z"),
    service(5, "2024-05-01T00:00:00Z"),
]
ALL_IDS = {s["id"] for s in SERVICES}


@pytest.fixture
def server():
    with FeedServer(services=SERVICES, taxonomy_terms=[{"id": "t1", "name": "Beratung", "description": ""}]) as srv:
        yield srv


@pytest.fixture
def client():
    with make_client() as c:
        yield c


def deadline(seconds: float = 10.0) -> Deadline:
    return Deadline(seconds)


def closed_port_url() -> str:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


# ------------------------------------------------------------------ paging


def test_pages_through_three_pages(server, client):
    pages = list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2))
    assert [p.number for p in pages] == [1, 2, 3]
    assert all(isinstance(p, Page) for p in pages)
    assert pages[0].total_pages == 3 and pages[0].total_items == 5
    assert {s["id"] for p in pages for s in p.services} == ALL_IDS
    assert pages[0].services[0]["phones"], "full=true keeps nested arrays"
    assert pages[-1].server_date and pages[-1].server_date.endswith("GMT")
    log = server.requests_for("/services")
    assert [r.query["page"] for r in log] == ["1", "2", "3"]
    assert all(r.query["full"] == "true" and r.query["per_page"] == "2" for r in log)
    assert log[0].headers["accept-encoding"] == "gzip"


def test_modified_after_is_sent_and_honoured(server, client):
    since = "2024-03-01T00:00:00+00:00"
    pages = list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2,
                                    modified_after="2024-03-01T00:00:00Z"))
    assert {s["id"] for p in pages for s in p.services} == {"svc-3", "svc-4", "svc-5"}
    assert server.requests_for("/services")[0].query["modified_after"] == "2024-03-01T00:00:00Z"
    # A "+" in the offset must arrive as "+", not as a space.
    list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2, modified_after=since))
    assert server.requests_for("/services")[-1].query["modified_after"] == since


def test_empty_delta_yields_one_empty_page(server, client):
    pages = list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2,
                                    modified_after="2030-01-01T00:00:00Z"))
    assert len(pages) == 1 and pages[0].services == [] and pages[0].total_items == 0


def test_pages_without_page_fields_stop_at_empty_page(client):
    with FeedServer(services=SERVICES, page_fields=False) as srv:
        pages = list(iter_service_pages(srv.url, client=client, deadline=deadline(), per_page=2))
        assert [len(p.services) for p in pages] == [2, 2, 1, 0]
        assert pages[0].total_pages is None


def test_base_url_with_path_and_trailing_slash(server, client):
    pages = list(iter_service_pages(server.url + "/", client=client, deadline=deadline(), per_page=10))
    assert len(pages) == 1 and len(pages[0].services) == 5


def test_pages_that_cycle_are_caught_not_read_forever(server, client):
    """Page 4 serves page 2 again (not page 1, not the page before): still a repeat."""
    with FeedServer(services=[service(n, "2024-01-01T00:00:00Z") for n in range(10)],
                    page_fields=False) as srv:
        srv.set_lie("/services", repeat={4: 2, 5: 3})
        with pytest.raises(FeedRejected, match=r"page=4.*page 4 repeats the records of page 2$"):
            list(iter_service_pages(srv.url, client=client, deadline=deadline(), per_page=2))
        assert len(srv.requests_for("/services")) == 4


def test_the_pages_read_must_match_what_the_server_announced(server, client):
    server.set_lie("/services", last_page_at=2)
    pages = iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2)
    assert [len(next(pages).services), len(next(pages).services)] == [2, 2]  # yielded as they come ...
    with pytest.raises(FeedRejected) as info:
        next(pages)  # ... and checked after the last one
    assert info.value.source.endswith("page=2&per_page=2")
    assert info.value.reason == ("the server announced 5 records (total_items) but sent 4 on 2 pages; reading "
                                 "stopped at page 2, which said last_page: true; the list is incomplete")


def test_service_exists(server, client):
    from sync.feed import service_exists

    assert service_exists(server.url, "svc-1", client=client, deadline=deadline())
    assert not service_exists(server.url, "svc-99", client=client, deadline=deadline())
    assert server.requests_for("/services/svc-99")


def test_minimal_ids(server, client):
    ids = fetch_minimal_ids(server.url, client=client, deadline=deadline(), per_page=2)
    assert ids == ALL_IDS
    log = server.requests_for("/services")
    assert log[0].query["minimal"] == "true" and "full" not in log[0].query
    assert len(log) == 3


def test_minimal_ids_with_an_entry_without_id_cannot_be_trusted(client):
    """Offers are deleted by this list: one entry without a usable id and the whole list is refused."""
    for bad in ({"name": "no id"}, {"id": 7}, {"id": ""}):
        with FeedServer(services=[{"id": "a"}, bad, {"id": "b"}]) as srv:
            with pytest.raises(FeedRejected, match=r"minimal=true: entry #2 on page 1 has no id"):
                fetch_minimal_ids(srv.url, client=client, deadline=deadline())
    with FeedServer(services=[{"id": "a"}, {"id": "b"}]) as srv:
        assert fetch_minimal_ids(srv.url, client=client, deadline=deadline()) == {"a", "b"}


def test_taxonomy_terms_served_or_absent(server, client):
    terms = fetch_taxonomy_terms(server.url, client=client, deadline=deadline())
    assert terms == [{"id": "t1", "name": "Beratung", "description": ""}]
    with FeedServer(services=SERVICES) as bare:
        assert fetch_taxonomy_terms(bare.url, client=client, deadline=deadline()) is None
        assert len(bare.requests_for("/taxonomy_terms")) == 1


# ------------------------------------------------------------------ snapshot


def test_snapshot_200_then_304(server, client, tmp_path):
    url = server.url + "/snapshot.json"
    first = fetch_snapshot(url, client=client, deadline=deadline(), etag=None, dest=tmp_path / "a.tmp")
    assert isinstance(first, SnapshotResult) and not first.not_modified
    assert first.path == tmp_path / "a.tmp"
    assert first.path.read_bytes() == server.snapshot_bytes
    assert first.size == len(server.snapshot_bytes)
    assert first.etag == server.snapshot_etag
    assert first.server_date
    assert "if-none-match" not in server.requests_for("/snapshot.json")[0].headers

    second = fetch_snapshot(url, client=client, deadline=deadline(), etag=first.etag, dest=tmp_path / "b.tmp")
    assert second.not_modified and second.path is None and second.size == 0
    assert second.etag == first.etag
    assert not (tmp_path / "b.tmp").exists()
    assert server.requests_for("/snapshot.json")[1].headers["if-none-match"] == first.etag


def test_gz_snapshot_kept_raw_and_sniffed(server, client, tmp_path):
    result = fetch_snapshot(server.url + "/snapshot.json.gz", client=client, deadline=deadline(), etag=None,
                            dest=tmp_path / "s.tmp")
    raw = result.path.read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw == server.snapshot_gz_bytes
    with open_maybe_gzip(result.path) as fh:
        assert [s["id"] for s in json.load(fh)] == [s["id"] for s in SERVICES]


def test_content_encoding_gzip_is_decoded(client, tmp_path):
    with FeedServer(services=SERVICES, snapshot_content_encoding=True) as srv:
        result = fetch_snapshot(srv.url + "/snapshot.json", client=client, deadline=deadline(), etag=None,
                                dest=tmp_path / "s.tmp")
        assert result.path.read_bytes() == srv.snapshot_bytes
        with open_maybe_gzip(result.path) as fh:
            assert len(json.load(fh)) == 5


def test_open_maybe_gzip_plain_and_gzip(tmp_path):
    plain, packed = tmp_path / "p", tmp_path / "g"
    plain.write_bytes(b'[{"id": "x"}]')
    packed.write_bytes(gzip.compress(b'[{"id": "x"}]'))
    for path in (plain, packed):
        with open_maybe_gzip(path) as fh:
            assert fh.read() == b'[{"id": "x"}]'


# ------------------------------------------------------------------ retries and HTTP errors


def test_500_then_success_is_retried(server, client):
    server.set_fault("/services", "status", status=500, fail_times=1)
    pages = list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=10, retry=FAST))
    assert {s["id"] for s in pages[0].services} == ALL_IDS
    assert len(server.requests_for("/services")) == 2


def test_429_with_retry_after_is_retried(server, client, tmp_path):
    server.set_fault("/snapshot.json", "status", status=429, retry_after=0, fail_times=2)
    result = fetch_snapshot(server.url + "/snapshot.json", client=client, deadline=deadline(), etag=None,
                            dest=tmp_path / "s.tmp", retry=FAST)
    assert result.size > 0 and len(server.requests_for("/snapshot.json")) == 3


def test_503_always_gives_up(server, client):
    server.set_fault("/services", "status", status=503, retry_after=5)  # uncapped: 10 s of waiting
    started = time.monotonic()
    with pytest.raises(FeedUnreachable) as info:
        list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2, retry=FAST))
    err = info.value
    assert err.source == f"{server.url}/services?full=true&page=1&per_page=2"
    assert err.reason == "HTTP 503 Service Unavailable after 3 tries"
    assert "503" in str(err) and server.url in str(err)
    assert len(server.requests_for("/services")) == 3
    assert time.monotonic() - started < 5, "Retry-After is capped by max_retry_after"


def test_retry_after_beyond_deadline_gives_up_early(server, client):
    server.set_fault("/services", "status", status=503, retry_after=30)
    policy = RetryPolicy(tries=3, backoff=0.05, max_retry_after=60)
    started = time.monotonic()
    with pytest.raises(FeedUnreachable, match="overall deadline"):
        list(iter_service_pages(server.url, client=client, deadline=deadline(5.0), per_page=2, retry=policy))
    assert time.monotonic() - started < 4  # gave up at once: neither slept 30 s nor waited out the 5 s
    assert len(server.requests_for("/services")) == 1


def test_404_fails_at_once(server, client, tmp_path):
    server.set_fault("/snapshot.json", "status", status=404)
    with pytest.raises(FeedUnreachable) as info:
        fetch_snapshot(server.url + "/snapshot.json", client=client, deadline=deadline(), etag=None,
                       dest=tmp_path / "s.tmp", retry=FAST)
    assert info.value.reason == "HTTP 404 Not Found"
    assert len(server.requests_for("/snapshot.json")) == 1
    assert not (tmp_path / "s.tmp").exists()


def test_connection_refused(client):
    url = closed_port_url()
    with pytest.raises(FeedUnreachable) as info:
        list(iter_service_pages(url, client=client, deadline=deadline(), per_page=2, retry=FAST))
    assert info.value.reason == "connection refused"
    assert info.value.source.startswith(url + "/services?")


def test_dropped_connection_is_retried_then_reported(server, client):
    server.set_fault("/services", "close")
    with pytest.raises(FeedUnreachable) as info:
        list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2, retry=FAST))
    assert "closed the connection without answering" in info.value.reason
    assert len(server.requests_for("/services")) == 3
    server.set_fault("/services", "close", fail_times=1)
    assert len(list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=10, retry=FAST))) == 1


def test_read_timeout_is_reported_in_seconds(server):
    server.set_fault("/services", "hang", drip_limit=3)
    with make_client(timeout=httpx.Timeout(5.0, read=0.3)) as short:
        with pytest.raises(FeedUnreachable) as info:
            list(iter_service_pages(server.url, client=short, deadline=deadline(), per_page=2, retry=FAST))
    assert info.value.reason == "timed out after 0.3 s waiting for data"


# ------------------------------------------------------------------ deadline and broken bodies


@pytest.mark.parametrize("path", ["/snapshot.json", "/services"])
def test_slow_drip_is_cut_by_overall_deadline(server, client, tmp_path, path):
    # One byte every 0.2 s: each read succeeds well within the per-read timeout (1.5 s at most).
    server.set_fault(path, "slow", drip_interval=0.2, drip_limit=8)
    started = time.monotonic()
    with pytest.raises(FeedUnreachable) as info:
        if path == "/services":
            list(iter_service_pages(server.url, client=client, deadline=Deadline(1.5), per_page=2, retry=FAST))
        else:
            fetch_snapshot(server.url + path, client=client, deadline=Deadline(1.5), etag=None,
                           dest=tmp_path / "s.tmp", retry=FAST)
    elapsed = time.monotonic() - started
    assert info.value.reason == "gave up after 1.5 s (overall deadline)"
    assert 1.4 < elapsed < 5
    assert not (tmp_path / "s.tmp").exists()


def test_deadline_check_and_timeout():
    dl = Deadline(0.05)
    assert 0 < dl.remaining() <= 0.05
    assert dl.timeout(httpx.Timeout(10.0)).read <= 0.05
    time.sleep(0.06)
    with pytest.raises(FeedUnreachable, match=r"gave up after 0\.05 s \(overall deadline\)") as info:
        dl.check("http://x/services")
    assert info.value.source == "http://x/services"


def test_truncated_body(server, client, tmp_path):
    server.set_fault("/snapshot.json", "truncate", truncate_to=10)
    url = server.url + "/snapshot.json"
    with pytest.raises(FeedUnreachable) as info:
        fetch_snapshot(url, client=client, deadline=deadline(), etag=None, dest=tmp_path / "s.tmp", retry=FAST)
    total = len(server.snapshot_bytes)
    assert info.value.source == url
    assert info.value.reason.startswith(f"body ended after 10 of {total} bytes")
    assert not (tmp_path / "s.tmp").exists()


def test_truncated_page(server, client):
    server.set_fault("/services", "truncate")
    with pytest.raises(FeedUnreachable, match="bytes"):
        list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2, retry=FAST))


def test_garbage_is_rejected(server, client):
    server.set_fault("/services", "garbage")
    with pytest.raises(FeedRejected) as info:
        list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2))
    assert info.value.reason.startswith("not JSON: the body does not start with a JSON value (line 1 column 1)")
    assert "starts with '<html>" in info.value.reason
    assert info.value.source == f"{server.url}/services?full=true&page=1&per_page=2"


def test_wrong_shape_is_rejected(server, client):
    server.set_fault("/services", "wrong_shape")
    with pytest.raises(FeedRejected) as info:
        list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2))
    assert info.value.reason == "expected an HSDS page object with 'contents', got a JSON array"


def test_server_ignoring_page_is_rejected_not_looped(server, client):
    server.set_fault("/services", "ignore_page")
    with pytest.raises(FeedRejected, match="ignore the 'page' parameter"):
        list(iter_service_pages(server.url, client=client, deadline=deadline(), per_page=2))
    assert len(server.requests_for("/services")) == 2


def test_no_httpx_exception_leaks(client, tmp_path):
    for bad in ("not a url", "ftp://example.invalid/x", "http://"):
        with pytest.raises(FeedError):
            fetch_snapshot(bad, client=client, deadline=deadline(), etag=None, dest=tmp_path / "s.tmp")
        with pytest.raises(FeedError):
            list(iter_service_pages(bad, client=client, deadline=deadline(), per_page=2))
