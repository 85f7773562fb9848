"""The main screen: search bar, article list and reading pane, and the searches, loads, copies,
imports and refreshes that tie them together."""

from __future__ import annotations

import gc
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker

from tui_reader import settings as settings_file
from tui_reader.app.article_list import ArticleList
from tui_reader.app.citing import copy_text
from tui_reader.app.dialogs.add_link import AddLinkDialog
from tui_reader.app.dialogs.edit import EditChoice, EditDialog
from tui_reader.app.dialogs.feeds_screen import FeedsScreen
from tui_reader.app.dialogs.style import StylePicker
from tui_reader.app.dialogs.export import ExportDialog
from tui_reader.app.dialogs.help_screen import HelpScreen
from tui_reader.app.dialogs.import_dialog import ImportDialog
from tui_reader.app.dialogs.tags_screen import TagsScreen
from tui_reader.app.failures import report_failure
from tui_reader.app.generation import Generation
from tui_reader.app.importing import ImportBar
from tui_reader.app.reading.article_view import ArticleView
from tui_reader.app.reading.pane import NO_ARTICLE, ReadingPane
from tui_reader.app.reading.passages_panel import PassagesPanel
from tui_reader.app.refreshing import RefreshBar
from tui_reader.app.search_bar import QueryInput, SearchBar
from tui_reader.app.watcher import LibraryWatcher
from tui_reader.core import citations, export
from tui_reader.core.articles import Article, Correction, Excerpt, Feed
from tui_reader.core.library import Highlighter, Library, QueryError, SearchPage, feed_query, tag_query
from tui_reader.settings import Settings

SEARCH_DELAY = 0.025  # seconds of quiet typing before a search starts (searches take ~20 ms now)
PREVIEW_DELAY = 0.12  # seconds the list cursor must rest before the reader follows it
COUNT_DELAY = 0.15  # seconds typing must rest before the matches of a full page are counted
FIRST_ROWS = 200  # rows of the whole library's list shown before the rest are read (a tall screen's worth)
SORTS = ("relevance", "date")
HITS = Binding.Group("Hits", compact=True)
MINUTE = 60.0  # seconds in a minute of the refresh interval (tests make it shorter)
NO_FEEDS = "No feeds to refresh: follow one on the command line with newsreader feeds add URL"


