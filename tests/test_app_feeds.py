"""Feeds and links in the app: the feeds view, refreshing in the background (a `newsreader fetch`
subprocess reading a feed from a loopback server), the refresh interval, adding a link, and marking
what was read. Every feed and page here is written for the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from conftest import SIZE, Notes, row_ids, settle
from httpd import Reply, Server, serving
from test_app import help_text
from tui_reader import settings as settings_file
from tui_reader.app import main_screen
from tui_reader.app.app import NewsReaderApp, binding_places
from tui_reader.app.dialogs.add_link import AddLinkDialog, check_links
from tui_reader.app.dialogs.feeds_screen import FeedsScreen, FeedTable, fetched_at
from tui_reader.app.keymap import check_keymap
from tui_reader.app.main_screen import MainScreen
from tui_reader.app.refreshing import RefreshBar, progress_line, refresh_digest
from tui_reader.core.library import Library, feed_query
from tui_reader.core.progress import FeedResult, FetchProgress, FetchReport

pytestmark = pytest.mark.usefixtures("short_delays")

FEED_NAME = "Harbour Wire"
WAIT_STEPS = 400  # pauses of 0.05 s: a bounded wait of 20 s for a subprocess on a loaded machine

# Invented stories, newer than every article of the test library (so that they list at the top).
STORIES = [
    ("wire-1", "Ferry timetable extended into autumn", "Tue, 03 Jun 2025 08:00:00 +0000"),
    ("wire-2", "Pilot boats repainted in harbour colours", "Wed, 04 Jun 2025 08:00:00 +0000"),
    ("wire-3", "Lock gates reopen after the spring repairs", "Thu, 05 Jun 2025 08:00:00 +0000"),
    ("wire-4", "Fish market moves to the north quay", "Fri, 06 Jun 2025 08:00:00 +0000"),
]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Tide gauge installed at the old pier | Coast Courier</title>
<meta property="og:title" content="Tide gauge installed at the old pier">
<meta name="author" content="Mira Holm">
<meta property="article:published_time" content="2025-05-20T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Tide gauge installed at the old pier</h1>
<p>A new tide gauge was bolted to the old pier on Monday, replacing the wooden board that the harbour
master had read by eye since the pier was built. The gauge sends a reading every minute.</p>
<p>Skippers will be able to see the water level on a board by the ferry ramp, and the readings will be
kept by the harbour office, which plans to publish a monthly summary for the sailing club.</p>
<p>The old board, its paint worn away at the spring-tide marks, is to be given to the town museum,
where it will hang beside the first lighthouse lamp and a chart of the harbour drawn in 1893.</p>
<p>Work on a second gauge at the mouth of the river is planned for the autumn, once the dredging of
the channel is finished and the new marker buoys are in place.</p>
</article>
<footer>Coast Courier, an invented paper for tests</footer>
</body></html>
"""


