"""The import dialog: a file or folder to import, its name completed from the disk."""

from __future__ import annotations

import asyncio
import os

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from tui_reader.core.importers import FORMATS_HINT

PATH_HINT = f"{FORMATS_HINT}, or a folder of them"


class PathSuggester(Suggester):
    """Completes the last part of a path from the names in its folder."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # folders change while the dialog is open

    async def get_suggestion(self, value: str) -> str | None:
        """The path with its last part completed, or None."""
        return await asyncio.to_thread(complete_path, value)  # a folder on a slow disk must not stall the app


def complete_path(value: str) -> str | None:
    """The first name in the typed path's folder that extends its last part (folders end in /)."""
    folder, separator, start = value.rpartition(os.sep)
    where = os.path.expanduser(folder or os.sep) if separator else "."
    try:
        names = sorted(entry.name + (os.sep if entry.is_dir() else "") for entry in os.scandir(where))
    except OSError:
        return None
    for name in names:
        # Hidden names only when a dot has been typed, as shells complete them.
        if name.startswith(start) and name != start and (start or not name.startswith(".")):
            return value + name[len(start):]
    return None


class ImportDialog(ModalScreen[str | None]):
    """Asks for a file or folder to import; enter starts the import, escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="import_dialog_cancel")]
    AUTO_FOCUS = "#import-path"

    def compose(self) -> ComposeResult:
        """Title, the path field (completing names), the keys."""
        with Vertical(id="import-dialog"):
            yield Static(Content.styled("Import articles", "bold"))
            yield Label(f"A file or a folder: {PATH_HINT}")
            yield Input(placeholder="~/archives/2015", id="import-path", suggester=PathSuggester())
            yield Static(Content(""), id="import-problem")
            yield Static(Content("enter: import in the background   →: complete the name   escape: cancel"),
                         classes="dialog-keys")

    @on(Input.Submitted)
    def start(self, event: Input.Submitted) -> None:
        """Close with the path (~ expanded), unless it is empty."""
        path = event.value.strip()
        if not path:
            self.query_one("#import-problem", Static).update(Content("Type the path of a file or a folder"))
            return
        self.dismiss(os.path.expanduser(path))
