"""The index of one library: made when missing, written in batches, searched with a fresh searcher.

The index is derived data: the database holds every article's text, so the index stores
nothing but ids and a sortable date, and can always be rebuilt from the database.
"""

from __future__ import annotations

import errno
import pickle
import shutil
import struct
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import LockError
from whoosh.util.filelock import FileLock
from whoosh.writing import CLEAR

from tui_reader.core.articles import Article
from tui_reader.core.search import fixes  # noqa: F401  (corrects Whoosh's matchers on import)
from tui_reader.core.search.analysis import FEEDS_FIELD, SCHEMA
from tui_reader.core.search.codec import CompactCodec, DamagedIndexFile
from tui_reader.core.search.matchers import newest_first
from tui_reader.core.search.query import article_day, ranks

INDEX_VERSION = "6"  # bump when the schema, the analysis or the codec changes: the index is then rebuilt
_UPGRADABLE = "5"  # an index of this version only lacks the feeds field, which is added in place
_VERSION_FILE = "newsreader-index-version"
CODEC = CompactCodec()  # posting blocks that read several times faster than Whoosh's own (see codec.py)


# The merge policy of every commit. Whoosh's own (MERGE_SMALL) lets segments pile up and then merges
# nearly all of them at once: the fifth refresh of 4,000 articles into a library of 37,548 took 140 s
# instead of 19, rewriting the whole index. Here segments are merged by tiers of like size (each tier
# TIER_GROWTH times the one below, from TIER_FLOOR documents): once MERGE_AT segments share a tier,
# they become one of the next tier. Each article is rewritten once per tier, so a commit's merge stays
# proportionate to what was added, and a segment over MERGE_CAP documents is left as it is.
TIER_FLOOR = 1_000
TIER_GROWTH = 4
MERGE_AT = 4
MERGE_CAP = 100_000


def _tier(documents: int) -> int:
    """The tier of a segment: 0 below TIER_FLOOR documents, then one more for each TIER_GROWTH times as many."""
    tier, bound = 0, TIER_FLOOR
    while documents >= bound:
        tier += 1
        bound *= TIER_GROWTH
    return tier


def merge_by_tiers(writer, segments: list) -> list:
    """Whoosh's mergetype hook: merge the segments of the lowest tier that holds MERGE_AT or more (and
    none over MERGE_CAP documents); returns the segments left as they are."""
    from whoosh.reading import SegmentReader

    tiers: dict[int, list] = {}
    for segment in segments:
        if segment.doc_count_all() <= MERGE_CAP:
            tiers.setdefault(_tier(segment.doc_count_all()), []).append(segment)
    full = sorted(tier for tier, members in tiers.items() if len(members) >= MERGE_AT)
    if not full:
        return segments
    chosen = tiers[full[0]]
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in chosen]


class IndexBusy(RuntimeError):
    """Another writer (an import, another copy of newsreader) holds the index for longer than we wait."""


class IndexUnreadable(RuntimeError):
    """The index's files are damaged (cut short, garbled, missing): it must be rebuilt from the database."""


# The errors that mean the index's files are damaged, found by damaging each kind of file in turn
# (cutting it short, emptying it, overwriting it, deleting it) and searching. Only these clear the
# index; any other error while searching is a fault in the code, reported with the index untouched.
_DAMAGE = (
    DamagedIndexFile,  # a file not as written, seen by the codec or the day column, or no searcher opens on it
    whoosh_index.IndexError,  # Whoosh's: no table of contents, another format or architecture in it
    FileFormatError,  # a term file without its header (emptied)
    pickle.UnpicklingError,  # the table of contents and the term index hold pickles: a cut one
    EOFError,  # a pickle or a read that ran out of bytes: a file cut short
    struct.error,  # fixed-size records unpacked from a file cut short or overwritten
)
# Of the operating system's errors, only these say something of the files: a file gone (a segment
# deleted under us) and a seek outside a file cut short. Others (permissions, too many open files,
# a full disk) would not be mended by rebuilding, and are reported as they are.
_DAMAGE_ERRNOS = (errno.ENOENT, errno.EINVAL)


