"""What a user types -> a Whoosh query: checked, parsed, and rewritten to our matchers."""

from __future__ import annotations

import re

from whoosh import query as Q
from whoosh.qparser import FieldAliasPlugin, PhrasePlugin, PlusMinusPlugin, QueryParser
from whoosh.qparser.common import attach

from tui_reader.core.dates import iso_parts
from tui_reader.core.sanitize import has_controls
from tui_reader.core.search.analysis import SCHEMA, TITLE_BOOST, NewsAnalyzer, WordPattern, term_of
from tui_reader.core.search.matchers import DayRange, ExactPhrase

# What a user may type before a colon; "tag" and "feed" are the user's words for the tags and feeds fields.
FIELDS = ("title", "body", "author", "source", "date", "url", "tag", "feed")
MAX_QUERY_LENGTH = 1000
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):")
# A * not after a letter (*, al-*), or a ? before one (?ssad): a pattern must begin with letters,
# or every term of the index would be read to match it. (A ? after a word is a question mark.)
_LEADING_WILDCARD = re.compile(r"(?<![^\W_])(?<![*?])(?:\*|\?(?=[^\W_]))")
# The words of a pattern as the index splits words, wildcards counted as letters: al-assad* -> al, assad*.
_PATTERN_WORDS = re.compile(r"(?:[^\W_]|[*?])+(?:\.(?:[^\W_]|[*?])+)*")


class QueryError(ValueError):
    """A query the user typed that cannot be run; the message says what is wrong."""


def _validate(text: str) -> None:
    """Raise QueryError for what Whoosh would silently misread."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query too long ({len(text):,} characters; the limit is {MAX_QUERY_LENGTH:,})")
    if has_controls(text):
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
        if _LEADING_WILDCARD.search(part):
            raise QueryError("a * or ? must follow some letters, as in assa* or wom?n")
    if depth:
        raise QueryError("unbalanced parenthesis: a ( without its )")


class _PhraseNode(PhrasePlugin.PhraseNode):
    """A phrase in quotes, as ExactPhrase: its words with their places, stop words' gaps kept."""

    def query(self, parser):
        fieldname = self.fieldname or parser.fieldname
        field = parser.schema[fieldname] if fieldname in parser.schema else None
        if self.slop != 1 or field is None or not field.analyzer:
            return super().query(parser)  # a sloppy phrase ("a b"~3), or a field without words
        words, places, ranges = [], [], []
        for token in field.tokenize(self.text, mode="query", positions=True, chars=True):
            words.append(token.text)
            places.append(token.pos)
            ranges.append((self.textstartchar + token.startchar, self.textstartchar + token.endchar))
        offsets = [place - places[0] for place in places]
        return attach(ExactPhrase(fieldname, words, offsets, boost=self.boost, char_ranges=ranges), self)


class _PhrasePlugin(PhrasePlugin):
    """Whoosh's phrases in quotes, made into ExactPhrase (see _PhraseNode)."""

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser, match):
            node = super().create(parser, match)
            return _PhraseNode(node.text, node.textstartchar, node.slop)


def _make_parser() -> QueryParser:
    """The query parser: words in the text, all required; OR, NOT, -, phrases, wildcards, fields."""
    parser = QueryParser("text", SCHEMA)
    parser.remove_plugin_class(PhrasePlugin)
    parser.add_plugin(_PhrasePlugin())
    # "-word" excludes; a hyphen inside a word (al-Assad, 2015-03) is part of it.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    parser.add_plugin(FieldAliasPlugin({"tags": ["tag"], "feeds": ["feed"], "text": ["body"]}))
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
    parsed = _rewrite(parsed).normalize()  # normalize: drops what the rewriting emptied (a lone "?")
    if parsed is Q.NullQuery or isinstance(parsed, type(Q.NullQuery)):
        raise QueryError("nothing to search for: only common words such as 'the' or 'a'")
    return _boost_titles(parsed)


def _boost_titles(query: Q.Query) -> Q.Query:
    """Rank articles higher whose title has the query's words: an optional clause, scored only
    for the articles the query matched, so it costs little."""
    words = sorted({leaf.text for leaf in leaves(query) if isinstance(leaf, Q.Term) and leaf.fieldname == "text"}
                   | {w for leaf in leaves(query) if isinstance(leaf, ExactPhrase) and leaf.fieldname == "text"
                      for w in leaf.plain_words()})
    if not words:
        return query
    return Q.AndMaybe(query, TitleBoost([Q.Term("title", word) for word in words], boost=TITLE_BOOST))


