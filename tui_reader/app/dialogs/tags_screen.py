"""The tags screen: every tag in the library with how many passages carry it; enter filters by one."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_reader.app.tag_colours import TAG_CLASSES, tag_class

NO_TAGS = "No tags yet. Select a passage in an article and press t to tag it."


class TagList(OptionList):
    """Tags with their counts, each name in its colour."""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | set(TAG_CLASSES)

    def show_tags(self, counts: Sequence[tuple[str, int]]) -> None:
        """List the tags (most used first, as given)."""
        if not counts:
            self.set_options([Option(Content(NO_TAGS), disabled=True)])
            return
        width = max(len(tag) for tag, _ in counts) + 2
        self.set_options(
            Option(Content.styled(f" {tag} ", self.get_visual_style(tag_class([tag])))
                   + Content(" " * (width - len(tag)) + f"{count:,} {'passage' if count == 1 else 'passages'}"),
                   id=tag)
            for tag, count in counts
        )
        self.highlighted = 0


class TagsScreen(ModalScreen[str | None]):
    """A modal list of every tag; enter closes it with the tag chosen, escape with none."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="tags_close")]

    def __init__(self, counts: Sequence[tuple[str, int]]) -> None:
        super().__init__()
        self.counts = counts

    def compose(self) -> ComposeResult:
        """A title, the list and the keys."""
        with Vertical(id="tags-dialog"):
            yield Static(Content.styled("Tags", "bold"))
            yield TagList(id="tag-list", markup=False)
            yield Static(Content("enter: list the articles with this tag   escape: close"), classes="dialog-keys")

    def on_mount(self) -> None:
        """Fill the list once its styles (the tag colours) are known."""
        self.query_one(TagList).show_tags(self.counts)

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        """Enter on a tag: close with it."""
        self.dismiss(event.option.id)
