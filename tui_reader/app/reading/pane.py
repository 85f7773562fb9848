"""The reading pane: the article view with its passages panel; it reads the open article (again when the
library changes) and does everything done to the article's passages."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.worker import Worker

from tui_reader.app.dialogs.tag_dialog import TagChoice, TagDialog
from tui_reader.app.failures import report_failure
from tui_reader.app.generation import Generation
from tui_reader.app.reading.article_view import ArticleView
from tui_reader.app.reading.body_view import Span
from tui_reader.app.reading.passages_panel import PassagesPanel
from tui_reader.core.articles import Article
from tui_reader.core.library import Highlighter
from tui_reader.core.library import Library
from tui_reader.core.articles import Passage

NO_SELECTION = "Select a passage first: shift+arrows, v for the paragraph, or drag with the mouse"
NO_ARTICLE = "Open an article first (enter on a row of the list)"


class ReadingPane(Vertical):
    """The article view above the (hidden until asked for) passages panel. It reads the article, its
    passages and its hits off the UI thread, tags, retags, deletes and restores passages, and says when
    the tags have changed."""

    class PassagesChanged(Message):
        """A passage was tagged, changed, deleted or restored: searches for tags may find other articles."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.tag_counts: list[tuple[str, int]] = []  # every tag and its passages, most used first
        self._deleted: Passage | None = None  # the passage that undo brings back
        self._wanted: tuple[str, Highlighter | None] | None = None  # the article asked for last, and its hits' search
        self._shown: tuple[str, Highlighter | None] | None = None  # the same, for the article on screen
        self._focus_wanted = False  # whether the article asked for takes the keyboard once shown
        self._loads = Generation()
        self._marked: set[str] = set()  # articles marked read since the app started (once is enough)
        self._to_mark: str | None = None  # the article asked for, to be marked read once shown

    def compose(self) -> ComposeResult:
        """The article view, then the panel."""
        yield ArticleView(id="reader")
        yield PassagesPanel(id="passages")

    @property
    def reader(self) -> ArticleView:
        """The article view."""
        return self.query_one(ArticleView)

    @property
    def panel(self) -> PassagesPanel:
        """The passages panel."""
        return self.query_one(PassagesPanel)

    @property
    def article(self) -> Article | None:
        """The article shown, if any."""
        return self.reader.article

    def selection(self) -> tuple[Article, Span] | None:
        """The open article and the selected span, or None (after saying what to do) when there is none."""
        article = self.reader.article
        start, end = self.reader.selection_offsets
        if article is None or start == end or not article.body[start:end].strip():
            self.notify(NO_ARTICLE if article is None else NO_SELECTION, severity="warning")
            return None
        return article, (start, end)

    # -- reading -------------------------------------------------------------------------------

    def open(self, article_id: str, highlighter: Highlighter | None, focus: bool, mark_read: bool = True) -> None:
        """Read an article and show it, its hits for `highlighter` (if given) and its passages marked;
        `focus`: then give the keyboard to its text; `mark_read`: once shown, mark it read."""
        self._wanted, self._focus_wanted = (article_id, highlighter), focus
        self._to_mark = article_id if mark_read else None
        self._read(article_id, highlighter, self._loads.next())

    def reload(self) -> None:
        """Read the article asked for last and the tags again: another process may have changed its text,
        its passages or the tags. The article keeps its place on screen."""
        article_id, highlighter = self._wanted or (None, None)
        self._read(article_id, highlighter, self._loads.next())

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def _read(self, article_id: str | None, highlighter: Highlighter | None, generation: int) -> None:
        """Text and passages from one snapshot of the library, so that the marks fit the text (a long
        article takes a while to read and mark: hence off the UI thread)."""
        found = self.library.reading(article_id) if article_id else None
        hits = highlighter.spans(found[0].body) if found and highlighter is not None else []
        counts = self.library.tag_counts()
        self.app.call_from_thread(self._show, generation, article_id, found, hits, counts)

    def _show(self, generation: int, article_id: str | None, found: tuple[Article, list[Passage]] | None,
              hits: list[Span], counts: list[tuple[str, int]]) -> None:
        if not self._loads.is_latest(generation):
            return  # another article was asked for since
        self.tag_counts = counts
        if article_id is None:
            return
        if found is None:
            # Follow the article still on screen, unless that is the one gone (said once, not at every change).
            self._wanted = self._shown if self._shown and self._shown[0] != article_id else None
            self._focus_wanted = False
            self.notify(f"The article {article_id} is no longer in the library", severity="warning", markup=False)
            return
        article, passages = found
        self._shown = self._wanted  # (the latest request: this answer is for it)
        self.reader.show(article, hits, passages)
        self.panel.show_passages(passages)
        if self._to_mark == article.id:  # (asked for by open; a reload that overtook it carries it out)
            self._to_mark = None
            if article.id not in self._marked:
                self._marked.add(article.id)
                self.mark_read(article.id)
        if self._focus_wanted:  # (asked for by open; a reload that overtook it carries it out)
            self._focus_wanted = False
            self.reader.focus_body()

    @work(thread=True, group="mark-read", exit_on_error=False)
    def mark_read(self, article_id: str) -> None:
        """Mark a shown article read (its feed's unread count falls), after it is on screen and off the
        UI thread: a write transaction, which may wait while a refresh commits."""
        self.library.mark_read([article_id])

    # -- selecting and moving ------------------------------------------------------------------

    def select_paragraph(self) -> None:
        """Select the paragraph under the reader's cursor."""
        if not self.reader.select_paragraph():
            self.notify(NO_ARTICLE, severity="warning")

    def next_passage(self) -> None:
        """Select the next tagged passage in the article."""
        self._go_to_passage(self.reader.next_passage)

    def previous_passage(self) -> None:
        """Select the previous tagged passage in the article."""
        self._go_to_passage(self.reader.previous_passage)

    def _go_to_passage(self, move: Callable[[], bool]) -> None:
        if not any(p.status == "anchored" for p in self.reader.passages):
            self.notify("No tagged passages in this article (select some text and press t)", severity="warning")
        elif not move():
            self.notify("No more passages", severity="warning")

    @on(PassagesPanel.Chosen)
    def go_to_passage(self, event: PassagesPanel.Chosen) -> None:
        """Enter on a passage in the panel: select it in the text."""
        passage = event.passage
        if passage.span is None:
            self.notify("This passage is orphaned: its words are no longer in the article", severity="warning")
            return
        self.reader.select_offsets(*passage.span)
        self.reader.focus_body()

    def toggle_panel(self) -> None:
        """Show or hide the passages panel: showing it gives it the keyboard, hiding it gives that back to the text."""
        panel = self.panel
        if panel.display:
            had_focus = panel.has_focus
            panel.display = False
            if had_focus:
                self.reader.focus_body()
        else:
            panel.display = True
            panel.focus()

    # -- changing passages ---------------------------------------------------------------------

    def tag_selection(self) -> None:
        """Ask for tags and a note for the selected passage, then save it."""
        selected = self.selection()
        if selected is None:
            return
        article, (start, end) = selected

        def save(choice: TagChoice | None) -> None:
            if choice is not None:
                self.change_passages(
                    lambda: self.library.tag_passage(article.id, start, end, choice.tags, choice.note),
                    "Tagged the passage: " + ", ".join(choice.tags),
                )
                self.reader.collapse_selection()  # so that the new passage's colour shows at once

        self.app.push_screen(TagDialog(article.body[start:end], self._tag_names()), save)

    @on(PassagesPanel.EditWanted)
    def edit_passage(self, event: PassagesPanel.EditWanted) -> None:
        """Change a passage's tags or note in the tag dialog, filled in with what it has now."""
        passage = event.passage

        def save(choice: TagChoice | None) -> None:
            if choice is not None:
                self.change_passages(
                    lambda: self.library.update_passage(passage.id, choice.tags, choice.note),
                    "Passage updated: " + ", ".join(choice.tags),
                )

        dialog = TagDialog(passage.anchor.exact, self._tag_names(), passage.tags, passage.note, "Edit the passage")
        self.app.push_screen(dialog, save)

    @on(PassagesPanel.DeleteWanted)
    def delete_passage(self, event: PassagesPanel.DeleteWanted) -> None:
        """Delete a passage at once; undo brings it back."""
        self.change_passages(lambda: self.library.delete_passage(event.passage.id),
                             "Passage deleted — press u to undo", deleted=True)

    def undo_delete(self) -> None:
        """Bring back the passage deleted last."""
        if self._deleted is None:
            self.notify("Nothing to undo", severity="warning")
            return
        passage, self._deleted = self._deleted, None
        self.change_passages(lambda: self.library.restore_passage(passage), "Passage restored")

    @work(thread=True, group="passages", exit_on_error=False)
    def change_passages(self, change: Callable[[], Passage], done: str, deleted: bool = False) -> None:
        """Tag, retag, delete or restore a passage off the UI thread (it writes SQLite and re-indexes the
        article), then read the article and its passages anew."""
        passage = change()
        self.app.call_from_thread(self._passages_changed, passage, done, deleted)

    def _passages_changed(self, passage: Passage, done: str, deleted: bool) -> None:
        if deleted:
            self._deleted = passage
        self.reload()
        self.notify(done, markup=False)
        self.post_message(self.PassagesChanged())

    def _tag_names(self) -> list[str]:
        return [tag for tag, _ in self.tag_counts]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A save that failed: say so."""
        report_failure(self, event)
