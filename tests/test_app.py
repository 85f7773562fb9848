"""The reader app, driven the way a user drives it: keys in, widget state and screen text out."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Input, Static

from conftest import LONG_ID, MARKUP_TITLE, SIZE, TEST_ARTICLES, Notes, row_ids, search, settle
from tui_reader.app.app import NewsReaderApp
from tui_reader.app.article_list import ArticleList
from tui_reader.app.dialogs.help_screen import HelpScreen
from tui_reader.app.main_screen import MainScreen
from tui_reader.app.reading.article_view import ArticleView
from tui_reader.app.reading.body_view import BodyView
from tui_reader.core.articles import Article
from tui_reader.core.library import Library
from tui_reader.core.articles import ArticleRow

ARTICLES = {record["id"]: record for record in TEST_ARTICLES}

pytestmark = pytest.mark.usefixtures("short_delays")


NARROW = (80, 24)
LONG_SOURCE = "The Northern Harbour, Ferry and Coastal Shipping Gazette"
# Rows the test articles lack: undated ones (with and without any name) and a long publication name.
LAYOUT_ARTICLES = [
    {"id": "test-undated", "title": "Minutes found in a drawer", "body": "Undated minutes of the harbour board."},
    {"id": "test-undated-source", "title": "Letters to the harbour master", "source": "Harbour News",
     "body": "Letters, none of them dated."},
    {"id": "test-long-source", "title": "Ferry fares rise", "source": LONG_SOURCE, "date": "2021-06-01",
     "body": "The ferry fares rise in June."},
]


def list_text(article_list: ArticleList) -> list[str]:
    """The list's painted lines as plain text."""
    return [article_list.render_line(y).text.rstrip() for y in range(article_list.scrollable_content_region.height)]


def painted_lines(widget) -> list[str]:
    """A widget's lines as painted (wrapped at its width), trailing spaces removed."""
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))]


def help_text(screen) -> str:
    """Every line of the help as painted."""
    return "\n".join(line for static in screen.query(Static) for line in painted_lines(static))


@pytest.fixture
def layout_home(fixed_library_home, tmp_path):
    """The test articles and the layout articles: undated rows and a long publication name."""
    source = tmp_path / "layout.jsonl"
    source.write_text("".join(json.dumps(record) + "\n" for record in LAYOUT_ARTICLES), encoding="utf-8")
    library = Library.open()
    try:
        assert not library.import_paths([source]).rejected
    finally:
        library.close()
    return fixed_library_home


@pytest.fixture
def app(library_home) -> NewsReaderApp:
    """The app on an isolated library of the test articles and the samples."""
    return NewsReaderApp()


# -- searching ---------------------------------------------------------------------------------


async def test_opens_with_every_article_newest_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert len(row_ids(app)) == 12
        dates = [row.date for row in screen.article_list.rows if row.date]
        assert dates == sorted(dates, reverse=True)
        assert "12 articles" in str(screen.search_bar.query_one("#search-status").render())
        assert app.focused is screen.article_list


async def test_the_first_rows_show_before_the_rest_and_the_cursor_stays_where_it_was_moved(app, monkeypatch):
    import threading

    from tui_reader.app import main_screen
    from tui_reader.core.library import Library

    monkeypatch.setattr(main_screen, "FIRST_ROWS", 5)
    rest_may_come = threading.Event()
    listing = Library.listing

    def held_listing(self, first):
        pages = listing(self, first)
        yield next(pages)
        rest_may_come.wait(10)  # the rest is still being read while the reader moves the cursor
        yield from pages

    monkeypatch.setattr(Library, "listing", held_listing)
    async with app.run_test(size=SIZE) as pilot:
        while len(row_ids(app)) != 5:
            await pilot.pause(0.01)
        screen = app.screen
        assert "12 articles" in str(screen.search_bar.query_one("#search-status").render())
        await pilot.press("j", "j")
        moved_to = screen.article_list.current_row.id
        rest_may_come.set()
        await settle(pilot)
        assert len(row_ids(app)) == 12
        assert row_ids(app)[:5] == [row.id for row in app.library.search("").rows[:5]]
        assert screen.article_list.current_row.id == moved_to
        assert screen.reader.article.id == moved_to


