"""Shared fixtures: isolated library and config folders, and libraries built from known articles."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from tui_reader import locations
from tui_reader.core.library import Library

MARKUP_TITLE = "[VIDEO] Rates rise [b]again[/b]"
LONG_ID = "test-long"
LONG_LENGTH = 75_000


def long_body() -> str:
    """A generated 75,000-character body (no trailing spaces, which import strips); every tenth paragraph
    mentions the tide."""
    paragraphs = []
    number = 0
    while sum(len(p) + 2 for p in paragraphs) < LONG_LENGTH:
        topic = "the tide came in early" if number % 10 == 0 else "the committee read the accounts"
        paragraphs.append(" ".join([f"Paragraph {number}: {topic}, and the harbour board noted it in the minutes."] * 3))
        number += 1
    return "\n\n".join(paragraphs)[: LONG_LENGTH - 1] + "."


TEST_ARTICLES = [
    {
        "id": "test-markup",
        "title": MARKUP_TITLE,
        "author": "Ann [i]Lee[/i]",
        "source": "The [red]Daily[/red]",
        "date": "2020-01-02",
        "url": "https://example.com/rates",
        "body": "Rates rose again today, the bank said.\n\nA second paragraph: [b]not bold[/b] and rates again.",
    },
    {
        "id": "test-tide-many",
        "title": "Tide tables: the tide, the tide and the tide again",
        "author": "Ola Berg",
        "source": "Harbour News",
        "date": "2018-07-01",
        "url": "https://example.com/tide",
        "body": "The tide turned at noon.\n\nA high tide flooded the quay.\n\nThe tide fell by evening; another tide is due.",
    },
    {
        "id": "test-tide-once",
        "title": "Spring timetable for the ferry",
        "author": None,
        "source": "Harbour News",
        "date": "2021-03-01",
        "url": None,
        "body": "The ferry timetable changes in spring.\n\nSailings depend on the tide and on the weather at the harbour mouth.",
    },
    {
        "id": LONG_ID,
        "title": "Harbour board publishes its annual minutes",
        "author": None,
        "source": "Board Reports",
        "date": "2019-05-01",
        "url": None,
        "body": long_body(),
    },
]


def _write_articles(folder: Path) -> Path:
    """The test articles as a JSON Lines file, imported the way a user's files are."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "articles.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in TEST_ARTICLES) + "\n", encoding="utf-8")
    return path


def _build(home: Path, paths: list[Path]) -> Path:
    library = Library(home)
    try:
        report = library.import_paths(paths)
        assert not report.rejected, report.rejected
    finally:
        library.close()
    return home


@pytest.fixture(scope="session")
def built_libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Libraries built once per run and copied for each test: 'fixed' (the test articles) and 'full' (+ samples)."""
    root = tmp_path_factory.mktemp("built")
    articles = _write_articles(root / "input")
    return {
        "fixed": _build(root / "fixed", [articles]),
        "full": _build(root / "full", [articles, locations.sample_data()]),
    }


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty library folder and a config path of the test's own, through the environment; the
    system clipboard turned off (a test that wants it unsets NEWSREADER_CLIPBOARD and fakes pyperclip)."""
    home = tmp_path / "library"
    monkeypatch.setenv("NEWSREADER_HOME", str(home))
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("NEWSREADER_CLIPBOARD", "terminal")
    return home


@pytest.fixture
def library_home(isolated_home: Path, built_libraries: dict[str, Path]) -> Path:
    """The isolated library, holding the test articles and the samples."""
    shutil.copytree(built_libraries["full"], isolated_home)
    return isolated_home


@pytest.fixture
def fixed_library_home(isolated_home: Path, built_libraries: dict[str, Path]) -> Path:
    """The isolated library, holding only the test articles (for snapshots that must not change with the samples)."""
    shutil.copytree(built_libraries["fixed"], isolated_home)
    return isolated_home


# -- driving the app ----------------------------------------------------------------------------

SIZE = (160, 45)


class Notes:
    """Every notification the app asked for (the app still shows them)."""

    def __init__(self, app) -> None:
        self.messages: list[tuple[str, str]] = []
        show = app.notify

        def record(message: str, **options) -> None:
            self.messages.append((message, options.get("severity", "information")))
            show(message, **options)

        app.notify = record

    def text(self) -> str:
        return "\n".join(message for message, _ in self.messages)


@pytest.fixture
def short_delays(monkeypatch: pytest.MonkeyPatch) -> None:
    """Debounce timers still run, only shorter, so that the tests wait less."""
    from tui_reader.app import main_screen, watcher

    monkeypatch.setattr(main_screen, "SEARCH_DELAY", 0.01)
    monkeypatch.setattr(main_screen, "PREVIEW_DELAY", 0.01)
    monkeypatch.setattr(watcher, "SOON", 0.01)


async def settle(pilot) -> None:
    """Let the debounce timers fire and the workers they start finish (pause alone does not wait for
    workers); twice, since a search's results start the preview of the first row. Each worker is waited
    on in turn: one that a newer one of its group replaced (a search, a look of the watcher, an article's
    load) is cancelled, and gathering them all (workers.wait_for_complete) would give up at the first such."""
    for _ in range(2):
        await pilot.pause(0.02)
        for worker in list(pilot.app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause()


async def search(pilot, text: str) -> None:
    """Focus the bar, put text in it as a paste would (typing is slow in a test), and wait for the results."""
    await pilot.press("slash")
    pilot.app.screen.search_bar.input.value = text
    await settle(pilot)


async def open_article(pilot, query: str) -> None:
    """Search, read the first row (the keyboard goes into the text), and wait for it."""
    await search(pilot, query)
    await pilot.press("enter", "enter")
    await settle(pilot)


def row_ids(app) -> list[str]:
    """The ids of the rows listed, in order."""
    return [row.id for row in app.screen.article_list.rows]
