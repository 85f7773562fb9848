"""Whoosh: the full-text index. Schema, writing, query parsing, searching and highlights live here.

The index is derived data: the database holds every article's text, so the index stores
nothing but ids and a sortable date, and can always be rebuilt from the database.
"""

from __future__ import annotations

import heapq
import re
import shutil
import struct
import sys
import threading
from array import array
from contextlib import contextmanager
from bisect import bisect_left, bisect_right
from itertools import accumulate
from operator import sub
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.analysis import Analyzer, CharsetFilter, StandardAnalyzer, Token
from whoosh.analysis.analyzers import default_pattern
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem
from whoosh.index import LockError
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.formats import Positions
from whoosh.matching import ListMatcher, Matcher, NullMatcher, ReadTooFar
from whoosh.qparser import FieldAliasPlugin, PlusMinusPlugin, QueryParser
from whoosh.support.charset import accent_map
from whoosh.util.filelock import FileLock
from whoosh.writing import CLEAR

from tui_reader.core import whoosh_fixes  # noqa: F401  (corrects two of Whoosh's matchers on import)
from tui_reader.core.articles import Article
from tui_reader.core.postings import CompactCodec, from_disk

INDEX_VERSION = "4"  # bump when the schema or the analysis changes: the index is then rebuilt
_VERSION_FILE = "newsreader-index-version"


_TERMS: dict[str, str] = {}  # word as written -> indexed term ("" for a stop word)


def term_of(word: str) -> str:
    """The term the index keeps for one word: lower case, stemmed, accents folded ("" for a stop word)."""
    term = _TERMS.get(word)
    if term is None:
        if len(_TERMS) > 200_000:  # bound the cache; the vocabulary of news is mostly far smaller
            _TERMS.clear()
        lower = word.lower()
        term = "" if len(lower) < 2 or lower in STOP_WORDS else stem(lower).translate(accent_map)
        _TERMS[word] = term
    return term


# Whoosh's word pattern (default_pattern) with its group made non-capturing, for findall.
_WORDS = re.compile(default_pattern.pattern.replace("(\\.?", "(?:\\.?"), default_pattern.flags)
assert _WORDS.groups == 0


class NewsAnalyzer(Analyzer):
    """Stemmed English words with accents folded ("Clarin" finds "Clarín", "weapons" finds "weapon").

    It yields exactly what Whoosh's StemmingAnalyzer | CharsetFilter(accent_map) yields, in one
    loop with a cache of analysed words instead of a chain of five generators: indexing is
    bound by analysis, and this is about twice as fast.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = None
        for raw_position, match in enumerate(default_pattern.finditer(value), start_pos):
            word = match.group()
            term = _TERMS.get(word) or term_of(word)
            if term:
                token.stopped = False
                token.text = term
                # Stop words take no position after the first kept word, as StopFilter(renumber=True) does.
                position = raw_position if position is None else position + 1
            elif removestops:
                continue
            else:
                token.stopped = True
                token.text = word.lower().translate(accent_map)
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = raw_position if position is None or token.stopped else position
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term of a text with its positions, as __call__ would number them, without a Token
        per word: indexing calls this for every article's title and text."""
        found: dict[str, list[int]] = {}
        position = None
        terms = _TERMS
        for raw_position, word in enumerate(_WORDS.findall(value)):
            term = terms.get(word)
            if term is None:
                term = term_of(word)
            if term:
                position = raw_position if position is None else position + 1
                places = found.get(term)
                if places is None:
                    found[term] = [position]
                else:
                    places.append(position)
        return found

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))


_ONE_GAP = struct.Struct("<I").pack


class NewsPositions(Positions):
    """Word positions (for phrases) kept as an array of gaps rather than a pickled list.

    With NewsAnalyzer it takes each term's positions in one pass (NewsAnalyzer.positions) instead of
    a Token per word; the encoding is about twice as quick to write and to read back."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, NewsAnalyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for term, places in analyzer.positions(value).items():
            yield term, len(places), len(places) * boost, encode(places)

    def encode(self, poslist) -> bytes:
        if len(poslist) == 1:  # most words occur once in an article
            return _ONE_GAP(poslist[0])
        if not poslist:
            return b""
        return struct.pack(f"<{len(poslist)}I", poslist[0], *map(sub, poslist[1:], poslist))

    def decode_positions(self, valuestring) -> list[int]:
        return list(accumulate(from_disk("I", valuestring, 0, len(valuestring) // 4)))

    def decode_frequency(self, valuestring) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring) -> float:
        return self.decode_frequency(valuestring) * self.field_boost


ANALYZER = NewsAnalyzer()
CODEC = CompactCodec()  # posting blocks that read several times faster than Whoosh's own (see postings.py)
NAME_ANALYZER = StandardAnalyzer(stoplist=None) | CharsetFilter(accent_map)

def _news_text() -> TEXT:
    """A text field analysed by NewsAnalyzer, with positions in NewsPositions' layout."""
    field = TEXT(analyzer=ANALYZER)
    field.format = NewsPositions(field_boost=field.format.field_boost)
    return field