async def test_typing_a_query_lists_the_matches(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"tide")
        await settle(pilot)
        assert row_ids(app) == ["test-tide-many", LONG_ID, "test-tide-once"]
        status = str(app.screen.search_bar.query_one("#search-status").render())
        assert "3 matches" in status and "relevance" in status


async def test_a_full_page_says_at_least_how_many_matched_then_counts_them_all(library_home, monkeypatch):
    from tui_reader.app import main_screen
    from tui_reader.settings import Settings

    monkeypatch.setattr(main_screen, "COUNT_DELAY", 0.3)
    app = NewsReaderApp(settings=Settings(search_limit=2))  # "tide" matches 3 articles
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tide")
        status = lambda: str(app.screen.search_bar.query_one("#search-status").render())
        assert len(row_ids(app)) == 2
        assert "+ matches · 2 listed" in status()  # a lower bound until counted
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert status().startswith("3 matches · 2 listed") and app.screen.page.exact


async def test_search_rows_show_hit_counts_and_excerpts_with_the_matches(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tide")
        await settle(pilot)
        lines = list_text(app.screen.article_list)
        assert lines[0].strip() == ARTICLES["test-tide-many"]["title"]
        assert lines[1].strip() == "Harbour News · 2018-07-01 · 4 hits"
        assert lines[2].strip().startswith("The tide turned at noon.")
        excerpt = app.screen.article_list.render_line(2)
        marked = [segment.text for segment in excerpt if segment.style and segment.style.bold]
        assert marked == ["tide", "tide"]  # as many as fit the width of the pane


async def test_a_malformed_query_shows_the_error_in_the_bar_and_keeps_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tide")
        before = row_ids(app)
        await pilot.press(*' "ha')
        await settle(pilot)
        status = app.screen.search_bar.query_one("#search-status")
        assert "unbalanced quote" in str(status.render())
        assert status.has_class("-error")
        assert row_ids(app) == before
        await pilot.press('"')
        await settle(pilot)
        assert not status.has_class("-error")


async def until(pilot, condition, what: str) -> None:
    """Let the app run until a condition holds (for tests that hold a worker back, where settle would wait
    for that worker too); fail, saying what was awaited, if it never does."""
    for _ in range(1000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def held(monkeypatch, name: str, first_only: bool = True):
    """Hold back Library.<name> (the first call, or every one) until the returned event is set;
    `started` is set when a held call has begun."""
    import threading

    release, started = threading.Event(), threading.Event()
    original = getattr(Library, name)

    def holding(self, *args, **kwargs):
        if not (first_only and started.is_set()):
            started.set()
            release.wait(30)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Library, name, holding)
    return release, started


async def test_a_late_result_for_an_old_query_is_dropped(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        release, started = held(monkeypatch, "search")
        await pilot.press("slash")
        app.screen.search_bar.input.value = "rates"
        await until(pilot, started.is_set, "the search for rates began")
        app.screen.search_bar.input.value = "tide"  # typed on while that search is slow
        await until(pilot, lambda: row_ids(app) == ["test-tide-many", LONG_ID, "test-tide-once"], "the tide list")
        release.set()  # the old search finishes now
        await settle(pilot)
        assert row_ids(app) == ["test-tide-many", LONG_ID, "test-tide-once"]
        assert notes.messages == []  # dropped, not failed


async def test_late_excerpts_for_a_list_no_longer_shown_are_dropped(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        release, started = held(monkeypatch, "excerpts")
        await pilot.press("slash")
        app.screen.search_bar.input.value = "tide"
        await until(pilot, started.is_set, "the tide list asked for its excerpts")
        app.screen.search_bar.input.value = "harbour"
        article_list = app.screen.article_list
        row = lambda: row_ids(app).index("test-tide-once") if "test-tide-once" in row_ids(app) else -1
        marked = lambda: [s.text for s in article_list.render_line(row() * 3 + 2) if s.style and s.style.bold]
        # (the tide list shows no excerpts: they are held back)
        await until(pilot, lambda: app.screen.page.query == "harbour" and row() >= 0 and marked(),
                    "the harbour list's excerpts")
        release.set()  # the tide list's excerpts come now
        await settle(pilot)
        assert marked() == ["harbour"]  # not "tide": that list is gone


async def test_a_late_count_for_a_page_no_longer_shown_is_dropped(library_home, monkeypatch):
    from tui_reader.app import main_screen
    from tui_reader.settings import Settings

    monkeypatch.setattr(main_screen, "COUNT_DELAY", 0.01)
    app = NewsReaderApp(settings=Settings(search_limit=2))  # "tide" matches 3 articles: counted after the page
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        release, started = held(monkeypatch, "count_matches")
        status = lambda: str(app.screen.search_bar.query_one("#search-status").render())
        await pilot.press("slash")
        app.screen.search_bar.input.value = "tide"
        await until(pilot, started.is_set, "the tide matches being counted")
        app.screen.search_bar.input.value = "sailings"
        await until(pilot, lambda: row_ids(app) == ["test-tide-once"], "the list for sailings")
        release.set()  # the count of tide's page comes now
        await settle(pilot)
        assert status().startswith("1 match ·") and app.screen.page.total == 1


async def test_s_switches_between_relevance_and_date(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tide")
        await pilot.press("enter", "s")  # to the list, then sort
        await settle(pilot)
        assert row_ids(app) == ["test-tide-once", LONG_ID, "test-tide-many"]
        assert "newest first" in str(app.screen.search_bar.query_one("#search-status").render())
        await pilot.press("s")
        await settle(pilot)
        assert row_ids(app) == ["test-tide-many", LONG_ID, "test-tide-once"]


async def test_a_failing_search_is_reported_and_the_app_carries_on(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)

        def broken(*args, **kwargs):
            raise RuntimeError("the index is unreadable")

        monkeypatch.setattr(app.library, "search", broken)
        await search(pilot, "tide")
        assert "the index is unreadable" in notes.text()
        assert app.is_running and len(row_ids(app)) == 12


# -- the search bar's keys -------------------------------------------------------------------------


async def test_slash_and_ctrl_f_focus_the_bar_and_enter_goes_to_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar_input = app.screen.search_bar.input
        await pilot.press("slash")
        assert app.focused is bar_input
        await pilot.press("tab")
        await pilot.press("ctrl+f")
        assert app.focused is bar_input
        await pilot.press("enter")
        assert app.focused is app.screen.article_list


async def test_escape_in_the_bar_clears_it_then_returns_to_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tide")
        await pilot.press("escape")
        assert app.screen.search_bar.query_text == ""
        assert app.focused is app.screen.search_bar.input
        await settle(pilot)
        assert len(row_ids(app)) == 12
        await pilot.press("escape")
        assert app.focused is app.screen.article_list


async def test_letters_that_are_keys_elsewhere_are_typed_in_the_bar(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "q", "s", "n", "question_mark")
        assert app.is_running
        assert app.screen.search_bar.query_text == "qsn?"
        assert not isinstance(app.screen, HelpScreen)


# -- the list --------------------------------------------------------------------------------------


async def test_list_keys_move_the_cursor_and_keep_it_on_screen(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_list = app.screen.article_list
        await pilot.press("j", "j", "down")
        assert article_list.cursor == 3
        await pilot.press("k", "up")
        assert article_list.cursor == 1
        await pilot.press("G")
        assert article_list.cursor == 11
        await pilot.press("g")
        assert article_list.cursor == 0
        await pilot.press("end")
        assert article_list.cursor == 11
        await pilot.press("home", "pagedown")
        assert article_list.cursor > 1
        await pilot.press("pageup")
        assert article_list.cursor == 0


async def test_moving_the_cursor_previews_the_article_without_taking_the_keyboard(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        expected = app.screen.article_list.rows[1].id
        assert app.screen.reader.article.id == expected
        assert app.focused is app.screen.article_list


async def test_typing_cancels_the_pending_preview_of_the_list_it_replaces(app, monkeypatch):
    from tui_reader.app import main_screen

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        monkeypatch.setattr(main_screen, "PREVIEW_DELAY", 0.3)
        monkeypatch.setattr(main_screen, "SEARCH_DELAY", 0.6)  # the old list's preview would come first
        opened = []
        load = screen.open_article
        monkeypatch.setattr(screen, "open_article", lambda article_id, focus, **options: (
            opened.append(article_id), load(article_id, focus, **options)))
        await pilot.press("j")  # the preview of the second row now waits for the cursor to rest
        passed_over = screen.article_list.rows[1].id
        screen.search_bar.input.value = "rates"  # typing: that list is about to be replaced
        await pilot.pause(1.0)
        await settle(pilot)
        assert screen.article_list.rows[0].id != passed_over
        assert passed_over not in opened
        assert opened == [screen.article_list.rows[0].id]  # the new list's first row, once typing rested


async def test_enter_opens_the_article_in_the_reader_and_focuses_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "rates")
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.screen.reader
        assert reader.article.id == "test-markup"
        assert reader.body.text == ARTICLES["test-markup"]["body"]
        header = str(reader.query_one("#reader-header").render())
        assert header.splitlines() == [
            MARKUP_TITLE,
            "By Ann [i]Lee[/i]",
            "The [red]Daily[/red] · 2020-01-02",
            "https://example.com/rates",
        ]
        assert isinstance(app.focused, BodyView)


async def test_an_article_read_again_while_it_opens_is_shown_once_with_the_keyboard(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        release, started = held(monkeypatch, "reading")
        wanted = app.screen.article_list.rows[0].id
        await pilot.press("enter")
        await until(pilot, started.is_set, "the article being read")
        app.screen.reading.reload()  # the library changed meanwhile: read it again (not held)
        await until(pilot, lambda: isinstance(app.focused, BodyView), "the article shown, with the keyboard")
        release.set()  # the first read ends now, after the second: dropped
        await settle(pilot)
        assert app.screen.reader.article.id == wanted
        assert isinstance(app.focused, BodyView)  # enter asked for the keyboard to go to the text


async def test_a_click_on_a_row_opens_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(ArticleList, offset=(5, 3))  # row 1: two lines per row, below the border
        await settle(pilot)
        assert app.screen.article_list.cursor == 1
        assert app.screen.reader.article.id == app.screen.article_list.rows[1].id


async def test_markup_in_titles_and_names_is_shown_literally(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "rates")
        lines = list_text(app.screen.article_list)
        assert lines[0].strip() == MARKUP_TITLE
        assert lines[1].strip().startswith("The [red]Daily[/red] · 2020-01-02")


async def test_tab_moves_between_the_panes(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert app.focused is screen.article_list
        await pilot.press("tab")
        assert app.focused is screen.reader.body
        await pilot.press("tab")
        assert app.focused is screen.search_bar.input
        await pilot.press("tab")
        assert app.focused is screen.article_list
        await pilot.press("shift+tab")
        assert app.focused is screen.search_bar.input


# -- the reader ------------------------------------------------------------------------------------


async def test_n_and_shift_n_select_the_hits_in_turn_and_say_when_there_are_no_more(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await search(pilot, "tide")
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.screen.reader
        body = reader.article.body
        hits = list(reader.hits)
        assert len(hits) == 4
        for expected in hits:
            await pilot.press("n")
            assert reader.selection_offsets == expected
            assert body[slice(*expected)].lower() == "tide"
        await pilot.press("n")
        assert reader.selection_offsets == hits[-1]
        assert "No more matches" in notes.text()
        await pilot.press("N", "N")
        assert reader.selection_offsets == hits[1]
        assert "match 2 of 4" in str(reader.query_one("#reader-hits").render())


async def test_a_75000_character_article_opens_whole_and_its_hits_map_to_the_body(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tide")
        await pilot.press("enter", "j", "enter")
        await settle(pilot)
        reader = app.screen.reader
        assert reader.article.id == LONG_ID
        assert len(reader.article.body) == 75_000
        assert reader.body.text == reader.article.body == ARTICLES[LONG_ID]["body"]
        last = reader.hits[-1]
        reader.select_offsets(*last)
        assert reader.body.selected_text == reader.article.body[slice(*last)]
        number, (start, end) = reader.paragraph_at_cursor
        assert reader.article.body.count("\n\n", 0, start) == number - 1
        assert start <= last[0] < end


async def test_the_reader_reports_the_selection_and_paragraph_as_body_offsets(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "rates")
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.screen.reader
        body = reader.article.body
        start = body.index("[b]not bold[/b]")
        reader.select_offsets(start, start + len("[b]not bold[/b]"))
        assert reader.body.selected_text == "[b]not bold[/b]"
        assert reader.selection_offsets == (start, start + 15)
        assert reader.paragraph_at_cursor == (2, (body.index("A second"), len(body)))


async def test_n_says_so_when_the_article_has_no_hits(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        assert "No search matches in this article" in notes.text()


async def test_reader_offsets_stay_in_step_with_the_body_across_unusual_line_breaks():
    body = "First line\u2028still the first paragraph.\n\nSecond paragraph with a word."

    class ReaderApp(App):
        def compose(self) -> ComposeResult:
            yield ArticleView()

    app = ReaderApp()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(ArticleView)
        reader.show(Article("a", "A", body), hits=[(body.index("word"), body.index("word") + 4)])
        await pilot.pause()
        assert len(reader.body.text) == len(body)
        start = body.index("still")
        reader.select_offsets(start, start + 5)
        assert reader.selection_offsets == (start, start + 5)
        assert reader.body.selected_text == "still"
        assert reader.paragraph_at_cursor == (1, (0, body.index("\n\n")))
        assert reader.next_hit() and reader.body.selected_text == "word"
        assert not reader.next_hit()
        reader.clear()
        assert reader.article is None and reader.body.text == "" and not reader.hits


async def test_o_opens_the_address_in_a_browser_or_says_there_is_none(app, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await search(pilot, "rates")
        await pilot.press("enter", "o")
        await settle(pilot)
        assert opened == ["https://example.com/rates"]
        await search(pilot, "ferry")
        await pilot.press("enter", "o")
        await settle(pilot)
        assert opened == ["https://example.com/rates"]
        assert "has no address" in notes.text()


# -- the rest ----------------------------------------------------------------------------------------


async def test_question_mark_opens_help_with_every_key_and_escape_closes_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = help_text(help_screen)
        for keys, name in [("/, ^f", "Focus search"), ("s", "Toggle sort"), ("n", "Next hit"),
                           ("j, ↓", "Down"), ("esc", "Clear / leave"), ("q, ^q", "Quit")]:
            assert any(line.startswith(keys + " ") and name in line for line in text.splitlines()), (keys, name)
        assert "date:[2013-01 to 2014-06]" in text and "tag:" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_keys_follow_the_keymap_in_the_settings(library_home, tmp_path):
    (tmp_path / "config.toml").write_text('[keys]\nhelp = "f1"\n', encoding="utf-8")
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app.screen)
        assert any(line.startswith("f1 ") and "Help" in line for line in text.splitlines())


async def test_the_command_palette_runs_actions_by_name(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "tide")
        await pilot.press("enter", "ctrl+p", *"sort")
        await pilot.pause()  # the palette searches its providers in the background
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sort == "date"
        assert row_ids(app)[0] == "test-tide-once"


async def test_q_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_an_empty_library_gets_the_samples_and_says_so(isolated_home):
    app = NewsReaderApp()
    notes = Notes(app)  # before the app starts: the samples can be in before the first await
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(row_ids(app)) == 8
        assert "Imported the 8 sample articles" in notes.text()
        assert "newsreader import PATH" in notes.text()


async def test_problems_in_the_settings_are_reported_and_defaults_used(library_home, tmp_path):
    (tmp_path / "config.toml").write_text('search_limit = "many"\ntheme = "no-such-theme"\n', encoding="utf-8")
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert 'search_limit = "many" is not allowed (a whole number from 1 to 10,000); using 100' in notes.text()
        assert 'theme = "no-such-theme" is not a theme (choose from ' in notes.text()
        assert len(row_ids(app)) == 12


async def test_a_library_that_cannot_be_opened_ends_the_app_with_an_error(isolated_home):
    isolated_home.write_text("not a folder", encoding="utf-8")
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 1


async def test_the_list_stays_usable_with_40000_rows():
    rows = [ArticleRow(f"id-{n}", f"Title {n}", None, "Source", "2020-01-01", None) for n in range(40_000)]

    class ListApp(App):
        CSS = "ArticleList { height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield ArticleList()

    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        article_list = app.query_one(ArticleList)
        article_list.show_rows(rows, searching=False)
        article_list.focus()
        await pilot.press("G")
        await pilot.pause()
        assert article_list.cursor == 39_999
        assert "Title 39999" in "\n".join(list_text(article_list))
        await pilot.press("pageup")
        assert article_list.cursor < 39_999


# -- layout ------------------------------------------------------------------------------------------


async def test_no_matches_is_indented_as_the_rows_are():
    app = NewsReaderApp()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        titles = list_text(app.screen.article_list)[0]
        await search(pilot, "zebras")
        lines = list_text(app.screen.article_list)
        assert lines[1].lstrip() == "No matches"
        # One column off the border, as every title is (not touching it).
        assert lines[1].index("No") == len(titles) - len(titles.lstrip()) == 1


async def test_an_undated_row_says_so_rather_than_leave_a_blank_line(layout_home):
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = list_text(app.screen.article_list)
        meta = {row.id: lines[2 * number + 1].strip() for number, row in enumerate(app.screen.article_list.rows)}
        assert meta["test-undated"] == "undated"
        assert meta["test-undated-source"] == "Harbour News · undated"
        assert meta["test-tide-once"] == "Harbour News · 2021-03-01"
        assert all(meta.values())


async def test_a_narrow_list_cuts_the_name_and_keeps_the_date(layout_home):
    app = NewsReaderApp()
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        article_list = app.screen.article_list
        lines = list_text(article_list)
        meta = {row.id: lines[2 * number + 1] for number, row in enumerate(article_list.rows)}
        width = article_list.scrollable_content_region.width
        assert len(meta["test-long-source"]) == width - 1  # a cell clear of the border, as on the left
        assert meta["test-long-source"].endswith("… · 2021-06-01")
        assert meta["test-long-source"].startswith(" " + LONG_SOURCE[:10])
        assert meta["test-markup"].endswith("… · 2020-01-02")  # "The [red]Daily[/red]" does not fit beside it
        await search(pilot, "harbour")  # with the hit count too
        lines = list_text(article_list)
        row = [row.id for row in article_list.rows].index("test-tide-once")
        assert lines[3 * row + 1] == " Harbou… · 2021-03-01 · 1 hit"


@pytest.mark.parametrize("size", [NARROW, (120, 45), SIZE], ids=["80x24", "120x45", "160x45"])
async def test_the_help_columns_stand_apart_and_descriptions_wrap_in_their_column(library_home, size):
    app = NewsReaderApp()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        keys, more = (screen.query_one(f"#help-{name}").virtual_region for name in ("keys", "more"))
        if keys.y < more.bottom and more.y < keys.bottom:  # side by side
            assert more.x - keys.right >= 2
        else:
            assert more.y >= keys.bottom
        wrapped = 0
        for table in screen.query(".help-table"):
            lines = [line for line in painted_lines(table) if line]
            # A row is its keys, three spaces or more, its description; a description's next lines
            # start where it did, under it, never under the keys.
            starts = {len(line) - len(line.split("   ", 1)[1].lstrip()) for line in lines if "   " in line.lstrip()}
            assert len(starts) == 1, lines
            column = starts.pop()
            for line in lines:
                if line.startswith(" "):
                    wrapped += 1
                    assert len(line) - len(line.lstrip()) == column, lines
                else:
                    assert "   " in line, lines
        if size == (120, 45):
            assert wrapped  # two columns of ~50 cells: long descriptions do wrap here


# -- snapshots ------------------------------------------------------------------------------------


def _quiet(app: App) -> None:
    """No blinking cursors in a snapshot."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(BodyView):
        widget.cursor_blink = False


def _snapshot_steps(keys: Sequence[str]):
    async def run_before(pilot) -> None:
        await settle(pilot)
        _quiet(pilot.app)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


def test_snapshot_main_screen(fixed_library_home, snap_compare):
    assert snap_compare(NewsReaderApp(), terminal_size=SIZE, run_before=_snapshot_steps([]))


def test_snapshot_search(fixed_library_home, snap_compare):
    keys = ["slash", *"tide", "enter", "enter", "n"]
    assert snap_compare(NewsReaderApp(), terminal_size=SIZE, run_before=_snapshot_steps(keys))


def test_snapshot_help(fixed_library_home, snap_compare):
    assert snap_compare(NewsReaderApp(), terminal_size=SIZE, run_before=_snapshot_steps(["question_mark"]))


def test_snapshot_main_screen_80x24(layout_home, snap_compare):
    assert snap_compare(NewsReaderApp(), terminal_size=NARROW, run_before=_snapshot_steps([]))


def test_snapshot_help_80x24(fixed_library_home, snap_compare):
    assert snap_compare(NewsReaderApp(), terminal_size=NARROW, run_before=_snapshot_steps(["question_mark"]))
