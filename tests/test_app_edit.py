"""E in the app: correcting an article's details, seeing them in the reader and the list, citing them, and
going back to the imported values."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from conftest import SIZE, Notes, open_article, settle
from tui_reader.app.app import NewsReaderApp
from tui_reader.app.dialogs.edit import EditDialog
from tui_reader.core import citations

pytestmark = pytest.mark.usefixtures("short_delays")

IMPORTED_AUTHOR = "Ann [i]Lee[/i]"  # the test article's byline, markup and all (conftest.TEST_ARTICLES)


@pytest.fixture
def app(library_home) -> NewsReaderApp:
    """The app on an isolated library of the test articles and the samples."""
    return NewsReaderApp()


def header(app) -> str:
    return str(app.screen.reader.query_one("#reader-header").render())


def field(app, name: str) -> Input:
    return app.screen.query_one(f"#edit-{name}", Input)


async def type_text(pilot, text: str) -> None:
    """Type text key by key, as a user does."""
    await pilot.press(*("space" if character == " " else character for character in text))


async def open_dialog(pilot) -> EditDialog:
    await pilot.press("E")
    await settle(pilot)
    assert isinstance(pilot.app.screen, EditDialog)
    return pilot.app.screen


async def test_e_corrects_the_author_the_reader_shows_it_and_c_cites_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "rates")
        assert f"By {IMPORTED_AUTHOR}" in header(app)
        dialog = await open_dialog(pilot)
        assert field(app, "author").has_focus
        assert field(app, "author").value == IMPORTED_AUTHOR  # literal, not read as markup
        assert field(app, "title").value == "[VIDEO] Rates rise [b]again[/b]"
        field(app, "author").value = ""
        await type_text(pilot, "Maria Olsen")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, EditDialog) and dialog.is_attached is False
        text = header(app)
        assert "By Maria Olsen" in text and IMPORTED_AUTHOR not in text
        assert "Corrected by you: author" in text
        assert "Corrected: author" in notes.text()
        row = app.screen.article_list.current_row
        assert (row.id, row.author) == ("test-markup", "Maria Olsen")  # the list shows it too
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == citations.reference(app.screen.reader.article, "apa", "plain")
        assert app.clipboard.startswith("Olsen, M. (2020, January 2).")
        # What was saved is the library's, not only the screen's: a search finds the new author.
        assert [r.id for r in app.screen.library.search("author:olsen").rows] == ["test-markup"]
        assert app.screen.library.corrections("test-markup")["author"].imported == IMPORTED_AUTHOR


async def test_emptying_a_field_goes_back_to_the_imported_value(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "rates")
        app.screen.library.edit("test-markup", author="Maria Olsen", date="2020-01-05")
        app.screen.reading.reload()
        await settle(pilot)
        assert "Corrected by you: author, date" in header(app)
        await open_dialog(pilot)
        assert field(app, "author").value == "Maria Olsen"
        shown = " ".join(str(s.render()) for s in app.screen.query(".edit-imported"))
        assert f"imported: {IMPORTED_AUTHOR}" in shown and "imported: 2020-01-02" in shown
        field(app, "author").value = ""
        await pilot.press("enter")
        await settle(pilot)
        text = header(app)
        assert f"By {IMPORTED_AUTHOR}" in text
        assert "Corrected by you: date" in text
        assert list(app.screen.library.corrections("test-markup")) == ["date"]


async def test_a_bad_date_is_refused_in_the_dialog_and_nothing_is_saved(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "rates")
        await open_dialog(pilot)
        field(app, "author").value = "Maria Olsen"
        field(app, "date").value = "2020-02-31"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditDialog)  # still open, saying why
        assert "not a real date" in str(app.screen.query_one("#edit-problem").render())
        assert field(app, "date").has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, EditDialog)
        assert app.screen.library.corrections("test-markup") == {}
        assert f"By {IMPORTED_AUTHOR}" in header(app)


async def test_e_in_the_list_edits_the_current_row(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.article_list.has_focus
        app.screen.reading.reader.clear()  # nothing open: E takes the list's row
        row = app.screen.article_list.current_row
        await open_dialog(pilot)
        assert field(app, "title").value == row.title
        field(app, "source").value = "Corrected Gazette"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.article_list.current_row.source == "Corrected Gazette"
        assert app.screen.library.get(row.id).source == "Corrected Gazette"


async def test_the_command_palette_opens_the_edit_dialog(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "rates")
        await pilot.press("ctrl+p", *"correct the")
        await pilot.pause()  # the palette searches its providers in the background
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditDialog)
        assert field(app, "author").value == IMPORTED_AUTHOR
