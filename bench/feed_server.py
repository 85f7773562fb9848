"""News sites on loopback for the fetch benchmark: feeds (RSS 2.0 mostly, some Atom and JSON Feed) and
article pages made from corpus articles, served by the benchmark itself and stopped after it.

Shape: SITES sites, each its own threaded HTTP server on 127.0.0.1 with a port of its own (the fetcher
limits requests per scheme, host and port, so each port is a "site" as a reader's feeds come from many
sites), each with FEEDS_PER_SITE feeds of ENTRIES entries. Of every four feeds one carries only a
~40-word summary ending "Continue reading" and a link to the article's page on the same site (a page
as news sites make them: head with OpenGraph and JSON-LD, navigation, the article, related links, a
footer); the others carry the whole text in content:encoded (Atom: content; JSON Feed: content_html).

Conditional requests are answered as servers do (ETag and Last-Modified; 304 when unchanged), bodies
are gzipped when the client accepts it, and `set_round(n)` turns the sites to round n, whose feeds
hold ENTRIES entries not served before (a later refresh brings that many new articles per feed).
Every answer is rendered and compressed when a round is set, so serving costs the benchmark (which
shares the machine with the fetcher measured) next to nothing.

The corpus texts are only served on loopback while the benchmark runs; nothing is written to disk.
`python -m bench.feed_server OPML` serves the same sites by hand, to try the app's feeds on them.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

SITES = 10
FEEDS_PER_SITE = 20
ENTRIES = 20
SUMMARY_WORDS = 40
SUMMARY_ONLY = frozenset({3, 7, 11, 15, 19})  # feed numbers within a site: a quarter of them
ATOM = frozenset({7, 16})  # the rest RSS 2.0, but for these
JSON_FEED = frozenset({11, 12})
SECTIONS = ("Politics", "World", "Business", "Economy", "Technology", "Science", "Health", "Climate",
            "Education", "Justice", "Elections", "Opinion", "Analysis", "Culture", "Media", "Cities",
            "Energy", "Security", "Trade", "Immigration")
_PAGE_PATH = re.compile(r"/r(\d+)/(s\d+-f\d+)/(\d+)\.html")
FALLBACK_DATE = "2020-06-01"  # for articles without a date (a feed entry always has one)


@dataclass(frozen=True)
class Story:
    """One corpus article, as a site publishes it."""

    title: str
    author: str | None
    date: str | None
    body: str

    @classmethod
    def from_record(cls, record: dict) -> Story:
        """A story from a corpus record (title, author, date, body)."""
        return cls(record.get("title") or "Untitled", record.get("author"), record.get("date"), record.get("body") or "")

    def paragraphs(self) -> list[str]:
        """The body's paragraphs (the corpus separates them with a blank line)."""
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]

    def summary(self) -> str:
        """The first SUMMARY_WORDS words, as a teaser."""
        return " ".join(self.body.split()[:SUMMARY_WORDS]) + "…"


@dataclass(frozen=True)
class FeedSpec:
    """One feed of the sites: where it is, its kind, and whether it carries only summaries."""

    site: int
    number: int
    kind: str  # "rss", "atom" or "json"
    summary_only: bool

    @property
    def slug(self) -> str:
        return f"s{self.site:02d}-f{self.number:02d}"

    @property
    def name(self) -> str:
        """Its name in the library (one plain word, so that `feed:NAME` needs no quotes)."""
        return f"bench-{self.slug}"

    @property
    def path(self) -> str:
        return f"/feeds/{self.slug}." + {"rss": "xml", "atom": "atom", "json": "json"}[self.kind]

    @property
    def section(self) -> str:
        return SECTIONS[self.number % len(SECTIONS)]

    @property
    def index(self) -> int:
        """Its place among all feeds (0-based)."""
        return self.site * FEEDS_PER_SITE + self.number


def site_name(site: int) -> str:
    """The publication's name, as its pages and feeds give it."""
    return f"The Loopback Courier {site:02d}"


def feed_specs(sites: int = SITES, feeds_per_site: int = FEEDS_PER_SITE) -> list[FeedSpec]:
    """Every feed of the sites, site by site."""
    return [FeedSpec(site, number, "atom" if number in ATOM else "json" if number in JSON_FEED else "rss",
                     number in SUMMARY_ONLY)
            for site in range(sites) for number in range(feeds_per_site)]


