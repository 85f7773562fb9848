"""An article with one very long paragraph in the reader: every row painted as TextArea itself paints
it, hits in their colour at the right cells, and selections inside the paragraph kept as body offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea

import tui_reader.app
from conftest import SIZE
from tui_reader.app.reading.article_view import ArticleView
from tui_reader.app.tag_colours import tag_class
from tui_reader.core.articles import Article
from tui_reader.core.articles import Anchor, Passage

WORDS = ("the harbour board read its minutes aloud and noted that the tide came in early again "
         "while the ferry waited at the quay for the港口 pilot").split()
LEAD = "The harbour board met on Tuesday; the tide was high."
LONG_LENGTH = 44_158


def long_paragraph() -> str:
    """One paragraph of 44,158 characters: words in a shifting order (so rows break at different
    places), wide characters, and now and then a word too long for a row (folded mid-word)."""
    words, number = [], 0
    while sum(len(word) + 1 for word in words) < LONG_LENGTH:
        word = WORDS[(number * 7 + number // 11) % len(WORDS)]
        words.append("https://example.com/" + "minutes-" * 15 if number % 97 == 50 else word)
        number += 1
    return " ".join(words)[: LONG_LENGTH - 1] + "."


LONG = long_paragraph()
BODY = "\n\n".join([LEAD, LONG, "The tide fell by evening.", "Closing words."])
LONG_START = len(LEAD) + 2
LONG_END = LONG_START + len(LONG)
HITS = [(m.start(), m.end()) for m in re.finditer(r"\btide\b", BODY)]
DEEP_HIT = next(hit for hit in HITS if hit[0] > LONG_START + 30_000)


def passage(number: int, start: int, end: int, tag: str) -> Passage:
    """An anchored passage of BODY with one tag."""
    return Passage(number, "long", Anchor(BODY[start:end], "", "", start, end), "anchored", "", "", "", (tag,))


# One passage early in the paragraph, one around the deep hit (so the hit is painted over it).
PASSAGES = [passage(1, LONG_START + 200, LONG_START + 1_400, "minutes"),
            passage(2, DEEP_HIT[0] - 700, DEEP_HIT[1] + 300, "ferry")]


class ReaderApp(App):
    """The reader alone, styled by the app's own stylesheet (the colours of hits, passages, cursor)."""

    CSS_PATH = str(Path(tui_reader.app.__file__).with_name("newsreader.tcss"))
    AUTO_FOCUS = None  # the body gets the keyboard (and draws its cursor) only when a test focuses it

    def compose(self) -> ComposeResult:
        yield ArticleView(id="reader")


def test_the_body_has_one_paragraph_of_44158_characters():
    assert len(LONG) == LONG_LENGTH and "\n" not in LONG
    assert BODY.split("\n\n")[1] == LONG and len(HITS) > 50


def assert_painted_as_textarea_paints(body) -> None:
    """Every row on screen, compared with TextArea's own painting of it (which builds the whole line
    with get_line and cuts the row out); and the line cut into rows the way TextArea cuts it."""
    rows = body.scrollable_content_region.height
    for y in range(rows):
        assert body._render_line(y) == TextArea._render_line(body, y), f"row {y} (scrolled to {body.scroll_offset.y})"
    first = body.wrapped_document._offset_to_line_info[body.scroll_offset.y][0]
    for line_index in range(first, body.document.line_count):
        assert body.wrapped_document.get_sections(line_index) == WrappedDocument.get_sections(
            body.wrapped_document, line_index)


def screen_cells(body, offset: int) -> tuple[int, int]:
    """The (x, y) on the body's screen of a body offset (the body scrolled so that it is visible)."""
    x, y = body.wrapped_document.location_to_offset(body.location_of(offset))
    y -= body.scroll_offset.y
    assert 0 <= y < body.scrollable_content_region.height
    return x, y


@pytest.mark.parametrize("focused", [False, True], ids=["unfocused", "focused"])
async def test_every_row_of_the_long_paragraph_is_painted_as_textarea_paints_it(focused):
    app = ReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.query_one(ArticleView)
        body = reader.body
        reader.show(Article("long", "Long", BODY), HITS, PASSAGES)
        if focused:
            reader.focus_body()  # the cursor is drawn only in the focused body
        await pilot.pause()
        assert body.has_focus == focused
        assert body.wrapped_document.height > 250  # the paragraph takes hundreds of rows
        assert_painted_as_textarea_paints(body)  # the top: lead, and the first passage
        selections = [
            DEEP_HIT,  # n to a hit inside a passage: selection and cursor over hit over passage
            (DEEP_HIT[0] - 600, DEEP_HIT[1] + 900),  # across a dozen rows and the passage's ends
            (LONG_END - 250, len(BODY) - 5),  # out of the paragraph, over the empty line, into the next
            (LONG_END, LONG_END),  # the cursor in the cell after the paragraph's last character
            (LONG_START + 20_000, LONG_START + 20_000),  # the cursor alone, mid-paragraph
        ]
        for start, end in selections:
            reader.select_offsets(start, end)
            await pilot.pause()
            assert reader.selection_offsets == (start, end)
            assert_painted_as_textarea_paints(body)
        # Selected backwards (the cursor at the start) with the keyboard.
        reader.select_offsets(DEEP_HIT[1], DEEP_HIT[1])
        await pilot.press("shift+up", "shift+up", "shift+left")
        assert reader.selection_offsets[1] == DEEP_HIT[1]
        assert_painted_as_textarea_paints(body)


