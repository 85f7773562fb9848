"""Importing without waiting: a progress bar over a `newsreader import` subprocess (the path is asked
for by dialogs/import_dialog.py).

The import runs as a separate process (the same command a user types): its parsing and indexing then
never compete with the interface for the GIL, and the app reads the library the way a second copy of
newsreader would, seeing each batch as it is committed.
"""

from __future__ import annotations

import asyncio
import json
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
            text, trouble = import_summary(report)
            self.notify(text, title="Import finished", severity="warning" if trouble else "information",
                        markup=False, timeout=20 if trouble else 8)
        self.post_message(self.Finished())

    async def _follow(self, process: asyncio.subprocess.Process) -> tuple[dict | None, bytes]:
        """Show each progress event; returns the final report (None if none came) and the error output."""
        assert process.stdout is not None and process.stderr is not None
        # Read the error output alongside: a child that filled that pipe unread would wait forever.
        errors = asyncio.create_task(process.stderr.read())
        report = None
        try:
            async for raw in process.stdout:
                try:
                    event = json.loads(raw)
                except ValueError:
                    event = None
                if not isinstance(event, dict):
                    continue  # not one of ours (a library printing to stdout): nothing to show
                if event.get("event") == "progress":
                    self._show_progress(event)
                elif event.get("event") == "done":
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

    def _show_progress(self, event: dict) -> None:
        articles = int(event.get("articles") or 0)
        left = event.get("seconds_left")
        # Under a second left the reading is done and the last commit runs: a countdown at 0:00 would mislead.
        eta = "" if left is None or left < 1 else f" · {int(left // 60)}:{int(left % 60):02d} left"
        self.query_one(ProgressBar).update(progress=float(event.get("fraction") or 0))
        self.query_one("#import-figures", Label).update(
            Content(f"{articles:,} articles · {float(event.get('rate') or 0):,.0f}/s{eta}")
        )
        self.post_message(self.Progressed(articles))


def import_summary(report: dict) -> tuple[str, bool]:
    """The notification for a finished import, and whether anything in it needs the user's attention."""
    counts = (f"{report.get('imported', 0):,} imported, {report.get('updated', 0):,} updated, "
              f"{report.get('unchanged', 0):,} unchanged")
    rejected, notices = report.get("rejected") or [], report.get("notices") or []
    lines = [counts + (f", {len(rejected):,} rejected" if rejected else "")]
    lines += [f"rejected: {item}" for item in rejected[:SHOWN_PROBLEMS]]
    lines += [f"note: {item}" for item in notices[: max(0, SHOWN_PROBLEMS - len(rejected))]]
    hidden = len(rejected) + len(notices) - (len(lines) - 1)
    if hidden > 0:
        lines.append(f"… and {hidden:,} more (newsreader import on the command line lists them all)")
    return "\n".join(lines), bool(rejected or notices)


def _last_line(data: bytes) -> str:
    """The last non-empty line of a process's error output (a traceback's last line says what failed)."""
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""
