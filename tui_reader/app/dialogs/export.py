"""The export dialog: where to write the tagged passages, and in which format."""

from __future__ import annotations

import os

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui_reader.app.dialogs.import_dialog import PathSuggester
from tui_reader.core import citations, export

FORMAT_NAMES = {
    "markdown": "Markdown: the passages with their citations",
    "json": "JSON: W3C Web Annotations",
    **{fmt: f"{citations.STYLE_NAMES[fmt]}: one entry per article" for fmt in citations.DATA_STYLES},
}
EXTENSIONS = {"markdown": ".md", "json": ".json", "biblatex": ".bib", "bibtex": ".bib", "csl-json": ".json",
              "ris": ".ris"}
DEFAULT_FORMAT = "biblatex"


class ExportDialog(ModalScreen[tuple[str, str] | None]):
    """Asks for a file and a format; enter in the path writes (returns the path and the format),
    escape cancels."""

    # Its own rules, not newsreader.tcss: the dialog is whole in this file.
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    #export-dialog {
        width: 90; max-width: 95%; height: auto; max-height: 90%;
        padding: 1 2; border: thick $primary; background: $surface;
    }
    #export-dialog Label { margin: 1 0 0 0; }
    #export-problem { height: auto; color: $text-error; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export_dialog_cancel")]
    AUTO_FOCUS = "#export-path"

    def compose(self) -> ComposeResult:
        """Title, the format, the path field (completing names), the keys."""
        with Vertical(id="export-dialog"):
            yield Static(Content.styled("Export the tagged passages", "bold"))
            yield Label("Format")
            yield Select([(Content(name), fmt) for fmt, name in FORMAT_NAMES.items() if fmt in export.FORMATS],
                         value=DEFAULT_FORMAT, allow_blank=False, id="export-format")
            yield Label("File to write (replaced whole if it exists)")
            yield Input(placeholder=_placeholder(DEFAULT_FORMAT), id="export-path", suggester=PathSuggester())
            yield Static(Content(""), id="export-problem")
            yield Static(Content("enter: write   tab: format   →: complete the name   escape: cancel"),
                         classes="dialog-keys")

    @on(Select.Changed, "#export-format")
    def suggest_extension(self, event: Select.Changed) -> None:
        """Show a file name that fits the chosen format."""
        if isinstance(event.value, str):
            self.query_one("#export-path", Input).placeholder = _placeholder(event.value)

    @on(Input.Submitted, "#export-path")
    def write(self, event: Input.Submitted) -> None:
        """Close with the path (~ expanded) and the format, unless the path is empty (a folder or a
        missing one is refused by the writing, off the UI thread: a slow disk must not stall the app)."""
        path = os.path.expanduser(event.value.strip())
        if not path:
            self.query_one("#export-problem", Static).update(Content("Type the path of the file to write"))
            return
        fmt = self.query_one("#export-format", Select).value
        self.dismiss((path, fmt if isinstance(fmt, str) else DEFAULT_FORMAT))


def _placeholder(fmt: str) -> str:
    """A file name for the format, as an example."""
    return f"~/passages{EXTENSIONS.get(fmt, '')}"
