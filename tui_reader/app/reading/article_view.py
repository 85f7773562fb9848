"""The article view: an article's header above its body (the body view), hits and passages counted."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static
from textual.widgets.text_area import Selection

from tui_reader.app.reading.body_view import BodyView, Mark, Span
from tui_reader.app.tag_colours import tag_class
from tui_reader.core.articles import Article, paragraph_spans
from tui_reader.core.articles import Passage


class ArticleView(Vertical):
    """An article: headline, byline, publication, date and address above the body, and a line saying
    how many hits and passages it has."""

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
        """Show an article, `hits` (body spans, as Highlighter.spans gives them) and its passages marked:
        a new article from its top; the article already shown keeps its place and selection, and a new
        version of it (imported again) keeps them on the same words."""
        self._hits = sorted(hits)
        self._set_passages(passages)
        marks = self._passage_marks()
        shown, self._article = self._article, article
        if shown != article:
            self.query_one("#reader-header", Static).update(_header(article))
        if shown is None or shown.id != article.id:
            self.body.load_body(article.body, self._hits, marks)
        elif shown.body != article.body:
            self.body.reload_body(article.body, self._hits, marks)
        else:
            self.body.set_hits(self._hits)
            self.body.set_passages(marks)
        self._show_position()

    def show_passages(self, passages: Sequence[Passage]) -> None:
        """Mark the article's passages anew (after a passage was tagged, edited or deleted)."""
        self._set_passages(passages)
        self.body.set_passages(self._passage_marks())
        self._show_position()

    def _set_passages(self, passages: Sequence[Passage]) -> None:
        self._passages = list(passages)
        self._passage_spans = sorted({p.span for p in self._anchored_passages()})

    def _anchored_passages(self) -> list[Passage]:
        return [p for p in self._passages if p.span is not None]

    def _passage_marks(self) -> list[Mark]:
        return [(*p.span, tag_class(p.tags)) for p in self._anchored_passages()]

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
            tags = sorted({tag for p in self._anchored_passages() if p.span == self._passage_spans[passage]
                           for tag in p.tags})
            parts.append(f"passage {passage + 1:,} of {spans:,}: {', '.join(tags)}")
        elif spans:
            parts.append(f"{spans:,} tagged {'passage' if spans == 1 else 'passages'} · ] / [ to go from one to the next")
        self.query_one("#reader-hits", Static).update(Content("   ·   ".join(parts)))


def _header(article: Article) -> Content:
    """Headline, byline, publication · date, address: each literal text, empty fields left out; then
    which of them the user corrected."""
    lines = [Content.styled(article.title, "bold")]
    if article.author:
        lines.append(Content("By " + article.author))
    published = " · ".join(part for part in (article.source, article.date) if part)
    if published:
        lines.append(Content(published))
    if article.url:
        lines.append(Content.styled(article.url, "italic"))
    if article.corrected:
        lines.append(Content.styled(f"Corrected by you: {', '.join(article.corrected)}", "dim"))
    return Content("\n").join(lines)
