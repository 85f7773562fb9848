"""Citations to the clipboard from the app: c, y and C, and a system clipboard that fails or hangs."""

from __future__ import annotations

import threading

import pyperclip
import pytest

from conftest import SIZE, Notes, open_article, settle
from tui_reader import settings as settings_file
from tui_reader.app.app import NewsReaderApp
from tui_reader.app.citing import StylePicker
from tui_reader.core import citations
from tui_reader.core.library import Library

pytestmark = pytest.mark.usefixtures("short_delays")


@pytest.fixture
def app(library_home) -> NewsReaderApp:
    """The app on an isolated library of the test articles and the samples."""
    return NewsReaderApp()


async def test_c_copies_the_apa_citation_and_says_how(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "rates")
        await pilot.press("c")
        await settle(pilot)
        article = app.screen.reader.article
        expected = citations.reference(article, "apa", "plain")
        assert app.clipboard == expected
        assert "[VIDEO] Rates rise [b]again[/b]" in expected  # markup in the title, copied as written
        message = notes.text()
        assert "Copied through the terminal (OSC 52) — the system clipboard is turned off" in message
        assert "install xclip, xsel or wl-clipboard" in message
        assert "[VIDEO] Rates rise [b]again[/b]" in message  # shown literally


async def test_y_copies_the_selected_passage_with_its_pinpoint_citation(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "ferry")
        await pilot.press("y")
        assert "Select a passage first" in notes.text()
        await pilot.press("down", "down", "v", "y")
        await settle(pilot)
        article = app.screen.reader.article
        start = article.body.index("Sailings")
        assert app.clipboard == Library.cite_span(article, start, len(article.body), "apa", "plain")
        assert app.clipboard.startswith("“Sailings depend on the tide")
        assert "para. 2" in app.clipboard


async def test_shift_c_picks_mla_copies_in_it_and_keeps_it(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "rates")
        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, StylePicker)
        await pilot.press("down", "enter")
        await settle(pilot)
        article = app.screen.reader.article
        assert app.clipboard == citations.reference(article, "mla", "plain")
        saved, problems = settings_file.load(tmp_path / "config.toml")
        assert saved.citation_style == "mla" and not problems
        await pilot.press("down", "down", "v", "y")  # the new default serves the next copies too
        await settle(pilot)
        assert app.clipboard.endswith(citations.reference(article, "mla", "plain"))


async def test_a_working_system_clipboard_gets_the_text(app, monkeypatch):
    monkeypatch.delenv("NEWSREADER_CLIPBOARD")
    received = []
    monkeypatch.setattr(pyperclip, "copy", received.append)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "ferry")
        await pilot.press("c")
        await settle(pilot)
        assert received == [app.clipboard]
        assert "Copied to the system clipboard" in notes.text()


async def test_a_hanging_system_clipboard_does_not_freeze_the_app(app, monkeypatch, tmp_path):
    (tmp_path / "config.toml").write_text("clipboard_timeout = 0.3\n", encoding="utf-8")
    monkeypatch.delenv("NEWSREADER_CLIPBOARD")
    release = threading.Event()
    monkeypatch.setattr(pyperclip, "copy", lambda text: release.wait(30))
    app = NewsReaderApp()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            notes = Notes(app)
            await open_article(pilot, "ferry")
            body = app.screen.reader.body
            await pilot.press("c")
            # The terminal's copy is there at once, and the app answers keys while the program hangs.
            assert app.clipboard.startswith("Spring timetable for the ferry")
            await pilot.press("down")
            assert body.cursor_location == (1, 0)
            assert any(worker.group == "clipboard" and not worker.is_finished for worker in app.workers)
            await settle(pilot)
            assert "the clipboard program did not answer within 0.3 s" in notes.text()
            assert "Copied through the terminal (OSC 52)" in notes.text()
    finally:
        release.set()
