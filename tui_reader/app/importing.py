"""Importing without waiting: a progress bar over a `newsreader import` subprocess (the path is asked
for by dialogs/import_dialog.py).

The import runs as a separate process (the same command a user types): its parsing and indexing then
never compete with the interface for the GIL, and the app reads the library the way a second copy of
newsreader would, seeing each batch as it is committed.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, ProgressBar
from textual.worker import Worker

from tui_reader.app.failures import report_failure
from tui_reader.core.progress import ImportProgress, ImportReport, read_event

LINE_LIMIT = 64 * 1024 * 1024  # bytes in one JSON line: the final report lists every rejection
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
        command = [sys.executable, "-m", "tui_reader", "--home", str(home), "import", path, "--json-progress"]
        try:
            process = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, limit=LINE_LIMIT,
            )
            report, errors = await self._follow(process)
        finally:
            self.display = False
        if report is None:
            problem = _last_line(errors) or f"the import exited with status {process.returncode}"
            self.notify(f"Importing {path} failed: {problem}", title="Import", severity="error", markup=False,
                        timeout=20)
        else:
            trouble = report.needs_attention
            self.notify(report.digest(SHOWN_PROBLEMS), title="Import finished",
                        severity="warning" if trouble else "information", markup=False, timeout=20 if trouble else 8)
        self.post_message(self.Finished())

    async def _follow(self, process: asyncio.subprocess.Process) -> tuple[ImportReport | None, bytes]:
        """Show each progress event; returns the final report (None if none came) and the error output."""
        assert process.stdout is not None and process.stderr is not None
        # Read the error output alongside: a child that filled that pipe unread would wait forever.
        errors = asyncio.create_task(process.stderr.read())
        report = None
        try:
            async for raw in process.stdout:
                event = read_event(raw)
                if isinstance(event, ImportProgress):
                    self._show_progress(event)
                elif isinstance(event, ImportReport):
                    report = event
            await process.wait()
        except asyncio.CancelledError:
            errors.cancel()
            # The app is closing: interrupt the import the way ctrl+c would, so that it commits what
            # it has read to the index before it stops, rather than leaving that for a repair.
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            raise
        return report, await errors

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An import that could not be run at all: say so."""
        report_failure(self, event)

    def _show_progress(self, progress: ImportProgress) -> None:
        left = progress.seconds_left
        # Under a second left the reading is done and the last commit runs: a countdown at 0:00 would mislead.
        eta = "" if left is None or left < 1 else f" · {int(left // 60)}:{int(left % 60):02d} left"
        self.query_one(ProgressBar).update(progress=progress.fraction)
        self.query_one("#import-figures", Label).update(
            Content(f"{progress.articles:,} articles · {progress.rate:,.0f}/s{eta}")
        )
        self.post_message(self.Progressed(progress.articles))


def _last_line(data: bytes) -> str:
    """The last non-empty line of a process's error output (a traceback's last line says what failed)."""
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""
