"""Importing without waiting: a progress bar over a `newsreader import` subprocess (child.py runs it; the
path is asked for by dialogs/import_dialog.py)."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, ProgressBar
from textual.worker import Worker

from tui_reader.app.child import run_newsreader
from tui_reader.app.failures import report_failure
from tui_reader.core.progress import ImportProgress, ImportReport

SHOWN_PROBLEMS = 8  # rejections and notices listed in the notification at the end


class ImportBar(Horizontal):
    """A docked progress bar for one import at a time; hidden when no import runs."""

    class Progressed(Message):
        """More articles were read (and some may have been committed)."""

        def __init__(self, articles: int) -> None:
            super().__init__()
            self.articles = articles

    class Finished(Message):
        """The import ended (the bar has said how)."""

    def compose(self) -> ComposeResult:
        """What is imported, the bar, and the count, rate and time left."""
        yield Label(id="import-what")
        yield ProgressBar(total=1.0, show_eta=False, id="import-progress")
        yield Label(id="import-figures")

    @property
    def running(self) -> bool:
        """Whether an import is under way."""
        return any(worker.node is self and worker.group == "import" and worker.is_running for worker in self.workers)

    def start(self, path: str, home: Path) -> None:
        """Import path into the library at home in a subprocess, showing its progress here."""
        self.display = True
        self.query_one("#import-what", Label).update(Content(f"Importing {Path(path).name or path}"))
        self.query_one("#import-figures", Label).update(Content("starting…"))
        self.query_one(ProgressBar).update(progress=0)
        self.run_import(path, home)

    @work(exclusive=True, group="import", exit_on_error=False)
    async def run_import(self, path: str, home: Path) -> None:
        """Run `newsreader import PATH --json-progress`, follow its JSON lines, and say how it ended."""
        try:
            report, problem = await run_newsreader(home, ["import", path, "--json-progress"], self._show_progress)
        finally:
            self.display = False
        if not isinstance(report, ImportReport):
            self.notify(f"Importing {path} failed: {problem or 'no report'}", title="Import", severity="error",
                        markup=False, timeout=20)
        else:
            trouble = report.needs_attention
            self.notify(report.digest(SHOWN_PROBLEMS), title="Import finished",
                        severity="warning" if trouble else "information", markup=False, timeout=20 if trouble else 8)
        self.post_message(self.Finished())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An import that could not be run at all: say so."""
        report_failure(self, event)

    def _show_progress(self, progress: object) -> None:
        if not isinstance(progress, ImportProgress):
            return
        left = progress.seconds_left
        # Under a second left the reading is done and the last commit runs: a countdown at 0:00 would mislead.
        eta = "" if left is None or left < 1 else f" · {int(left // 60)}:{int(left % 60):02d} left"
        self.query_one(ProgressBar).update(progress=progress.fraction)
        self.query_one("#import-figures", Label).update(
            Content(f"{progress.articles:,} articles · {progress.rate:,.0f}/s{eta}")
        )
        self.post_message(self.Progressed(progress.articles))