# Words are searched in one field, "text" (title and body together): one posting list per word
# instead of a title-or-body union per word makes queries faster. Titles are indexed on their
# own too, to rank title matches higher and to answer title: queries.
SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    title=_news_text(),
    text=_news_text(),
    author=TEXT(analyzer=NAME_ANALYZER),
    source=TEXT(analyzer=NAME_ANALYZER),
    day=NUMERIC(int, bits=32, signed=False, sortable=True),  # 20150308; 0 when undated
    date=ID,  # never filled: it lets the parser read date:2015 and ranges, which become day ranges
    url=ID,
    tags=KEYWORD(lowercase=True, commas=True, scorable=True),
)
TITLE_BOOST = 2.0
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# What a user may type before a colon; "tag" is the user's word for the tags field.
FIELDS = ("title", "body", "author", "source", "date", "url", "tag")
MAX_QUERY_LENGTH = 1000
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class IndexBusy(RuntimeError):
    """Another writer (an import, another copy of newsreader) holds the index for longer than we wait."""


class QueryError(ValueError):
    """A query the user typed that cannot be run; the message says what is wrong."""


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


def _validate(text: str) -> None:
    """Raise QueryError for what Whoosh would silently misread."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query too long ({len(text):,} characters; the limit is {MAX_QUERY_LENGTH:,})")
    if _CONTROL.search(text):
        raise QueryError("control characters are not allowed in a query")
    if text.count('"') % 2:
        raise QueryError('unbalanced quote: close the phrase with another "')
    depth = 0
    for part in text.split('"')[::2]:  # outside phrases
        for char in part:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                raise QueryError("unbalanced parenthesis: a ) without its (")
        for name in _FIELD_PREFIX.findall(part):
            if name.lower() not in FIELDS:
                raise QueryError(f"unknown field '{name}:' (fields: {', '.join(FIELDS)})")
    if depth:
        raise QueryError("unbalanced parenthesis: a ( without its )")
    if re.search(r"(?<![\w*])\*", text):
        raise QueryError("a * must follow some letters, as in assa*")


def _make_parser() -> QueryParser:
    """The query parser: words in the text, all required; OR, NOT, -, phrases, prefix*, fields."""
    parser = QueryParser("text", SCHEMA)
    # "-word" excludes; a hyphen inside a word (al-Assad, 2015-03) is part of it.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    parser.add_plugin(FieldAliasPlugin({"tags": ["tag"], "text": ["body"]}))
    return parser


_PARSER = _make_parser()


def parse(text: str) -> Q.Query | None:
    """A Whoosh query for what the user typed; None for an empty query (list everything)."""
    text = text.strip()
    if not text:
        return None
    _validate(text)
    # Field names are case-insensitive for the user but not for Whoosh; phrases are left as typed.
    parts = text.split('"')
    parts[::2] = [_FIELD_PREFIX.sub(lambda m: m.group(1).lower() + ":", part) for part in parts[::2]]
    try:
        parsed = _PARSER.parse('"'.join(parts))
    except Exception as error:  # Whoosh raises assorted errors for odd syntax; the user gets one kind
        raise QueryError(f"cannot read the query: {error}") from error
    parsed = _rewrite(parsed)
    if parsed is Q.NullQuery or isinstance(parsed, type(Q.NullQuery)):
        raise QueryError("nothing to search for: only common words such as 'the' or 'a'")
    return _boost_titles(parsed)


def _boost_titles(query: Q.Query) -> Q.Query:
    """Rank articles higher whose title has the query's words: an optional clause, scored only
    for the articles the query matched, so it costs little."""
    words = sorted({leaf.text for leaf in _leaves(query) if isinstance(leaf, Q.Term) and leaf.fieldname == "text"}
                   | {w for leaf in _leaves(query) if isinstance(leaf, Q.Phrase) and leaf.fieldname == "text"
                      for w in leaf.words})
    if not words:
        return query
    # DefaultOr: a tree of unions that skips along with the query. Plain Or preloads every title
    # match of a small segment into an array first, which cost more than the whole query.
    return Q.AndMaybe(query, Q.DefaultOr([Q.Term("title", word) for word in words], boost=TITLE_BOOST))


def _rewrite(node: Q.Query) -> Q.Query:
    """Dates become day ranges (date:2015 means every day of 2015, and [2013-01 to 2014-06] includes
    all of June 2014); phrases become ExactPhrase."""
    if type(node) is Q.Phrase and node.slop == 1:
        return ExactPhrase(node.fieldname, node.words, boost=node.boost)
    if getattr(node, "fieldname", None) == "date":
        if isinstance(node, Q.Term):
            return DayRange(_day(node.text, first=True), _day(node.text, first=False))
        if isinstance(node, Q.TermRange):
            start = _day(node.start, first=True) if node.start else 1
            end = _day(node.end, first=False) if node.end else None
            return DayRange(start, end)
        raise QueryError("dates are written 2015, 2015-03 or 2015-03-08, or as a range [2013-01 to 2014-06]")
    if node.is_leaf():
        return node
    return node.apply(_rewrite)


def _day(text: str, first: bool) -> int:
    """A year, month or day as the first (or last) day number it covers: 2015 -> 20150101 (20151231)."""
    match = _DATE.match(text.strip())
    if not match:
        raise QueryError(f"'{text}' is not a date: write 2015, 2015-03 or 2015-03-08")
    year, month, day = match.groups()
    if month is None:
        return int(year) * 10000 + (101 if first else 1231)
    if day is None:
        return int(year) * 10000 + int(month) * 100 + (1 if first else 31)
    return int(year) * 10000 + int(month) * 100 + int(day)


class ExactPhrase(Q.Phrase):
    """Words next to each other, in order: Whoosh's Phrase, matched faster.

    Whoosh intersects the words in the order written and turns each candidate's positions into Span
    objects; here the rarest word leads the intersection and positions are compared as sets of
    integers. Matches and scores are the same (the sum of the words' scores); tests compare them.
    """

    def matcher(self, searcher, context=None):
        field = searcher.schema[self.fieldname] if self.fieldname in searcher.schema else None
        if field is None or not field.format.supports("positions") or self.boost != 1.0:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        words = []
        for word in self.words:
            word = field.to_bytes(word)
            if (self.fieldname, word) not in reader:
                return NullMatcher()  # a word that is nowhere: no article has the phrase
            words.append(word)
        matchers = [Q.Term(self.fieldname, word).matcher(searcher, context) for word in words]
        rarity = sorted(range(len(words)), key=lambda i: reader.doc_frequency(self.fieldname, words[i]))
        return _PhraseMatcher(matchers, rarity, field.format)


class _PhraseMatcher(Matcher):
    """Documents where the words' positions follow one another (see ExactPhrase)."""

    def __init__(self, matchers: list, rarity: list[int], format_, find: bool = True) -> None:
        self._matchers = matchers  # in the phrase's order
        self._lead = matchers[rarity[0]]
        self._others = [matchers[i] for i in rarity[1:]]
        self._rarity = rarity
        self._format = format_
        self._active = True
        if find:
            self._find()

    def _find(self) -> None:
        """Move to the first document, from the lead's current one on, that has the phrase."""
        lead, others = self._lead, self._others
        while lead.is_active():
            target = lead.id()
            for other in others:
                if other.is_active():
                    other.skip_to(target)
                if not other.is_active():
                    self._active = False
                    return
                if other.id() != target:
                    lead.skip_to(other.id())
                    break
            else:
                if self._adjacent():
                    return
                lead.next()
        self._active = False

    def _adjacent(self) -> bool:
        """Whether the current document has the words at consecutive positions."""
        decode = self._format.decode_positions
        starts = set(decode(self._matchers[0].value()))
        for offset, matcher in enumerate(self._matchers[1:], start=1):
            starts.intersection_update([position - offset for position in decode(matcher.value())])
            if not starts:
                return False
        return True

    def is_active(self) -> bool:
        return self._active

    def id(self) -> int:
        return self._lead.id()

    def next(self) -> None:
        self._lead.next()
        self._find()

    def skip_to(self, id: int) -> None:
        if not self._active:
            raise ReadTooFar
        if id > self._lead.id():
            self._lead.skip_to(id)
            self._find()

    def score(self) -> float:
        return sum(matcher.score() for matcher in self._matchers)

    def weight(self) -> float:
        return sum(matcher.weight() for matcher in self._matchers)

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # An upper bound, as Whoosh's phrase matcher gives: the best each word could score.
        return sum(matcher.max_quality() for matcher in self._matchers)

    def block_quality(self) -> float:
        return sum(matcher.block_quality() for matcher in self._matchers)

    def replace(self, minquality=0):
        if not self._active or (minquality and self.max_quality() < minquality):
            return NullMatcher()
        return self

    def copy(self) -> "_PhraseMatcher":
        copied = _PhraseMatcher([m.copy() for m in self._matchers], self._rarity, self._format, find=False)
        copied._active = self._active
        return copied


class DayRange(Q.Query):
    """Articles dated from start to end (day numbers like 20150308, both inclusive; no end when None).

    Read from the sortable day column instead of Whoosh's NumericRange, which unions the postings
    of many range terms: at 37,548 articles that union alone cost about 50 ms a query, while a
    bisection in the day column, sorted once per segment and cached, costs well under one.
    """

    fieldname = "day"
    boost = 1.0

    def __init__(self, start: int, end: int | None) -> None:
        self.start, self.end = start, end

    def __repr__(self) -> str:
        return f"DayRange({self.start}, {self.end})"

    def __eq__(self, other) -> bool:
        return type(other) is DayRange and (other.start, other.end) == (self.start, self.end)

    def __hash__(self) -> int:
        return hash((DayRange, self.start, self.end))

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader) -> int:
        return ixreader.doc_count()

    def matcher(self, searcher, context=None):
        """Every live document of the searcher's reader in the range, with a constant score."""
        reader = searcher.reader()
        leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
        ids: list[int] = []
        for leaf, offset in leaves:
            _, days, order = _segment_days(leaf)
            low = bisect_left(days, self.start)
            high = len(days) if self.end is None else bisect_right(days, self.end)
            found = sorted(order[low:high])
            if leaf.has_deletions():
                found = [docnum for docnum in found if not leaf.is_deleted(docnum)]
            ids.extend([docnum + offset for docnum in found] if offset else found)
        return _IdsMatcher(ids) if ids else NullMatcher()


