"""One HTTP client for every fetch of the web: feeds, pages for full text, links a user adds.

Built on urllib3 2.x (maintained, thread-safe connection pools, connect and read timeouts, streaming
reads), with the rules of a good citizen and of a careful reader on top, each enforced here and not
left to the library's defaults:

- who we are: a User-Agent naming newsreader and its version; no cookies kept, nothing else sent
  that tells one user from another;
- what we already have: conditional requests (ETag, Last-Modified), so a feed that did not change
  costs a 304 and no parsing;
- what we accept: gzip and deflate, decompressed here in a stream so that a limit holds on the
  decompressed size (a gzip bomb is refused having never held more than the limit) as on the raw one;
- where we go: only http and https, redirects followed here (at most max_redirects), each one checked;
- how long we wait: connect and read timeouts, and a deadline over the whole response (a server that
  sends a byte a second is cut off);
- how hard we knock: at most per_host requests at once to one host, max_connections in all, and
  429/503 answered by waiting as Retry-After asks (or backing off), within bounds.

Every failure is a FetchError whose text a user can read ("unknown host", "HTTP 404", "timed out").
Nothing here logs or prints: callers decide what to show.
"""

from __future__ import annotations

import email.utils
import importlib.metadata
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    HTTPError,
    LocationValueError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError

from tui_reader.core.web.encoding import decode_page

_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRIED = frozenset({429, 503})
_CHUNK = 64 * 1024  # bytes asked of the socket at a time, and the most one decompression step yields
_BACKOFF_FIRST = 1.0  # seconds before the first retry when a server does not say (then 2, 4, ...)


