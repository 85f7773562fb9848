"""Correcting an article's metadata: the store's migration, the library's edit and undo, re-imports that
keep corrections, searches that find the corrected values, and `newsreader edit` / `show` as a user runs them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader import locations
from tui_reader.core.articles import Anchor
from tui_reader.core.library import Library, NotFound
from tui_reader.core.store import SCHEMA_VERSION, Store

BODY = "The council met on Tuesday.\n\nIt voted to repair the harbour wall before winter."


def record(**changes) -> dict:
    """One article as a JSON record, with a byline that is a job title, the kind a user corrects."""
    return {"id": "a1", "title": "Council votes on harbour wall", "author": "John Avlon, Cnn Contributor",
            "source": "CNN Online News", "date": "2019-02-28", "url": "https://example.org/wall", "body": BODY,
            **changes}


def write(path: Path, *records: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path):
    library = Library(tmp_path / "library")
    library.import_paths([write(tmp_path / "in" / "a.jsonl", record(), record(
        id="a2", title="Ferry timetable", author="Ola Berg", source="Harbour News", date="2018-01-01", url=None))])
    yield library
    library.close()


# -- the store's migration ------------------------------------------------------------------------

# The schema of version 1 exactly as newsreader 1 made it (copied here on purpose: the test must keep
# building an old library whatever store.py becomes).
OLD_SCHEMA = """
CREATE TABLE articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, author TEXT, source TEXT, date TEXT, url TEXT,
    body TEXT NOT NULL, hash TEXT NOT NULL, imported_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_list ON articles (date DESC, title, id, author, source, url);
