"""A web server for tests, on loopback only: routes answered with fixed or computed replies, every
request recorded, and the concurrency it saw measured.

    with serving({"/feed.xml": Reply(body=FEED, headers={"Content-Type": "application/rss+xml"})}) as server:
        response = fetcher.get(server.url("/feed.xml"))
        assert server.requests[0].headers["user-agent"].startswith("newsreader/")

A route maps a path (with or without its query string) to a Reply or to a handler: a callable that gets
the Request and returns a Reply, for answers that depend on the request (a 304 when If-None-Match
matches, a redirect, a count of calls). A Reply can wait before answering (delay) and send its body in
timed chunks (chunks, chunk_delay), forever if the chunks never end: the server still stops at once
when the test ends, mid-drip or not. An unknown path is a 404.

Nothing listens beyond 127.0.0.1; each server has its own port (several servers are several hosts to a
client that counts requests per host). refused_url() gives an address where a connection is refused.
"""

from __future__ import annotations

import gzip
import itertools
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple

import pytest

HOST = "127.0.0.1"
STOP_TIMEOUT = 5.0  # seconds the server's threads get to end when a test is over


class Request(NamedTuple):
    """A request as the server received it: method, path (with its query string), headers (names in
    lower case; repeated headers joined by ", ")."""

    method: str
    path: str
    headers: Mapping[str, str]

    @property
    def route(self) -> str:
        """The path without its query string."""
        return self.path.split("?", 1)[0]


@dataclass
class Reply:
    """What the server answers. Content-Length is added for a plain body unless headers give one (a
    test may give a false one); a body in chunks is sent without a length, the connection closed after
    it, or with chunked transfer encoding when chunked is true."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    chunks: Iterable[bytes] | None = None  # sent one by one instead of body (an endless iterator: a stream)
    chunk_delay: float = 0.0  # seconds before each chunk
    chunked: bool = False  # frame chunks with Transfer-Encoding: chunked


Handler = Callable[[Request], Reply]


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect to location (absolute or relative, as a server may send it)."""
    return Reply(status=status, headers={"Location": location})


def gzipped(body: bytes, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
    """A reply whose body is sent gzip-compressed (Content-Encoding: gzip)."""
    return Reply(status=status, body=gzip.compress(body), headers={**(headers or {}), "Content-Encoding": "gzip"})


def drip(byte: bytes = b"x", every: float = 0.05, count: int | None = None) -> Reply:
    """A reply that sends one byte every `every` seconds, forever unless count is given: a server too
    slow to wait for."""
    chunks = itertools.repeat(byte) if count is None else itertools.repeat(byte, count)
    return Reply(chunks=chunks, chunk_delay=every)


class Server:
    """A running test server: its address, its routes, and what it saw."""

    def __init__(self, routes: Mapping[str, Reply | Handler] | None = None) -> None:
        self._routes: dict[str, Reply | Handler] = dict(routes or {})
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self.requests: list[Request] = []
        self.errors: list[BaseException] = []  # what handlers raised (each answered as a 500)
        self.connections_accepted = 0  # TCP connections opened to the server (fewer than requests: keep-alive)
        self.in_flight = 0  # requests being answered now
        self.max_in_flight = 0  # the most answered at once
        self.max_in_flight_by_host: dict[str, int] = {}  # the most at once per Host header
        self._in_flight_by_host: dict[str, int] = {}
        self._httpd = _HTTPServer((HOST, 0), _handler_class(self))
        self._httpd.owner = self
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"httpd-{self.port}", daemon=True
        )

    @property
    def base(self) -> str:
        """The server's address, http://127.0.0.1:PORT (no trailing slash)."""
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "/") -> str:
        """The full address of a path on this server."""
        return self.base + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, reply: Reply | Handler) -> None:
        """Answer requests for path (exactly, or without the query string) with reply."""
        with self._lock:
            self._routes[path] = reply

    def requests_to(self, path: str) -> list[Request]:
        """The requests recorded for a path (compared without query strings)."""
        with self._lock:
            return [request for request in self.requests if request.route == path.split("?", 1)[0]]

    def wait_until(self, condition: Callable[[Server], bool], timeout: float = 5.0) -> bool:
        """Wait (at most timeout seconds) until condition(server) holds, checked whenever a request
        starts or ends; the result is whether it held."""
        with self._lock:
            return self._lock.wait_for(lambda: condition(self), timeout=timeout)

    # --- life ---------------------------------------------------------------------------------------

    def start(self) -> Server:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and end every connection, also those mid-answer (their waits are cut short and
        their sockets shut), within STOP_TIMEOUT."""
        self._stopping.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._httpd.server_close()
        self._thread.join(STOP_TIMEOUT)

    # --- used by the handler ------------------------------------------------------------------------

    def _reply_for(self, request: Request) -> Reply:
        with self._lock:
            answer = self._routes.get(request.path, self._routes.get(request.route))
        if answer is None:
            return Reply(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
        if not callable(answer):
            return answer
        try:
            return answer(request)
        except Exception as error:  # a test's handler failing: kept for the test to see, answered as a 500
            with self._lock:
                self.errors.append(error)
            return Reply(status=500, body=b"handler error", headers={"Content-Type": "text/plain"})

    def _began(self, request: Request) -> None:
        host = request.headers.get("host", "")
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            now = self._in_flight_by_host[host] = self._in_flight_by_host.get(host, 0) + 1
            self.max_in_flight_by_host[host] = max(self.max_in_flight_by_host.get(host, 0), now)
            self._lock.notify_all()

    def _ended(self, request: Request) -> None:
        with self._lock:
            self.in_flight -= 1
            self._in_flight_by_host[request.headers.get("host", "")] -= 1
            self._lock.notify_all()

    def _wait(self, seconds: float) -> bool:
        """Sleep, unless the server stops meanwhile; True when it is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler never keeps the test process alive
    block_on_close = False
    owner: Server

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        with self.owner._lock:
            self.owner._connections.add(request)
            self.owner.connections_accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self.owner._lock:
            self.owner._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up mid-answer is what several tests do on purpose


