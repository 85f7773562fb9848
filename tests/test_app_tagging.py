"""Selecting, tagging and finding passages in the app, the way a user does it."""

from __future__ import annotations

from dataclasses import replace

import json

import pytest
from textual.widgets import Input

from conftest import LONG_ID, SIZE, TEST_ARTICLES, Notes, open_article, row_ids, search, settle
from tui_reader.app.app import NewsReaderApp
from tui_reader.app.reading.passages_panel import ORPHANED, PassagesPanel
from tui_reader.app.reading.body_view import BodyView
from tui_reader.app.tag_colours import tag_class
from tui_reader.app.watcher import LibraryWatcher
from tui_reader.app.dialogs.tag_dialog import TagDialog
from tui_reader.app.dialogs.tags_screen import TagsScreen
from tui_reader.core.library import Library

ARTICLES = {record["id"]: record for record in TEST_ARTICLES}
FERRY = "test-tide-once"  # "The ferry timetable changes in spring.\n\nSailings depend on the tide ..."
FIRST_PARAGRAPH = "The ferry timetable changes in spring."

pytestmark = pytest.mark.usefixtures("short_delays")


@pytest.fixture
def app(library_home) -> NewsReaderApp:
    """The app on an isolated library of the test articles and the samples."""
    return NewsReaderApp()


async def tag_paragraph(pilot, tags: str, note: str = "") -> None:
    """v, t, type the tags (and a note), enter; wait for the save."""
    await open_dialog(pilot, "v", "t")
    assert isinstance(pilot.app.screen, TagDialog)
    await pilot.press(*tags)
    if note:
        await pilot.press("tab", *note)
    await pilot.press("enter")
    await settle(pilot)


async def open_dialog(pilot, *keys: str) -> None:
    """Press keys that open a dialog, and let it take the keyboard (keys before that would be lost)."""
    await pilot.press(*keys)
    await pilot.pause()


def painted_classes(body, row: int) -> list[tuple[int, int, str]]:
    """The marks on a painted line of the body, checked against the styles in the line itself."""
    line = body.get_line(row)
    marks = body.marks_on_line(row)
    for start, end, name in marks:
        style = body.get_component_rich_style(name)
        assert any(span.start <= start and end <= span.end and span.style == style for span in line.spans), name
    return marks


async def test_a_paragraph_tagged_with_v_and_t_is_stored_marked_and_found_by_tag(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "ferry")
        reader = app.screen.reader
        assert reader.article.id == FERRY
        await tag_paragraph(pilot, "evidence")
        [passage] = app.library.passages_of(FERRY)
        assert (passage.anchor.exact, passage.tags, passage.status) == (FIRST_PARAGRAPH, ("evidence",), "anchored")
        assert "Tagged the passage: evidence" in notes.text()
        # Marked in the text, in the tag's colour; the selection is gone so that the colour shows.
        assert (0, len(FIRST_PARAGRAPH), tag_class(["evidence"])) in painted_classes(reader.body, 0)
        assert reader.selection_offsets[0] == reader.selection_offsets[1]
        assert "1 tagged passage" in str(reader.query_one("#reader-hits").render())
        await search(pilot, "tag:evidence")
        assert row_ids(app) == [FERRY]


async def test_tags_survive_a_restart(app, library_home):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        await tag_paragraph(pilot, "evidence", note="timetable")
    second = NewsReaderApp()
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        reader = second.screen.reader
        assert [(p.tags, p.note) for p in reader.passages] == [(("evidence",), "timetable")]
        assert (0, len(FIRST_PARAGRAPH), tag_class(["evidence"])) in painted_classes(reader.body, 0)
        await search(pilot, "tag:evidence")
        assert row_ids(second) == [FERRY]