class TitleBoost(Q.DefaultOr):
    """The clause that ranks title matches higher: it decides no match, so it highlights nothing.

    DefaultOr: a tree of unions that skips along with the query. Plain Or preloads every title match
    of a small segment into an array first, which cost more than the whole query."""


def _rewrite(node: Q.Query) -> Q.Query:
    """Dates become day ranges (date:2015 means every day of 2015, and [2013-01 to 2014-06] includes
    all of June 2014); words with wildcards are matched against the stems the index keeps."""
    if (isinstance(node, (Q.Prefix, Q.Wildcard)) and node.fieldname in SCHEMA
            and isinstance(SCHEMA[node.fieldname].analyzer, NewsAnalyzer)):
        return _pattern(node.fieldname, node.text + "*" if isinstance(node, Q.Prefix) else node.text, node.boost)
    if getattr(node, "fieldname", None) == "date":
        if isinstance(node, Q.Term):
            return DayRange(day_number(node.text, first=True), day_number(node.text, first=False))
        if isinstance(node, Q.TermRange):
            start = day_number(node.start, first=True) if node.start else 1
            end = day_number(node.end, first=False) if node.end else None
            return DayRange(start, end)
        raise QueryError("dates are written 2015, 2015-03 or 2015-03-08, or as a range [2013-01 to 2014-06]")
    if node.is_leaf():
        return node
    return node.apply(_rewrite)


def _pattern(fieldname: str, text: str, boost: float) -> Q.Query:
    """A word with wildcards, as the parser read it (wom?n, al-assad*, o'rourke*): split into words as
    the index splits them, each a term, a gap (a stop word) or a WordPattern; a phrase if several."""
    words, offsets, patterns = [], [], {}
    place = -1
    for piece in _PATTERN_WORDS.findall(text):
        piece = piece.rstrip("?")  # a ? ending a word is a question mark (is it true?)
        if not piece.strip("*?"):
            continue
        place += 1
        if "*" in piece or "?" in piece:
            patterns[len(words)] = WordPattern(piece)
            words.append(piece)
        elif term := term_of(piece):
            words.append(term)
        else:
            continue  # a stop word: its place stays a gap
        offsets.append(place)
    if not words:
        return Q.NullQuery
    # (ExactPhrase.normalize turns a single word into a Term or a WordWildcard.)
    return ExactPhrase(fieldname, words, [offset - offsets[0] for offset in offsets], boost, patterns).normalize()


def day_number(text: str, first: bool) -> int:
    """A year, month or day as the first (or last) day number it covers: 2015 -> 20150101 (20151231)."""
    parts = iso_parts(text)
    if parts is None:
        raise QueryError(f"'{text}' is not a date: write 2015, 2015-03 or 2015-03-08")
    year, month, day = parts
    if month is None:
        return year * 10000 + (101 if first else 1231)
    if day is None:
        return year * 10000 + month * 100 + (1 if first else 31)
    return year * 10000 + month * 100 + day


def article_day(date: str | None) -> int:
    """The day number an article is sorted and filtered by: its date's first day, 0 when undated."""
    return day_number(date, first=True) if iso_parts(date) else 0


def leaves(query: Q.Query):
    """Every leaf query in a tree, skipping what is negated (NOT words are not highlighted) and the
    title boost (its words are the query's own, and only rank)."""
    if isinstance(query, (Q.Not, TitleBoost)):
        return
    if isinstance(query, Q.AndNot):
        yield from leaves(query.a)
        return
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from leaves(child)


def ranks(query: Q.Query) -> bool:
    """Whether a query has words to rank by (in the text or the title); one of only filters (feed:,
    tag:, date:, author:...) scores every match alike, and is best listed newest first."""
    return any(getattr(leaf, "fieldname", None) in ("text", "title") for leaf in leaves(query))


_PLAIN_TAG = re.compile(r"[\w-]+")


def tag_query(tag: str) -> str:
    """The query for a tag: quoted when it holds characters the query syntax reads, as ( ) or :."""
    return f"tag:{tag}" if _PLAIN_TAG.fullmatch(tag) else f'tag:"{tag}"'


def feed_query(name: str) -> str:
    """The query for a feed's articles: its name, quoted when it is more than one plain word."""
    name = name.replace('"', "")
    return f"feed:{name}" if _PLAIN_TAG.fullmatch(name) else f'feed:"{name}"'
