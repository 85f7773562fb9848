"""Article text and metadata of a web page: the one extractor behind `add`, full-text fetches and .html imports.

Built on trafilatura (the best-measured open article extractor: F1 0.96 on a public benchmark of 181 news
pages, against 0.83 for our own parser), with the same options as that measured run. Where trafilatura finds
no text, today's parser (html_page.PageReader) reads the page as before. Pages are untrusted: nothing here
raises for bad input, trafilatura's loggers never reach the terminal, and every field comes out as safe text.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from tui_reader.core.dates import normalize_date
from tui_reader.core.html_page import DATE_KEYS, SOURCE_KEYS, TITLE_KEYS, PageReader
from tui_reader.core.sanitize import clean_body, clean_line, strip_controls


@dataclass(frozen=True)
class Page:
    """What a page says about its article; every field is safe text (no markup, no control characters)."""

    title: str | None
    author: str | None  # names, comma-separated
    source: str | None  # the publication's name
    date: str | None  # ISO YYYY-MM-DD, the published date (not the modified one)
    url: str | None  # the canonical address (else the address the page was read from)
    body: str  # paragraphs separated by one blank line ("" when no article text was found)


# trafilatura's settings: those of the run that scored F1 0.96 on the benchmark (`extract(html,
# include_comments=False)`): balanced focus, tables kept, readability and jusText compared (fast=False).
# Comments are readers', not the article's. Formatting, links and images would add markup we drop anyway.
_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "fast": False,
    "favor_precision": False,
    "favor_recall": False,
    "include_formatting": False,
    "include_links": False,
    "include_images": False,
    "deduplicate": False,
}
# Beyond this a page's scripts, then its end, are not read: trafilatura takes about 2.5 s for 2 MB of
# paragraphs (0.1 s for 120 kB) on this machine, and an article's HTML is well under 1 MB.
MAX_HTML_CHARS = 2_000_000
_SNIFF_CHARS = 4096  # how much of a page decides that it is binary junk
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")  # more than 1 in 10 of these: not a page
_SCRIPTS = re.compile(r"<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability", "charset_normalizer")
# Elements of trafilatura's output that stay inside a paragraph; every other element is a block of its own.
_INLINE = frozenset({"hi", "ref", "del", "span", "graphic", "abbr", "sub", "sup"})
_AUTHOR_KEYS = ("author", "article:author", "byl", "parsely-author", "dc.creator")
_BYLINE = re.compile(r"^(?:written\s+)?by\s+", re.IGNORECASE)
_HOST = re.compile(r"(?:[a-z][a-z0-9+.-]*://)?(?:www\d*\.)?[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:/\S*)?", re.IGNORECASE)
_SEPARATORS = "|–—-•·:»«/~*"  # what joins a headline and a site name in a <title>
# trafilatura's own cut of a <title> (metadata.HTMLTITLE_REGEX) and the meta tags it takes a title from
_TRAFILATURA_TITLE_CUT = re.compile(r"^(.+)?\s+[–•·—|⁄*⋆~‹«<›»>:-]\s+(.+)$")
_TITLE_META = ("og:title", "citation_title", "dc.title", "dcterms.title", "fb_title", "headline", "parsely-title",
               "sailthru.title", "shareaholic:title", "rbtitle", "title", "twitter:title")
_TITLE_PARTS = re.compile(rf"\s+[{re.escape(_SEPARATORS)}]\s+")


def extract_page(html: str, url: str | None = None) -> Page:
    """The article of a page: title, authors, publication, published date, canonical address and body text.

    `url` is where the page came from: relative canonical addresses are resolved against it. Never raises:
    a page with no article text (or garbage) gives a Page whose body is "".
    """
    html = _prepared(html) if isinstance(html, str) else None
    if html is None:
        return Page(None, None, None, None, _address(None, url), "")
    try:
        page = _with_trafilatura(html, url)
    except Exception:  # untrusted input and a large library: any failure means "use the fallback"
        page = None
    if page is None or not page.body:
        page = _with_page_reader(html, url, page)
    return page


def _prepared(html: str) -> str | None:
    """The page as the extractors should see it, or None when it is empty or binary junk.

    Control characters and lone surrogates go first (lxml stops at a surrogate, and would strip an escape
    character but leave the rest of its sequence as text). A page over MAX_HTML_CHARS loses its scripts
    (but not JSON-LD), the bulk of big pages, then its end: trafilatura's time grows faster than the size.
    """
    head = html[:_SNIFF_CHARS]
    if not head.strip() or len(_BINARY_CHARS.findall(head)) * 10 > len(head):
        return None
    if len(html) > MAX_HTML_CHARS:
        html = _SCRIPTS.sub("", html)[:MAX_HTML_CHARS]
    return strip_controls(html)


# --- trafilatura ---------------------------------------------------------------------------


@functools.cache
def _trafilatura() -> Any:
    """trafilatura, imported on first use (it takes a fifth of a second) and silenced.

    Its loggers warn on every odd page ("discarding data", "empty HTML tree"); with no logging set up,
    Python would print those to the terminal, over the app or the CLI's progress bar.
    """
    import trafilatura  # noqa: PLC0415 - deliberately late: most commands never extract a page

    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL + 1)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
    return trafilatura


def _with_trafilatura(html: str, url: str | None) -> Page | None:
    """The page read by trafilatura (body "" if it found no text), or None if it cannot parse the page."""
    trafilatura = _trafilatura()
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    for inert in list(tree.iter("template")):  # a browser never shows a <template>'s content; trafilatura would
        inert.drop_tree()
    meta = _meta_tags(tree)
    # Metadata first, then the text, on the same tree, as bare_extraction(with_metadata=True) does; kept
    # apart so that the metadata survives a page whose text trafilatura rejects (then the fallback reads it).
    metadata = trafilatura.extract_metadata(tree, default_url=url)
    document = trafilatura.bare_extraction(tree, url=url or metadata.url, **_OPTIONS)
    body = _paragraphs(document.body) if document is not None and document.body is not None else ""
    source = _source(metadata.sitename, meta, url)
    title = _headline(clean_line(_whole_title(metadata.title, tree, meta)), source, url)
    author = _authors([metadata.author or ""], source) or _meta_authors(meta, source)
    return Page(
        title=title or None,
        author=author,
        source=source,
        date=metadata.date or None,
        url=_address(_canonical(tree, meta), url or next(iter(meta.get("og:url", [])), None)),
        body=_without_headline(clean_body(body), title),
    )


def _meta_tags(tree: Any) -> dict[str, list[str]]:
    """<meta name|property content> values by lower-cased key, in page order."""
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = element.get("content")
        if key and content and content.strip():
            meta.setdefault(key, []).append(content)
    return meta


def _whole_title(title: str | None, tree: Any, meta: dict[str, list[str]]) -> str | None:
    """The whole <title> where trafilatura kept only a piece of it.

    trafilatura cuts a <title> at its last separator and keeps a piece (the first without a dot), so that
    "Rates - what next?" became "Rates" and "Site | Headline" "Site". The whole title goes to _headline,
    which takes off a piece only when it names the publication. A title that the page gives elsewhere (a
    meta tag, its one <h1>, JSON-LD) is trafilatura's choice and kept.
    """
    element = tree.find(".//head//title")
    whole = " ".join(element.text_content().split()) if element is not None else ""
    match = _TRAFILATURA_TITLE_CUT.match(whole)
    if not title or not match or title not in match.groups():
        return title
    stated = {" ".join(value.split()) for key in _TITLE_META for value in meta.get(key, [])}
    headings = tree.findall(".//h1")
    if len(headings) == 1:
        stated.add(" ".join(headings[0].text_content().split()))
    in_json_ld = any(title in (script.text or "") for script in tree.iterfind('.//script[@type="application/ld+json"]'))
    return title if title in stated or in_json_ld else whole


def _canonical(tree: Any, meta: dict[str, list[str]]) -> str | None:
    """The address the page gives itself: <link rel=canonical>, else og:url."""
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and (element.get("href") or "").strip():
            return element.get("href").strip()
    return next(iter(meta.get("og:url", [])), None)


def _paragraphs(body: Any) -> str:
    """trafilatura's output tree as text: each block (paragraph, heading, list item, quote, table row) a
    paragraph, <br> a paragraph break, table cells apart by a space, white space collapsed."""
    from lxml import etree  # noqa: PLC0415 - lxml comes with trafilatura, imported late with it

    paragraphs: list[str] = []
    current: list[str] = []

    def end() -> None:
        # a line break inside a text is a paragraph break too: trafilatura's last-resort extraction (its
        # "baseline") gives the blocks of a short page as the lines of one paragraph
        for line in "".join(current).split("\n"):
            text = " ".join(line.split())
            if text:
                paragraphs.append(text)
        current.clear()

    # iterwalk, not recursion: a deeply nested page must not exhaust Python's stack
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if not isinstance(element.tag, str):  # a comment or processing instruction: only its tail is text
            if event == "end":
                current.append(element.tail or "")
            continue
        tag = element.tag
        if event == "start":
            if tag == "lb" or tag not in _INLINE and tag != "cell":
                end()
            elif tag == "cell":
                current.append(" ")
            current.append(element.text or "")
        else:
            if tag not in _INLINE and tag not in ("cell", "lb"):
                end()
            elif tag == "cell":
                current.append(" ")
            if element is not body:
                current.append(element.tail or "")
    end()
    return "\n\n".join(paragraphs)


# --- the fallback: today's parser ----------------------------------------------------------


def _with_page_reader(html: str, url: str | None, known: Page | None) -> Page:
    """The page read by html_page.PageReader, keeping what trafilatura already found (`known`)."""
    reader = PageReader()
    try:
        reader.feed(html)
        reader.close()
    except AssertionError:  # html.parser's answer to an unknown "<![keyword[" section
        return known or Page(None, None, None, None, _address(None, url), "")
    except Exception:  # a bug in html.parser must not become the user's crash
        return known or Page(None, None, None, None, _address(None, url), "")
    if known is not None:
        return Page(known.title, known.author, known.source, known.date, known.url,
                    _without_headline(clean_body(reader.body()), known.title))
    source = _plausible_name(reader.first(SOURCE_KEYS))
    title = _headline(clean_line(reader.first(TITLE_KEYS) or reader.title.text() or reader.heading.text()), source, url)
    return Page(
        title=title or None,
        author=_meta_authors(reader.meta, source),
        source=source,
        date=_iso_date(reader.first(DATE_KEYS) or reader.time),
        url=_address(reader.canonical or reader.first(("og:url",)), url),
        body=_without_headline(clean_body(reader.body()), title),
    )


def _iso_date(value: str | None) -> str | None:
    """An ISO date from the forms dates.normalize_date knows; None for anything else."""
    try:
        return normalize_date(clean_line(value) or None)
    except ValueError:
        return None


# --- metadata rules ------------------------------------------------------------------------


def _meta_authors(meta: dict[str, list[str]], source: str | None) -> str | None:
    """The author names of the first author meta key that gives any (as html_page's reader takes them)."""
    return next(filter(None, (_authors(meta.get(key, []), source) for key in _AUTHOR_KEYS)), None)


def _authors(names: list[str], source: str | None) -> str | None:
    """Author names, comma-separated: "By " stripped, no addresses, not the publisher, each name once."""
    kept: dict[str, str] = {}
    publisher = _comparable(source) if source else None
    for raw in (part for value in names for part in value.split(";")):  # trafilatura joins names with "; "
        name = _BYLINE.sub("", clean_line(raw))
        if not name or _looks_like_address(name) or "@" in name:
            continue  # a profile link or an e-mail address is not a name
        if publisher and _comparable(name) == publisher:
            continue  # the publication named as its own author
        kept.setdefault(name.casefold(), name)
    return ", ".join(kept.values()) or None


def _source(sitename: str | None, meta: dict[str, list[str]], url: str | None) -> str | None:
    """The publication's name: og:site_name, the JSON-LD publisher, a meta tag; never a host or an address."""
    handles = {value.strip().lstrip("@").casefold() for value in meta.get("twitter:site", [])}
    for candidate in (*meta.get("og:site_name", []), sitename, *meta.get("application-name", [])):
        name = _plausible_name(candidate)
        if name and name.casefold() not in handles and name.title().casefold() not in handles:
            return name  # (trafilatura falls back on a Twitter handle or the host; neither names a publication)
    return None


def _plausible_name(value: str | None) -> str | None:
    """value as a publication's name, or None if it is empty or an address or host name."""
    name = clean_line(value)
    return name if name and not _looks_like_address(name) else None


def _looks_like_address(text: str) -> bool:
    """True for a web address or a bare host name ("https://x.org/a", "www.x.org", "x.co.uk")."""
    return " " not in text and _HOST.fullmatch(text) is not None


def _headline(title: str, source: str | None, url: str | None) -> str:
    """The title without a " | Site" suffix (or "Site | " prefix) naming the publication or the host."""
    parts = _TITLE_PARTS.split(title)
    if len(parts) < 2:
        return title
    names = {_comparable(source)} if source else set()
    host = urlsplit(url).hostname if url else None
    if host:
        names |= {_comparable(host), _comparable(host.removeprefix("www."))}
    names.discard("")
    if not names:
        return title
    separators = _TITLE_PARTS.findall(title)
    if _comparable(parts[-1]) in names:
        return _joined(parts[:-1], separators[:-1])
    if _comparable(parts[0]) in names:
        return _joined(parts[1:], separators[1:])
    return title


def _joined(parts: list[str], separators: list[str]) -> str:
    """Title parts put back together with the separators that stood between them."""
    text = parts[0]
    for separator, part in zip(separators, parts[1:]):
        text += separator + part
    return text


def _comparable(name: str) -> str:
    """A name reduced for comparison: case, a leading "The", spaces and punctuation do not count."""
    folded = clean_line(name).casefold()
    folded = folded.removeprefix("the ")
    return re.sub(r"\W+", "", folded)


def _address(found: str | None, base: str | None) -> str | None:
    """The page's own address resolved against where it came from; http(s) only; else the base itself."""
    candidate = clean_line(found)
    if candidate:
        try:
            absolute = urljoin(base, candidate) if base else candidate
            parts = urlsplit(absolute)
        except ValueError:  # e.g. "http://[broken"
            parts = None
        if parts is not None and parts.scheme in ("http", "https") and parts.hostname:
            return absolute
    base = clean_line(base)
    return base if base.startswith(("http://", "https://")) else None


def _without_headline(body: str, title: str | None) -> str:
    """The body without its first paragraph when that only repeats the headline."""
    first, _, rest = body.partition("\n\n")
    if rest and title and _comparable(first) == _comparable(title):
        return rest
    return body