class FetchError(Exception):
    """A fetch that failed. str() is the reason a user reads ("unknown host", "connection refused",
    "timed out", "HTTP 404", "too large (over 10 MB)", "TLS error: ...", "too many redirects",
    "redirect to a non-http(s) address", "not an http(s) address", "network error: ...").

    kind is a short stable key for code to act on: "dns", "refused", "timeout", "http", "too-large",
    "tls", "redirects", "address" or "network"; status is the HTTP status for kind "http", else None.
    url is the address that was asked for."""

    def __init__(self, reason: str, *, url: str, kind: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.url = url
        self.kind = kind
        self.status = status


@dataclass(frozen=True)
class Response:
    """A successful fetch: status 2xx with its (decompressed) body, or 304 with none."""

    url: str  # the address asked for
    final_url: str  # the address answered from, after redirects
    status: int
    headers: Mapping[str, str] = field(repr=False)  # names in lower case
    body: bytes = field(repr=False)

    @property
    def not_modified(self) -> bool:
        """True for a 304: what the caller already has is still current."""
        return self.status == 304

    @property
    def etag(self) -> str | None:
        """The ETag to send as If-None-Match next time, if the server gave one."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The Last-Modified date to send as If-Modified-Since next time, if the server gave one."""
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        """The Content-Type header as sent (with its charset parameter, if any)."""
        return self.headers.get("content-type")

    def text(self) -> str:
        """The body as text, decoded as a browser would (see encoding.decode_page)."""
        return decode_page(self.body, self.content_type)


def default_user_agent() -> str:
    """The User-Agent we send: newsreader, its version and, when the package names one, its home page.
    Sites can see who fetches and find whom to ask; nothing in it tells one user from another."""
    try:
        version = importlib.metadata.version("newsreader")
        metadata = importlib.metadata.metadata("newsreader")
    except importlib.metadata.PackageNotFoundError:
        return "newsreader/dev"
    home = metadata.get("Home-page") or next(
        (entry.split(",", 1)[1].strip() for entry in metadata.get_all("Project-URL") or [] if "," in entry), None
    )
    return f"newsreader/{version} (+{home})" if home else f"newsreader/{version}"


def _megabytes(size: int) -> str:
    """A byte count as a user reads it in a reason ("10 MB", "512 KB")."""
    if size >= 2**20:
        return f"{size / 2**20:g} MB"
    return f"{size / 2**10:g} KB" if size >= 2**10 else f"{size} bytes"


class _Deadline:
    """The time left for one get(): total_timeout from its first request (not from the call: waiting
    for a free slot behind other requests is not the server being slow), pushed back by the waits a
    server asked for (Retry-After)."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._end: float | None = None

    def start(self) -> None:
        """Start the clock, once; later calls do nothing."""
        if self._end is None:
            self._end = time.monotonic() + self._seconds

    def left(self) -> float:
        """Seconds left (0 or less when past)."""
        return self._seconds if self._end is None else self._end - time.monotonic()

    def extend(self, seconds: float) -> None:
        """Push the end back by a wait."""
        if self._end is not None:
            self._end += seconds


class Fetcher:
    """Fetches http(s) addresses by the rules above. Thread-safe: one Fetcher serves every thread of a
    refresh (its limits are only limits if they are shared). Close it (or use it as a context manager)
    to drop its pooled connections."""

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        total_timeout: float = 60.0,
        max_bytes: int = 10 * 2**20,
        max_redirects: int = 5,
        per_host: int = 2,
        max_connections: int = 8,
        max_retries: int = 2,
        max_retry_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent or default_user_agent()
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host = per_host
        self.max_connections = max_connections
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self._sleep = sleep
        self._all = threading.BoundedSemaphore(max_connections)
        self._hosts: dict[tuple[str, str, int], threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        # Pools (one per host) are kept for as many hosts as can be fetched from at once, each with as
        # many connections as one host may have open; the semaphores above, not the pools, enforce both.
        # retries=False: urllib3 neither retries nor redirects on its own, and raises the first error as
        # it is, which _reason() names. No cookie jar exists in urllib3, so none is kept.
        self._pool = urllib3.PoolManager(
            num_pools=max(max_connections, 1),
            maxsize=max(per_host, 1),
            block=False,
            retries=False,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection. The Fetcher may still be used after (it opens new ones)."""
        self._pool.clear()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Response:
        """GET an http(s) address, following redirects, and return the answer: 2xx with its body, or 304
        (status 304, body b"") when etag or last_modified was given and the server has nothing newer.
        Raises FetchError, and nothing else, for every failure (its text names the reason)."""
        try:
            return self._get(url, etag=etag, last_modified=last_modified, accept=accept)
        except FetchError:
            raise
        except Exception as error:  # the promise is FetchError only; an unforeseen error is still a failure
            raise FetchError(f"network error: {_short(error)}", url=url, kind="network") from error

    # --- one get: redirects and retries ---------------------------------------------------------------

    def _get(self, url: str, *, etag: str | None, last_modified: str | None, accept: str) -> Response:
        """The loop of a get: one request per hop, a redirect a new hop, a 429/503 the same hop again."""
        if not _is_web_address(url):
            raise FetchError("not an http(s) address", url=url, kind="address")
        # Every header sent, and only these (urllib3 adds Host): who we are, what we take, what we have.
        headers = {"User-Agent": self.user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = _Deadline(self.total_timeout)
        current, redirects, retries = url, 0, 0
        while True:
            outcome = self._request(url, current, headers, deadline)
            if isinstance(outcome, Response):
                return outcome
            status, location, retry_after = outcome
            if status in _REDIRECTS:
                redirects += 1
                if redirects > self.max_redirects:
                    raise FetchError("too many redirects", url=url, kind="redirects")
                target = urljoin(current, location or "")
                if not location or not _is_web_address(target):
                    raise FetchError("redirect to a non-http(s) address", url=url, kind="address")
                current = target
                continue
            # 429 or 503: wait as asked, or back off, a bounded number of times.
            wait = retry_after if retry_after is not None else _BACKOFF_FIRST * 2**retries
            if wait > self.max_retry_wait:
                raise FetchError(f"HTTP {status} (asked to wait {wait:.0f} s)", url=url, kind="http", status=status)
            if retries >= self.max_retries:
                raise FetchError(f"HTTP {status}", url=url, kind="http", status=status)
            retries += 1
            self._sleep(wait)
            deadline.extend(wait)

    def _request(self, url: str, current: str, headers: dict[str, str],
                 deadline: _Deadline) -> Response | tuple[int, str | None, float | None]:
        """One request to current, within the host's and the global limits: a Response, or for a
        redirect or a 429/503 its (status, Location, Retry-After seconds) for _get to act on."""
        with self._host_slot(current), self._all:
            deadline.start()
            left = deadline.left()
            if left <= 0:
                raise FetchError("timed out", url=url, kind="timeout")
            timeout = urllib3.Timeout(connect=min(self.connect_timeout, left), read=min(self.read_timeout, left))
            try:
                answer = self._pool.urlopen(
                    "GET", current, headers=headers, timeout=timeout, redirect=False, retries=False,
                    preload_content=False, decode_content=False,
                )
            except Exception as error:
                raise FetchError(_reason(error), url=url, kind=_kind(error)) from error
            completed = False
            try:
                outcome = self._answer(url, current, answer, deadline)
                completed = True
                return outcome
            except (HTTPError, OSError) as error:  # the body's read failing (urllib3 wraps most of these)
                raise FetchError(_reason(error), url=url, kind=_kind(error)) from error
            finally:
                if not completed:
                    answer.close()  # a connection left mid-body cannot serve another request
                answer.release_conn()

    def _answer(self, url: str, current: str, answer: urllib3.BaseHTTPResponse,
                deadline: _Deadline) -> Response | tuple[int, str | None, float | None]:
        """What one answer means: a Response (its body read within the limits), a hop for _get, or a
        FetchError. A connection whose body is left unread is closed, not pooled."""
        status = answer.status
        response_headers = {name.lower(): answer.headers[name] for name in answer.headers}  # repeats joined by ", "
        if status in _REDIRECTS or status in _RETRIED:
            answer.close()  # the body of a redirect or a refusal is of no use: do not read it
            location = response_headers.get("location")
            return status, location, _retry_after(response_headers.get("retry-after"))
        if status == 304:  # no body by definition: the connection is pooled again for the next feed
            return Response(url=url, final_url=current, status=304, headers=response_headers, body=b"")
        if status >= 300:  # errors, and the 3xx that are not redirects we can follow
            raise FetchError(f"HTTP {status}", url=url, kind="http", status=status)
        length = _content_length(response_headers.get("content-length"))
        if length is not None and length > self.max_bytes:  # refused on the header, before reading the body
            raise self._too_large(url)
        body = self._read_body(url, answer, response_headers.get("content-encoding"), deadline)
        return Response(url=url, final_url=current, status=status, headers=response_headers, body=body)

    def _read_body(self, url: str, answer: urllib3.BaseHTTPResponse, encoding: str | None,
                   deadline: _Deadline) -> bytes:
        """The body, read in chunks as they arrive and decompressed as it goes, refused as soon as either
        the raw or the decompressed size passes max_bytes or the deadline passes."""
        decoder = _Decompressor(encoding, url)
        body = bytearray()
        raw_size = 0
        while True:
            left = deadline.left()
            if left <= 0:
                raise FetchError("timed out", url=url, kind="timeout")
            _limit_socket_wait(answer, min(self.read_timeout, left))
            # read1: whatever one socket read brings (a read(n) would wait for n bytes from a drip).
            chunk = answer.read1(_CHUNK)
            if not chunk:
                break
            raw_size += len(chunk)
            if raw_size > self.max_bytes:
                raise self._too_large(url)
            for piece in decoder.feed(chunk):
                if len(body) + len(piece) > self.max_bytes:
                    raise self._too_large(url)
                body += piece
        for piece in decoder.finish():
            if len(body) + len(piece) > self.max_bytes:
                raise self._too_large(url)
            body += piece
        return bytes(body)

    def _too_large(self, url: str) -> FetchError:
        return FetchError(f"too large (over {_megabytes(self.max_bytes)})", url=url, kind="too-large")

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        """The semaphore that holds requests to one host (scheme, name and port) to per_host at once."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        try:
            port = parts.port or _DEFAULT_PORTS[scheme]
        except ValueError:  # a port out of range: urllib3 will refuse the address itself
            port = 0
        key = (scheme, (parts.hostname or "").lower(), port)
        with self._hosts_lock:
            slot = self._hosts.get(key)
            if slot is None:
                slot = self._hosts[key] = threading.BoundedSemaphore(self.per_host)
            return slot


class _Decompressor:
    """gzip or deflate undone a piece at a time, never more than _CHUNK bytes per step, so that the
    caller can stop as soon as the output passes its limit (a few KB of a bomb expand to gigabytes)."""

    def __init__(self, encoding: str | None, url: str) -> None:
        self._url = url
        coding = (encoding or "identity").strip().lower()
        if coding in ("", "identity"):
            self._kind = "identity"
        elif coding in ("gzip", "x-gzip"):
            self._kind = "gzip"
        elif coding == "deflate":
            self._kind = "deflate"
        else:  # we asked for gzip and deflate only; anything else we cannot read
            shown = "".join(char for char in coding if char.isascii() and (char.isalnum() or char in "-_"))[:20]
            raise FetchError(f"network error: unsupported content encoding {shown or '?'}", url=url, kind="network")
        # wbits 47: a gzip or a zlib header, either, detected (deflate is meant to be zlib-wrapped).
        self._inflater = zlib.decompressobj(47)
        self._fed = False  # whether the current inflater has taken input
        self._members = 1
        self._done = False  # trailing bytes after the last stream: ignored, as browsers ignore them

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decompressed pieces of the next raw chunk (each at most _CHUNK bytes)."""
        if self._kind == "identity":
            yield data
            return
        try:
            yield from self._inflate(data)
        except zlib.error as error:
            raise FetchError("network error: damaged compressed body", url=self._url, kind="network") from error

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        while not self._done:
            if self._inflater.eof:
                if not data:
                    return
                if self._kind != "gzip":  # bytes after a deflate stream
                    self._done = True
                    return
                self._inflater, self._fed = zlib.decompressobj(47), False  # another gzip member
                self._members += 1
            piece = self._step(data)
            if piece:
                yield piece
            data = self._inflater.unused_data if self._inflater.eof else self._inflater.unconsumed_tail
            if not data and (self._inflater.eof or len(piece) < _CHUNK):
                return  # all input taken, and no output can be pending (a full piece may leave some)

    def _step(self, data: bytes) -> bytes:
        """At most _CHUNK bytes of output from data, with the fallbacks at a stream's first bytes: raw
        deflate (no zlib header, as some servers send it) and garbage after the last gzip member."""
        try:
            piece = self._inflater.decompress(data, _CHUNK)
        except zlib.error:
            if self._fed:
                raise
            if self._members > 1:
                self._done = True
                return b""
            if self._kind != "deflate":
                raise
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            piece = self._inflater.decompress(data, _CHUNK)
        self._fed = True
        return piece

    def finish(self) -> Iterator[bytes]:
        """What the decompressor still holds at the end of the body (a truncated stream's last bytes
        are kept, as browsers show a page that was cut short)."""
        if self._kind == "identity" or self._done or self._inflater.eof:
            return
        try:
            rest = self._inflater.flush()
        except zlib.error:
            return
        if rest:
            yield rest


def _is_web_address(url: str) -> bool:
    """True for an absolute http or https address with a host."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in _SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


def _content_length(value: str | None) -> int | None:
    """The Content-Length header as a number, None when absent or not a number."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait that a Retry-After header asks for (a number of seconds or an HTTP date),
    None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _limit_socket_wait(answer: urllib3.BaseHTTPResponse, seconds: float) -> None:
    """Make the next socket read wait at most seconds (the read timeout or what is left of the deadline,
    whichever is less), so that the deadline holds even while a server sends nothing."""
    connection = answer.connection
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.settimeout(max(seconds, 0.001))
        except OSError:
            pass  # a socket already closed: the read that follows says so


def _kind(error: BaseException) -> str:
    """The FetchError kind of an urllib3 (or socket) error."""
    if isinstance(error, NameResolutionError):
        return "dns"
    if isinstance(error, NewConnectionError):  # before timeouts: urllib3 makes it a ConnectTimeoutError
        return "refused" if isinstance(error.__cause__ or error.__context__, ConnectionRefusedError) else "network"
    if isinstance(error, (Urllib3TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(error, SSLError) or isinstance(error, ssl.SSLError):
        return "tls"
    if isinstance(error, LocationValueError):
        return "address"
    return "network"


def _reason(error: BaseException) -> str:
    """The reason a user reads for an urllib3 (or socket) error."""
    kind = _kind(error)
    if kind == "tls":
        return f"TLS error: {_tls_reason(error)}"
    if kind in _REASONS:
        return _REASONS[kind]
    if isinstance(error, ProtocolError):
        return "network error: connection closed"
    return f"network error: {_short(error)}"


_REASONS = {"dns": "unknown host", "refused": "connection refused", "timeout": "timed out",
            "address": "not an http(s) address"}


def _tls_reason(error: BaseException) -> str:
    """What went wrong in TLS, in the words of the TLS library ("certificate verify failed: ...")."""
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, ssl.SSLCertVerificationError) and cause.verify_message:
        return f"certificate verify failed: {cause.verify_message}"
    if isinstance(cause, ssl.SSLError) and cause.reason:
        return str(cause.reason).lower().replace("_", " ")
    return _short(error)


def _short(error: BaseException) -> str:
    """An error's message on one short line of plain characters (it may quote what a server sent)."""
    text = str(error) or type(error).__name__
    text = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(text.split())[:200]