async def test_a_search_hit_inside_a_passage_stays_marked(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        await tag_paragraph(pilot, "evidence")
        await search(pilot, "ferry")
        await pilot.press("enter", "enter")
        await settle(pilot)
        marks = painted_classes(app.screen.reader.body, 0)
        assert marks[0][2] == tag_class(["evidence"])
        assert (4, 9, "body-view--hit") in marks  # painted after the passage, so on top of it


def passage_spans(body, name: str) -> list[tuple[int, int]]:
    """The body spans painted in a passage colour, as body offsets."""
    spans = []
    for row in range(body.document.line_count):
        for start, end, mark in painted_classes(body, row):
            if mark == name:
                spans.append((body.offset_of((row, start)), body.offset_of((row, end))))
    return spans


def import_new_version(tmp_path, article_id: str, body: str) -> None:
    """Import a new version of an article the way another process does: another Library, its own connection."""
    source = tmp_path / "new-version.jsonl"
    source.write_text(json.dumps(dict(ARTICLES[article_id], body=body)) + "\n", encoding="utf-8")
    other = Library.open()
    try:
        assert other.import_paths([source]).updated == 1
    finally:
        other.close()


async def test_the_open_article_follows_a_new_version_imported_by_another_process(app, tmp_path):
    body = ARTICLES[FERRY]["body"]
    words = body[body.index("Sailings"):]  # the second paragraph, tagged
    library = Library.open()
    library.tag_passage(FERRY, body.index(words), len(body), ["weather"])
    library.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        reader = app.screen.reader
        await pilot.press("right_square_bracket")  # the passage selected, as a reader looking at it has it
        assert reader.selection_offsets == (body.index(words), len(body))
        new_body = body.replace("\n\nSailings", "\n\nA new paragraph about the summer timetable.\n\nSailings")
        import_new_version(tmp_path, FERRY, new_body)
        app.screen.query_one(LibraryWatcher).look()  # the look it takes every few seconds
        await settle(pilot)
        start = new_body.index(words)
        # The text is the new version, and the passage's colour covers exactly its words in it.
        assert reader.article.body == new_body and reader.body.text == new_body
        assert passage_spans(reader.body, tag_class(["weather"])) == [(start, start + len(words))]
        [passage] = reader.passages
        assert new_body[passage.anchor.start:passage.anchor.end] == passage.anchor.exact == words
        # The selection stayed on the same words.
        assert reader.selection_offsets == (start, start + len(words))
        assert reader.body.selected_text == words


async def test_a_new_version_keeps_the_reader_on_the_words_it_was_reading(app, tmp_path):
    from textual.geometry import Offset

    body = ARTICLES[LONG_ID]["body"]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "annual minutes")
        reader = app.screen.reader
        middle = body.index("Paragraph 120:")
        reader.select_offsets(middle, middle + 9)  # deep in the article, scrolled to
        await pilot.pause()
        view = reader.body

        def top() -> int:
            return view.offset_of(view.wrapped_document.offset_to_location(Offset(0, view.scroll_offset.y)))

        assert view.scroll_offset.y > 100
        reading = body[top():top() + 60]
        added = "A correction was added at the top of the minutes.\n\n"
        import_new_version(tmp_path, LONG_ID, added + body)
        app.screen.query_one(LibraryWatcher).look()
        await settle(pilot)
        assert reader.body.text == added + body
        assert view.text[top():top() + 60] == reading  # the same words at the top of the pane
        assert view.selected_text == "Paragraph"


def test_an_article_and_its_passages_are_read_in_one_snapshot(library_home, tmp_path, monkeypatch):
    from tui_reader.core.store import PassageStore

    body = ARTICLES[FERRY]["body"]
    words = body[body.index("Sailings"):]
    library = Library.open()
    library.tag_passage(FERRY, body.index(words), len(body), ["weather"])
    for_article = PassageStore.for_article

    def read_after_a_reimport(self, article_id, db=None):
        # Another process imports a new version between reading the text and reading its passages.
        monkeypatch.setattr(PassageStore, "for_article", for_article)
        import_new_version(tmp_path, FERRY, "A new first paragraph.\n\n" + body)
        return for_article(self, article_id, db)

    monkeypatch.setattr(PassageStore, "for_article", read_after_a_reimport)
    try:
        article, [passage] = library.reading(FERRY)
        assert article.body == body  # the version from before the import...
        assert article.body[passage.anchor.start:passage.anchor.end] == words  # ...with the passage where it was in it
        article, [passage] = library.reading(FERRY)
        assert article.body[passage.anchor.start:passage.anchor.end] == words and article.body != body  # the new one, whole
    finally:
        library.close()


