"""The HTTP client against a server on loopback: what it sends, what it accepts, where it goes, how long
it waits, how hard it knocks, and how each failure is named."""

from __future__ import annotations

import email.utils
import gzip
import itertools
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest

from httpd import Reply, Request, Server, drip, gzipped, httpd, redirect, refused_url, serving  # noqa: F401 (httpd: a fixture)
from tui_reader.core.web.client import FetchError, Fetcher, Response, default_user_agent

PAGE = "<html><head><title>Harbour news</title></head><body><p>The ferry runs at noon.</p></body></html>"


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as running:
        yield running


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    # Small limits and timeouts keep the failing cases fast; the defaults are the numbers.
    with Fetcher(connect_timeout=2, read_timeout=2, total_timeout=5, max_bytes=2**20) as client:
        yield client


def failure(fetcher: Fetcher, url: str, **kwargs: str) -> FetchError:
    """The FetchError a get raises (failing the test if it returns)."""
    with pytest.raises(FetchError) as caught:
        fetcher.get(url, **kwargs)
    return caught.value


# --- what is sent and what comes back ---------------------------------------------------------------


def test_200_with_body_and_headers(server: Server, fetcher: Fetcher) -> None:
    server.route("/page", Reply(body=PAGE.encode(), headers={"Content-Type": "text/html; charset=utf-8",
                                                             "ETag": '"v1"', "X-Custom": "yes"}))
    response = fetcher.get(server.url("/page"), accept="text/html")
    assert isinstance(response, Response)
    assert (response.status, response.url, response.final_url) == (200, server.url("/page"), server.url("/page"))
    assert response.body == PAGE.encode() and response.text() == PAGE
    assert response.headers["x-custom"] == "yes" and response.content_type == "text/html; charset=utf-8"
    assert response.etag == '"v1"' and response.last_modified is None and not response.not_modified
    sent = server.requests[0].headers
    assert sent["accept"] == "text/html"
    assert "gzip" in sent["accept-encoding"] and "deflate" in sent["accept-encoding"]


def test_user_agent_names_newsreader_and_nothing_else_identifying(server: Server, fetcher: Fetcher) -> None:
    """The User-Agent names newsreader and its version; no cookie comes back even when one was set; no
    header beyond the few a fetch needs."""
    server.route("/", Reply(body=b"ok", headers={"Set-Cookie": "visitor=42; Path=/"}))
    fetcher.get(server.url("/"))
    fetcher.get(server.url("/"))
    agent = server.requests[0].headers["user-agent"]
    assert agent.startswith("newsreader/") and agent == default_user_agent()
    assert "cookie" not in server.requests[1].headers
    assert set(server.requests[1].headers) <= {"host", "user-agent", "accept", "accept-encoding"}


