"""The reading pane: an article's header above its body in a read-only TextArea, search hits and
tagged passages marked."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Selection

from tui_reader.app.tag_colours import TAG_CLASSES, tag_class
from tui_reader.core.articles import Article, paragraph_spans
from tui_reader.core.store import Passage

Span = tuple[int, int]
Mark = tuple[int, int, str]  # (start, end, component class)

# Characters that str.splitlines (and so TextArea's document) treats as line breaks. Mapped to "\n",
# one character for one, so that body offsets and TextArea locations stay in step.
_LINE_BREAKS = str.maketrans({c: "\n" for c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
_HIT = "body-view--hit"
# Characters that change a line's columns on the way to the screen: TextArea expands tabs, and Rich's
# Text drops bell and backspace (the other characters it drops are line breaks here). Imported bodies
# hold none of them (sanitize removes controls, turns tabs into spaces); a body that does is painted
# by TextArea's own code.
_SHIFTS_COLUMNS = re.compile(r"[\t\x07\x08]")


class BodyView(TextArea):
    """A read-only TextArea that marks search hits and tagged passages, addressed by body offsets."""

    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {_HIT, *TAG_CLASSES}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            read_only=True,
            soft_wrap=True,
            show_line_numbers=False,
            highlight_cursor_line=False,
            id=id,
        )
        # Prose is full of brackets; marking the partner of the one under the cursor only distracts.
        self.match_cursor_bracket = False
        self._line_starts: list[int] = [0]
        self._length = 0
        self._hits_by_line: dict[int, list[Mark]] = {}
        self._passages_by_line: dict[int, list[Mark]] = {}
        self._paint_sections = True  # whether _render_line may build a row from its section alone

    def load_body(self, body: str, hits: Sequence[Span], passages: Sequence[Mark] = ()) -> None:
        """Show a body from its start, with hits and passages given as body offsets."""
        text = body.translate(_LINE_BREAKS)
        starts = [0]
        position = text.find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self._line_starts = starts
        self._length = len(text)
        self.load_text(text)
        self._passages_by_line = self._by_line(passages)
        self.set_hits(hits)
        self.scroll_home(animate=False, immediate=True)

    def load_text(self, text: str) -> None:
        """Load text as TextArea does, set up for painting long lines cheaply (see _render_line)."""
        self._paint_sections = _SHIFTS_COLUMNS.search(text) is None
        self._expect_scrollbar(text)
        super().load_text(text)
        if self._paint_sections:
            # The cursor's every move asks for its line cut into rows (get_sections), which TextArea
            # does with Rich's Text.divide, a Text per row: ~5 ms, twice a move, in a 44,000-character
            # paragraph. Slices of the line are the same strings when Rich has nothing to drop from it.
            # Set on the instance: each load brings a new WrappedDocument, and the navigator asks it.
            self.wrapped_document.get_sections = self._sections

    def _expect_scrollbar(self, text: str) -> None:
        """Show the vertical scrollbar before loading a text that is sure to need it.

        TextArea wraps a text at the width it has, and when the text then turns out taller than the
        pane, the scrollbar takes a column and TextArea wraps it all again (~15 ms more for a 76,000-
        character article after a short one). Set without its watcher, which would wrap the old text
        and put the scrollbar back by the old text's height. A wrong guess costs only the second wrap:
        loading the text sets the scrollbar right (_refresh_scrollbars), whichever way it was.
        """
        width, height = self.wrap_width, self.size.height
        # Each line takes a row or more, each row at most `width` cells, and a character takes at least
        # one cell (bar rare zero-width ones).
        rows = max(text.count("\n") + 1, len(text) // width) if width else 0
        if height and self.styles.overflow_y == "auto" and rows > height:
            self.set_reactive(TextArea.show_vertical_scrollbar, True)

    def _sections(self, line_index: int) -> list[str]:
        """A line cut at its wrap offsets: what WrappedDocument.get_sections returns, without Rich's Text."""
        line = self.document[line_index]
        bounds = [0, *self.wrapped_document.get_offsets(line_index), len(line)]
        return [line[start:end] for start, end in zip(bounds, bounds[1:])]

    def set_hits(self, hits: Sequence[Span]) -> None:
        """Mark these body spans as search hits."""
        self._hits_by_line = self._by_line((start, end, _HIT) for start, end in hits)
        self._repaint()

    def set_passages(self, passages: Sequence[Mark]) -> None:
        """Mark these body spans as tagged passages, each in its tag's colour."""
        self._passages_by_line = self._by_line(passages)
        self._repaint()

    def _repaint(self) -> None:
        self._line_cache.clear()  # TextArea caches painted lines; they hold the old marks
        self.refresh()

    def _by_line(self, marks: Iterable[Mark]) -> dict[int, list[Mark]]:
        """Marks cut at line breaks, as (first column, end column, class) per line."""
        by_line: dict[int, list[Mark]] = {}
        for start, end, name in marks:
            start, end = max(0, start), min(end, self._length)
            first, _ = self.location_of(start)
            last, _ = self.location_of(end)
            for row in range(first, last + 1):
                line_start = self._line_starts[row]
                line_end = self._line_starts[row + 1] - 1 if row + 1 < len(self._line_starts) else self._length
                column_start, column_end = max(start, line_start) - line_start, min(end, line_end) - line_start
                if column_start < column_end:
                    by_line.setdefault(row, []).append((column_start, column_end, name))
        return by_line

    def location_of(self, offset: int) -> tuple[int, int]:
        """The (row, column) of a body offset."""
        row = bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def offset_of(self, location: tuple[int, int]) -> int:
        """The body offset of a (row, column) location."""
        row, column = location
        return self._line_starts[row] + column

    def marks_on_line(self, line_index: int) -> list[Mark]:
        """The marks painted on a line, passages first (hits are painted over them, so they stay visible)."""
        return self._passages_by_line.get(line_index, []) + self._hits_by_line.get(line_index, [])

    def get_line(self, line_index: int) -> Text:
        """A line of the body with its passages and hits marked (the selection and cursor go on top)."""
        line = super().get_line(line_index)
        for start, end, name in self.marks_on_line(line_index):
            line.stylize(self.get_component_rich_style(name), start, end)
        return line

    def _render_line(self, y: int) -> Strip:
        """One painted row, built from its wrapped section of the line only.

        TextArea builds the whole document line (get_line, marks, selection, cursor) for every row it
        paints and then cuts out the row's section: a screen of a 44,000-character paragraph built that
        paragraph 40 times (~0.4 s). Here only the section's characters become Text, and each style
        (marks, then selection, then cursor: the order TextArea stacks them) is cut to the section as
        Text.divide would cut it, so the row comes out segment for segment as TextArea paints it
        (tests/test_app_long_article.py compares the two). Settings this widget never uses (line
        numbers, cursor line, bracket matching, suggestions, syntax highlighting, no wrapping) and
        bodies with tabs are left to TextArea.
        """
        theme = self._theme
        row = y + self.scroll_offset.y
        wrapped = self.wrapped_document
        rows = wrapped._offset_to_line_info  # (line, section) of each row; .height sums over every line
        if (
            not self._paint_sections
            or theme is None
            or not self.soft_wrap
            or self.show_line_numbers
            or self.highlight_cursor_line
            or self.match_cursor_bracket
            or self.suggestion
            or self._highlights
            or not 0 <= row < len(rows)
        ):
            return super()._render_line(y)
        line_index, section = rows[row]
        line = self.document[line_index]
        # Section bounds in line columns; the line ends with one space where the cursor can rest.
        breaks = wrapped.get_offsets(line_index)
        start = breaks[section - 1] if section else 0
        end = breaks[section] if section < len(breaks) else len(line) + 1
        styles = [(self.get_component_rich_style(name), first, last)
                  for first, last, name in self.marks_on_line(line_index) if first < end and last > start]
        selection_top, selection_bottom = sorted(self.selection)
        cursor_row, cursor_column = self.selection.end
        chars = line[start:end].ljust(end - start)
        selected = selection_top != selection_bottom and selection_top[0] <= line_index <= selection_bottom[0]
        if selected and theme.selection_style:
            if not line and line_index != cursor_row:
                # TextArea shows an empty line inside the selection as a bar.
                chars = "▌"
                styles.append((Style(color=theme.selection_style.bgcolor), 0, 1))
            else:
                first = selection_top[1] if line_index == selection_top[0] else 0
                last = selection_bottom[1] if line_index == selection_bottom[0] else len(line)
                styles.append((theme.selection_style, first, last))
        if cursor_row == line_index and self._draw_cursor and theme.cursor_style:
            styles.append((theme.cursor_style, cursor_column, cursor_column + 1))
        text = Text(chars, end="", no_wrap=True)
        for style, first, last in styles:
            first, last = max(first, start) - start, min(last, end) - start
            if first < last:  # (stylize would read a negative end as counted from the end)
                text.stylize(style, first, last)
        width = self.scrollable_content_region.width - self.gutter_width
        strip = Strip(text.render(self.app.console), text.cell_len).extend_cell_length(width, theme.base_style)
        return strip.apply_style(theme.base_style if theme.base_style is not None else self.rich_style)


