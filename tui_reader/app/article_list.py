"""The list of articles: a Line API widget that paints only the rows on screen, so 40,000 rows stay instant."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_reader.core.articles import ArticleRow, Excerpt

MARGIN = 1  # cells left empty at the right of each line, as the indent leaves one at the left
MIN_NAME = 4  # cells a cut name needs to be worth showing (three letters and "…")


class ArticleList(ScrollView, can_focus=True):
    """Articles as rows of a title, a "source · date" line and, for a search, an excerpt with the matches marked."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list_up"),
        Binding("g,home", "cursor_first", "First", show=False, id="list_first"),
        Binding("G,end", "cursor_last", "Last", show=False, id="list_last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list_page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list_page_up"),
        Binding("enter", "select", "Read", id="list_select"),
    ]

    COMPONENT_CLASSES = {
        "article-list--title",
        "article-list--meta",
        "article-list--excerpt",
        "article-list--match",
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--empty",
    }

    class Highlighted(Message):
        """The cursor moved onto a row: moved by the user (a key, a click), or put on the first row of a
        new list (`moved` False)."""

        def __init__(self, row: ArticleRow, moved: bool = True) -> None:
            super().__init__()
            self.row = row
            self.moved = moved

    class Selected(Message):
        """The user chose a row to read (enter or a click)."""

        def __init__(self, row: ArticleRow) -> None:
            super().__init__()
            self.row = row

    class ExcerptsWanted(Message):
        """Rows on screen need excerpts (each asked for once per list); answer with `add_excerpts`."""

        def __init__(self, ids: list[str], width: int) -> None:
            super().__init__()
            self.ids = ids
            self.width = width

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[ArticleRow] = []
        self._searching = False
        self._cursor = 0
        self._excerpts: dict[str, Excerpt] = {}
        self._requested: set[str] = set()
        self._wanted: list[str] = []
        self.empty_text = "No articles"
        self._styles: dict[str, object] | None = None  # styles looked up during one paint (see render_lines)

    # -- state the screen reads and sets --------------------------------------------------------

    @property
    def rows(self) -> Sequence[ArticleRow]:
        """The rows shown, in order."""
        return self._rows

    @property
    def cursor(self) -> int:
        """Index of the row under the cursor (0 when the list is empty)."""
        return self._cursor

    @property
    def current_row(self) -> ArticleRow | None:
        """The row under the cursor, if any."""
        return self._rows[self._cursor] if self._rows else None

    @property
    def row_height(self) -> int:
        """Lines per row: title and meta, plus the excerpt line for a search."""
        return 3 if self._searching else 2

    def show_rows(
        self, rows: Sequence[ArticleRow], searching: bool, empty_text: str = "No articles", keep: str | None = None
    ) -> None:
        """Replace the rows; `searching` adds excerpt lines. The cursor goes back to the top, or, when
        the row with id `keep` is still there, stays on it at the same place on screen."""
        old_cursor, old_scroll = self._cursor, self.scroll_offset.y
        self._rows = list(rows)
        self._searching = searching
        self.empty_text = empty_text
        if keep is None:
            self._excerpts.clear()
        else:  # the same search again: the excerpts already shown stay, rather than blink out and back
            ids = {row.id for row in self._rows}
            self._excerpts = {i: excerpt for i, excerpt in self._excerpts.items() if i in ids}
        self._requested = set(self._excerpts)
        self._wanted.clear()
        kept = next((index for index, row in enumerate(self._rows) if row.id == keep), None) if keep else None
        self._cursor = kept or 0
        self.virtual_size = Size(0, len(self._rows) * self.row_height)
        if kept is None:
            self.scroll_to(0, 0, animate=False, immediate=True)
        else:
            # Rows added above the cursor push it down: scroll as far, so that the list seems to stand still.
            y = max(0, old_scroll + (kept - old_cursor) * self.row_height)
            self.scroll_to(0, y, animate=False, immediate=True, force=True)
            self.move_cursor(kept)
        self.refresh()
        if self._rows and kept is None:
            self.post_message(self.Highlighted(self._rows[0], moved=False))

    def add_excerpts(self, excerpts: dict[str, Excerpt]) -> None:
        """Excerpts fetched for `ExcerptsWanted`, cut for the rows shown (the screen drops late ones)."""
        self._excerpts.update(excerpts)
        self.refresh()

    def move_cursor(self, index: int) -> None:
        """Put the cursor on a row (clamped), keep it on screen, and say so."""
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        changed = index != self._cursor
        self._cursor = index
        height = self.row_height
        # force: the scrollbars (which otherwise gate scrolling) are only updated at the next layout,
        # and a key may arrive between new rows and that layout.
        self.scroll_to_region(Region(0, index * height, 1, height), animate=False, immediate=True, force=True)
        self.refresh()
        if changed:
            self.post_message(self.Highlighted(self._rows[index]))

    # -- keys and mouse ---------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Next row."""
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Previous row."""
        self.move_cursor(self._cursor - 1)

    def action_cursor_first(self) -> None:
        """First row."""
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        """Last row."""
        self.move_cursor(len(self._rows) - 1)

    def action_page_down(self) -> None:
        """A screenful down."""
        self.move_cursor(self._cursor + self._rows_per_page())

    def action_page_up(self) -> None:
        """A screenful up."""
        self.move_cursor(self._cursor - self._rows_per_page())

    def action_select(self) -> None:
        """Read the row under the cursor."""
        if self._rows:
            self.post_message(self.Selected(self._rows[self._cursor]))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the row and reads it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + self.scroll_offset.y) // self.row_height
        if 0 <= index < len(self._rows):
            self.move_cursor(index)
            self.action_select()

    def _rows_per_page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height - 1)

    # -- painting ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Paint the lines in crop, with the styles every line uses looked up once per paint: the
        widget's own style walks its ancestors, and that was half the cost of painting a line."""
        self._styles = {}
        try:
            return super().render_lines(crop)
        finally:
            self._styles = None

    def _style(self, name: str):
        """A style for this paint: the widget's own ("rich" or "visual"), or a component class's."""
        style = self._styles.get(name) if self._styles is not None else None
        if style is None:
            if name == "rich":
                style = self.rich_style
            elif name == "visual":
                style = self.visual_style
            elif name.startswith("article-list--cursor"):
                # The full style (not partial): Textual 8.2.8 drops an opaque background from a partial one.
                style = self.get_visual_style(name)
            else:
                style = self.get_visual_style(name, partial=True)
            if self._styles is not None:
                self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        """Paint one line of the visible window."""
        width = self.scrollable_content_region.width
        if not self._rows:
            text = Content(" " + self.empty_text if y == 1 else "")  # indented as the rows are
            return self._strip(text.stylize(self._style("article-list--empty")), width)
        index, part = divmod(self.scroll_offset.y + y, self.row_height)
        if index >= len(self._rows):
            return Strip.blank(width, self._style("rich"))
        row = self._rows[index]
        line = self._line(row, part, width)
        if index == self._cursor:
            line = line.stylize_before(self._style("article-list--cursor" if self.has_focus else "article-list--cursor-blurred"))
        return self._strip(line, width)

    def _line(self, row: ArticleRow, part: int, width: int) -> Content:
        """The content of one of a row's lines; titles and names are untrusted, so never markup."""
        if part == 0:
            text = Content(" " + row.title).stylize(self._style("article-list--title"))
        elif part == 1:
            text = self._meta_line(row, width).stylize(self._style("article-list--meta"))
        else:
            text = self._excerpt_line(row)
        # A cell clear of the border on either side: the text is indented by one and cut one short of it.
        return text.truncate(width - MARGIN, ellipsis=True).truncate(width, pad=True)

    def _meta_line(self, row: ArticleRow, width: int) -> Content:
        """Publication (else byline), date ("undated" rather than a blank line) and, for a search, the hit
        count. A pane too narrow for all of it cuts the name: the date and count are what tell rows apart."""
        excerpt = self._excerpts.get(row.id)
        tail = [row.date or "undated"]
        if excerpt is not None and excerpt.hits:  # a search by tag alone has no words to count
            tail.append(f"{excerpt.hits:,} {'hit' if excerpt.hits == 1 else 'hits'}")
        tail_text = Content(" · ".join(tail))
        name = row.source or row.author
        room = width - 1 - MARGIN - len(" · ") - tail_text.cell_length  # 1: the row's indent
        if not name or room < MIN_NAME:
            return Content(" ") + tail_text
        return Content(" ") + Content(name).truncate(room, ellipsis=True) + Content(" · ") + tail_text

    def _excerpt_line(self, row: ArticleRow) -> Content:
        """The excerpt with its matches marked, or a request for it when it is not here yet."""
        excerpt = self._excerpts.get(row.id)
        if excerpt is None:
            self._want(row.id)
            return Content("")
        text = Content(" " + excerpt.text).stylize(self._style("article-list--excerpt"))
        match = self._style("article-list--match")
        for start, end in excerpt.spans:
            text = text.stylize(match, start + 1, end + 1)
        return text

    def _want(self, article_id: str) -> None:
        """Queue an excerpt request; one message per paint, not one per line."""
        if article_id in self._requested:
            return
        self._requested.add(article_id)
        if not self._wanted:
            self.call_after_refresh(self._ask_for_excerpts)
        self._wanted.append(article_id)

    def _ask_for_excerpts(self) -> None:
        wanted, self._wanted = self._wanted, []
        if wanted:
            self.post_message(self.ExcerptsWanted(wanted, self.scrollable_content_region.width - 1 - MARGIN))

    def _strip(self, content: Content, width: int) -> Strip:
        segments = content.render_segments(self._style("visual"))
        return Strip(segments, content.cell_length).crop_extend(0, width, self._style("rich"))

    def on_focus(self) -> None:
        """The cursor row looks different with focus."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor row looks different without focus."""
        self.refresh()

    def on_resize(self) -> None:
        """Keep the cursor on screen when the pane changes size."""
        if self._rows:
            self.move_cursor(self._cursor)
