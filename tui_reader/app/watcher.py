"""Keeping the app's view of the library current: what another process committed (an import, another copy
of newsreader), and what the search index is missing."""

from __future__ import annotations

import os

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tui_reader import locations
from tui_reader.app.failures import report_failure
from tui_reader.core.library import IndexBusy, Library

WATCH_EVERY = 3.0  # seconds between looks
SOON = 1.0  # seconds to the next look when asked for one sooner (an import is committing)


class LibraryWatcher(Widget):
    """An invisible widget that looks at the library every few seconds and says when it has changed; at
    the start it also indexes what the index is missing."""

    DEFAULT_CSS = "LibraryWatcher { display: none; }"

    class Changed(Message):
        """Articles or passages were committed since the last look."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self._signature: tuple[int, int] | None = None
        self._soon = False
        self._failing = False  # a look that keeps failing is reported once, not every few seconds
        self._syncing = False

    def on_mount(self) -> None:
        """Look now (to know the starting point), then every few seconds; catch the index up."""
        self.look()
        self.set_interval(WATCH_EVERY, self.look)
        self.index_what_is_missing()

    @work(thread=True, group="sync", exit_on_error=False)
    def index_what_is_missing(self) -> None:
        """Index the articles an interrupted import left out, or all of them when the index had to be made
        anew: they are listed but no search finds them until then. The looks list them as they are committed."""
        if self._syncing or not self.library.needs_sync():
            return
        self._syncing = True
        try:
            self._index_what_is_missing()
        finally:
            self._syncing = False

    def _index_what_is_missing(self) -> None:
        pending = self.library.unindexed_count()
        reason = f" ({self.library.index_problem})" if self.library.index_problem else ""
        self.app.call_from_thread(self.notify, f"Indexing {pending:,} articles that are not in the search index "
                                  f"yet{reason}; searches find them as they are indexed", title="Search index",
                                  markup=False)
        try:
            done = self.library.sync_index()
        except IndexBusy:
            return  # another copy of newsreader, or an import, is writing the index: it indexes them
        self.app.call_from_thread(self.notify, f"Indexed {done:,} articles", title="Search index")

    def look_soon(self) -> None:
        """Look within a second (called often while an import runs; one look per second is enough)."""
        if not self._soon:
            self._soon = True
            self.set_timer(SOON, self._look_now)

    def _look_now(self) -> None:
        self._soon = False
        self.look()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def look(self) -> None:
        """Read cheap figures that change when the library does (off the UI thread: SQLite and the disk)."""
        signature = (self.library.count(), _modified(locations.index_folder(self.library.home)))
        if self.library.index_problem and not self._syncing and self.library.needs_sync():
            # A search found the index damaged and emptied it: build it again while reading goes on.
            self.app.call_from_thread(self.index_what_is_missing)
        self.app.call_from_thread(self._compare, signature)

    def _compare(self, signature: tuple[int, int]) -> None:
        changed = self._signature is not None and signature != self._signature
        self._signature = signature
        if changed:
            self.post_message(self.Changed())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure: say so; a look that keeps failing, once until one succeeds again."""
        if event.worker.group != "watch":
            report_failure(self, event)
        elif event.state == WorkerState.SUCCESS:
            self._failing = False
        elif event.state == WorkerState.ERROR and not self._failing:
            self._failing = report_failure(self, event)


def _modified(folder: os.PathLike[str]) -> int:
    """A folder's modification time in ns (each commit of the index adds files to it); 0 if unreadable."""
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return 0
