"""Reading feeds and pages off the network: what one feed (or one link) gives, as articles ready to save.

This module fetches and parses; it writes nothing. The library saves what each feed gave in one
transaction as it arrives, so that a refresh of many feeds shows new articles feed by feed and a kill
loses at most the feed being saved. The work here runs in worker threads (the Fetcher is shared, and
keeps its limits per host and in all); parsing feeds and extracting pages, the costly part, can run in
other processes (cpu_runner), so that a refresh uses a second core while the library indexes on the first.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from tui_reader.core.articles import Article, Feed
from tui_reader.core.dates import normalize_date
from tui_reader.core.sanitize import clean_body, clean_line, replace_surrogates
from tui_reader.core.web.client import FetchError, Fetcher
from tui_reader.core.web.encoding import decode_page
from tui_reader.core.web.extract import Page, extract_page
from tui_reader.core.web.feeds import Entry, FeedError, ParsedFeed, needs_full_text, parse_feed

T = TypeVar("T")
Runner = Callable[..., Any]  # runner(function, *args) -> function(*args), here or in another process


def inline(function: Callable[..., T], *args: Any) -> T:
    """Run a step here, in this thread (a refresh of a few feeds: another process would cost more)."""
    return function(*args)


@contextmanager
def cpu_runner(processes: int) -> Iterator[Runner]:
    """Where the costly steps run: here (0), or in that many other processes. A refresh of 200 feeds
    spent half its time parsing feeds and extracting pages and half indexing, all on one core; the
    threads that fetch hand their parsing to another process and wait for it without holding the GIL.
    A worker that dies (a page that crashed the parser) breaks the pool: the rest then runs here."""
    if processes <= 0:
        yield inline
        return
    # spawn, not fork: forking a process whose threads hold locks (the fetcher's, SQLite's) can hang the child
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))
    broken = False

    def run(function: Callable[..., T], *args: Any) -> T:
        nonlocal broken
        if not broken:
            try:
                return pool.submit(function, *args).result()
            except BrokenProcessPool:
                broken = True
        return function(*args)

    try:
        yield run
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
               " application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MAX_BODY_CHARS = 2_000_000  # as imports: a "page" longer than this is not an article


@dataclass(frozen=True)
class Fetched:
    """One new or changed entry of a feed, or one page: the article to save and how to find it again."""

    key: str  # the entry's key in its feed ("" for a page from `add`)
    digest: str  # the entry as fetched (so that an unchanged entry costs nothing next time)
    article: Article  # its id provisional: the library reuses the id of the same story already held
    addresses: tuple[str, ...]  # the addresses the story is known by (canonical, the entry's link)
    known_id: str | None = None  # the article this entry brought before, if it did


@dataclass
class FeedRead:
    """What reading one feed gave: its new and changed entries, or the reason it could not be read."""

    feed: Feed
    error: str | None = None
    not_modified: bool = False
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched: list[Fetched] = field(default_factory=list)
    unchanged: int = 0
    page_problems: list[tuple[str, str]] = field(default_factory=list)  # (address, reason) of pages not read


class Interrupted(Exception):
    """The refresh was stopped (ctrl+c, the app closing) while this feed was read: nothing of it is saved."""


def read_feed(fetcher: Fetcher, feed: Feed, known: Mapping[str, tuple[str, str, bool]],
              stopped: Callable[[], bool] = lambda: False, run: Runner = inline) -> FeedRead:
    """Fetch a feed (conditionally), parse it, and make an article of each new or changed entry,
    fetching the entry's page for its full text where the feed's mode asks for it. known: the
    entries the feed brought before (key -> article id, entry digest, whether the library still has
    the article); an entry whose article the user removed is not brought back. Interrupted when
    stopped() says so between pages: half a feed is not saved, or its validators would hide the rest."""
    result = FeedRead(feed)
    if stopped():
        raise Interrupted(feed.name)
    try:
        response = fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT)
    except FetchError as error:
        result.error = str(error)
        return result
    result.etag, result.last_modified = response.etag, response.last_modified
    if response.not_modified:
        result.not_modified = True
        result.etag, result.last_modified = feed.etag if response.etag is None else response.etag, \
            feed.last_modified if response.last_modified is None else response.last_modified
        return result
    try:
        parsed: ParsedFeed = run(parse_feed, response.body, response.final_url, response.content_type)
    except FeedError as error:
        result.error = str(error)
        return result
    result.title = clean_line(parsed.title) or None
    source = result.title or feed.name
    for entry in parsed.entries:
        if stopped():
            raise Interrupted(feed.name)
        digest = entry_digest(entry)
        before = known.get(entry.key)
        if before is not None and (before[1] == digest or not before[2]):
            result.unchanged += 1  # as it was; or the user removed its article, which stays removed
            continue
        fetched = _entry_article(fetcher, entry, digest, feed.full_text, source, result, run)
        if fetched is not None:
            result.fetched.append(fetched if before is None else _with_known(fetched, before[0]))
    return result


def _with_known(fetched: Fetched, article_id: str) -> Fetched:
    return Fetched(fetched.key, fetched.digest, fetched.article, fetched.addresses, article_id)


def _entry_article(fetcher: Fetcher, entry: Entry, digest: str, mode: str, source: str,
                   result: FeedRead, run: Runner) -> Fetched | None:
    """The article of one entry: its own text, or its page's where the mode asks for the full text."""
    page = None
    if entry.link and (mode == "always" or (mode == "auto" and needs_full_text(entry))):
        try:
            page = read_page(fetcher, entry.link, run)
        except FetchError as error:
            result.page_problems.append((entry.link, str(error)))
        else:
            if not page.body:
                result.page_problems.append((entry.link, "no article text found on the page"))
                page = None
    body = page.body if page else (entry.content or entry.summary)
    fields = {
        "title": entry.title or (page.title if page else None),
        "author": entry.authors or (page.author if page else None),
        # The feed's title as the publication, unless the page names it.
        "source": (page.source if page else None) or source,
        "date": entry.date or (page.date if page else None),
        "url": (page.url if page else None) or entry.link,
        "body": body,
    }
    article = make_article(fields, origin=entry.link or entry.key)
    if article is None:
        result.page_problems.append((entry.link or entry.key, "the entry has no text"))
        return None
    addresses = tuple(dict.fromkeys(a for a in (article.url, entry.link and normal_address(entry.link)) if a))
    return Fetched(entry.key, digest, article, addresses)