async def test_brackets_go_from_one_passage_to_the_next(app):
    body = ARTICLES["test-tide-many"]["body"]
    spans = [(0, body.index("\n")), (body.index("A high"), body.index("quay.") + 5)]
    library = Library.open()
    for start, end in reversed(spans):
        library.tag_passage("test-tide-many", start, end, ["tide"])
    library.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "tables")
        reader = app.screen.reader
        await pilot.press("right_square_bracket")
        assert reader.selection_offsets == spans[0]
        await pilot.press("right_square_bracket")
        assert reader.selection_offsets == spans[1]
        assert "passage 2 of 2: tide" in str(reader.query_one("#reader-hits").render())
        await pilot.press("right_square_bracket")
        assert reader.selection_offsets == spans[1]
        assert "No more passages" in notes.text()
        await pilot.press("left_square_bracket")
        assert reader.selection_offsets == spans[0]


async def test_shift_arrows_select_and_t_tags_exactly_that(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        await pilot.press("right", "right", "right", "right", *["shift+right"] * 5)
        assert app.screen.reader.body.selected_text == "ferry"
        await open_dialog(pilot, "t")
        await pilot.press(*"boats", "enter")
        await settle(pilot)
        [passage] = app.library.passages_of(FERRY)
        assert (passage.anchor.exact, passage.anchor.start, passage.anchor.end) == ("ferry", 4, 9)


async def test_a_passage_dragged_with_the_mouse_is_tagged(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        # The text starts inside the border (1) and the padding (1): column 4 of the first line is x = 6.
        await pilot.mouse_down(BodyView, offset=(6, 1))
        await pilot.hover(BodyView, offset=(11, 1))
        await pilot.mouse_up(BodyView, offset=(11, 1))
        assert app.screen.reader.body.selected_text == "ferry"
        await open_dialog(pilot, "t")
        await pilot.press(*"boats", "enter")
        await settle(pilot)
        assert [(p.anchor.exact, p.tags) for p in app.library.passages_of(FERRY)] == [("ferry", ("boats",))]


async def test_tagging_without_a_selection_says_how_to_select(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "ferry")
        await pilot.press("t")
        assert not isinstance(app.screen, TagDialog)
        assert "Select a passage first: shift+arrows, v for the paragraph, or drag with the mouse" in notes.text()


async def test_escape_cancels_and_an_empty_tag_is_refused(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        await open_dialog(pilot, "v", "t")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TagDialog)
        await open_dialog(pilot, "t")
        await pilot.press(" ", ",", "enter")
        assert isinstance(app.screen, TagDialog)
        assert "at least one tag" in str(app.screen.query_one("#tag-problem").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.library.passages_of(FERRY) == []


async def test_tag_names_complete_from_the_tags_in_use(app):
    library = Library.open()
    library.tag_passage("test-tide-many", 0, 8, ["evidence"])
    library.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "ferry")
        await open_dialog(pilot, "v", "t")
        await pilot.press(*"claim, Ev")
        await pilot.pause(0.05)  # the suggester runs in its own worker
        names = app.screen.query_one("#tag-names", Input)
        assert names._suggestion == "claim, Evidence"  # what was typed keeps its case
        await pilot.press("right", "enter")
        await settle(pilot)
        [passage] = app.library.passages_of(FERRY)
        assert passage.tags == ("claim", "evidence")


async def test_the_panel_lists_retags_deletes_and_undoes(app):
    library = Library.open()
    kept = library.tag_passage(FERRY, 0, len(FIRST_PARAGRAPH), ["evidence"], "first note")
    body = ARTICLES[FERRY]["body"]
    gone = library.tag_passage(FERRY, body.index("Sailings"), len(body), ["weather"])
    with library._store.transaction() as db:  # as a re-import that removed its words would leave it
        library._passages.move(db, gone.id, replace(gone.anchor, start=None, end=None), "orphaned")
    library.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)
        await open_article(pilot, "ferry")
        await pilot.press("p")
        panel = app.screen.query_one(PassagesPanel)
        assert panel.display and app.focused is panel
        shown = [str(option.prompt) for option in panel.options]
        assert "evidence" in shown[0] and FIRST_PARAGRAPH in shown[0] and "Note: first note" in shown[0]
        assert ORPHANED in shown[1] and "Sailings depend on the tide" in shown[1]
        # enter: to the passage in the text
        await pilot.press("enter")
        assert app.screen.reader.selection_offsets == (0, len(FIRST_PARAGRAPH))
        assert app.focused is app.screen.reader.body
        # e: the same dialog, filled in
        panel.focus()
        await open_dialog(pilot, "e")
        dialog = app.screen
        assert isinstance(dialog, TagDialog)
        assert dialog.query_one("#tag-names", Input).value == "evidence"
        assert dialog.query_one("#tag-note", Input).value == "first note"
        dialog.query_one("#tag-names", Input).value = "claim"
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.passage(kept.id).tags == ("claim",)
        assert "claim" in str(panel.options[0].prompt)
        # d deletes, u undoes
        await pilot.press("d")
        await settle(pilot)
        assert app.library.passage(kept.id) is None
        assert "Passage deleted — press u to undo" in notes.text()
        assert len(panel.options) == 1
        await pilot.press("u")
        await settle(pilot)
        restored = app.library.passage(kept.id)
        assert restored is not None and restored.tags == ("claim",) and restored.note == "first note"
        assert len(panel.options) == 2
        await pilot.press("p")
        assert not panel.display


async def test_markup_in_tags_notes_and_quotes_is_shown_literally(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, "rates")
        await open_dialog(pilot, "down", "down", "v", "t")
        dialog = app.screen
        quote = str(dialog.query_one("#tag-quote").query_one("Static").render())
        assert "[b]not bold[/b]" in quote
        dialog.query_one("#tag-names", Input).value = "[b]loud[/b]"
        dialog.query_one("#tag-note", Input).value = "[red]not red[/red]"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")
        prompt = str(app.screen.query_one(PassagesPanel).options[0].prompt)
        assert "[b]loud[/b]" in prompt and "[red]not red[/red]" in prompt and "[b]not bold[/b]" in prompt
        await open_dialog(pilot, "T")
        assert "[b]loud[/b]" in str(app.screen.query_one("#tag-list").options[0].prompt)


async def test_a_tag_the_query_syntax_would_misread_is_quoted_in_the_filter(app):
    library = Library.open()
    library.tag_passage(FERRY, 0, 9, ["claim(disputed)"])
    library.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_dialog(pilot, "T")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.search_bar.query_text == 'tag:"claim(disputed)"'
        assert row_ids(app) == [FERRY]


async def test_a_save_that_fails_is_reported_and_the_app_carries_on(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = Notes(app)

        def broken(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(app.library, "tag_passage", broken)
        await open_article(pilot, "ferry")
        await tag_paragraph(pilot, "evidence")
        assert "Saving the passage failed: disk full" in notes.text()
        assert app.is_running and app.library.passages_of(FERRY) == []


async def test_the_palette_filters_by_each_tag(app):
    library = Library.open()
    library.tag_passage(FERRY, 0, 9, ["evidence"])
    library.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"filter by tag")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.search_bar.query_text == "tag:evidence"
        assert row_ids(app) == [FERRY]


async def test_shift_t_lists_the_tags_with_counts_and_enter_filters(app):
    library = Library.open()
    library.tag_passage(FERRY, 0, 9, ["evidence"])
    library.tag_passage(FERRY, 10, 19, ["evidence", "ferries"])
    library.close()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_dialog(pilot, "T")
        tags_screen = app.screen
        assert isinstance(tags_screen, TagsScreen)
        shown = [str(option.prompt) for option in tags_screen.query_one("#tag-list").options]
        assert "evidence" in shown[0] and "2 passages" in shown[0]
        assert "ferries" in shown[1] and "1 passage" in shown[1]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.search_bar.query_text == "tag:ferries"
        assert row_ids(app) == [FERRY]


def test_snapshot_tag_dialog(fixed_library_home, snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await open_article(pilot, "ferry")
        await open_dialog(pilot, "v", "t")
        await pilot.press(*"evidence")
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(NewsReaderApp(), terminal_size=SIZE, run_before=run_before)
