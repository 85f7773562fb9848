"""The records: an article with its metadata and paragraphs, and an excerpt of one."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")  # a run of non-empty lines


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
