"""Citations to the clipboard from the app: c, y and C, and a system clipboard that fails or hangs."""

from __future__ import annotations

import pytest

from conftest import SIZE, Notes, open_article, settle
from test_clipboard import CANT_OPEN_DISPLAY, fake_xclip, needs_linux
from tui_reader import settings as settings_file
from tui_reader.app.app import NewsReaderApp
from tui_reader.app.dialogs.style import StylePicker
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
        assert "Copied through the terminal (OSC 52), not to the system clipboard — the system clipboard is turned off" in message
        assert "install xclip" not in message  # installing one would not help
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
        assert app.clipboard == Library.citation(article, "apa", "plain", (start, len(article.body)))
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


@needs_linux
async def test_a_working_system_clipboard_gets_the_text(app, monkeypatch, tmp_path):
    received = tmp_path / "received"
    fake_xclip(tmp_path / "bin", monkeypatch, f'cat > "{received}"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "ferry")
        await pilot.press("c")
        await settle(pilot)
        assert received.read_text(encoding="utf-8") == app.clipboard
        assert "Copied to the system clipboard" in notes.text()


@needs_linux
async def test_a_clipboard_program_that_fails_is_not_called_a_copy(app, monkeypatch, tmp_path):
    fake_xclip(tmp_path / "bin", monkeypatch, CANT_OPEN_DISPLAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "ferry")
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard.startswith("Spring timetable for the ferry")  # the terminal's copy holds it
        message = notes.text()
        assert "Copied to the system clipboard" not in message
        assert "Copied through the terminal (OSC 52), not to the system clipboard" in message
        assert "xclip failed (Error: Can't open display:; exit status 1)" in message
        assert [severity for _, severity in notes.messages] == ["warning"]


@needs_linux
async def test_a_hanging_system_clipboard_does_not_freeze_the_app(monkeypatch, library_home, tmp_path):
    (tmp_path / "config.toml").write_text("clipboard_timeout = 1\n", encoding="utf-8")  # an integer will do
    fake_xclip(tmp_path / "bin", monkeypatch, f'touch "{tmp_path / "started"}"\nexec sleep 30\n')
    app = NewsReaderApp()
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
        await settle(pilot)
        assert (tmp_path / "started").exists()
        assert "the clipboard program did not answer within 1 s" in notes.text()
        assert "Copied through the terminal (OSC 52)" in notes.text()


@pytest.mark.parametrize("setting, value, allowed", [
    ("citation_style", "harvard", "apa, mla, chicago, chicago-note, biblatex, bibtex, csl-json, ris"),
    ("citation_format", "rtf", "plain, markdown, html"),
])
async def test_a_bad_citation_setting_is_reported_at_start_and_c_cites_with_the_default(
        library_home, tmp_path, setting, value, allowed):
    (tmp_path / "config.toml").write_text(f'{setting} = "{value}"\n', encoding="utf-8")
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        started = notes.text()
        assert str(tmp_path / "config.toml") in started and setting in started
        assert f'"{value}"' in started and allowed in started
        await open_article(pilot, "ferry")
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == citations.reference(app.screen.reader.article, "apa", "plain")


async def test_a_bad_keymap_is_reported_at_start_and_clashing_keys_keep_their_defaults(library_home, tmp_path):
    (tmp_path / "config.toml").write_text('[keys]\ntoggle_sort = "t"\ncopy_citaton = "x"\n', encoding="utf-8")
    app = NewsReaderApp()
    notes = Notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        started = notes.text()
        assert "'copy_citaton' is not a binding id (did you mean 'copy_citation'?)" in started
        assert "t would be bound to both Sort (toggle_sort) and Tag (tag_selection) in the main screen" in started
        await pilot.press("s")  # toggle_sort kept its own key
        await settle(pilot)
        assert app.screen.sort == "date"


async def test_choosing_a_style_keeps_the_users_config_file_as_written(library_home, tmp_path):
    config = tmp_path / "config.toml"
    text = ('# My settings: please keep this comment.\ncitation_style = "apa"   # for my department\n\n'
            '[keys]  # mine\nhelp = "?"\ntoggle_sort = "t"   # clashes with tag: not used, but mine to mend\n')
    config.write_text(text, encoding="utf-8")
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "rates")
        await pilot.press("C")
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.clipboard == citations.reference(app.screen.reader.article, "mla", "plain")
    assert config.read_text(encoding="utf-8") == text.replace('"apa"   #', '"mla"   #')
