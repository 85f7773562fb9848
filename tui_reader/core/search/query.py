"""What a user types -> a Whoosh query: checked, parsed, and rewritten to our matchers."""

from __future__ import annotations

import re

from whoosh import query as Q
from whoosh.qparser import FieldAliasPlugin, PlusMinusPlugin, QueryParser

from tui_reader.core.search.analysis import SCHEMA, TITLE_BOOST
from tui_reader.core.search.matchers import DayRange, ExactPhrase

# What a user may type before a colon; "tag" is the user's word for the tags field.
FIELDS = ("title", "body", "author", "source", "date", "url", "tag")
MAX_QUERY_LENGTH = 1000
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class QueryError(ValueError):
    """A query the user typed that cannot be run; the message says what is wrong."""


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
    words = sorted({leaf.text for leaf in leaves(query) if isinstance(leaf, Q.Term) and leaf.fieldname == "text"}
                   | {w for leaf in leaves(query) if isinstance(leaf, Q.Phrase) and leaf.fieldname == "text"
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
            return DayRange(day_number(node.text, first=True), day_number(node.text, first=False))
        if isinstance(node, Q.TermRange):
            start = day_number(node.start, first=True) if node.start else 1
            end = day_number(node.end, first=False) if node.end else None
            return DayRange(start, end)
        raise QueryError("dates are written 2015, 2015-03 or 2015-03-08, or as a range [2013-01 to 2014-06]")
    if node.is_leaf():
        return node
    return node.apply(_rewrite)


def day_number(text: str, first: bool) -> int:
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


def article_day(date: str | None) -> int:
    """The day number an article is sorted and filtered by: its date's first day, 0 when undated."""
    return day_number(date, first=True) if date and _DATE.match(date) else 0


def leaves(query: Q.Query):
    """Every leaf query in a tree, skipping what is negated (NOT words are not highlighted)."""
    if isinstance(query, Q.Not):
        return
    if isinstance(query, Q.AndNot):
        yield from leaves(query.a)
        return
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from leaves(child)


_PLAIN_TAG = re.compile(r"[\w-]+")


def tag_query(tag: str) -> str:
    """The query for a tag: quoted when it holds characters the query syntax reads, as ( ) or :."""
    return f"tag:{tag}" if _PLAIN_TAG.fullmatch(tag) else f'tag:"{tag}"'