@dataclass(frozen=True)
class Answer:
    """A rendered response: its body (and gzipped body), type and validators."""

    body: bytes
    gzipped: bytes
    content_type: str
    etag: str
    last_modified: str


class FeedServer:
    """The sites: start() them, set_round(n), read feeds() and opml(), stop() them. Stories are taken in
    order: round r, feed f, entry e serves stories[((r - 1) * feeds + f) * entries + e] (cycling when
    there are too few)."""

    def __init__(self, stories: Sequence[Story], sites: int = SITES, feeds_per_site: int = FEEDS_PER_SITE,
                 entries: int = ENTRIES) -> None:
        if not stories:
            raise ValueError("the sites need at least one story")
        self.stories = stories
        self.entries = entries
        self.specs = feed_specs(sites, feeds_per_site)
        self._by_slug = {spec.slug: spec for spec in self.specs}
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self._answers: dict[tuple[int, str], Answer] = {}  # (site, path) -> answer, for the current round
        self._lock = threading.Lock()
        self.round = 0
        self.counts: Counter[str] = Counter()  # what was served: feed, page, not_modified, missing, gzip

    # -- running -------------------------------------------------------------------------------------

    def start(self) -> None:
        """Listen on 127.0.0.1, a free port per site, each server in its own thread."""
        sites = 1 + max(spec.site for spec in self.specs)
        for site in range(sites):
            server = _Server(("127.0.0.1", 0), _Handler)
            server.sites, server.site = self, site
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name=f"feed-site-{site}", daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop every site and close its socket."""
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> FeedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def base(self, site: int) -> str:
        """A site's address, e.g. http://127.0.0.1:40123."""
        host, port = self._servers[site].server_address[:2]
        return f"http://{host}:{port}"

    def feed_url(self, spec: FeedSpec) -> str:
        return self.base(spec.site) + spec.path

    def page_url(self, spec: FeedSpec, round_: int, entry: int) -> str:
        """The address of an entry's article page."""
        return self.base(spec.site) + self._page_path(spec, round_, entry)

    def story(self, spec: FeedSpec, round_: int, entry: int) -> Story:
        """The story an entry of a feed tells in a round."""
        position = ((round_ - 1) * len(self.specs) + spec.index) * self.entries + entry
        return self.stories[position % len(self.stories)]

    def set_round(self, round_: int) -> None:
        """Serve round n: every feed's entries, and the pages of the summary-only feeds (the ones a
        refresh fetches), rendered and compressed now; other pages (of any round so far) on demand."""
        answers: dict[tuple[int, str], Answer] = {}
        modified = self._modified(round_)
        for spec in self.specs:
            answers[spec.site, spec.path] = self._feed_answer(spec, round_, modified)
            if spec.summary_only:
                for entry in range(self.entries):
                    answers[spec.site, self._page_path(spec, round_, entry)] = self._page_answer(spec, round_, entry)
        with self._lock:
            self._answers, self.round = answers, round_

    def answer(self, site: int, path: str) -> Answer | None:
        """The answer for a path of a site, None when there is no such page."""
        with self._lock:
            found = self._answers.get((site, path))
            round_ = self.round
        if found is not None:
            return found
        match = _PAGE_PATH.fullmatch(path)
        if match is None:
            return None
        page_round, slug, entry = int(match[1]), match[2], int(match[3])
        spec = self._by_slug.get(slug)
        if spec is None or spec.site != site or not 1 <= page_round <= round_ or entry >= self.entries:
            return None
        return self._page_answer(spec, page_round, entry)

    def _page_answer(self, spec: FeedSpec, round_: int, entry: int) -> Answer:
        return _answer(render_page(self, spec, round_, entry).encode("utf-8"), "text/html; charset=utf-8",
                       self._modified(round_))

    @staticmethod
    def _modified(round_: int) -> datetime:
        return datetime(2026, 12, 1, 6, tzinfo=timezone.utc) + timedelta(hours=round_)

    @staticmethod
    def _page_path(spec: FeedSpec, round_: int, entry: int) -> str:
        return f"/r{round_}/{spec.slug}/{entry:02d}.html"

    def count(self, what: str) -> None:
        with self._lock:
            self.counts[what] += 1

    def reset_counts(self) -> Counter[str]:
        """What was served since the last reset (and start counting anew)."""
        with self._lock:
            counts, self.counts = self.counts, Counter()
        return counts

    def opml(self) -> str:
        """An OPML 2.0 subscription list of every feed, grouped by site."""
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">',
                 "<head><title>newsreader benchmark feeds</title></head>", "<body>"]
        for site in sorted({spec.site for spec in self.specs}):
            lines.append(f"<outline text={quoteattr(site_name(site))}>")
            for spec in (s for s in self.specs if s.site == site):
                kind = "rss" if spec.kind != "json" else "json"
                lines.append(f"  <outline type={quoteattr(kind)} text={quoteattr(spec.name)} "
                             f"title={quoteattr(spec.name)} xmlUrl={quoteattr(self.feed_url(spec))} "
                             f"htmlUrl={quoteattr(self.base(site) + '/')}/>")
            lines.append("</outline>")
        lines += ["</body>", "</opml>", ""]
        return "\n".join(lines)

    # -- feeds ---------------------------------------------------------------------------------------

    def _feed_answer(self, spec: FeedSpec, round_: int, modified: datetime) -> Answer:
        items = [(self.story(spec, round_, e), self.page_url(spec, round_, e)) for e in range(self.entries)]
        if spec.kind == "atom":
            return _answer(render_atom(self, spec, items, modified).encode("utf-8"), "application/atom+xml", modified)
        if spec.kind == "json":
            return _answer(render_json_feed(self, spec, items).encode("utf-8"), "application/feed+json", modified)
        return _answer(render_rss(self, spec, items, modified).encode("utf-8"),
                       "application/rss+xml; charset=utf-8", modified)


