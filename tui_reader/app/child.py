"""Running a `newsreader` command in a child process and following its JSON-line events: how the app
imports, refreshes feeds and saves links without waiting.

The work runs as a separate process (the same command a user types): its parsing and indexing then
never compete with the interface for the GIL, and the app reads the library the way a second copy of
newsreader would, seeing each batch as it is committed.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from tui_reader.core.progress import FetchReport, ImportReport, read_event

LINE_LIMIT = 64 * 1024 * 1024  # bytes in one JSON line: a final report lists every rejection or feed


async def run_newsreader(home: Path, arguments: list[str], progressed: Callable[[object], None],
                         ) -> tuple[ImportReport | FetchReport | None, str]:
    """Run `newsreader --home HOME ARGUMENTS` (a command with --json-progress), handing each progress event
    to `progressed`; its final report, or None and why there was none (its error output's last line)."""
    command = [sys.executable, "-m", "tui_reader", "--home", str(home), *arguments]
    process = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, limit=LINE_LIMIT,
    )
    assert process.stdout is not None and process.stderr is not None
    # Read the error output alongside: a child that filled that pipe unread would wait forever.
    errors = asyncio.create_task(process.stderr.read())
    report = None
    try:
        async for raw in process.stdout:
            event = read_event(raw)
            if isinstance(event, (ImportReport, FetchReport)):
                report = event
            elif event is not None:
                progressed(event)
        await process.wait()
    except asyncio.CancelledError:
        errors.cancel()
        # The app is closing: interrupt the child the way ctrl+c would, so that it commits what it has
        # read to the index before it stops, rather than leaving that for a repair.
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        raise
    error_output = await errors
    if report is None:
        return None, _last_line(error_output) or f"newsreader exited with status {process.returncode}"
    return report, ""


def _last_line(data: bytes) -> str:
    """The last non-empty line of a process's error output (a traceback's last line says what failed)."""
    lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""
