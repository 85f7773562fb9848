"""The edit dialog: correct an article's title, author, source or date where its import got them wrong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui_reader.core.articles import CORRECTABLE, Article, Correction
from tui_reader.core.library import Library
from tui_reader.core.sanitize import clean_line

LABELS = {
    "title": "Title",
    "author": "Author (names separated by commas)",
    "source": "Source (the publication)",
    "date": "Date (2019-02-28, 2019-02, February 28, 2019 …)",
}


@dataclass(frozen=True)
class EditChoice:
    """What the user chose: new values by field (checked and cleaned) and the fields to give back their
    imported values."""

    values: dict[str, str | None] = field(default_factory=dict)
    undo: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        """True when there is something to save."""
        return bool(self.values or self.undo)


class EditDialog(ModalScreen[EditChoice | None]):
    """The article's title, author, source and date, each in a field filled in with what it shows now;
    enter saves, escape cancels, and a field left empty goes back to the imported value."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit_dialog_cancel")]
    AUTO_FOCUS = "#edit-author"  # the byline is what most often needs a fix

    def __init__(self, article: Article, corrections: Mapping[str, Correction]) -> None:
        super().__init__()
        self.article = article
        self.corrections = dict(corrections)

    def compose(self) -> ComposeResult:
        """Title, a field per correctable value (with the imported value under a corrected one), a line
        for problems, the keys."""
        # Scrolls on a short terminal (at 80x24 the four fields do not fit): focus brings a field into view.
        with VerticalScroll(id="edit-dialog"):
            yield Static(Content.styled("Correct the article's details", "bold"))
            for name in CORRECTABLE:
                yield Label(LABELS[name])
                yield Input(getattr(self.article, name) or "", id=f"edit-{name}")
                correction = self.corrections.get(name)
                if correction is not None:
                    imported = correction.imported or "none"
                    # Content: the imported value is an article's text, never markup.
                    yield Static(Content(f"corrected; imported: {imported}"), classes="edit-imported")
            yield Static(Content(""), id="edit-problem")
            yield Static(Content("enter: save   escape: cancel   tab: next field   "
                                 "an emptied field goes back to the imported value"), classes="dialog-keys")

    def choice(self) -> EditChoice:
        """The changes the fields hold: ValueError (naming the field) for a value the library refuses."""
        values: dict[str, str] = {}
        undo: list[str] = []
        for name in CORRECTABLE:
            typed = clean_line(self.query_one(f"#edit-{name}", Input).value)
            if not typed:
                if name in self.corrections:
                    undo.append(name)
            elif typed != (getattr(self.article, name) or ""):
                values[name] = typed
        return EditChoice(Library.clean_corrections(**values), undo)

    @on(Input.Submitted)
    def save(self) -> None:
        """Enter in any field: close with the changes, unless one is refused (then say why, stay open)."""
        try:
            choice = self.choice()
        except ValueError as error:  # a date it cannot read: the only value the dialog can get wrong
            self.query_one("#edit-problem", Static).update(Content(str(error)))
            self.query_one("#edit-date", Input).focus()
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
