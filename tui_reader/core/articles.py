"""The records the core hands out: an Article, the ArticleRow a list shows, a Correction of its metadata,
a tagged Passage and the Anchor that says where it is, an Excerpt of a text around its matches, a Feed
the library follows; and an article's paragraphs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")  # a run of non-empty lines

# The metadata a user can correct (`newsreader edit`, E in the app), in the order shown.
CORRECTABLE = ("title", "author", "source", "date")


@dataclass(frozen=True)
class Article:
    """A news article as the library keeps it; text fields are already sanitised."""

    id: str
    title: str
    body: str
    author: str | None = None  # one name or several, comma-separated, as the source gives it
    source: str | None = None  # the publication
    date: str | None = None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None
    imported_at: str | None = None  # ISO UTC timestamp of the first import (the access date)
    origin: str = field(default="", compare=False)  # where it was read from, for messages
    corrected: tuple[str, ...] = ()  # the fields (of CORRECTABLE) whose value is the user's correction

    @property
    def content_hash(self) -> str:
        """A digest of everything a re-import could change: decides updated vs unchanged."""
        digest = hashlib.sha1()
        for part in (self.title, self.author, self.source, self.date, self.url, self.body):
            digest.update((part or "").encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        return digest.hexdigest()

    @property
    def access_date(self) -> str | None:
        """The day the article was first imported (YYYY-MM-DD), which citations give as accessed."""
        return self.imported_at[:10] if self.imported_at else None

    def with_(self, **changes: object) -> "Article":
        """A copy with some fields changed."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Correction:
    """A user's correction of one field of an article, and the value the last import gave that field."""

    field: str  # one of CORRECTABLE
    value: str | None  # what the article shows now (None: corrected to none, e.g. no author)
    imported: str | None  # what the last import gave; a re-import updates this, never the correction
    corrected_at: str  # ISO UTC timestamp of the correction


class ArticleRow(NamedTuple):
    """An article's metadata without its text: what the list shows (a tuple: the list of a whole
    library is built at start-up, and a frozen dataclass took three times as long to make)."""

    id: str
    title: str
    author: str | None
    source: str | None
    date: str | None
    url: str | None


FULL_TEXT_MODES = ("auto", "always", "never")  # when a feed's entries get their page's text


@dataclass(frozen=True)
class Feed:
    """A feed the library follows, with what its last fetch said and how many articles it brought."""

    id: int
    url: str
    name: str
    full_text: str = "auto"  # one of FULL_TEXT_MODES
    title: str | None = None  # the feed's own title
    added_at: str = ""
    last_fetched: str | None = None  # ISO UTC timestamp of the last attempt
    last_error: str | None = None  # why the last attempt failed (None when it worked)
    etag: str | None = None
    last_modified: str | None = None
    articles: int = 0
    unread: int = 0


@dataclass(frozen=True)
class Anchor:
    """Where a passage is: its exact quote with context, and its character offsets (None once the
    passage is orphaned: then only its last known quote and context are kept)."""

    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None

    def to_selectors(self) -> list[dict]:
        """The anchor as W3C Web Annotation selectors (TextQuote, and TextPosition when it has a place), JSON-ready."""
        selectors = [{"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix}]
        if self.start is not None and self.end is not None:
            selectors.append({"type": "TextPositionSelector", "start": self.start, "end": self.end})
        return selectors


@dataclass(frozen=True)
class Passage:
    """A passage the reader tagged: where it is (its anchor), its tags and note."""

    id: int
    article_id: str
    anchor: Anchor
    status: str  # "anchored", or "orphaned" when an edit of the article removed its words
    note: str
    created_at: str
    modified_at: str
    tags: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[int, int] | None:
        """Its character offsets in the article's text, or None for an orphan."""
        anchor = self.anchor
        if self.status != "anchored" or anchor.start is None or anchor.end is None:
            return None
        return anchor.start, anchor.end


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of a body (runs of non-empty lines)."""
    return [match.span() for match in _PARAGRAPH.finditer(body)]


def paragraph_number(body: str, offset: int) -> int:
    """The 1-based number of the paragraph holding offset (the pinpoint citations give)."""
    number = 0
    for number, (start, end) in enumerate(paragraph_spans(body), start=1):
        if offset < end:
            return number
    return max(number, 1)


@dataclass(frozen=True)
class Excerpt:
    """A one-line excerpt, the spans of the matched words in it, and how many matches the whole text has."""

    text: str
    spans: list[tuple[int, int]]
    hits: int
