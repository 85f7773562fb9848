"""The body view: an article's text in a read-only TextArea, search hits and tagged passages marked,
everything addressed by body offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence

from rich.style import Style
from rich.text import Text
from textual.geometry import Offset
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from tui_reader.app.tag_colours import TAG_CLASSES

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
    """A read-only TextArea that marks search hits and tagged passages, addressed by body offsets.

    Besides TextArea's public methods (load_text, get_line), it reaches into these internals of
    Textual 8.2.8's TextArea, each to be checked when Textual is upgraded:
    - `_render_line(y)`, overridden: a row is built from its wrapped section alone (see there);
    - `_line_cache`, cleared when the marks change (it holds painted lines with the old marks);
    - `wrapped_document.get_sections`, replaced on each new WrappedDocument (see load_text), and
      `wrapped_document._offset_to_line_info`, read to find a row's line and section;
    - `_theme`, `_draw_cursor` and `_highlights`, read to paint as TextArea paints;
    - the reactive `show_vertical_scrollbar`, set without its watcher (see _expect_scrollbar).
    """

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
        self._load(body, hits, passages)
        self.scroll_home(animate=False, immediate=True)

    def reload_body(self, body: str, hits: Sequence[Span], passages: Sequence[Mark] = ()) -> None:
        """Show a new version of the body shown (the article was imported again): the selection and the
        top row stay on the same words where those words are still there."""
        moved = follow_edit(self.text, body)
        start, end = (moved(self.offset_of(location)) for location in self.selection)
        top = moved(self.offset_of(self.wrapped_document.offset_to_location(Offset(0, self.scroll_offset.y))))
        self._load(body, hits, passages)
        self.selection = Selection(self.location_of(start), self.location_of(end))
        row = self.wrapped_document.location_to_offset(self.location_of(top)).y
        self.scroll_to(y=row, animate=False, immediate=True, force=True)

    def _load(self, body: str, hits: Sequence[Span], passages: Sequence[Mark]) -> None:
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


def follow_edit(old: str, new: str) -> Callable[[int], int]:
    """Where an offset of `old` lands in `new`, taking the texts to differ in one stretch (a paragraph
    added, changed or removed): text before and after that stretch keeps its place, and an offset inside
    it goes to the stretch's start. Linear in the texts' length, where a diff would be quadratic."""
    prefix = _common_prefix(old, new)
    limit = min(len(old), len(new)) - prefix
    suffix = min(_common_prefix(old[::-1], new[::-1]), limit)
    growth = len(new) - len(old)

    def moved(offset: int) -> int:
        if offset >= len(old) - suffix:  # after the stretch (at its end: with the words that follow)
            return offset + growth
        return min(offset, prefix)

    return moved


def _common_prefix(a: str, b: str) -> int:
    """How many characters two strings share at their start (slices compared in C, halving the range)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
