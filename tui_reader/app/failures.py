"""One wording for every background task that failed, whichever widget ran it."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

TASKS = {  # worker group -> what the user was waiting for
    "startup": "Opening the library",
    "search": "The search",
    "excerpts": "Reading the excerpts",
    "article": "Opening the article",
    "browser": "Starting the browser",
    "passages": "Saving the passage",
    "passages-reload": "Reading the passages",
    "clipboard": "Copying",
    "settings": "Saving the settings",
    "import": "The import",
    "watch": "Looking for new articles",
    "sync": "Indexing",
    "feeds": "Reading the feeds",
    "refresh-start": "Starting the refresh",
    "refresh": "Refreshing the feeds",
    "add-link": "Saving the link",
    "mark-read": "Marking the article read",
}


def report_failure(node: DOMNode, event: Worker.StateChanged) -> bool:
    """Say that a worker failed (its error may quote a file or a query, so no markup); True if it had.

    Worker state messages do not bubble, so each widget that runs workers passes them here."""
    if event.state != WorkerState.ERROR:
        return False
    task = TASKS.get(event.worker.group, "A background task")
    node.notify(f"{task} failed: {event.worker.error}", severity="error", markup=False)
    return True