def rss(stories: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of the stories, each with a whole text (so that no page is fetched for it)."""
    items = "".join(
        f"<item><title>{title}</title><link>https://news.invalid/{guid}</link><guid>{guid}</guid>"
        f"<pubDate>{date}</pubDate><description>{title}. The harbour office confirmed it on the day, "
        f"and the sailing club posted the notice at the slipway.</description></item>"
        for guid, title, date in stories
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Wire</title>'
            f"<link>https://news.invalid/</link><description>Invented harbour news</description>{items}"
            f"</channel></rss>").encode()


def feed_reply(stories: list[tuple[str, str, str]]) -> Reply:
    """The feed as a server sends it."""
    return Reply(body=rss(stories), headers={"Content-Type": "application/rss+xml; charset=utf-8"})


@pytest.fixture
def server() -> Server:
    """A loopback server with the first two stories at /feed.xml and an article page at /story.html."""
    with serving({"/feed.xml": feed_reply(STORIES[:2]),
                  "/story.html": Reply(body=PAGE.encode(), headers={"Content-Type": "text/html; charset=utf-8"})}) as running:
        yield running


def follow(home: Path, url: str, name: str = FEED_NAME, fetch: bool = True) -> None:
    """Follow a feed in the test library (and read it once), as `newsreader feeds add` and `fetch` would."""
    library = Library.open(home)
    try:
        library.add_feed(url, name=name, full_text="never")
        if fetch:
            library.fetch([name])
    finally:
        library.close()


async def wait_for(pilot, condition: Callable[[], bool]) -> None:
    """Pause until condition holds (the app runs meanwhile), at most WAIT_STEPS times: a subprocess takes
    its time, and no fixed sleep is long enough on a loaded machine or short enough on an idle one."""
    for _ in range(WAIT_STEPS):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "the app did not get there in time"


def feeds_view_ready(app) -> bool:
    """Whether the feeds view is up and filled (its table is filled once the screen is mounted)."""
    screen = app.screen
    if not isinstance(screen, FeedsScreen):
        return False
    if not screen.feeds:
        return bool(screen.query("#feeds-empty"))
    tables = screen.query(FeedTable)
    return bool(tables) and tables.first().row_count == len(screen.feeds) and tables.first().size.height > 0


async def feeds_view_shown(pilot) -> None:
    """Wait for the feeds view to be filled and painted (a click finds its rows by what was painted)."""
    await wait_for(pilot, lambda: feeds_view_ready(pilot.app))
    await pilot.pause()
    await pilot.pause()


async def run_from_palette(pilot, name: str) -> None:
    """Type name in the command palette and run the command it highlights once that is the one named
    (the palette searches its providers in the background)."""
    await pilot.press("ctrl+p", *name)

    def found() -> bool:
        if not isinstance(pilot.app.screen, CommandPalette):
            return False
        option = pilot.app.screen.query_one(CommandList).highlighted_option
        return option is not None and str(option.prompt).startswith(name)

    await wait_for(pilot, found)
    await pilot.press("enter")


async def dialog_shown(pilot, kind: type) -> None:
    """Wait for a dialog of this kind to be up with its input field."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind) and bool(pilot.app.screen.query(Input)))


def titles(app) -> list[str]:
    """The titles of the rows listed, in order."""
    return [row.title for row in app.screen.article_list.rows]


def table_rows(screen: FeedsScreen) -> list[list[str]]:
    """The cells of the feeds view's table, as text."""
    table = screen.query_one(FeedTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


# -- the feeds view ---------------------------------------------------------------------------------


async def test_F_lists_the_feeds_and_enter_lists_a_feeds_articles(library_home, server):
    follow(library_home, server.url("/feed.xml"))
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await feeds_view_shown(pilot)
        rows = table_rows(app.screen)
        assert len(rows) == 1
        name, articles, unread, fetched, error = rows[0]
        assert (name, articles, error) == (FEED_NAME, "2", "")
        assert fetched not in ("", "never")
        assert unread == "2"  # the first row, shown by itself at the start, is not counted as read
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.search_bar.query_text == feed_query(FEED_NAME) == 'feed:"Harbour Wire"'
        assert sorted(titles(app)) == sorted(title for _, title, _ in STORIES[:2])
        assert app.screen.focused is app.screen.article_list


async def test_a_click_on_a_feed_lists_its_articles_and_escape_closes_the_view(library_home, server):
    follow(library_home, server.url("/feed.xml"))
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await feeds_view_shown(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen) and app.screen.search_bar.query_text == ""
        await pilot.press("F")
        await feeds_view_shown(pilot)
        await pilot.click(FeedTable, offset=(3, 1))  # the first row, under the header
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.search_bar.query_text == feed_query(FEED_NAME)
        assert len(row_ids(app)) == 2


async def test_the_palette_opens_the_feeds_view(library_home, server):
    follow(library_home, server.url("/feed.xml"))
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "Feeds")
        await feeds_view_shown(pilot)


async def test_a_feed_that_fails_shows_its_last_error_literally(library_home, server):
    follow(library_home, server.url("/feed.xml"))
    follow(library_home, server.url("/gone.xml"), name="[b]Gone[/b] Gazette", fetch=False)
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await wait_for(pilot, lambda: "1 failed" in notes.text())
        assert "2 unchanged; 1 of 2 read, 1 failed" in notes.text()
        assert "[b]Gone[/b] Gazette: failed: " in notes.text() and "404" in notes.text()
        assert [severity for message, severity in notes.messages if "1 failed" in message] == ["warning"]
        await pilot.press("F")
        await feeds_view_shown(pilot)
        rows = {row[0]: row for row in table_rows(app.screen)}
        assert set(rows) == {FEED_NAME, "[b]Gone[/b] Gazette"}  # markup in a name is shown as it is
        assert "404" in rows["[b]Gone[/b] Gazette"][4] and rows[FEED_NAME][4] == ""
        table = app.screen.query_one(FeedTable)
        table.move_cursor(row=[row[0] for row in table_rows(app.screen)].index("[b]Gone[/b] Gazette"))
        await pilot.pause()
        details = str(app.screen.query_one("#feed-details").render())
        assert "Last error: " in details and "404" in details and server.url("/gone.xml") in details


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "160x45"])
async def test_many_feeds_fit_the_view_with_their_details_and_keys_in_sight(library_home, size):
    library = Library.open(library_home)
    try:
        for number in range(30):
            library.add_feed(f"https://desk{number}.invalid/feed.xml", name=f"Regional desk number {number} of the coast")
    finally:
        library.close()
    app = NewsReaderApp()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await feeds_view_shown(pilot)
        await pilot.pause()
        table = app.screen.query_one(FeedTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways scrolling
        assert table.row_count == 30 and table.scrollable_content_region.height < 30  # the table scrolls instead
        for part in ("#feed-details", ".dialog-keys"):
            region = app.screen.query_one(part).region
            assert region.height and region.bottom <= size[1], part
        assert str(table.get_row_at(0)[0]).endswith("…")  # a long name cut to its column
        assert "Regional desk number 0 of the coast" in str(app.screen.query_one("#feed-details").render())


async def test_no_feeds_says_how_to_follow_one(library_home):
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await feeds_view_shown(pilot)
        assert "newsreader feeds add URL" in str(app.screen.query_one("#feeds-empty").render())
        await pilot.press("escape", "R")
        await settle(pilot)
        assert "No feeds to refresh" in notes.text()
        assert not app.screen.query_one(RefreshBar).running


# -- refreshing -------------------------------------------------------------------------------------


async def test_R_refreshes_in_the_background_and_new_articles_appear_under_a_still_cursor(library_home, server):
    follow(library_home, server.url("/feed.xml"))
    server.route("/feed.xml", feed_reply(STORIES))  # two newer stories since
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:  # a short list, so that it scrolls
        await settle(pilot)
        article_list = app.screen.article_list
        await pilot.press(*["j"] * 12, *["k"] * 4)  # the cursor mid-screen, the list scrolled
        await settle(pilot)
        kept, index = article_list.current_row.id, article_list.cursor
        on_screen = index * article_list.row_height - article_list.scroll_offset.y
        assert article_list.scroll_offset.y > 0
        bar = app.screen.query_one(RefreshBar)
        await pilot.press("R")
        await wait_for(pilot, lambda: bar.running)
        await pilot.press("R")  # one refresh at a time
        assert "being refreshed already" in notes.text()
        await wait_for(pilot, lambda: "read, 0 failed" in notes.text())
        await wait_for(pilot, lambda: len(row_ids(app)) == 16)
        await settle(pilot)
        assert titles(app)[:2] == [STORIES[3][1], STORIES[2][1]]  # the newest, listed first
        assert article_list.current_row.id == kept  # the cursor stayed on its article
        assert article_list.cursor == index + 2
        # The rows above pushed it down, and the list scrolled as far: it stood still on screen.
        assert article_list.cursor * article_list.row_height - article_list.scroll_offset.y == on_screen
        assert not bar.display  # shown only while the refresh runs
        figures = str(bar.query_one("#refresh-figures").render())
        assert figures == f"1/1 feeds · {FEED_NAME}: 2 new"
        assert "2 new, 0 updated, 2 unchanged; 1 of 1 read, 0 failed" in notes.text()


async def test_the_refresh_interval_refreshes_on_its_own(library_home, server, tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text("[feeds]\nrefresh_minutes = 5\n", encoding="utf-8")
    monkeypatch.setattr(main_screen, "MINUTE", 0.02)  # five "minutes": a tenth of a second
    follow(library_home, server.url("/feed.xml"))
    server.route("/feed.xml", feed_reply(STORIES))
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        assert app.settings.refresh_minutes == 5
        await wait_for(pilot, lambda: STORIES[3][1] in titles(app))
        assert len(server.requests_to("/feed.xml")) >= 2  # the test's fetch, then the app's


async def test_off_by_default_and_a_bad_interval_is_named(tmp_path):
    path = tmp_path / "config.toml"
    assert settings_file.Settings().refresh_minutes == 0
    for text, problem in [
        ('[feeds]\nrefresh_minutes = 2\n', "[feeds] refresh_minutes = 2 is not allowed (0 for never, or a whole "
                                           "number of minutes from 5 to 1,440); using 0"),
        ('[feeds]\nrefresh_minutes = "hourly"\n', '[feeds] refresh_minutes = "hourly" is not allowed'),
        ('[feeds]\nevery = 5\n', 'unknown setting [feeds] "every" (the [feeds] settings are refresh_minutes)'),
        ('feeds = 30\n', "feeds = 30 is not allowed (a [feeds] table of refresh_minutes); using the defaults"),
    ]:
        loaded, problems = settings_file.parse(text, path)
        assert loaded.refresh_minutes == 0
        assert len(problems) == 1 and problem in problems[0], problems
    loaded, problems = settings_file.parse("[feeds]\nrefresh_minutes = 60\n", path)
    assert (loaded.refresh_minutes, problems) == (60, [])


def test_saving_the_settings_writes_the_interval_in_its_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"  # mine\n', encoding="utf-8")
    loaded, _ = settings_file.parse(path.read_text(encoding="utf-8"), path)
    settings_file.save(settings_file.replace(loaded, refresh_minutes=30), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('theme = "nord"  # mine\n') and "[feeds]\nrefresh_minutes = 30\n" in text
    assert settings_file.parse(text, path) == (settings_file.replace(loaded, refresh_minutes=30), [])


def test_progress_and_the_summary_name_each_feed():
    assert progress_line(FetchProgress(12, 200, FeedResult("Coast", "u", new=3))) == "12/200 feeds · Coast: 3 new"
    assert progress_line(FetchProgress(1, 2, FeedResult("Coast", "u", error="timeout"))) == "1/2 feeds · Coast: failed"
    assert progress_line(FetchProgress(1, 2, FeedResult("Coast", "u", unchanged=4))) == "1/2 feeds · Coast: nothing new"
    report = FetchReport([FeedResult("A", "u", new=1)] + [FeedResult(f"F{n}", "u", error="HTTP 404") for n in range(10)])
    lines = refresh_digest(report, 8).splitlines()
    assert lines[0] == "1 new, 0 updated, 0 unchanged; 1 of 11 read, 10 failed"
    assert lines[1:9] == [f"F{n}: failed: HTTP 404" for n in range(8)]
    assert lines[9].startswith("… and 2 more")


# -- adding a link ----------------------------------------------------------------------------------


async def test_a_saves_a_link_in_the_background(library_home, server):
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await dialog_shown(pilot, AddLinkDialog)
        app.screen.query_one(Input).value = server.url("/story.html")  # as a paste would
        await pilot.press("enter")
        assert isinstance(app.screen, MainScreen)
        await wait_for(pilot, lambda: "Saved: " in notes.text() or "Not saved" in notes.text())
        assert "Saved: Tide gauge installed at the old pier" in notes.text()
        await wait_for(pilot, lambda: "Tide gauge installed at the old pier" in titles(app))


async def test_an_address_that_is_not_http_is_refused_in_the_dialog(library_home):
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_from_palette(pilot, "Add a link")
        await dialog_shown(pilot, AddLinkDialog)
        for typed, said in [("", "Type or paste the address"), ("ftp://files.invalid/a.txt", "Not a web address: ftp://"),
                            ("news.invalid/story", "Not a web address: news.invalid/story")]:
            app.screen.query_one(Input).value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AddLinkDialog)  # still open, to be mended
            assert said in str(app.screen.query_one("#link-problem").render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_links_are_checked_before_anything_is_fetched():
    assert check_links("  https://a.invalid/x \n http://b.invalid/y https://a.invalid/x") == (
        ["https://a.invalid/x", "http://b.invalid/y"], "")
    assert check_links("https://")[1].startswith("Not a web address")
    assert check_links("javascript:alert(1)")[1].startswith("Not a web address")
    assert check_links("http://[::1")[1].startswith("Not a web address")


# -- reading marks read ---------------------------------------------------------------------------


async def test_an_article_the_user_goes_to_is_marked_read(library_home, server):
    follow(library_home, server.url("/feed.xml"))
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.filter_by_feed(FEED_NAME)
        await settle(pilot)
        first, second = app.screen.article_list.rows
        await wait_for(pilot, lambda: app.screen.reader.article is not None
                       and app.screen.reader.article.id == first.id)
        library = Library.open(library_home)
        try:
            # A new list shows its first row by itself: that is no reading (nor was the startup's first row).
            assert not library.is_read(first.id) and not library.is_read(second.id)
            await pilot.press("j")  # the cursor rests on the second: the reader shows it
            await wait_for(pilot, lambda: library.is_read(second.id))
            assert not library.is_read(first.id)
            await pilot.press("k", "enter")
            await wait_for(pilot, lambda: library.is_read(first.id))
            assert library.feed(FEED_NAME).unread == 0
        finally:
            library.close()


# -- keys ---------------------------------------------------------------------------------------------


async def test_the_new_keys_are_in_the_help_and_follow_the_keymap(library_home, server, tmp_path):
    (tmp_path / "config.toml").write_text('[keys]\nfeeds = "f2"\n', encoding="utf-8")
    follow(library_home, server.url("/feed.xml"))
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "not a binding id" not in notes.text()
        await pilot.press("question_mark")
        text = help_text(app.screen)
        for keys, name in [("f2", "Feeds, with unread counts"), ("R", "Refresh feeds"), ("a", "Add a link")]:
            assert any(line.startswith(keys + " ") and name in line for line in text.splitlines()), (keys, name)
        assert 'feed:"Harbour News"' in text
        await pilot.press("escape", "F")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f2")
        await feeds_view_shown(pilot)


def test_the_keymap_knows_the_new_ids():
    keymap, problems = check_keymap({"feeds": "f2", "refresh_feeds": "f5", "add_link": "+", "feeds_close": "x",
                                     "add_link_cancel": "f10"}, binding_places(), "config.toml")
    assert problems == [] and len(keymap) == 5


def test_a_fetch_time_is_shown_in_local_time_or_never():
    assert fetched_at(None) == "never"
    assert len(fetched_at("2025-06-03T08:00:00+00:00")) == len("2025-06-03 08:00")
    assert fetched_at("garbage\x1b[31m") == "garbage"