def _answer(body: bytes, content_type: str, modified: datetime) -> Answer:
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    return Answer(body, gzip.compress(body, compresslevel=6, mtime=0), content_type, etag,
                  format_datetime(modified, usegmt=True))


class _Server(ThreadingHTTPServer):
    """One site: a threaded server whose handler threads never hold up the benchmark's exit."""

    daemon_threads = True
    request_queue_size = 64
    sites: FeedServer
    site: int


class _Handler(BaseHTTPRequestHandler):
    """GET (and HEAD) of the current round's feeds and pages, with 304s and gzip; 404 for the rest."""

    protocol_version = "HTTP/1.1"  # keep-alive: the fetcher pools its connections
    server: _Server
    timeout = 30  # an idle kept-alive connection is closed after this

    def do_GET(self) -> None:
        self._reply(with_body=True)

    def do_HEAD(self) -> None:
        self._reply(with_body=False)

    def _reply(self, with_body: bool) -> None:
        sites = self.server.sites
        path = self.path.split("?", 1)[0]
        answer = sites.answer(self.server.site, path)
        if answer is None:
            sites.count("missing")
            self._send(404, b"not found\n", "text/plain; charset=utf-8", {}, with_body)
            return
        sites.count("feed" if path.startswith("/feeds/") else "page")
        headers = {"ETag": answer.etag, "Last-Modified": answer.last_modified, "Cache-Control": "max-age=300",
                   "Vary": "Accept-Encoding"}
        if self.headers.get("If-None-Match") == answer.etag or (
                self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == answer.last_modified):
            sites.count("not_modified")
            self._send(304, b"", None, headers, with_body=False)
            return
        body = answer.body
        if "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body, headers["Content-Encoding"] = answer.gzipped, "gzip"
            sites.count("gzip")
        self._send(200, body, answer.content_type, headers, with_body)

    def _send(self, status: int, body: bytes, content_type: str | None, headers: dict[str, str],
              with_body: bool) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
        self.end_headers()
        if with_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass  # thousands of requests: the benchmark counts them instead


# -- rendering --------------------------------------------------------------------------------------

def _date(story: Story, entry: int) -> datetime:
    """An entry's publication time: its story's day, at an hour that orders the entries of a feed."""
    day = datetime.fromisoformat(story.date or FALLBACK_DATE)
    return day.replace(hour=18, tzinfo=timezone.utc) - timedelta(minutes=7 * entry)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _body_html(story: Story) -> str:
    return "\n".join(f"<p>{html.escape(part, quote=False)}</p>" for part in story.paragraphs())


def _teaser_html(story: Story, link: str) -> str:
    """A summary-only entry's text: the opening words and a link to the rest."""
    return (f"<p>{html.escape(story.summary(), quote=False)} "
            f"<a href={quoteattr(link)}>Continue reading</a></p>")


