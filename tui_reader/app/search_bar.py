"""The search bar: a query input with the syntax in its placeholder, and a status line under it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

PLACEHOLDER = 'Search: words  OR  NOT / -word  "a phrase"  prefix*  title: author: source: date:2015  tag: feed:   (? for help)'


class QueryInput(Input):
    """The query field: enter goes to the list, escape clears the text or leaves."""

    BINDINGS = [
        Binding("enter", "submit", "To the list", id="search_submit"),
        Binding("escape", "clear_or_leave", "Clear / leave", id="search_escape"),
    ]

    def action_clear_or_leave(self) -> None:
        """Clear the text when there is some, else tell the bar the user wants out."""
        if self.value:
            self.value = ""
        else:
            self.post_message(SearchBar.Left())


class SearchBar(Vertical):
    """The query field and a status line: the match count and the sort, or what is wrong with the query."""

    class QueryChanged(Message):
        """The query text changed (on every keystroke: the screen debounces)."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Submitted(Message):
        """Enter was pressed in the query field."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Left(Message):
        """Escape on an empty query: the user wants to go back to the list."""

    def compose(self) -> ComposeResult:
        """The field, then the status line."""
        yield QueryInput(placeholder=PLACEHOLDER, id="query")
        yield Static(id="search-status")

    @property
    def input(self) -> QueryInput:
        """The query field."""
        return self.query_one(QueryInput)

    @property
    def query_text(self) -> str:
        """What is typed in the field now."""
        return self.input.value

    def focus_input(self) -> None:
        """Put the keyboard in the query field."""
        self.input.focus()

    def show_status(self, text: str) -> None:
        """Show counts and sort in the status line."""
        status = self.query_one("#search-status", Static)
        status.remove_class("-error")
        status.update(Content(text))

    def show_error(self, message: str) -> None:
        """Show what is wrong with the query, styled as an error."""
        status = self.query_one("#search-status", Static)
        status.add_class("-error")
        status.update(Content("⚠ " + message))

    @on(Input.Changed, "#query")
    def report_change(self, event: Input.Changed) -> None:
        """Tell the screen the query changed."""
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    @on(Input.Submitted, "#query")
    def report_submit(self, event: Input.Submitted) -> None:
        """Tell the screen enter was pressed."""
        event.stop()
        self.post_message(self.Submitted(event.value))