class Reader(Vertical):
    """The reading pane: headline, byline, publication, date and address above the body."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._article: Article | None = None
        self._hits: list[Span] = []
        self._passages: list[Passage] = []
        self._passage_spans: list[Span] = []  # distinct spans of the anchored passages, in order

    def compose(self) -> ComposeResult:
        """A fixed header, a line about the hits and passages, and the body."""
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
    def passages(self) -> Sequence[Passage]:
        """The article's tagged passages (orphaned ones too)."""
        return self._passages

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

    def show(self, article: Article, hits: Sequence[Span] = (), passages: Sequence[Passage] = ()) -> None:
        """Show an article from its top, `hits` (body spans, as Highlighter.spans gives them) and its
        passages marked. The article already shown keeps its place and selection and only gets new marks."""
        self._hits = sorted(hits)
        self._set_passages(passages)
        marks = self._passage_marks()
        if article == self._article:
            self.body.set_hits(self._hits)
            self.body.set_passages(marks)
        else:
            self._article = article
            self.query_one("#reader-header", Static).update(_header(article))
            self.body.load_body(article.body, self._hits, marks)
        self._show_position()

    def show_passages(self, passages: Sequence[Passage]) -> None:
        """Mark the article's passages anew (after a passage was tagged, edited or deleted)."""
        self._set_passages(passages)
        self.body.set_passages(self._passage_marks())
        self._show_position()

    def _set_passages(self, passages: Sequence[Passage]) -> None:
        self._passages = list(passages)
        self._passage_spans = sorted({(p.start, p.end) for p in self._anchored_passages()})

    def _anchored_passages(self) -> list[Passage]:
        return [p for p in self._passages if p.status == "anchored" and p.start is not None and p.end is not None]

    def _passage_marks(self) -> list[Mark]:
        return [(p.start, p.end, tag_class(p.tags)) for p in self._anchored_passages()]

    def clear(self) -> None:
        """Show nothing."""
        self._article = None
        self._hits = []
        self._set_passages([])
        self.query_one("#reader-header", Static).update(Content("No article open"))
        self.body.load_body("", [])
        self._show_position()

    def select_offsets(self, start: int, end: int, center: bool = True) -> None:
        """Select a span of the body (body offsets) and scroll it into view (into the middle of the pane)."""
        body = self.body
        body.selection = Selection(body.location_of(start), body.location_of(end))
        body.scroll_cursor_visible(center=center, animate=False)

    def select_paragraph(self) -> bool:
        """Select the whole paragraph under the cursor; False when no article is open."""
        found = self.paragraph_at_cursor
        if found is None:
            return False
        _, (start, end) = found
        self.select_offsets(start, end, center=False)
        return True

    def collapse_selection(self) -> None:
        """Leave the cursor at the end of the selection, so that the marks under it show."""
        self.body.selection = Selection.cursor(self.body.selection.end)

    def focus_body(self) -> None:
        """Give the keyboard to the body (cursor, selection, scrolling)."""
        self.body.focus()

    def next_hit(self) -> bool:
        """Select the next hit after the cursor; False when there is none."""
        return self._go_to(self._hits, forward=True, kind="match")

    def previous_hit(self) -> bool:
        """Select the previous hit before the cursor; False when there is none."""
        return self._go_to(self._hits, forward=False, kind="match")

    def next_passage(self) -> bool:
        """Select the next tagged passage after the cursor; False when there is none."""
        return self._go_to(self._passage_spans, forward=True, kind="passage")

    def previous_passage(self) -> bool:
        """Select the previous tagged passage before the cursor; False when there is none."""
        return self._go_to(self._passage_spans, forward=False, kind="passage")

    def _go_to(self, spans: Sequence[Span], forward: bool, kind: str) -> bool:
        if not spans:
            return False
        start, end = self.selection_offsets
        here = bisect_left(spans, (start, end))
        on_span = here < len(spans) and spans[here] == (start, end)
        if forward:
            # From a span go past it; from elsewhere the first span at or after the cursor is next.
            target = here + 1 if on_span else here
        else:
            target = here - 1
        if not 0 <= target < len(spans):
            return False
        self.select_offsets(*spans[target])
        self._show_position(**{kind: target})
        return True

    def _show_position(self, match: int | None = None, passage: int | None = None) -> None:
        """The line under the header: how many hits and passages, and which one is selected."""
        parts = []
        hits = len(self._hits)
        if match is not None:
            parts.append(f"match {match + 1:,} of {hits:,}")
        elif hits:
            parts.append(f"{hits:,} {'match' if hits == 1 else 'matches'} · n / N to go from one to the next")
        spans = len(self._passage_spans)
        if passage is not None:
            tags = sorted({tag for p in self._anchored_passages() if (p.start, p.end) == self._passage_spans[passage]
                           for tag in p.tags})
            parts.append(f"passage {passage + 1:,} of {spans:,}: {', '.join(tags)}")
        elif spans:
            parts.append(f"{spans:,} tagged {'passage' if spans == 1 else 'passages'} · ] / [ to go from one to the next")
        self.query_one("#reader-hits", Static).update(Content("   ·   ".join(parts)))


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
