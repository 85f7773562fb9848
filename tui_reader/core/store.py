"""SQLite: the library's source of truth (articles, passages, tags, corrections); all SQL lives here.

The database runs in WAL mode so that one process can write while others read, and every
change is one transaction, so a crash or a kill leaves either all of a change or none of it.

The articles table holds what the library shows: the imported values, with the user's corrections
put over them. The corrections table keeps each correction with the imported value it replaced,
which a re-import updates; the correction stays on top. So the list (and its covering index), the
search index and the citations all read one place, and a correction is never lost to an import.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from tui_reader.core.articles import CORRECTABLE, Anchor, Article, ArticleRow, Correction, Feed, Passage

# 1: articles, passages, passage_tags. 2: corrections (see _migrate_to_2). 3: feeds, feed_entries, reads.
SCHEMA_VERSION = 3

# Version 1, as every library has it; each statement is idempotent, and later versions build on it.
_SCHEMA = """
DROP INDEX IF EXISTS articles_by_date;
CREATE TABLE IF NOT EXISTS articles (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    author      TEXT,
    source      TEXT,
    date        TEXT,
    url         TEXT,
    body        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    imported_at TEXT NOT NULL,   -- first import: the access date citations give
    updated_at  TEXT NOT NULL,
    indexed     INTEGER NOT NULL DEFAULT 0  -- 0 until the Whoosh index holds this version
);
-- Covers the list's query, so that listing every article reads this index, not 200 MB of text.
CREATE INDEX IF NOT EXISTS articles_list ON articles (date DESC, title, id, author, source, url);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles (indexed) WHERE indexed = 0;