class _IdsMatcher(ListMatcher):
    """A sorted list of document numbers, each scoring 1 (an AND with words ranks by the words)."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(ids, all_weights=1.0)

    def skip_to(self, id: int) -> None:
        # Bisect instead of ListMatcher's step-by-step walk: intersections skip far ahead.
        if self._i < len(self._ids) and self._ids[self._i] < id:
            self._i = bisect_left(self._ids, id, self._i)

    def score(self) -> float:
        return 1.0

    def supports_block_quality(self) -> bool:
        return False

    def copy(self) -> "_IdsMatcher":
        copied = _IdsMatcher(self._ids)
        copied._i = self._i
        return copied


def _newest_first(searcher, query: Q.Query, limit: int) -> Results:
    """The newest matches first, and exactly how many matched.

    Whoosh's sortedby reads the sort key of each match through its column reader, one Python call
    a match; here the matches' document numbers are gathered and their days looked up in the cached
    day array by heapq in C, about three times faster for thousands of matches."""
    if isinstance(query, Q.AndMaybe):
        query = query.a  # the title boost only ranks; dates decide the order here
    newest: list[tuple[int, int]] = []  # (day, document number in the whole index)
    total = 0
    for leaf, offset in searcher.leaf_searchers():
        matcher = query.matcher(leaf, leaf.boolean_context())
        ids = list(matcher.all_ids()) if matcher.is_active() else []
        total += len(ids)
        days = _segment_days(leaf.reader())[0]
        newest.extend((days[docnum], docnum + offset) for docnum in heapq.nlargest(limit, ids, key=days.__getitem__))
    top = heapq.nlargest(limit, newest, key=lambda pair: pair[0])  # stable: earlier documents first on a tie
    return Results([Hit(searcher.stored_fields(docnum)["id"], 0.0) for _, docnum in top], total, True)


_DAYS: dict[str, tuple[array, list[int], list[int]]] = {}  # segment id -> _segment_days()


def _segment_days(reader) -> tuple[array, list[int], list[int]]:
    """A segment's day numbers by document number, the same sorted, and the document number of each
    sorted day. Segments never change (deletions aside, which callers check): read once each."""
    key = reader.segment().segment_id()
    cached = _DAYS.get(key)
    if cached is None:
        days = _day_column(reader)
        order = sorted(range(len(days)), key=days.__getitem__)
        cached = (days, [days[docnum] for docnum in order], order)
        if len(_DAYS) > 256:  # segments come and go as the index merges them
            _DAYS.clear()
        _DAYS[key] = cached
    return cached


def _day_column(reader) -> array:
    """The day of every document of one segment, in document order (0 for undated)."""
    count = reader.doc_count_all()
    column = reader.column_reader("day", translate=False)
    try:
        # The column is a run of big-endian 32-bit numbers: read in one go, about 100 times
        # faster than Whoosh's value-by-value load() (0.3 against 40 ms for 37,548 documents).
        days = array("I")
        days.frombytes(column._dbfile.get(column._basepos, column._count * 4))
        if sys.byteorder == "little":
            days.byteswap()
    except (AttributeError, TypeError):  # a column without that layout (an empty segment's stand-in)
        days = array("I", (column[docnum] for docnum in range(count)))
    if len(days) < count:  # documents after the last one written take the default, 0
        days.extend([0] * (count - len(days)))
    return days


def _document(article: Article, tags: Iterable[str] = ()) -> dict:
    """The fields Whoosh indexes for one article."""
    return {
        "id": article.id,
        "title": article.title,
        "text": article.title + "\n\n" + article.body,
        "author": article.author or "",
        "source": article.source or "",
        "day": _day(article.date, first=True) if article.date and _DATE.match(article.date) else 0,
        "url": article.url or "",
        "tags": ",".join(tags),
    }


class SearchIndex:
    """The Whoosh index of one library: created when missing, searched with a refreshed searcher."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._searcher = None
        self._lock = threading.Lock()
        self.problem = ""  # why the index had to be made anew, for the user ("" when it was fine)
        self.fresh = False  # True when this open created the index (it holds nothing yet)
        folder.mkdir(parents=True, exist_ok=True)
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
                elif version.exists() and version.read_text().strip() == INDEX_VERSION:
                    opened = whoosh_index.open_dir(str(self.folder))
                    with opened.searcher() as searcher:
                        searcher.doc_count()
                    return opened
                else:
                    self.problem = "the search index was made by another version"
            except Exception as error:  # any unreadable index is rebuilt from the database
                self.problem = f"the search index was damaged ({type(error).__name__}: {error})"
            return self._create()

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

    def write(self, articles: Iterable[tuple[Article, Iterable[str]]], *, timeout: float = 60.0) -> int:
        """Add or replace articles (with their tags) in one commit; returns how many were written."""
        count = 0
        try:
            # A bigger sorting pool keeps a batch's postings in memory: Whoosh's default (128 MB)
            # spills them to temporary files and merges them back, which doubled a commit's cost.
            # Separate segment files (not compound) cost less to write and far less memory to search.
            # (Two writer processes, procs=2, measured no faster on two cores, so there is one.)
            writer = self._index.writer(timeout=timeout, limitmb=512, compound=False, codec=CODEC)
        except LockError as error:
            raise IndexBusy("the index is being written by another process") from error
        try:
            for article, tags in articles:
                writer.update_document(**_document(article, tags))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

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
            self._searcher = self._index.searcher()
        return self._searcher

    def search(self, query: Q.Query, limit: int = 50, sort: str = "relevance") -> Results:
        """The best hits for a parsed query, by relevance or newest first."""
        with self._lock:
            searcher = self._current_searcher()
            if sort == "date":
                return _newest_first(searcher, query, limit)
            # Without block-quality skipping: for a page of 50-100 hits it skips little and checks much
            # (the query set ran 7% faster without it, with the same ranks).
            results = searcher.search(query, limit=limit, optimize=False)
            hits = [Hit(hit["id"], hit.score) for hit in results]
            # A short page is the whole answer. Otherwise the count is of the documents the collector
            # looked at: it drops those that can no longer make the page (see whoosh_fixes), so it is a
            # lower bound, whatever Whoosh's has_exact_length() says. Counting exactly is another pass.
            return Results(hits, len(results), len(hits) < limit)

    def count(self, query: Q.Query) -> int:
        """Exactly how many articles match (as costly as a search: run it when the answer can wait)."""
        with self._lock:
            return sum(1 for _ in query.docs(self._current_searcher()))

    def close(self) -> None:
        """Release the searcher's open files."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None


# -- highlights ------------------------------------------------------------------------------


class Highlighter:
    """Finds the words of a query in a text, the way the index matched them (stemmed, accents folded)."""

    def __init__(self, query: Q.Query | None, fields: tuple[str, ...] = ("title", "text")) -> None:
        self.terms: set[str] = set()
        self.prefixes: list[str] = []
        self._candidates = None
        if query is None:
            return
        for leaf in _leaves(query):
            if getattr(leaf, "fieldname", None) not in fields:
                continue
            if isinstance(leaf, Q.Prefix):
                self.prefixes.append(leaf.text)
            elif isinstance(leaf, Q.Wildcard):
                self.prefixes.append(leaf.text.split("*")[0].split("?")[0])
            elif isinstance(leaf, Q.Phrase):
                self.terms.update(leaf.words)
            elif isinstance(leaf, Q.Term) and isinstance(leaf.text, str):
                self.terms.add(leaf.text)

        # A stem is a word's beginning but for its last letter (happy -> happi, hoping -> hope), so
        # a regular expression finds every candidate word quickly; each is then checked exactly.
        heads = {term[: max(2, len(term) - 1)].lower() for term in self.terms} | {p.lower() for p in self.prefixes}
        heads.discard("")
        words = "(?:" + "|".join(map(re.escape, sorted(heads, key=len, reverse=True))) + r")\w*(?:\.\w+)*"
        # On lower-cased text and without a leading \b, the regular expression engine can jump from one
        # literal head to the next (six times faster on news); word starts are checked in spans().
        # Case-insensitive matching with \b stays for the rare text whose length lower() changes.
        self._lowered = re.compile(words) if heads else None
        self._candidates = re.compile(r"\b" + words, re.IGNORECASE) if heads else None

    def __bool__(self) -> bool:
        return self._candidates is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the matching words in text, in order."""
        if self._candidates is None:
            return []
        found = []
        prefixes = tuple(self.prefixes)
        # Fold accents one character for one, so that offsets in the folded text are offsets in text.
        # (Most news has curly quotes and dashes but no accents: look before translating, it is slow.)
        folded = text.translate(_FOLD_ONE_TO_ONE) if not text.isascii() and _FOLDABLE.search(text) else text
        lowered = folded.lower()
        if len(lowered) == len(folded):
            matches = (m for m in self._lowered.finditer(lowered)
                       if not m.start() or not _WORD_CHAR.match(lowered, m.start() - 1))
        else:
            matches = self._candidates.finditer(folded)
        for match in matches:
            word = text[match.start() : match.end()]
            if term_of(word) in self.terms or (prefixes and _fold(word).startswith(prefixes)):
                found.append(match.span())
        return found

    def excerpt(self, text: str, width: int = 160) -> "Excerpt":
        """A one-line excerpt of text around its densest cluster of matches, with spans in it."""
        spans = self.spans(text) if self else []
        start = 0
        if spans:
            # Two pointers: for each first match, how many matches fit in one excerpt's width.
            best, best_count, last = 0, 0, 0
            for first in range(len(spans)):
                last = max(last, first)
                while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= width:
                    last += 1
                if last - first + 1 > best_count:
                    best, best_count = first, last - first + 1
            start = max(0, spans[best][0] - width // 5)
            space = text.rfind(" ", 0, start)
            start = 0 if space < 0 or start - space > 20 else space + 1
        end = min(len(text), start + width)
        prefix = "…" if start else ""
        shift = len(prefix) - start
        inside = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
        return Excerpt(prefix + text[start:end].replace("\n", " "), inside, len(spans))


@dataclass(frozen=True)
class Excerpt:
    """A one-line excerpt, the spans of the matched words in it, and how many matches the whole text has."""

    text: str
    spans: list[tuple[int, int]]
    hits: int


_WORD_CHAR = re.compile(r"\w")
_FOLD_ONE_TO_ONE = {code: (folded[0] if folded else chr(code)) for code, folded in accent_map.items()
                    if isinstance(folded, str)}
# (accent_map also lower-cases a few ASCII letters; the search for words ignores case anyway.)
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD_ONE_TO_ONE if code > 127) + "]")


def _fold(word: str) -> str:
    """A word as the index keeps it before stemming: lower case, accents folded."""
    return word.lower().translate(accent_map)


def _leaves(query: Q.Query):
    """Every leaf query in a tree, skipping what is negated (NOT words are not highlighted)."""
    if isinstance(query, Q.Not):
        return
    if isinstance(query, Q.AndNot):
        yield from _leaves(query.a)
        return
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from _leaves(child)
