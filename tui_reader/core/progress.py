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


def event_line(item: ImportProgress | ImportReport) -> str:
    """One event as a line of JSON."""
    return json.dumps(item.as_event(), ensure_ascii=False)


def read_event(line: str | bytes) -> ImportProgress | ImportReport | None:
    """The progress or report in one line of an import's output; None for any other line."""
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
    return None


def _count(value: object) -> int:
    """A count from an event: a non-negative int, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _pairs(value: object, text: str) -> list[tuple[str, str]]:
    """(origin, text) pairs from an event's list of objects, skipping what is not one."""
    if not isinstance(value, list):
        return []
    return [(str(item.get("origin", "")), str(item.get(text, ""))) for item in value if isinstance(item, dict)]
