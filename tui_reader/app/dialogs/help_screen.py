"""The help screen: every key, read from the bindings themselves, and the query syntax."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

QUERY_SYNTAX = [
    ("rates inflation", "both words, in any form"),
    ("rates OR inflation", "either word"),
    ("rates NOT bank", "leave out articles with a word"),
    ("rates -bank", "the same"),
    ('"interest rates"', "the words side by side"),
    ("infla*", "words that start so"),
    ("title:assad", "a word in the headline"),
    ("author:landler", "a word in the byline"),
    ("source:cnn", "a word in the publication's name"),
    ("date:2015", "a year (date:2015-03: a month)"),
    ("date:[2013-01 to 2014-06]", "a range of dates, ends included"),
    ("tag:sanctions", "a passage you tagged so"),
    ('feed:"Harbour News"', "the articles of a feed (the feeds view lists them)"),
    ("(syria OR iraq) assad", "parentheses group"),
]
SYNTAX_NOTE = "Accents and case do not matter: clarin finds Clarín."
SELECTING_NOTE = ("To select a passage in the text: arrows move the cursor, shift+arrows extend the selection, "
                  "v selects the paragraph, or drag with the mouse.")

Section = tuple[str, Sequence[BindingType]]


class HelpScreen(ModalScreen[None]):
    """A modal list of the keys and the query syntax; escape, q or ? closes it. Two columns on a wide
    terminal, one (scrolling) on a narrow one."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help_close")]
    # Below 120 columns, side by side columns leave the descriptions too little room: "-narrow" stacks them.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    def __init__(self, sections: Sequence[Section], keymap: Mapping[str, str], side_sections: Sequence[Section] = ()) -> None:
        super().__init__()
        self.sections = sections
        self.side_sections = side_sections  # shown above the query syntax, so that all fits one screen
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        """The keys, section by section, beside the query syntax."""
        with VerticalScroll(id="help"), Horizontal(id="help-columns"):
            with Vertical(classes="help-column", id="help-keys"):
                yield Static(Content.styled("Keys", "bold underline"), classes="help-title")
                yield from self._key_sections(self.sections)
                yield Static(Content(SELECTING_NOTE), classes="help-section")
            with Vertical(classes="help-column", id="help-more"):
                yield from self._key_sections(self.side_sections)
                yield Static(Content.styled("Searching", "bold underline"), classes="help-title")
                yield Static(_table(QUERY_SYNTAX), classes="help-section help-table")
                yield Static(Content(SYNTAX_NOTE), classes="help-section")
                close_keys = [key for binding in Binding.make_bindings(self.BINDINGS)
                              for key in shown_keys(self.app, binding, self.keymap)]
                yield Static(Content(f"{', '.join(dict.fromkeys(close_keys))}: close this"), classes="help-hint")

    def _key_sections(self, sections: Sequence[Section]) -> ComposeResult:
        """A title and a table of keys for each section, the descriptions of a column in line."""
        tables = [(title, self._key_rows(bindings)) for title, bindings in sections]
        width = max((cell_len(keys) for _, rows in tables for keys, _ in rows), default=0)
        for title, rows in tables:
            yield Static(Content.styled(title, "bold"), classes="help-section")
            yield Static(_table(rows, width), classes="help-table")

    def _key_rows(self, bindings: Sequence[BindingType]) -> list[tuple[str, str]]:
        """One row per action, its keys as the user's keymap sets them."""
        rows: dict[str, list[str]] = {}
        for binding in Binding.make_bindings(bindings):
            if not binding.description:
                continue  # Textual's own system keys, such as ctrl+c
            row = rows.setdefault(binding.tooltip or binding.description, [])
            row.extend(key for key in shown_keys(self.app, binding, self.keymap) if key not in row)
        return [(", ".join(keys), description) for description, keys in rows.items()]


def shown_keys(app: App, binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """How a binding's keys look to the user, after the user's keymap (binding id -> keys)."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [app.get_key_display(binding.with_key(key.strip())) for key in keys.split(",")]


def _table(rows: Iterable[tuple[str, str]], left_width: int = 0) -> Table:
    """Two columns of literal text, the left one bold (at least left_width wide); a long right cell wraps
    within its own column."""
    table = Table.grid(padding=(0, 3))
    table.add_column(no_wrap=True, min_width=left_width)
    table.add_column(ratio=1)
    for left, right in rows:
        table.add_row(Text(left, style="bold"), Text(right))
    return table