def read_page(fetcher: Fetcher, url: str, run: Runner = inline) -> Page:
    """Fetch one web page and extract its article (FetchError when it cannot be fetched)."""
    response = fetcher.get(url, accept=PAGE_ACCEPT)
    return run(page_of, response.body, response.content_type, response.final_url)


def page_of(body: bytes, content_type: str | None, address: str) -> Page:
    """The article of a page's bytes, decoded as browsers decode them; its address when it names none."""
    page = extract_page(decode_page(body, content_type), address)
    if page.url is None:
        page = Page(page.title, page.author, page.source, page.date, address, page.body)
    return page


def page_article(page: Page, origin: str) -> Article | None:
    """The article of a page saved with `add` (None when it has no text)."""
    return make_article({"title": page.title, "author": page.author, "source": page.source, "date": page.date,
                         "url": page.url, "body": page.body}, origin)


def make_article(fields: Mapping[str, str | None], origin: str) -> Article | None:
    """A clean Article from fields read off the web (None when there is no text to read); its id
    derives from its address, as an imported record's does, so that the same story is one article."""
    line = {key: clean_line(replace_surrogates(value or "")) for key, value in fields.items() if key != "body"}
    body = clean_body(replace_surrogates(fields.get("body") or ""))
    if not body or len(body) > MAX_BODY_CHARS:
        return None
    try:
        date = normalize_date(line.get("date"))
    except ValueError:
        date = None
    url = normal_address(line.get("url") or "") or None
    title = line.get("title") or _first_words(body)
    return Article(
        id=address_id(url) if url else "web-" + _digest(origin + "\x00" + body[:2000]),
        title=title, body=body, author=line.get("author") or None, source=line.get("source") or None,
        date=date, url=url, origin=origin,
    )


def address_id(url: str) -> str:
    """The id of the article at an address: the same as an imported record with that url gets."""
    return "url-" + _digest(url)


def normal_address(url: str) -> str:
    """An address as the library compares them: scheme and host in lower case, no fragment, and no
    tracking parameters (utm_*), so that one story reached by two links is one article."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def entry_digest(entry: Entry) -> str:
    """A digest of what an entry says: a changed entry is read again, an unchanged one is not."""
    digest = hashlib.sha1()
    for part in (entry.title, entry.link, entry.authors, entry.date, entry.summary, entry.content):
        digest.update((part or "").encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _first_words(body: str, limit: int = 100) -> str:
    """A stand-in title from the first line of the text."""
    first = body.split("\n", 1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"
