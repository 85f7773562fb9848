"""The feeds view: every feed the library follows with its articles, unread articles, last fetch and last
error; enter (or a click) lists a feed's articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_reader.core.articles import Feed
from tui_reader.core.sanitize import clean_line

NO_FEEDS = ("No feeds yet. Follow one on the command line: newsreader feeds add URL "
            "(or newsreader feeds import FILE for an OPML list)")
COLUMNS = ("Feed", "Articles", "Unread", "Last fetched", "Last error")
JUSTIFY = ("left", "right", "right", "left", "left")
NAME_WIDTH = 28  # cells of a feed's name in the table at most (the details below show the address)
FIXED_WIDTH = 8 + 6 + 16  # the counts' and the date's columns
CHROME = 2 * 5 + 2 + 4 + 2 + 2  # cell padding, the dialog's border and padding, the scrollbar, a margin
MIN_NAME_WIDTH = 12
AROUND_TABLE = 17  # lines the dialog needs besides its table (borders, title, details, keys, margins)
MIN_TABLE_HEIGHT = 4
MIN_ERROR_WIDTH = 10


class FeedTable(DataTable):
    """The feeds, a row each; a click on a row chooses it at once, as enter does (a list of names to
    pick from, not a sheet of cells to edit)."""

    def on_click(self, event: events.Click) -> None:
        """A click on a row: choose it (DataTable's own first click only moves the cursor)."""
        row = event.style.meta.get("row")
        if isinstance(row, int) and row >= 0 and "column" in event.style.meta:
            event.prevent_default()
            self.move_cursor(row=row, animate=False)
            self.action_select_cursor()


class FeedsScreen(ModalScreen[str | None]):
    """A modal table of the feeds; enter closes it with the chosen feed's name, escape with none."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="feeds_close")]
    AUTO_FOCUS = "#feed-table"

    def __init__(self, feeds: Sequence[Feed]) -> None:
        super().__init__()
        self.feeds = list(feeds)

    def compose(self) -> ComposeResult:
        """A title with the totals, the table (or a word on following feeds), the highlighted feed's
        details, the keys."""
        unread = sum(feed.unread for feed in self.feeds)
        failing = sum(1 for feed in self.feeds if feed.last_error)
        totals = f"{len(self.feeds):,} {'feed' if len(self.feeds) == 1 else 'feeds'} · {unread:,} unread"
        totals += f" · {failing:,} failing" if failing else ""
        with Vertical(id="feeds-dialog"):
            yield Static(Content.styled("Feeds", "bold") + Content(f"   {totals}"), id="feeds-title")
            if self.feeds:
                yield FeedTable(id="feed-table", cursor_type="row", zebra_stripes=True)
                yield Static(Content(""), id="feed-details")
                yield Static(Content("enter or click: list the feed's articles   escape: close"),
                             classes="dialog-keys")
            else:
                yield Static(Content(NO_FEEDS), id="feeds-empty")
                yield Static(Content("escape: close"), classes="dialog-keys")

    def on_mount(self) -> None:
        """Fill the table, the last error's column as wide as the screen leaves it."""
        if not self.feeds:
            return
        table = self.query_one(FeedTable)
        # Room for the title, the details and the keys below however many feeds there are (CSS has no calc).
        table.styles.max_height = max(MIN_TABLE_HEIGHT, self.app.size.height - AROUND_TABLE)
        name_width, error_width = column_widths(min(self.app.size.width * 95 // 100, 150))  # as #feeds-dialog is styled
        for label, column_width, justify in zip(COLUMNS, (name_width, 8, 6, 16, error_width), JUSTIFY):
            table.add_column(Text(label, justify=justify), width=column_width)
        for feed in self.feeds:
            table.add_row(*feed_cells(feed, name_width, error_width), key=str(feed.id))
        self.show_details(0)

    @on(DataTable.RowHighlighted)
    def follow_cursor(self, event: DataTable.RowHighlighted) -> None:
        """Show the highlighted feed's name, title, address and whole last error below the table."""
        self.show_details(event.cursor_row)

    def show_details(self, index: int) -> None:
        """The name and the feed's own title, the address and the last error (whole, wrapped) of the feed
        at index."""
        if not 0 <= index < len(self.feeds):
            return
        feed = self.feeds[index]
        name, title = clean_line(feed.name), clean_line(feed.title)
        details = Content.styled(name, "bold")
        if title and title != name:
            details += Content(f" ({title})")
        details += Content("\n" + clean_line(feed.url))
        if feed.last_error:
            details += Content("\n") + Content.styled("Last error: ", "bold") + Content(clean_line(feed.last_error))
        self.query_one("#feed-details", Static).update(details)

    @on(DataTable.RowSelected)
    def choose(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a feed: close with its name."""
        self.dismiss(self.feeds[event.cursor_row].name)


def column_widths(dialog_width: int) -> tuple[int, int]:
    """The widths of the name's and the last error's columns in a dialog so wide: what the counts and the
    date leave, shared out (the name up to NAME_WIDTH, the error the rest), never below a few cells."""
    room = dialog_width - CHROME - FIXED_WIDTH
    name_width = min(NAME_WIDTH, max(MIN_NAME_WIDTH, room // 2))
    return name_width, max(MIN_ERROR_WIDTH, room - name_width)


def feed_cells(feed: Feed, name_width: int, error_width: int) -> list[Text]:
    """One feed's row: literal text (names and errors come from feeds and servers), cut to the columns."""
    return [
        _cut(clean_line(feed.name), name_width),
        Text(f"{feed.articles:,}", justify="right"),
        Text(f"{feed.unread:,}", justify="right", style="bold" if feed.unread else ""),
        Text(fetched_at(feed.last_fetched)),
        _cut(clean_line(feed.last_error), error_width, style="red" if feed.last_error else ""),
    ]


def fetched_at(timestamp: str | None) -> str:
    """A fetch's time (an ISO UTC timestamp) in local time to the minute; "never" when there was none."""
    if not timestamp:
        return "never"
    try:
        return datetime.fromisoformat(timestamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return clean_line(timestamp)[:16]


def _cut(text: str, width: int, style: str = "") -> Text:
    """Literal text cut to width cells with an ellipsis."""
    cell = Text(text, style=style, no_wrap=True)
    cell.truncate(width, overflow="ellipsis")
    return cell
