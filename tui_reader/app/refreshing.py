"""Refreshing feeds and saving links without waiting: `newsreader fetch` and `newsreader add` run as
subprocesses (child.py), as imports do, and a docked bar shows the refresh feed by feed.

A separate process keeps the downloads, the parsing and the indexing from competing with the interface
for the GIL; its articles reach the list as the LibraryWatcher sees each feed's commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, ProgressBar
from textual.worker import Worker, WorkerState

from tui_reader.app.child import run_newsreader
from tui_reader.app.failures import report_failure
from tui_reader.core.progress import FeedResult, FetchProgress, FetchReport
from tui_reader.core.sanitize import clean_line

SHOWN_FAILURES = 8  # failed feeds named in the notification at the end (the feeds view lists all)
NAME_WIDTH = 40  # characters of a feed's name in the bar


class RefreshBar(Horizontal):
    """A docked bar for one refresh of the feeds at a time (hidden when none runs); it also saves links,
    any number at once, saying how each went in a notification."""

    class Progressed(Message):
        """A feed (or link) was read and its articles committed."""

    class Finished(Message):
        """A refresh or a link's saving ended (a notification has said how)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._refreshing = False

    def compose(self) -> ComposeResult:
        """What runs, the bar, and how far it has got."""
        yield Label(Content("Refreshing feeds"), id="refresh-what")
        yield ProgressBar(total=1.0, show_eta=False, id="refresh-progress")
        yield Label(id="refresh-figures")

    @property
    def running(self) -> bool:
        """Whether a refresh is under way (from the moment it is asked for)."""
        return self._refreshing

    # -- refreshing ----------------------------------------------------------------------------

    def refresh_feeds(self, home: Path, quiet: bool = False) -> None:
        """Refresh every feed of the library at home in a subprocess, showing its progress here; `quiet`
        (a refresh the timer started): notify at the end only when something came or changed."""
        self._refreshing = True
        self.display = True
        self.query_one("#refresh-figures", Label).update(Content("starting…"))
        self.query_one(ProgressBar).update(progress=0)
        self.run_refresh(home, quiet)

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def run_refresh(self, home: Path, quiet: bool) -> None:
        """Run `newsreader fetch --json-progress --background` (at a lower priority than the app), follow its
        JSON lines, and say how it ended."""
        try:
            report, problem = await run_newsreader(home, ["fetch", "--json-progress", "--background"],
                                                    self._show_progress)
        finally:
            self.display = False
            self._refreshing = False
        if report is None:
            self.notify(f"Refreshing the feeds failed: {problem}", title="Feeds", severity="error", markup=False,
                        timeout=20)
        elif not quiet or any(result.new or result.updated for result in report.results):
            failed = bool(report.failed)
            self.notify(safe_lines(refresh_digest(report, SHOWN_FAILURES)), title="Feeds refreshed",
                        severity="warning" if failed else "information", markup=False, timeout=20 if failed else 8)
        self.post_message(self.Finished())

    def _show_progress(self, progress: FetchProgress) -> None:
        self.query_one(ProgressBar).update(progress=progress.fraction)
        self.query_one("#refresh-figures", Label).update(Content(progress_line(progress)))
        self.post_message(self.Progressed())

    # -- saving links --------------------------------------------------------------------------

    def add_links(self, urls: Sequence[str], home: Path) -> None:
        """Save web pages as articles in a subprocess; a notification says how each went."""
        shown = urls[0] if len(urls) == 1 else f"{len(urls)} links"
        self.notify(f"Saving {shown}…", title="Add a link", markup=False)
        self.run_add(list(urls), home)

    @work(group="add-link", exit_on_error=False)
    async def run_add(self, urls: list[str], home: Path) -> None:
        """Run `newsreader add URL... --json-progress` and say what became of each link."""
        report, problem = await run_newsreader(home, ["add", *urls, "--json-progress"],
                                               lambda _: self.post_message(self.Progressed()))
        if report is None:
            self.notify(f"Saving {' '.join(urls)} failed: {problem}", title="Add a link", severity="error",
                        markup=False, timeout=20)
        else:
            failed = bool(report.failed)
            self.notify(safe_lines("\n".join(link_line(result) for result in report.results)), title="Add a link",
                        severity="error" if failed else "information", markup=False, timeout=20 if failed else 8)
        self.post_message(self.Finished())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A refresh or a save that could not be run at all: say so (and allow the next refresh)."""
        if event.worker.group == "refresh" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._refreshing = False
            self.display = False
        report_failure(self, event)


def progress_line(progress: FetchProgress) -> str:
    """"12/200 feeds · Name: 3 new": how far a refresh has got and how the last feed went."""
    done = f"{progress.done:,}/{progress.total:,} feeds"
    last = progress.last
    if last is None:
        return done
    name = clean_line(last.name)
    name = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
    return f"{done} · {name}: {_outcome(last)}"


def _outcome(result: FeedResult) -> str:
    """How one feed's refresh went, in a few words."""
    if result.error:
        return "failed"
    if result.not_modified:
        return "not modified"
    counts = [f"{result.new:,} new"] if result.new else []
    counts += [f"{result.updated:,} updated"] if result.updated else []
    return ", ".join(counts) or "nothing new"


def refresh_digest(report: FetchReport, shown: int) -> str:
    """A refresh's summary and its failed feeds with their reasons, at most `shown` of them, one a line."""
    failed = report.failed
    lines = [report.summary()] + [result.line() for result in failed[:shown]]
    if len(failed) > shown:
        lines.append(f"… and {len(failed) - shown:,} more (the feeds view shows each feed's last error)")
    return "\n".join(lines)


def link_line(result: FeedResult) -> str:
    """What became of one link: saved with its title, or why not."""
    if result.error:
        return f"Not saved: {result.url}: {result.error}"
    if result.new:
        return f"Saved: {result.name}"
    if result.updated:
        return f"Updated: {result.name}"
    return f"Already in the library: {result.name}"


def safe_lines(text: str) -> str:
    """Text for a notification, each line cleaned of control characters: feed names and errors come
    from feeds and servers."""
    return "\n".join(clean_line(line) for line in text.split("\n"))