def test_conditional_request_answered_304(server: Server, fetcher: Fetcher) -> None:
    stamp = "Wed, 01 Jan 2025 10:00:00 GMT"

    def feed(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v7"':
            return Reply(status=304, headers={"ETag": '"v7"'})
        return Reply(body=b"<rss/>", headers={"ETag": '"v7"', "Last-Modified": stamp})

    server.route("/feed", feed)
    first = fetcher.get(server.url("/feed"))
    assert first.status == 200 and first.etag == '"v7"' and first.last_modified == stamp
    second = fetcher.get(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304 and second.body == b""
    sent = server.requests[1].headers
    assert sent["if-none-match"] == '"v7"' and sent["if-modified-since"] == stamp
    assert "if-none-match" not in server.requests[0].headers


def test_connections_kept_alive_across_gets(server: Server, fetcher: Fetcher) -> None:
    """A refresh of many feeds on one host reuses a connection: after a 200 read to its end and after a
    304, not after an error whose body was left unread."""
    server.route("/feed", lambda request: Reply(status=304) if "if-none-match" in request.headers
                 else Reply(body=b"<rss/>", headers={"ETag": '"a"'}))
    fetcher.get(server.url("/feed"))
    fetcher.get(server.url("/feed"), etag='"a"')
    fetcher.get(server.url("/feed"))
    assert server.connections_accepted == 1
    failure(fetcher, server.url("/missing"))
    fetcher.get(server.url("/feed"))
    assert server.connections_accepted == 2


def test_gzip_and_deflate_decoded(server: Server, fetcher: Fetcher) -> None:
    body = PAGE.encode() * 50
    server.route("/gzip", gzipped(body))
    server.route("/members", Reply(body=gzip.compress(body[:100]) + gzip.compress(body[100:]),
                                   headers={"Content-Encoding": "gzip"}))
    server.route("/zlib", Reply(body=zlib.compress(body), headers={"Content-Encoding": "deflate"}))
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.route("/raw", Reply(body=raw.compress(body) + raw.flush(), headers={"Content-Encoding": "deflate"}))
    server.route("/chunked", Reply(chunks=[gzip.compress(body)[:7], gzip.compress(body)[7:]], chunked=True,
                                   headers={"Content-Encoding": "gzip"}))
    for path in ("/gzip", "/members", "/zlib", "/raw", "/chunked"):
        assert fetcher.get(server.url(path)).body == body, path


def test_damaged_gzip_is_a_network_error(server: Server, fetcher: Fetcher) -> None:
    server.route("/bad", Reply(body=b"this is not gzip at all", headers={"Content-Encoding": "gzip"}))
    assert failure(fetcher, server.url("/bad")).kind == "network"
    server.route("/brotli", Reply(body=b"\x1b\x00", headers={"Content-Encoding": "br\x1b[31m"}))  # never asked for
    error = failure(fetcher, server.url("/brotli"))
    assert (error.kind, str(error)) == ("network", "network error: unsupported content encoding br31m")


# --- sizes ------------------------------------------------------------------------------------------


def _bomb(size: int) -> bytes:
    """size bytes of zeros, gzip-compressed (about a thousandth of that), made without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(2**20)
    return b"".join(packer.compress(zeros) for _ in range(size // 2**20)) + packer.flush()


def test_gzip_bomb_refused_without_holding_it(server: Server, fetcher: Fetcher) -> None:
    """50 MB of zeros in about 50 KB of gzip: refused as too large at the 1 MB limit, and the fetch never
    holds much more than that limit in memory."""
    bomb = _bomb(50 * 2**20)
    assert len(bomb) < 100_000
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"}))
    tracemalloc.start()
    try:
        error = failure(fetcher, server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.kind == "too-large" and str(error) == "too large (over 1 MB)"
    assert peak < 4 * 2**20


def test_huge_body_refused(server: Server, fetcher: Fetcher) -> None:
    """A body that never ends (no length given) is refused once it passes the limit."""
    server.route("/endless", Reply(chunks=itertools.repeat(b"x" * 65536)))
    error = failure(fetcher, server.url("/endless"))
    assert error.kind == "too-large" and error.status is None


def test_content_length_over_the_limit_refused_before_reading(server: Server) -> None:
    """A Content-Length over the limit is refused on the header: the body, which would come only after
    longer than the read timeout, is never waited for (waiting would fail as a timeout instead)."""
    server.route("/big", Reply(headers={"Content-Length": str(2**40)}, chunks=[b"x"], chunk_delay=30))
    with Fetcher(read_timeout=0.5, total_timeout=1, max_bytes=2**20) as fetcher:
        assert failure(fetcher, server.url("/big")).kind == "too-large"


def test_body_just_under_the_limit_is_read(server: Server) -> None:
    server.route("/fits", Reply(body=b"y" * 1000))
    server.route("/over", Reply(body=b"y" * 1001))
    with Fetcher(max_bytes=1000) as fetcher:
        assert len(fetcher.get(server.url("/fits")).body) == 1000
        assert failure(fetcher, server.url("/over")).kind == "too-large"


# --- where it goes ----------------------------------------------------------------------------------


def test_redirect_chain_followed(server: Server, fetcher: Fetcher) -> None:
    server.route("/a", redirect(server.url("/b"), 301))
    server.route("/b", redirect("/c", 302))  # a relative Location
    server.route("/c", redirect("d?x=1", 307))
    server.route("/d", Reply(body=b"arrived"))
    response = fetcher.get(server.url("/a"))
    assert response.body == b"arrived"
    assert response.url == server.url("/a") and response.final_url == server.url("/d?x=1")
    assert [request.path for request in server.requests] == ["/a", "/b", "/c", "/d?x=1"]


def test_at_most_five_redirects(server: Server, fetcher: Fetcher) -> None:
    for hop in range(6):
        server.route(f"/{hop}", redirect(f"/{hop + 1}"))
    server.route("/6", Reply(body=b"too far"))
    assert fetcher.get(server.url("/1")).body == b"too far"  # five redirects: followed
    error = failure(fetcher, server.url("/0"))  # six: refused
    assert (error.kind, str(error)) == ("redirects", "too many redirects")


def test_redirect_loop_ends(server: Server, fetcher: Fetcher) -> None:
    server.route("/loop", redirect("/loop"))
    error = failure(fetcher, server.url("/loop"))
    assert (error.kind, str(error)) == ("redirects", "too many redirects")
    assert len(server.requests) == 6  # the first request and five redirects


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/html,hello",
                                      "javascript:alert(1)", "HTTPS:"])
def test_redirect_to_a_non_http_address_refused(server: Server, fetcher: Fetcher, location: str) -> None:
    server.route("/go", redirect(location))
    error = failure(fetcher, server.url("/go"))
    assert (error.kind, str(error)) == ("address", "redirect to a non-http(s) address")
    assert [request.path for request in server.requests] == ["/go"]  # nothing else fetched
    assert "root:" not in str(error)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "example.org/feed", "", "http://",
                                 "mailto:a@example.org"])
def test_only_http_addresses(fetcher: Fetcher, url: str) -> None:
    error = failure(fetcher, url)
    assert (error.kind, str(error)) == ("address", "not an http(s) address")


# --- how long it waits ------------------------------------------------------------------------------


def test_slow_drip_cut_by_the_total_timeout(server: Server) -> None:
    """A byte every 50 ms never trips the read timeout; the deadline over the whole response does. (The
    drip ends after 5 s, so that a client without a deadline fails this test rather than hangs it.)"""
    server.route("/drip", drip(every=0.05, count=100))
    with Fetcher(read_timeout=2, total_timeout=0.5) as fetcher:
        error = failure(fetcher, server.url("/drip"))
    assert (error.kind, str(error)) == ("timeout", "timed out")


def test_silent_server_cut_by_the_read_timeout(server: Server) -> None:
    server.route("/silent", Reply(body=b"late", delay=30))
    with Fetcher(read_timeout=0.3, total_timeout=5) as fetcher:
        error = failure(fetcher, server.url("/silent"))
    assert error.kind == "timeout"


def test_silence_mid_body_cut_by_the_deadline(server: Server) -> None:
    """Headers, a first byte, then nothing: the wait is bounded by what is left of the deadline even
    though the read timeout is longer."""
    server.route("/stall", Reply(chunks=[b"a", b"b"], chunk_delay=0, headers={"Content-Length": "3"}))
    with Fetcher(read_timeout=30, total_timeout=0.5) as fetcher:
        started = time.monotonic()
        error = failure(fetcher, server.url("/stall"))
    assert error.kind == "timeout"
    assert time.monotonic() - started < 20  # bounded by the deadline, not the 30 s read timeout


# --- errors, named ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 500, 502])
def test_http_errors_named(server: Server, fetcher: Fetcher, status: int) -> None:
    server.route("/x", Reply(status=status, body=b"nope"))
    error = failure(fetcher, server.url("/x"))
    assert (error.kind, error.status, str(error)) == ("http", status, f"HTTP {status}")
    assert error.url == server.url("/x")


def test_unknown_path_is_404(httpd: Server, fetcher: Fetcher) -> None:
    """(Through the shared `httpd` fixture, as other tests will use it.)"""
    assert failure(fetcher, httpd.url("/missing")).status == 404


def test_refused_connection_named(fetcher: Fetcher) -> None:
    with refused_url("/feed") as url:
        error = failure(fetcher, url)
    assert (error.kind, str(error)) == ("refused", "connection refused")


def test_unknown_host_named(fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name under .invalid (reserved never to resolve, RFC 6761). The lookup is answered here as any
    resolver answers it, so that no query leaves the machine."""
    real = socket.getaddrinfo

    def resolve(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host.rstrip(".").endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    error = failure(fetcher, "http://nothing.invalid/feed.xml")
    assert (error.kind, str(error)) == ("dns", "unknown host")


def test_tls_error_named(server: Server, fetcher: Fetcher) -> None:
    """https to a server that speaks plain http: the handshake fails, named as a TLS error."""
    error = failure(fetcher, server.url("/").replace("http://", "https://"))
    assert error.kind == "tls" and str(error).startswith("TLS error: ")


def test_connection_closed_mid_body_is_a_network_error(server: Server, fetcher: Fetcher) -> None:
    server.route("/cut", Reply(chunks=[b"only a part"], headers={"Content-Length": "1000", "Connection": "close"}))
    error = failure(fetcher, server.url("/cut"))
    assert error.kind == "network" and str(error).startswith("network error")


def test_never_raises_anything_but_fetch_error(fetcher: Fetcher) -> None:
    for url in ("http://[::1", "http://127.0.0.1:99999/", "http://exa mple.org/", "http://\x00/"):
        with pytest.raises(FetchError):
            fetcher.get(url)


# --- how hard it knocks -----------------------------------------------------------------------------


def test_429_retry_after_honoured(server: Server) -> None:
    answers = iter([Reply(status=429, headers={"Retry-After": "3"}), Reply(body=b"at last")])
    server.route("/busy", lambda request: next(answers))
    slept: list[float] = []
    with Fetcher(sleep=slept.append) as fetcher:
        assert fetcher.get(server.url("/busy")).body == b"at last"
    assert slept == [3.0]
    assert len(server.requests) == 2


def test_503_retry_after_as_a_date(server: Server) -> None:
    later = email.utils.formatdate(time.time() + 5, usegmt=True)
    answers = iter([Reply(status=503, headers={"Retry-After": later}), Reply(body=b"up")])
    server.route("/down", lambda request: next(answers))
    slept: list[float] = []
    with Fetcher(sleep=slept.append) as fetcher:
        assert fetcher.get(server.url("/down")).body == b"up"
    assert len(slept) == 1 and 2 <= slept[0] <= 6


def test_backoff_without_retry_after_then_failure(server: Server) -> None:
    server.route("/busy", Reply(status=503))
    slept: list[float] = []
    with Fetcher(sleep=slept.append, max_retries=2) as fetcher:
        error = failure(fetcher, server.url("/busy"))
    assert slept == [1.0, 2.0]  # exponential, two retries
    assert (error.kind, error.status, str(error)) == ("http", 503, "HTTP 503")
    assert len(server.requests) == 3


def test_retry_after_beyond_the_longest_wait_fails_at_once(server: Server) -> None:
    server.route("/later", Reply(status=429, headers={"Retry-After": "3600"}))
    slept: list[float] = []
    with Fetcher(sleep=slept.append, max_retry_wait=30) as fetcher:
        error = failure(fetcher, server.url("/later"))
    assert slept == [] and len(server.requests) == 1
    assert error.status == 429 and str(error) == "HTTP 429 (asked to wait 3600 s)"


def _gated(server: Server, gate: threading.Event) -> None:
    """Route /slow to answers that wait for gate (bounded), so that requests pile up at the server."""
    def slow(request: Request) -> Reply:
        gate.wait(10)
        return Reply(body=b"done")
    server.route("/slow", slow)


def _fetch_all(fetcher: Fetcher, urls: list[str]) -> tuple[list[threading.Thread], list[object]]:
    results: list[object] = []

    def fetch(url: str) -> None:
        try:
            results.append(fetcher.get(url).body)
        except FetchError as error:  # kept, so that the test shows it
            results.append(error)

    threads = [threading.Thread(target=fetch, args=(url,), daemon=True) for url in urls]
    for thread in threads:
        thread.start()
    return threads, results


def test_at_most_two_requests_at_once_per_host(server: Server) -> None:
    """Eight threads fetch from one host: the server sees two at a time, never three."""
    gate = threading.Event()
    _gated(server, gate)
    with Fetcher() as fetcher:
        threads, results = _fetch_all(fetcher, [server.url("/slow")] * 8)
        try:
            assert server.wait_until(lambda s: s.in_flight == 2)
            time.sleep(0.2)  # room for a third to arrive, were the limit not kept
            assert server.in_flight == 2
        finally:
            gate.set()
            for thread in threads:
                thread.join(10)
    assert results == [b"done"] * 8
    assert server.max_in_flight == 2 and list(server.max_in_flight_by_host.values()) == [2]


def test_at_most_max_connections_in_all() -> None:
    """Nine threads over three hosts with max_connections 3: three at a time in all, however spread."""
    gate = threading.Event()
    with serving() as one, serving() as two, serving() as three:
        servers = (one, two, three)
        for each in servers:
            _gated(each, gate)
        with Fetcher(max_connections=3, per_host=2) as fetcher:
            threads, results = _fetch_all(fetcher, [each.url("/slow") for each in servers] * 3)
            try:
                assert one.wait_until(lambda s: sum(each.in_flight for each in servers) == 3)
                time.sleep(0.2)
                assert sum(each.in_flight for each in servers) == 3
            finally:
                gate.set()
                for thread in threads:
                    thread.join(10)
        assert results == [b"done"] * 9
        assert all(each.max_in_flight <= 2 for each in servers)


def test_server_stops_mid_drip() -> None:
    """The test server itself: stopping while a handler drips forever ends at once."""
    with serving({"/drip": drip(every=0.05)}) as server:
        client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        client.sendall(b"GET /drip HTTP/1.1\r\nHost: x\r\n\r\n")
        assert client.recv(100).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
    assert time.monotonic() - started < 5
    client.close()
