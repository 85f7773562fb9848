"""Highlights: where a query's words are in a text, found as the index found them."""

from __future__ import annotations

import re

from whoosh import query as Q
from whoosh.support.charset import accent_map

from tui_reader.core.articles import Excerpt
from tui_reader.core.search.analysis import WordPattern, term_of
from tui_reader.core.search.matchers import ExactPhrase, WordWildcard
from tui_reader.core.search.query import leaves


class _WordFinder:
    """Finds the words of a text whose indexed term is one of some terms, or matches some patterns."""

    def __init__(self, terms: set[str], patterns: list[WordPattern]) -> None:
        self.terms, self.patterns = terms, patterns
        # A stem is a word's beginning but for its last letter (happy -> happi, hoping -> hope), so a
        # regular expression finds every candidate word quickly; each is then checked exactly. A
        # pattern's terms begin with its literal part, so their words with all of it but the last letter.
        heads = ({term[: max(2, len(term) - 1)].lower() for term in terms}
                 | {p.literal[: max(1, len(p.literal) - 1)] for p in patterns})
        any_head = "" in heads  # (a pattern with no literal part: every word is a candidate)
        heads = "|".join(map(re.escape, sorted(heads - {""}, key=len, reverse=True)))
        words = _WORD if any_head else "(?:" + heads + r")[^\W_]*(?:\.[^\W_]+)*"
        # On lower-cased text and without a look-behind for a word's start, the regular expression engine
        # can jump from one literal head to the next (six times faster on news); word starts are checked
        # in find(). Case-insensitive matching with the look-behind stays for the rare text whose
        # length lower() changes.
        self._lowered = re.compile(words)
        self._candidates = re.compile(r"(?<![^\W_])" + words, re.IGNORECASE)

    def find(self, text: str, folded: str, lowered: str) -> list[tuple[int, int]]:
        """Character spans of the matching words, in order (folded: text with accents folded one
        character for one; lowered: that in lower case)."""
        if len(lowered) == len(folded):
            matches = (m for m in self._lowered.finditer(lowered)
                       if not m.start() or not _WORD_CHAR.match(lowered, m.start() - 1))
        else:
            matches = self._candidates.finditer(folded)
        found = []
        terms, patterns = self.terms, self.patterns
        for match in matches:
            term = term_of(text[match.start() : match.end()])
            if term in terms or (patterns and term and any(p.matches(term) for p in patterns)):
                found.append(match.span())
        return found


class Highlighter:
    """Finds the words of a query in a text, the way the index matched them (stemmed, accents folded):
    a word wherever it is, a phrase's words only where they make the phrase."""

    def __init__(self, query: Q.Query | None, fields: tuple[str, ...] = ("title", "text")) -> None:
        self.terms: set[str] = set()
        self.patterns: list[WordPattern] = []
        self.phrases: list[list[tuple[int, str | WordPattern]]] = []  # each phrase's words at their offsets
        self._words: _WordFinder | None = None
        self._phrases: list[tuple[_WordFinder, list[tuple[int, str | WordPattern]]]] = []
        if query is None:
            return
        for leaf in leaves(query):
            if getattr(leaf, "fieldname", None) not in fields:
                continue
            if isinstance(leaf, WordWildcard):
                self.patterns.append(leaf.pattern)
            elif isinstance(leaf, ExactPhrase):
                self.phrases.append([(offset, leaf.patterns.get(i, word))
                                     for i, (word, offset) in enumerate(zip(leaf.words, leaf.offsets))])
            elif isinstance(leaf, Q.Phrase):  # a loose phrase ("a b"~3): its words wherever they are
                self.terms.update(leaf.words)
            elif isinstance(leaf, Q.Term) and isinstance(leaf.text, str):
                self.terms.add(leaf.text)
        if self.terms or self.patterns:
            self._words = _WordFinder(self.terms, self.patterns)
        for slots in self.phrases:  # a phrase is looked for where its first word is
            first = slots[0][1]
            finder = _WordFinder(set(), [first]) if isinstance(first, WordPattern) else _WordFinder({first}, [])
            self._phrases.append((finder, slots))

    def __bool__(self) -> bool:
        return self._words is not None or bool(self._phrases)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the matching words in text, in order."""
        if not self:
            return []
        # Fold accents one character for one, so that offsets in the folded text are offsets in text.
        # (Most news has curly quotes and dashes but no accents: look before translating, it is slow.)
        folded = text.translate(_FOLD_ONE_TO_ONE) if not text.isascii() and _FOLDABLE.search(text) else text
        lowered = folded.lower()
        found = self._words.find(text, folded, lowered) if self._words is not None else []
        if self._phrases:
            found = sorted(set(found).union(*(self._phrase_spans(text, folded, lowered, finder, slots)
                                              for finder, slots in self._phrases)))
        return found

    @staticmethod
    def _phrase_spans(text: str, folded: str, lowered: str, finder: _WordFinder,
                      slots: list[tuple[int, str | WordPattern]]) -> list[tuple[int, int]]:
        """The spans of a phrase's words wherever the words that follow its first one make the phrase
        (counted as the index counts places: every word, stop words too)."""
        found = []
        length = slots[-1][0] + 1
        for start, _ in finder.find(text, folded, lowered):
            following = []
            for match in _WORD_PATTERN.finditer(text, start):
                following.append(match)
                if len(following) == length:
                    break
            if len(following) < length:
                break  # the text ends before the phrase could
            spans = []
            for offset, word in slots:
                match = following[offset]
                term = term_of(match.group())
                if not (term == word if isinstance(word, str) else term and word.matches(term)):
                    break
                spans.append(match.span())
            else:
                found.extend(spans)
        return found

    def excerpt(self, text: str, width: int = 160) -> Excerpt:
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


_WORD = r"[^\W_]+(?:\.[^\W_]+)*"  # a word, as analysis.py reads words
_WORD_PATTERN = re.compile(_WORD)
_WORD_CHAR = re.compile(r"[^\W_]")
_FOLD_ONE_TO_ONE = {code: (folded[0] if folded else chr(code)) for code, folded in accent_map.items()
                    if isinstance(folded, str)}
# (accent_map also lower-cases a few ASCII letters; the search for words ignores case anyway.)
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD_ONE_TO_ONE if code > 127) + "]")