async def test_a_hit_deep_in_the_paragraph_is_painted_in_the_hit_colour_at_its_cells():
    app = ReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.query_one(ArticleView)
        body = reader.body
        reader.show(Article("long", "Long", BODY), HITS, PASSAGES)
        start, end = DEEP_HIT
        reader.select_offsets(start, start)  # scroll it into view; unfocused, so no cursor drawn over it
        await pilot.pause()
        x, y = screen_cells(body, start)
        strip = body.render_line(y)
        hit = body.get_component_rich_style("body-view--hit")
        ferry = body.get_component_rich_style(tag_class(["ferry"]))
        assert hit.bgcolor is not None and ferry.bgcolor is not None and hit.bgcolor != ferry.bgcolor
        cells = strip.crop(x, x + (end - start))
        assert cells.text == "tide"
        assert all(segment.style.bgcolor == hit.bgcolor and segment.style.bold for segment in cells)
        # Either side, inside the passage: the passage's colour, not bold.
        for outside in (strip.crop(x - 1, x), strip.crop(x + 4, x + 5)):
            assert [(s.style.bgcolor, s.style.bold) for s in outside] == [(ferry.bgcolor, None)]
        # The passage's last character, and the character after it: base background from there on.
        x, y = screen_cells(body, PASSAGES[1].anchor.end - 1)
        strip = body.render_line(y)
        assert strip.crop(x, x + 1).text == BODY[PASSAGES[1].anchor.end - 1]
        assert next(iter(strip.crop(x, x + 1))).style.bgcolor == ferry.bgcolor
        assert next(iter(strip.crop(x + 1, x + 2))).style.bgcolor == body.rich_style.bgcolor


async def test_a_selection_made_inside_the_paragraph_is_kept_as_body_offsets():
    app = ReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.query_one(ArticleView)
        body = reader.body
        reader.show(Article("long", "Long", BODY), HITS, PASSAGES)
        reader.focus_body()
        # The start of a row deep in the paragraph.
        breaks = body.wrapped_document.get_offsets(2)
        row = next(number for number, column in enumerate(breaks) if column > 30_000)
        start = LONG_START + breaks[row]
        reader.select_offsets(start, start)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert reader.selection_offsets == (start, start + 3)
        assert body.selected_text == BODY[start : start + 3]
        await pilot.press("shift+down")  # the same column, one row down
        assert reader.selection_offsets == (start, LONG_START + breaks[row + 1] + 3)
        assert body.selected_text == BODY[start : LONG_START + breaks[row + 1] + 3]
        await pilot.press("up", "up")
        assert reader.cursor_offset == LONG_START + breaks[row - 1] + 3
        # n from here: the first hit after the cursor.
        assert reader.next_hit()
        expected = next(hit for hit in HITS if hit[0] >= LONG_START + breaks[row - 1] + 3)
        assert reader.selection_offsets == expected and body.selected_text == "tide"
        # v: the whole paragraph.
        assert reader.select_paragraph()
        assert reader.selection_offsets == (LONG_START, LONG_END)
        assert body.selected_text == LONG


async def test_the_body_is_wrapped_at_the_width_it_is_shown_at_whatever_was_shown_before():
    """The long article after a short one (no scrollbar before, one after), and texts that look long
    but fit (zero-width accents): the wrap always matches the width the rows are painted at."""
    fits = "e\u0301 " * 2_200  # 6,600 characters in 4,400 cells: more characters than the pane has cells
    app = ReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.query_one(ArticleView)
        body = reader.body
        width, height = body.wrap_width - 1, body.scrollable_content_region.height  # (less the scrollbar)
        assert len(fits) > width * height and len(fits) * 2 // 3 < width * (height - 5)
        for text in ["Short.", BODY, "Short again.", fits, BODY, fits, "Short."]:
            reader.show(Article(str(hash(text)), "A", text), [], [])
            await pilot.pause()
            rows = body.wrapped_document.height
            assert rows > height if text == BODY else rows < height
            assert body.show_vertical_scrollbar == (rows > body.scrollable_content_region.height)
            fresh = WrappedDocument(body.document, tab_width=body.indent_width)
            fresh.wrap(body.wrap_width)
            assert [fresh.get_offsets(i) for i in range(body.document.line_count)] == [
                body.wrapped_document.get_offsets(i) for i in range(body.document.line_count)]
            assert_painted_as_textarea_paints(body)
        assert not body.show_vertical_scrollbar
