"""The reading pane: an article's header above its body in a read-only TextArea, search hits marked."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Selection

from tui_reader.core.articles import Article, paragraph_spans

Span = tuple[int, int]

# Characters that str.splitlines (and so TextArea's document) treats as line breaks. Mapped to "\n",
# one character for one, so that body offsets and TextArea locations stay in step.
_LINE_BREAKS = str.maketrans({c: "\n" for c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


class BodyView(TextArea):
    """A read-only TextArea that marks search hits, addressed by body offsets."""

    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {"body-view--hit"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            highlight_cursor_line=False,
            id=id,
        )
        self._line_starts: list[int] = [0]
        self._hits_by_line: dict[int, list[Span]] = {}

    def load_body(self, body: str, hits: Sequence[Span]) -> None:
        """Show a body from its start, with hits given as body offsets."""
        text = body.translate(_LINE_BREAKS)
        starts = [0]
        position = text.find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self._line_starts = starts
        self.load_text(text)
        self.set_hits(hits)
        self.scroll_home(animate=False, immediate=True)

    def set_hits(self, hits: Sequence[Span]) -> None:
        """Mark these body spans (a hit never crosses a line: words hold no line break)."""
        by_line: dict[int, list[Span]] = {}
        for start, end in hits:
            row, column = self.location_of(start)
            by_line.setdefault(row, []).append((column, column + end - start))
        self._hits_by_line = by_line
        self._line_cache.clear()  # TextArea caches painted lines; they hold the old marks
        self.refresh()

    def location_of(self, offset: int) -> tuple[int, int]:
        """The (row, column) of a body offset."""
        row = bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def offset_of(self, location: tuple[int, int]) -> int:
        """The body offset of a (row, column) location."""
        row, column = location
        return self._line_starts[row] + column

    def get_line(self, line_index: int) -> Text:
        """A line of the body with its hits marked."""
        line = super().get_line(line_index)
        hits = self._hits_by_line.get(line_index)
        if hits:
            style = self.get_component_rich_style("body-view--hit")
            for start, end in hits:
                line.stylize(style, start, end)
        return line


class Reader(Vertical):
    """The reading pane: headline, byline, publication, date and address above the body."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._article: Article | None = None
        self._hits: list[Span] = []
        self._hit_starts: list[int] = []

    def compose(self) -> ComposeResult:
        """A fixed header, a line about the hits, and the body."""
        yield Static(Content("No article open"), id="reader-header")
        yield Static(Content(""), id="reader-hits")
        yield BodyView(id="reader-body")

    @property
    def body(self) -> BodyView:
        """The TextArea holding the article's text."""
        return self.query_one(BodyView)

    @property
    def article(self) -> Article | None:
        """The article shown, if any."""
        return self._article

    @property
    def hits(self) -> Sequence[Span]:
        """The search hits in the body, as (start, end) body offsets in order."""
        return self._hits

    @property
    def selection_offsets(self) -> Span:
        """The selection as (start, end) body offsets, start <= end; equal when nothing is selected."""
        start, end = sorted(self.body.selection)
        return self.body.offset_of(start), self.body.offset_of(end)

    @property
    def cursor_offset(self) -> int:
        """The body offset of the cursor."""
        return self.body.offset_of(self.body.cursor_location)

    @property
    def paragraph_at_cursor(self) -> tuple[int, Span] | None:
        """The paragraph holding the cursor: its 1-based number and its (start, end) body offsets."""
        if self._article is None:
            return None
        offset = self.cursor_offset
        spans = paragraph_spans(self._article.body)
        for number, (start, end) in enumerate(spans, start=1):
            if offset < end or number == len(spans):
                return number, (start, end)
        return None

    def show(self, article: Article, hits: Sequence[Span] = ()) -> None:
        """Show an article from its top, `hits` (body spans, as Highlighter.spans gives them) marked.

        The article already shown keeps its place and selection and only gets the new marks."""
        self._hits = sorted(hits)
        self._hit_starts = [start for start, _ in self._hits]
        if article == self._article:
            self.body.set_hits(self._hits)
        else:
            self._article = article
            self.query_one("#reader-header", Static).update(_header(article))
            self.body.load_body(article.body, self._hits)
        self._show_hit_position(None)

    def clear(self) -> None:
        """Show nothing."""
        self._article = None
        self._hits = []
        self._hit_starts = []
        self.query_one("#reader-header", Static).update(Content("No article open"))
        self.body.load_body("", [])
        self._show_hit_position(None)

    def select_offsets(self, start: int, end: int) -> None:
        """Select a span of the body (body offsets) and scroll it into the middle of the pane."""
        body = self.body
        body.selection = Selection(body.location_of(start), body.location_of(end))
        body.scroll_cursor_visible(center=True, animate=False)

    def focus_body(self) -> None:
        """Give the keyboard to the body (cursor, selection, scrolling)."""
        self.body.focus()

    def next_hit(self) -> bool:
        """Select the next hit after the cursor; False when there is none."""
        return self._go_to_hit(forward=True)

    def previous_hit(self) -> bool:
        """Select the previous hit before the cursor; False when there is none."""
        return self._go_to_hit(forward=False)

    def _go_to_hit(self, forward: bool) -> bool:
        if not self._hits:
            return False
        start, end = self.selection_offsets
        here = bisect_left(self._hit_starts, start)
        on_hit = here < len(self._hits) and self._hits[here] == (start, end)
        if forward:
            # From a hit go past it; from elsewhere the first hit at or after the cursor is next.
            target = here + 1 if on_hit else here
        else:
            target = here - 1
        if not 0 <= target < len(self._hits):
            return False
        self.select_offsets(*self._hits[target])
        self._show_hit_position(target)
        return True

    def _show_hit_position(self, index: int | None) -> None:
        """The line under the header: how many hits, and which one is selected."""
        count = len(self._hits)
        if not count:
            text = ""
        elif index is None:
            text = f"{count:,} {'match' if count == 1 else 'matches'} · n / N to go from one to the next"
        else:
            text = f"match {index + 1:,} of {count:,}"
        self.query_one("#reader-hits", Static).update(Content(text))


def _header(article: Article) -> Content:
    """Headline, byline, publication · date, address: each literal text, empty fields left out."""
    lines = [Content.styled(article.title, "bold")]
    if article.author:
        lines.append(Content("By " + article.author))
    published = " · ".join(part for part in (article.source, article.date) if part)
    if published:
        lines.append(Content(published))
    if article.url:
        lines.append(Content.styled(article.url, "italic"))
    return Content("\n").join(lines)