CREATE INDEX articles_unindexed ON articles (indexed) WHERE indexed = 0;
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, article_id TEXT NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL,
    suffix TEXT NOT NULL, start INTEGER, end INTEGER, status TEXT NOT NULL DEFAULT 'anchored',
    note TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, modified_at TEXT NOT NULL
);
CREATE INDEX passages_by_article ON passages (article_id);
CREATE TABLE passage_tags (
    passage_id INTEGER NOT NULL REFERENCES passages (id) ON DELETE CASCADE, tag TEXT NOT NULL,
    PRIMARY KEY (passage_id, tag)
);
CREATE INDEX passage_tags_by_tag ON passage_tags (tag);
PRAGMA user_version = 1;
"""


def old_library(home: Path) -> Path:
    """A library folder whose database newsreader 1 made: one article with a tagged passage, no index."""
    database = locations.database_file(home)
    database.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(database)
    db.executescript(OLD_SCHEMA)
    db.execute("INSERT INTO articles VALUES ('old', 'An old article', 'Ann Lee', 'Ledger', '2012-03-04', NULL, ?,"
               " 'h', '2020-01-01T00:00:00+00:00', '2020-01-01T00:00:00+00:00', 1)", (BODY,))
    db.execute("INSERT INTO passages (id, article_id, exact, prefix, suffix, start, end, note, created_at, modified_at)"
               " VALUES (7, 'old', 'The council met', '', ' on Tuesday.', 0, 15, 'a note', 't0', 't1')")
    db.execute("INSERT INTO passage_tags VALUES (7, 'meeting')")
    db.commit()
    db.close()
    return database


def test_an_old_library_is_upgraded_with_everything_it_held(tmp_path):
    home = tmp_path / "library"
    database = old_library(home)
    library = Library(home)
    try:
        article = library.get("old")
        assert (article.title, article.author, article.source, article.date, article.body, article.imported_at) == (
            "An old article", "Ann Lee", "Ledger", "2012-03-04", BODY, "2020-01-01T00:00:00+00:00")
        assert article.corrected == ()
        passage = library.passage(7)
        assert (passage.anchor, passage.note, passage.tags, passage.created_at) == (
            Anchor("The council met", "", " on Tuesday.", 0, 15), "a note", ("meeting",), "t0")
        assert library.edit("old", author="Ann B. Lee") == ["author"]  # the new table is there and works
        assert library.get("old").author == "Ann B. Lee"
    finally:
        library.close()
    db = sqlite3.connect(database)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_opening_an_upgraded_library_again_changes_nothing(tmp_path):
    database = old_library(tmp_path / "library")
    for _ in range(2):
        store = Store(database)
        store.close()
    db = sqlite3.connect(database)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    db.close()


def test_corrections_overwritten_by_a_version_1_newsreader_are_put_back(tmp_path, library):
    """newsreader 1 knows nothing of corrections: it re-imports over them and marks the library 1 again.
    The next upgrade puts each correction back and keeps the value that import gave as the imported one."""
    library.edit("a1", author="John P. Avlon")
    database = locations.database_file(library.home)
    library.close()
    db = sqlite3.connect(database)
    db.execute("UPDATE articles SET author = 'John Avlon, CNN' WHERE id = 'a1'")  # as version 1's re-import did
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    reopened = Library(library.home)
    try:
        assert reopened.get("a1").author == "John P. Avlon"
        assert reopened.corrections("a1")["author"].imported == "John Avlon, CNN"
    finally:
        reopened.close()


def test_a_newer_librarys_version_is_not_lowered(tmp_path):
    database = tmp_path / "library.db"
    Store(database).close()
    db = sqlite3.connect(database)
    db.execute("PRAGMA user_version = 9")
    db.commit()
    db.close()
    Store(database).close()
    db = sqlite3.connect(database)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 9
    db.close()


# -- the library ----------------------------------------------------------------------------------

def test_edit_shows_the_corrections_and_keeps_the_imported_values(library):
    changed = library.edit("a1", author="  John P.\tAvlon\x1b[31m ", source="CNN", date="March 1, 2019",
                           title="Council votes on the harbour wall")
    assert changed == ["author", "source", "date", "title"]
    article = library.get("a1")
    assert (article.title, article.author, article.source, article.date) == (
        "Council votes on the harbour wall", "John P. Avlon", "CNN", "2019-03-01")  # cleaned as imports are
    assert article.corrected == ("title", "author", "source", "date")
    corrections = library.corrections("a1")
    assert list(corrections) == ["title", "author", "source", "date"]
    assert {name: c.imported for name, c in corrections.items()} == {
        "title": "Council votes on harbour wall", "author": "John Avlon, Cnn Contributor",
        "source": "CNN Online News", "date": "2019-02-28"}
    assert library.get("a2").corrected == ()  # other articles untouched
    assert library.cite("a1", "apa").startswith("Avlon, J. P. (2019, March 1). Council votes on the harbour wall.")


def test_a_bad_date_or_an_empty_title_writes_nothing(library):
    with pytest.raises(ValueError, match="date: '31 Febtember 2019' is not in a date format"):
        library.edit("a1", author="Someone Else", date="31 Febtember 2019")
    with pytest.raises(ValueError, match="not a real date"):
        library.edit("a1", date="2019-02-30")
    with pytest.raises(ValueError, match="title cannot be empty"):
        library.edit("a1", title=" \x07 ")
    with pytest.raises(ValueError, match="cannot be corrected"):
        library.edit("a1", url="https://elsewhere.example")
    assert library.get("a1").author == "John Avlon, Cnn Contributor"
    assert library.corrections("a1") == {}
    with pytest.raises(NotFound):
        library.edit("nope", author="X")
    with pytest.raises(NotFound):
        library.undo_edit("nope", ["author"])


def test_an_empty_value_means_none_and_the_imported_value_ends_a_correction(library):
    assert library.edit("a1", author="") == ["author"]
    assert library.get("a1").author is None
    assert library.corrections("a1")["author"].value is None
    assert library.edit("a1", author="John Avlon, Cnn Contributor") == ["author"]  # back to what was imported
    assert library.corrections("a1") == {}
    assert library.edit("a1", date="2019-02-28", source="CNN Online News") == []  # no change at all


def test_undo_one_field_then_all(library):
    library.edit("a1", author="John P. Avlon", date="2019-03-01", source="CNN")
    assert library.undo_edit("a1", ["author"]) == ["author"]
    article = library.get("a1")
    assert (article.author, article.date, article.corrected) == ("John Avlon, Cnn Contributor", "2019-03-01",
                                                                   ("source", "date"))
    assert library.undo_edit("a1") == ["source", "date"]
    assert library.undo_edit("a1") == []
    article = library.get("a1")
    assert (article.source, article.date, article.corrected) == ("CNN Online News", "2019-02-28", ())


def test_a_reimport_updates_the_imported_values_and_the_corrections_win(library, tmp_path):
    library.edit("a1", author="John P. Avlon", date="2019-03-01")
    # The same file again: nothing changes.
    report = library.import_paths([tmp_path / "in" / "a.jsonl"])
    assert report.unchanged == 2
    assert library.get("a1").author == "John P. Avlon"
    # A new version with another byline, title and text: the text and the title (not corrected) follow
    # it; the corrected author and date stay, and record the new imported values.
    changed = record(author="J. Avlon, CNN", title="Council approves harbour wall", date="2019-02-27",
                     body=BODY + "\n\nWork starts in May.")
    report = library.import_paths([write(tmp_path / "in2" / "a.jsonl", changed)])
    assert report.updated == 1
    article = library.get("a1")
    assert (article.title, article.author, article.date) == ("Council approves harbour wall", "John P. Avlon", "2019-03-01")
    assert article.body.endswith("Work starts in May.")
    assert {name: c.imported for name, c in library.corrections("a1").items()} == {
        "author": "J. Avlon, CNN", "date": "2019-02-27"}
    # The index was fed the corrected article, not the imported one.
    assert [row.id for row in library.search('author:"john p. avlon"').rows] == ["a1"]
    assert library.search("author:cnn").rows == []
    # Undo now gives the newest imported value.
    library.undo_edit("a1", ["author"])
    assert library.get("a1").author == "J. Avlon, CNN"


def test_search_and_the_list_follow_corrections(library):
    assert [row.id for row in library.search("author:contributor").rows] == ["a1"]
    assert [row.id for row in library.search("harbour", sort="date").rows] == ["a1", "a2"]  # 2019, 2018
    library.edit("a1", author="Maria Olsen", source="Harbour Gazette", title="Wall vote", date="2017-06-01")
    assert [row.id for row in library.search("author:olsen").rows] == ["a1"]
    assert library.search("author:contributor").rows == []
    assert library.search("author:avlon").rows == []
    assert [row.id for row in library.search('source:"harbour gazette"').rows] == ["a1"]
    assert library.search("source:cnn").rows == []
    assert [row.id for row in library.search("title:wall").rows] == ["a1"]
    assert [row.id for row in library.search("date:2017").rows] == ["a1"]
    assert library.search("date:2019").rows == []
    # Newest first: the corrected date (2017) now sorts the article after a2 (2018).
    assert [row.id for row in library.search("").rows] == ["a2", "a1"]
    assert [row.id for row in library.search("harbour", sort="date").rows] == ["a2", "a1"]  # the index's date too
    assert library.search("").rows[1].author == "Maria Olsen"
    library.undo_edit("a1")
    assert [row.id for row in library.search("author:contributor").rows] == ["a1"]
    assert library.search("author:olsen").rows == []
    assert [row.id for row in library.search("").rows] == ["a1", "a2"]
    assert [row.id for row in library.search("harbour", sort="date").rows] == ["a1", "a2"]


# -- the command line ----------------------------------------------------------------------------

def run(home: Path, *args: str, code: int | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSREADER_HOME": str(home), "NEWSREADER_CONFIG": str(home.parent / "config.toml")}
    result = subprocess.run([sys.executable, "-m", "tui_reader", *args], capture_output=True, text=True, env=env,
                            timeout=300)
    if code is not None:
        assert result.returncode == code, result.stderr
    return result


@pytest.fixture
def cli_home(tmp_path):
    home = tmp_path / "library"
    run(home, "import", str(write(tmp_path / "in" / "a.jsonl", record())), code=0)
    return home


def test_cli_edit_show_search_cite_and_undo(cli_home):
    out = run(cli_home, "edit", "a1", "--author", "John P. Avlon", "--date", "1 March 2019", code=0).stdout
    assert "author: John P. Avlon (imported: John Avlon, Cnn Contributor)" in out
    assert "date: 2019-03-01 (imported: 2019-02-28)" in out
    shown = run(cli_home, "show", "a1", code=0).stdout.splitlines()
    assert "Author: John P. Avlon (corrected; imported: John Avlon, Cnn Contributor)" in shown
    assert "Date: 2019-03-01 (corrected; imported: 2019-02-28)" in shown
    assert "Source: CNN Online News" in shown
    data = json.loads(run(cli_home, "show", "a1", "--json", code=0).stdout)
    assert (data["author"], data["date"], data["source"]) == ("John P. Avlon", "2019-03-01", "CNN Online News")
    assert set(data["corrections"]) == {"author", "date"}
    assert data["corrections"]["author"]["value"] == "John P. Avlon"
    assert data["corrections"]["author"]["imported"] == "John Avlon, Cnn Contributor"
    assert data["corrections"]["date"]["imported"] == "2019-02-28"
    assert "T" in data["corrections"]["date"]["corrected_at"]
    assert "a1" in run(cli_home, "search", "author:avlon", code=0).stdout
    assert "a1" not in run(cli_home, "search", "author:contributor", code=0).stdout
    assert run(cli_home, "cite", "a1", "--style", "apa", code=0).stdout.startswith("Avlon, J. P.")

    out = run(cli_home, "edit", "a1", "--undo", "author", code=0).stdout
    assert "author: John Avlon, Cnn Contributor (the imported value again)" in out
    data = json.loads(run(cli_home, "show", "a1", "--json", code=0).stdout)
    assert (data["author"], list(data["corrections"])) == ("John Avlon, Cnn Contributor", ["date"])
    run(cli_home, "edit", "a1", "--undo", "all", code=0)
    data = json.loads(run(cli_home, "show", "a1", "--json", code=0).stdout)
    assert (data["date"], data["corrections"]) == ("2019-02-28", {})
    assert "corrected" not in run(cli_home, "show", "a1", code=0).stdout
    assert "nothing to undo" in run(cli_home, "edit", "a1", "--undo", "all", code=0).stdout


def test_cli_edit_to_no_author_and_the_title(cli_home):
    run(cli_home, "edit", "a1", "--author", "", "--title", "Wall vote", code=0)
    shown = run(cli_home, "show", "a1", code=0).stdout.splitlines()
    assert shown[0] == "Wall vote"
    assert "Author: none (corrected; imported: John Avlon, Cnn Contributor)" in shown
    assert "Title corrected; imported: Council votes on harbour wall" in shown


def test_cli_edit_refuses_bad_input_with_exit_2_and_writes_nothing(cli_home):
    result = run(cli_home, "edit", "a1", "--author", "Someone", "--date", "2019-13-45", code=2)
    assert "date: '2019-13-45' is not a real date" in result.stderr
    result = run(cli_home, "edit", "a1", "--title", "", code=2)
    assert "title cannot be empty" in result.stderr
    result = run(cli_home, "edit", "a1", code=2)
    assert "nothing to change" in result.stderr
    result = run(cli_home, "edit", "a1", "--author", "X", "--undo", "author", code=2)
    assert "both" in result.stderr
    assert "invalid choice" in run(cli_home, "edit", "a1", "--undo", "url", code=2).stderr
    assert json.loads(run(cli_home, "show", "a1", "--json", code=0).stdout)["corrections"] == {}
    assert "no article with id 'nope'" in run(cli_home, "edit", "nope", "--author", "X", code=1).stderr