def _files_damaged(error: BaseException) -> bool:
    """Whether an error raised while reading the index means that its files are damaged."""
    if isinstance(error, OSError):
        return error.errno in _DAMAGE_ERRNOS
    return isinstance(error, _DAMAGE)


@contextmanager
def _reading():
    """Turns the errors of damaged files into IndexUnreadable; every other error goes on as it is."""
    try:
        yield
    except Exception as error:
        if _files_damaged(error):
            raise IndexUnreadable(f"{type(error).__name__}: {error}") from error
        raise


@dataclass(frozen=True)
class Hit:
    """One search result: an article id and its score."""

    id: str
    score: float


@dataclass(frozen=True)
class Results:
    """A page of hits and how many matched in all."""

    hits: list[Hit]
    total: int
    exact: bool  # False when total is only a lower bound (Library.count_matches counts exactly)


def _document(article: Article, tags: Iterable[str] = (), feeds: Iterable[str] = ()) -> dict:
    """The fields Whoosh indexes for one article."""
    return {
        "id": article.id,
        "title": article.title,
        "text": article.title + "\n\n" + article.body,
        "author": article.author or "",
        "source": article.source or "",
        "day": article_day(article.date),
        "url": article.url or "",
        "tags": ",".join(tags),
        "feeds": ",".join(name.replace(",", " ") for name in feeds),
    }


