"""Importing from the app: a background subprocess with a progress bar, and a list that picks up new
articles (from it or from anyone else) while the cursor stays where it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from conftest import SIZE, Notes, row_ids, search, settle
from tui_reader.app.app import NewsReaderApp
from tui_reader.app.dialogs.import_dialog import ImportDialog, complete_path
from tui_reader.app.importing import ImportBar
from tui_reader.core.importers import Notice, Rejection
from tui_reader.core.progress import ImportProgress, ImportReport, event_line, read_event
from tui_reader.app.watcher import LibraryWatcher
from tui_reader.core.library import Library

pytestmark = pytest.mark.usefixtures("short_delays")

NEW_ARTICLES = [
    {"id": "new-1", "title": "Lighthouse keeper retires", "source": "Coast Weekly", "date": "2024-05-01",
     "body": "The keeper of the north light retired after forty years."},
    {"id": "new-2", "title": "A [b]bold[/b] new ferry", "source": "Coast Weekly", "date": "2024-06-01",
     "body": "A new ferry entered service on the harbour crossing."},
]


@pytest.fixture
def app(library_home) -> NewsReaderApp:
    """The app on an isolated library of the test articles and the samples."""
    return NewsReaderApp()


def write_folder(folder: Path, broken: bool = False) -> Path:
    """A folder of new articles (and, if asked, a file that cannot be read)."""
    folder.mkdir()
    (folder / "new.jsonl").write_text("\n".join(json.dumps(a) for a in NEW_ARTICLES) + "\n", encoding="utf-8")
    if broken:
        (folder / "[b]broken.json").write_text("{not json", encoding="utf-8")
    return folder


async def import_with_i(pilot, path: Path) -> None:
    """i, the path, enter; then wait for the import process and the list."""
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ImportDialog)
    pilot.app.screen.query_one("#import-path", Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)
    await settle(pilot)  # the list is searched again after the import says it has finished


async def test_i_imports_a_folder_in_the_background_and_the_list_picks_it_up(app, tmp_path):
    folder = write_folder(tmp_path / "incoming")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await pilot.press("j", "j", "j")
        kept = app.screen.article_list.current_row.id
        await import_with_i(pilot, folder)
        assert {"new-1", "new-2"} <= set(row_ids(app))
        assert len(row_ids(app)) == 14
        assert app.screen.article_list.current_row.id == kept  # the cursor stayed on its article
        bar = app.screen.query_one(ImportBar)
        assert not bar.display  # shown only while the import runs
        figures = str(bar.query_one("#import-figures").render())  # what it showed last
        assert "articles ·" in figures and "/s" in figures
        assert "2 imported, 0 updated, 0 unchanged" in notes.text()
        await search(pilot, "lighthouse")
        assert row_ids(app) == ["new-1"]


async def test_rejections_are_listed_literally_at_the_end(app, tmp_path):
    folder = write_folder(tmp_path / "incoming", broken=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await import_with_i(pilot, folder)
        assert "2 imported, 0 updated, 0 unchanged, 1 rejected" in notes.text()
        assert "rejected: " in notes.text() and "[b]broken.json" in notes.text()
        assert [severity for message, severity in notes.messages if "rejected" in message] == ["warning"]


async def test_articles_another_process_adds_appear_without_moving_the_cursor(app, tmp_path, library_home):
    folder = write_folder(tmp_path / "incoming")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        kept = app.screen.article_list.current_row.id
        other = Library.open()  # a second copy of newsreader, or the command line, on the same library
        try:
            other.import_paths([folder])
        finally:
            other.close()
        app.screen.query_one(LibraryWatcher).look()  # the look it takes every few seconds
        await settle(pilot)
        assert len(row_ids(app)) == 14
        assert app.screen.article_list.current_row.id == kept
        assert app.screen.article_list.cursor == row_ids(app).index(kept)


def test_paths_complete_from_the_folder(tmp_path):
    (tmp_path / "archive-2015").mkdir()
    (tmp_path / "articles.jsonl").write_text("", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    assert complete_path(f"{tmp_path}/arc") == f"{tmp_path}/archive-2015/"
    assert complete_path(f"{tmp_path}/art") == f"{tmp_path}/articles.jsonl"
    assert complete_path(f"{tmp_path}/") == f"{tmp_path}/archive-2015/"  # hidden names only after a dot
    assert complete_path(f"{tmp_path}/.h") == f"{tmp_path}/.hidden/"
    assert complete_path(f"{tmp_path}/zzz") is None
    assert complete_path(f"{tmp_path}/no-such-folder/x") is None


def test_the_summary_lists_some_rejections_and_counts_the_rest():
    report = ImportReport(imported=1, rejected=[Rejection(f"bad-{n}.json", "broken") for n in range(20)])
    text = report.digest(8)
    assert report.needs_attention
    assert text.splitlines()[0] == "1 imported, 0 updated, 0 unchanged, 20 rejected"
    assert "rejected: bad-0.json: broken" in text
    assert text.splitlines()[-1].startswith("… and 12 more")


def test_import_events_carry_the_report_and_the_progress_between_processes():
    report = ImportReport(3, 1, 2, [Rejection("a.jsonl:7", "no body: nothing to read")],
                          [Notice("b.txt", "no title; used the first line")])
    assert read_event(event_line(report)) == report
    progress = read_event(event_line(ImportProgress(50, 200, 40, 0.0, elapsed=2.0)))
    assert (progress.fraction, progress.articles, progress.rate, progress.seconds_left) == (0.25, 40, 20.0, 6.0)
    assert read_event("not json") is None and read_event('["event"]') is None and read_event('{"event": "x"}') is None


async def test_articles_an_interrupted_import_left_unindexed_become_searchable(library_home):
    library = Library.open()
    library._store.mark_all_unindexed()  # as after a kill between the database commit and the index's
    library._index.clear()
    library.close()
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Indexing 12 articles" in notes.text() and "Indexed 12 articles" in notes.text()
        await search(pilot, "ferry")
        assert "test-tide-once" in row_ids(app)
