"""An HTML page's metadata (title, byline, date, publication, address) and its readable text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tui_reader.core.sanitize import clean_line

_SKIPPED = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "template"})
_BLOCKS = frozenset(
    "address article blockquote br dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main ol p pre "
    "section table tbody thead tfoot tr ul".split()
)
_CELLS = frozenset({"td", "th"})
TITLE_KEYS = ("og:title",)
_AUTHOR_KEYS = ("author", "article:author", "byl", "parsely-author", "dc.creator")
DATE_KEYS = ("article:published_time", "date", "pubdate", "dc.date")
SOURCE_KEYS = ("og:site_name", "application-name")
_BYLINE = re.compile(r"by\s+", re.IGNORECASE)


class _Paragraphs:
    """Text gathered as paragraphs: block boundaries break them, white space collapses inside."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.current: list[str] = []

    def add(self, text: str) -> None:
        """Add text to the current paragraph."""
        self.current.append(text)

    def end(self) -> None:
        """End the current paragraph (empty ones vanish)."""
        text = " ".join("".join(self.current).split())
        if text:
            self.done.append(text)
        self.current = []

    def text(self) -> str:
        """All paragraphs, separated by one blank line."""
        self.end()
        return "\n\n".join(self.done)


class PageReader(HTMLParser):
    """Metadata and readable text of an HTML page: <article>, else <main>, else the whole page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self.time: str | None = None
        self.title = _Paragraphs()
        self.heading = _Paragraphs()  # the first <h1>, the last resort for a title
        self.texts = {"article": _Paragraphs(), "main": _Paragraphs(), "page": _Paragraphs()}
        self.depth = {"article": 0, "main": 0, "head": 0, "title": 0, "h1": 0}
        self.finished: set[str] = set()  # of those, the ones already closed: only the first counts
        self.skipping = 0  # how many skipped elements we are inside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Track containers and skipped parts; collect metadata from meta, link and time."""
        attributes = {name: value or "" for name, value in attrs}
        self._metadata(tag, attributes)
        if tag in self.depth and tag not in self.finished:
            self.depth[tag] += 1
        if tag in _SKIPPED:
            self.skipping += 1
        if tag == "body" and self.depth["head"]:
            self.depth["head"] = 0  # a page may never close its <head>
            self.finished.add("head")
        self._boundary(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close what the tag opened; a second <article>, <main>, <title> or <h1> is not read."""
        self._boundary(tag)
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        if self.depth.get(tag, 0) > 0:
            self.depth[tag] -= 1
            if self.depth[tag] == 0:
                self.finished.add(tag)

    def handle_data(self, data: str) -> None:
        """Send text to the title and to every open container, unless it is in a skipped part."""
        if self.depth["title"]:
            self.title.add(data)
            return
        if self.skipping or self.depth["head"]:
            return
        if self.depth["h1"]:
            self.heading.add(data)
        for name, paragraphs in self.texts.items():
            if name == "page" or self.depth[name]:
                paragraphs.add(data)

    def _boundary(self, tag: str) -> None:
        """Block elements end paragraphs; table cells are kept apart by a space."""
        for paragraphs in self.texts.values():
            if tag in _BLOCKS:
                paragraphs.end()
            elif tag in _CELLS:
                paragraphs.add(" ")

    def _metadata(self, tag: str, attributes: dict[str, str]) -> None:
        """Remember <meta name|property content>, <link rel=canonical> and the first <time datetime>."""
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or "").lower()
            if key and attributes.get("content"):
                self.meta.setdefault(key, []).append(attributes["content"])
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.canonical = self.canonical or attributes.get("href")
        elif tag == "time" and self.time is None:
            self.time = attributes.get("datetime")

    def first(self, keys: tuple[str, ...]) -> str | None:
        """The first non-empty meta value among keys, in their order of preference."""
        return next((value for key in keys for value in self.meta.get(key, []) if value.strip()), None)

    def authors(self) -> str | None:
        """The author names of the first author key present, without "By " or profile links."""
        for key in _AUTHOR_KEYS:
            names = [_BYLINE.sub("", clean_line(value), count=1) for value in self.meta.get(key, [])]
            names = [name for name in names if name and not name.startswith(("http://", "https://"))]
            if names:
                return ", ".join(dict.fromkeys(names))  # pages often repeat a name; keep order
        return None

    def body(self) -> str:
        """The readable text of the first non-empty of <article>, <main> and the whole page."""
        return next((text for text in (p.text() for p in self.texts.values()) if text), "")
