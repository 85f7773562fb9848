"""Export from inside the app: x (or the command palette) asks for a file and a format, and writes the
tagged passages' export in the background, as `newsreader export -o` does."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from conftest import SIZE, Notes, settle
from tui_reader.app.app import NewsReaderApp
from tui_reader.app.dialogs.export import ExportDialog
from tui_reader.core import export
from tui_reader.core.library import Library

pytestmark = pytest.mark.usefixtures("short_delays")
FERRY = "test-tide-once"


@pytest.fixture
def app(library_home) -> NewsReaderApp:
    """The app on an isolated library of the test articles and the samples."""
    return NewsReaderApp()


def tag_two_articles() -> None:
    """Three passages in two articles, tagged as the reader would."""
    library = Library.open()
    try:
        ids = [FERRY, "test-markup"]
        for article_id in ids:
            body = library.get(article_id).body
            library.tag_passage(article_id, 0, min(20, len(body)), ["evidence"])
        library.tag_passage(FERRY, 25, 35, ["later"])
    finally:
        library.close()


def expected(fmt: str) -> str:
    """The CLI's export of the same library."""
    library = Library.open()
    try:
        return export.export(library.passages_by_article(), fmt, "apa")
    finally:
        library.close()


async def test_x_asks_for_a_file_and_a_format_and_writes_the_export(app, tmp_path):
    tag_two_articles()
    target = tmp_path / "passages.ris"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Select).value == "biblatex"
        await pilot.press("shift+tab", "enter")  # to the format, and open its list
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # biblatex -> bibtex -> csl-json -> ris
        await pilot.pause()
        assert app.screen.query_one(Select).value == "ris"
        assert app.screen.query_one(Input).placeholder.endswith(".ris")
        await pilot.press("tab", *str(target), "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert target.read_text(encoding="utf-8") == expected("ris")
        assert f"Wrote 2 entries to {target}" in notes.text()


async def test_the_command_palette_offers_the_export(app, tmp_path):
    tag_two_articles()
    target = tmp_path / "notes.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await pilot.press("ctrl+p", *"export the tagged")
        await pilot.pause()  # the palette searches its providers in the background
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Select).value = "markdown"
        await pilot.press(*str(target), "enter")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == expected("markdown")
        assert f"Wrote 3 entries to {target}" in notes.text()  # Markdown holds passages


async def test_an_empty_path_is_refused_and_a_missing_folder_is_reported_without_writing(app, tmp_path):
    tag_two_articles()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "Type the path" in str(app.screen.query_one("#export-problem").render())
        missing = tmp_path / "no-such-folder" / "refs.bib"
        await pilot.press(*str(missing), "enter")
        await settle(pilot)
        assert (f"Cannot write {missing}: No such file or directory", "error") in notes.messages
        assert not missing.parent.exists()
        assert app.is_running


async def test_nothing_is_written_when_no_passage_is_tagged(app, tmp_path):
    target = tmp_path / "refs.bib"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*str(target), "enter")
        await settle(pilot)
        assert "No tagged passages to export" in notes.text()
        assert not target.exists()


async def test_escape_cancels_without_writing(app, tmp_path):
    tag_two_articles()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*str(tmp_path / "refs.bib"), "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert list(tmp_path.glob("refs*")) == []
