"""What the index keeps of a text: its terms (stemmed, accents folded), their positions, the schema."""

from __future__ import annotations

import re
import struct
from itertools import accumulate
from operator import sub

from whoosh.analysis import Analyzer, CharsetFilter, StandardAnalyzer, Token
from whoosh.analysis.analyzers import default_pattern
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

from tui_reader.core.search.codec import from_disk

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
