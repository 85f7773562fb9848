"""Feeds -> entries: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 by feedparser, JSON Feed 1.0/1.1 as plain JSON.

A feed is untrusted input. XML that declares entities (billion laughs, external entities) or names an
external DTD is refused before feedparser sees it, so no entity is expanded and no local file is read;
feedparser only ever gets the bytes as a stream (given a byte string that names a file, it would open it).
HTML in titles, summaries and contents becomes plain text with paragraphs, through the same sanitising as
imports: no markup and no control character comes out.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from tui_reader.core.sanitize import clean_body, clean_line, replace_surrogates


class FeedError(ValueError):
    """Not a feed, unsafe XML or a bad JSON Feed; str() is the reason the user reads."""


@dataclass(frozen=True)
class Entry:
    """One entry of a feed, as safe plain text."""

    key: str  # stable per feed: id/guid, else link, else a digest of title and date
    title: str | None
    link: str | None  # absolute (resolved against the feed's address), http(s) only
    authors: str | None  # names, comma-separated
    date: str | None  # ISO YYYY-MM-DD as the entry writes it (published, else updated)
    summary: str  # plain text with paragraphs, may be ""
    content: str  # the fullest text the entry carries, plain text with paragraphs; "" if none


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, its site's address and its entries in the feed's order (each key once)."""

    title: str | None
    link: str | None
    entries: list[Entry]


