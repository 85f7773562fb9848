"""The tag dialog: the quote, its tags (completed from the tags already in use) and a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from tui_reader.core.library import normalize_tags


@dataclass(frozen=True)
class TagChoice:
    """What the user chose in the dialog: tag names (as the library keeps them) and a note."""

    tags: list[str]
    note: str


class TagSuggester(Suggester):
    """Completes the last comma-separated name from the tags already in use."""

    def __init__(self, known: Sequence[str]) -> None:
        # case_sensitive=True so that the part already typed keeps its case; the match ignores case.
        super().__init__(case_sensitive=True)
        self.known = list(known)

    async def get_suggestion(self, value: str) -> str | None:
        """The value with its last name completed, or None."""
        typed = value.rpartition(",")[2].lstrip()
        if not typed:
            return None
        folded = typed.casefold()
        for tag in self.known:
            if tag.startswith(folded) and tag != folded:
                return value + tag[len(typed):]
        return None


class TagDialog(ModalScreen[TagChoice | None]):
    """Tags and a note for a passage; enter saves, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tag_dialog_cancel")]
    AUTO_FOCUS = "#tag-names"

    def __init__(self, quote: str, known_tags: Sequence[str], tags: Sequence[str] = (), note: str = "",
                 title: str = "Tag the passage") -> None:
        super().__init__()
        self.quote = quote
        self.known_tags = known_tags
        self.tags = tags
        self.note = note
        self.title_text = title

    def compose(self) -> ComposeResult:
        """Title, the quote (literal text), the tag and note fields, a line for problems, the keys."""
        with Vertical(id="tag-dialog"):
            yield Static(Content.styled(self.title_text, "bold"), id="tag-dialog-title")
            # Not focusable: tab goes from the tags to the note; a long quote still scrolls with the mouse.
            with VerticalScroll(id="tag-quote", can_focus=False):
                yield Static(Content(f"“{self.quote}”"))
            yield Label("Tags, separated by commas (→ completes a tag already in use)")
            yield Input(", ".join(self.tags), placeholder="e.g. evidence, sanctions", id="tag-names",
                        suggester=TagSuggester(self.known_tags))
            yield Label("Note (optional)")
            yield Input(self.note, placeholder="why this passage matters", id="tag-note")
            yield Static(Content(""), id="tag-problem")
            yield Static(Content("enter: save   escape: cancel   tab: next field"), id="tag-keys")

    @on(Input.Submitted)
    def save(self) -> None:
        """Enter in either field: close with the tags and note, unless there is no tag."""
        tags = normalize_tags([self.query_one("#tag-names", Input).value])
        if not tags:
            self.query_one("#tag-problem", Static).update(Content("Give at least one tag name"))
            self.query_one("#tag-names", Input).focus()
            return
        self.dismiss(TagChoice(tags, self.query_one("#tag-note", Input).value.strip()))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