class MainScreen(Screen[None]):
    """Search bar on top, the list on the left, the reading pane on the right; this screen coordinates them."""

    AUTO_FOCUS = "ArticleList"

    BINDINGS = [
        Binding("slash,ctrl+f", "focus_search", "Search", tooltip="Focus search", id="focus_search"),
        Binding("s", "toggle_sort", "Sort", tooltip="Toggle sort (relevance / date)", id="toggle_sort"),
        # One footer entry for the pair ("n N Hits"): the footer has no room for both and for the feeds' keys.
        Binding("n", "next_hit", "Next hit", tooltip="Next hit in the article", id="next_hit", group=HITS),
        Binding("N", "previous_hit", "Prev hit", tooltip="Previous hit in the article", id="previous_hit", group=HITS),
        Binding("o", "open_in_browser", "Browser", tooltip="Open in browser", id="open_in_browser"),
        Binding("v", "select_paragraph", "Paragraph", show=False, tooltip="Select the paragraph at the cursor",
                id="select_paragraph"),
        Binding("t", "tag_selection", "Tag", tooltip="Tag the selected passage", id="tag_selection"),
        Binding("right_square_bracket", "next_passage", "Next passage", show=False,
                tooltip="Next tagged passage", id="next_passage"),
        Binding("left_square_bracket", "previous_passage", "Prev passage", show=False,
                tooltip="Previous tagged passage", id="previous_passage"),
        Binding("p", "toggle_passages", "Passages", tooltip="Show / hide the article's passages",
                id="toggle_passages"),
        Binding("u", "undo_delete", "Undo", show=False, tooltip="Undo deleting a passage", id="undo_delete"),
        Binding("T", "show_tags", "Tags", tooltip="All tags, with counts", id="show_tags"),
        Binding("c", "copy_citation", "Cite", tooltip="Copy the article's citation", id="copy_citation"),
        Binding("y", "copy_passage", "Copy passage", show=False,
                tooltip="Copy the selected passage with its citation", id="copy_passage"),
        Binding("C", "choose_style", "Style", show=False,
                tooltip="Copy the citation in another style", id="choose_style"),
        Binding("i", "import", "Import", tooltip="Import files or a folder in the background", id="import"),
        Binding("F", "show_feeds", "Feeds", tooltip="Feeds, with unread counts and last errors", id="feeds"),
        Binding("R", "refresh_feeds", "Refresh", tooltip="Refresh feeds in the background", id="refresh_feeds"),
        Binding("a", "add_link", "Add link", tooltip="Add a link: save a web page as an article", id="add_link"),
        Binding("x", "export", "Export", show=False, tooltip="Export the tagged passages to a file", id="export"),
        Binding("E", "edit_article", "Edit details", show=False,
                tooltip="Correct the title, author, source or date", id="edit_article"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="previous_pane"),
        Binding("question_mark", "help", "Help", tooltip="Help: keys and query syntax", id="help"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, library: Library, settings: Settings) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.sort = settings.default_sort if settings.default_sort in SORTS else SORTS[0]
        self.page: SearchPage | None = None  # the page the list shows
        # Every search takes a generation; its page, its error, and the excerpts and count of its page
        # carry it back, and are dropped when a newer search (or page) has come since.
        self._searches = Generation()
        self._page_generation = 0  # the generation of self.page
        self._frozen = False  # whether start-up's objects have been frozen (see _freeze_startup_objects)
        self._pending: dict[str, Timer] = {}

    def compose(self) -> ComposeResult:
        """Bar, list and reading pane, the progress of an import and of a refresh (when they run), footer."""
        yield SearchBar(id="search-bar")
        with Horizontal(id="panes"):
            yield ArticleList(id="article-list")
            yield ReadingPane(self.library, id="reading")
        yield ImportBar(id="import-bar")
        yield RefreshBar(id="refresh-bar")
        yield LibraryWatcher(self.library)
        yield Footer()

    @property
    def search_bar(self) -> SearchBar:
        """The search bar."""
        return self.query_one(SearchBar)

    @property
    def article_list(self) -> ArticleList:
        """The list of articles."""
        return self.query_one(ArticleList)

    @property
    def reading(self) -> ReadingPane:
        """The reading pane: the reader and its passages panel."""
        return self.query_one(ReadingPane)

    @property
    def reader(self) -> ArticleView:
        """The article view."""
        return self.reading.reader

    @property
    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag and how many passages carry it, most used first."""
        return self.reading.tag_counts

    def on_unmount(self) -> None:
        """Hand what start-up froze back to the garbage collector (see _freeze_startup_objects)."""
        gc.unfreeze()

    def on_mount(self) -> None:
        """Fill the list (importing the samples into an empty library first)."""
        self.search_bar.show_status("Opening the library…")
        self.prepare_library()
        self.reading.reload()  # the tags, for completion, the palette and T
        if self.settings.refresh_minutes:
            self.set_interval(self.settings.refresh_minutes * MINUTE, self.refresh_on_timer)

    # -- searching -----------------------------------------------------------------------------

    @work(thread=True, group="startup", exit_on_error=False)
    def prepare_library(self) -> None:
        """A new, empty library gets the bundled samples, so there is something to read at once."""
        try:
            if self.library.count() == 0:
                report = self.library.import_samples()
                self.app.call_from_thread(self._announce_samples, report.imported)
        finally:
            self.app.call_from_thread(self.start_search)  # whatever became of the samples, list what is there

    def _announce_samples(self, count: int) -> None:
        self.notify(
            f"Imported the {count} sample articles. To add your own, press i (or run: newsreader import PATH)",
            title="A new library",
            timeout=10,
        )

    def start_search(self) -> None:
        """Search for what is in the bar now, without waiting."""
        self._cancel_timer("search")
        self.run_search(self.search_bar.query_text, self.sort, self._searches.next())

    def refresh_list(self) -> None:
        """Search again for what is in the bar, the cursor staying on its article (the library changed)."""
        row = self.article_list.current_row
        self.run_search(self.search_bar.query_text, self.sort, self._searches.next(), row.id if row else None)

    @on(SearchBar.QueryChanged)
    def schedule_search(self, event: SearchBar.QueryChanged) -> None:
        """Search once typing pauses: a search per keystroke would only be thrown away."""
        # Nor preview the first row of a list the next keystroke replaces: loading and painting an
        # article then competed with the search for the final words.
        self._cancel_timer("preview")
        self._cancel_timer("count")
        self._debounce("search", SEARCH_DELAY, self.start_search)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, text: str, sort: str, generation: int, keep: str | None = None) -> None:
        """Run a search off the UI thread and hand the page back (`keep`: the article to leave the cursor on)."""
        if not text.strip() and keep is None:
            # The whole library, new on screen: a screenful at once, then every row (at 37,548 articles,
            # building them all took 0.1-0.25 s of the start-up). The cursor stays put in between.
            pages = self.library.listing(FIRST_ROWS)
            try:
                self.app.call_from_thread(self._show_page, next(pages), generation)
                if self._searches.is_latest(generation):  # else no one waits for the rest
                    self.app.call_from_thread(self._show_rest, next(pages), generation)
            finally:
                pages.close()
            return
        try:
            page = self.library.search(text, limit=self.settings.search_limit, sort=sort)
        except QueryError as error:
            self.app.call_from_thread(self._show_query_error, str(error), generation)
            return
        self.app.call_from_thread(self._show_page, page, generation, keep)

    def _show_query_error(self, message: str, generation: int) -> None:
        if self._searches.is_latest(generation):
            self.search_bar.show_error(message)

    def _show_page(self, page: SearchPage, generation: int, keep: str | None = None) -> None:
        if not self._searches.is_latest(generation):
            return  # a slow old search: a newer one has been asked for
        self.page, self._page_generation = page, generation
        searching = bool(page.query.strip())
        empty = "No matches" if searching else "The library is empty"
        self.article_list.show_rows(page.rows, searching, empty, keep)
        self.search_bar.show_status(self._status(page, searching))
        self._cancel_timer("count")
        if not page.exact:  # a full page: count every match once typing has rested
            self._debounce("count", COUNT_DELAY, lambda: self.count_matches(page.query, generation))
        if not self._frozen and (searching or len(page.rows) == page.total):  # not before the whole list
            self._frozen = True
            self.call_after_refresh(_freeze_startup_objects)

    def _show_rest(self, page: SearchPage, generation: int) -> None:
        """The whole list after its first rows: the cursor stays on the row the reader has moved it to."""
        row = self.article_list.current_row
        self._show_page(page, generation, row.id if row else None)

    @work(thread=True, exclusive=True, group="count", exit_on_error=False)
    def count_matches(self, query: str, generation: int) -> None:
        """Count every match of a page's query (a second pass over the index, hence after the page)."""
        total = self.library.count_matches(query)
        self.app.call_from_thread(self._show_count, total, generation)

    def _show_count(self, total: int, generation: int) -> None:
        if self.page is not None and generation == self._page_generation:  # its page is still shown
            self.page = replace(self.page, total=total, exact=True)
            self.search_bar.show_status(self._status(self.page, True))

    def _status(self, page: SearchPage, searching: bool) -> str:
        """The status line: how many matched, how many are listed, and the order."""
        if not searching:
            return f"{page.total:,} {'article' if page.total == 1 else 'articles'} · newest first"
        total, exact = page.total, page.exact
        if len(page.rows) < self.settings.search_limit:
            total, exact = len(page.rows), True  # short of the limit, the rows are all
        # Until counted, the total is a lower bound: "1,200+ matches".
        counted = f"{total:,}{'' if exact else '+'} {'match' if total == 1 and exact else 'matches'}"
        if len(page.rows) < total:
            counted += f" · {len(page.rows):,} listed"
        order = "by relevance" if self.sort == "relevance" else "newest first"
        return f"{counted} · {order} (s to change)"

    # -- excerpts ------------------------------------------------------------------------------

    @on(ArticleList.ExcerptsWanted)
    def fetch_excerpts(self, event: ArticleList.ExcerptsWanted) -> None:
        """Excerpts for the rows on screen, fetched in one batch."""
        if self.page is not None:
            self.load_excerpts(event.ids, self.page.highlighter, event.width, self._page_generation)

    @work(thread=True, group="excerpts", exit_on_error=False)
    def load_excerpts(self, ids: list[str], highlighter: Highlighter, width: int, generation: int) -> None:
        """Read the bodies and cut excerpts (with each article's match count)."""
        excerpts = self.library.excerpts(ids, highlighter, max(width, 20))
        self.app.call_from_thread(self._show_excerpts, excerpts, generation)

    def _show_excerpts(self, excerpts: dict[str, Excerpt], generation: int) -> None:
        if generation == self._page_generation:  # cut for the page still shown (with its query's matches)
            self.article_list.add_excerpts(excerpts)

    # -- reading -------------------------------------------------------------------------------

    @on(ArticleList.Highlighted)
    def preview_article(self, event: ArticleList.Highlighted) -> None:
        """Show the row under the cursor once the cursor rests, keeping the keyboard in the list; marked
        read when the user moved the cursor there (not when a new list merely starts on it)."""
        article_id, moved = event.row.id, event.moved
        self._debounce("preview", PREVIEW_DELAY, lambda: self.open_article(article_id, focus=False, mark_read=moved))

    @on(ArticleList.Selected)
    def read_article(self, event: ArticleList.Selected) -> None:
        """Show the chosen row now and move the keyboard into the reader."""
        self._cancel_timer("preview")
        self.open_article(event.row.id, focus=True)

    def open_article(self, article_id: str, focus: bool, mark_read: bool = True) -> None:
        """Show an article in the reading pane, its hits marked for the current search (if there is one),
        and mark it read once shown (unless asked not to)."""
        searching = self.page is not None and self.page.query.strip()
        self.reading.open(article_id, self.page.highlighter if searching else None, focus, mark_read)

    # -- the search bar's keys -----------------------------------------------------------------

    @on(SearchBar.Submitted)
    def leave_search_for_list(self) -> None:
        """Enter in the bar: search now if a search is pending, and go to the list."""
        if "search" in self._pending:
            self.start_search()
        self.article_list.focus()

    @on(SearchBar.Left)
    def return_to_list(self) -> None:
        """Escape on an empty bar: back to the list."""
        self.article_list.focus()

    # -- actions -------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """Put the keyboard in the search bar."""
        self.search_bar.focus_input()

    def action_toggle_sort(self) -> None:
        """Switch searches between relevance and newest first, and search again."""
        self.sort = SORTS[1 - SORTS.index(self.sort)]
        if not self.search_bar.query_text.strip():
            self.notify(f"Searches will be sorted by {self.sort}; the full list is always newest first")
        self.start_search()

    def action_next_hit(self) -> None:
        """Select the next search hit in the article."""
        self._go_to_hit(self.reader.next_hit)

    def action_previous_hit(self) -> None:
        """Select the previous search hit in the article."""
        self._go_to_hit(self.reader.previous_hit)

    def _go_to_hit(self, move: Callable[[], bool]) -> None:
        if not self.reader.hits:
            self.notify("No search matches in this article", severity="warning")
        elif not move():
            self.notify("No more matches", severity="warning")

    def action_open_in_browser(self) -> None:
        """Open the article's address (the reader's article, else the list's) in the web browser."""
        article = self.reader.article
        row = self.article_list.current_row
        url = article.url if article else (row.url if row else None)
        if not url:
            self.notify("This article has no address", severity="warning")
            return
        self.notify(f"Opening {url}", markup=False)
        self.open_url(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def open_url(self, url: str) -> None:
        """webbrowser can block while it starts a browser: keep it off the UI thread."""
        if not webbrowser.open(url):
            self.app.call_from_thread(self.notify, "No web browser could be started", severity="error")

    # -- passages and tags (the reading pane does the work) ------------------------------------

    def action_select_paragraph(self) -> None:
        """Select the paragraph under the reader's cursor."""
        self.reading.select_paragraph()

    def action_tag_selection(self) -> None:
        """Tag the selected passage."""
        self.reading.tag_selection()

    def action_next_passage(self) -> None:
        """Select the next tagged passage."""
        self.reading.next_passage()

    def action_previous_passage(self) -> None:
        """Select the previous tagged passage."""
        self.reading.previous_passage()

    def action_toggle_passages(self) -> None:
        """Show or hide the passages panel."""
        self.reading.toggle_panel()

    def action_undo_delete(self) -> None:
        """Bring back the passage deleted last."""
        self.reading.undo_delete()

    @on(ReadingPane.PassagesChanged)
    def refresh_after_tagging(self) -> None:
        """A search for a tag may find more, or fewer, articles now."""
        self.refresh_list()

    def action_show_tags(self) -> None:
        """Every tag with its count; choosing one lists the articles with it."""

        def chosen(tag: str | None) -> None:
            if tag:
                self.filter_by_tag(tag)

        self.app.push_screen(TagsScreen(self.tag_counts), chosen)

    def filter_by_tag(self, tag: str) -> None:
        """Search for the articles with a tag, and go to the list."""
        self.search_bar.input.value = tag_query(tag)
        self.start_search()
        self.article_list.focus()

    # -- citations -----------------------------------------------------------------------------

    def action_copy_citation(self, style: str | None = None) -> None:
        """Copy the open article's citation in the default style (or the one given)."""
        article = self.reader.article
        if article is None:
            self.notify(NO_ARTICLE, severity="warning")
            return
        text = self.library.citation(article, style or self.settings.citation_style, self.settings.citation_format)
        copy_text(self, text, self.settings.clipboard_timeout, "Citation copied")

    def action_copy_passage(self) -> None:
        """Copy the selected passage with its citation: the quote, the paragraph it is in, the entry."""
        selected = self.reading.selection()
        if selected is not None:
            article, (start, end) = selected
            text = self.library.citation(article, self.settings.citation_style, self.settings.citation_format, (start, end))
            copy_text(self, text, self.settings.clipboard_timeout, "Passage copied")

    def action_choose_style(self) -> None:
        """Pick a citation style: copy the article's citation in it, and keep it as the default."""
        if self.reader.article is None:
            self.notify(NO_ARTICLE, severity="warning")
            return

        def chosen(style: str | None) -> None:
            if style:
                self.settings = replace(self.settings, citation_style=style)
                self.app.settings = self.settings
                self.save_settings(self.settings)
                self.action_copy_citation()

        self.app.push_screen(StylePicker(citations.STYLE_NAMES, self.settings.citation_style), chosen)

    @work(thread=True, group="settings", exit_on_error=False)
    def save_settings(self, settings: Settings) -> None:
        """Write the settings file off the UI thread."""
        settings_file.save(settings)

    # -- exporting -------------------------------------------------------------------------------

    def action_export(self) -> None:
        """Ask for a file and a format, then write the tagged passages' export in the background."""

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer:
                self.write_export(*answer)

        self.app.push_screen(ExportDialog(), chosen)

    @work(thread=True, group="export", exit_on_error=False)
    def write_export(self, path: str, fmt: str) -> None:
        """Write the export as the CLI's `export -o` does, off the UI thread; say where and how many."""
        groups = self.library.passages_by_article()
        if not groups:
            self.app.call_from_thread(self.notify, "No tagged passages to export: nothing was written",
                                      severity="warning")
            return
        try:
            count = export.write(Path(path), groups, fmt, self.settings.citation_style)
        except OSError as error:  # a folder, a missing folder, no permission, a full disk
            self.app.call_from_thread(self.notify, f"Cannot write {path}: {error.strerror or error}",
                                      severity="error", markup=False)
            return
        entries = "entry" if count == 1 else "entries"
        self.app.call_from_thread(self.notify, f"Wrote {count} {entries} to {path}", markup=False)

    # -- correcting an article's details ---------------------------------------------------------

    def action_edit_article(self) -> None:
        """Correct the title, author, source or date of the open article, else of the list's current row."""
        article = self.reader.article
        row = self.article_list.current_row
        article_id = article.id if article else (row.id if row else None)
        if article_id is None:
            self.notify("Choose an article first (a row of the list, or open one)", severity="warning")
            return
        self.read_for_editing(article_id)

    @work(thread=True, group="edit", exit_on_error=False)
    def read_for_editing(self, article_id: str) -> None:
        """Read the article as it shows now and its corrections (off the UI thread), then ask."""
        article = self.library.get(article_id)
        corrections = self.library.corrections(article_id) if article else {}
        self.app.call_from_thread(self._ask_for_corrections, article_id, article, corrections)

    def _ask_for_corrections(self, article_id: str, article: Article | None, corrections: dict[str, Correction]) -> None:
        if article is None:
            self.notify(f"The article {article_id} is no longer in the library", severity="warning", markup=False)
            return

        def chosen(choice: EditChoice | None) -> None:
            if choice is None:
                return
            if not choice:
                self.notify("Nothing changed")
                return
            self.save_corrections(article.id, choice)

        self.app.push_screen(EditDialog(article, corrections), chosen)

    @work(thread=True, group="edit", exit_on_error=False)
    def save_corrections(self, article_id: str, choice: EditChoice) -> None:
        """Save the corrections (SQLite, then the article's index entry) off the UI thread."""
        undone = self.library.undo_edit(article_id, choice.undo) if choice.undo else []
        changed = self.library.edit(article_id, **choice.values) if choice.values else []
        self.app.call_from_thread(self._corrections_saved, changed, undone)

    def _corrections_saved(self, changed: list[str], undone: list[str]) -> None:
        """Show the corrected values at once in the list and the reader (the watcher would, a few seconds later)."""
        if not changed and not undone:
            self.notify("Nothing changed")
            return
        self.refresh_list()
        self.reading.reload()
        said = ([f"Corrected: {', '.join(changed)}"] if changed else []) + (
            [f"Imported value restored: {', '.join(undone)}"] if undone else [])
        self.notify("\n".join(said))

    # -- importing and watching ------------------------------------------------------------------

    def action_import(self) -> None:
        """Ask for a file or folder and import it in the background."""
        bar = self.query_one(ImportBar)
        if bar.running:
            self.notify("An import is already running; wait for it to finish", severity="warning")
            return

        def chosen(path: str | None) -> None:
            if path:
                bar.start(path, self.library.home)

        self.app.push_screen(ImportDialog(), chosen)

    @on(ImportBar.Progressed)
    @on(ImportBar.Finished)
    @on(RefreshBar.Progressed)
    @on(RefreshBar.Finished)
    def look_for_new_articles(self) -> None:
        """While an import or a refresh runs, list its articles as they are committed."""
        self.query_one(LibraryWatcher).look_soon()

    @on(LibraryWatcher.Changed)
    def show_changes(self) -> None:
        """Articles or passages were committed (by an import, or another copy): list them, keeping the
        cursor, and read the open article again (its text may have changed with its passages)."""
        self.refresh_list()
        self.reading.reload()

    # -- feeds and links -------------------------------------------------------------------------

    def action_show_feeds(self) -> None:
        """The feeds with their counts and last errors; choosing one lists its articles."""
        self.read_feeds()

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def read_feeds(self) -> None:
        """Read the feeds and their counts off the UI thread, then show them."""
        feeds = self.library.feeds()
        self.app.call_from_thread(self._show_feeds, feeds)

    def _show_feeds(self, feeds: list[Feed]) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self.filter_by_feed(name)

        self.app.push_screen(FeedsScreen(feeds), chosen)

    def filter_by_feed(self, name: str) -> None:
        """Search for a feed's articles (the bar shows the query, to be read and changed), and go to the list."""
        self.search_bar.input.value = feed_query(name)
        self.start_search()
        self.article_list.focus()

    def action_refresh_feeds(self) -> None:
        """Refresh every feed in the background; one refresh at a time."""
        if self.query_one(RefreshBar).running:
            self.notify("The feeds are being refreshed already; the bar below shows how far", severity="warning")
            return
        self.start_refresh(quiet=False)

    def refresh_on_timer(self) -> None:
        """The refresh interval has passed: refresh, unless one runs already (or there are no feeds)."""
        if not self.query_one(RefreshBar).running:
            self.start_refresh(quiet=True)

    @work(thread=True, group="refresh-start", exit_on_error=False)
    def start_refresh(self, quiet: bool) -> None:
        """Whether there are feeds (off the UI thread: SQLite), then the refresh, in a subprocess."""
        has_feeds = bool(self.library.feeds())
        self.app.call_from_thread(self._start_refresh, has_feeds, quiet)

    def _start_refresh(self, has_feeds: bool, quiet: bool) -> None:
        bar = self.query_one(RefreshBar)
        if bar.running:
            return  # started in between (a key pressed twice, or the timer)
        if not has_feeds:
            if not quiet:
                self.notify(NO_FEEDS, severity="warning")
            return
        bar.refresh_feeds(self.library.home, quiet)

    def action_add_link(self) -> None:
        """Ask for a web page's address, then save its article in the background."""

        def chosen(urls: list[str] | None) -> None:
            if urls:
                self.query_one(RefreshBar).add_links(urls, self.library.home)

        self.app.push_screen(AddLinkDialog(), chosen)

    # -- help ------------------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys and the query syntax."""
        palette = Binding(self.app.COMMAND_PALETTE_BINDING, "app.command_palette", "Command palette")
        sections = [("Anywhere", [*MainScreen.BINDINGS, *self.app.BINDINGS, palette]), ("Search bar", QueryInput.BINDINGS)]
        side = [("Article list", ArticleList.BINDINGS), ("Passages panel (p)", PassagesPanel.BINDINGS)]
        self.app.push_screen(HelpScreen(sections, self.settings.keys, side))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Leave "Search" out of the footer while the search bar already has the keyboard."""
        return not (action == "focus_search" and self.focused is self.search_bar.input)

    # -- failures ------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Any of this screen's workers that failed: say so."""
        report_failure(self, event)

    # -- timers ----------------------------------------------------------------------------------

    def _debounce(self, name: str, delay: float, callback: Callable[[], object]) -> None:
        """Run callback after delay, unless asked again before then (the newer request wins)."""
        self._cancel_timer(name)

        def fire() -> None:
            self._pending.pop(name, None)
            callback()

        self._pending[name] = self.set_timer(delay, fire)

    def _cancel_timer(self, name: str) -> None:
        timer = self._pending.pop(name, None)
        if timer is not None:
            timer.stop()


def _freeze_startup_objects() -> None:
    """Leave what start-up built (widgets, styles, the whole library's list) out of Python's full
    garbage collections: each of those walked it all and stalled a search now and then by 50-70 ms
    at 37,548 articles. Garbage is collected first, so only live objects are frozen; frozen objects
    are still freed when nothing refers to them."""
    gc.collect()
    gc.freeze()

