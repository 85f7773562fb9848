"""Hostile articles in the app: control sequences never reach the screen, markup is shown as typed."""

from __future__ import annotations

import json
import re

import pytest

from conftest import SIZE, open_article, search, settle
from test_hostile import EVIL
from tui_reader.app.app import NewsReaderApp
from tui_reader.core.library import Library

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

pytestmark = pytest.mark.usefixtures("short_delays")


@pytest.fixture
def hostile_home(isolated_home, tmp_path):
    records = [
        {"id": "evil", "title": "Evil " + EVIL, "author": "By " + EVIL, "source": EVIL, "date": "2020-01-01",
         "url": "https://example.org/\x1b[31mevil", "body": "Before " + EVIL + " after.\n\nSecond paragraph."},
        {"id": "rtl", "title": "مرحبا بالعالم evil", "body": "نص عربي\n\n中文文本 😀 evil " + "x" * 5000},
    ]
    source = tmp_path / "hostile.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    library = Library(isolated_home)
    library.import_paths([source])
    library.tag_quote("evil", "Before", ["tag" + EVIL], note="note " + EVIL)
    library.close()
    return isolated_home


def painted(widget) -> str:
    """Every line a widget paints, as text."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


async def test_hostile_articles_are_listed_and_read_without_a_control_character(hostile_home):
    app = NewsReaderApp()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "evil")
        listed = painted(app.screen.article_list)
        assert "[@click=app.quit]x[/]" in listed and not CONTROLS.search(listed)
        await open_article(pilot, "before")
        reader = app.screen.query_one("ArticleView")
        assert reader.article.id == "evil"
        body = reader.body.text
        assert "[@click=app.quit]x[/]" in body and not CONTROLS.search(body.replace("\n", ""))
        shown = app.export_screenshot()
        assert "\x1b" not in shown and "app.quit" in shown
        await search(pilot, "tag:tag*")  # the tag name went through the same cleaning
        assert app.is_running  # nothing in the text clicked "quit"
