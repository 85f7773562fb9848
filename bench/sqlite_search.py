"""The two yardsticks for newsreader's search: SQLite FTS5 (porter stemming) and a plain substring scan,
both over one SQLite table of the same articles, answering the same queries for the same screen."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bench.corpus import lines
from bench.queries import BenchQuery, fts_query, scan_query, scan_words

LIMIT = 50  # rows a search returns
SHOWN = 20  # rows a screen shows, which get excerpts
EXCERPT = 160  # characters of an excerpt, as newsreader's

# The body last, as in newsreader's store: a column after a long body is read through its overflow pages.
_SCHEMA = """
CREATE TABLE articles (id TEXT, title TEXT, author TEXT, source TEXT, date TEXT, url TEXT, tags TEXT, body TEXT);
CREATE INDEX articles_by_date ON articles (date);
CREATE VIRTUAL TABLE fts USING fts5(
    title, body, author, source, tags,
    content='articles', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
"""
_ROW = "a.rowid, a.id, a.title, a.author, a.source, a.date, a.url, count(*) OVER ()"


def build(path: Path, source: Path, tags: dict[str, list[str]]) -> int:
    """A database of the articles in source (with their tags) and its FTS5 index; returns the count."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA)
    rows = (
        (r["id"], r.get("title") or "", r.get("author"), r.get("source"), r.get("date"), r.get("url"),
         ",".join(tags.get(r["id"], ())), r.get("body") or "")
        for r in map(json.loads, lines([source]))
    )
    with db:
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("INSERT INTO fts (rowid, title, body, author, source, tags)"
                   " SELECT rowid, title, body, coalesce(author, ''), coalesce(source, ''), tags FROM articles")
        # Title counts twice, as newsreader's field_boost=2.0 has it.
        db.execute("INSERT INTO fts (fts, rank) VALUES ('rank', 'bm25(2.0, 1.0, 1.0, 1.0, 1.0)')")
    count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    return count


class Fts5:
    """Searches through the FTS5 index: best rows by bm25 or newest first, snippets for the screen."""

    name = "FTS5"

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def search(self, query: BenchQuery, sort: str) -> int:
        """Run one search as a screen needs it; returns how many articles matched."""
        match, where, params = fts_query(query.tree)
        if match is None:  # dates only: nothing for FTS5 to do
            order = "a.date DESC" if sort == "date" else "a.rowid"
            sql = f"SELECT {_ROW} FROM articles a WHERE {where} ORDER BY {order} LIMIT {LIMIT}"
            rows = self.db.execute(sql, params).fetchall()
            shown = [row[0] for row in rows[:SHOWN]]
            marks = ",".join("?" * len(shown))
            self.db.execute(f"SELECT rowid, substr(body, 1, {EXCERPT}) FROM articles WHERE rowid IN ({marks})",
                            shown).fetchall()
            return rows[0][-1] if rows else 0
        order = "a.date DESC" if sort == "date" else "fts.rank"
        filters = f"AND {where}" if where else ""
        sql = (f"SELECT {_ROW} FROM fts JOIN articles a ON a.rowid = fts.rowid"
               f" WHERE fts MATCH ? {filters} ORDER BY {order} LIMIT {LIMIT}")
        rows = self.db.execute(sql, [match, *params]).fetchall()
        shown = [row[0] for row in rows[:SHOWN]]
        marks = ",".join("?" * len(shown))
        # 24 tokens: about the 160 characters of newsreader's excerpts.
        self.db.execute(f"SELECT rowid, snippet(fts, -1, '', '', '…', 24) FROM fts"
                        f" WHERE fts MATCH ? AND rowid IN ({marks})", [match, *shown]).fetchall()
        return rows[0][-1] if rows else 0

    def close(self) -> None:
        """Close the database."""
        self.db.close()


class Scan:
    """The way some terminal feed readers search: LIKE '%word%' over every row, newest first (it has no
    notion of relevance, so both sorts are the same query), excerpts cut around the first word found."""

    name = "substring scan"

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def search(self, query: BenchQuery, sort: str) -> int:
        """Run one search as a screen needs it; returns how many articles matched."""
        where, params = scan_query(query.tree)
        sql = f"SELECT {_ROW} FROM articles a WHERE {where} ORDER BY a.date DESC LIMIT {LIMIT}"
        rows = self.db.execute(sql, params).fetchall()
        shown = [row[0] for row in rows[:SHOWN]]
        marks = ",".join("?" * len(shown))
        words = [word.lower() for word in scan_words(query.tree)]
        for _, body in self.db.execute(f"SELECT rowid, body FROM articles WHERE rowid IN ({marks})", shown):
            _excerpt(body, words)
        return rows[0][-1] if rows else 0

    def close(self) -> None:
        """Close the database."""
        self.db.close()


def _excerpt(body: str, words: list[str]) -> str:
    """EXCERPT characters of body around the first of the words it contains."""
    lowered = body.lower()
    found = [at for at in (lowered.find(word) for word in words) if at >= 0]
    start = max(0, min(found, default=0) - EXCERPT // 5)
    return body[start : start + EXCERPT].replace("\n", " ")