class SearchIndex:
    """The Whoosh index of one library: created when missing, searched with a refreshed searcher."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._searcher = None
        self._lock = threading.Lock()
        self.problem = ""  # why the index had to be made anew, for the user ("" when it was fine)
        self.fresh = False  # True when this open created the index (it holds nothing yet)
        # Only the folder's parent is made here, for the lock file: the folder itself is made (and
        # replaced) only under the creation lock, or it races with another process replacing it.
        folder.parent.mkdir(parents=True, exist_ok=True)
        self._index = self._open()

    @contextmanager
    def _creating(self):
        """Held, across processes, while one decides whether the index must be made anew and makes it.
        Two processes opening a new library at once would otherwise both create it, and one would
        delete the other's files while it wrote them. The lock file sits beside the folder, which
        creating replaces."""
        lock = FileLock(str(self.folder.with_name(self.folder.name + ".lock")))
        lock.acquire(blocking=True)
        try:
            yield
        finally:
            lock.release()

    def _open(self):
        """The index in the folder, or a new empty one when it is missing, outdated or unreadable."""
        version = self.folder / _VERSION_FILE
        with self._creating():
            try:
                if not whoosh_index.exists_in(str(self.folder)):
                    self.problem = "the search index was missing" if version.exists() else ""
                elif version.exists() and version.read_text().strip() in (INDEX_VERSION, _UPGRADABLE):
                    opened = whoosh_index.open_dir(str(self.folder))
                    if version.read_text().strip() == _UPGRADABLE:
                        self._add_feeds_field(opened)
                    with opened.searcher() as searcher:
                        searcher.doc_count()
                    return opened
                else:
                    self.problem = "the search index was made by another version"
            except Exception as error:  # any unreadable index is rebuilt from the database
                self.problem = f"the search index was damaged ({type(error).__name__}: {error})"
            return self._create()

    def _add_feeds_field(self, opened) -> None:
        """Bring a version-5 index to 6 by adding the empty feeds field: no article of it came from a
        feed, so nothing needs indexing again (a rebuild of a large library takes minutes)."""
        writer = opened.writer(timeout=30.0)
        try:
            writer.add_field("feeds", FEEDS_FIELD)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        (self.folder / _VERSION_FILE).write_text(INDEX_VERSION)

    def _create(self):
        """A new empty index, stamped with this version; whatever was in the folder goes (it is derived).
        Called with _creating() held."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        created = whoosh_index.create_in(str(self.folder), SCHEMA)
        (self.folder / _VERSION_FILE).write_text(INDEX_VERSION)
        self.fresh = True
        return created

    def doc_count(self) -> int:
        """How many articles the index holds."""
        with self._lock:
            return self._current_searcher().doc_count()

    def ids(self) -> set[str]:
        """The ids of every article the index holds."""
        with self._lock:
            return {value.decode() if isinstance(value, bytes) else value
                    for value in self._current_searcher().lexicon("id")}

    def write(self, articles: Iterable[tuple[Article, Iterable[str]] | tuple[Article, Iterable[str], Iterable[str]]],
              *, timeout: float = 60.0) -> int:
        """Add or replace articles (with their tags, and the names of the feeds they came from) in one
        commit; returns how many were written. An article given twice is written once, as last given:
        Whoosh's update_document replaces only what earlier commits hold, and would keep both."""
        latest = {entry[0].id: entry for entry in articles}
        try:
            # A bigger sorting pool keeps a batch's postings in memory: Whoosh's default (128 MB)
            # spills them to temporary files and merges them back, which doubled a commit's cost.
            # Separate segment files (not compound) cost less to write and far less memory to search.
            # (Two writer processes, procs=2, measured no faster on two cores, so there is one.)
            writer = self._index.writer(timeout=timeout, limitmb=512, compound=False, codec=CODEC)
        except LockError as error:
            raise IndexBusy("the index is being written by another process") from error
        try:
            for article, tags, *feeds in latest.values():
                writer.update_document(**_document(article, tags, feeds[0] if feeds else ()))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_by_tiers)
        return len(latest)

    def clear(self, *, timeout: float = 60.0) -> None:
        """Empty the index (before a rebuild). IndexBusy while another process writes to it."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            # A commit that drops every segment, under Whoosh's write lock, so that a writer in
            # another process is waited for rather than having its files deleted under it.
            try:
                writer = self._index.writer(timeout=timeout, codec=CODEC)
            except LockError as error:
                raise IndexBusy("the index is being written by another process") from error
            except Exception:  # too damaged to open a writer on: make it anew
                with self._creating():
                    self._index = self._create()
                return
            writer.commit(mergetype=CLEAR)

    def _current_searcher(self):
        """A searcher that sees the last commit (refreshing is cheap when nothing changed)."""
        # Not Searcher.refresh(): it reuses segment readers, and a reused reader misses the
        # deletions that a later commit made in its segment (a replaced article then shows twice).
        if self._searcher is not None and self._index.latest_generation() != self._searcher.reader().generation():
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            try:
                self._searcher = self._index.searcher()
            except Exception as error:
                # Opening reads the table of contents and each segment's files, and runs none of our
                # code but the codec's: whatever fails here is in the files (an emptied table of
                # contents fails with a TypeError, for one).
                raise DamagedIndexFile(f"cannot open the index ({type(error).__name__}: {error})") from error
        return self._searcher

    def search(self, query: Q.Query, limit: int = 50, sort: str = "relevance") -> Results:
        """The best hits for a parsed query, by relevance or newest first; IndexUnreadable when the
        index's files are damaged, ValueError for a limit below 1."""
        if limit < 1:
            raise ValueError(f"the number of results to show must be at least 1, not {limit}")
        with self._lock, _reading():
            searcher = self._current_searcher()
            if sort == "date" or not ranks(query):  # a query of filters alone: newest first
                docnums, total = newest_first(searcher, query, limit)
                return Results([Hit(searcher.stored_fields(docnum)["id"], 0.0) for docnum in docnums], total, True)
            # Without block-quality skipping: for a page of 50-100 hits it skips little and checks much
            # (the query set ran 7% faster without it, with the same ranks).
            results = searcher.search(query, limit=limit, optimize=False)
            hits = [Hit(hit["id"], hit.score) for hit in results]
            # A short page is the whole answer. Otherwise the count is of the documents the collector
            # looked at: it drops those that can no longer make the page (see fixes.py), so it is a
            # lower bound, whatever Whoosh's has_exact_length() says. Counting exactly is another pass.
            return Results(hits, len(results), len(hits) < limit)

    def count(self, query: Q.Query) -> int:
        """Exactly how many articles match (as costly as a search: run it when the answer can wait);
        IndexUnreadable when the index's files are damaged."""
        with self._lock, _reading():
            return sum(1 for _ in query.docs(self._current_searcher()))

    def close(self) -> None:
        """Release the searcher's open files."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
