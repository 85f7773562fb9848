"""An import's progress and its report, and the JSON-line events that carry them between processes.

`newsreader import --json-progress` writes these events and the app's import bar reads them:
both sides use the classes here, so the wording of a summary and the fields of an event are
defined once.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from tui_reader.core.importers import Notice, Rejection


@dataclass
class ImportReport:
    """What an import did: counts, and every input it rejected or had something to say about."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Articles read, whatever became of them."""
        return self.imported + self.updated + self.unchanged

    @property
    def needs_attention(self) -> bool:
        """Whether something was rejected or had to be fixed."""
        return bool(self.rejected or self.notices)

    def summary(self) -> str:
        """One line for the end of an import."""
        return (
            f"{self.imported:,} imported, {self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{len(self.rejected):,} rejected"
        )

    def digest(self, shown: int) -> str:
        """The summary and at most `shown` rejections and notices, one a line (for a notification)."""
        lines = [self.summary()]
        lines += [f"rejected: {item}" for item in self.rejected[:shown]]
        lines += [f"note: {item}" for item in self.notices[: max(0, shown - len(self.rejected))]]
        hidden = len(self.rejected) + len(self.notices) - (len(lines) - 1)
        if hidden > 0:
            lines.append(f"… and {hidden:,} more (newsreader import on the command line lists them all)")
        return "\n".join(lines)

    def as_event(self) -> dict:
        """The report as the final JSON event of an import."""
        return {
            "event": "done", "imported": self.imported, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": [{"origin": r.origin, "reason": r.reason} for r in self.rejected],
            "notices": [{"origin": n.origin, "message": n.message} for n in self.notices],
        }

    @classmethod
    def from_event(cls, event: dict) -> ImportReport:
        """The report back from its event (missing or odd fields read as empty)."""
        return cls(
            _count(event.get("imported")), _count(event.get("updated")), _count(event.get("unchanged")),
            [Rejection(*pair) for pair in _pairs(event.get("rejected"), "reason")],
            [Notice(*pair) for pair in _pairs(event.get("notices"), "message")],
        )


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has got, for a progress bar."""

    done_bytes: int
    total_bytes: int
    articles: int
    started: float  # time.monotonic() at the start, in the process that imports
    elapsed: float | None = None  # seconds so far, when read from an event (another process's clock)

    def _elapsed(self) -> float:
        return self.elapsed if self.elapsed is not None else time.monotonic() - self.started

    @property
    def rate(self) -> float:
        """Articles per second so far."""
        return self.articles / max(self._elapsed(), 1e-6)

    @property
    def fraction(self) -> float:
        """Share of the input read, 0 to 1."""
        return min(1.0, self.done_bytes / self.total_bytes) if self.total_bytes else 1.0

    @property
    def seconds_left(self) -> float | None:
        """Estimated time to the end, from the bytes read so far."""
        elapsed = self._elapsed()
        if self.fraction <= 0 or elapsed < 0.5:
            return None
        return elapsed * (1 - self.fraction) / self.fraction

    def as_event(self) -> dict:
        """The progress as a JSON event."""
        return {"event": "progress", "done_bytes": self.done_bytes, "total_bytes": self.total_bytes,
                "articles": self.articles, "elapsed": round(self._elapsed(), 3)}

    @classmethod
    def from_event(cls, event: dict) -> ImportProgress:
        """The progress back from its event."""
        elapsed = event.get("elapsed")
        return cls(_count(event.get("done_bytes")), _count(event.get("total_bytes")), _count(event.get("articles")),
                   0.0, float(elapsed) if isinstance(elapsed, (int, float)) else 0.0)


def event_line(item: ImportProgress | ImportReport | FetchProgress | FetchReport) -> str:
    """One event as a line of JSON."""
    return json.dumps(item.as_event(), ensure_ascii=False)


def read_event(line: str | bytes) -> ImportProgress | ImportReport | FetchProgress | FetchReport | None:
    """The progress or report in one line of an import's (or a refresh's) output; None for any other line."""
    try:
        event = json.loads(line)
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None  # not one of ours (a library printing to stdout)
    kind = event.get("event")
    if kind == "progress":
        return ImportProgress.from_event(event)
    if kind == "done":
        return ImportReport.from_event(event)
    if kind == "feed":
        return FetchProgress.from_event(event)
    if kind == "fetched":
        return FetchReport.from_event(event)
    return None


def _count(value: object) -> int:
    """A count from an event: a non-negative int, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _pairs(value: object, text: str) -> list[tuple[str, str]]:
    """(origin, text) pairs from an event's list of objects, skipping what is not one."""
    if not isinstance(value, list):
        return []
    return [(str(item.get("origin", "")), str(item.get(text, ""))) for item in value if isinstance(item, dict)]


