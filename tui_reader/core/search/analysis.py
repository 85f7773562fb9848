"""What the index keeps of a text: its terms (stemmed, accents folded), their positions, the schema."""

from __future__ import annotations

import os
import re
import struct
from functools import lru_cache
from itertools import accumulate
from operator import sub

from whoosh.analysis import Analyzer, CharsetFilter, StandardAnalyzer, Token
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


# A word: letters and digits, with dots inside (U.S., e.g.). Whoosh's own pattern also takes "*"
# (and \w takes "_") as a letter, so that "**bold**", "*capybaras*" and "_rodents_" (emphasis in
# Markdown) were indexed as terms no query could find; wildcards belong to the query parser.
_WORDS = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")


class NewsAnalyzer(Analyzer):
    """Stemmed English words with accents folded ("Clarin" finds "Clarín", "weapons" finds "weapon").

    Each word has its place in the text, stop words included: a stop word is left out of the index
    but keeps its place as a gap (as Lucene does), so that a phrase matches only words in its order
    with the same gaps ("chemical weapons" is not "chemicals and weapons"). It yields what Whoosh's
    StemmingAnalyzer | CharsetFilter(accent_map) with StopFilter(renumber=False) would, in one loop
    with a cache of analysed words instead of a chain of five generators: indexing is bound by
    analysis, and this is about twice as fast.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # The query parser's text for a prefix or a wildcard (wom?n, al-Assad*): lower case and
            # whole, for query.py to split into words and match against the terms kept.
            token.text = token.original = value.lower()
            token.stopped = False
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        for position, match in enumerate(_WORDS.finditer(value), start_pos):
            word = match.group()
            term = _TERMS.get(word) or term_of(word)
            if term:
                token.stopped = False
                token.text = term
            elif removestops:
                continue
            else:
                token.stopped = True
                token.text = word.lower().translate(accent_map)
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = position
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term of a text with its positions, as __call__ numbers them, without a Token per
        word: indexing calls this for every article's title and text."""
        found: dict[str, list[int]] = {}
        terms = _TERMS
        for position, word in enumerate(_WORDS.findall(value)):
            term = terms.get(word)
            if term is None:
                term = term_of(word)
            if term:
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
NAME_ANALYZER = StandardAnalyzer(_WORDS, stoplist=None) | CharsetFilter(accent_map)


def _news_text() -> TEXT:
    """A text field analysed by NewsAnalyzer, with positions in NewsPositions' layout."""
    field = TEXT(analyzer=ANALYZER)
    field.format = NewsPositions(field_boost=field.format.field_boost)
    return field


# Words are searched in one field, "text" (title and body together): one posting list per word
# instead of a title-or-body union per word makes queries faster. Titles are indexed on their
# own too, to rank title matches higher and to answer title: queries.
# The names of the feeds an article came from (feed:NAME); index version 6 added it to version 5's fields.
FEEDS_FIELD = KEYWORD(lowercase=True, commas=True)
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
    feeds=FEEDS_FIELD,
)
TITLE_BOOST = 2.0


def fold(word: str) -> str:
    """A word as the index keeps it before stemming: lower case, accents folded."""
    return word.lower().translate(accent_map)


# Endings the stemmer trims, in full and cut anywhere (s, ions, ations, tions...): a word that begins
# with a prefix may lose letters of the prefix to stemming (negotiations -> negoti, for negotiat*).
_ENDINGS = frozenset(ending[cut:] for ending in (
    "ational tional ations ation ators ator izations ization izing ized izes ize isations isation ising ised "
    "ises ise alisms alism alities ality ally ently ously ousness iveness fulness ivities ivity abilities "
    "ability ibility ically ical icates icate atives ative alized alize ful nesses ness ements ement ments "
    "ment ences ence ances ance ents ent ants ant ions ion isms ism ists ist ities ity ives ive ous ers er "
    "ies ied ings ing ed es ly able ible ates ated ating ate als al ics ic e y s").split()
    for cut in range(len(ending) + 1))


@lru_cache(maxsize=256)
def _stems_beginning(prefix: str) -> frozenset[str]:
    """The terms of words that begin with a prefix and end in a common ending (the prefix itself too)."""
    return frozenset(stem(prefix + ending).translate(accent_map) for ending in _ENDINGS)


class WordPattern:
    """A word with wildcards, matched against the terms the index keeps (which are stems).

    `word*` matches the terms that begin with `word` (assa*: assad, assassin) and the stems of
    words that begin with it but lost some of its letters to stemming (negotiat*: negoti, from
    negotiations; happy*: happi). With `?` (one letter) or a `*` inside, the pattern matches a term
    as typed or as stemmed (analy?e -> analy?: analyse and analyze both). The index and the
    highlighter ask the same `matches`, so a highlighted word is always one the index matched.
    """

    __slots__ = ("text", "prefix", "_stems", "_regexes", "literal")

    def __init__(self, text: str) -> None:
        self.text = text.lower()  # as typed, for messages and equality
        body = self.text.rstrip("*")
        if "*" not in body and "?" not in body:
            self.prefix: str | None = fold(body)
            self._stems = _stems_beginning(body)
            self._regexes: tuple[re.Pattern, ...] = ()
            # Every term that matches begins with this (for looking terms up by their beginning).
            self.literal = os.path.commonprefix([self.prefix, *self._stems])
            return
        self.prefix, self._stems = None, frozenset()
        forms = {fold(self.text), stem(self.text).translate(accent_map)}
        self._regexes = tuple(re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in form))
                              for form in sorted(forms))
        self.literal = os.path.commonprefix([re.split(r"[*?]", form, maxsplit=1)[0] for form in forms])

    def matches(self, term: str) -> bool:
        """Whether an indexed term is one this pattern stands for."""
        if self.prefix is not None:
            return term.startswith(self.prefix) or term in self._stems
        return any(regex.fullmatch(term) for regex in self._regexes)

    def __eq__(self, other) -> bool:
        return type(other) is WordPattern and other.text == self.text

    def __hash__(self) -> int:
        return hash((WordPattern, self.text))

    def __repr__(self) -> str:
        return f"WordPattern({self.text!r})"
