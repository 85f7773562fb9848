"""The passages panel: the open article's tagged passages with their tags, notes and status."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_reader.app.tag_colours import TAG_CLASSES, tag_class
from tui_reader.core.articles import Passage

QUOTE_LENGTH = 300  # characters of a quote shown in the panel; the reading pane has the rest
ORPHANED = "⚠ orphaned — its words are no longer in the article"
EMPTY = "No tagged passages in this article. Select some text (shift+arrows, v for a paragraph, or drag) and press t."


class PassagesPanel(OptionList):
    """A list of the article's passages: enter jumps to one, e edits it, d deletes it."""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | set(TAG_CLASSES) | {"passages-panel--orphaned"}

    BINDINGS = [
        Binding("enter", "select", "Go to", tooltip="Go to the passage", id="passage_go"),
        Binding("e,t", "edit", "Edit", tooltip="Change the passage's tags or note", id="passage_edit"),
        Binding("d,delete", "delete", "Delete", tooltip="Delete the passage (u undoes)", id="passage_delete"),
    ]

    class Chosen(Message):
        """The user wants to read the passage (enter or a click)."""

        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    class EditWanted(Message):
        """The user wants to change the passage's tags or note."""

        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    class DeleteWanted(Message):
        """The user wants the passage deleted."""

        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._passages: dict[str, Passage] = {}
        self.border_title = "Passages"

    @property
    def current(self) -> Passage | None:
        """The passage under the highlight, if any."""
        option = self.highlighted_option
        return self._passages.get(option.id) if option is not None and option.id else None

    def show_passages(self, passages: Sequence[Passage]) -> None:
        """List these passages, keeping the highlight on the same passage where it is still there."""
        kept = self.highlighted_option.id if self.highlighted_option is not None else None
        self._passages = {str(p.id): p for p in passages}
        if not passages:
            self.set_options([Option(Content(EMPTY), disabled=True)])
            self.border_title = "Passages"
            return
        self.set_options(Option(self._prompt(p), id=str(p.id)) for p in passages)
        ids = list(self._passages)
        self.highlighted = ids.index(kept) if kept in self._passages else 0
        self.border_title = f"Passages ({len(passages):,})"

    def _prompt(self, passage: Passage) -> Content:
        """Tags as coloured chips, the status, the quote and the note: all literal text."""
        chips = Content(" ").join(
            Content.styled(f" {tag} ", self.get_visual_style(tag_class([tag]))) for tag in passage.tags
        )
        lines = [chips]
        exact = passage.anchor.exact
        quote = exact if len(exact) <= QUOTE_LENGTH else exact[: QUOTE_LENGTH - 1] + "…"
        quote = " ".join(quote.split())  # one paragraph in the panel, however many it spans
        if passage.status == "orphaned":
            lines[0] += Content("  ") + Content.styled(ORPHANED, self.get_visual_style("passages-panel--orphaned"))
            lines.append(Content(f"last known words: “{quote}”"))
        else:
            lines.append(Content(f"“{quote}”"))
        if passage.note:
            lines.append(Content.styled("Note: " + passage.note, "italic"))
        return Content("\n").join(lines)

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a passage: ask for it to be shown."""
        event.stop()
        passage = self._passages.get(event.option.id or "")
        if passage is not None:
            self.post_message(self.Chosen(passage))

    def action_edit(self) -> None:
        """Ask for the highlighted passage to be retagged."""
        if self.current is not None:
            self.post_message(self.EditWanted(self.current))

    def action_delete(self) -> None:
        """Ask for the highlighted passage to be deleted."""
        if self.current is not None:
            self.post_message(self.DeleteWanted(self.current))
