"""The citation style picker: a modal list of the styles, starting on the one in use."""

from __future__ import annotations

from collections.abc import Mapping

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class StylePicker(ModalScreen[str | None]):
    """A modal list of citation styles; enter closes it with the style chosen, escape with none."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="style_picker_close")]

    def __init__(self, names: Mapping[str, str], current: str) -> None:
        super().__init__()
        self.names = names
        self.current = current

    def compose(self) -> ComposeResult:
        """A title, the styles and the keys."""
        with Vertical(id="style-dialog"):
            yield Static(Content.styled("Copy the citation in…", "bold"))
            yield OptionList(*(Option(Content(name), id=style) for style, name in self.names.items()),
                             id="style-list", markup=False)
            yield Static(Content("enter: copy, and cite in this style from now on   escape: close"),
                         classes="dialog-keys")

    def on_mount(self) -> None:
        """Start on the style in use."""
        styles = list(self.names)
        self.query_one(OptionList).highlighted = styles.index(self.current) if self.current in styles else 0

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        """Enter on a style: close with it."""
        self.dismiss(event.option.id)