# --- fetching feeds and pages ----------------------------------------------------------------

@dataclass
class FeedResult:
    """What one feed's refresh did (or one link's, for `add`): counts, or why it failed."""

    name: str
    url: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None  # the feed (or page) could not be read: the reason
    not_modified: bool = False  # the server answered 304
    page_problems: list[tuple[str, str]] = field(default_factory=list)  # (address, reason) of full-text pages not read

    def line(self) -> str:
        """One line for this feed in a refresh's summary."""
        if self.error:
            return f"{self.name}: failed: {self.error}"
        if self.not_modified:
            return f"{self.name}: not modified"
        count = len(self.page_problems)
        pages = f", {count:,} page{'s' if count != 1 else ''} not read" if count else ""
        return f"{self.name}: {self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged{pages}"

    def as_dict(self) -> dict:
        return {"name": self.name, "url": self.url, "new": self.new, "updated": self.updated,
                "unchanged": self.unchanged, "error": self.error, "not_modified": self.not_modified,
                "page_problems": [{"origin": url, "reason": reason} for url, reason in self.page_problems]}

    @classmethod
    def from_dict(cls, item: dict) -> FeedResult:
        error = item.get("error")
        return cls(str(item.get("name", "")), str(item.get("url", "")), _count(item.get("new")),
                   _count(item.get("updated")), _count(item.get("unchanged")),
                   str(error) if error is not None else None, item.get("not_modified") is True,
                   _pairs(item.get("page_problems"), "reason"))


@dataclass
class FetchReport:
    """What a refresh of several feeds (or an `add` of several links) did, one result each."""

    results: list[FeedResult] = field(default_factory=list)
    interrupted: bool = False  # stopped before every feed was read

    @property
    def failed(self) -> list[FeedResult]:
        """The feeds (or links) that could not be read."""
        return [result for result in self.results if result.error]

    def summary(self) -> str:
        """One line: new, updated, unchanged and failed, added up."""
        new = sum(r.new for r in self.results)
        updated = sum(r.updated for r in self.results)
        unchanged = sum(r.unchanged for r in self.results)
        not_modified = sum(1 for r in self.results if r.not_modified)
        same = f", {not_modified:,} not modified" if not_modified else ""
        stopped = "; interrupted, the other feeds wait for the next refresh" if self.interrupted else ""
        return (f"{new:,} new, {updated:,} updated, {unchanged:,} unchanged; "
                f"{len(self.results) - len(self.failed):,} of {len(self.results):,} read{same}, "
                f"{len(self.failed):,} failed{stopped}")

    def as_event(self) -> dict:
        return {"event": "fetched", "results": [result.as_dict() for result in self.results],
                "interrupted": self.interrupted}

    @classmethod
    def from_event(cls, event: dict) -> FetchReport:
        results = event.get("results")
        return cls([FeedResult.from_dict(item) for item in results if isinstance(item, dict)]
                   if isinstance(results, list) else [], event.get("interrupted") is True)


@dataclass(frozen=True)
class FetchProgress:
    """How far a refresh has got: feeds done of all, and the last one's result."""

    done: int
    total: int
    last: FeedResult | None = None

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 1.0

    def as_event(self) -> dict:
        return {"event": "feed", "done": self.done, "total": self.total,
                "last": self.last.as_dict() if self.last else None}

    @classmethod
    def from_event(cls, event: dict) -> FetchProgress:
        last = event.get("last")
        return cls(_count(event.get("done")), _count(event.get("total")),
                   FeedResult.from_dict(last) if isinstance(last, dict) else None)
