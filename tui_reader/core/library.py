"""The library: one facade over the store and the index that the CLI and the app both use."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from tui_reader import locations
from tui_reader.core import anchoring, citations, importers
from tui_reader.core.articles import (
    CORRECTABLE, FULL_TEXT_MODES, Article, ArticleRow, Correction, Excerpt, Feed, Passage, paragraph_number,
)
from tui_reader.core.dates import normalize_date
from tui_reader.core.progress import FeedResult, FetchProgress, FetchReport, ImportProgress, ImportReport
from tui_reader.core.sanitize import clean_body, clean_line
from tui_reader.core.search import (
    Highlighter, IndexBusy, IndexUnreadable, QueryError, SearchIndex, feed_query, parse, tag_query,
)
from tui_reader.core.store import FeedStore, PassageStore, Store
from tui_reader.core.web import opml, refresh
from tui_reader.core.web.client import FetchError, Fetcher

__all__ = ["Library", "ImportReport", "ImportProgress", "SearchPage", "Highlighter", "IndexBusy", "QueryError", "NotFound",
           "QuoteNotFound", "IndexDamaged", "NoLibrary", "normalize_tags", "tag_query", "feed_query", "Feed",
           "FeedResult", "FetchProgress", "FetchReport", "FULL_TEXT_MODES"]

BATCH = 500  # articles per database transaction
PARALLEL_FEEDS = 8  # from this many feeds on, a refresh parses and extracts in other processes
INDEX_COMMIT_EVERY = 2.0  # seconds between index commits during an import: new articles become searchable that soon, and small commits measured fastest (15,020 articles: 103 s at 2 s, 144 s at 5 s, 162 s at 20 s)


@dataclass(frozen=True)
class SearchPage:
    """What a search shows: rows in order, how many matched, and how to highlight the matches."""

    query: str
    rows: list[ArticleRow]
    total: int  # how many matched; when not exact, a lower bound (count_matches counts exactly)
    exact: bool
    highlighter: Highlighter
    scores: dict[str, float] = field(default_factory=dict)


class NotFound(LookupError):
    """An article id or passage id that the library does not have."""


class IndexDamaged(RuntimeError):
    """The search index failed to read; it has been emptied and its articles wait to be indexed again."""


class QuoteNotFound(LookupError):
    """A quote that the article does not contain."""


def normalize_tags(names: Iterable[str]) -> list[str]:
    """Tag names as the library keeps them: lower case, no commas, spaces as hyphens; empties dropped."""
    tags = []
    for name in names:
        for part in clean_line(name).replace('"', "").split(","):  # a quote would break tag:"..." queries
            tag = "-".join(part.lower().split())
            if tag and tag not in tags:
                tags.append(tag)
    return tags


class NoLibrary(FileNotFoundError):
    """A library folder that does not exist (or holds no database), opened by a command that does not create one."""


class Library:
    """A library folder: the SQLite database (the truth) and the Whoosh index (derived)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self._store = Store(locations.database_file(home))
        self._index = SearchIndex(locations.index_folder(home))
        self._passages = PassageStore(self._store)
        self._feeds = FeedStore(self._store)
        # The index is derived: when it had to be made anew, every article waits to be indexed again.
        self.index_problem = ""
        if self._index.fresh and self._store.count():
            self.index_problem = self._index.problem or "the search index was missing"
            self._store.mark_all_unindexed()

    @classmethod
    def open(cls, home: str | Path | None = None, *, create: bool = True) -> "Library":
        """The library at --home, $NEWSREADER_HOME or the user's data folder; with create=False only one
        that exists (else NoLibrary), so that a command that only reads never leaves an empty library behind."""
        folder = locations.library_home(home)
        if not create and not locations.database_file(folder).is_file():
            raise NoLibrary(f"no library at {folder}")
        return cls(folder)

    def close(self) -> None:
        """Release files and connections."""
        self._index.close()
        self._store.close()

    # -- reading -------------------------------------------------------------------------------

    def count(self) -> int:
        """How many articles the library holds."""
        return self._store.count()

    def get(self, article_id: str) -> Article | None:
        """One article with its text."""
        return self._store.get(article_id)

    def reading(self, article_id: str) -> tuple[Article, list[Passage]] | None:
        """An article with its passages, read in one snapshot, so that the passages' offsets fit the text
        even while another process imports a new version of it; None if there is no such article."""
        with self._store.snapshot() as db:
            article = self._store.get(article_id)  # on this thread's connection: the snapshot's
            return (article, self._passages.for_article(article_id, db)) if article else None

    def search(self, text: str, limit: int = 50, sort: str = "relevance") -> SearchPage:
        """Rows for a query (QueryError if it is malformed, ValueError for a limit below 1); an empty
        query lists all, newest first. IndexDamaged when the index's files are damaged: it is then
        emptied and its articles wait to be indexed again. Any other error is not the index's fault
        and leaves it as it is."""
        if limit < 1:
            raise ValueError(f"the number of results to show must be at least 1, not {limit}")
        query = parse(text)
        if query is None:
            rows = self._store.all_rows()
            return SearchPage(text, rows, len(rows), True, Highlighter(None))
        with self._rebuilding_when_unreadable():
            results = self._index.search(query, limit=limit, sort=sort)
        rows = self._store.rows(hit.id for hit in results.hits)
        scores = {hit.id: hit.score for hit in results.hits}
        return SearchPage(text, rows, results.total, results.exact, Highlighter(query), scores)

    @contextmanager
    def _rebuilding_when_unreadable(self):
        """Around a read of the index: when its files are damaged, empty it (it is derived) so that
        its articles are indexed again, and raise IndexDamaged."""
        try:
            yield
        except IndexUnreadable as error:
            self.index_problem = f"the search index could not be read ({type(error.__cause__).__name__}); rebuilding it"
            try:
                self._index.clear()
                self._store.mark_all_unindexed()
            except IndexBusy:  # another process is writing to it: the next search that fails tries again
                pass
            raise IndexDamaged(self.index_problem) from error

    def listing(self, first: int) -> Iterator[SearchPage]:
        """What the empty query shows, in two pages: the newest `first` articles (with the library's
        count), then all of them. Reading and building a row per article takes 0.1-0.25 s at 37,548
        articles; the first page takes a millisecond, so a screen can be filled before the rest comes."""
        parts = self._store.all_rows_in_two(first)
        try:
            head = next(parts)
            yield SearchPage("", head, max(len(head), self._store.count()), True, Highlighter(None))
            rows = head + next(parts)
            yield SearchPage("", rows, len(rows), True, Highlighter(None))
        finally:
            parts.close()

    def count_matches(self, text: str) -> int:
        """Exactly how many articles match a query (SearchPage.total is a lower bound when not exact);
        QueryError if it is malformed, IndexDamaged as for search()."""
        query = parse(text)
        if query is None:
            return self._store.count()
        with self._rebuilding_when_unreadable():
            return self._index.count(query)

    def highlighter(self, text: str) -> Highlighter:
        """A highlighter for a query (an empty one for an empty or malformed query)."""
        try:
            return Highlighter(parse(text))
        except QueryError:
            return Highlighter(None)

    def excerpts(self, ids: Iterable[str], highlighter: Highlighter, width: int = 160) -> dict[str, Excerpt]:
        """One-line excerpts of several articles around their matches, with their match counts."""
        return {i: highlighter.excerpt(body, width) for i, body in self._store.bodies(ids).items()}

    # -- importing -----------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[str | Path],
        progress: Callable[[ImportProgress], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ImportReport:
        """Import files and folders: new articles added, changed ones updated, bad input named."""
        report = ImportReport()
        files, report.rejected = importers.find_inputs(paths)
        total = importers.total_size(files)
        started = time.monotonic()
        done_before = 0
        batch: list[Article] = []
        feeder = _IndexFeeder(self)

        def tell(position: int) -> None:
            if progress:
                progress(ImportProgress(done_before + position, total, report.total + len(batch), started))

        try:
            for path in files:
                for item in importers.read_input(path, tell):
                    if isinstance(item, Article):
                        batch.append(item)
                        if len(batch) >= BATCH:
                            feeder.add(self._save(batch, report))
                            batch = []
                    elif isinstance(item, importers.Rejection):
                        report.rejected.append(item)
                    else:
                        report.notices.append(item)
                    if cancelled():
                        break
                done_before += _size(path)
                if cancelled():
                    break
            feeder.add(self._save(batch, report))
        finally:
            feeder.finish()
        if not cancelled() and self.needs_sync():  # left over from an interrupted run or a lost index
            self.sync_index()
        tell(0)
        return report

    def import_samples(self) -> ImportReport:
        """Import the bundled sample articles (a new library starts with them)."""
        return self.import_paths([locations.sample_data()])

    def _save(self, batch: list[Article], report: ImportReport) -> list[Article]:
        """Write a batch in one transaction; returns the articles whose text is new or changed."""
        changed = []
        with self._store.transaction() as db:
            for article in batch:
                outcome = self._store.upsert(db, article)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome != "unchanged":
                    changed.append(article)
                if outcome == "updated":
                    self._reanchor(db, article)
            return self._store.with_corrections(db, changed)  # the index gets what the library shows

    def _reanchor(self, db, article: Article) -> None:
        """Find each passage of an edited article again, in the import's own transaction; a passage
        whose words are gone is kept as an orphan, with its last known quote and context."""
        for passage in self._passages.for_article(article.id, db):
            found = anchoring.resolve(passage.anchor, article.body)
            if found.found:
                self._passages.move(db, passage.id, anchoring.make_anchor(article.body, found.start, found.end), "anchored")
            else:
                self._passages.move(db, passage.id, replace(passage.anchor, start=None, end=None), "orphaned")

    # -- correcting metadata ---------------------------------------------------------------------

    @staticmethod
    def clean_corrections(**fields: str | None) -> dict[str, str | None]:
        """Corrected values as the library keeps them: safe single-line text as imports give it, a date as
        ISO, an empty value as none. ValueError (nothing written) for a field that cannot be corrected,
        an empty title, or a date newsreader cannot read."""
        cleaned: dict[str, str | None] = {}
        for name, value in fields.items():
            if name not in CORRECTABLE:
                raise ValueError(f"{name!r} cannot be corrected (only {', '.join(CORRECTABLE)})")
            text = clean_line(value)
            if name == "date":
                try:
                    cleaned[name] = normalize_date(text)
                except ValueError as error:
                    raise ValueError(f"date: {error}") from None
            elif name == "title" and not text:
                raise ValueError("the title cannot be empty")
            else:
                cleaned[name] = text or None
        return cleaned

    def edit(self, article_id: str, **fields: str | None) -> list[str]:
        """Correct an article's title, author, source or date (an empty author, source or date: none). The
        correction wins over every later import of the article; a value equal to the imported one ends
        the correction. Returns the fields whose value changed. ValueError as clean_corrections (before
        anything is written), NotFound for an unknown id."""
        changed = self._store.correct(article_id, self.clean_corrections(**fields))
        if changed is None:
            raise NotFound(f"no article with id {article_id!r}")
        if changed:
            self.reindex([article_id])  # searches, and the list's order by date, follow the correction
        return changed

    def undo_edit(self, article_id: str, fields: Iterable[str] = CORRECTABLE) -> list[str]:
        """End corrections of an article (all, by default): those fields show the imported values again.
        Returns the fields that had a correction; ValueError for an unknown field, NotFound for an unknown id."""
        names = list(fields)
        for name in names:
            if name not in CORRECTABLE:
                raise ValueError(f"{name!r} cannot be corrected (only {', '.join(CORRECTABLE)})")
        undone = self._store.uncorrect(article_id, names)
        if undone is None:
            raise NotFound(f"no article with id {article_id!r}")
        if undone:
            self.reindex([article_id])
        return undone

    def corrections(self, article_id: str) -> dict[str, Correction]:
        """An article's corrections by field, each with the value the last import gave (empty if none)."""
        return self._store.corrections(article_id)

    # -- passages and tags -----------------------------------------------------------------------

    def tag_passage(self, article_id: str, start: int, end: int, tags: Iterable[str], note: str = "") -> Passage:
        """Save the passage body[start:end] of an article with its tags and note."""
        article = self._article(article_id)
        tags = normalize_tags(tags)
        if not tags:
            raise ValueError("give at least one tag name")
        anchor = anchoring.make_anchor(article.body, start, end)
        passage = self._passages.add(article.id, anchor, tags, clean_body(note))
        self.reindex([article.id])
        return passage

    def tag_quote(self, article_id: str, quote: str, tags: Iterable[str], note: str = "") -> Passage:
        """Save the first passage of an article that reads as the quote (white space and quote marks forgiven)."""
        article = self._article(article_id)
        start, end = self.find_quote(article, quote)
        return self.tag_passage(article.id, start, end, tags, note)

    def find_quote(self, article: Article, quote: str) -> tuple[int, int]:
        """Where the quote stands in the article (white space and quote marks forgiven), or QuoteNotFound."""
        span = anchoring.find_quote(article.body, quote) if quote.strip() else None
        if span is None:
            raise QuoteNotFound(f"the quote is not in article {article.id!r}")
        return span

    def update_passage(self, passage_id: int, tags: Iterable[str] | None = None, note: str | None = None) -> Passage:
        """Retag a passage or change its note."""
        if tags is not None:
            tags = normalize_tags(tags)
            if not tags:
                raise ValueError("give at least one tag name")
        passage = self._passages.update(passage_id, tags, None if note is None else clean_body(note))
        if passage is None:
            raise NotFound(f"no passage {passage_id}")
        self.reindex([passage.article_id])
        return passage

    def delete_passage(self, passage_id: int) -> Passage:
        """Delete a passage; returns it so that the caller can offer an undo."""
        passage = self._passages.delete(passage_id)
        if passage is None:
            raise NotFound(f"no passage {passage_id}")
        self.reindex([passage.article_id])
        return passage

    def restore_passage(self, passage: Passage) -> Passage:
        """Undo a deletion."""
        restored = self._passages.restore(passage)
        self.reindex([passage.article_id])
        return restored

    def reindex(self, article_ids: Iterable[str]) -> None:
        """Bring these articles' index entries (their tags) up to date; if another process holds the
        index, they stay marked unindexed and the next sync picks them up."""
        ids = list(article_ids)
        articles = [a for a in (self._store.get(i) for i in ids) if a is not None]
        tags = self._passages.tags_by_article(ids)
        feeds = self._feeds.names_by_article(ids)
        try:
            self._index.write(((a, tags.get(a.id, ()), feeds.get(a.id, ())) for a in articles), timeout=10.0)
        except IndexBusy:
            return
        self._store.mark_indexed(ids)

    def passage(self, passage_id: int) -> Passage | None:
        """One passage, or None."""
        return self._passages.get(passage_id)

    def passages_of(self, article_id: str) -> list[Passage]:
        """The passages of one article, in text order."""
        return self._passages.for_article(article_id)

    def passage_count(self) -> int:
        """How many passages the library holds."""
        return self._passages.count()

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with how many passages carry it, most used first."""
        return self._passages.tag_counts()

    def passages_by_article(self, tag: str | None = None) -> list[tuple[Article, list[Passage]]]:
        """Passages (all, or those with a tag) grouped under their articles."""
        chosen = self._passages.with_tag(normalize_tags([tag])[0]) if tag else self._passages.all()
        groups: dict[str, list[Passage]] = {}
        for passage in chosen:
            groups.setdefault(passage.article_id, []).append(passage)
        return [(self._article(article_id), found) for article_id, found in groups.items()]

    # -- feeds and links -----------------------------------------------------------------------

    def add_feed(self, url: str, name: str | None = None, full_text: str = "auto") -> Feed:
        """Follow a feed (nothing is fetched yet). Its name defaults to its host's; ValueError for an
        address that is not http(s), an unknown full-text mode, or an address or name already followed."""
        address = refresh.normal_address(url)
        if not address:
            raise ValueError(f"not an http(s) address: {url!r}")
        if full_text not in FULL_TEXT_MODES:
            raise ValueError(f"--full-text is one of {', '.join(FULL_TEXT_MODES)}, not {full_text!r}")
        if name is not None:
            name = _feed_name(name)
            if not name:
                raise ValueError("a feed's name cannot be empty")
            return self._feeds.add(address, name, full_text)
        if self._feeds.find(address):
            self._feeds.add(address, "", full_text)  # raises: already followed
        host = urlsplit(address).hostname or "feed"
        base = _feed_name(host.removeprefix("www."))
        for number in range(1, 1000):
            candidate = base if number == 1 else f"{base} {number}"
            if self._feeds.find(candidate) is None:
                return self._feeds.add(address, candidate, full_text)
        raise ValueError(f"too many feeds named {base!r}; give a name")

    def feeds(self) -> list[Feed]:
        """Every feed the library follows, with its counts of articles and unread ones, by name."""
        return self._feeds.all()

    def feed(self, url_or_name: str) -> Feed:
        """One feed by its address or name (NotFound if none)."""
        found = self._feeds.find(url_or_name) or self._feeds.find(refresh.normal_address(url_or_name) or url_or_name)
        if found is None:
            raise NotFound(f"no feed with the address or name {url_or_name!r}")
        return found

    def remove_feed(self, url_or_name: str) -> Feed:
        """Stop following a feed; its articles stay in the library (and lose its feed: label)."""
        feed = self.feed(url_or_name)
        self.reindex(self._feeds.remove(feed.id))
        return feed

    def import_feeds(self, path: str | Path) -> tuple[list[Feed], list[str]]:
        """Follow the feeds of an OPML file or a newsboat urls file: those added, and what was skipped
        and why (already followed, not http(s), unreadable lines). OSError if the file cannot be read."""
        data = Path(path).read_bytes()
        subscriptions, problems = opml.read_subscriptions(data, str(path))
        added = []
        for subscription in subscriptions:
            try:
                added.append(self.add_feed(subscription.url, self._free_name(subscription.name)))
            except ValueError as error:
                problems.append(f"{subscription.url}: {error}")
        return added, problems

    def _free_name(self, name: str | None) -> str | None:
        """A name not yet taken, from the one a list gave (None: the host's, chosen by add_feed)."""
        name = _feed_name(name or "")
        if not name:
            return None
        candidate, number = name, 1
        while self._feeds.find(candidate) is not None:
            number += 1
            candidate = f"{name} {number}"
        return candidate

    def export_feeds(self) -> str:
        """Every feed followed, as an OPML 2.0 document."""
        return opml.write_opml(opml.Subscription(feed.url, feed.name) for feed in self._feeds.all())

    def fetch(self, names: Iterable[str] = (), progress: Callable[[FetchProgress], None] | None = None,
              cancelled: Callable[[], bool] = lambda: False, fetcher: Fetcher | None = None,
              processes: int | None = None) -> FetchReport:
        """Refresh every feed (or the named ones: NotFound for one not followed, before anything is
        fetched). Feeds are read in parallel (the fetcher keeps its limits per host and in all) and
        each is saved in one transaction as it arrives; new articles are searchable within seconds.
        When cancelled() turns true, the feeds saved so far stay saved and the rest wait for the next.
        processes: how many other processes parse and extract (None: none for a few feeds, else one
        per core but the one that indexes)."""
        names = list(names)
        feeds = [self.feed(name) for name in names] if names else self._feeds.all()
        feeds = list({feed.id: feed for feed in feeds}.values())
        report = FetchReport()
        own = fetcher is None
        fetcher = fetcher or Fetcher()
        feeder = _IndexFeeder(self)
        if processes is None:
            processes = 0 if len(feeds) < PARALLEL_FEEDS else max(1, min(4, (os.cpu_count() or 2) - 1))
        try:
            with refresh.cpu_runner(processes) as run, \
                    ThreadPoolExecutor(max_workers=8, thread_name_prefix="fetch") as pool:
                pending = {pool.submit(refresh.read_feed, fetcher, feed, self._feeds.entries(feed.id), cancelled, run)
                           for feed in feeds}
                while pending:
                    done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    for future in done:
                        try:
                            read = future.result()
                        except refresh.Interrupted:
                            continue
                        result = self._save_feed(read, feeder)
                        report.results.append(result)
                        if progress:
                            progress(FetchProgress(len(report.results), len(feeds), result))
                    if cancelled():
                        report.interrupted = True
                        for future in pending:
                            future.cancel()  # those not started; the running ones stop at their next page
                        break
        finally:
            feeder.finish()
            if own:
                fetcher.close()
        return report

    def _save_feed(self, read: refresh.FeedRead, feeder: "_IndexFeeder") -> FeedResult:
        """Save what one feed gave in one transaction: its new and changed entries' articles, the
        entries it brought, and how the fetch went."""
        feed = read.feed
        result = FeedResult(feed.name, feed.url, unchanged=read.unchanged, error=read.error,
                            not_modified=read.not_modified, page_problems=read.page_problems)
        with self._store.transaction() as db:
            if read.error is not None:
                self._feeds.record_fetch(db, feed.id, error=read.error)
                return result
            changed, entries = [], []
            for fetched in read.fetched:
                article_id = fetched.known_id
                if article_id is None:
                    # The same story reached another way (another feed, `add`): one article, as it is.
                    held = self._feeds.article_with_url(db, fetched.addresses)
                    if held is not None:
                        entries.append((fetched.key, held, fetched.digest))
                        changed.append(self._store.get(held))  # its feed: labels grow by this feed (same connection)
                        result.unchanged += 1
                        continue
                    article_id = fetched.article.id
                article = fetched.article.with_(id=article_id)
                outcome = self._store.upsert(db, article)
                if outcome == "imported":
                    result.new += 1
                elif outcome == "updated":
                    result.updated += 1
                    self._reanchor(db, article)
                else:
                    result.unchanged += 1
                if outcome != "unchanged":
                    changed.append(article)
                entries.append((fetched.key, article_id, fetched.digest))
            self._feeds.record_entries(db, feed.id, entries)
            self._feeds.record_fetch(db, feed.id, error=None, title=read.title, etag=read.etag,
                                     last_modified=read.last_modified)
            shown = self._store.with_corrections(db, [a for a in changed if a is not None])
        feeder.add(shown)
        return result

    def add_urls(self, urls: Iterable[str], progress: Callable[[FetchProgress], None] | None = None,
                 fetcher: Fetcher | None = None) -> FetchReport:
        """Save web pages as articles (their text and metadata extracted); one result per address, a
        page that cannot be fetched or holds no article named with the reason."""
        urls = list(dict.fromkeys(urls))
        report = FetchReport()
        own = fetcher is None
        fetcher = fetcher or Fetcher()
        feeder = _IndexFeeder(self)
        try:
            with ThreadPoolExecutor(max_workers=8, thread_name_prefix="add") as pool:
                futures = {url: pool.submit(self._read_link, fetcher, url) for url in urls}
                for url, future in futures.items():
                    result, article = future.result()
                    if article is not None:
                        with self._store.transaction() as db:
                            held = self._feeds.article_with_url(db, [article.url])
                            article = article.with_(id=held or article.id)
                            outcome = self._store.upsert(db, article)
                            if outcome == "updated":
                                self._reanchor(db, article)
                            shown = self._store.with_corrections(db, [article] if outcome != "unchanged" else [])
                        feeder.add(shown)
                        result.name = article.title
                        setattr(result, {"imported": "new"}.get(outcome, outcome), 1)
                    report.results.append(result)
                    if progress:
                        progress(FetchProgress(len(report.results), len(urls), result))
        finally:
            feeder.finish()
            if own:
                fetcher.close()
        return report

    @staticmethod
    def _read_link(fetcher: Fetcher, url: str) -> tuple[FeedResult, Article | None]:
        """Fetch and extract one page (in a worker thread): its result so far and its article."""
        result = FeedResult(url, url)
        address = refresh.normal_address(url)
        if not address:
            result.error = "not an http(s) address"
            return result, None
        try:
            page = refresh.read_page(fetcher, address)
        except FetchError as error:
            result.error = str(error)
            return result, None
        article = refresh.page_article(page, url)
        if article is None:
            result.error = "no article text found on the page"
        return result, article

    def mark_read(self, article_ids: Iterable[str], read: bool = True) -> None:
        """Mark articles read (the reader opened them), or unread again."""
        self._feeds.mark_read(article_ids, read)

    def is_read(self, article_id: str) -> bool:
        """Whether an article was read."""
        return self._feeds.is_read(article_id)

    # -- checking ------------------------------------------------------------------------------

    def check(self, repair: bool = False) -> list[str]:
        """Problems found in the library (an empty list when all is well); with repair, derived
        data is rebuilt: the index, and the offsets of passages whose quote has moved."""
        problems = []
        integrity = self._store.integrity()
        if integrity != "ok":
            problems.append(f"database: {integrity}")
        stored, indexed = set(self._store.ids()), self._index.ids()
        stale = self._store.unindexed_count()
        if self.index_problem:
            problems.append(self.index_problem)
        if stored - indexed:
            problems.append(f"index: {len(stored - indexed):,} articles missing from the search index")
        if indexed - stored:
            problems.append(f"index: {len(indexed - stored):,} entries for articles not in the database")
        if stale and not stored - indexed:
            problems.append(f"index: {stale:,} articles waiting to be indexed")
        misplaced = []
        anchored = self._passages.with_status("anchored")
        bodies = self._store.bodies({p.article_id for p in anchored})  # one read per article, not per passage
        for passage in anchored:
            body = bodies.get(passage.article_id)
            if body is None or body[passage.anchor.start:passage.anchor.end] != passage.anchor.exact:
                misplaced.append(passage)
        if misplaced:
            problems.append(f"passages: {len(misplaced):,} no longer where their quote is")
        orphans = len(self._passages.with_status("orphaned"))
        if repair:
            if indexed - stored or stored - indexed:
                self.rebuild_index()
            elif stale:
                self.sync_index()
            for article_id in {p.article_id for p in misplaced}:
                article = self._store.get(article_id)
                if article is not None:
                    with self._store.transaction() as db:
                        self._reanchor(db, article)
        if orphans:
            problems.append(f"note: {orphans:,} orphaned passages (their words left the article; kept, not lost)")
        return problems

    def backup(self, target: Path) -> None:
        """A consistent copy of the database (safe while the app or an import is running)."""
        self._store.backup(target)

    # -- citations -------------------------------------------------------------------------------

    def cite(self, article_id: str, style: str = "apa", fmt: str = "plain", quote: str | None = None) -> str:
        """An article's reference entry, or with a quote, the passage citation with its pinpoint."""
        article = self._article(article_id)
        return self.citation(article, style, fmt, None if quote is None else self.find_quote(article, quote))

    @staticmethod
    def citation(article: Article, style: str = "apa", fmt: str = "plain", span: tuple[int, int] | None = None) -> str:
        """The one route to a citation: the article's reference entry, or for body[start:end] the quote,
        its in-text citation with the paragraph, and the entry (the app's c and y, and the CLI's cite)."""
        if span is None:
            return citations.reference(article, style, fmt)
        start, end = span
        return citations.passage(article, article.body[start:end], paragraph_number(article.body, start), style, fmt)

    def _article(self, article_id: str) -> Article:
        """An article, or NotFound."""
        article = self._store.get(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}")
        return article

    def unindexed_count(self) -> int:
        """How many articles the index is missing or holds an old version of."""
        return self._store.unindexed_count()

    def needs_sync(self) -> bool:
        """True when some articles are not (or not in their current version) in the index."""
        return self._store.unindexed_count() > 0

    def sync_index(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Index every article the index is missing or holds an old version of; returns how many."""
        pending = self._store.unindexed_count()
        feeder = _IndexFeeder(self)
        done = 0
        try:
            for batch in self._store.unindexed_articles():
                feeder.add(batch)
                done += len(batch)
                if progress:
                    progress(done, pending)
        finally:
            feeder.finish()
        if not self.needs_sync():
            self.index_problem = ""  # whatever was wrong with the index, it is whole again
        return done

    def rebuild_index(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Throw the index away and build it again from the database."""
        self._store.mark_all_unindexed()
        self._index.clear()
        return self.sync_index(progress)


class _IndexFeeder:
    """Feeds changed articles to the index, committing every few seconds so that they become
    searchable while a long import goes on; the database marks them indexed only after a commit,
    so a crash between the two is repaired by the next sync."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.pending: list[Article] = []
        self.last_commit = time.monotonic()

    def add(self, articles: list[Article]) -> None:
        """Queue articles; commit when the last commit is old enough."""
        self.pending.extend(articles)
        if self.pending and time.monotonic() - self.last_commit >= INDEX_COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        """Write the queued articles to the index in one commit, then mark them indexed."""
        if not self.pending:
            return
        ids = [article.id for article in self.pending]
        tags = self.library._passages.tags_by_article(ids)
        feeds = self.library._feeds.names_by_article(ids)
        self.library._index.write((article, tags.get(article.id, ()), feeds.get(article.id, ())) for article in self.pending)
        self.library._store.mark_indexed(ids)
        self.pending = []
        self.last_commit = time.monotonic()

    def finish(self) -> None:
        """Commit whatever is still queued."""
        self.commit()


def _feed_name(name: str) -> str:
    """A feed's name as the library keeps it: one line, without the commas and quotes that feed: queries read."""
    return " ".join(clean_line(name).replace(",", " ").replace('"', " ").split())


def _size(path: Path) -> int:
    """A file's size, 0 when it cannot be read."""
    try:
        return path.stat().st_size
    except OSError:
        return 0