# RSS 0.91's public DTDs: old feeds still name them; nobody fetches them (neither expat nor feedparser).
_KNOWN_DTDS = ("-//Netscape Communications//DTD RSS 0.91//EN", "-//Userland//DTD RSS 0.91//EN")
_DOCTYPE = re.compile(rb"<!DOCTYPE\s+([^\s>\[]+)\s*(?:(PUBLIC)\s*([\"'])(.*?)\2|(SYSTEM))?([^>\[]*)(\[)?", re.IGNORECASE | re.DOTALL)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_JSON_FEED_TYPES = ("application/feed+json", "application/json")
SHORT_WORDS = 150  # below this an entry's text is a teaser: see needs_full_text


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """The feed in data (fetched from url, with that Content-Type); FeedError when it is not a feed or unsafe."""
    if isinstance(data, str):  # feedparser would take a str for an address or a file name
        data = data.encode("utf-8", "surrogatepass")
    media = (content_type or "").split(";")[0].strip().lower()
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{" or media in _JSON_FEED_TYPES and start != b"<":  # the body wins over a mislabelled type
        return _json_feed(data, url)
    _refuse_unsafe_xml(data)
    return _xml_feed(data, url, content_type)


# --- XML feeds -----------------------------------------------------------------------------


def _refuse_unsafe_xml(data: bytes) -> None:
    """FeedError("unsafe XML: ...") for entity declarations or an external DTD; nothing is expanded or read.

    defusedxml parses with every entity declaration refused. Where the XML is malformed (common in feeds,
    which feedparser then reads with its loose parser) the DOCTYPE is checked by pattern instead.
    """
    import defusedxml  # noqa: PLC0415 - imported with the first feed, not with every command
    import defusedxml.ElementTree  # noqa: PLC0415

    ascii_view = data.replace(b"\x00", b"")  # UTF-16/32 markup read as ASCII, for the patterns
    doctype = _DOCTYPE.search(ascii_view[:65536])
    if doctype and doctype.group(1).lower() == b"html":
        raise FeedError("not a feed (an HTML page)")
    if doctype and (doctype.group(5) or doctype.group(2) and doctype.group(4).decode("ascii", "replace") not in _KNOWN_DTDS):
        raise FeedError("unsafe XML: the document names an external DTD")
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as refused:
        raise FeedError(f"unsafe XML: the document declares entities ({_shown(refused.name)})") from None
    except defusedxml.DefusedXmlException:
        raise FeedError("unsafe XML: the document refers to external resources") from None
    except Exception:  # not well-formed (or not XML): feedparser's loose parser may still read it
        if _ENTITY_DECLARATION.search(ascii_view):
            raise FeedError("unsafe XML: the document declares entities") from None


def _xml_feed(data: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """An RSS or Atom feed read by feedparser."""
    import feedparser  # noqa: PLC0415 - imported with the first feed

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        # Its HTML sanitiser and URI rewriting are left out (4x faster on full-text feeds): every text
        # becomes plain text through html_text, which keeps no markup, script or address of its own.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                                  resolve_relative_uris=False)
    except Exception as error:  # feedparser has its own bugs; a feed must never crash a refresh
        raise FeedError(f"not a feed (unreadable: {type(error).__name__})") from None
    if not parsed.get("version"):
        raise FeedError("not a feed")
    feed = parsed.get("feed", {})
    # RSS has no type for its texts and feedparser guesses "plain" for markup it does not allow (a
    # <script>); Atom and RSS 1.0 declare theirs
    untyped = str(parsed.get("version")).startswith("rss")
    entries = [_xml_entry(entry, url, untyped) for entry in parsed.get("entries", [])]
    title = _detail_text(feed, "title", untyped=untyped) or None
    return ParsedFeed(title, _link(feed.get("link"), url), _unique(entries))


def _xml_entry(entry: Any, url: str, untyped: bool) -> Entry:
    """An Entry from a feedparser entry; `untyped`: its texts declare no type, so markup in them is HTML."""
    title = _detail_text(entry, "title", untyped=untyped) or None
    link = _link(entry.get("link"), url)
    raw_date = _first(entry, ("published", "updated", "created"))
    parsed = _first(entry, ("published_parsed", "updated_parsed", "created_parsed"))
    day = _iso_day(raw_date) or (_valid_day(parsed[0], parsed[1], parsed[2]) if parsed else None)
    contents = [_detail_value(content) for content in entry.get("content") or []]
    content = max(contents, key=len, default="")
    # feedparser copies the content into the summary when an entry has none (no summary_detail then)
    summary = _detail_text(entry, "summary", paragraphs=True, untyped=untyped) if entry.get("summary_detail") else ""
    names = [author.get("name") or "" for author in entry.get("authors") or [] if isinstance(author, dict)]
    if not any(names) and entry.get("author"):
        names = [entry.get("author")]
    return Entry(
        key=_key(entry.get("id"), link, title, day),
        title=title,
        link=link,
        authors=_names(names),
        date=day,
        summary=summary,
        content=content,
    )


def _detail_text(item: Any, field: str, paragraphs: bool = False, untyped: bool = False) -> str:
    """A feedparser text field as plain text, by its type (HTML is converted, text kept as written).

    Where the feed format declares no type (`untyped`), text with something like a tag in it is HTML.
    """
    detail = item.get(f"{field}_detail") or {}
    value = item.get(field) or ""
    media_type = str(detail.get("type") or "text/html")
    if untyped and _TAG.search(value):
        media_type = "text/html"
    text = _as_text(value, media_type)
    return text if paragraphs else clean_line(text)


def _detail_value(content: Any) -> str:
    """One of an entry's contents as plain text with paragraphs."""
    if not isinstance(content, dict):
        return ""
    return _as_text(content.get("value") or "", str(content.get("type") or "text/html"))


def _first(item: Any, keys: tuple[str, ...]) -> Any:
    """The first of the item's fields that is present and not empty."""
    return next((item.get(key) for key in keys if item.get(key)), None)


# --- JSON Feed -----------------------------------------------------------------------------


def _json_feed(data: bytes, url: str) -> ParsedFeed:
    """A JSON Feed (1.0 or 1.1), read as plain JSON by its specification."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FeedError("not a feed (not valid JSON)") from None
    if not isinstance(document, dict) or "jsonfeed.org/version/" not in str(document.get("version", "")):
        raise FeedError("not a feed (JSON without a JSON Feed version)")
    items = document.get("items", [])
    if not isinstance(items, list):
        raise FeedError("bad JSON Feed: 'items' is not a list")
    feed_authors = _json_authors(document)
    entries = [_json_entry(item, url, feed_authors) for item in items if isinstance(item, dict)]
    title = clean_line(_string(document.get("title"))) or None
    return ParsedFeed(title, _link(_string(document.get("home_page_url")), url), _unique(entries))


def _json_entry(item: dict[str, Any], url: str, feed_authors: list[str]) -> Entry:
    """An Entry from a JSON Feed item; an item without authors has the feed's (as the specification says)."""
    title = clean_line(_string(item.get("title"))) or None
    link = _link(_string(item.get("url")), url) or _link(_string(item.get("external_url")), url)
    day = _iso_day(_string(item.get("date_published"))) or _iso_day(_string(item.get("date_modified")))
    texts = [_as_text(_string(item.get("content_html")), "text/html"), _as_text(_string(item.get("content_text")), "text/plain")]
    item_id = item.get("id")
    item_id = str(item_id) if isinstance(item_id, (str, int)) and not isinstance(item_id, bool) else None
    return Entry(
        key=_key(item_id, link, title, day),
        title=title,
        link=link,
        authors=_names(_json_authors(item) or feed_authors),
        date=day,
        summary=_as_text(_string(item.get("summary")), "text/plain"),
        content=max(texts, key=len),
    )


def _json_authors(item: dict[str, Any]) -> list[str]:
    """Author names of a JSON Feed object: 1.1's "authors" list, else 1.0's "author" object."""
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]
    return [_string(author.get("name")) for author in authors if isinstance(author, dict)]


def _string(value: Any) -> str:
    """A JSON value that should be a string, or "" when it is not one."""
    return value if isinstance(value, str) else ""


# --- shared rules --------------------------------------------------------------------------


def needs_full_text(entry: Entry) -> bool:
    """The "auto" rule: True when the entry carries only a teaser, so the linked page should be fetched.

    A teaser is a text under SHORT_WORDS (150) words, or one that ends by saying it goes on ("Continue
    reading", "Read more", "[…]", "..."). News articles run to 400-1,000 words; the summaries that CMSs write
    into feeds are 20-80 (WordPress's excerpt is 55 words and "[…]"), so 150 parts the two with room on both
    sides, and a real brief under 150 words costs only one extra fetch. WordPress's footer "The post X
    appeared first on Y." is left out before judging: it follows full texts and teasers alike.
    """
    text = _without_footer(entry.content or entry.summary)
    if len(text.split()) < SHORT_WORDS:
        return True
    return _ends_as_teaser(text)


_FOOTER = re.compile(r"\n*\s*the post\b.{0,400}\bappeared first on\b.{0,200}$", re.IGNORECASE | re.DOTALL)
_GOES_ON = re.compile(
    r"^(?:(?:continue reading|read more|read the (?:full|whole|rest)|keep reading|full story)\b|more\s*[»→>…])",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\W{0,3}$")
_MORE_AT_END = re.compile(r"\b(?:continue reading|read more)\W{0,5}$", re.IGNORECASE)


def _without_footer(text: str) -> str:
    """text without a trailing "The post X appeared first on Y." paragraph."""
    return _FOOTER.sub("", text).rstrip()


def _ends_as_teaser(text: str) -> bool:
    """True when the text's end says that it goes on elsewhere."""
    last = text.rsplit("\n\n", 1)[-1].strip()
    if len(last.split()) <= 25 and _GOES_ON.match(last):
        return True  # a last paragraph "Continue reading “Title” →" or "Read more"
    return bool(_ELLIPSIS.search(last) or _MORE_AT_END.search(last))


def _link(value: Any, base: str) -> str | None:
    """value as an absolute http(s) address, resolved against base; None otherwise."""
    text = clean_line(value) if isinstance(value, str) else ""
    if not text:
        return None
    try:
        absolute = urljoin(base, text)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    return absolute if parts.scheme in ("http", "https") and parts.hostname else None


def _names(values: Iterable[str]) -> str | None:
    """Author names, comma-separated, each once; e-mail addresses and web addresses are not names."""
    kept: dict[str, str] = {}
    for value in values:
        name = clean_line(value)
        name = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE)
        name = re.sub(r"\S+@\S+", "", name).strip(" ()<>,;")  # "jo@example.org (Jo Bloggs)" -> "Jo Bloggs"
        if name and not re.match(r"(?:https?://|www\.)", name, re.IGNORECASE):
            kept.setdefault(name.casefold(), name)
    return ", ".join(kept.values()) or None


def _key(identifier: str | None, link: str | None, title: str | None, day: str | None) -> str:
    """An entry's stable key: its id or GUID, else its link, else a digest of its title and date."""
    key = clean_line(identifier) if identifier else ""
    if key:
        return key
    if link:
        return link
    digest = hashlib.sha1(f"{title or ''}\n{day or ''}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"digest:{digest}"


def _unique(entries: list[Entry]) -> list[Entry]:
    """Entries with their first occurrence of each key only (a feed that repeats an id means one entry)."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            kept.append(entry)
    return kept


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def _iso_day(value: str | None) -> str | None:
    """YYYY-MM-DD of a date as written (RFC 3339 or RFC 822), in the writer's own time zone."""
    if not value or not isinstance(value, str):
        return None
    match = _ISO_DAY.match(value)
    if match:
        return _valid_day(*map(int, match.groups()))
    try:
        parts = email.utils.parsedate_tz(value)
    except (TypeError, ValueError, IndexError):
        parts = None
    return _valid_day(parts[0], parts[1], parts[2]) if parts else None


def _valid_day(year: int, month: int, day: int) -> str | None:
    """The ISO day, or None if it does not exist."""
    try:
        return date(year, month, day).isoformat()
    except (ValueError, TypeError, OverflowError):
        return None


def _shown(value: Any) -> str:
    """A name from a document, quoted and shortened for a message."""
    text = clean_line(str(value or ""))
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


# --- HTML to plain text --------------------------------------------------------------------

_SKIPPED = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "head", "title"})
_BLOCKS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section summary table tbody thead tfoot tr ul".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _TextReader(HTMLParser):
    """The text of an HTML fragment: block elements end paragraphs, white space collapses inside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a skipped element or end a paragraph."""
        if tag in _SKIPPED and tag not in _VOID:
            self.skipping.append(tag)
        elif tag in _BLOCKS:
            self.end()
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_endtag(self, tag: str) -> None:
        """Close a skipped element (and any left open inside it) or end a paragraph."""
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
        elif tag in _BLOCKS:
            self.end()
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_data(self, data: str) -> None:
        """Text outside skipped elements goes into the current paragraph."""
        if not self.skipping:
            self.current.append(data)

    def end(self) -> None:
        """End the current paragraph (empty ones vanish)."""
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def text(self) -> str:
        """All paragraphs, separated by one blank line."""
        self.end()
        return "\n\n".join(self.paragraphs)


_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # something that looks like a tag in a text
_ANY_TAG = re.compile(r"<[^>]*>?")


def html_text(fragment: str) -> str:
    """Plain text with paragraphs from an HTML fragment (entities decoded, tags removed); safe to show."""
    reader = _TextReader()
    try:
        reader.feed(replace_surrogates(fragment))
        reader.close()
        text = reader.text()
    except Exception:  # html.parser refuses some marked sections; the tags go by pattern then
        import html  # noqa: PLC0415

        text = html.unescape(_ANY_TAG.sub(" ", fragment))
    return clean_body(text)


def _as_text(value: str, media_type: str) -> str:
    """Feed text as plain text with paragraphs: HTML converted, plain text kept as written."""
    if not value:
        return ""
    if "html" in media_type.lower():
        return html_text(value)
    text = clean_body(value)
    # plain text whose lines are its paragraphs, in the blank-line convention (as importers do)
    return text if "\n\n" in text else text.replace("\n", "\n\n")