CREATE TABLE IF NOT EXISTS passages (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL,    -- no foreign key cascade: a passage outlives anything done to its article
    exact       TEXT NOT NULL,
    prefix      TEXT NOT NULL,
    suffix      TEXT NOT NULL,
    start       INTEGER,
    end         INTEGER,
    status      TEXT NOT NULL DEFAULT 'anchored',  -- anchored | orphaned
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    modified_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_by_article ON passages (article_id);

CREATE TABLE IF NOT EXISTS passage_tags (
    passage_id  INTEGER NOT NULL REFERENCES passages (id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    PRIMARY KEY (passage_id, tag)
);
CREATE INDEX IF NOT EXISTS passage_tags_by_tag ON passage_tags (tag);
"""

_CORRECTIONS_TABLE = """
CREATE TABLE IF NOT EXISTS corrections (
    article_id   TEXT NOT NULL,  -- no foreign key cascade, as for passages
    field        TEXT NOT NULL CHECK (field IN ('title', 'author', 'source', 'date')),
    value        TEXT,           -- what the article shows; NULL: corrected to none (no author)
    imported     TEXT,           -- what the last import gave the field
    corrected_at TEXT NOT NULL,
    PRIMARY KEY (article_id, field)
) WITHOUT ROWID
"""

# Version 3: the feeds a library follows, the entries each feed brought (so that a refresh knows what
# it has seen, and never brings back an article the user removed), and which articles were read.
_FEED_TABLES = """
CREATE TABLE IF NOT EXISTS feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_text     TEXT NOT NULL DEFAULT 'auto' CHECK (full_text IN ('auto', 'always', 'never')),
    title         TEXT,           -- the feed's own title, as it last said
    etag          TEXT,           -- for conditional requests: a 304 costs no parsing
    last_modified TEXT,
    added_at      TEXT NOT NULL,
    last_fetched  TEXT,           -- the last attempt
    last_error    TEXT            -- why the last attempt failed; NULL when it worked
);
CREATE TABLE IF NOT EXISTS feed_entries (
    feed_id     INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    entry_key   TEXT NOT NULL,    -- the entry's id or GUID (else its link)
    article_id  TEXT NOT NULL,    -- no foreign key: kept when the article goes, so it is not fetched again
    entry_hash  TEXT NOT NULL,    -- the entry as last seen: an unchanged entry costs no page fetch
    PRIMARY KEY (feed_id, entry_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS feed_entries_by_article ON feed_entries (article_id);
CREATE TABLE IF NOT EXISTS reads (
    article_id  TEXT PRIMARY KEY,
    read_at     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS articles_by_url ON articles (url) WHERE url IS NOT NULL;
"""

# Statements that write one field of an article, by field name: a field's name never comes from outside.
_SET_FIELD = {name: f"UPDATE articles SET {name} = ?, indexed = 0 WHERE id = ?" for name in CORRECTABLE}

# The article's columns, and the fields the user corrected (comma-separated, or NULL).
_ARTICLE_COLUMNS = ("id, title, body, author, source, date, url, imported_at,"
                    " (SELECT group_concat(field) FROM corrections c WHERE c.article_id = articles.id)")
_ROW_COLUMNS = "id, title, author, source, date, url"
# The list of the whole library, read from its covering index (articles_list); NULL dates sort last.
_ALL_ROWS = f"SELECT {_ROW_COLUMNS} FROM articles ORDER BY date DESC, title, id"


def now() -> str:
    """The current time as an ISO UTC timestamp (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _use_wal(connection: sqlite3.Connection, timeout: float = 30.0) -> None:
    """Put the database in WAL mode (kept in the file, so this is a no-op after the first time).
    Two processes opening a new library at once both switch it, and SQLite answers the one that
    loses with "database is locked" at once, without waiting on the busy timeout: retry it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Store:
    """The SQLite library database; safe to share between threads (one connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []  # every thread's, so that close() closes all
        self._connections_lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    def _migrate(self) -> None:
        """Bring the database to SCHEMA_VERSION in one transaction: a new one is made whole, an older one
        is upgraded with everything it holds, and two processes opening it at once upgrade it once."""
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for statement in _statements(_SCHEMA):
                db.execute(statement)
            for number, migrate in _MIGRATIONS:
                if version < number:
                    migrate(db)
            if version < SCHEMA_VERSION:  # never lowered: a newer newsreader's library keeps its number
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Each connection is used by its own thread only; check_same_thread=False lets close()
            # close them all from the thread that shuts the library.
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            _use_wal(connection)
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA busy_timeout = 30000")
            self._local.connection = connection
            with self._connections_lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every read inside it sees the database as it was at the first, whatever
        other connections commit meanwhile (WAL keeps that version for it)."""
        db = self.db
        db.execute("BEGIN")  # deferred: the snapshot is taken by the first SELECT
        try:
            yield db
        finally:
            db.execute("COMMIT")  # nothing was written: this only ends the read

    def close(self) -> None:
        """Close every thread's connection (workers' threads end without closing theirs)."""
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()

    # -- articles ---------------------------------------------------------------------------

    def count(self) -> int:
        """How many articles the library holds."""
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def get(self, article_id: str) -> Article | None:
        """One article with its text, or None."""
        row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def ids(self) -> list[str]:
        """Every article id."""
        return [row[0] for row in self.db.execute("SELECT id FROM articles")]

    def bodies(self, ids: Iterable[str]) -> dict[str, str]:
        """The texts of several articles at once, by id."""
        ids = list(ids)
        found: dict[str, str] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT id, body FROM articles WHERE id IN ({marks})", chunk))
        return found

    def rows(self, ids: Iterable[str]) -> list[ArticleRow]:
        """Metadata rows for the given ids, in the order given (unknown ids left out)."""
        ids = list(ids)
        found: dict[str, ArticleRow] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT {_ROW_COLUMNS} FROM articles WHERE id IN ({marks})", chunk):
                found[row[0]] = ArticleRow(*row)
        return [found[i] for i in ids if i in found]

    def all_rows(self) -> list[ArticleRow]:
        """Every article's metadata, newest first (undated last)."""
        return list(map(ArticleRow._make, self.db.execute(_ALL_ROWS)))

    def all_rows_in_two(self, first: int) -> Iterator[list[ArticleRow]]:
        """all_rows() in two parts: the first `first` rows, then the rest. One statement reads both,
        so together they are one snapshot, whatever another process writes in between."""
        cursor = self.db.execute(_ALL_ROWS)
        try:
            yield list(map(ArticleRow._make, cursor.fetchmany(first)))
            yield list(map(ArticleRow._make, cursor.fetchall()))
        finally:
            cursor.close()

    def unindexed_articles(self, batch: int = 500) -> Iterator[list[Article]]:
        """The articles the index is missing or holds an old version of, in batches, for indexing."""
        cursor = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE indexed = 0")
        while chunk := cursor.fetchmany(batch):
            yield [_article(row) for row in chunk]

    def upsert(self, db: sqlite3.Connection, article: Article) -> str:
        """Insert or update one article inside a transaction: 'imported', 'updated' or 'unchanged'."""
        digest = article.content_hash
        old = db.execute("SELECT hash FROM articles WHERE id = ?", (article.id,)).fetchone()
        stamp = now()
        fields = (article.title, article.author, article.source, article.date, article.url, article.body, digest)
        if old is None:
            db.execute(
                "INSERT INTO articles (title, author, source, date, url, body, hash, id, imported_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*fields, article.id, stamp, stamp),
            )
            return "imported"
        if old[0] == digest:
            return "unchanged"
        db.execute(
            "UPDATE articles SET title = ?, author = ?, source = ?, date = ?, url = ?, body = ?, hash = ?,"
            " updated_at = ?, indexed = 0 WHERE id = ?",
            (*fields, stamp, article.id),
        )
        self._keep_corrections(db, article)
        return "updated"

    # -- corrections -------------------------------------------------------------------------

    def _keep_corrections(self, db: sqlite3.Connection, article: Article) -> None:
        """After an import wrote an article's new values: each correction records the new imported value
        as the one it replaces, and is put back over it."""
        query = "SELECT field, value FROM corrections WHERE article_id = ?"
        for name, value in db.execute(query, (article.id,)).fetchall():
            db.execute("UPDATE corrections SET imported = ? WHERE article_id = ? AND field = ?",
                       (getattr(article, name), article.id, name))
            db.execute(_SET_FIELD[name], (value, article.id))

    def with_corrections(self, db: sqlite3.Connection, articles: list[Article]) -> list[Article]:
        """Imported articles as the library shows them, their corrections applied (what the index gets)."""
        found: dict[str, dict[str, str | None]] = {}
        for chunk in _chunks([article.id for article in articles], 500):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT article_id, field, value FROM corrections WHERE article_id IN ({marks})"
            for article_id, name, value in db.execute(query, chunk):
                found.setdefault(article_id, {})[name] = value
        if not found:
            return articles
        return [a.with_(**found[a.id], corrected=_in_order(found[a.id])) if a.id in found else a for a in articles]

    def corrections(self, article_id: str) -> dict[str, Correction]:
        """An article's corrections by field name, in CORRECTABLE's order (empty when it has none)."""
        query = "SELECT field, value, imported, corrected_at FROM corrections WHERE article_id = ?"
        found = {row[0]: Correction(*row) for row in self.db.execute(query, (article_id,))}
        return {name: found[name] for name in _in_order(found)}

    def correct(self, article_id: str, values: dict[str, str | None]) -> list[str] | None:
        """Correct fields of an article in one transaction (values already clean); a value equal to the
        imported one ends that field's correction. The fields whose shown value changed; None if there
        is no such article."""
        with self.transaction() as db:
            row = db.execute(f"SELECT {', '.join(CORRECTABLE)} FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return None
            shown = dict(zip(CORRECTABLE, row))
            query = "SELECT field, imported FROM corrections WHERE article_id = ?"
            imported = shown | dict(db.execute(query, (article_id,)).fetchall())
            changed = []
            for name, value in values.items():
                if value == shown[name]:
                    continue
                if value == imported[name]:
                    db.execute("DELETE FROM corrections WHERE article_id = ? AND field = ?", (article_id, name))
                else:
                    db.execute(
                        "INSERT INTO corrections (article_id, field, value, imported, corrected_at) VALUES (?, ?, ?, ?, ?)"
                        " ON CONFLICT (article_id, field) DO UPDATE SET value = excluded.value,"
                        " corrected_at = excluded.corrected_at",
                        (article_id, name, value, imported[name], now()),
                    )
                db.execute(_SET_FIELD[name], (value, article_id))
                changed.append(name)
        return changed

    def uncorrect(self, article_id: str, names: Iterable[str]) -> list[str] | None:
        """End corrections of an article in one transaction: its fields show the imported values again.
        The fields that had a correction; None if there is no such article."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
                return None
            undone = []
            for name in names:
                key = (article_id, name)
                row = db.execute("SELECT imported FROM corrections WHERE article_id = ? AND field = ?", key).fetchone()
                if row is not None:
                    db.execute("DELETE FROM corrections WHERE article_id = ? AND field = ?", key)
                    db.execute(_SET_FIELD[name], (row[0], article_id))
                    undone.append(name)
        return undone

    def mark_indexed(self, ids: Iterable[str]) -> None:
        """Record that the index now holds these articles' current versions."""
        with self.transaction() as db:
            db.executemany("UPDATE articles SET indexed = 1 WHERE id = ?", ((i,) for i in ids))

    def mark_all_unindexed(self) -> None:
        """Record that the index holds nothing (before a rebuild)."""
        with self.transaction() as db:
            db.execute("UPDATE articles SET indexed = 0")

    def unindexed_count(self) -> int:
        """How many articles the index is missing or holds an old version of."""
        return self.db.execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0]

    def integrity(self) -> str:
        """SQLite's own integrity check: 'ok' or what is wrong."""
        return "; ".join(row[0] for row in self.db.execute("PRAGMA integrity_check"))

    def backup(self, target: Path) -> None:
        """A consistent copy of the database through SQLite's backup API (safe while others write)."""
        destination = sqlite3.connect(target)
        try:
            self.db.backup(destination)
        finally:
            destination.close()


_PASSAGE_COLUMNS = "id, article_id, exact, prefix, suffix, start, end, status, note, created_at, modified_at"


class PassageStore:
    """The passages table and their tags; every method that writes is one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, article_id: str, anchor: Anchor, tags: Iterable[str], note: str = "") -> Passage:
        """Save a new passage with its tags; its article is queued for re-indexing (tags are searchable)."""
        stamp = now()
        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO passages (article_id, exact, prefix, suffix, start, end, note, created_at, modified_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, *_anchor_values(anchor), note, stamp, stamp),
            )
            passage_id = cursor.lastrowid
            db.executemany("INSERT OR IGNORE INTO passage_tags VALUES (?, ?)", ((passage_id, t) for t in tags))
            db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (article_id,))
        return self.get(passage_id)

    def restore(self, passage: Passage) -> Passage:
        """Put back a deleted passage exactly as it was (undo)."""
        with self.store.transaction() as db:
            db.execute(
                f"INSERT INTO passages ({_PASSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (passage.id, passage.article_id, *_anchor_values(passage.anchor), passage.status, passage.note,
                 passage.created_at, passage.modified_at),
            )
            db.executemany("INSERT OR IGNORE INTO passage_tags VALUES (?, ?)", ((passage.id, t) for t in passage.tags))
            db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (passage.article_id,))
        return self.get(passage.id)

    def update(self, passage_id: int, tags: Iterable[str] | None = None, note: str | None = None) -> Passage | None:
        """Change a passage's tags and/or note."""
        with self.store.transaction() as db:
            row = db.execute("SELECT article_id FROM passages WHERE id = ?", (passage_id,)).fetchone()
            if row is None:
                return None
            if tags is not None:
                db.execute("DELETE FROM passage_tags WHERE passage_id = ?", (passage_id,))
                db.executemany("INSERT OR IGNORE INTO passage_tags VALUES (?, ?)", ((passage_id, t) for t in tags))
                db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (row[0],))
            if note is not None:
                db.execute("UPDATE passages SET note = ? WHERE id = ?", (note, passage_id))
            db.execute("UPDATE passages SET modified_at = ? WHERE id = ?", (now(), passage_id))
        return self.get(passage_id)

    def delete(self, passage_id: int) -> Passage | None:
        """Remove a passage; returns it as it was, so that the deletion can be undone."""
        passage = self.get(passage_id)
        if passage is None:
            return None
        with self.store.transaction() as db:
            db.execute("DELETE FROM passages WHERE id = ?", (passage_id,))
            db.execute("UPDATE articles SET indexed = 0 WHERE id = ?", (passage.article_id,))
        return passage

    def get(self, passage_id: int) -> Passage | None:
        """One passage with its tags."""
        found = self._select("WHERE id = ?", (passage_id,))
        return found[0] if found else None

    def _select(self, where: str = "", params: tuple = (), db: sqlite3.Connection | None = None) -> list[Passage]:
        """Passages matching a fixed condition, in article then text order, with their tags."""
        db = db or self.store.db
        rows = db.execute(
            f"SELECT {_PASSAGE_COLUMNS} FROM passages {where} ORDER BY article_id, start IS NULL, start, id", params
        ).fetchall()
        tags: dict[int, list[str]] = {}
        for chunk in _chunks([row[0] for row in rows], 500):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT passage_id, tag FROM passage_tags WHERE passage_id IN ({marks}) ORDER BY tag"
            for passage_id, tag in db.execute(query, chunk):
                tags.setdefault(passage_id, []).append(tag)
        return [Passage(row[0], row[1], Anchor(*row[2:7]), *row[7:], tags=tuple(tags.get(row[0], ()))) for row in rows]

    def for_article(self, article_id: str, db: sqlite3.Connection | None = None) -> list[Passage]:
        """The passages of one article."""
        return self._select("WHERE article_id = ?", (article_id,), db)

    def with_tag(self, tag: str) -> list[Passage]:
        """The passages carrying a tag."""
        return self._select("WHERE id IN (SELECT passage_id FROM passage_tags WHERE tag = ?)", (tag,))

    def all(self) -> list[Passage]:
        """Every passage."""
        return self._select()

    def with_status(self, status: str) -> list[Passage]:
        """The passages that are "anchored", or "orphaned"."""
        return self._select("WHERE status = ?", (status,))

    def count(self) -> int:
        """How many passages there are."""
        return self.store.db.execute("SELECT count(*) FROM passages").fetchone()[0]

    def move(self, db: sqlite3.Connection, passage_id: int, anchor: Anchor, status: str) -> None:
        """Record where a passage was found after its article changed (inside the import's transaction)."""
        db.execute(
            "UPDATE passages SET exact = ?, prefix = ?, suffix = ?, start = ?, end = ?, status = ? WHERE id = ?",
            (*_anchor_values(anchor), status, passage_id),
        )

    def tags_by_article(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """The tags of each article's passages (what the index's tags field holds)."""
        found: dict[str, list[str]] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            query = (
                "SELECT DISTINCT p.article_id, t.tag FROM passages p JOIN passage_tags t ON t.passage_id = p.id"
                f" WHERE p.article_id IN ({marks}) ORDER BY t.tag"
            )
            for article_id, tag in self.store.db.execute(query, chunk):
                found.setdefault(article_id, []).append(tag)
        return found

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with how many passages carry it, most used first."""
        query = "SELECT tag, count(*) FROM passage_tags GROUP BY tag ORDER BY count(*) DESC, tag"
        return [(tag, count) for tag, count in self.store.db.execute(query)]


_FEED_COLUMNS = "id, url, name, full_text, title, added_at, last_fetched, last_error, etag, last_modified"
# Per feed, how many of its entries' articles the library holds, and how many of those are unread.
_FEED_COUNTS = (
    f"SELECT {', '.join('f.' + c.strip() for c in _FEED_COLUMNS.split(','))},"
    " count(a.id), count(a.id) - count(r.article_id)"
    " FROM feeds f LEFT JOIN feed_entries e ON e.feed_id = f.id LEFT JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN reads r ON r.article_id = a.id"
)


class FeedStore:
    """The feeds table, the entries each feed brought, and read marks."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, url: str, name: str, full_text: str) -> Feed:
        """Follow a feed; ValueError when its address or its name is already followed."""
        try:
            with self.store.transaction() as db:
                db.execute("INSERT INTO feeds (url, name, full_text, added_at) VALUES (?, ?, ?, ?)",
                           (url, name, full_text, now()))
        except sqlite3.IntegrityError:
            same = self.find(url) or self.find(name)
            what = f"{same.url} is already followed as {same.name!r}" if same else "already followed"
            raise ValueError(what) from None
        return self.find(url)

    def all(self) -> list[Feed]:
        """Every feed with its counts, by name."""
        query = f"{_FEED_COUNTS} GROUP BY f.id ORDER BY f.name COLLATE NOCASE"
        return [Feed(*row) for row in self.store.db.execute(query)]

    def find(self, url_or_name: str) -> Feed | None:
        """The feed with this address or (case-insensitively) this name, with its counts."""
        query = f"{_FEED_COUNTS} WHERE f.url = ? OR f.name = ? GROUP BY f.id"
        row = self.store.db.execute(query, (url_or_name, url_or_name)).fetchone()
        return Feed(*row) if row else None

    def remove(self, feed_id: int) -> list[str]:
        """Stop following a feed (its articles stay in the library); returns their ids."""
        with self.store.transaction() as db:
            ids = [row[0] for row in db.execute("SELECT article_id FROM feed_entries WHERE feed_id = ?", (feed_id,))]
            db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))  # its entries go with it (cascade)
        return ids

    def entries(self, feed_id: int) -> dict[str, tuple[str, str, bool]]:
        """The entries a feed brought: key -> (article id, entry hash, whether the library still has the article)."""
        query = ("SELECT e.entry_key, e.article_id, e.entry_hash, a.id IS NOT NULL FROM feed_entries e"
                 " LEFT JOIN articles a ON a.id = e.article_id WHERE e.feed_id = ?")
        return {key: (article_id, digest, bool(held)) for key, article_id, digest, held in
                self.store.db.execute(query, (feed_id,))}

    def record_entries(self, db: sqlite3.Connection, feed_id: int, entries: Iterable[tuple[str, str, str]]) -> None:
        """Remember (entry key, article id, entry hash) for a feed, inside the caller's transaction."""
        db.executemany(
            "INSERT INTO feed_entries (feed_id, entry_key, article_id, entry_hash) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (feed_id, entry_key) DO UPDATE SET article_id = excluded.article_id,"
            " entry_hash = excluded.entry_hash",
            ((feed_id, key, article_id, digest) for key, article_id, digest in entries),
        )

    def record_fetch(self, db: sqlite3.Connection, feed_id: int, *, error: str | None, title: str | None = None,
                     etag: str | None = None, last_modified: str | None = None) -> None:
        """What a fetch of the feed said: its error, or (when it worked) its title and validators."""
        if error is not None:
            db.execute("UPDATE feeds SET last_fetched = ?, last_error = ? WHERE id = ?", (now(), error, feed_id))
        else:
            db.execute(
                "UPDATE feeds SET last_fetched = ?, last_error = NULL, title = coalesce(?, title), etag = ?,"
                " last_modified = ? WHERE id = ?", (now(), title, etag, last_modified, feed_id))

    def article_with_url(self, db: sqlite3.Connection, urls: Iterable[str | None]) -> str | None:
        """The id of an article the library holds under one of these addresses (the same story reached twice)."""
        for url in urls:
            if url:
                row = db.execute("SELECT id FROM articles WHERE url = ? LIMIT 1", (url,)).fetchone()
                if row:
                    return row[0]
        return None

    def names_by_article(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """The names of the feeds each article came from (what the index's feeds field holds)."""
        found: dict[str, list[str]] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            query = ("SELECT DISTINCT e.article_id, f.name FROM feed_entries e JOIN feeds f ON f.id = e.feed_id"
                     f" WHERE e.article_id IN ({marks}) ORDER BY f.name")
            for article_id, name in self.store.db.execute(query, chunk):
                found.setdefault(article_id, []).append(name)
        return found

    def mark_read(self, ids: Iterable[str], read: bool = True) -> None:
        """Mark articles read (or unread again)."""
        with self.store.transaction() as db:
            if read:
                db.executemany("INSERT OR IGNORE INTO reads (article_id, read_at) VALUES (?, ?)",
                               ((i, now()) for i in ids))
            else:
                db.executemany("DELETE FROM reads WHERE article_id = ?", ((i,) for i in ids))

    def is_read(self, article_id: str) -> bool:
        """Whether an article was read."""
        return self.store.db.execute("SELECT 1 FROM reads WHERE article_id = ?", (article_id,)).fetchone() is not None


def _migrate_to_2(db: sqlite3.Connection) -> None:
    """Version 2: the corrections table. A version-1 newsreader opening the library since may have
    re-imported an article over its corrections (it knows nothing of them, and marks the library 1
    again): where an article no longer shows its correction, what it shows is the newer imported
    value; record that, and put the correction back."""
    db.execute(_CORRECTIONS_TABLE)
    rows = db.execute(
        f"SELECT c.article_id, c.field, c.value, {', '.join('a.' + name for name in CORRECTABLE)}"
        " FROM corrections c JOIN articles a ON a.id = c.article_id"
    ).fetchall()
    for article_id, name, value, *shown in rows:
        now_shown = dict(zip(CORRECTABLE, shown))[name]
        if now_shown != value:
            db.execute("UPDATE corrections SET imported = ? WHERE article_id = ? AND field = ?", (now_shown, article_id, name))
            db.execute(_SET_FIELD[name], (value, article_id))


def _migrate_to_3(db: sqlite3.Connection) -> None:
    """Version 3: feeds, their entries, and read marks (new tables: nothing to move)."""
    for statement in _statements(_FEED_TABLES):
        db.execute(statement)


# (version, step): each step upgrades a database of the version before it, in order.
_MIGRATIONS = [(2, _migrate_to_2), (3, _migrate_to_3)]


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one by one (executescript would commit the transaction it runs in)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement.strip()
            statement = ""
    if statement.strip():
        yield statement.strip()


def _article(row: tuple) -> Article:
    """An Article from a row of _ARTICLE_COLUMNS."""
    *values, corrected = row
    return Article(*values, corrected=_in_order(corrected.split(",")) if corrected else ())


def _in_order(names: Iterable[str]) -> tuple[str, ...]:
    """Field names in CORRECTABLE's order."""
    names = set(names)
    return tuple(name for name in CORRECTABLE if name in names)


def _anchor_values(anchor: Anchor) -> tuple:
    """An anchor as the passages table's columns exact, prefix, suffix, start, end."""
    return anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end


def _chunks(items: list, size: int) -> Iterator[list]:
    """Consecutive slices of at most size items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