def _handler_class(server: Server) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do: clients pool connections
        timeout = 10  # an idle kept-alive connection ends by itself

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # quiet: tests assert on server.requests instead

        def _answer(self, send_body: bool) -> None:
            headers = {name.lower(): ", ".join(self.headers.get_all(name) or []) for name in self.headers.keys()}
            request = Request(self.command, self.path, headers)
            server._began(request)
            try:
                self._send(server._reply_for(request), send_body)
            except OSError:  # broken pipe, reset, timeout
                self.close_connection = True  # the client left (or the server is stopping)
            finally:
                server._ended(request)

        def _send(self, reply: Reply, send_body: bool) -> None:
            if server._wait(reply.delay):
                self.close_connection = True
                return
            self.send_response(reply.status)
            names = {name.lower() for name in reply.headers}
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is None:
                if "content-length" not in names:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if send_body and reply.body:
                    self.wfile.write(reply.body)
                return
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif "content-length" not in names:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if not send_body:
                return
            for chunk in reply.chunks:
                if server._wait(reply.chunk_delay):
                    self.close_connection = True
                    return
                if reply.chunked:
                    if chunk:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                else:
                    self.wfile.write(chunk)
                self.wfile.flush()
            if reply.chunked:
                self.wfile.write(b"0\r\n\r\n")

    return _Handler


@contextmanager
def serving(routes: Mapping[str, Reply | Handler] | None = None) -> Iterator[Server]:
    """A test server on 127.0.0.1 (a free port) for the with block, stopped after it whatever happens."""
    server = Server(routes).start()
    try:
        yield server
    finally:
        server.stop()


def httpd_fixture() -> Iterator[Server]:
    """A fixture body: a server with no routes yet (add them with server.route). Register it in a
    conftest as `httpd = pytest.fixture(httpd_fixture, name="httpd")`, or use the `httpd` below."""
    with serving() as server:
        yield server


httpd = pytest.fixture(httpd_fixture, name="httpd")


@contextmanager
def refused_url(path: str = "/") -> Iterator[str]:
    """An http address on 127.0.0.1 where a connection is refused: a port held bound but not listening
    for the with block (so no other test can take it meanwhile)."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind((HOST, 0))
        yield f"http://{HOST}:{holder.getsockname()[1]}" + (path if path.startswith("/") else "/" + path)
    finally:
        holder.close()