def render_rss(sites: FeedServer, spec: FeedSpec, items: Iterable[tuple[Story, str]], built: datetime) -> str:
    """An RSS 2.0 feed (with content:encoded unless summary-only) as sites write them."""
    base = sites.base(spec.site)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">',
           "<channel>",
           f"<title>{xml_escape(site_name(spec.site))}: {spec.section}</title>",
           f"<link>{base}/</link>",
           f'<atom:link href="{sites.feed_url(spec)}" rel="self" type="application/rss+xml"/>',
           f"<description>The latest {spec.section.lower()} stories from {xml_escape(site_name(spec.site))}</description>",
           "<language>en-us</language>",
           f"<lastBuildDate>{format_datetime(built, usegmt=True)}</lastBuildDate>",
           "<generator>newsreader benchmark</generator>", "<ttl>30</ttl>"]
    for entry, (story, link) in enumerate(items):
        out += ["<item>", f"<title>{xml_escape(story.title)}</title>", f"<link>{link}</link>",
                f'<guid isPermaLink="true">{link}</guid>',
                f"<pubDate>{format_datetime(_date(story, entry), usegmt=True)}</pubDate>"]
        if story.author:
            out.append(f"<dc:creator>{_cdata(story.author)}</dc:creator>")
        out.append(f"<category>{spec.section}</category>")
        if spec.summary_only:
            out.append(f"<description>{_cdata(_teaser_html(story, link))}</description>")
        else:
            out.append(f"<description>{_cdata(html.escape(story.summary(), quote=False))}</description>")
            out.append(f"<content:encoded>{_cdata(_body_html(story))}</content:encoded>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def render_atom(sites: FeedServer, spec: FeedSpec, items: Iterable[tuple[Story, str]], updated: datetime) -> str:
    """An Atom 1.0 feed: summary-only feeds give <summary>, the others <content type="html"> too."""
    base = sites.base(spec.site)
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{xml_escape(site_name(spec.site))}: {spec.section}</title>",
           f'<link rel="alternate" type="text/html" href="{base}/"/>',
           f'<link rel="self" type="application/atom+xml" href="{sites.feed_url(spec)}"/>',
           f"<id>{base}/feeds/{spec.slug}</id>", f"<updated>{updated.isoformat()}</updated>"]
    for entry, (story, link) in enumerate(items):
        when = _date(story, entry).isoformat()
        out += ["<entry>", f"<title>{xml_escape(story.title)}</title>",
                f'<link rel="alternate" type="text/html" href="{link}"/>', f"<id>{link}</id>",
                f"<published>{when}</published>", f"<updated>{when}</updated>"]
        if story.author:
            out.append(f"<author><name>{xml_escape(story.author)}</name></author>")
        if spec.summary_only:
            out.append(f'<summary type="html">{xml_escape(_teaser_html(story, link))}</summary>')
        else:
            out.append(f'<summary type="text">{xml_escape(story.summary())}</summary>')
            out.append(f'<content type="html">{xml_escape(_body_html(story))}</content>')
        out.append("</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def render_json_feed(sites: FeedServer, spec: FeedSpec, items: Iterable[tuple[Story, str]]) -> str:
    """A JSON Feed 1.1: content_html holds the whole text, or only the teaser for a summary-only feed."""
    feed_items = []
    for entry, (story, link) in enumerate(items):
        item = {"id": link, "url": link, "title": story.title,
                "date_published": _date(story, entry).isoformat(), "summary": story.summary(),
                "content_html": _teaser_html(story, link) if spec.summary_only else _body_html(story)}
        if story.author:
            item["authors"] = [{"name": story.author}]
        feed_items.append(item)
    return json.dumps({"version": "https://jsonfeed.org/version/1.1",
                       "title": f"{site_name(spec.site)}: {spec.section}",
                       "home_page_url": sites.base(spec.site) + "/", "feed_url": sites.feed_url(spec),
                       "language": "en", "items": feed_items}, ensure_ascii=False, indent=1)


_TOPICS = ("Latest", "Explainers", "Investigations", "Data", "Photos", "Video", "Live", "Local", "National",
           "International")
# A mega-menu as news sites have: every section with its topics (some 200 links and 400 elements).
_NAV = "".join(
    f'<li class="nav-section"><a href="/section/{s.lower()}">{s}</a><div class="nav-panel"><ul>'
    + "".join(f'<li><a href="/section/{s.lower()}/{t.lower()}">{s} {t}</a></li>' for t in _TOPICS)
    + "</ul></div></li>" for s in SECTIONS)
_FOOTER_LINKS = ("About us", "Contact", "Careers", "Advertise", "Corrections", "Ethics policy", "Privacy policy",
                 "Terms of service", "Cookie settings", "Accessibility", "Newsletters", "Podcasts", "Archive",
                 "Site map")
_FOOTER = "".join(f'<li><a href="/{t.lower().replace(" ", "-")}">{t}</a></li>' for t in _FOOTER_LINKS)
# The kind of inline script and style every news page carries (extractors must throw it away).
_STYLE = "\n".join(f".block-{n} {{ margin: {n % 5}px 0; padding: 0 {n % 7}px; font-size: {12 + n % 6}px; }}"
                   for n in range(60))
_SCRIPT = ("window.dataLayer = window.dataLayer || [];\nfunction gtag(){dataLayer.push(arguments);}\n"
           + "\n".join(f"gtag('set', 'dimension{n}', 'value-{n}'); /* audience segment {n} */" for n in range(60))
           + "\n(function(){var s=document.createElement('script');s.async=true;s.src='/static/ads.js';"
             "document.head.appendChild(s);})();")
# The state a script-rendered page embeds (tens of kilobytes on real sites).
_STATE = "window.__PRELOADED_STATE__ = " + json.dumps(
    {"config": {"ads": {f"slot{n}": {"sizes": [[300, 250], [728, 90]], "targeting": {"pos": n}} for n in range(40)},
                "experiments": {f"exp-{n}": n % 3 for n in range(120)}},
     "navigation": [{"label": s, "href": f"/section/{s.lower()}"} for s in SECTIONS]}) + ";"


def render_page(sites: FeedServer, spec: FeedSpec, round_: int, entry: int) -> str:
    """An article page as news sites serve it (some 50 KB): metadata in the head (OpenGraph, JSON-LD
    NewsArticle), a mega-menu, the article in <article> with <p> paragraphs and a newsletter box amid
    them, related and most-read links, comments, a footer, inline style, script and preloaded state."""
    story = sites.story(spec, round_, entry)
    url = sites.page_url(spec, round_, entry)
    base = sites.base(spec.site)
    site = site_name(spec.site)
    published = _date(story, entry)
    e = lambda text: html.escape(text, quote=True)  # noqa: E731 (a local shorthand)
    author = story.author or f"{site} staff"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
          "mainEntityOfPage": {"@type": "WebPage", "@id": url}, "url": url,
          "datePublished": published.isoformat(), "dateModified": (published + timedelta(hours=3)).isoformat(),
          "author": [{"@type": "Person", "name": name.strip(), "url": f"{base}/authors/{name.strip().lower().replace(' ', '-')}"}
                     for name in author.split(",") if name.strip()],
          "publisher": {"@type": "Organization", "name": site, "logo": {"@type": "ImageObject", "url": f"{base}/logo.png"}},
          "articleSection": spec.section, "description": story.summary()}
    ld_json = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")  # no </script> inside the script
    paragraphs = [f"<p>{html.escape(part, quote=False)}</p>" for part in story.paragraphs()]
    middle = max(1, len(paragraphs) // 2)
    paragraphs.insert(middle, '<aside class="newsletter-box"><h3>The Morning Briefing</h3><p>Get the day\'s '
                              'essential stories in your inbox every morning.</p><form action="/subscribe">'
                              '<input type="email" name="email" placeholder="Email address"><button>Sign up</button>'
                              '</form></aside>')
    related = "".join(
        f'<li><a href="{sites.page_url(spec, round_, other)}">{e(sites.story(spec, round_, other).title)}</a></li>'
        for other in ((entry + k) % sites.entries for k in range(1, 7)))
    most_read = "".join(
        f'<li><a href="{sites.page_url(other_spec, round_, 0)}">{e(sites.story(other_spec, round_, 0).title)}</a></li>'
        for other_spec in sites.specs[:10])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(story.title)} | {e(site)}</title>
<meta name="description" content="{e(story.summary())}">
<meta name="author" content="{e(author)}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{e(site)}">
<meta property="og:title" content="{e(story.title)}">
<meta property="og:description" content="{e(story.summary())}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="{base}/images/{spec.slug}-{entry}.jpg">
<meta property="article:published_time" content="{published.isoformat()}">
<meta property="article:modified_time" content="{(published + timedelta(hours=3)).isoformat()}">
<meta property="article:section" content="{spec.section}">
<meta name="twitter:card" content="summary_large_image">
<link rel="stylesheet" href="/static/site.css">
<style>
{_STYLE}
</style>
<script type="application/ld+json">{ld_json}</script>
<script>
{_SCRIPT}
</script>
</head>
<body class="article-page section-{spec.section.lower()}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="masthead">
<div class="logo"><a href="/">{e(site)}</a></div>
<nav class="primary-nav" aria-label="Sections"><ul>{_NAV}</ul></nav>
<form class="site-search" action="/search" role="search"><input name="q" placeholder="Search"><button>Search</button></form>
<div class="account"><a href="/login">Log in</a> <a class="subscribe" href="/subscribe">Subscribe</a></div>
</header>
<div class="ad-slot" id="ad-top"><span>Advertisement</span></div>
<main id="main">
<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/section/{spec.section.lower()}">{spec.section}</a></nav>
<article class="story">
<header class="story-header">
<p class="kicker">{spec.section}</p>
<h1 class="headline">{e(story.title)}</h1>
<p class="byline">By <a rel="author" href="{base}/authors/{e(author.split(',')[0].strip().lower().replace(' ', '-'))}">{e(author)}</a></p>
<time class="published" datetime="{published.isoformat()}">{published.strftime('%B %d, %Y')}</time>
<ul class="share"><li><a href="/share/email">Email</a></li><li><a href="/share/x">Post</a></li><li><a href="/share/fb">Share</a></li><li><a href="/share/print">Print</a></li></ul>
</header>
<figure class="lead-image"><img src="{base}/images/{spec.slug}-{entry}.jpg" alt="" width="1200" height="675"><figcaption>A photograph for this story. ({e(site)})</figcaption></figure>
<div class="story-body">
{chr(10).join(paragraphs)}
</div>
<footer class="story-footer"><p class="tags">Filed under: <a href="/tag/{spec.section.lower()}">{spec.section}</a></p></footer>
</article>
<aside class="related"><h2>More from {e(site)}</h2><ul>{related}</ul></aside>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
<section class="comments"><h2>Comments</h2><p>Comments are closed for this story.</p></section>
<div class="ad-slot" id="ad-bottom"><span>Advertisement</span></div>
</main>
<footer class="site-footer">
<nav aria-label="Footer"><ul>{_FOOTER}</ul></nav>
<p class="copyright">© 2026 {e(site)}. All rights reserved.</p>
</footer>
<script>{_STATE}</script>
<script src="/static/app.js" defer></script>
</body>
</html>
"""


# Words of the page's furniture that must not reach an article's text (the extractor's job).
# (A story's own text may hold some of them, as "All rights reserved": only the sites' own are here.)
BOILERPLATE_MARKERS = ("The Morning Briefing", "Comments are closed", "The Loopback Courier", "Skip to content",
                       "Most read", "More from")


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.feed_server OPML`: serve the sites (corpus stories) until interrupted, for trying
    the app by hand: write their OPML for `newsreader feeds import`; each Enter serves the next round."""
    import argparse
    import sys
    from pathlib import Path

    from bench import corpus

    parser = argparse.ArgumentParser(prog="python -m bench.feed_server", description=main.__doc__)
    parser.add_argument("opml", type=Path, help="where to write the subscription list")
    parser.add_argument("--skip", type=int, default=0, metavar="N", help="begin after the corpus's first N articles")
    args = parser.parse_args(argv)
    needed = 5 * SITES * FEEDS_PER_SITE * ENTRIES
    stories = [Story.from_record(json.loads(line))
               for number, line in enumerate(corpus.lines(corpus.default_inputs(), args.skip + needed))
               if number >= args.skip]
    sites = FeedServer(stories)
    sites.start()
    try:
        sites.set_round(1)
        args.opml.write_text(sites.opml(), encoding="utf-8")
        print(f"serving {len(sites.specs)} feeds on 127.0.0.1 (round 1); OPML in {args.opml}. "
              "Enter: next round; ctrl+c: stop", file=sys.stderr)
        for _ in sys.stdin:
            sites.set_round(sites.round + 1)
            print(f"round {sites.round}; served so far: {dict(sites.reset_counts())}", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        sites.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
